// `npm run vault:rotate`: re-encrypts every vaulted number under the newest key in VAULT_KEYS
// (the last one), showing progress. Add the new key at the end of VAULT_KEYS, restart the
// servers, run this, and only then remove the old key. Safe to run again or while servers run.
import { ConfigError, loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { createLogger } from '../src/logger.js';
import { resolveVaultKeys } from '../src/server/secrets.js';
import { createVault } from '../src/services/vault/vault.js';

try {
  const config = loadConfig();
  const log = createLogger({ level: 'warn' });
  const keys = resolveVaultKeys(config);
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: 2, migrateOnStart: true, log });
  try {
    const newest = keys.dataKeys[keys.dataKeys.length - 1]!.id;
    const vault = createVault({ sql: db.sql, keys });
    let last = 0;
    const { rotated } = await vault.rotate({
      onProgress(done, total) {
        if (total === 0) return;
        if (done === total || Date.now() - last > 500) {
          last = Date.now();
          process.stdout.write(`\rre-encrypting under key "${newest}": ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}`);
        }
      },
    });
    console.log(rotated ? `\n${rotated.toLocaleString('en-US')} record(s) now under key "${newest}".` : `Every record is already under key "${newest}".`);
  } finally {
    await db.close();
  }
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  if (!(err instanceof ConfigError)) {
    console.error('Records already re-encrypted stay so; fix VAULT_KEYS (list every key still in use, newest last) and run again.');
  }
  process.exitCode = err instanceof ConfigError ? 78 : 2;
}
