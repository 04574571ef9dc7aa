// Proves the migration runner (src/db/migrate.ts) and `npm run migrate`: every migration is applied
// once and recorded in `_prisma_migrations` with Prisma's checksum; edited or missing migration
// files stop it with a message naming the migration; a failing batch leaves nothing behind; two
// processes starting at once apply each migration exactly once.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../src/db/embedded.js';
import { migrate, MIGRATION_LOCK_KEY, MigrationError, MIGRATIONS_DIR } from '../../src/db/migrate.js';
import { openScratchDatabase, withClient, type ScratchDatabase } from '../helpers/scratchDatabase.js';
import { usingPostgres } from '../helpers/testDatabase.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The committed migrations with Prisma's checksum (SHA-256 hex of the file's bytes), computed here independently. */
const ON_DISK = readdirSync(MIGRATIONS_DIR)
  .filter((name) => statSync(path.join(MIGRATIONS_DIR, name)).isDirectory())
  .sort()
  .map((name) => ({
    name,
    checksum: createHash('sha256')
      .update(readFileSync(path.join(MIGRATIONS_DIR, name, 'migration.sql')))
      .digest('hex'),
  }));
const NAMES = ON_DISK.map((m) => m.name);

interface HistoryRow {
  id: string;
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  applied_steps_count: number;
}

function history(url: string): Promise<HistoryRow[]> {
  return withClient(url, async (c) => {
    const exists = await c.query(`SELECT to_regclass('_prisma_migrations') IS NOT NULL AS ok`);
    if (!exists.rows[0].ok) return [];
    const { rows } = await c.query<HistoryRow>('SELECT * FROM _prisma_migrations ORDER BY migration_name, started_at');
    return rows;
  });
}

function tableExists(url: string, table: string): Promise<boolean> {
  return withClient(url, async (c) => (await c.query('SELECT to_regclass($1) IS NOT NULL AS ok', [table])).rows[0].ok);
}

const tempDirs: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** A scratch copy of prisma/migrations that a test may edit. */
function copyOfMigrations(): string {
  const dir = tempDir('wallet-migrations-');
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

function addMigration(dir: string, name: string, sql: string): string {
  mkdirSync(path.join(dir, name));
  const file = path.join(dir, name, 'migration.sql');
  writeFileSync(file, sql);
  return file;
}

async function migrationError(promise: Promise<unknown>): Promise<MigrationError> {
  const err = await promise.then(
    () => new Error('expected a MigrationError, but migrate() succeeded'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MigrationError);
  return err as MigrationError;
}

interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): { done: Promise<ProcessResult>; exited: () => boolean } {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let exited = false;
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<ProcessResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      exited = true;
      resolve({ code, stdout, stderr });
    });
  });
  return { done, exited: () => exited };
}

let db: ScratchDatabase;

beforeAll(async () => {
  db = await openScratchDatabase();
});
afterAll(async () => {
  await db?.close();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await db.reset();
});

describe('migrate()', () => {
  it('applies every migration to an empty database, records it as Prisma does, and is idempotent', async () => {
    expect(NAMES.length).toBeGreaterThan(0);
    expect(await migrate(db.url)).toEqual(NAMES);

    const rows = await history(db.url);
    expect(rows.map((r) => ({ name: r.migration_name, checksum: r.checksum }))).toEqual(ON_DISK);
    for (const row of rows) {
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    expect(await tableExists(db.url, 'users')).toBe(true);

    expect(await migrate(db.url)).toEqual([]);
    expect(await history(db.url)).toEqual(rows);
  });

  it('refuses to run when an applied migration file was edited', async () => {
    const dir = copyOfMigrations();
    await migrate(db.url, { dir });
    const before = await history(db.url);
    const edited = NAMES[0]!;
    appendFileSync(path.join(dir, edited, 'migration.sql'), '\n-- an innocent-looking edit\n');

    const err = await migrationError(migrate(db.url, { dir }));
    expect(err.message).toContain(`Migration ${edited} was edited after it was applied`);
    expect(err.message).toContain('Restore the original file and put the change in a new migration');
    expect(await history(db.url)).toEqual(before);
  });

  it('refuses to run when the database has a migration the folder lacks', async () => {
    const dir = copyOfMigrations();
    addMigration(dir, '29990101000000_from_newer_code', 'CREATE TABLE newer_feature (id int);');
    await migrate(db.url, { dir });

    const err = await migrationError(migrate(db.url));
    expect(err.message).toContain('Migration 29990101000000_from_newer_code is applied to the database but missing');
    expect(err.message).toContain('deploy the newer code or restore the file');
  });

  it('applies nothing of a batch in which one migration fails, and names the failing migration', async () => {
    await migrate(db.url);
    const dir = copyOfMigrations();
    addMigration(dir, '29990101000000_good', 'CREATE TABLE good_table (id int);');
    const bad = addMigration(dir, '29990102000000_bad', 'CREATE TABLE bad_table (id int);\nSELECT * FROM no_such_table;');

    const err = await migrationError(migrate(db.url, { dir }));
    expect(err.message).toContain('Migration 29990102000000_bad failed');
    expect(err.message).toContain('no_such_table');
    expect(await tableExists(db.url, 'good_table')).toBe(false);
    expect(await tableExists(db.url, 'bad_table')).toBe(false);
    expect((await history(db.url)).map((r) => r.migration_name)).toEqual(NAMES);

    // Once fixed, the whole batch goes in.
    writeFileSync(bad, 'CREATE TABLE bad_table (id int);');
    expect(await migrate(db.url, { dir })).toEqual(['29990101000000_good', '29990102000000_bad']);
    expect(await tableExists(db.url, 'good_table')).toBe(true);
  });

  it('leaves an empty database empty when the very first batch fails', async () => {
    const dir = copyOfMigrations();
    addMigration(dir, '29990102000000_bad', 'SELECT * FROM no_such_table;');
    await migrationError(migrate(db.url, { dir }));
    expect(await tableExists(db.url, 'users')).toBe(false);
    expect(await tableExists(db.url, '_prisma_migrations')).toBe(false);
  });

  async function expectEachMigrationRecordedOnce(results: string[][]) {
    // One caller applied everything; the other found nothing left to do.
    expect(results.flat().sort()).toEqual(NAMES);
    expect(results.filter((applied) => applied.length === 0)).toHaveLength(1);
    const counts = await withClient(db.url, (c) =>
      c.query<{ migration_name: string; n: number }>(
        'SELECT migration_name, count(*)::int AS n FROM _prisma_migrations GROUP BY migration_name ORDER BY migration_name',
      ),
    );
    expect(counts.rows).toEqual(NAMES.map((name) => ({ migration_name: name, n: 1 })));
  }

  it.runIf(usingPostgres)('lets two processes start at once: each migration is applied exactly once', async () => {
    // Hold the migration lock so that both processes are provably waiting on it at the same time,
    // then let go: without the lock they would both apply every migration (and one would fail).
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      const args = ['--import', 'tsx', 'test/helpers/migrateProcess.ts', db.url];
      const children = [run(process.execPath, args), run(process.execPath, args)];

      const deadline = Date.now() + 20_000;
      for (;;) {
        const { rows } = await holder.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_locks
           WHERE locktype = 'advisory' AND objid = $1 AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
          [MIGRATION_LOCK_KEY],
        );
        if (rows[0]!.n === 2) break;
        if (children.some((c) => c.exited())) {
          const r = await Promise.all(children.map((c) => c.done));
          throw new Error(`a migrate process exited before waiting on the migration lock:\n${r.map((x) => x.stderr).join('\n')}`);
        }
        if (Date.now() > deadline) throw new Error('the two migrate processes never both waited on the migration lock');
        await new Promise((r) => setTimeout(r, 50));
      }
      await holder.query('COMMIT');

      const results = await Promise.all(children.map((c) => c.done));
      for (const r of results) expect(r, r.stderr).toMatchObject({ code: 0 });
      await expectEachMigrationRecordedOnce(results.map((r) => JSON.parse(r.stdout) as string[]));
    } finally {
      await holder.end();
    }
  });

  it.runIf(!usingPostgres)('lets two callers start at once: each migration is applied exactly once', async () => {
    // PGlite is single-process: a second OS process cannot open the same data folder (it is locked),
    // so here two migrate() calls race in-process over two connections to the one embedded server.
    const results = await Promise.all([migrate(db.url), migrate(db.url)]);
    await expectEachMigrationRecordedOnce(results);
  });
});

describe('npm run migrate', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = tempDir('wallet-migrate-cli-');
  });

  /** The environment the CLI runs with: this file's scratch database, or a fresh embedded DATA_DIR. */
  function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const { DATABASE_URL: _ignored, ...env } = process.env;
    return { ...env, DATA_DIR: dataDir, ...(usingPostgres ? { DATABASE_URL: db.url } : {}), ...extra };
  }

  /** Runs SQL against the database the CLI uses (on embedded, by opening its DATA_DIR while the CLI is not running). */
  async function onCliDatabase<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
    if (usingPostgres) return withClient(db.url, fn);
    const embedded = await startEmbeddedPostgres(dataDir, 2);
    try {
      return await withClient(embedded.url, fn);
    } finally {
      await embedded.close();
    }
  }

  const migrateCli = (env: NodeJS.ProcessEnv) => run('npm', ['run', '--silent', 'migrate'], env).done;

  it('applies pending migrations and prints them, then says the database is up to date', async () => {
    const first = await migrateCli(cliEnv());
    expect(first, first.stderr).toMatchObject({ code: 0 });
    expect(first.stdout.trim().split('\n')).toEqual(NAMES.map((n) => `applied ${n}`));

    const second = await migrateCli(cliEnv());
    expect(second, second.stderr).toMatchObject({ code: 0 });
    expect(second.stdout.trim()).toBe('database is up to date');

    const recorded = await onCliDatabase((c) => c.query('SELECT migration_name FROM _prisma_migrations ORDER BY 1'));
    expect(recorded.rows.map((r) => r.migration_name)).toEqual(NAMES);
  });

  it('exits non-zero with the MigrationError message when the database has drifted', async () => {
    expect(await migrateCli(cliEnv())).toMatchObject({ code: 0 });
    await onCliDatabase((c) =>
      c.query(
        `INSERT INTO _prisma_migrations (id, checksum, migration_name, finished_at, applied_steps_count)
         VALUES (gen_random_uuid()::text, repeat('0', 64), '29990101000000_from_newer_code', now(), 1)`,
      ),
    );
    const result = await migrateCli(cliEnv());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Migration 29990101000000_from_newer_code is applied to the database but missing');
    expect(result.stdout).toBe('');
  });

  it('exits 78 on a bad setting without echoing the secret in it', async () => {
    const result = await migrateCli(cliEnv({ DATABASE_URL: 'mysql://wallet:hunter2@db.example/wallet' }));
    expect(result.code).toBe(78);
    expect(result.stderr.trim()).toMatch(/^Invalid configuration: DATABASE_URL /);
    expect(result.stderr).not.toContain('hunter2');
  });
});
