// Keys the server needs: from configuration, or (outside production, where config requires them)
// generated on first start and kept in DATA_DIR, so the embedded default keeps working across
// restarts: tokens stay valid and vaulted card numbers stay readable.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import type { VaultKeys } from '../services/vault/vault.js';

/** Reads DATA_DIR/<name>, creating it with `generate()` the first time. */
function localSecret(config: Config, name: string, generate: () => string): string {
  const file = path.resolve(config.DATA_DIR, name);
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    // 'wx' fails if the file exists, so two processes starting together agree on one value.
    writeFileSync(file, generate(), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return readFileSync(file, 'utf8').trim();
}

export function resolveJwtSecret(config: Config): string {
  if (config.JWT_SECRET) return config.JWT_SECRET;
  const secret = localSecret(config, 'jwt-secret', () => randomBytes(48).toString('base64url'));
  if (secret.length < 32)
    throw new Error(
      `${path.resolve(config.DATA_DIR, 'jwt-secret')} holds a secret shorter than 32 characters: delete it or set JWT_SECRET.`,
    );
  return secret;
}

/** "id:base64,id:base64" (oldest first) → keys; the format is checked by config. */
export function parseVaultKeys(list: string): VaultKeys['dataKeys'] {
  return list.split(',').map((entry) => {
    const [id, key] = entry.split(':') as [string, string];
    return { id, key: Buffer.from(key, 'base64') };
  });
}

export function resolveVaultKeys(config: Config): VaultKeys {
  const keys = config.VAULT_KEYS ?? localSecret(config, 'vault-keys', () => `local1:${randomBytes(32).toString('base64')}`);
  const fingerprint =
    config.VAULT_FINGERPRINT_KEY ?? localSecret(config, 'vault-fingerprint-key', () => randomBytes(32).toString('base64'));
  return { dataKeys: parseVaultKeys(keys), fingerprintKey: Buffer.from(fingerprint, 'base64') };
}

/** Webhook secrets per processor, newest first (the sandbox signs with the first). */
export function resolveWebhookSecrets(config: Config): { card: string[]; bank: string[]; kyc: string[] } {
  const of = (configured: string | undefined, name: string) =>
    (configured ?? localSecret(config, name, () => randomBytes(32).toString('base64url'))).split(',');
  return {
    card: of(config.WEBHOOK_SECRET_CARD, 'webhook-secret-card'),
    bank: of(config.WEBHOOK_SECRET_BANK, 'webhook-secret-bank'),
    kyc: of(config.WEBHOOK_SECRET_KYC, 'webhook-secret-kyc'),
  };
}
