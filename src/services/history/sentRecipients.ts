// The email or phone a sender typed, kept so that their history shows it back to them (and to no
// one else), in ledger_transactions.metadata.recipient (decision 63). It is sealed by the server
// before the posting call (sealedValues.ts: the vault's newest data key, bound to the sender), so
// the posting function only stores what it is given and a copy of the database holds no address
// in the clear; history opens it from the row it reads anyway. Whether it was an email or a phone
// is sealed too. Transactions from before hold the plain object ({"email"} or {"phone"}) until
// `npm run vault:rotate` seals them (resealRecipients, through the SECURITY DEFINER function
// ledger_reseal_recipients: the server's role may not write the ledger's rows).
import type { Sql } from '../../db/sql.js';
import { isSealed, type SealedValues } from '../vault/sealedValues.js';

export type SentRecipient = { email: string } | { phone: string };

const contextOf = (senderId: string) => `ledger.recipient:${senderId}`;

/** What metadata.recipient holds for a send by `senderId` to what they typed. */
export function sealRecipient(sealed: SealedValues, senderId: string, recipient: SentRecipient): string {
  return sealed.seal(contextOf(senderId), JSON.stringify(recipient));
}

/** The recipient a sender typed, from metadata.recipient as stored (sealed, or a plain object from before). */
export function openRecipient(sealed: SealedValues, senderId: string, stored: unknown): SentRecipient | null {
  if (stored == null) return null;
  if (isSealed(stored)) return JSON.parse(sealed.open(contextOf(senderId), stored)) as SentRecipient;
  return typeof stored === 'object' ? (stored as SentRecipient) : null;
}

/**
 * Seals recipients still in the clear and re-encrypts those under older keys, `batchSize`
 * transactions per round (a scan of the transactions that have one). Returns how many of each.
 */
export async function resealRecipients(
  sql: Sql,
  sealed: SealedValues,
  options: { batchSize?: number; onProgress?: (done: number) => void } = {},
): Promise<{ sealed: number; rotated: number }> {
  const { batchSize = 500 } = options;
  const counts = { sealed: 0, rotated: 0 };
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await sql.query<{ id: string; initiated_by: string | null; recipient: unknown }>(
      `SELECT id::text, initiated_by::text, metadata->'recipient' AS recipient FROM ledger_transactions
       WHERE metadata ? 'recipient' AND (jsonb_typeof(metadata->'recipient') <> 'string' OR split_part(metadata->>'recipient', '.', 2) <> $1)
         AND id > $2::uuid
       ORDER BY id LIMIT $3`,
      [sealed.newestKeyId, after, batchSize],
    );
    if (rows.length === 0) return counts;
    // Open everything first: one value that fails stops before any write.
    const next = rows.map((r) => {
      const recipient = openRecipient(sealed, r.initiated_by ?? '', r.recipient);
      return recipient ? sealRecipient(sealed, r.initiated_by ?? '', recipient) : null;
    });
    const changes = rows.flatMap((r, i) => (next[i] ? [{ row: r, value: next[i]! }] : []));
    if (changes.length) {
      await sql.query('SELECT ledger_reseal_recipients($1::uuid[], $2::jsonb[], $3::text[])', [
        changes.map((c) => c.row.id),
        changes.map((c) => JSON.stringify(c.row.recipient)),
        changes.map((c) => c.value),
      ]);
      for (const c of changes) counts[isSealed(c.row.recipient) ? 'rotated' : 'sealed'] += 1;
    }
    after = rows[rows.length - 1]!.id;
    options.onProgress?.(counts.sealed + counts.rotated);
  }
}
