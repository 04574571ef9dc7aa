// The migration runner. Prisma's CLI needs a native engine that cannot be downloaded here, so
// the project applies prisma/migrations/<name>/migration.sql itself, recording each in Prisma's
// own `_prisma_migrations` table with Prisma's checksum (SHA-256 of the file): where the engine
// is available, `prisma migrate deploy` sees the same history.
//
// All pending migrations are applied in one transaction under an advisory lock, so two
// processes starting at once apply each file exactly once, and a failure leaves nothing half-done.
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from '../logger.js';
import { PROJECT_ROOT } from '../projectRoot.js';

export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'prisma', 'migrations');
/** Arbitrary but fixed: the advisory lock key shared by every process of this app. */
export const MIGRATION_LOCK_KEY = 72_616_001;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export function readMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  return readdirSync(dir)
    .filter((name) => statSync(path.join(dir, name)).isDirectory())
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

const CREATE_HISTORY_TABLE = `
CREATE TABLE IF NOT EXISTS _prisma_migrations (
  id                  VARCHAR(36) PRIMARY KEY NOT NULL,
  checksum            VARCHAR(64) NOT NULL,
  finished_at         TIMESTAMPTZ,
  migration_name      VARCHAR(255) NOT NULL,
  logs                TEXT,
  rolled_back_at      TIMESTAMPTZ,
  started_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
  applied_steps_count INTEGER NOT NULL DEFAULT 0
)`;

/** Applies pending migrations; returns the names applied. Throws MigrationError on drift. */
export async function migrate(databaseUrl: string, options: { log?: Logger; dir?: string } = {}): Promise<string[]> {
  const files = readMigrations(options.dir);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(CREATE_HISTORY_TABLE);
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(
      'SELECT migration_name, checksum FROM _prisma_migrations WHERE rolled_back_at IS NULL AND finished_at IS NOT NULL',
    );
    const applied = new Map(rows.map((r) => [r.migration_name, r.checksum]));
    const known = new Set(files.map((f) => f.name));
    for (const name of applied.keys()) {
      if (!known.has(name)) {
        throw new MigrationError(
          `Migration ${name} is applied to the database but missing from ${options.dir ?? MIGRATIONS_DIR}. ` +
            'The database is newer than this code: deploy the newer code or restore the file.',
        );
      }
    }
    const pending: MigrationFile[] = [];
    for (const file of files) {
      const checksum = applied.get(file.name);
      if (checksum === undefined) pending.push(file);
      else if (checksum !== file.checksum) {
        throw new MigrationError(
          `Migration ${file.name} was edited after it was applied (checksum ${checksum.slice(0, 12)}… in the database, ` +
            `${file.checksum.slice(0, 12)}… on disk). Restore the original file and put the change in a new migration.`,
        );
      }
    }
    for (const file of pending) {
      options.log?.info({ migration: file.name }, 'applying migration');
      try {
        await client.query(file.sql);
      } catch (err) {
        throw new MigrationError(`Migration ${file.name} failed: ${(err as Error).message}`);
      }
      await client.query(
        `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
         VALUES ($1, $2, $3, now(), now(), 1)`,
        [randomUUID(), file.checksum, file.name],
      );
    }
    await client.query('COMMIT');
    return pending.map((f) => f.name);
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
}
