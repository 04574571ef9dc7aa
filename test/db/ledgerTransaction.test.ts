// The ledger's own API (src/services/ledger/ledger.ts), the only writer of money state: a hold
// reserves available money and ends once; a capture posts the held money; a reversal is linked to
// what it takes back; events reach subscribers only after commit; a deadlock between two ledger
// transactions is retried by the ledger, never reported to the caller. The posting function counts
// a wallet's assessed sends for the velocity rule, rolling its buckets over, and answers a verdict
// whose counts crossed a threshold under the lock as stale, writing nothing for it; it keeps each
// wallet's last 50 sends on the wallet row, as the migration that added them computed them.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.js';
import { createLogger } from '../../src/logger.js';
import type { OutboxEvent } from '../../src/services/events/outbox.js';
import { auditLedger } from '../../src/services/ledger/audit.js';
import { createLedger, refusalError, type Ledger, type TransferRequest } from '../../src/services/ledger/ledger.js';
import type { RiskAssessment } from '../../src/services/risk/riskEngine.js';
import type { RiskDecision } from '../../src/services/risk/riskRule.js';
import { withClient } from '../helpers/scratchDatabase.js';
import { createTestDatabase, usingPostgres, type TestDatabase } from '../helpers/testDatabase.js';

const log = createLogger({ level: 'silent' });
let tdb: TestDatabase;
let db: Database;
let ledger: Ledger;
const published: OutboxEvent[] = [];
let userId: string;
let walletA: string;
let walletB: string;
let n = 0;

const adjustment = (walletId: string, amount: bigint): TransferRequest => ({
  userId,
  key: `fund-${++n}`,
  operation: 'test.fund',
  hash: `fund-${n}`,
  type: 'ADJUSTMENT',
  currency: 'USD',
  amount,
  from: { system: 'ADJUSTMENTS' },
  to: { walletId },
});

const withdrawal = (amount: bigint): TransferRequest => ({
  userId,
  key: `payout-${++n}`,
  operation: 'test.payout',
  hash: `payout-${n}`,
  type: 'WITHDRAWAL',
  currency: 'USD',
  amount,
  from: { walletId: walletA },
  to: { system: 'SETTLEMENT_BANK' },
});

async function placed(amount: bigint) {
  const held = await ledger.transaction((l) => l.placeHold(walletA, amount, 'withdrawal'));
  if (!held.ok) throw new Error(`no hold: ${held.code}`);
  return held.hold;
}

async function wallet(id: string) {
  const w = await db.prisma.wallet.findUniqueOrThrow({ where: { id }, select: { postedBalance: true, heldAmount: true } });
  return { posted: w.postedBalance, held: w.heldAmount };
}

beforeAll(async () => {
  tdb = await createTestDatabase({ migrated: true });
  db = await openDatabase({
    role: 'application',
    databaseUrl: tdb.env.DATABASE_URL,
    dataDir: tdb.env.DATA_DIR!,
    poolSize: 4,
    migrateOnStart: true,
    log,
  });
  ledger = createLedger({
    prisma: db.prisma,
    outbox: {
      publishCommitted: async (events) => {
        published.push(...events);
      },
      takePublished: () => [],
      untake: () => {},
    },
    log,
    idempotencyTtlHours: 24,
  });
  const user = await db.prisma.user.create({
    data: { email: 'ledger-api@example.com', passwordHash: 'not-a-hash', displayName: 'Ledger API' },
  });
  userId = user.id;
  walletA = (await db.prisma.wallet.create({ data: { kind: 'USER', userId, currency: 'USD' } })).id;
  const other = await db.prisma.user.create({ data: { email: 'ledger-api-b@example.com', passwordHash: 'not-a-hash', displayName: 'B' } });
  walletB = (await db.prisma.wallet.create({ data: { kind: 'USER', userId: other.id, currency: 'USD' } })).id;
  const funded = await ledger.postTransfers([adjustment(walletA, 10_000n), adjustment(walletB, 10_000n)]);
  expect(funded.every((r) => r.ok)).toBe(true);
}, 120_000);

afterAll(async () => {
  await db?.close();
  await tdb?.drop();
});

describe('the ledger', () => {
  it('holds only money that is available, and a hold ends once', async () => {
    const before = await wallet(walletA);
    const refused = await ledger.transaction((l) => l.placeHold(walletA, before.posted + 1n, 'withdrawal'));
    expect(refused).toEqual({ ok: false, code: 'INSUFFICIENT_FUNDS', part: 'amount', facts: {} });

    const hold = await placed(2_500n);
    expect(await wallet(walletA)).toEqual({ posted: before.posted, held: before.held + 2_500n });

    await ledger.transaction((l) => l.releaseHold(hold));
    expect(await wallet(walletA)).toEqual(before);
    // Released twice would give the amount back twice: refused, and nothing changes.
    await expect(ledger.transaction((l) => l.releaseHold(hold))).rejects.toThrow(/not active/);
    expect(await wallet(walletA)).toEqual(before);
  });

  it('captures a hold as the posted transfer, and links the hold to it', async () => {
    const before = await wallet(walletA);
    const hold = await placed(1_000n);
    const result = await ledger.transaction((l) => l.captureHold(hold, withdrawal(1_000n)));
    expect(result.ok).toBe(true);
    expect(await wallet(walletA)).toEqual({ posted: before.posted - 1_000n, held: before.held });
    const stored = await db.prisma.hold.findUniqueOrThrow({ where: { id: hold.id } });
    expect(stored).toMatchObject({ status: 'CAPTURED', transactionId: result.ok ? result.transfer.transactionId : 'none' });
    await expect(ledger.transaction((l) => l.captureHold(hold, withdrawal(1_000n)))).rejects.toThrow(/not active/);
    expect(await wallet(walletA)).toEqual({ posted: before.posted - 1_000n, held: before.held });
  });

  it('links a reversal to the transaction it takes back', async () => {
    const [paid] = await ledger.postTransfers([withdrawal(700n)]);
    const paidId = paid!.ok ? paid!.transfer.transactionId : '';
    const back: TransferRequest = { ...withdrawal(700n), type: 'REVERSAL', from: { system: 'SETTLEMENT_BANK' }, to: { walletId: walletA } };
    const [reversal] = await ledger.transaction((l) => l.reverse(paidId, [back]));
    const reversalId = reversal!.ok ? reversal!.transfer.transactionId : '';
    const rows = await db.prisma.ledgerTransaction.findMany({
      where: { id: { in: [paidId, reversalId] } },
      select: { id: true, status: true, reversesId: true },
    });
    expect(rows.find((r) => r.id === paidId)).toMatchObject({ status: 'REVERSED' });
    expect(rows.find((r) => r.id === reversalId)).toMatchObject({ reversesId: paidId });
  });

  it('publishes events only after commit: a transaction that throws posts and publishes nothing', async () => {
    const before = await wallet(walletB);
    const count = published.length;
    await expect(
      ledger.transaction(async (l) => {
        const [r] = await l.post([adjustment(walletB, 100n)]);
        expect(r!.ok).toBe(true);
        throw new Error('the caller changed its mind');
      }),
    ).rejects.toThrow('the caller changed its mind');
    expect(published.length).toBe(count);
    expect(await wallet(walletB)).toEqual(before);

    await ledger.transaction((l) => l.post([adjustment(walletB, 100n)]));
    expect(published.length).toBeGreaterThan(count);
    expect(await wallet(walletB)).toEqual({ posted: before.posted + 100n, held: before.held });
  });

  // PGlite serves one connection, so two transactions never overlap there and cannot deadlock.
  it.runIf(usingPostgres)('retries a deadlock between two ledger transactions; both complete', async () => {
    let attempts = 0;
    let arrived = 0;
    let bothLocked!: () => void;
    const firstLocks = new Promise<void>((resolve) => (bothLocked = resolve));
    const lockBoth = (first: string, second: string) =>
      ledger.transaction(async (l) => {
        attempts++;
        await l.lockAvailable(first);
        if (++arrived === 2) bothLocked();
        // Each holds its first wallet while asking for the other's: PostgreSQL aborts one (40P01).
        await firstLocks;
        return l.lockAvailable(second);
      });
    const [a, b] = await Promise.all([lockBoth(walletA, walletB), lockBoth(walletB, walletA)]);
    expect(typeof a).toBe('bigint');
    expect(typeof b).toBe('bigint');
    expect(attempts).toBe(3);
  });

  // Two calls with one key at the same moment need two connections: PostgreSQL only.
  it.runIf(usingPostgres)('applies a key once when two calls carry it at the same time: the later runs again and replays', async () => {
    const before = await wallet(walletA);
    const request = withdrawal(300n);
    let release!: () => void;
    const open = new Promise<void>((resolve) => (release = resolve));
    // The first call posts and keeps its transaction open: its key is written, not yet committed.
    const first = ledger.transaction(async (l) => {
      const results = await l.post([request]);
      await open;
      return results;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    // The second finds no key, then waits for the wallet; once the first commits, its own key
    // write conflicts, it fails as a serialization failure and the ledger runs it again.
    const second = ledger.postTransfers([request]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    release();
    const [[a], [b]] = await Promise.all([first, second]);
    expect(a).toMatchObject({ ok: true, replayed: false });
    expect(b).toMatchObject({ ok: true, replayed: true, transfer: { transactionId: a!.ok ? a!.transfer.transactionId : 'none' } });
    expect(await wallet(walletA)).toEqual({ posted: before.posted - 300n, held: before.held });
  });

  it('refuses with a code and the part that failed, worded by the ledger for each caller', async () => {
    const tooMuch = { ...withdrawal(10_000_000n), type: 'P2P_TRANSFER' as const, to: { walletId: walletB } };
    const [refused] = await ledger.postTransfers([tooMuch]);
    expect(refused).toEqual({ ok: false, code: 'INSUFFICIENT_FUNDS', part: 'amount', facts: {}, replayed: false });
    const nobody = { ...withdrawal(1n), type: 'P2P_TRANSFER' as const, to: { email: 'nobody@example.com' } };
    const [missing] = await ledger.postTransfers([nobody]);
    expect(missing!.ok).toBe(false);
    if (missing!.ok) return;
    expect(refusalError(missing!, 'sendMoney')).toEqual({
      code: 'RECIPIENT_NOT_FOUND',
      field: ['input', 'recipient'],
      message: 'No one with that email, phone or wallet was found.',
    });
    expect(refusalError(missing!, 'payPaymentRequest').field).toEqual(['input', 'code']);
    // The stored answer is the code and part too: a retry is answered the same way.
    const [again] = await ledger.postTransfers([nobody]);
    expect(again).toEqual({ ...missing, replayed: true });
  });

  it('replays an answer stored before refusals were codes with its own words', async () => {
    const request = { ...withdrawal(5n), key: 'stored-long-ago', hash: 'stored-long-ago' };
    const old = {
      ok: false,
      code: 'INSUFFICIENT_FUNDS',
      message: 'Not enough money in your wallet for this transfer (old words).',
      field: 'amount',
    };
    // As the owner: only the posting function writes keys for the server's role.
    await withClient(db.url, (c) =>
      c.query(
        `INSERT INTO idempotency_keys (user_id, key, operation, request_hash, expires_at, response)
         VALUES ($1::uuid, $2, $3, $4, now() + interval '1 day', $5::jsonb)`,
        [userId, request.key, request.operation, request.hash, JSON.stringify(old)],
      ),
    );
    const [replayed] = await ledger.postTransfers([request]);
    expect(replayed).toMatchObject({ ok: false, code: 'INSUFFICIENT_FUNDS', part: 'amount', replayed: true });
    if (replayed!.ok) return;
    expect(refusalError(replayed!, 'sendMoney')).toEqual({ code: 'INSUFFICIENT_FUNDS', field: ['input', 'amount'], message: old.message });
  });

  describe('send velocity, counted by the posting function', () => {
    /** A send from A to B with a risk verdict that rested on `seen` sends this minute and hour. */
    const assessedSend = (decision: RiskDecision, seen: number, perMinute = 1_000, key = `send-${++n}`): TransferRequest => {
      const risk: RiskAssessment = { decision, rules: [], inputs: {}, velocity: { minute: seen, hour: seen, perMinute, perHour: 1_000 } };
      return { ...withdrawal(1n), key, hash: key, operation: 'test.send', type: 'P2P_TRANSFER', to: { walletId: walletB }, risk };
    };

    async function velocity() {
      const [row] = await db.prisma.$queryRaw<Record<string, number | boolean>[]>`
        SELECT wallet_sends_in_window(sends_minute_bucket, sends_this_minute, sends_last_minute, 60, now()) AS minute,
               wallet_sends_in_window(sends_hour_bucket, sends_this_hour, sends_last_hour, 3600, now()) AS hour,
               sends_this_minute AS this_minute, sends_last_minute AS last_minute,
               sends_this_hour AS this_hour, sends_last_hour AS last_hour,
               sends_minute_bucket = floor(extract(epoch FROM now()) / 60)
                 AND sends_hour_bucket = floor(extract(epoch FROM now()) / 3600) AS current
        FROM wallets WHERE id = ${walletA}::uuid`;
      return row!;
    }

    const resetVelocity = () =>
      db.prisma.$executeRaw`UPDATE wallets SET sends_minute_bucket = NULL, sends_this_minute = 0, sends_last_minute = 0,
        sends_hour_bucket = NULL, sends_this_hour = 0, sends_last_hour = 0 WHERE id = ${walletA}::uuid`;

    it('estimates a sliding window from this bucket and the previous one', async () => {
      const at = new Date('2026-11-26T12:00:10Z');
      const bucket = Math.floor(at.getTime() / 60_000);
      const estimate = async (b: number | null, current: number, previous: number) => {
        const [row] = await db.prisma.$queryRaw<{ n: number }[]>`
          SELECT wallet_sends_in_window(${b}::bigint, ${current}::int, ${previous}::int, 60, ${at}::timestamptz) AS n`;
        return row!.n;
      };
      // 10 s into the minute: 3 now plus 6 × 50/60 of the previous minute.
      expect(await estimate(bucket, 3, 6)).toBe(8);
      // Last written in the previous minute: its count fades as that minute leaves the window.
      expect(await estimate(bucket - 1, 6, 2)).toBe(5);
      expect(await estimate(bucket - 2, 6, 2)).toBe(0);
      expect(await estimate(null, 0, 0)).toBe(0);
    });

    // Not inlined, the function is planned again by every statement that calls it, and where a
    // join reads it from the nullable side it runs for every row scanned: P2P throughput fell by
    // a third when it was (docs/performance.md).
    it('is inlined into the query that calls it', async () => {
      const plan = await db.prisma.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(
        `EXPLAIN (VERBOSE) SELECT wallet_sends_in_window(sends_minute_bucket, sends_this_minute, sends_last_minute, 60, now()) FROM wallets`,
      );
      const text = plan.map((row) => row['QUERY PLAN']).join('\n');
      expect(text).toContain('sends_minute_bucket');
      expect(text).not.toContain('wallet_sends_in_window');
    });

    it('counts every assessed send of the wallet, refused ones too, and no other transfer', async () => {
      await resetVelocity();
      const results = await ledger.postTransfers([assessedSend('ALLOW', 1), assessedSend('REVIEW', 2), assessedSend('BLOCK', 3)]);
      expect(results.map((r) => (r.ok ? r.transfer.status : r.code))).toEqual(['POSTED', 'IN_REVIEW', 'TRANSFER_DECLINED']);
      await ledger.postTransfers([withdrawal(1n)]);
      expect(await velocity()).toMatchObject({ minute: 3, hour: 3, this_minute: 3, this_hour: 3, current: true });
    });

    it('answers a verdict whose count crossed a threshold under the lock as stale: key unclaimed, nothing written or counted', async () => {
      await resetVelocity();
      await ledger.postTransfers([assessedSend('ALLOW', 1, 1)]);
      // Read before that send committed, the rules saw 1 send (within 1 a minute); there are 2.
      const stale = assessedSend('ALLOW', 1, 1);
      const [answer] = await ledger.postTransfers([stale]);
      expect(answer).toMatchObject({ ok: false, code: 'RISK_FACTS_STALE' });
      if (answer && !answer.ok) expect(refusalError(answer, 'sendMoney').code).toBe('TRY_AGAIN');
      const [written] = await db.prisma.$queryRaw<{ keys: number; evaluations: number; transactions: number }[]>`
        SELECT (SELECT count(*)::int FROM idempotency_keys WHERE key = ${stale.key}) AS keys,
               (SELECT count(*)::int FROM risk_evaluations WHERE idempotency_key = ${stale.key}) AS evaluations,
               (SELECT count(*)::int FROM ledger_transactions WHERE idempotency_key = ${stale.key}) AS transactions`;
      expect(written).toEqual({ keys: 0, evaluations: 0, transactions: 0 });
      expect(await velocity()).toMatchObject({ minute: 1 });

      // Assessed again on the true count, the same key is blocked, counted and answered.
      const [again] = await ledger.postTransfers([assessedSend('BLOCK', 2, 1, stale.key)]);
      expect(again).toMatchObject({ ok: false, code: 'TRANSFER_DECLINED', replayed: false });
      expect(await velocity()).toMatchObject({ minute: 2 });
    });

    it("keeps the amounts of the wallet's last 50 posted sends, as the migration computed them from the ledger", async () => {
      const amounts = Array.from({ length: 53 }, (_, i) => BigInt(i + 1));
      const sends = amounts.map((amount) => ({ ...assessedSend('ALLOW', 1), amount }));
      // A send held for review is not history, and a withdrawal is no send.
      sends.splice(10, 0, { ...assessedSend('REVIEW', 1), amount: 999n }, withdrawal(998n));
      for (let i = 0; i < sends.length; i += 20) await ledger.postTransfers(sends.slice(i, i + 20));
      const recent = async () =>
        (await db.prisma.wallet.findUniqueOrThrow({ where: { id: walletA }, select: { recentSends: true } })).recentSends;
      expect(await recent()).toEqual(amounts.slice(-50));

      const migration = readFileSync(
        new URL('../../prisma/migrations/20261203210000_wallet_recent_sends/migration.sql', import.meta.url),
        'utf8',
      );
      const backfill = migration.slice(migration.indexOf('UPDATE'));
      await db.prisma.$executeRaw`UPDATE wallets SET recent_sends = '{}' WHERE id = ${walletA}::uuid`;
      await db.prisma.$executeRawUnsafe(backfill);
      expect(await recent()).toEqual(amounts.slice(-50));
    });

    it('rolls the buckets over: the current becomes the previous, older ones are forgotten', async () => {
      await db.prisma.$executeRaw`UPDATE wallets SET
          sends_minute_bucket = floor(extract(epoch FROM now()) / 60) - 5, sends_this_minute = 7, sends_last_minute = 3,
          sends_hour_bucket = floor(extract(epoch FROM now()) / 3600) - 1, sends_this_hour = 5, sends_last_hour = 9
        WHERE id = ${walletA}::uuid`;
      await ledger.postTransfers([assessedSend('ALLOW', 1)]);
      expect(await velocity()).toMatchObject({ this_minute: 1, last_minute: 0, this_hour: 1, last_hour: 5, current: true });
    });
  });

  it('leaves a consistent ledger', async () => {
    expect((await auditLedger(db.prisma)).problems).toEqual([]);
  });
});
