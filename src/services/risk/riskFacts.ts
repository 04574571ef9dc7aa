// What the risk rules need to know about a send, read in one round trip before it is posted:
// the sender's recent sends (the last 200 entries of the wallet at most, so the cost does not grow
// with history), whether they paid this recipient before, when the device first signed in, the
// last credential change, failed payment-method additions, and whether the idempotency key was
// used already (then the ledger replays the first answer and nothing is evaluated again).
import { big, type Sql } from '../../db/sql.js';
import type { Party } from '../ledger/postTransfers.js';

export interface StoredFacts {
  keySeen: boolean;
  recentSends: number;
  largestRecentSend: bigint;
  recipientKnown: boolean | null;
  deviceFirstSeenAt: Date | null;
  credentialsChangedAt: Date | null;
  failedMethodAdds: number;
}

const FACTS_SQL = `
  WITH me AS (
    SELECT u.id, u.credentials_changed_at,
           (SELECT w.id FROM wallets w WHERE w.user_id = u.id AND w.kind = 'USER' AND w.currency = $2) AS wallet_id
    FROM users u WHERE u.id = $1::uuid),
  dst AS (SELECT wallet_id FROM wallet_resolve_party($3::jsonb, $2)),
  sends AS (
    SELECT -e.amount AS amount
    FROM (SELECT transaction_id, amount FROM ledger_entries WHERE wallet_id = (SELECT wallet_id FROM me)
          ORDER BY sequence DESC LIMIT 200) e
    JOIN ledger_transactions t ON t.id = e.transaction_id
    WHERE e.amount < 0 AND t.type IN ('P2P_TRANSFER', 'PAYMENT')
    LIMIT 50)
  SELECT
    EXISTS (SELECT 1 FROM idempotency_keys WHERE user_id = $1::uuid AND key = $5) AS key_seen,
    (SELECT count(*)::int FROM sends) AS recent_sends,
    (SELECT coalesce(max(amount), 0)::text FROM sends) AS largest_recent_send,
    CASE WHEN (SELECT wallet_id FROM dst) IS NULL THEN NULL ELSE EXISTS (
      SELECT 1 FROM ledger_transactions t
      WHERE t.from_wallet_id = (SELECT wallet_id FROM me) AND t.to_wallet_id = (SELECT wallet_id FROM dst) AND t.status = 'POSTED')
    END AS recipient_known,
    (SELECT min(s.created_at) FROM sessions s WHERE s.user_id = $1::uuid AND s.device_id = $4) AS device_first_seen_at,
    (SELECT credentials_changed_at FROM me) AS credentials_changed_at,
    (SELECT count(*)::int FROM payment_method_failures f WHERE f.user_id = $1::uuid AND f.created_at > now() - interval '24 hours') AS failed_method_adds`;

interface Row {
  key_seen: boolean;
  recent_sends: number;
  largest_recent_send: string;
  recipient_known: boolean | null;
  device_first_seen_at: Date | null;
  credentials_changed_at: Date | null;
  failed_method_adds: number;
}

export async function readFacts(
  sql: Sql,
  q: { userId: string; currency: string; to: Party; deviceId: string | null; key: string | null },
): Promise<StoredFacts> {
  const [row] = await sql.query<Row>(FACTS_SQL, [q.userId, q.currency, JSON.stringify(q.to), q.deviceId, q.key], 'risk_facts');
  return {
    keySeen: row!.key_seen,
    recentSends: row!.recent_sends,
    largestRecentSend: big(row!.largest_recent_send),
    recipientKnown: row!.recipient_known,
    deviceFirstSeenAt: row!.device_first_seen_at,
    credentialsChangedAt: row!.credentials_changed_at,
    failedMethodAdds: row!.failed_method_adds,
  };
}
