// A KYC case's identity: the person's legal name, date of birth, address and document details.
// It is sealed in the vault as one PERSONAL secret (AES-256-GCM under the vault's newest key,
// re-encrypted by `npm run vault:rotate`, destroyed with the vault record), so a copy of the
// database holds none of it in the clear (issue 18, part 7). The document number itself is a
// separate DOCUMENT secret the provider adapter reveals; only its last characters are here.
//
// Opening identities is one vault query for any number of cases, made only when a field of the
// identity is asked for (the API's KycCase loader). Cases from before sealing keep the plain
// columns until sealLegacyIdentities (run by vault:rotate) moves them into the vault.
import type { Sql } from '../../db/sql.js';
import type { KycCase as KycCaseRecord } from '../../generated/prisma/client.js';
import type { VaultWriter } from '../vault/vault.js';

export interface KycAddress {
  line1: string;
  line2?: string | null;
  city: string;
  postalCode: string;
  country: string;
}

export interface KycIdentity {
  legalName: string;
  /** YYYY-MM-DD. */
  dateOfBirth: string;
  address: KycAddress;
  document: { type: string; country: string; last4: string } | null;
}

/** The identity_token of a case whose identity was destroyed when its retention ended (privacy/retention.ts). */
export const DESTROYED_IDENTITY_TOKEN = 'destroyed';
/** What such a case shows: nothing of the person. */
const DESTROYED_IDENTITY: KycIdentity = {
  legalName: 'Erased user',
  dateOfBirth: '',
  address: { line1: '', city: '', postalCode: '', country: '' },
  document: null,
};

/** Opens PERSONAL vault records, many in one query: all the KYC service may reveal. */
export type PersonalDataReader = (tokens: readonly string[]) => Promise<Map<string, string>>;

/** Seals an identity; the token goes in kyc_cases.identity_token. */
export async function sealIdentity(vault: VaultWriter, ownerId: string, identity: KycIdentity): Promise<string> {
  return (await vault.store('PERSONAL', JSON.stringify(identity), { ownerId })).token;
}

/** Sealed identities by token, in one vault query. */
export async function openIdentityTokens(open: PersonalDataReader, tokens: readonly string[]): Promise<Map<string, KycIdentity>> {
  const sealed = tokens.filter((t) => t !== DESTROYED_IDENTITY_TOKEN);
  const opened = await open(sealed);
  const identities = new Map([...opened].map(([token, json]) => [token, JSON.parse(json) as KycIdentity]));
  if (sealed.length < tokens.length) identities.set(DESTROYED_IDENTITY_TOKEN, DESTROYED_IDENTITY);
  return identities;
}

/** The identity of each case, in order: one vault query for the sealed ones. */
export async function openIdentities(open: PersonalDataReader, cases: readonly KycCaseRecord[]): Promise<KycIdentity[]> {
  const opened = await openIdentityTokens(
    open,
    cases.flatMap((c) => (c.identityToken ? [c.identityToken] : [])),
  );
  return cases.map((c) => (c.identityToken ? opened.get(c.identityToken)! : legacyIdentity(c)));
}

type LegacyColumns = Pick<KycCaseRecord, 'legalName' | 'dateOfBirth' | 'address' | 'documentType' | 'documentCountry' | 'documentLast4'>;

/** A case from before sealing, read from its columns (the check constraint keeps them set until sealed). */
function legacyIdentity(c: LegacyColumns): KycIdentity {
  return {
    legalName: c.legalName!,
    dateOfBirth: c.dateOfBirth!.toISOString().slice(0, 10),
    address: c.address as unknown as KycAddress,
    document: c.documentType ? { type: c.documentType, country: c.documentCountry!, last4: c.documentLast4! } : null,
  };
}

interface LegacyRow {
  id: string;
  user_id: string;
  legal_name: string;
  date_of_birth: Date;
  address: KycAddress;
  document_type: string | null;
  document_country: string | null;
  document_last4: string | null;
}

/**
 * Moves identities still in plain columns into the vault, `batchSize` cases per round, and
 * clears the columns. A case is updated only while still unsealed, so two runs (or a run beside a
 * server) never seal one twice: the loser discards its vault record. Returns how many it sealed.
 */
export async function sealLegacyIdentities(
  sql: Sql,
  vault: VaultWriter,
  options: { batchSize?: number; onProgress?: (done: number) => void } = {},
): Promise<number> {
  const { batchSize = 200 } = options;
  let sealed = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await sql.query<LegacyRow>(
      `SELECT id::text, user_id::text, legal_name, date_of_birth, address, document_type, document_country, document_last4
       FROM kyc_cases WHERE identity_token IS NULL AND id > $1::uuid ORDER BY id LIMIT $2`,
      [after, batchSize],
    );
    if (rows.length === 0) return sealed;
    for (const row of rows) {
      const identity = legacyIdentity({
        legalName: row.legal_name,
        dateOfBirth: row.date_of_birth,
        address: row.address as never,
        documentType: row.document_type,
        documentCountry: row.document_country,
        documentLast4: row.document_last4,
      });
      const token = await sealIdentity(vault, row.user_id, identity);
      const updated = await sql.query<{ id: string }>(
        `UPDATE kyc_cases SET identity_token = $2, legal_name = NULL, date_of_birth = NULL, address = NULL,
           document_type = NULL, document_country = NULL, document_last4 = NULL
         WHERE id = $1::uuid AND identity_token IS NULL RETURNING id::text`,
        [row.id, token],
      );
      // A run that dies between the two leaves one vault record that nothing refers to.
      if (updated.length) sealed += 1;
      else await vault.discard(token);
    }
    after = rows[rows.length - 1]!.id;
    options.onProgress?.(sealed);
  }
}
