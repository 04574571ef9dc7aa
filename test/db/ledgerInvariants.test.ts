// What the database itself guarantees about the ledger, whatever code (or person) talks to it:
// entries are append-only (WL001); a transaction's entries sum to zero, checked at COMMIT (WL002);
// a user wallet never goes below zero (23514); an entry's currency is its wallet's (23503). Also the
// posting function on a batch where one transfer is refused, and `npm run ledger:audit` as an
// operator runs it (exit 0 on a consistent ledger, 1 on a corrupted one).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.js';
import { createLogger } from '../../src/logger.js';
import { auditLedger } from '../../src/services/ledger/audit.js';
import { withClient } from '../helpers/scratchDatabase.js';
import { createTestDatabase, usingPostgres, type TestDatabase } from '../helpers/testDatabase.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const log = createLogger({ level: 'silent' });

let tdb: TestDatabase;
let db: Database | undefined;

/** Opens (and migrates) the test database; on the embedded one, only one process may hold it. */
async function open(): Promise<Database> {
  db = await openDatabase({
    role: 'owner',
    databaseUrl: tdb.env.DATABASE_URL,
    dataDir: tdb.env.DATA_DIR!,
    poolSize: 3,
    migrateOnStart: true,
    log,
  });
  return db;
}

async function close(): Promise<void> {
  await db?.close();
  db = undefined;
}

const sql = <T extends pg.QueryResultRow = Record<string, unknown>>(text: string, values: unknown[] = []) =>
  withClient(db!.url, async (c) => (await c.query<T>(text, values)).rows);

/** Runs `run`, which must fail, and returns the PostgreSQL error. */
async function sqlError(run: () => Promise<unknown>): Promise<pg.DatabaseError> {
  let result: unknown;
  try {
    result = await run();
  } catch (err) {
    return err as pg.DatabaseError;
  }
  throw new Error(`expected an error, but the statement succeeded: ${JSON.stringify(result)}`);
}

interface Fixture {
  adminId: string;
  users: Record<'a' | 'b' | 'c', { id: string; email: string; wallet: string }>;
  adjustments: string;
}
let fx: Fixture;

interface Request {
  userId: string;
  key: string;
  from: Record<string, string>;
  to: Record<string, string>;
  amount: string;
  type?: string;
  currency?: string;
}

interface PostResult {
  results: (
    | {
        ok: true;
        transactionId: string;
        from: { walletId: string; balanceAfter: string };
        to: { walletId: string; balanceAfter: string };
        replayed?: boolean;
      }
    | { ok: false; code: string; part?: string; facts?: Record<string, unknown>; replayed?: boolean }
  )[];
  events: { id: number; topic: string; payload: Record<string, unknown> }[];
}

async function post(requests: Request[]): Promise<PostResult> {
  const json = requests.map((r) => ({
    userId: r.userId,
    key: r.key,
    operation: 'test',
    hash: `hash:${r.key}:${r.amount}`,
    type: r.type ?? 'P2P_TRANSFER',
    currency: r.currency ?? 'USD',
    amount: r.amount,
    from: r.from,
    to: r.to,
    note: null,
    metadata: {},
    initiatedBy: r.userId,
  }));
  const [row] = await sql<{ result: PostResult }>('SELECT wallet_post_transfers($1::jsonb) AS result', [JSON.stringify(json)]);
  return row!.result;
}

async function balances(): Promise<Record<'a' | 'b' | 'c', string>> {
  const rows = await sql<{ id: string; posted_balance: string }>('SELECT id::text, posted_balance FROM wallets WHERE kind = $1', ['USER']);
  const of = (w: string) => rows.find((r) => r.id === w)!.posted_balance;
  return { a: of(fx.users.a.wallet), b: of(fx.users.b.wallet), c: of(fx.users.c.wallet) };
}

async function counts() {
  const [row] = await sql<{ transactions: string; entries: string; outbox: string }>(`
    SELECT (SELECT count(*) FROM ledger_transactions) AS transactions, (SELECT count(*) FROM ledger_entries) AS entries,
           (SELECT count(*) FROM outbox_events) AS outbox`);
  return { transactions: Number(row!.transactions), entries: Number(row!.entries), outbox: Number(row!.outbox) };
}

const allEntries = () => sql('SELECT * FROM ledger_entries ORDER BY id');

beforeAll(async () => {
  tdb = await createTestDatabase({ migrated: true });
  await open();
  const insertUser = async (email: string, roles: string[]) =>
    (
      await sql<{ id: string }>(
        `INSERT INTO users (email, password_hash, display_name, roles) VALUES ($1, 'not-a-hash', $1, $2::"Role"[]) RETURNING id::text`,
        [email, roles],
      )
    )[0]!.id;
  const adminId = await insertUser('admin@example.com', ['USER', 'ADMIN']);
  const users = {} as Fixture['users'];
  for (const name of ['a', 'b', 'c'] as const) {
    const email = `${name}@example.com`;
    const id = await insertUser(email, ['USER']);
    const [wallet] = await sql<{ id: string }>(
      `INSERT INTO wallets (kind, user_id, currency) VALUES ('USER', $1, 'USD') RETURNING id::text`,
      [id],
    );
    users[name] = { id, email, wallet: wallet!.id };
  }
  const [adjustments] = await sql<{ id: string }>(
    `SELECT id::text FROM wallets WHERE kind = 'SYSTEM' AND system_code = 'ADJUSTMENTS' AND currency = 'USD'`,
  );
  fx = { adminId, users, adjustments: adjustments!.id };

  // $100.00 for a, through the posting function like any adjustment.
  const funded = await post([
    {
      userId: adminId,
      key: 'fund-a',
      type: 'ADJUSTMENT',
      amount: '10000',
      from: { system: 'ADJUSTMENTS' },
      to: { walletId: users.a.wallet },
    },
  ]);
  expect(funded.results[0]).toMatchObject({ ok: true });
});

afterAll(async () => {
  await close();
  await tdb?.drop();
});

describe('ledger_entries are append-only', () => {
  it('refuses UPDATE, DELETE and TRUNCATE with WL001 and keeps every entry', async () => {
    const before = await allEntries();
    expect(before.length).toBeGreaterThan(0);
    const id = (before[0] as { id: string }).id;
    for (const [statement, op] of [
      ['UPDATE ledger_entries SET amount = amount + 1 WHERE id = $1', 'UPDATE'],
      ['UPDATE ledger_entries SET balance_after = 0 WHERE id = $1', 'UPDATE'],
      ['DELETE FROM ledger_entries WHERE id = $1', 'DELETE'],
      ['DELETE FROM ledger_entries', 'DELETE'],
      ['TRUNCATE ledger_entries', 'TRUNCATE'],
    ] as const) {
      const err = await sqlError(() => sql(statement, statement.includes('$1') ? [id] : []));
      expect(err.code, statement).toBe('WL001');
      expect(err.message).toContain(`append-only: ${op} refused`);
    }
    expect(await allEntries()).toEqual(before);
  });
});

describe('ledger transactions balance', () => {
  /** Opens a transaction with one ledger transaction of `amount` from ADJUSTMENTS to a, and the given legs. */
  async function withLegs(client: pg.Client, legs: { wallet: string; amount: number }[]) {
    await client.query('BEGIN');
    const [tx] = (
      await client.query<{ id: string }>(
        `INSERT INTO ledger_transactions (type, status, currency, amount, from_wallet_id, to_wallet_id)
         VALUES ('ADJUSTMENT', 'POSTED', 'USD', 100, $1, $2) RETURNING id::text`,
        [fx.adjustments, fx.users.a.wallet],
      )
    ).rows;
    for (const leg of legs) {
      // Follows the wallet's sequence, so only the balance check can object.
      await client.query(
        `INSERT INTO ledger_entries (transaction_id, wallet_id, currency, amount, balance_after, sequence)
         SELECT $1, w.id, w.currency, $3, w.posted_balance + $3, w.sequence + 1 FROM wallets w WHERE w.id = $2`,
        [tx!.id, leg.wallet, leg.amount],
      );
    }
    return tx!.id;
  }

  it('accepts a lone leg until COMMIT, which fails with WL002 and keeps nothing', async () => {
    const before = await counts();
    for (const legs of [
      [{ wallet: fx.users.a.wallet, amount: 100 }],
      [
        { wallet: fx.users.a.wallet, amount: 100 },
        { wallet: fx.adjustments, amount: -99 },
      ],
    ]) {
      const txId = await withClient(db!.url, async (client) => {
        const id = await withLegs(client, legs);
        // Inside the transaction the legs are there: the check is deferred to COMMIT.
        const { rows } = await client.query('SELECT count(*)::int AS n FROM ledger_entries WHERE transaction_id = $1', [id]);
        expect(rows[0].n).toBe(legs.length);
        const err = await sqlError(() => client.query('COMMIT'));
        expect(err.code).toBe('WL002');
        expect(err.message).toMatch(/unbalanced: USD entries sum to (100|1)\b/);
        return id;
      });
      expect(await sql('SELECT id FROM ledger_transactions WHERE id = $1', [txId])).toEqual([]);
    }
    expect(await counts()).toEqual(before);
  });

  it('lets two legs that sum to zero pass the same check', async () => {
    await withClient(db!.url, async (client) => {
      await withLegs(client, [
        { wallet: fx.users.a.wallet, amount: 100 },
        { wallet: fx.adjustments, amount: -100 },
      ]);
      // Runs the deferred check now instead of at COMMIT; then nothing is kept.
      await client.query('SET CONSTRAINTS ALL IMMEDIATE');
      await client.query('ROLLBACK');
    });
    // And the unbalanced case fails at that same point.
    await withClient(db!.url, async (client) => {
      await withLegs(client, [{ wallet: fx.users.a.wallet, amount: 100 }]);
      const err = await sqlError(() => client.query('SET CONSTRAINTS ALL IMMEDIATE'));
      expect(err.code).toBe('WL002');
      await client.query('ROLLBACK');
    });
  });
});

describe('wallet constraints', () => {
  it('keeps user wallets at or above zero, posted and available (23514); system wallets may go below', async () => {
    const before = await balances();
    const negative = await sqlError(() => sql('UPDATE wallets SET posted_balance = -1 WHERE id = $1', [fx.users.c.wallet]));
    expect(negative.code).toBe('23514');
    // A negative posted balance breaks both checks (posted, and posted - held); either may report it.
    const userChecks = ['wallets_user_posted_not_negative', 'wallets_user_available_not_negative'];
    expect(userChecks).toContain(negative.constraint);
    const overdrawn = await sqlError(() =>
      sql('UPDATE wallets SET posted_balance = posted_balance - 10001 WHERE id = $1', [fx.users.a.wallet]),
    );
    expect(overdrawn.code).toBe('23514');
    expect(userChecks).toContain(overdrawn.constraint);
    const overHeld = await sqlError(() => sql('UPDATE wallets SET held_amount = posted_balance + 1 WHERE id = $1', [fx.users.a.wallet]));
    expect(overHeld.code).toBe('23514');
    expect(overHeld.constraint).toBe('wallets_user_available_not_negative');
    expect(await balances()).toEqual(before);
    const [system] = await sql<{ posted_balance: string }>('SELECT posted_balance FROM wallets WHERE id = $1', [fx.adjustments]);
    expect(BigInt(system!.posted_balance)).toBeLessThan(0n);
  });

  it("names an entry whose wallet or transaction is not there, or whose currency is not its wallet's, in the audit", async () => {
    // No foreign keys check these (decision 42): the server's role cannot write entries at all
    // (below), and the audit finds what an owner writes around the posting function.
    const before = await counts();
    const [tx] = await sql<{ id: string }>('SELECT id::text FROM ledger_transactions LIMIT 1');
    const ROLLBACK = new Error('roll back');
    const problems = await db!.prisma
      .$transaction(async (t) => {
        await t.$executeRawUnsafe(
          `INSERT INTO ledger_entries (transaction_id, wallet_id, currency, amount, balance_after, sequence)
           VALUES ($1::uuid, $2::uuid, 'EUR', 1, 1, 1), (gen_random_uuid(), $2::uuid, 'USD', -1, 0, 2)`,
          tx!.id,
          fx.users.c.wallet,
        );
        const report = await auditLedger(t);
        throw Object.assign(ROLLBACK, { problems: report.problems });
      })
      .catch((err: unknown) => (err === ROLLBACK ? (ROLLBACK as Error & { problems: string[] }).problems : Promise.reject(err)));
    expect(problems.find((p) => p.startsWith('entry whose wallet does not exist or holds another currency'))).toContain(fx.users.c.wallet);
    expect(problems.some((p) => p.startsWith('entry whose transaction does not exist'))).toBe(true);
    expect(await counts()).toEqual(before);
  });
});

describe('transactions and wallets the ledger points at are kept', () => {
  it('refuses deleting, truncating or re-keying them with WL003, whoever asks', async () => {
    const [tx] = await sql<{ id: string }>('SELECT id::text FROM ledger_transactions LIMIT 1');
    const before = await counts();
    for (const [statement, values] of [
      ['DELETE FROM ledger_transactions WHERE id = $1', [tx!.id]],
      ['TRUNCATE ledger_transactions CASCADE', []],
      ['UPDATE ledger_transactions SET amount = amount + 1 WHERE id = $1', [tx!.id]],
      ['UPDATE ledger_transactions SET to_wallet_id = $2 WHERE id = $1', [tx!.id, fx.users.c.wallet]],
      ['DELETE FROM wallets WHERE id = $1', [fx.users.c.wallet]],
      ['TRUNCATE wallets CASCADE', []],
      ["UPDATE wallets SET currency = 'EUR' WHERE id = $1", [fx.users.c.wallet]],
    ] as const) {
      const err = await sqlError(() => sql(statement, [...values]));
      expect(err.code, statement).toBe('WL003');
      expect(err.message).toMatch(/^the ledger points at (ledger_transactions|wallets) rows: (DELETE|TRUNCATE|UPDATE) refused$/);
    }
    expect(await counts()).toEqual(before);
    expect(await sql('SELECT id FROM wallets WHERE id = $1', [fx.users.c.wallet])).toHaveLength(1);
  });
});

describe('wallet_post_transfers', () => {
  it('posts every transfer of a batch but the refused ones, in request order, and replays the batch without moving', async () => {
    const { a, b, c } = fx.users;
    expect(await balances()).toEqual({ a: '10000', b: '0', c: '0' });
    const before = await counts();
    const batch: Request[] = [
      { userId: a.id, key: 'batch-1', from: { userId: a.id }, to: { walletId: b.wallet }, amount: '3000' },
      // b holds 3000 now (the transfer above): one more is too much.
      { userId: b.id, key: 'batch-2', from: { userId: b.id }, to: { email: c.email }, amount: '3001' },
      { userId: a.id, key: 'batch-3', from: { userId: a.id }, to: { email: c.email }, amount: '2000' },
      { userId: b.id, key: 'batch-4', from: { userId: b.id }, to: { walletId: c.wallet }, amount: '3000' },
      { userId: c.id, key: 'batch-5', from: { userId: c.id }, to: { email: 'nobody@example.com' }, amount: '1' },
    ];
    const { results, events } = await post(batch);
    expect(results).toEqual([
      expect.objectContaining({
        ok: true,
        transactionId: expect.any(String),
        amount: '3000',
        from: expect.objectContaining({ walletId: a.wallet, balanceAfter: '7000' }),
        to: expect.objectContaining({ walletId: b.wallet, balanceAfter: '3000' }),
      }),
      { ok: false, code: 'INSUFFICIENT_FUNDS', part: 'amount' },
      expect.objectContaining({
        ok: true,
        transactionId: expect.any(String),
        from: expect.objectContaining({ walletId: a.wallet, balanceAfter: '5000' }),
        to: expect.objectContaining({ walletId: c.wallet, balanceAfter: '2000' }),
      }),
      expect.objectContaining({
        ok: true,
        transactionId: expect.any(String),
        from: expect.objectContaining({ walletId: b.wallet, balanceAfter: '0' }),
        to: expect.objectContaining({ walletId: c.wallet, balanceAfter: '5000' }),
      }),
      { ok: false, code: 'RECIPIENT_NOT_FOUND', part: 'to' },
    ]);
    expect(await balances()).toEqual({ a: '5000', b: '0', c: '5000' });
    // Three transfers: a ledger transaction and two entries each, and one outbox event for the
    // call naming each transfer's user sides as they were right after it.
    const posted = results.flatMap((r) => (r.ok ? [r.transactionId] : []));
    const side = (walletId: string, userId: string, sequence: number, postedBalance: string) => ({
      walletId,
      userId,
      sequence,
      postedBalance,
      heldAmount: '0',
    });
    // One outbox row for the call, listing the posted transfers in request order.
    expect(events.map((e) => [e.topic, e.payload])).toEqual([
      [
        'ledger.posted',
        {
          transfers: [
            {
              transactionId: posted[0],
              status: 'POSTED',
              currency: 'USD',
              sides: [side(a.wallet, a.id, 2, '7000'), side(b.wallet, b.id, 1, '3000')],
            },
            {
              transactionId: posted[1],
              status: 'POSTED',
              currency: 'USD',
              sides: [side(a.wallet, a.id, 3, '5000'), side(c.wallet, c.id, 1, '2000')],
            },
            {
              transactionId: posted[2],
              status: 'POSTED',
              currency: 'USD',
              sides: [side(b.wallet, b.id, 2, '0'), side(c.wallet, c.id, 2, '5000')],
            },
          ],
        },
      ],
      // And one naming the call's notifications: each recipient was paid by someone else.
      ['notifications.added', { notices: [b.id, c.id, c.id].map((userId) => ({ id: expect.any(String), userId })) }],
    ]);
    expect(await counts()).toEqual({ transactions: before.transactions + 3, entries: before.entries + 6, outbox: before.outbox + 2 });
    const notices = await sql<{ user_id: string; kind: string; data: Record<string, string> }>(
      `SELECT user_id::text, kind::text, data FROM notifications WHERE data->>'transactionId' = ANY($1::text[]) ORDER BY created_at`,
      [posted],
    );
    expect(notices.map((n) => [n.user_id, n.kind, n.data.transactionId, n.data.amount])).toEqual([
      [b.id, 'MONEY_RECEIVED', posted[0], '3000'],
      [c.id, 'MONEY_RECEIVED', posted[1], '2000'],
      [c.id, 'MONEY_RECEIVED', posted[2], '3000'],
    ]);

    const entries = await sql<{ transaction_id: string; wallet_id: string; amount: string; balance_after: string; sequence: string }>(
      'SELECT transaction_id::text, wallet_id::text, amount, balance_after, sequence FROM ledger_entries WHERE transaction_id = ANY($1::uuid[]) ORDER BY id',
      [posted],
    );
    expect(entries.map((e) => [e.transaction_id, e.wallet_id, e.amount, e.balance_after, e.sequence])).toEqual([
      [posted[0], a.wallet, '-3000', '7000', '2'],
      [posted[0], b.wallet, '3000', '3000', '1'],
      [posted[1], a.wallet, '-2000', '5000', '3'],
      [posted[1], c.wallet, '2000', '2000', '1'],
      [posted[2], b.wallet, '-3000', '0', '2'],
      [posted[2], c.wallet, '3000', '5000', '2'],
    ]);

    // Every answer, refusals included, is stored with its key.
    const keys = await sql<{ key: string; response: { ok: boolean; code?: string }; transaction_id: string | null }>(
      `SELECT key, response, transaction_id::text FROM idempotency_keys WHERE key LIKE 'batch-%' ORDER BY key`,
    );
    expect(keys.map((k) => [k.key, k.response.ok, k.response.code ?? null, k.transaction_id])).toEqual([
      ['batch-1', true, null, posted[0]],
      ['batch-2', false, 'INSUFFICIENT_FUNDS', null],
      ['batch-3', true, null, posted[1]],
      ['batch-4', true, null, posted[2]],
      ['batch-5', false, 'RECIPIENT_NOT_FOUND', null],
    ]);

    // The same batch again: the same answers, marked replayed, and nothing moves.
    const again = await post(batch);
    expect(again.results).toEqual(results.map((r) => ({ ...r, replayed: true })));
    expect(again.events).toEqual([]);
    expect(await balances()).toEqual({ a: '5000', b: '0', c: '5000' });
    expect((await counts()).transactions).toBe(before.transactions + 3);

    const report = await auditLedger(db!.prisma);
    expect(report.problems).toEqual([]);
  });
});

describe('npm run ledger:audit', () => {
  function audit(): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const env: NodeJS.ProcessEnv = { ...process.env, ...tdb.env };
    if (!usingPostgres) delete env.DATABASE_URL;
    return new Promise((resolve, reject) => {
      const child = spawn('npm', ['run', '--silent', 'ledger:audit'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('exits 0 on a consistent ledger and 1, naming the problem, after a wallet balance is tampered with', {
    timeout: 120_000,
  }, async () => {
    // PGlite is single-process: the embedded database must be closed before the CLI opens it.
    if (!usingPostgres) await close();
    const clean = await audit();
    expect(clean.stderr).toBe('');
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('ledger OK');
    expect(clean.stdout).toContain(usingPostgres ? 'PostgreSQL at DATABASE_URL' : path.resolve(tdb.env.DATA_DIR!));

    if (!db) await open();
    await sql('UPDATE wallets SET posted_balance = posted_balance + 1 WHERE id = $1', [fx.users.a.wallet]);
    if (!usingPostgres) await close();

    const corrupt = await audit();
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr).toContain('PROBLEM wallet balance differs from the sum of its entries');
    expect(corrupt.stderr).toContain(fx.users.a.wallet);
    expect(corrupt.stderr).toContain('PROBLEM money created or destroyed');
    expect(corrupt.stderr).toMatch(/ledger audit FAILED with \d+ problem/);

    if (!db) await open();
  });
});

// The server acts as wallet_app on PostgreSQL (src/db/database.ts; on the embedded database every
// connection shares one session, so there it stays the login user).
describe.runIf(usingPostgres)("the server's role, wallet_app", () => {
  const asApp = <T extends pg.QueryResultRow = Record<string, unknown>>(text: string, values: unknown[] = []) =>
    withClient(
      `${db!.url}${db!.url.includes('?') ? '&' : '?'}options=-c%20role%3Dwallet_app`,
      async (c) => (await c.query<T>(text, values)).rows,
    );

  it('is what the server acts as', async () => {
    const server = await openDatabase({
      role: 'application',
      databaseUrl: db!.url,
      dataDir: tdb.env.DATA_DIR!,
      poolSize: 1,
      migrateOnStart: false,
      log,
    });
    try {
      expect(await server.sql.query('SELECT current_user AS role', [])).toEqual([{ role: 'wallet_app' }]);
    } finally {
      await server.close();
    }
  });

  it('cannot write the ledger, nor delete or re-key what it points at (42501), and changes nothing trying', async () => {
    const [tx] = await sql<{ id: string }>('SELECT id::text FROM ledger_transactions LIMIT 1');
    const { a, c } = fx.users;
    const before = { counts: await counts(), balances: await balances() };
    for (const [statement, values] of [
      [
        `INSERT INTO ledger_entries (transaction_id, wallet_id, currency, amount, balance_after, sequence)
         SELECT $1, w.id, w.currency, 1, w.posted_balance + 1, w.sequence + 1 FROM wallets w WHERE w.id = $2`,
        [tx!.id, c.wallet],
      ],
      [
        `INSERT INTO ledger_transactions (type, status, currency, amount, from_wallet_id, to_wallet_id)
         VALUES ('ADJUSTMENT', 'POSTED', 'USD', 100, $1, $2)`,
        [fx.adjustments, c.wallet],
      ],
      ['UPDATE ledger_transactions SET from_wallet_id = $2 WHERE id = $1', [tx!.id, c.wallet]],
      ['UPDATE ledger_transactions SET amount = 1 WHERE id = $1', [tx!.id]],
      ['DELETE FROM ledger_transactions WHERE id = $1', [tx!.id]],
      ['UPDATE wallets SET currency = $2 WHERE id = $1', [c.wallet, 'EUR']],
      ['DELETE FROM wallets WHERE id = $1', [c.wallet]],
      ['DELETE FROM users WHERE id = $1', [c.id]],
      ["DELETE FROM currencies WHERE code = 'USD'", []],
      [
        `INSERT INTO idempotency_keys (user_id, key, operation, request_hash, expires_at, response)
         VALUES ($1, 'forged', 'test', 'h', now() + interval '1 day', '{"ok": true}')`,
        [a.id],
      ],
      [
        'INSERT INTO risk_evaluations (user_id, operation, decision, rules, inputs, outcome) VALUES ($1, $2, $3, $4, $5, $6)',
        [a.id, 'test', 'ALLOW', '[]', '{}', 'POSTED'],
      ],
      ['TRUNCATE idempotency_keys', []],
    ] as const) {
      const err = await sqlError(() => asApp(statement, [...values]));
      expect(err.code, statement).toBe('42501');
    }
    expect({ counts: await counts(), balances: await balances() }).toEqual(before);
  });

  it('posts through the posting function, which writes as the owner', async () => {
    const { a, b } = fx.users;
    const before = await balances();
    const [row] = await asApp<{ result: PostResult }>('SELECT wallet_post_transfers($1::jsonb) AS result', [
      JSON.stringify([
        {
          userId: a.id,
          key: 'as-app-1',
          operation: 'test',
          hash: 'hash:as-app-1',
          type: 'P2P_TRANSFER',
          currency: 'USD',
          amount: '1',
          from: { userId: a.id },
          to: { walletId: b.wallet },
          initiatedBy: a.id,
        },
      ]),
    ]);
    expect(row!.result.results[0]).toMatchObject({ ok: true });
    expect(await balances()).toEqual({ ...before, a: String(BigInt(before.a) - 1n), b: String(BigInt(before.b) + 1n) });
  });
});
