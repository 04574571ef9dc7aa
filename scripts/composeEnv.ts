// `npm run compose`: writes .env beside docker-compose.yml with new random secrets the first time
// (JWT_SECRET, the vault keys, the processors' webhook secrets, the /metrics token), then `docker compose up --build`
// reads it. An existing .env is kept: its vault keys are what decrypts the vaulted card and
// account numbers, so they must outlive every restart. Move them to a secret store for real use.
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** The secrets docker-compose.yml requires of its environment, freshly generated. */
export function newComposeSecrets(): Record<string, string> {
  const b64 = (bytes: number) => randomBytes(bytes).toString('base64');
  return {
    JWT_SECRET: b64(48),
    VAULT_KEYS: `k1:${b64(32)}`,
    VAULT_FINGERPRINT_KEY: b64(32),
    WEBHOOK_SECRET_CARD: b64(32),
    WEBHOOK_SECRET_BANK: b64(32),
    WEBHOOK_SECRET_KYC: b64(32),
    METRICS_TOKEN: randomBytes(24).toString('base64url'),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  const file = '.env';
  if (existsSync(file)) {
    console.log(`${file} exists: keeping its secrets (the vault keys in it decrypt stored card numbers).`);
  } else {
    const lines = Object.entries(newComposeSecrets()).map(([k, v]) => `${k}=${v}`);
    writeFileSync(
      file,
      `# Written by npm run compose: keep it secret, keep it safe (the vault keys decrypt stored card numbers).\n${lines.join('\n')}\n`,
      {
        mode: 0o600,
      },
    );
    console.log(`${file} written with new secrets for docker compose.`);
  }
}
