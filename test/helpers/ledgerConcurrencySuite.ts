// The ledger under concurrent load, through the real API: many clients moving money at once
// never create or destroy money, never overdraw a wallet, never deadlock into an error a client
// sees, and never move money twice for one idempotency key. Every test ends with the full ledger
// audit. On embedded PGlite (one transaction at a time) the loops are shorter; the assertions
// are the same. Defined once here and run by test/api/ledgerConcurrency*.test.ts with different
// write-path settings (the default group commit, and batching forced wide open).
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { expectLedgerConsistent } from './ledger.js';
import { usingPostgres } from './testDatabase.js';
import { startTestServer, STRONG_PASSWORD, uniqueEmail, type TestServer } from './testServer.js';
import { decodeId } from './globalIds.js';

const ADMIN_EMAIL = 'ledger.root@example.com';
const ADMIN_PASSWORD = 'concurrency-Admin-2026!';
/** Loops are this much shorter on embedded PGlite, which runs one transaction at a time. */
const SCALE = usingPostgres ? 1 : 0.3;

const SignUp = graphql(`
  mutation LedgerConcSignUp($input: SignUpInput!) {
    signUp(input: $input) {
      user { id wallets { id currency } }
      tokens { accessToken }
      userErrors { code }
    }
  }
`);

const SignIn = graphql(`
  mutation LedgerConcSignIn($input: SignInInput!) {
    signIn(input: $input) { tokens { accessToken } userErrors { code } }
  }
`);

const Adjust = graphql(`
  mutation LedgerConcAdjust($input: AdminAdjustBalanceInput!) {
    adminAdjustBalance(input: $input) {
      wallet { balance { posted { amount } } }
      userErrors { code message }
    }
  }
`);

const Send = graphql(`
  mutation LedgerConcSend($input: SendMoneyInput!) {
    sendMoney(input: $input) {
      transfer { id status direction amount { amount currency } balanceAfter { amount } }
      senderWallet { balance { posted { amount } available { amount } } }
      userErrors { code field message }
    }
  }
`);

const WalletBalance = graphql(`
  query LedgerConcWallet($id: ID!) {
    wallet(id: $id) { sequence balance { posted { amount } } }
  }
`);

interface Account {
  userId: string;
  token: string;
  email: string;
  /** Global ID. */
  walletId: string;
  /** Database id. */
  walletUuid: string;
}

/** Registers the concurrency tests against a server started with these settings. */
export function ledgerConcurrencySuite(settings: Record<string, string> = {}, options: { expectSharedCalls?: boolean } = {}): void {
  let t: TestServer;
  let adminToken: string;

  beforeAll(async () => {
    t = await startTestServer({ BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL, BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD, ...settings });
    const { signIn } = await t.query(SignIn, { input: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
    expect(signIn.userErrors).toEqual([]);
    adminToken = signIn.tokens!.accessToken;
  });
  afterAll(async () => t?.stop());
  // The audit after every test: whatever a test did, the ledger must still add up.
  afterEach(async () => {
    if (t) await expectLedgerConsistent(t);
  });

  /** Minor units (cents) as the API's decimal string. */
  function usd(cents: number): string {
    return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
  }

  function cents(amount: string): number {
    const [whole, fraction = ''] = amount.split('.');
    return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  }

  async function signUp(label: string): Promise<Account> {
    const email = uniqueEmail(label);
    const { signUp } = await t.query(SignUp, { input: { email, password: STRONG_PASSWORD, displayName: `Ledger ${label}` } });
    expect(signUp.userErrors).toEqual([]);
    const wallet = signUp.user!.wallets.find((w) => w.currency === 'USD')!;
    return {
      userId: signUp.user!.id,
      token: signUp.tokens!.accessToken,
      email,
      walletId: wallet.id,
      walletUuid: decodeId(wallet.id, 'Wallet'),
    };
  }

  async function fund(account: Account, amountCents: number): Promise<void> {
    const { adminAdjustBalance } = await t.query(
      Adjust,
      {
        input: {
          walletId: account.walletId,
          amount: { amount: usd(amountCents), currency: 'USD' },
          direction: 'CREDIT',
          reason: 'concurrency test funding',
          idempotencyKey: randomUUID(),
        },
      },
      { token: adminToken },
    );
    expect(adminAdjustBalance.userErrors).toEqual([]);
  }

  /** Posted balance in cents, read through the API. */
  async function balanceOf(account: Account): Promise<number> {
    const { wallet } = await t.query(WalletBalance, { id: account.walletId }, { token: account.token });
    return cents(wallet.balance.posted.amount);
  }

  type SendOutcome =
    /** postedAfter: the sender's balance right after this transfer (its ledger entry). */
    | { kind: 'ok'; transferId: string; amount: string; postedAfter: number }
    | { kind: 'refused'; code: string }
    /** Anything a client should never see: an HTTP error, GraphQL errors, a malformed payload. */
    | { kind: 'broken'; detail: string };

  async function send(
    from: Account,
    to: Account,
    amountCents: number,
    options: { key?: string; byEmail?: boolean } = {},
  ): Promise<SendOutcome> {
    let res: { status: number; body: unknown };
    try {
      res = await t.request(
        Send,
        {
          input: {
            recipient: options.byEmail ? { email: to.email } : { walletId: to.walletId },
            amount: { amount: usd(amountCents), currency: 'USD' },
            idempotencyKey: options.key ?? randomUUID(),
          },
        },
        { token: from.token },
      );
    } catch (err) {
      return { kind: 'broken', detail: `request failed: ${(err as Error).message}` };
    }
    const body = res.body as {
      data?: {
        sendMoney: {
          transfer: {
            id: string;
            status: string;
            direction: string;
            amount: { amount: string };
            balanceAfter: { amount: string } | null;
          } | null;
          senderWallet: { balance: { posted: { amount: string } } } | null;
          userErrors: { code: string }[];
        };
      };
      errors?: unknown[];
    };
    if (res.status !== 200 || body.errors?.length || !body.data) {
      return { kind: 'broken', detail: `HTTP ${res.status}: ${JSON.stringify(body)}` };
    }
    const payload = body.data.sendMoney;
    if (payload.userErrors.length) {
      if (payload.transfer || payload.userErrors.length !== 1) return { kind: 'broken', detail: JSON.stringify(payload) };
      return { kind: 'refused', code: payload.userErrors[0]!.code };
    }
    if (
      !payload.transfer?.balanceAfter ||
      !payload.senderWallet ||
      payload.transfer.status !== 'POSTED' ||
      payload.transfer.direction !== 'OUT'
    ) {
      return { kind: 'broken', detail: JSON.stringify(payload) };
    }
    return {
      kind: 'ok',
      transferId: decodeId(payload.transfer.id, 'Transaction'),
      amount: payload.transfer.amount.amount,
      postedAfter: cents(payload.transfer.balanceAfter.amount),
    };
  }

  function randomInt(min: number, max: number): number {
    return min + Math.floor(Math.random() * (max - min + 1));
  }

  describe('many clients moving money at once', () => {
    it('keeps the bank balanced: no money created or lost, no overdraft, every answer true to the ledger', async () => {
      const WALLETS = 20;
      const CLIENTS = usingPostgres ? 50 : 20;
      const ATTEMPTS = Math.round(1500 * SCALE);

      const accounts: Account[] = [];
      for (let i = 0; i < WALLETS; i++) accounts.push(await signUp(`bank${i}`));
      const funding = accounts.map(() => randomInt(50_00, 200_00));
      await Promise.all(accounts.map((a, i) => fund(a, funding[i]!)));
      const totalFunding = funding.reduce((a, b) => a + b, 0);

      // What the clients learn from the answers alone; compared with the ledger at the end.
      const expected = [...funding];
      const succeeded: { transferId: string; from: number; to: number; amount: number }[] = [];
      const refusals = new Map<string, number>();
      const broken: string[] = [];
      let started = 0;

      async function client() {
        while (started < ATTEMPTS) {
          started += 1;
          const from = randomInt(0, WALLETS - 1);
          let to = randomInt(0, WALLETS - 2);
          if (to >= from) to += 1;
          // Mostly affordable amounts, some far beyond any balance, a few of exactly one cent.
          const roll = Math.random();
          const amount = roll < 0.05 ? 1 : roll < 0.75 ? randomInt(1, 30_00) : randomInt(30_00, 400_00);
          const outcome = await send(accounts[from]!, accounts[to]!, amount, { byEmail: Math.random() < 0.2 });
          if (outcome.kind === 'broken') broken.push(outcome.detail);
          else if (outcome.kind === 'refused') refusals.set(outcome.code, (refusals.get(outcome.code) ?? 0) + 1);
          else {
            if (cents(outcome.amount) !== amount) broken.push(`transfer of ${amount} answered with amount ${outcome.amount}`);
            if (outcome.postedAfter < 0) broken.push(`negative balance in an answer: ${outcome.postedAfter}`);
            succeeded.push({ transferId: outcome.transferId, from, to, amount });
            expected[from]! -= amount;
            expected[to]! += amount;
          }
        }
      }
      await Promise.all(Array.from({ length: CLIENTS }, client));

      // Nothing but the one expected refusal ever reached a client.
      expect(broken).toEqual([]);
      expect([...refusals.keys()].filter((code) => code !== 'INSUFFICIENT_FUNDS')).toEqual([]);
      expect(succeeded.length + (refusals.get('INSUFFICIENT_FUNDS') ?? 0)).toBe(ATTEMPTS);
      // Both outcomes happened, or the test did not test much.
      expect(succeeded.length).toBeGreaterThan(ATTEMPTS / 10);
      expect(refusals.get('INSUFFICIENT_FUNDS') ?? 0).toBeGreaterThan(0);

      const uuids = accounts.map((a) => a.walletUuid);
      const wallets = await t.server.db.prisma.$queryRaw<{ id: string; posted_balance: bigint; entries: bigint }[]>`
        SELECT w.id::text AS id, w.posted_balance, coalesce(sum(e.amount), 0)::bigint AS entries
        FROM wallets w LEFT JOIN ledger_entries e ON e.wallet_id = w.id
        WHERE w.id = ANY(${uuids}::uuid[]) GROUP BY w.id`;
      const byId = new Map(wallets.map((w) => [w.id, w]));
      expect(wallets).toHaveLength(WALLETS);

      // The total is what was funded: transfers only moved money between the 20 wallets.
      expect(wallets.reduce((sum, w) => sum + Number(w.posted_balance), 0)).toBe(totalFunding);
      for (const [i, account] of accounts.entries()) {
        const row = byId.get(account.walletUuid)!;
        expect(Number(row.posted_balance), `wallet ${i} not negative`).toBeGreaterThanOrEqual(0);
        expect(row.posted_balance, `wallet ${i} equals the sum of its entries`).toBe(row.entries);
        // Exactly the balance the clients' successful answers add up to: no lost or phantom transfer.
        expect(Number(row.posted_balance), `wallet ${i} as the answers say`).toBe(expected[i]);
      }
      // And the API reads the same balances.
      expect(await Promise.all(accounts.map(balanceOf))).toEqual(expected);

      // Every transaction sums to zero, and the P2P transfers in the ledger are exactly those
      // the clients were told succeeded (same ids, amounts and wallets).
      const unbalanced = await t.server.db.prisma.$queryRaw<{ transaction_id: string }[]>`
        SELECT transaction_id::text FROM ledger_entries GROUP BY transaction_id HAVING sum(amount) <> 0`;
      expect(unbalanced).toEqual([]);
      const transfers = await t.server.db.prisma.$queryRaw<{ id: string; amount: bigint; from_id: string; to_id: string }[]>`
        SELECT id::text AS id, amount, from_wallet_id::text AS from_id, to_wallet_id::text AS to_id
        FROM ledger_transactions WHERE type = 'P2P_TRANSFER' AND from_wallet_id = ANY(${uuids}::uuid[])`;
      const inLedger = new Map(transfers.map((tx) => [tx.id, tx]));
      expect(inLedger.size).toBe(succeeded.length);
      for (const s of succeeded) {
        const tx = inLedger.get(s.transferId);
        expect(tx, `transfer ${s.transferId} exists`).toBeDefined();
        expect({ amount: Number(tx!.amount), from: tx!.from_id, to: tx!.to_id }).toEqual({
          amount: s.amount,
          from: accounts[s.from]!.walletUuid,
          to: accounts[s.to]!.walletUuid,
        });
      }
      if (options.expectSharedCalls) {
        // Transfers posted by one call share its database transaction, hence its start time.
        const [calls] = await t.server.db.prisma.$queryRaw<{ keys: bigint; calls: bigint }[]>`
          SELECT count(*) AS keys, count(DISTINCT created_at) AS calls FROM idempotency_keys WHERE operation = 'sendMoney'`;
        expect(Number(calls!.calls), 'posting calls shared by several transfers').toBeLessThan(Number(calls!.keys));
      }
    }, 120_000);

    it('lets exactly ten of a hundred concurrent 1.00 payments through a wallet holding 10.00', async () => {
      const payer = await signUp('payer');
      const payees = [await signUp('payee1'), await signUp('payee2'), await signUp('payee3')];
      await fund(payer, 10_00);

      const outcomes = await Promise.all(
        Array.from({ length: 100 }, (_, i) => send(payer, payees[i % payees.length]!, 1_00, { byEmail: i % 2 === 0 })),
      );
      expect(outcomes.filter((o) => o.kind === 'broken')).toEqual([]);
      const ok = outcomes.filter((o) => o.kind === 'ok');
      const refused = outcomes.filter((o) => o.kind === 'refused');
      expect(ok).toHaveLength(10);
      expect(refused).toHaveLength(90);
      expect(new Set(refused.map((o) => o.code))).toEqual(new Set(['INSUFFICIENT_FUNDS']));
      // Each success saw its own balance step: 9.00, 8.00 ... 0.00, each exactly once.
      expect(ok.map((o) => o.postedAfter).sort((a, b) => a - b)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
      expect(new Set(ok.map((o) => o.transferId)).size).toBe(10);

      expect(await balanceOf(payer)).toBe(0);
      const received = await Promise.all(payees.map(balanceOf));
      expect(received.reduce((a, b) => a + b, 0)).toBe(10_00);
      const [row] = await t.server.db.prisma.$queryRaw<{ posted_balance: bigint; sequence: bigint }[]>`
        SELECT posted_balance, sequence FROM wallets WHERE id = ${payer.walletUuid}::uuid`;
      // One funding entry and ten payments; refusals wrote nothing.
      expect(row).toEqual({ posted_balance: 0n, sequence: 11n });
    });

    it('runs opposite transfers between two wallets in parallel without a deadlock reaching anyone', async () => {
      const a = await signUp('opposite-a');
      const b = await signUp('opposite-b');
      const ROUNDS = Math.max(3, Math.round(25 * SCALE));
      const PAIRS = usingPostgres ? 10 : 5;
      // Enough that B, which loses 1.00 per pair, can afford every transfer to the end.
      const START = 100_00 + ROUNDS * PAIRS * 1_00;
      await fund(a, START);
      await fund(b, START);

      let moved = 0;
      for (let round = 0; round < ROUNDS; round++) {
        // Each pair: A→B and B→A at the same moment, amounts differing so a mix-up shows.
        const outcomes = await Promise.all(
          Array.from({ length: PAIRS }, (_, i) => [
            send(a, b, 1_00 + i, { byEmail: i % 3 === 0 }),
            send(b, a, 2_00 + i, { byEmail: i % 3 === 1 }),
          ]).flat(),
        );
        // Every one of them succeeds: no deadlock, serialization failure or refusal got through.
        expect(
          outcomes.filter((o) => o.kind !== 'ok'),
          `round ${round}`,
        ).toEqual([]);
        moved += PAIRS;
      }
      // A sent (1.00+i) and received (2.00+i) per pair per round: +1.00 each time.
      expect(await balanceOf(a)).toBe(START + moved * 1_00);
      expect(await balanceOf(b)).toBe(START - moved * 1_00);
      const [count] = await t.server.db.prisma.$queryRaw<{ n: bigint }[]>`
        SELECT count(*)::bigint AS n FROM ledger_transactions
        WHERE type = 'P2P_TRANSFER' AND from_wallet_id IN (${a.walletUuid}::uuid, ${b.walletUuid}::uuid)`;
      expect(Number(count!.n)).toBe(moved * 2);
    }, 60_000);
  });

  describe('idempotency under concurrency', () => {
    it('moves money once for twenty identical requests sent at the same time with one key, per key', async () => {
      const payer = await signUp('idem-payer');
      const payee = await signUp('idem-payee');
      await fund(payer, 100_00);
      const KEYS = usingPostgres ? 5 : 2;
      const COPIES = 20;

      // Interleave the copies of every key so they really race each other.
      const keys = Array.from({ length: KEYS }, () => randomUUID());
      const requests = keys.flatMap((key, k) => Array.from({ length: COPIES }, () => ({ key, k })));
      requests.sort(() => Math.random() - 0.5);
      const outcomes = await Promise.all(requests.map(({ key, k }) => send(payer, payee, 3_00 + k, { key }).then((o) => ({ o, k }))));

      expect(outcomes.filter(({ o }) => o.kind !== 'ok')).toEqual([]);
      const idsPerKey = keys.map(
        (_, k) => new Set(outcomes.filter((x) => x.k === k).map(({ o }) => (o as { transferId: string }).transferId)),
      );
      // All copies of one key got the same transfer; different keys, different transfers.
      for (const ids of idsPerKey) expect(ids.size).toBe(1);
      expect(new Set(idsPerKey.map((ids) => [...ids][0])).size).toBe(KEYS);

      const moved = keys.reduce((sum, _, k) => sum + 3_00 + k, 0);
      expect(await balanceOf(payer)).toBe(100_00 - moved);
      expect(await balanceOf(payee)).toBe(moved);
      const rows = await t.server.db.prisma.$queryRaw<{ idempotency_key: string; n: bigint }[]>`
        SELECT idempotency_key, count(*)::bigint AS n FROM ledger_transactions
        WHERE from_wallet_id = ${payer.walletUuid}::uuid AND type = 'P2P_TRANSFER' GROUP BY idempotency_key`;
      expect(rows.map((r) => [r.idempotency_key, Number(r.n)]).sort()).toEqual(keys.map((key) => [key, 1]).sort());

      // A later retry of any key is answered from the record, still without moving money.
      const retry = await send(payer, payee, 3_00, { key: keys[0] });
      expect(retry).toMatchObject({ kind: 'ok', transferId: [...idsPerKey[0]!][0] });
      expect(await balanceOf(payer)).toBe(100_00 - moved);
    });

    it('lets one of several different requests racing for the same key win; the others are told the key is taken', async () => {
      const payer = await signUp('race-payer');
      const payee = await signUp('race-payee');
      await fund(payer, 100_00);
      const key = randomUUID();
      const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => send(payer, payee, (i + 1) * 1_00, { key })));

      const ok = outcomes.flatMap((o, i) => (o.kind === 'ok' ? [{ ...o, cents: (i + 1) * 1_00 }] : []));
      expect(ok).toHaveLength(1);
      expect(outcomes.filter((o) => o.kind !== 'ok')).toEqual(
        Array.from({ length: 9 }, () => ({ kind: 'refused', code: 'IDEMPOTENCY_KEY_REUSED' })),
      );
      expect(await balanceOf(payer)).toBe(100_00 - ok[0]!.cents);
      expect(await balanceOf(payee)).toBe(ok[0]!.cents);
    });
  });
}
