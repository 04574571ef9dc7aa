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
  /** In-app notifications. */
  notificationDays: number;
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

/** One batch of `table`'s rows matching `where`, oldest (`order`) first, deleted; counts them. */
const deleteOldest = (table: string, key: string, where: string, order: string) => `
  WITH gone AS (
    DELETE FROM ${table} WHERE (${key}) IN (SELECT ${key} FROM ${table} WHERE ${where} ORDER BY ${order} LIMIT $1)
    RETURNING 1)
  SELECT count(*)::int AS n FROM gone`;
const OLDER_THAN_SETTING = 'now() - make_interval(days => $2)';

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
    sql: deleteOldest('sessions', 'id', `least(coalesce(revoked_at, expires_at), expires_at) < ${OLDER_THAN_SETTING}`, 'created_at'),
  },
  {
    name: 'used or expired one-time codes',
    sql: deleteOldest('one_time_codes', 'id', `expires_at < now() - interval '1 day' OR used_at < now() - interval '1 day'`, 'expires_at'),
  },
  {
    name: 'sent or abandoned messages',
    days: (s) => s.messageDays,
    sql: deleteOldest('notification_messages', 'id', `status <> 'PENDING' AND created_at < ${OLDER_THAN_SETTING}`, 'created_at'),
  },
  {
    // Fanned out already: one still pending is left to the dispatcher, however old.
    name: 'in-app notifications',
    days: (s) => s.notificationDays,
    sql: deleteOldest('notifications', 'id', `created_at < ${OLDER_THAN_SETTING} AND NOT fanout_pending`, 'created_at'),
  },
  {
    name: "the sandbox providers' messages",
    days: (s) => s.messageDays,
    sql: deleteOldest('sandbox.messages', 'id', `received_at < ${OLDER_THAN_SETTING}`, 'id'),
  },
  {
    name: "processors' webhook receipts",
    days: (s) => s.webhookEventDays,
    sql: deleteOldest('webhook_events', 'provider, event_id', `received_at < ${OLDER_THAN_SETTING}`, 'received_at'),
  },
  {
    name: 'failed payment-method additions',
    days: (s) => s.fraudSignalDays,
    sql: deleteOldest('payment_method_failures', 'id', `created_at < ${OLDER_THAN_SETTING}`, 'id'),
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
