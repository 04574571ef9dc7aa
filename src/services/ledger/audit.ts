// Recomputes the ledger from its entries and compares it with what the tables claim. Any
// difference is a bug (or tampering): the tests run this after every concurrency test, and
// operators run it with `npm run ledger:audit`.
import type { PrismaClient } from '../../db/database.js';

export interface AuditReport {
  ok: boolean;
  problems: string[];
  counts: { wallets: number; transactions: number; entries: number };
}

const MAX_LISTED = 20;

/** `prisma` may be a transaction of it: the audit then sees what that transaction has written. */
export async function auditLedger(prisma: Pick<PrismaClient, '$queryRaw'>): Promise<AuditReport> {
  const problems: string[] = [];
  const check = async (title: string, rows: Promise<Record<string, unknown>[]>) => {
    const found = await rows;
    for (const row of found.slice(0, MAX_LISTED))
      problems.push(`${title}: ${JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
    if (found.length > MAX_LISTED) problems.push(`${title}: …and ${found.length - MAX_LISTED} more`);
  };

  await check(
    'wallet balance differs from the sum of its entries',
    prisma.$queryRaw`
      SELECT w.id, w.posted_balance, coalesce(sum(e.amount), 0) AS entries_sum, w.sequence, count(e.id) AS entry_count, coalesce(max(e.sequence), 0) AS max_sequence
      FROM wallets w LEFT JOIN ledger_entries e ON e.wallet_id = w.id
      GROUP BY w.id
      HAVING w.posted_balance <> coalesce(sum(e.amount), 0) OR w.sequence <> count(e.id) OR w.sequence <> coalesce(max(e.sequence), 0)`,
  );
  await check(
    'entry balance_after does not follow from the previous entry',
    prisma.$queryRaw`
      SELECT wallet_id, sequence, balance_after, running FROM (
        SELECT wallet_id, sequence, balance_after, sum(amount) OVER (PARTITION BY wallet_id ORDER BY sequence) AS running
        FROM ledger_entries) x
      WHERE balance_after <> running`,
  );
  await check(
    'ledger transaction entries do not sum to zero',
    prisma.$queryRaw`
      SELECT transaction_id, currency, sum(amount) AS total FROM ledger_entries
      GROUP BY transaction_id, currency HAVING sum(amount) <> 0`,
  );
  await check(
    'posted transaction without exactly two balanced entries of its amount',
    prisma.$queryRaw`
      SELECT t.id, t.amount, count(e.id) AS entries FROM ledger_transactions t
      LEFT JOIN ledger_entries e ON e.transaction_id = t.id
      WHERE t.status = 'POSTED'
      GROUP BY t.id, t.amount
      HAVING count(e.id) <> 2 OR max(e.amount) <> t.amount OR min(e.amount) <> -t.amount`,
  );
  await check(
    'transaction held for review or declined has entries (nothing may move before approval)',
    prisma.$queryRaw`
      SELECT t.id FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id
      WHERE t.status::text IN ('IN_REVIEW', 'DECLINED') LIMIT 100`,
  );
  await check(
    'risk review whose hold does not match its state',
    prisma.$queryRaw`
      SELECT r.id FROM risk_reviews r JOIN holds h ON h.id = r.hold_id JOIN ledger_transactions t ON t.id = r.transaction_id
      WHERE (r.status = 'PENDING') <> (h.status = 'ACTIVE' AND t.status::text = 'IN_REVIEW') OR h.amount <> t.amount
      LIMIT 100`,
  );
  // The references the posting function guarantees without foreign keys (decision 42), for
  // whoever writes around it (an owner, a superuser).
  await check(
    'entry whose wallet does not exist or holds another currency',
    prisma.$queryRaw`
      SELECT e.id, e.wallet_id, e.currency FROM ledger_entries e LEFT JOIN wallets w ON w.id = e.wallet_id
      WHERE w.id IS NULL OR w.currency <> e.currency LIMIT 100`,
  );
  await check(
    'transaction whose wallets do not exist or hold another currency',
    prisma.$queryRaw`
      SELECT t.id, t.currency FROM ledger_transactions t
      LEFT JOIN wallets f ON f.id = t.from_wallet_id LEFT JOIN wallets d ON d.id = t.to_wallet_id
      WHERE f.id IS NULL OR d.id IS NULL OR f.currency <> t.currency OR d.currency <> t.currency LIMIT 100`,
  );
  await check(
    'entry whose transaction does not exist or is in another currency',
    prisma.$queryRaw`
      SELECT e.id, e.transaction_id, e.currency, t.currency AS transaction_currency FROM ledger_entries e
      LEFT JOIN ledger_transactions t ON t.id = e.transaction_id WHERE t.id IS NULL OR e.currency <> t.currency`,
  );
  await check(
    'money created or destroyed: wallet balances of a currency do not sum to zero',
    prisma.$queryRaw`SELECT currency, sum(posted_balance) AS total FROM wallets GROUP BY currency HAVING sum(posted_balance) <> 0`,
  );
  await check(
    'user wallet below zero',
    prisma.$queryRaw`
      SELECT id, posted_balance, held_amount FROM wallets
      WHERE kind = 'USER' AND (posted_balance < 0 OR posted_balance - held_amount < 0)`,
  );
  await check(
    'held amount differs from the active holds',
    prisma.$queryRaw`
      SELECT w.id, w.held_amount, coalesce(sum(h.amount), 0) AS holds FROM wallets w
      LEFT JOIN holds h ON h.wallet_id = w.id AND h.status = 'ACTIVE'
      GROUP BY w.id HAVING w.held_amount <> coalesce(sum(h.amount), 0)`,
  );
  await check(
    'idempotency key answered with a transaction that does not exist',
    prisma.$queryRaw`
      SELECT k.user_id, k.key FROM idempotency_keys k
      WHERE (k.response->>'ok')::boolean AND NOT EXISTS (SELECT 1 FROM ledger_transactions t WHERE t.id = (k.response->>'transactionId')::uuid)`,
  );
  await check(
    'idempotency key or risk evaluation naming a transaction that does not exist',
    prisma.$queryRaw`
      SELECT 'idempotency_keys' AS "table", transaction_id FROM idempotency_keys k
      WHERE transaction_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ledger_transactions t WHERE t.id = k.transaction_id)
      UNION ALL
      SELECT 'risk_evaluations', transaction_id FROM risk_evaluations r
      WHERE transaction_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ledger_transactions t WHERE t.id = r.transaction_id)
      LIMIT 100`,
  );

  const [counts] = await prisma.$queryRaw<{ wallets: bigint; transactions: bigint; entries: bigint }[]>`
    SELECT (SELECT count(*) FROM wallets) AS wallets, (SELECT count(*) FROM ledger_transactions) AS transactions,
           (SELECT count(*) FROM ledger_entries) AS entries`;
  return {
    ok: problems.length === 0,
    problems,
    counts: { wallets: Number(counts!.wallets), transactions: Number(counts!.transactions), entries: Number(counts!.entries) },
  };
}
