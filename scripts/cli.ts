// The frame shared by the maintenance scripts: config, a quiet logger, the database closed on
// every path, and the exit code a scheduler can act on.
import { ConfigError, loadConfig, type Config } from '../src/config.js';
import { openDatabase, type Database } from '../src/db/database.js';
import { createLogger, type Logger } from '../src/logger.js';
import { createMemoryPubSub } from '../src/services/events/pubsub.js';
import { createServices, type Services } from '../src/services/index.js';
import { resolveJwtSecret, resolveVaultKeys, resolveWebhookSecrets } from '../src/server/secrets.js';

export interface ScriptContext {
  config: Config;
  db: Database;
  log: Logger;
}

export interface ScriptOptions<T> {
  poolSize: number;
  /** Apply pending migrations first (false for read-only checks). */
  migrate: boolean;
  /** Checks arguments against the config before the database opens, so bad input touches nothing. */
  prepare?: (config: Config) => T;
}

/**
 * Runs `work` with the config and an open database, closed afterwards. Any error is printed as
 * its message and exits 78 (bad configuration) or 2; `work` sets exit code 1 itself when it ran
 * and found problems. `onFailure` adds advice for errors other than bad configuration.
 */
export async function runScript<T = undefined>(
  options: ScriptOptions<T>,
  work: (ctx: ScriptContext, prepared: T) => Promise<void>,
  onFailure?: (err: unknown) => void,
): Promise<void> {
  try {
    const config = loadConfig();
    const prepared = options.prepare?.(config) as T;
    const log = createLogger({ level: 'warn' });
    const db = await openDatabase({
      databaseUrl: config.DATABASE_URL,
      role: 'application',
      dataDir: config.DATA_DIR,
      poolSize: options.poolSize,
      migrateOnStart: options.migrate,
      log,
    });
    try {
      await work({ config, db, log }, prepared);
    } finally {
      await db.close();
    }
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    if (!(err instanceof ConfigError)) onFailure?.(err);
    process.exitCode = err instanceof ConfigError ? 78 : 2;
  }
}

/** Every service, as a server builds them. */
export function scriptServices({ config, db, log }: ScriptContext): Promise<Services> {
  return createServices({
    config,
    log,
    prisma: db.prisma,
    sql: db.sql,
    // In memory here: running servers pick committed changes up through their outbox relay.
    pubsub: createMemoryPubSub(),
    jwtSecret: resolveJwtSecret(config),
    vaultKeys: resolveVaultKeys(config),
    webhookSecrets: resolveWebhookSecrets(config),
  });
}
