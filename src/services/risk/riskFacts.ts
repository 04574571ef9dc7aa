// What the risk rules need to know about sends, read for a whole batch of them in one round trip
// before they are posted: from the sender's wallet row (kept there by the posting function, so no
// entries are read), the amounts of its last 50 sends and its sends in the last minute and hour;
// whether the sender paid this recipient before, when the request's device first signed in, the
// last credential change, failed payment-method additions, and whether the idempotency key was
// used already (then the ledger replays the first answer and nothing is evaluated again); and when
// the request's session last proved a second factor (a large send to a new recipient needs it).
import { big, type Sql } from '../../db/sql.js';
import type { Party } from '../ledger/model.js';

export interface FactsQuery {
  userId: string;
  currency: string;
  to: Party;
  deviceId: string | null;
  key: string | null;
  /** The signed-in session sending (null for a partner's or a merchant payment: no step-up then). */
  sessionId?: string | null;
}

export interface StoredFacts {
  keySeen: boolean;
  /** Sends from the sender's wallet in this currency in the last minute and hour, as committed. */
  sendsLastMinute: number;
  sendsLastHour: number;
  recentSends: number;
  largestRecentSend: bigint;
  recipientKnown: boolean | null;
  deviceFirstSeenAt: Date | null;
  credentialsChangedAt: Date | null;
  failedMethodAdds: number;
  /** When the sending session last proved a second factor (null: never, or no session). */
  secondFactorAt: Date | null;
}

const FACTS_SQL = `
  SELECT
    EXISTS (SELECT 1 FROM idempotency_keys k WHERE k.user_id = q.user_id AND k.key = q.key) AS key_seen,
    coalesce(wallet_sends_in_window(w.sends_minute_bucket, w.sends_this_minute, w.sends_last_minute, 60, now()), 0) AS sends_minute,
    coalesce(wallet_sends_in_window(w.sends_hour_bucket, w.sends_this_hour, w.sends_last_hour, 3600, now()), 0) AS sends_hour,
    coalesce(cardinality(w.recent_sends), 0) AS recent_sends,
    coalesce((SELECT max(x) FROM unnest(w.recent_sends) x), 0)::text AS largest_recent_send,
    CASE WHEN d.wallet_id IS NULL OR w.wallet_id IS NULL THEN NULL ELSE EXISTS (
      SELECT 1 FROM ledger_transactions t
      WHERE t.from_wallet_id = w.wallet_id AND t.to_wallet_id = d.wallet_id AND t.status = 'POSTED')
    END AS recipient_known,
    (SELECT min(ss.created_at) FROM sessions ss WHERE ss.user_id = q.user_id AND ss.device_id = q.device_id) AS device_first_seen_at,
    u.credentials_changed_at,
    (SELECT count(*)::int FROM payment_method_failures f WHERE f.user_id = q.user_id AND f.created_at > now() - interval '24 hours') AS failed_method_adds,
    (SELECT ss.second_factor_at FROM sessions ss WHERE ss.id = q.session_id) AS second_factor_at
  FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $4::text[], $5::text[], $6::uuid[])
    WITH ORDINALITY AS q (user_id, currency, party, device_id, key, session_id, i)
  LEFT JOIN users u ON u.id = q.user_id
  -- Plain columns only: an expression here would be computed for every wallet row the join scans
  -- (PostgreSQL evaluates a nullable side's expressions below the join), not once per request.
  LEFT JOIN LATERAL (
    SELECT wl.id AS wallet_id, wl.sends_minute_bucket, wl.sends_this_minute, wl.sends_last_minute,
           wl.sends_hour_bucket, wl.sends_this_hour, wl.sends_last_hour, wl.recent_sends
    FROM wallets wl WHERE wl.user_id = q.user_id AND wl.kind = 'USER' AND wl.currency = q.currency) w ON true
  LEFT JOIN LATERAL wallet_resolve_party(q.party, q.currency) d ON true
  ORDER BY q.i`;

interface Row {
  key_seen: boolean;
  sends_minute: number;
  sends_hour: number;
  recent_sends: number;
  largest_recent_send: string;
  recipient_known: boolean | null;
  device_first_seen_at: Date | null;
  credentials_changed_at: Date | null;
  failed_method_adds: number;
  second_factor_at: Date | null;
}

export async function readFacts(sql: Sql, queries: FactsQuery[]): Promise<StoredFacts[]> {
  const rows = await sql.query<Row>(
    FACTS_SQL,
    [
      queries.map((q) => q.userId),
      queries.map((q) => q.currency),
      queries.map((q) => JSON.stringify(q.to)),
      queries.map((q) => q.deviceId),
      queries.map((q) => q.key),
      queries.map((q) => q.sessionId ?? null),
    ],
    'risk_facts_v2',
  );
  return rows.map((row) => ({
    keySeen: row.key_seen,
    sendsLastMinute: row.sends_minute,
    sendsLastHour: row.sends_hour,
    recentSends: row.recent_sends,
    largestRecentSend: big(row.largest_recent_send),
    recipientKnown: row.recipient_known,
    deviceFirstSeenAt: row.device_first_seen_at,
    credentialsChangedAt: row.credentials_changed_at,
    failedMethodAdds: row.failed_method_adds,
    secondFactorAt: row.second_factor_at,
  }));
}
