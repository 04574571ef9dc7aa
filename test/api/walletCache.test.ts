// The wallet cache (src/services/wallets/walletCache.ts) over real HTTP: balances are read from
// it, and every way a user wallet changes (a transfer, a hold placed by a risk review and ended by
// its decision, a status change, a wallet opened) reaches it before the writer answers, so the
// writer's next read shows the change: in the same process, and with Redis in another process too.
import { randomUUID } from 'node:crypto';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { loadConfig } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server/app.js';
import { graphql } from '../gql/index.js';
import { decodeId } from '../helpers/globalIds.js';
import { expectLedgerConsistent } from '../helpers/ledger.js';
import { credit, signInAdmin, signUpUser, type TestUser } from '../helpers/people.js';
import { asOwner, startTestServer, testEnv, type TestServer } from '../helpers/testServer.js';

const ADMIN = { email: 'cache.admin@example.com', password: 'Cache-Keeper-2026!' };
const usingPostgres = Boolean(process.env.DATABASE_URL);
const usingRedis = Boolean(process.env.REDIS_URL);

const WcWallets = graphql(`
  query WcWallets { me { wallets { id currency status sequence balance { posted { amount } held { amount } available { amount } } } } }
`);
const WcWallet = graphql(`query WcWallet($id: ID!) { wallet(id: $id) { id status balance { posted { amount } } } }`);
const WcSend = graphql(`
  mutation WcSend($input: SendMoneyInput!) { sendMoney(input: $input) { transfer { id status } userErrors { code message } } }
`);
const WcOpen = graphql(`mutation WcOpen($input: OpenWalletInput!) { openWallet(input: $input) { userErrors { code } } }`);
const WcSetStatus = graphql(`
  mutation WcSetStatus($input: AdminSetWalletStatusInput!) { adminSetWalletStatus(input: $input) { userErrors { code } } }
`);
const WcQueue = graphql(`query WcQueue { riskReviewQueue(first: 50, status: PENDING) { edges { node { id transaction { id } } } } }`);
const WcDecide = graphql(`
  mutation WcDecide($input: DecideRiskReviewInput!) { decideRiskReview(input: $input) { userErrors { code message } } }
`);

const settings = {
  BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
  BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
  // Sends above 100.00 to a new recipient are held for review: the hold paths are exercised.
  RISK_RULES: 'true',
  RISK_LARGE_AMOUNT: '100',
  RISK_VELOCITY_PER_MINUTE: '1000',
  RISK_VELOCITY_PER_HOUR: '1000',
};

let t: TestServer;
let admin: string;
beforeAll(async () => {
  t = await startTestServer(settings);
  admin = await signInAdmin(t, ADMIN);
});
afterAll(async () => {
  if (t) await expectLedgerConsistent(t);
  await t?.stop();
});

const wallets = async (u: TestUser, server: string = t.url) => {
  const res = await fetch(server, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${u.token}` },
    body: JSON.stringify({ query: print(WcWallets) }),
  });
  const body = (await res.json()) as {
    data: {
      me: { wallets: { id: string; currency: string; status: string; sequence: string; balance: Record<string, { amount: string }> }[] };
    };
  };
  return body.data.me.wallets;
};
const balances = async (u: TestUser, server?: string) => {
  const [w] = await wallets(u, server);
  return { posted: w!.balance.posted!.amount, held: w!.balance.held!.amount, available: w!.balance.available!.amount };
};
const send = async (from: TestUser, to: TestUser, amount: string) =>
  (
    await t.query(
      WcSend,
      { input: { recipient: { email: to.email }, amount: { amount, currency: 'USD' }, idempotencyKey: randomUUID() } },
      { token: from.token },
    )
  ).sendMoney;

describe('in one process', () => {
  it('answers balances from the cache: a change made behind the ledger is not seen until the entry is dropped', async () => {
    // A process starts caching a moment after its announcement over Redis was delivered (the
    // others must have heard of it, walletCache.ts HEARD_AFTER_MS): this test may run right after start.
    await t.server.services.wallets.whenCaching();
    const alice = await signUpUser(t, { label: 'wc-cached' });
    await credit(t, admin, alice.walletId, '10.00');
    // The credit's event also comes back over Redis and drops the cached copy once more: let it
    // arrive before the read that fills the cache (under load it could land after it).
    await t.server.services.outbox.drain();
    await t.server.services.pubsub.sync();
    expect((await balances(alice)).posted).toBe('10.00');
    // Not how money moves (that is the ledger's, which drops the cached copy); here it shows where the answer comes from.
    const id = decodeId(alice.walletId);
    await asOwner(t, `UPDATE wallets SET posted_balance = posted_balance + 1 WHERE id = '${id}'`);
    try {
      expect((await balances(alice)).posted).toBe('10.00');
      expect((await t.query(WcWallet, { id: alice.walletId }, { token: alice.token })).wallet!.balance.posted.amount).toBe('10.00');
    } finally {
      await asOwner(t, `UPDATE wallets SET posted_balance = posted_balance - 1 WHERE id = '${id}'`);
    }
  });

  it('shows a transfer to both sides on their next read, each holding a cached copy before it', async () => {
    const [alice, bob] = [await signUpUser(t, { label: 'wc-a' }), await signUpUser(t, { label: 'wc-b' })];
    await credit(t, admin, alice.walletId, '50.00');
    for (let i = 1; i <= 5; i++) {
      expect(await balances(bob)).toMatchObject({ posted: `${i - 1}.00` }); // cached now
      expect((await send(alice, bob, '1.00')).transfer?.status).toBe('POSTED');
      expect(await balances(alice)).toEqual({ posted: `${50 - i}.00`, held: '0.00', available: `${50 - i}.00` });
      expect(await balances(bob)).toMatchObject({ posted: `${i}.00` });
    }
  });

  it('shows a hold placed by a review, and its end by the decision, on the next read', async () => {
    const [carol, dave] = [await signUpUser(t, { label: 'wc-c' }), await signUpUser(t, { label: 'wc-d' })];
    await credit(t, admin, carol.walletId, '500.00');
    expect(await balances(carol)).toEqual({ posted: '500.00', held: '0.00', available: '500.00' });

    const held = await send(carol, dave, '150.00');
    expect(held.transfer?.status).toBe('IN_REVIEW');
    expect(await balances(carol)).toEqual({ posted: '500.00', held: '150.00', available: '350.00' });
    const review = async (transferId: string) =>
      (await t.query(WcQueue, {}, { token: admin })).riskReviewQueue.edges.find((e) => e.node.transaction.id === transferId)!.node.id;
    const decide = async (transferId: string, decision: 'APPROVE' | 'DECLINE') =>
      expect(
        (await t.query(WcDecide, { input: { reviewId: await review(transferId), decision, reason: 'cache test' } }, { token: admin }))
          .decideRiskReview.userErrors,
      ).toEqual([]);

    // Declined: the hold ends and nothing moves.
    await decide(held.transfer!.id, 'DECLINE');
    expect(await balances(carol)).toEqual({ posted: '500.00', held: '0.00', available: '500.00' });

    // Approved: the hold ends and the money moves.
    const again = await send(carol, dave, '150.00');
    expect(again.transfer?.status).toBe('IN_REVIEW');
    expect(await balances(carol)).toMatchObject({ held: '150.00' });
    expect(await balances(dave)).toMatchObject({ posted: '0.00' });
    await decide(again.transfer!.id, 'APPROVE');
    expect(await balances(carol)).toEqual({ posted: '350.00', held: '0.00', available: '350.00' });
    expect(await balances(dave)).toMatchObject({ posted: '150.00' });
  });

  it('shows a status change and a newly opened wallet on the next read', async () => {
    const erin = await signUpUser(t, { label: 'wc-e' });
    expect((await wallets(erin)).map((w) => w.status)).toEqual(['ACTIVE']);
    await t.query(WcSetStatus, { input: { walletId: erin.walletId, status: 'FROZEN' } }, { token: admin });
    expect((await wallets(erin)).map((w) => w.status)).toEqual(['FROZEN']);
    expect((await t.query(WcWallet, { id: erin.walletId }, { token: erin.token })).wallet!.status).toBe('FROZEN');
    await t.query(WcSetStatus, { input: { walletId: erin.walletId, status: 'ACTIVE' } }, { token: admin });
    expect((await wallets(erin)).map((w) => w.status)).toEqual(['ACTIVE']);

    expect((await t.query(WcOpen, { input: { currency: 'EUR' } }, { token: erin.token })).openWallet.userErrors).toEqual([]);
    expect((await wallets(erin)).map((w) => w.currency)).toEqual(['USD', 'EUR']);
  });

  it("never shows one user another's cached wallet", async () => {
    const [owner, stranger] = [await signUpUser(t, { label: 'wc-owner' }), await signUpUser(t, { label: 'wc-stranger' })];
    await wallets(owner); // cached
    const res = await t.request(WcWallet, { id: owner.walletId }, { token: stranger.token });
    expect(res.body.data?.wallet ?? null).toBeNull();
    expect(res.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('switched off (WALLET_CACHE_SECONDS=0)', () => {
  let off: TestServer;
  beforeAll(async () => {
    off = await startTestServer({ ...settings, WALLET_CACHE_SECONDS: '0' });
  });
  afterAll(async () => off?.stop());

  it('reads every balance from the database', async () => {
    const frank = await signUpUser(off, { label: 'wc-off' });
    expect((await balances(frank, off.url)).posted).toBe('0.00');
    const id = decodeId(frank.walletId);
    await asOwner(off, `UPDATE wallets SET posted_balance = 7 WHERE id = '${id}'`);
    try {
      expect((await balances(frank, off.url)).posted).toBe('0.07');
    } finally {
      await asOwner(off, `UPDATE wallets SET posted_balance = 0 WHERE id = '${id}'`);
    }
  });
});

describe.runIf(usingPostgres && usingRedis)('across processes', () => {
  let second: RunningServer;
  beforeAll(async () => {
    // A second server process on the same database and Redis (same key prefix), as a replica runs.
    const config = loadConfig(testEnv({ ...t.db.env, ...settings, REDIS_PREFIX: t.config.REDIS_PREFIX, MIGRATE_ON_START: 'false' }));
    second = await startServer(config, createLogger({ level: config.LOG_LEVEL }));
    // Each has heard the other announce itself (every 2 s) once this much has passed.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
  });
  afterAll(async () => second?.stop());

  it('shows a write made through one process on the very next read through the other', async () => {
    const onSecond = `http://127.0.0.1:${second.port}/graphql`;
    const [gina, hal] = [await signUpUser(t, { label: 'wc-g' }), await signUpUser(t, { label: 'wc-h' })];
    await credit(t, admin, gina.walletId, '100.00');
    for (let i = 1; i <= 30; i++) {
      // Both cached on the second process, then changed through the first.
      await Promise.all([balances(gina, onSecond), balances(hal, onSecond)]);
      expect((await send(gina, hal, '1.00')).transfer?.status).toBe('POSTED');
      expect((await balances(gina, onSecond)).posted).toBe(`${100 - i}.00`);
      expect((await balances(hal, onSecond)).posted).toBe(`${i}.00`);
    }
  });

  it('shows a wallet opened through one process on the next read through the other', async () => {
    const onSecond = `http://127.0.0.1:${second.port}/graphql`;
    const ivy = await signUpUser(t, { label: 'wc-i' });
    expect((await wallets(ivy, onSecond)).map((w) => w.currency)).toEqual(['USD']);
    await t.query(WcOpen, { input: { currency: 'JPY' } }, { token: ivy.token });
    expect((await wallets(ivy, onSecond)).map((w) => w.currency)).toEqual(['USD', 'JPY']);
  });
});
