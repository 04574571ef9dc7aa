// The ledger's own API (src/services/ledger/ledger.ts), the only writer of money state: a hold
// reserves available money and ends once; a capture posts the held money; a reversal is linked to
// what it takes back; events reach subscribers only after commit; a deadlock between two ledger
// transactions is retried by the ledger, never reported to the caller.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.js';
import { createLogger } from '../../src/logger.js';
import type { OutboxEvent } from '../../src/services/events/outbox.js';
import { auditLedger } from '../../src/services/ledger/audit.js';
import { createLedger, refusalError, type Ledger, type TransferRequest } from '../../src/services/ledger/ledger.js';
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
  db = await openDatabase({ databaseUrl: tdb.env.DATABASE_URL, dataDir: tdb.env.DATA_DIR!, poolSize: 4, migrateOnStart: true, log });
  ledger = createLedger({
    prisma: db.prisma,
    outbox: { publishCommitted: (events) => published.push(...events) },
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
    await db.prisma.$executeRaw`
      INSERT INTO idempotency_keys (user_id, key, operation, request_hash, expires_at, response)
      VALUES (${userId}::uuid, ${request.key}, ${request.operation}, ${request.hash}, now() + interval '1 day', ${JSON.stringify(old)}::jsonb)`;
    const [replayed] = await ledger.postTransfers([request]);
    expect(replayed).toMatchObject({ ok: false, code: 'INSUFFICIENT_FUNDS', part: 'amount', replayed: true });
    if (replayed!.ok) return;
    expect(refusalError(replayed!, 'sendMoney')).toEqual({ code: 'INSUFFICIENT_FUNDS', field: ['input', 'amount'], message: old.message });
  });

  it('leaves a consistent ledger', async () => {
    expect((await auditLedger(db.prisma)).problems).toEqual([]);
  });
});
