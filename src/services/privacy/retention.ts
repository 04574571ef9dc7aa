// Retention (issue 18, GDPR; docs/privacy.md): what is kept only for a while is deleted when its
// time is up, by a job (RETENTION_SCHEDULE) that deletes in batches, oldest first, so a backlog
// after downtime drains without one long transaction. Each rule says what it deletes and after how
// long (a setting). The ledger, risk evaluations and the audit log are not here: they are kept
// (financial records, and the audit chain must stay whole); an erased user's rows in them are
// pseudonymous.
import type { Sql } from '../../db/sql.js';
import { DESTROYED_IDENTITY_TOKEN } from '../compliance/kycIdentity.js';

const BATCH = 1000;

export interface RetentionSettings {
  /** Sessions ended (signed out or expired) this long ago are deleted, with their refresh tokens. */
  sessionDays: number;
  /** Sent or abandoned messages, and the sandbox providers' copies. */
  messageDays: number;
  /** Processors' webhook receipts (kept to recognise a redelivery). */
  webhookEventDays: number;
  /** Failed payment-method additions (a fraud signal). */
  fraudSignalDays: number;
}

interface Rule {
  name: string;
  /** Deletes one batch ($1: the batch size); returns the rows it deleted. */
  sql: string;
  days?: (s: RetentionSettings) => number;
}

const RULES: Rule[] = [
  {
    // A vault record kept after an erasure (a KYC identity, for the AML rules) whose time is up; the
    // case keeps a marker so that it reads as destroyed rather than failing to open.
    name: 'personal data kept after erasure',
    sql: `WITH gone AS (
            DELETE FROM vault.secrets WHERE token IN (
              SELECT token FROM vault.secrets WHERE destroy_after <= now() ORDER BY destroy_after LIMIT $1)
            RETURNING token),
          marked AS (UPDATE kyc_cases SET identity_token = '${DESTROYED_IDENTITY_TOKEN}' WHERE identity_token IN (SELECT token FROM gone))
          SELECT count(*)::int AS n FROM gone`,
  },
  {
    name: 'ended sessions',
    days: (s) => s.sessionDays,
    sql: `WITH gone AS (
            DELETE FROM sessions WHERE id IN (
              SELECT id FROM sessions WHERE least(coalesce(revoked_at, expires_at), expires_at) < now() - make_interval(days => $2)
              ORDER BY created_at LIMIT $1)
            RETURNING 1)
          SELECT count(*)::int AS n FROM gone`,
  },
  {
    name: 'used or expired one-time codes',
    sql: `WITH gone AS (
            DELETE FROM one_time_codes WHERE id IN (
              SELECT id FROM one_time_codes WHERE expires_at < now() - interval '1 day' OR used_at < now() - interval '1 day' LIMIT $1)
            RETURNING 1)
          SELECT count(*)::int AS n FROM gone`,
  },
  {
    name: 'sent or abandoned messages',
    days: (s) => s.messageDays,
    sql: `WITH gone AS (
            DELETE FROM notification_messages WHERE id IN (
              SELECT id FROM notification_messages WHERE status <> 'PENDING' AND created_at < now() - make_interval(days => $2)
              ORDER BY created_at LIMIT $1)
            RETURNING 1)
          SELECT count(*)::int AS n FROM gone`,
  },
  {
    name: "the sandbox providers' messages",
    days: (s) => s.messageDays,
    sql: `WITH gone AS (
            DELETE FROM sandbox.messages WHERE id IN (
              SELECT id FROM sandbox.messages WHERE received_at < now() - make_interval(days => $2) ORDER BY id LIMIT $1)
            RETURNING 1)
          SELECT count(*)::int AS n FROM gone`,
  },
  {
    name: "processors' webhook receipts",
    days: (s) => s.webhookEventDays,
    sql: `WITH gone AS (
            DELETE FROM webhook_events WHERE (provider, event_id) IN (
              SELECT provider, event_id FROM webhook_events WHERE received_at < now() - make_interval(days => $2)
              ORDER BY received_at LIMIT $1)
            RETURNING 1)
          SELECT count(*)::int AS n FROM gone`,
  },
  {
    name: 'failed payment-method additions',
    days: (s) => s.fraudSignalDays,
    sql: `WITH gone AS (
            DELETE FROM payment_method_failures WHERE id IN (
              SELECT id FROM payment_method_failures WHERE created_at < now() - make_interval(days => $2) ORDER BY id LIMIT $1)
            RETURNING 1)
          SELECT count(*)::int AS n FROM gone`,
  },
];

export interface Retention {
  /** Deletes everything whose time is up; returns how many rows each rule deleted (rules with none left out). */
  run(): Promise<Record<string, number>>;
}

export function createRetention(deps: { sql: Sql; settings: RetentionSettings }): Retention {
  return {
    async run() {
      const deleted: Record<string, number> = {};
      for (const rule of RULES) {
        const params: unknown[] = rule.days ? [BATCH, rule.days(deps.settings)] : [BATCH];
        for (;;) {
          const [row] = await deps.sql.query<{ n: number }>(rule.sql, params);
          if (row!.n > 0) deleted[rule.name] = (deleted[rule.name] ?? 0) + row!.n;
          if (row!.n < BATCH) break;
        }
      }
      return deleted;
    },
  };
}
