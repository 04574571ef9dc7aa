// `npm run migrate`: applies pending migrations to the database the config names (PostgreSQL at
// DATABASE_URL, else the embedded database in DATA_DIR) and says what it did. Exits 78 on a bad
// setting and 1 when the database and prisma/migrations disagree (the message says what to do).
import { ConfigError, loadConfig } from '../config.js';
import { startEmbeddedPostgres } from './embedded.js';
import { migrate } from './migrate.js';

try {
  const config = loadConfig();
  const embedded = config.DATABASE_URL ? undefined : await startEmbeddedPostgres(config.DATA_DIR, 2);
  try {
    const applied = await migrate(config.DATABASE_URL ?? embedded!.url);
    for (const name of applied) console.log(`applied ${name}`);
    if (!applied.length) console.log('database is up to date');
  } finally {
    await embedded?.close();
  }
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = err instanceof ConfigError ? 78 : 1;
}
