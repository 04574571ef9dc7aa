// Small personal values sealed in the row that holds them (decision 63): a user's phone number,
// the email or phone a sender typed (ledger_transactions.metadata.recipient). AES-256-GCM under the
// vault's newest data key (VAULT_KEYS), like vault.secrets, but kept in the row itself, so reading
// the row is reading the value: no vault query, no extra round trip. A sealed value is a string,
// "sv1.<key id>.<base64url of iv | tag | ciphertext>", bound (AAD) to what it belongs to (the
// context: e.g. the user's id) and to its key id, so a value copied to another row, or relabelled
// with another key id, does not open. `npm run vault:rotate` re-encrypts values under older keys.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { VaultError, type VaultKey, type VaultKeys } from './vault.js';

const PREFIX = 'sv1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface SealedValues {
  /** The newest data key's id: what seal() uses and rotation moves values to. */
  readonly newestKeyId: string;
  seal(context: string, plaintext: string): string;
  /** The plaintext of a sealed value. Fails closed (VaultError): unknown key, another context, tampering. */
  open(context: string, sealed: string): string;
  /** Whether a sealed value is under the newest key already (rotation skips it). */
  isCurrent(sealed: string): boolean;
}

/** Whether a stored value is a sealed one (rather than a value from before sealing). */
export const isSealed = (value: unknown): value is string => typeof value === 'string' && value.startsWith(`${PREFIX}.`);

const aadOf = (context: string, keyId: string) => Buffer.from(`${context}|${keyId}`, 'utf8');

export function createSealedValues(keys: Pick<VaultKeys, 'dataKeys'>): SealedValues {
  if (keys.dataKeys.length === 0) throw new VaultError('Sealing needs at least one data key (VAULT_KEYS).');
  const byId = new Map<string, VaultKey>(keys.dataKeys.map((k) => [k.id, k]));
  const newest = keys.dataKeys[keys.dataKeys.length - 1]!;

  const parts = (sealed: string) => {
    const [prefix, keyId, body, extra] = sealed.split('.');
    if (prefix !== PREFIX || !keyId || !body || extra !== undefined) throw new VaultError('Not a sealed value.');
    return { keyId, body };
  };

  return {
    newestKeyId: newest.id,

    seal(context, plaintext) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', newest.key, iv);
      cipher.setAAD(aadOf(context, newest.id));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return `${PREFIX}.${newest.id}.${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url')}`;
    },

    open(context, sealed) {
      const { keyId, body } = parts(sealed);
      const key = byId.get(keyId);
      if (!key) throw new VaultError(`A sealed value is encrypted under key "${keyId}", which is not in VAULT_KEYS.`);
      const bytes = Buffer.from(body, 'base64url');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key.key, bytes.subarray(0, IV_BYTES));
        decipher.setAAD(aadOf(context, keyId));
        decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        throw new VaultError('A sealed value failed authentication: wrong key, altered, or moved from another row.');
      }
    },

    isCurrent(sealed) {
      return parts(sealed).keyId === newest.id;
    },
  };
}
