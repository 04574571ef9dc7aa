// The token vault: the only code that sees card numbers, bank account numbers and identity
// document numbers in the clear. Each secret is encrypted with AES-256-GCM under the newest data
// key (VAULT_KEYS; older keys stay to decrypt until rotated) and stored in vault.secrets, its own
// schema that nothing else reads. Callers keep the token it returns, plus a keyed fingerprint
// (HMAC-SHA256 under a separate key, so rotating data keys never changes fingerprints) that finds
// the same number added twice without decrypting anything.
//
// The vault is handed out in two shapes (services/index.ts): payment-method code gets a
// VaultWriter (store, fingerprint); only gateway adapters get reveal().
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { Sql } from '../../db/sql.js';

/** PERSONAL: a person's details sealed at rest (a KYC case's identity; services/compliance/kycIdentity.ts). */
export type SecretKind = 'PAN' | 'BANK_ACCOUNT' | 'DOCUMENT' | 'WEBHOOK_SECRET' | 'TOTP' | 'PERSONAL';

export interface VaultKey {
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

export interface VaultKeys {
  /** Oldest first; the last one encrypts. */
  dataKeys: VaultKey[];
  fingerprintKey: Buffer;
}

export interface VaultWriter {
  /**
   * Encrypts and stores a secret; returns its token and fingerprint. `ownerId`: the user it is
   * about, so that erasing them finds it (destroyOwnedBy).
   */
  store(kind: SecretKind, plaintext: string, options?: { ownerId?: string }): Promise<{ token: string; fingerprint: string }>;
  /** The keyed fingerprint a secret would get, for finding duplicates before storing. */
  fingerprint(kind: SecretKind, plaintext: string): string;
  /** Deletes a secret nothing will refer to (a declined card, a duplicate that lost a race). */
  discard(token: string): Promise<void>;
}

export interface VaultReader {
  /** The plaintext behind a token. Fails closed: unknown token, missing key or tampering throw. */
  reveal(token: string, kind: SecretKind): Promise<string>;
  /** Many at once, in one query: each token's plaintext. Fails closed like reveal, for any of them. */
  revealMany(tokens: readonly string[], kind: SecretKind): Promise<Map<string, string>>;
}

export interface Vault extends VaultWriter, VaultReader {
  /** Re-encrypts every secret not under the newest key, `batchSize` per statement. */
  rotate(options?: { batchSize?: number; onProgress?: (done: number, total: number) => void }): Promise<{ rotated: number }>;
}

/** Refused decryption or a misconfigured vault; the message never holds secret material. */
export class VaultError extends Error {
  override name = 'VaultError';
}

interface SecretRow {
  token: string;
  kind: SecretKind;
  key_id: string;
  iv: Buffer;
  ciphertext: Buffer;
  auth_tag: Buffer;
}

// Binds a ciphertext to its record: moved to another token, kind or key id, it fails to decrypt.
const aadOf = (token: string, kind: SecretKind, keyId: string) => Buffer.from(`${token}|${kind}|${keyId}`, 'utf8');

function encrypt(key: VaultKey, token: string, kind: SecretKind, plaintext: string) {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(aadOf(token, kind, key.id));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { iv, ciphertext, authTag: cipher.getAuthTag() };
}

function decrypt(keys: Map<string, VaultKey>, row: SecretRow): string {
  const key = keys.get(row.key_id);
  if (!key) throw new VaultError(`Vault record ${row.token} is encrypted under key "${row.key_id}", which is not in VAULT_KEYS.`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, row.iv);
    decipher.setAAD(aadOf(row.token, row.kind, row.key_id));
    decipher.setAuthTag(row.auth_tag);
    return Buffer.concat([decipher.update(row.ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new VaultError(`Vault record ${row.token} failed authentication: wrong key or altered ciphertext.`);
  }
}

export function createVault(deps: { sql: Sql; keys: VaultKeys }): Vault {
  const { sql } = deps;
  const { dataKeys, fingerprintKey } = deps.keys;
  if (dataKeys.length === 0) throw new VaultError('The vault needs at least one data key (VAULT_KEYS).');
  const byId = new Map(dataKeys.map((k) => [k.id, k]));
  const newest = dataKeys[dataKeys.length - 1]!;

  const fingerprint = (kind: SecretKind, plaintext: string) =>
    createHmac('sha256', fingerprintKey).update(`${kind}:${plaintext}`).digest('hex');

  return {
    fingerprint,

    async store(kind, plaintext, options) {
      const token = `vt_${randomBytes(18).toString('base64url')}`;
      const { iv, ciphertext, authTag } = encrypt(newest, token, kind, plaintext);
      await sql.query(
        'INSERT INTO vault.secrets (token, kind, key_id, iv, ciphertext, auth_tag, owner_id) VALUES ($1, $2, $3, $4, $5, $6, $7::uuid)',
        [token, kind, newest.id, iv, ciphertext, authTag, options?.ownerId ?? null],
      );
      return { token, fingerprint: fingerprint(kind, plaintext) };
    },

    async discard(token) {
      await sql.query('DELETE FROM vault.secrets WHERE token = $1', [token]);
    },

    async reveal(token, kind) {
      const [row] = await sql.query<SecretRow>('SELECT token, kind, key_id, iv, ciphertext, auth_tag FROM vault.secrets WHERE token = $1', [
        token,
      ]);
      if (!row || row.kind !== kind) throw new VaultError(`No ${kind} in the vault under that token.`);
      return decrypt(byId, row);
    },

    async revealMany(tokens, kind) {
      const unique = [...new Set(tokens)];
      if (unique.length === 0) return new Map();
      const rows = await sql.query<SecretRow>(
        'SELECT token, kind, key_id, iv, ciphertext, auth_tag FROM vault.secrets WHERE token = ANY($1::text[]) AND kind = $2',
        [unique, kind],
      );
      if (rows.length !== unique.length)
        throw new VaultError(`No ${kind} in the vault under ${unique.length - rows.length} of the tokens.`);
      return new Map(rows.map((row) => [row.token, decrypt(byId, row)]));
    },

    async rotate({ batchSize = 500, onProgress } = {}) {
      const [count] = await sql.query<{ n: string }>('SELECT count(*) AS n FROM vault.secrets WHERE key_id <> $1', [newest.id]);
      const total = Number(count!.n);
      let rotated = 0;
      onProgress?.(0, total);
      for (;;) {
        const rows = await sql.query<SecretRow>(
          'SELECT token, kind, key_id, iv, ciphertext, auth_tag FROM vault.secrets WHERE key_id <> $1 ORDER BY token LIMIT $2',
          [newest.id, batchSize],
        );
        if (rows.length === 0) break;
        // Decrypt everything first: one record that fails stops the rotation before any write.
        const updated = rows.map((row) => ({ row, ...encrypt(newest, row.token, row.kind, decrypt(byId, row)) }));
        // Only rows still under their old key are replaced, so a concurrent rotation cannot clobber one.
        await sql.query(
          `UPDATE vault.secrets s SET key_id = $1, iv = u.iv, ciphertext = u.ciphertext, auth_tag = u.auth_tag, rotated_at = now()
           FROM unnest($2::text[], $3::text[], $4::bytea[], $5::bytea[], $6::bytea[]) AS u (token, old_key, iv, ciphertext, auth_tag)
           WHERE s.token = u.token AND s.key_id = u.old_key`,
          [
            newest.id,
            updated.map((u) => u.row.token),
            updated.map((u) => u.row.key_id),
            updated.map((u) => u.iv),
            updated.map((u) => u.ciphertext),
            updated.map((u) => u.authTag),
          ],
        );
        rotated += rows.length;
        onProgress?.(Math.min(rotated, total), total);
      }
      return { rotated };
    },
  };
}
