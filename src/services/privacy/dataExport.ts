// GDPR data export (issue 18, part 6): everything held about a user, as one JSON document written
// as it is read. Each section is a query over the user's rows, read in keyset pages, so the
// archive's size is bounded by the writer, not by memory: a user with a million ledger entries
// streams like one with ten.
//
// What is left out, and why, is in the archive itself (`notIncluded`) and in docs/privacy.md:
// secrets (password hash, vault tokens, code hashes), AML cases and risk scores (the law forbids
// telling a person they are under AML suspicion, and fraud rules are withheld to keep them
// working), and other people's data (a counterparty is named as the user saw it, no more).
import type { Sql } from '../../db/sql.js';
import type { KycIdentity } from '../compliance/kycIdentity.js';
import type { PhoneRow } from '../accounts/phones.js';
import type { SentRecipient } from '../history/sentRecipients.js';

export const EXPORT_FORMAT = 'wallet-data-export/1';
const PAGE = 1000;

/** One section: rows as JSON, ordered by `k` (text) so pages follow each other. */
interface Section {
  name: string;
  /** $1 the user id, $2 the last key of the previous page ('' first), $3 the page size. */
  sql: string;
  /** Completes a page's rows (KYC identities are opened from the vault, one query per page). */
  complete?: (deps: DataExportDeps, rows: Record<string, unknown>[], userId: string) => Promise<Record<string, unknown>[]>;
}

const WALLETS_OF = `SELECT id FROM wallets WHERE user_id = $1::uuid`;

const SECTIONS: Section[] = [
  {
    name: 'wallets',
    sql: `SELECT id::text AS k, jsonb_build_object('id', id, 'currency', currency, 'status', status, 'postedBalance', posted_balance::text,
            'heldAmount', held_amount::text, 'createdAt', created_at) AS row
          FROM wallets WHERE user_id = $1::uuid AND id::text > $2 ORDER BY id::text LIMIT $3`,
  },
  {
    name: 'ledgerEntries',
    sql: `SELECT e.wallet_id::text || ':' || lpad(e.sequence::text, 20, '0') AS k,
            jsonb_build_object('walletId', e.wallet_id, 'sequence', e.sequence, 'transactionId', t.id, 'type', t.type, 'status', t.status,
              'amount', e.amount::text, 'currency', e.currency, 'balanceAfter', e.balance_after::text, 'note', t.note,
              'recipientAsEntered', CASE WHEN t.from_wallet_id = e.wallet_id AND t.initiated_by = $1::uuid THEN t.metadata->'recipient' END,
              'counterparty', (SELECT coalesce(u.display_name, m.name, w.system_code) FROM wallets w
                                 LEFT JOIN users u ON u.id = w.user_id LEFT JOIN merchants m ON m.id = w.merchant_id
                                 WHERE w.id = CASE WHEN t.from_wallet_id = e.wallet_id THEN t.to_wallet_id ELSE t.from_wallet_id END),
              'createdAt', e.created_at) AS row
          FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id
          WHERE e.wallet_id IN (${WALLETS_OF}) AND e.wallet_id::text || ':' || lpad(e.sequence::text, 20, '0') > $2
          ORDER BY 1 LIMIT $3`,
    // What the user typed is sealed in the row, bound to them (decision 63): opened here.
    complete: async (deps, rows, userId) =>
      rows.map((row) =>
        row.recipientAsEntered == null
          ? row
          : { ...row, recipientAsEntered: deps.sealedInRows.recipientOf(userId, row.recipientAsEntered) },
      ),
  },
  {
    name: 'holds',
    sql: `SELECT h.id::text AS k, jsonb_build_object('id', h.id, 'walletId', h.wallet_id, 'amount', h.amount::text, 'status', h.status,
            'reason', h.reason, 'createdAt', h.created_at, 'releasedAt', h.released_at) AS row
          FROM holds h WHERE h.wallet_id IN (${WALLETS_OF}) AND h.id::text > $2 ORDER BY 1 LIMIT $3`,
  },
  {
    name: 'paymentMethods',
    sql: `SELECT id::text AS k, jsonb_build_object('id', id, 'kind', kind, 'status', status, 'brand', brand, 'last4', last4,
            'holderName', holder_name, 'expMonth', exp_month, 'expYear', exp_year, 'country', country, 'createdAt', created_at,
            'removedAt', removed_at) AS row
          FROM payment_methods WHERE user_id = $1::uuid AND id::text > $2 ORDER BY 1 LIMIT $3`,
  },
  {
    name: 'fundingOperations',
    sql: `SELECT id::text AS k, jsonb_build_object('id', id, 'kind', kind, 'walletId', wallet_id, 'paymentMethodId', payment_method_id,
            'amount', amount::text, 'fee', fee::text, 'currency', currency, 'status', status, 'failureMessage', failure_message,
            'createdAt', created_at, 'updatedAt', updated_at) AS row
          FROM funding_operations WHERE user_id = $1::uuid AND id::text > $2 ORDER BY 1 LIMIT $3`,
  },
  {
    name: 'debts',
    sql: `SELECT id::text AS k, jsonb_build_object('id', id, 'currency', currency, 'amount', amount::text, 'outstanding', outstanding::text,
            'reason', reason, 'createdAt', created_at) AS row
          FROM user_debts WHERE user_id = $1::uuid AND id::text > $2 ORDER BY 1 LIMIT $3`,
  },
  {
    name: 'kycCases',
    sql: `SELECT c.id::text AS k, jsonb_build_object('id', c.id, 'level', c.level, 'status', c.status, 'reason', c.reason,
            'createdAt', c.created_at, 'identityToken', c.identity_token, 'legalName', c.legal_name, 'dateOfBirth', c.date_of_birth,
            'address', c.address, 'documentType', c.document_type, 'documentCountry', c.document_country, 'documentLast4', c.document_last4,
            'decisions', (SELECT coalesce(jsonb_agg(jsonb_build_object('decision', d.decision, 'byAdmin', d.decided_by IS NOT NULL,
                            'reason', d.reason, 'at', d.created_at) ORDER BY d.created_at), '[]') FROM kyc_decisions d WHERE d.case_id = c.id)) AS row
          FROM kyc_cases c WHERE c.user_id = $1::uuid AND c.id::text > $2 ORDER BY 1 LIMIT $3`,
    complete: withIdentities,
  },
  {
    name: 'sessions',
    sql: `SELECT id::text AS k, jsonb_build_object('id', id, 'createdAt', created_at, 'lastUsedAt', last_used_at, 'expiresAt', expires_at,
            'revokedAt', revoked_at, 'revokedReason', revoked_reason, 'ip', ip, 'userAgent', user_agent, 'deviceId', device_id) AS row
          FROM sessions WHERE user_id = $1::uuid AND id::text > $2 ORDER BY 1 LIMIT $3`,
  },
  {
    name: 'devices',
    sql: `SELECT device_id AS k, jsonb_build_object('deviceId', device_id, 'firstSeenAt', min(created_at), 'lastSeenAt', max(last_used_at),
            'sessions', count(*)) AS row
          FROM sessions WHERE user_id = $1::uuid AND device_id IS NOT NULL AND device_id > $2 GROUP BY device_id ORDER BY 1 LIMIT $3`,
  },
  {
    name: 'auditEvents',
    sql: `SELECT lpad(id::text, 20, '0') AS k, jsonb_build_object('id', id, 'kind', kind, 'at', created_at, 'ip', ip,
            'byYou', actor_id = $1::uuid, 'aboutYou', subject_id = $1::uuid, 'details', details) AS row
          FROM audit_events WHERE (actor_id = $1::uuid OR subject_id = $1::uuid) AND lpad(id::text, 20, '0') > $2 ORDER BY 1 LIMIT $3`,
  },
  {
    name: 'merchantMemberships',
    sql: `SELECT mm.merchant_id::text AS k, jsonb_build_object('merchantId', mm.merchant_id, 'merchant', m.name, 'role', mm.role,
            'since', mm.created_at) AS row
          FROM merchant_members mm JOIN merchants m ON m.id = mm.merchant_id
          WHERE mm.user_id = $1::uuid AND mm.merchant_id::text > $2 ORDER BY 1 LIMIT $3`,
  },
  {
    name: 'merchantPayments',
    sql: `SELECT p.id::text AS k, jsonb_build_object('id', p.id, 'merchant', m.name, 'amount', p.amount::text, 'currency', p.currency,
            'refunded', p.refunded::text, 'transactionId', p.transaction_id, 'at', p.created_at) AS row
          FROM merchant_payments p JOIN merchants m ON m.id = p.merchant_id
          WHERE p.payer_id = $1::uuid AND p.id::text > $2 ORDER BY 1 LIMIT $3`,
  },
  {
    name: 'riskReviews',
    sql: `SELECT id::text AS k, jsonb_build_object('id', id, 'transactionId', transaction_id, 'status', status, 'reason', reason,
            'createdAt', created_at, 'decidedAt', decided_at) AS row
          FROM risk_reviews WHERE user_id = $1::uuid AND id::text > $2 ORDER BY 1 LIMIT $3`,
  },
  {
    name: 'monthlyStatements',
    sql: `SELECT id::text AS k, jsonb_build_object('id', id, 'walletId', wallet_id, 'month', to_char(month, 'YYYY-MM'), 'timeZone', time_zone,
            'startsAt', starts_at, 'endsAt', ends_at, 'openingBalance', opening_balance::text, 'closingBalance', closing_balance::text,
            'totalIn', total_in::text, 'totalOut', total_out::text, 'totalFees', total_fees::text, 'lines', line_count,
            'createdAt', created_at) AS row
          FROM statements WHERE user_id = $1::uuid AND id::text > $2 ORDER BY 1 LIMIT $3`,
  },
  {
    name: 'paymentMethodFailures',
    sql: `SELECT lpad(id::text, 20, '0') AS k, jsonb_build_object('kind', kind, 'reason', reason, 'at', created_at) AS row
          FROM payment_method_failures WHERE user_id = $1::uuid AND lpad(id::text, 20, '0') > $2 ORDER BY 1 LIMIT $3`,
  },
  {
    // The in-app notifications: what each reported (its facts) and when it was read.
    name: 'notifications',
    sql: `SELECT id::text AS k, jsonb_build_object('id', id, 'kind', kind, 'facts', data, 'createdAt', created_at, 'readAt', read_at) AS row
          FROM notifications WHERE user_id = $1::uuid AND id::text > $2 ORDER BY 1 LIMIT $3`,
  },
  {
    name: 'pushDevices',
    sql: `SELECT id::text AS k, jsonb_build_object('id', id, 'platform', platform, 'tokenEnding', right(token, 6), 'createdAt', created_at) AS row
          FROM push_devices WHERE user_id = $1::uuid AND id::text > $2 ORDER BY 1 LIMIT $3`,
  },
  {
    // What was sent to the user by email, SMS or push: which message, when, and whether it arrived.
    // The text itself is not kept once sent (it could carry a code or a link).
    name: 'messagesSent',
    sql: `SELECT id::text AS k, jsonb_build_object('kind', kind, 'channel', channel, 'status', status, 'createdAt', created_at,
            'sentAt', sent_at) AS row
          FROM notification_messages WHERE user_id = $1::uuid AND id::text > $2 ORDER BY 1 LIMIT $3`,
  },
];

const PROFILE_SQL = `
  SELECT jsonb_build_object('id', u.id, 'email', u.email, 'displayName', u.display_name, 'phoneSealed', u.phone_sealed,
    'legacyPhone', u.legacy_phone, 'roles', u.roles,
    'kycTier', u.kyc_tier, 'timeZone', u.time_zone, 'createdAt', u.created_at, 'passwordChangedAt', u.password_changed_at,
    'mfa', jsonb_build_object('enabled', m.enabled_at IS NOT NULL, 'enabledAt', m.enabled_at,
      'unusedRecoveryCodes', (SELECT count(*) FROM mfa_recovery_codes r WHERE r.user_id = u.id AND r.used_at IS NULL))) AS row
  FROM users u LEFT JOIN user_mfa m ON m.user_id = u.id WHERE u.id = $1::uuid`;

export const NOT_INCLUDED = [
  'Your password, recovery codes, one-time codes and tokens: kept only as hashes, which are of no use to you.',
  'Card and bank account numbers: kept encrypted in the vault; the last four characters are included.',
  'Anti-money-laundering cases and fraud-rule scores: the law forbids disclosing AML suspicions, and fraud rules are withheld so that they keep working.',
  "Other people's data: a counterparty appears under the name you saw when you paid or were paid.",
];

export interface DataExportDeps {
  sql: Sql;
  /** Opens sealed KYC identities (the KYC service's). */
  openIdentities: (tokens: string[]) => Promise<Map<string, KycIdentity>>;
  /** Opens what is sealed in rows (decision 63): the user's phone, the recipients they typed. */
  sealedInRows: {
    phoneOf(row: PhoneRow): string | null;
    recipientOf(senderId: string, stored: unknown): SentRecipient | null;
  };
}

/**
 * Writes the user's archive through `write` (called with JSON text pieces, in order, awaited for
 * back-pressure). Null when there is no such user.
 */
export async function writeDataExport(
  deps: DataExportDeps,
  userId: string,
  write: (chunk: string) => Promise<void>,
  now = new Date(),
): Promise<boolean> {
  const [profile] = await deps.sql.query<{ row: Record<string, unknown> }>(PROFILE_SQL, [userId]);
  if (!profile) return false;
  const { phoneSealed, legacyPhone, ...rest } = profile.row;
  const phone = deps.sealedInRows.phoneOf({
    id: userId,
    phoneSealed: (phoneSealed as string | null) ?? null,
    legacyPhone: (legacyPhone as string | null) ?? null,
  });
  await write(
    `{"format":${JSON.stringify(EXPORT_FORMAT)},"exportedAt":${JSON.stringify(now.toISOString())},"profile":${JSON.stringify({ ...rest, phone })}`,
  );
  for (const section of SECTIONS) {
    await write(`,${JSON.stringify(section.name)}:[`);
    let after = '';
    let first = true;
    for (;;) {
      const page = await deps.sql.query<{ k: string; row: Record<string, unknown> }>(section.sql, [userId, after, PAGE]);
      const rows = section.complete
        ? await section.complete(
            deps,
            page.map((p) => p.row),
            userId,
          )
        : page.map((p) => p.row);
      for (const row of rows) {
        await write(`${first ? '' : ','}${JSON.stringify(row)}`);
        first = false;
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1]!.k;
    }
    await write(']');
  }
  await write(`,"notIncluded":${JSON.stringify(NOT_INCLUDED)}}`);
  return true;
}

/** A KYC case row with its identity: opened from the vault when sealed, else from its columns. */
async function withIdentities(deps: DataExportDeps, rows: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
  const opened = await deps.openIdentities(rows.flatMap((r) => (typeof r.identityToken === 'string' ? [r.identityToken] : [])));
  return rows.map(({ identityToken, legalName, dateOfBirth, address, documentType, documentCountry, documentLast4, ...rest }) => ({
    ...rest,
    identity:
      typeof identityToken === 'string'
        ? opened.get(identityToken)
        : {
            legalName,
            dateOfBirth,
            address,
            document: documentType ? { type: documentType, country: documentCountry, last4: documentLast4 } : null,
          },
  }));
}
