// Degraded operation (issue 13), end to end against the running server.
//
// Database unreachable (cut with a TCP proxy, then restored on the same port): requests that need
// it answer promptly HTTP 503 + Retry-After with SERVICE_UNAVAILABLE (never INTERNAL, never a
// hang), over HTTP and WebSocket; /readyz is 503; the pool recovers by itself once the database is
// back; a sendMoney retried with its idempotencyKey moves money exactly once, also when the
// outage began while transfers were in flight.
//
// Redis unreachable (a private redis-server killed with SIGKILL and started again on its port):
// every request is served, the per-user rate limit still holds (in process), /readyz and
// /healthz say "degraded", /metrics shows Redis down and the events waiting in the outbox; when
// Redis returns, walletUpdated subscribers receive every missed change exactly once and in order,
// without re-subscribing. A server started while Redis is down serves, and uses Redis once it answers.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { decodeId } from '../helpers/globalIds.js';
import { expectLedgerConsistent } from '../helpers/ledger.js';
import { createProxiedDatabase, type ProxiedDatabase } from '../helpers/proxiedDatabase.js';
import { captureLog } from '../helpers/logCapture.js';
import { credit, signInAdmin, signUpUser, type TestUser } from '../helpers/people.js';
import { RedisProcess } from '../helpers/redisProcess.js';
import { usingRedis } from '../helpers/testDatabase.js';
import { startTestServer, STRONG_PASSWORD, uniqueEmail, type TestServer } from '../helpers/testServer.js';
import { connectWs, type TestSubscription, type TestWsClient } from '../helpers/wsClient.js';

const ADMIN = { email: 'degraded.root@example.com', password: 'degraded-Admin-2026!' };
const WITH_ADMIN = { BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password };
/** The relay looks every 100 ms for events nobody published for 200 ms. */
const RELAY = { OUTBOX_RELAY_INTERVAL_MS: '100', OUTBOX_RELAY_DELAY_MS: '200' };
/** How long any one request may take while a dependency is down: an answer, never a hang. */
const PROMPT_MS = 12_000;
/** How long subscribers may take to catch up once Redis is back. */
const CATCH_UP_MS = 15_000;

const Send = graphql(`
  mutation DegradedSend($input: SendMoneyInput!) {
    sendMoney(input: $input) {
      transfer { id amount { amount } }
      senderWallet { balance { posted { amount } } }
      userErrors { code message }
    }
  }
`);

const MyBalances = graphql(`
  query DegradedMyBalances {
    me { wallets { id balance { available { amount } } } }
  }
`);

const MyHistory = graphql(`
  query DegradedMyHistory($walletId: ID!) {
    transactions(walletId: $walletId, first: 5) { edges { node { id } } }
  }
`);

const WalletBalance = graphql(`
  query DegradedWalletBalance($id: ID!) {
    wallet(id: $id) { sequence balance { posted { amount } } }
  }
`);

const History = graphql(`
  query DegradedHistory($walletId: ID!) {
    transactions(walletId: $walletId, first: 100) { edges { node { id type direction amount { amount } } } }
  }
`);

const Me = graphql(`query DegradedMe { me { id } }`);

const SignUp = graphql(`
  mutation DegradedSignUp($input: SignUpInput!) {
    signUp(input: $input) { user { id } tokens { accessToken } userErrors { code } }
  }
`);

const WalletUpdated = graphql(`
  subscription DegradedWalletUpdated($walletId: ID!, $afterSequence: BigInt) {
    walletUpdated(walletId: $walletId, afterSequence: $afterSequence) {
      sequence
      balanceAfter { amount }
      transaction { id }
    }
  }
`);

type WalletEvent = { walletUpdated: { sequence: unknown; balanceAfter: { amount: string }; transaction: { id: string } } };
type Response = Awaited<ReturnType<TestServer['request']>>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `read` until `accept` holds, failing after a bound. */
async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; last value ${JSON.stringify(value)}`);
    await sleep(50);
  }
}

/** Runs `fn` and returns its result with how long it took. */
async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await fn();
  return { value, ms: Date.now() - started };
}

async function getJson(url: string) {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function scrape(t: TestServer): Promise<string> {
  const res = await fetch(`${t.origin}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
}

/** The value of one sample in Prometheus text (`name{labels} value`), or undefined. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

async function outboxRows(t: TestServer): Promise<number> {
  const [row] = await t.server.db.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM outbox_events`;
  return row!.n;
}

async function ledgerRowsForKey(t: TestServer, key: string): Promise<number> {
  const [row] = await t.server.db.prisma.$queryRaw<
    { n: number }[]
  >`SELECT count(*)::int AS n FROM ledger_transactions WHERE idempotency_key = ${key}`;
  return row!.n;
}

function send(t: TestServer, from: TestUser, to: TestUser, amount: string, key: string = randomUUID()): Promise<Response> {
  return t.request(
    Send,
    { input: { recipient: { walletId: to.walletId }, amount: { amount, currency: 'USD' }, idempotencyKey: key } },
    { token: from.token },
  );
}

type Sent = {
  transfer: { id: string; amount: { amount: string } } | null;
  senderWallet: { balance: { posted: { amount: string } } } | null;
  userErrors: { code: string }[];
};

/** A sendMoney that must succeed at once; returns its payload. */
async function sendOk(t: TestServer, from: TestUser, to: TestUser, amount: string, key?: string): Promise<Sent> {
  const res = await send(t, from, to, amount, key);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.errors).toBeUndefined();
  const payload = (res.body.data as { sendMoney: Sent }).sendMoney;
  expect(payload.userErrors).toEqual([]);
  expect(payload.transfer).not.toBeNull();
  return payload;
}

async function postedOf(t: TestServer, user: TestUser): Promise<string> {
  return (await t.query(WalletBalance, { id: user.walletId }, { token: user.token })).wallet!.balance.posted.amount;
}

async function historyOf(t: TestServer, user: TestUser) {
  return (await t.query(History, { walletId: user.walletId }, { token: user.token })).transactions.edges.map((e) => e.node);
}

/** Every error code of a GraphQL response. */
function codesOf(res: Response): string[] {
  return (res.body.errors ?? []).map((e) => String(e.extensions?.code));
}

/** The answer of a request that needed the unreachable database: 503, Retry-After, SERVICE_UNAVAILABLE, no data. */
function expectUnavailable(res: Response, what: string) {
  expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(503);
  expect(res.body.errors, what).toHaveLength(1);
  const error = res.body.errors![0]!;
  expect(error.extensions?.code, what).toBe('SERVICE_UNAVAILABLE');
  const retryAfter = error.extensions?.retryAfterSeconds;
  expect(typeof retryAfter, what).toBe('number');
  expect(retryAfter as number, what).toBeGreaterThanOrEqual(1);
  expect(res.headers.get('retry-after'), what).toBe(String(retryAfter));
  expect(res.body.data ?? null, what).toBeNull();
}

function sequencesOf(sub: TestSubscription<WalletEvent>): string[] {
  for (const r of sub.results) if (r.errors?.length) throw new Error(`subscription error: ${JSON.stringify(r.errors)}`);
  return sub.results.map((r) => String(r.data!.walletUpdated.sequence));
}

// ---------------------------------------------------------------------------------------------

describe('database unavailable', () => {
  let t: TestServer;
  let db: ProxiedDatabase;
  let adminToken: string;
  const log = captureLog('degraded-db');
  /** Every response seen, to check that none was INTERNAL (or a 500). */
  const responses: Response[] = [];
  const clients: TestWsClient[] = [];

  const cutDatabase = () => db.cut();
  /** On the same port as before. */
  const restoreDatabase = () => db.restore();
  const track = async (res: Promise<Response>) => {
    const r = await res;
    responses.push(r);
    return r;
  };
  /** Waits until the server answers a database query again (the pool recovers by itself). */
  const recovered = (user: TestUser) =>
    eventually(
      () => track(t.request(MyBalances, {}, { token: user.token })),
      (r) => r.status === 200 && !r.body.errors,
      'a query to succeed after the database returned',
    );

  /** A sendMoney retried with its key until it is answered (SERVICE_UNAVAILABLE or IDEMPOTENCY_IN_PROGRESS: retry). */
  async function sendUntilAnswered(from: TestUser, to: TestUser, amount: string, key: string) {
    const deadline = Date.now() + 15_000;
    let attempts = 0;
    for (;;) {
      attempts += 1;
      const res = await track(send(t, from, to, amount, key));
      const payload = (res.body.data as { sendMoney: Sent } | null | undefined)?.sendMoney;
      if (res.status === 200 && !res.body.errors && payload?.transfer) {
        expect(payload.userErrors).toEqual([]);
        return { payload, attempts };
      }
      const code = codesOf(res)[0] ?? payload?.userErrors[0]?.code;
      if (code !== 'SERVICE_UNAVAILABLE' && code !== 'IDEMPOTENCY_IN_PROGRESS') {
        throw new Error(`retry of ${key} answered ${res.status} ${JSON.stringify(res.body)}`);
      }
      if (Date.now() > deadline) throw new Error(`retry of ${key} still answered ${code} after ${attempts} attempts`);
      await sleep(200);
    }
  }

  beforeAll(async () => {
    db = await createProxiedDatabase();
    t = await startTestServer({ ...db.env, ...WITH_ADMIN }, { log: log.logger });
    adminToken = await signInAdmin(t, ADMIN);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    await restoreDatabase();
    // Nothing answered INTERNAL or 500, and nothing was logged as an internal error.
    expect(responses.filter((r) => r.status >= 500 && r.status !== 503).map((r) => r.body)).toEqual([]);
    expect(responses.flatMap(codesOf)).not.toContain('INTERNAL');
    expect(log.errors()).toEqual([]);
    responses.length = 0;
    log.lines.length = 0;
  });
  afterAll(async () => {
    await t?.stop();
    await db?.drop();
  });

  it('answers SERVICE_UNAVAILABLE (HTTP 503 with Retry-After) promptly, over HTTP and WebSocket, and recovers by itself', async () => {
    const alice = await signUpUser(t, { label: 'dbdown-alice' });
    const bob = await signUpUser(t, { label: 'dbdown-bob' });
    await credit(t, adminToken, alice.walletId, '100.00');
    // The credit's event comes back over Redis too, and drops Alice's cached wallets once more: let
    // it arrive first (under load it could land after the read below, and that read's copy be lost).
    await t.server.services.outbox.drain();
    await t.server.services.pubsub.sync();
    // Alice's session is now known (and cached) by the server; her wallets too, once the cache has
    // started (over Redis, a moment after this new process announced itself).
    await t.server.services.wallets.whenCaching();
    expect((await t.query(MyBalances, {}, { token: alice.token })).me.wallets[0]!.balance.available.amount).toBe('100.00');

    await cutDatabase();

    const sent = await timed(() => track(send(t, alice, bob, '5.00')));
    expectUnavailable(sent.value, 'sendMoney');
    expect(sent.ms).toBeLessThan(PROMPT_MS);

    // Alice's wallets were read just before, so her balances answer from the wallet cache: nothing
    // can have changed them since (every change commits in the database, and drops the cached copy).
    const balances = await timed(() => t.query(MyBalances, {}, { token: alice.token }));
    expect(balances.value.me.wallets[0]!.balance.available.amount).toBe('100.00');
    expect(balances.ms).toBeLessThan(PROMPT_MS);
    const history = await timed(() => track(t.request(MyHistory, { walletId: alice.walletId }, { token: alice.token })));
    expectUnavailable(history.value, 'transactions');
    expect(history.ms).toBeLessThan(PROMPT_MS);

    // Many at once, as clients do: each answered, none left hanging on the pool.
    const burst = await timed(() =>
      Promise.all([
        ...Array.from({ length: 6 }, () => track(t.request(MyHistory, { walletId: alice.walletId }, { token: alice.token }))),
        ...Array.from({ length: 4 }, (_, i) => track(send(t, alice, bob, `0.0${i + 1}`))),
      ]),
    );
    burst.value.forEach((r, i) => expectUnavailable(r, `concurrent request ${i}`));
    expect(burst.ms).toBeLessThan(PROMPT_MS);

    // A subscription needs the database to start (the wallet is read): the operation fails with
    // SERVICE_UNAVAILABLE, and the connection stays usable.
    const client = connectWs(t.wsUrl, `Bearer ${alice.token}`);
    clients.push(client);
    const sub = client.subscribe(WalletUpdated, { walletId: alice.walletId }) as TestSubscription<WalletEvent>;
    const subscribed = await timed(() =>
      eventually(
        async () => sub.results.length,
        (n) => n > 0,
        'the subscription to be answered',
        PROMPT_MS,
      ),
    );
    // graphql-ws: one `next` carrying the error (then `complete`).
    expect(sub.results).toEqual([
      {
        errors: [
          expect.objectContaining({
            path: ['walletUpdated'],
            extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: expect.any(Number) },
          }),
        ],
      },
    ]);
    expect(subscribed.ms).toBeLessThan(PROMPT_MS);
    expect(client.connections()).toBe(1);

    // Readiness says so; liveness stays up and reports it.
    const ready = await timed(() => getJson(`${t.origin}/readyz`));
    expect(ready.value.status).toBe(503);
    expect(ready.value.body).toMatchObject({ status: 'not ready', database: expect.stringMatching(/^unreachable: /) });
    expect(ready.ms).toBeLessThan(PROMPT_MS);
    const health = await getJson(`${t.origin}/healthz`);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', database: expect.stringMatching(/^unreachable: /) });
    // What needs no database is still served.
    const typename = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(typename.status).toBe(200);
    expect(await typename.json()).toEqual({ data: { __typename: 'Query' } });

    await restoreDatabase();
    const back = await recovered(alice);
    expect(
      (back.body.data as { me: { wallets: { balance: { available: { amount: string } } }[] } }).me.wallets[0]!.balance.available.amount,
    ).toBe('100.00');
    const readyAgain = await eventually(
      () => getJson(`${t.origin}/readyz`),
      (r) => r.status === 200,
      'readiness after the database returned',
    );
    expect(readyAgain.body).toMatchObject({ status: 'ready', database: 'ok' });
    // Nothing refused during the outage moved any money; the connection subscribes normally again.
    expect(await postedOf(t, alice)).toBe('100.00');
    expect(await postedOf(t, bob)).toBe('0.00');
    const again = client.subscribe(WalletUpdated, { walletId: alice.walletId, afterSequence: '0' }) as TestSubscription<WalletEvent>;
    const replayed = await again.next((d) => String(d.walletUpdated.sequence) === '1');
    expect(replayed.walletUpdated.balanceAfter.amount).toBe('100.00');
    expect(client.connections()).toBe(1);
  });

  it('a sendMoney refused during the outage, retried with the same idempotencyKey, moves the money exactly once', async () => {
    const alice = await signUpUser(t, { label: 'dbretry-alice' });
    const bob = await signUpUser(t, { label: 'dbretry-bob' });
    await credit(t, adminToken, alice.walletId, '50.00');
    const key = randomUUID();

    await cutDatabase();
    expectUnavailable(await track(send(t, alice, bob, '7.50', key)), 'sendMoney during the outage');
    expectUnavailable(await track(send(t, alice, bob, '7.50', key)), 'its retry during the outage');
    await restoreDatabase();
    await recovered(alice);

    // Once the database is back, the retry is answered at once.
    const { payload: first, attempts } = await sendUntilAnswered(alice, bob, '7.50', key);
    expect(attempts).toBe(1);
    expect(first.transfer!.amount.amount).toBe('7.50');
    expect(first.senderWallet!.balance.posted.amount).toBe('42.50');
    // Retried again: the same transfer, nothing moved.
    const replay = await sendOk(t, alice, bob, '7.50', key);
    expect(replay.transfer!.id).toBe(first.transfer!.id);
    expect(replay.senderWallet!.balance.posted.amount).toBe('42.50');

    expect(await postedOf(t, alice)).toBe('42.50');
    expect(await postedOf(t, bob)).toBe('7.50');
    const aliceHistory = await historyOf(t, alice);
    expect(aliceHistory.map((n) => `${n.type} ${n.direction} ${n.amount.amount}`)).toEqual([
      'P2P_TRANSFER OUT 7.50',
      'ADJUSTMENT IN 50.00',
    ]);
    expect(aliceHistory[0]!.id).toBe(first.transfer!.id);
    expect((await historyOf(t, bob)).map((n) => `${n.type} ${n.direction} ${n.amount.amount}`)).toEqual(['P2P_TRANSFER IN 7.50']);
    expect(await ledgerRowsForKey(t, key)).toBe(1);
    await expectLedgerConsistent(t);
  });

  it('a live event that cannot be read whole ends its subscription with SERVICE_UNAVAILABLE, never a hole in the stream', async () => {
    const alice = await signUpUser(t, { label: 'dbdown-event' });
    await credit(t, adminToken, alice.walletId, '5.00');
    const client = connectWs(t.wsUrl, `Bearer ${alice.token}`);
    clients.push(client);
    const sub = client.subscribe(WalletUpdated, { walletId: alice.walletId, afterSequence: '0' }) as TestSubscription<WalletEvent>;
    const first = await sub.next((d) => String(d.walletUpdated.sequence) === '1', 5_000);
    const walletUuid = decodeId(alice.walletId, 'Wallet');
    // The feed is live; the database goes away; the next change's event arrives (as one published
    // just before the cut would): its `transaction` field cannot be read.
    await eventually(
      async () => t.server.pubsub.subscriptionCount(),
      (n) => n > 0,
      'the subscription to be live',
    );
    await cutDatabase();
    await t.server.pubsub.publish(`wallet.${walletUuid}`, {
      walletId: walletUuid,
      sequence: 2,
      transactionId: decodeId(first.walletUpdated.transaction.id, 'Transaction'),
      postedBalance: '600',
      heldAmount: '0',
      currency: 'USD',
    });
    const errors = await sub.errors(5_000);
    expect(errors).toEqual([
      expect.objectContaining({ extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: expect.any(Number) } }),
    ]);
    // No event with a hole was sent: only the first, whole one.
    expect(sub.results.map((r) => [r.data?.walletUpdated.sequence, r.errors])).toEqual([['1', undefined]]);

    // Back: resubscribing from the last sequence seen continues the stream.
    await restoreDatabase();
    await recovered(alice);
    const resumed = client.subscribe(WalletUpdated, { walletId: alice.walletId, afterSequence: '1' }) as TestSubscription<WalletEvent>;
    await eventually(
      async () => t.server.pubsub.subscriptionCount(),
      (n) => n > 0,
      'the resumed subscription to be live',
    );
    await credit(t, adminToken, alice.walletId, '1.00');
    const next = await resumed.next((d) => String(d.walletUpdated.sequence) === '2', 5_000);
    expect(next.walletUpdated.balanceAfter.amount).toBe('6.00');
  });

  it('transfers in flight when the database went away: each, retried with its key, moves money exactly once', async () => {
    const alice = await signUpUser(t, { label: 'dbflight-alice' });
    const bob = await signUpUser(t, { label: 'dbflight-bob' });
    await credit(t, adminToken, alice.walletId, '100.00');
    const transfers = Array.from({ length: 16 }, (_, i) => ({ key: randomUUID(), amount: `1.${String(i + 1).padStart(2, '0')}` }));
    const totalCents = transfers.reduce((sum, x) => sum + Math.round(Number(x.amount) * 100), 0); // 17.36

    // A stream of transfers, four at a time; the database goes away once four have been answered,
    // with the next ones in flight (waiting for a connection, posting, or committing); the rest
    // are sent during the outage.
    const CONCURRENCY = 4;
    const CUT_AFTER = 4;
    const answers: { res: Response; startedAt: number; endedAt: number }[] = [];
    let cutAt = Infinity;
    let cutting: Promise<void> | undefined;
    let next = 0;
    let succeeded = 0;
    const worker = async () => {
      while (next < transfers.length) {
        const i = next++;
        const startedAt = Date.now();
        const res = await track(send(t, alice, bob, transfers[i]!.amount, transfers[i]!.key));
        answers[i] = { res, startedAt, endedAt: Date.now() };
        if (res.status === 200 && ++succeeded === CUT_AFTER) {
          cutAt = Date.now();
          cutting = cutDatabase();
        }
      }
    };
    const streamed = await timed(() => Promise.all(Array.from({ length: CONCURRENCY }, worker)));
    await cutting;
    expect(streamed.ms).toBeLessThan(PROMPT_MS);
    expect(cutAt).toBeLessThan(Infinity);

    const answeredIds = new Map<string, string>();
    const unavailableKeys: string[] = [];
    answers.forEach(({ res }, i) => {
      if (res.status === 503) {
        expectUnavailable(res, `transfer ${i}`);
        unavailableKeys.push(transfers[i]!.key);
      } else {
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body.errors).toBeUndefined();
        const payload = (res.body.data as { sendMoney: Sent }).sendMoney;
        expect(payload.userErrors).toEqual([]);
        answeredIds.set(transfers[i]!.key, payload.transfer!.id);
      }
    });
    // Transfers were caught in flight by the cut, and the outage refused some.
    const inFlightAtCut = answers.filter((a) => a.startedAt <= cutAt && a.endedAt >= cutAt).length;
    expect(inFlightAtCut).toBeGreaterThan(0);
    expect(unavailableKeys.length).toBeGreaterThan(0);
    expect(answeredIds.size).toBeGreaterThanOrEqual(CUT_AFTER);

    await restoreDatabase();
    await recovered(alice);
    // Refused ones whose money had nevertheless moved (their commit's answer was lost), for the report.
    let committedDespiteRefusal = 0;
    for (const key of unavailableKeys) committedDespiteRefusal += await ledgerRowsForKey(t, key);

    // Every transfer retried with its key: each answered with one transfer, the same one as
    // before for those that had been answered.
    const retried = await Promise.all(transfers.map((x) => sendUntilAnswered(alice, bob, x.amount, x.key)));
    const ids = retried.map((r) => r.payload.transfer!.id);
    expect(new Set(ids).size).toBe(transfers.length);
    transfers.forEach((x, i) => {
      expect(retried[i]!.payload.transfer!.amount.amount).toBe(x.amount);
      if (answeredIds.has(x.key)) expect(ids[i]).toBe(answeredIds.get(x.key));
    });
    console.info(
      `[degraded] in flight: ${answeredIds.size} answered, ${unavailableKeys.length} SERVICE_UNAVAILABLE (${committedDespiteRefusal} of them committed nonetheless), ` +
        `${inFlightAtCut} in flight at the cut; attempts per retry: ${retried.map((r) => r.attempts).join(',')}`,
    );
    // And once more, all at once: the same answers, nothing moved.
    const again = await Promise.all(transfers.map((x) => sendOk(t, alice, bob, x.amount, x.key)));
    expect(again.map((p) => p.transfer!.id)).toEqual(ids);

    for (const x of transfers) expect(await ledgerRowsForKey(t, x.key), x.key).toBe(1);
    const cents = (amount: string) => Math.round(Number(amount) * 100);
    const alicePosted = cents(await postedOf(t, alice));
    const bobPosted = cents(await postedOf(t, bob));
    expect(alicePosted).toBe(100_00 - totalCents);
    expect(bobPosted).toBe(totalCents);
    expect(alicePosted + bobPosted).toBe(100_00);
    const aliceHistory = await historyOf(t, alice);
    expect(aliceHistory).toHaveLength(1 + transfers.length);
    expect(new Set(aliceHistory.filter((n) => n.type === 'P2P_TRANSFER').map((n) => n.id))).toEqual(new Set(ids));
    expect(await historyOf(t, bob)).toHaveLength(transfers.length);
    await expectLedgerConsistent(t);
  });
});

// ---------------------------------------------------------------------------------------------

describe.runIf(usingRedis)('redis unavailable', () => {
  let redis: RedisProcess;
  let t: TestServer;
  let adminToken: string;
  const log = captureLog('degraded-redis');
  const responses: Response[] = [];
  const clients: TestWsClient[] = [];
  const servers: TestServer[] = [];

  const track = async (res: Promise<Response>) => {
    const r = await res;
    responses.push(r);
    return r;
  };
  const connect = (server: TestServer, user: TestUser) => {
    const client = connectWs(server.wsUrl, `Bearer ${user.token}`);
    clients.push(client);
    return client;
  };
  const subscribeWallet = (client: TestWsClient, user: TestUser, afterSequence?: string) =>
    client.subscribe(WalletUpdated, {
      walletId: user.walletId,
      ...(afterSequence === undefined ? {} : { afterSequence }),
    }) as TestSubscription<WalletEvent>;
  /** Waits until the server holds `n` client subscriptions on its pub/sub (acknowledged by Redis when it is up). */
  const listeners = (server: TestServer, n: number) =>
    eventually(
      async () => server.server.pubsub.subscriptionCount(),
      (c) => c === n,
      `${n} pub/sub subscriptions`,
      10_000,
    );
  const readyz = (server: TestServer) => getJson(`${server.origin}/readyz`);
  const isDegraded = (r: Awaited<ReturnType<typeof readyz>>) => r.status === 200 && r.body.status === 'degraded';
  const DEGRADED = { status: 'degraded', database: 'ok', redis: expect.stringMatching(/^degraded: /) };

  beforeAll(async () => {
    redis = await RedisProcess.start();
    t = await startTestServer({ REDIS_URL: redis.url, ...WITH_ADMIN, ...RELAY }, { log: log.logger });
    adminToken = await signInAdmin(t, ADMIN);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    for (const server of servers.splice(0)) await server.stop();
    if (!redis.running) await redis.start();
    expect(responses.filter((r) => r.status >= 500).map((r) => r.body)).toEqual([]);
    expect(responses.flatMap(codesOf)).not.toContain('INTERNAL');
    expect(log.errors()).toEqual([]);
    responses.length = 0;
    log.lines.length = 0;
  });
  afterAll(async () => {
    for (const server of servers.splice(0)) await server.stop();
    await t?.stop();
    await redis?.kill();
  });

  it('serves every request while Redis is down; walletUpdated subscribers then receive every missed change exactly once, in order', async () => {
    const alice = await signUpUser(t, { label: 'redisdown-alice' });
    const bob = await signUpUser(t, { label: 'redisdown-bob' });
    await credit(t, adminToken, alice.walletId, '100.00'); // Alice's sequence 1

    const aliceSub = subscribeWallet(connect(t, alice), alice, '1');
    const bobSub = subscribeWallet(connect(t, bob), bob, '0');
    await listeners(t, 2);
    const before = await sendOk(t, alice, bob, '1.00');
    await aliceSub.next((d) => String(d.walletUpdated.sequence) === '2');
    await bobSub.next((d) => String(d.walletUpdated.sequence) === '1');

    await redis.kill();
    const down = await eventually(() => readyz(t), isDegraded, '/readyz to say degraded', 10_000);
    expect(down.body).toEqual(DEGRADED);
    const health = await getJson(`${t.origin}/healthz`);
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok', database: 'ok', redis: expect.stringMatching(/^degraded: /) });

    // Money moves, queries answer.
    const during: Sent[] = [];
    for (const amount of ['2.00', '3.00', '4.00']) {
      const res = await track(send(t, alice, bob, amount));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const payload = (res.body.data as { sendMoney: Sent }).sendMoney;
      expect(payload.userErrors).toEqual([]);
      during.push(payload);
    }
    expect(during.map((p) => p.senderWallet!.balance.posted.amount)).toEqual(['97.00', '94.00', '90.00']);
    const mine = await track(t.request(MyBalances, {}, { token: alice.token }));
    expect(mine.status).toBe(200);
    expect(
      (mine.body.data as { me: { wallets: { balance: { available: { amount: string } } }[] } }).me.wallets[0]!.balance.available.amount,
    ).toBe('90.00');
    expect(await postedOf(t, bob)).toBe('10.00');
    expect(await historyOf(t, alice)).toHaveLength(5);

    // The events wait in the outbox, and /metrics says so.
    const pending = await outboxRows(t);
    expect(pending).toBeGreaterThanOrEqual(3);
    const metricsDown = await scrape(t);
    expect(sample(metricsDown, 'wallet_dependency_up', '{dependency="redis"}')).toBe(0);
    expect(sample(metricsDown, 'wallet_dependency_up', '{dependency="database"}')).toBe(1);
    expect(sample(metricsDown, 'wallet_outbox_pending_events')).toBe(pending);

    // A subscriber arriving now is served its replay from the ledger.
    const lateSub = subscribeWallet(connect(t, alice), alice, '1');
    await lateSub.next((d) => String(d.walletUpdated.sequence) === '5');
    // Nothing published meanwhile reached the subscribers from before the outage (the relay runs
    // every 100 ms, and waits).
    await sleep(1_000);
    expect(sequencesOf(aliceSub)).toEqual(['2']);
    expect(sequencesOf(bobSub)).toEqual(['1']);
    expect(await outboxRows(t)).toBe(pending);

    await redis.start();
    const restartedAt = Date.now();
    await aliceSub.next((d) => String(d.walletUpdated.sequence) === '5', CATCH_UP_MS);
    await bobSub.next((d) => String(d.walletUpdated.sequence) === '4', CATCH_UP_MS);
    const caughtUpMs = Date.now() - restartedAt;
    expect(caughtUpMs).toBeLessThan(CATCH_UP_MS);
    // The relay publishes what waited (which the subscribers, already caught up, must drop).
    await eventually(
      () => outboxRows(t),
      (n) => n === 0,
      'the outbox to be emptied',
      10_000,
    );
    await sleep(500);

    const ids = [before, ...during].map((p) => p.transfer!.id);
    const events = (sub: TestSubscription<WalletEvent>) =>
      sub.results.map(
        (r) =>
          `${String(r.data!.walletUpdated.sequence)} ${r.data!.walletUpdated.balanceAfter.amount} ${r.data!.walletUpdated.transaction.id}`,
      );
    expect(sequencesOf(aliceSub)).toEqual(['2', '3', '4', '5']);
    expect(events(aliceSub)).toEqual([`2 99.00 ${ids[0]}`, `3 97.00 ${ids[1]}`, `4 94.00 ${ids[2]}`, `5 90.00 ${ids[3]}`]);
    expect(sequencesOf(bobSub)).toEqual(['1', '2', '3', '4']);
    expect(events(bobSub).map((e) => e.split(' ').slice(0, 2).join(' '))).toEqual(['1 1.00', '2 3.00', '3 6.00', '4 10.00']);
    expect(bobSub.results.map((r) => decodeId(r.data!.walletUpdated.transaction.id, 'Transaction'))).toEqual(
      ids.map((id) => decodeId(id, 'Transaction')),
    );
    expect(sequencesOf(lateSub)).toEqual(['2', '3', '4', '5']);

    // Back to normal: ready, metrics, and live events through Redis again.
    const ready = await eventually(
      () => readyz(t),
      (r) => r.status === 200 && r.body.status === 'ready',
      '/readyz to say ready',
      10_000,
    );
    expect(ready.body).toEqual({ status: 'ready', database: 'ok', redis: 'ok' });
    const metricsUp = await scrape(t);
    expect(sample(metricsUp, 'wallet_dependency_up', '{dependency="redis"}')).toBe(1);
    expect(sample(metricsUp, 'wallet_outbox_pending_events')).toBe(0);
    await sendOk(t, alice, bob, '0.50');
    const live = await aliceSub.next((d) => String(d.walletUpdated.sequence) === '6');
    expect(live.walletUpdated.balanceAfter.amount).toBe('89.50');
    expect(sequencesOf(aliceSub)).toEqual(['2', '3', '4', '5', '6']);
    console.info(`[degraded] subscribers caught up ${caughtUpMs} ms after Redis restarted (${pending} events had waited)`);
  });

  it('still enforces RATE_LIMIT_USER, in process, while Redis is down', async () => {
    // Burst 5, then one token every 2 s.
    const limited = await startTestServer({ REDIS_URL: redis.url, RATE_LIMIT_USER: '0.5/5' }, { log: log.logger });
    servers.push(limited);
    const signUp = async () => {
      const { signUp } = await limited.query(SignUp, {
        input: { email: uniqueEmail('ratelimit'), password: STRONG_PASSWORD, displayName: 'Rate Limited' },
      });
      expect(signUp.userErrors).toEqual([]);
      return signUp.tokens!.accessToken;
    };
    // Sign-up is not counted against the user's bucket: both start the outage with a full one.
    const carol = await signUp();
    const dave = await signUp();

    await redis.kill();
    await eventually(() => readyz(limited), isDegraded, '/readyz to say degraded', 10_000);

    const me = (token: string) => track(limited.request(Me, {}, { token }));
    const burst = await Promise.all(Array.from({ length: 6 }, () => me(carol)));
    expect(burst.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 429]);
    for (const r of burst.filter((r) => r.status === 200)) expect(r.body.errors).toBeUndefined();
    const refused = burst.find((r) => r.status === 429)!;
    expect(refused.body.errors?.map((e) => e.extensions?.code)).toEqual(['RATE_LIMITED']);
    const retryAfter = refused.body.errors![0]!.extensions!.retryAfterSeconds as number;
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(2);
    expect(refused.headers.get('retry-after')).toBe(String(retryAfter));

    // Per user: Dave has his own bucket.
    expect((await me(dave)).status).toBe(200);
    // Tokens come back at the configured rate: one after 2 s, not two.
    await sleep(2_100);
    expect((await me(carol)).status).toBe(200);
    expect((await me(carol)).status).toBe(429);
  });

  it('a server started while Redis is down serves (degraded), and takes Redis into use once it answers', async () => {
    await redis.kill();
    const { value: started, ms: startMs } = await timed(() =>
      startTestServer({ REDIS_URL: redis.url, ...WITH_ADMIN, ...RELAY, RATE_LIMIT_USER: '1000/10000' }, { log: log.logger }),
    );
    servers.push(started);
    expect(startMs).toBeLessThan(15_000);
    const down = await readyz(started);
    expect(down.status).toBe(200);
    expect(down.body).toEqual(DEGRADED);

    const admin = await signInAdmin(started, ADMIN);
    const alice = await signUpUser(started, { label: 'coldstart-alice' });
    const bob = await signUpUser(started, { label: 'coldstart-bob' });
    await credit(started, admin, alice.walletId, '20.00');
    const first = await sendOk(started, alice, bob, '5.00');
    expect(first.senderWallet!.balance.posted.amount).toBe('15.00');
    expect((await started.query(MyBalances, {}, { token: alice.token })).me.wallets[0]!.balance.available.amount).toBe('15.00');
    expect(await outboxRows(started)).toBeGreaterThanOrEqual(2);
    expect(sample(await scrape(started), 'wallet_dependency_up', '{dependency="redis"}')).toBe(0);

    // Subscribed while down: the replay comes from the ledger.
    const sub = subscribeWallet(connect(started, alice), alice, '0');
    await sub.next((d) => String(d.walletUpdated.sequence) === '2');

    await redis.start();
    const ready = await eventually(
      () => readyz(started),
      (r) => r.status === 200 && r.body.status === 'ready',
      '/readyz to say ready',
      CATCH_UP_MS,
    );
    expect(ready.body).toEqual({ status: 'ready', database: 'ok', redis: 'ok' });
    await eventually(
      () => outboxRows(started),
      (n) => n === 0,
      'the outbox to be emptied through Redis',
      10_000,
    );

    // Live events now travel through Redis.
    const second = await sendOk(started, alice, bob, '1.00');
    const live = await sub.next((d) => String(d.walletUpdated.sequence) === '3', 10_000);
    expect(live.walletUpdated.transaction.id).toBe(second.transfer!.id);
    expect(live.walletUpdated.balanceAfter.amount).toBe('14.00');
    await sleep(300);
    expect(sequencesOf(sub)).toEqual(['1', '2', '3']);

    // Redis holds this server's state: the subscription's channel, and its heartbeat among the
    // processes sharing the rate limits.
    await started.query(Me, {}, { token: alice.token });
    const inspect = new Redis(redis.url);
    try {
      const prefix = started.config.REDIS_PREFIX;
      const channels = (await inspect.pubsub('CHANNELS', `${prefix}*`)) as string[];
      expect(channels).toContain(`${prefix}wallet.${decodeId(alice.walletId, 'Wallet')}`);
      // (Beaten every 2 s, from the first beat after Redis answered.)
      await eventually(
        () => inspect.zcard(`${prefix}rate-processes`),
        (n) => n === 1,
        'the rate-limit heartbeat',
        5_000,
      );
    } finally {
      inspect.disconnect();
    }
  });
});
