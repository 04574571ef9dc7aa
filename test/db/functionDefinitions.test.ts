// Proves prisma/functions/ (one file per database function, with the triggers that run it) holds
// exactly what the migrations leave in the database, so a reader can trust the files and a change
// to a file cannot be forgotten in a migration.
//
// How: a fresh database is migrated; every function (pg_get_functiondef) and every trigger
// (pg_get_triggerdef) in the project's schemas is read. Then, inside a transaction that is rolled
// back, all of them are dropped and the files are loaded one by one, and the same catalog
// functions are read again. Both readings come from the same server with the same settings, and
// PostgreSQL re-prints the header (name, arguments, return type, language, volatility, options)
// from its catalog and keeps the body exactly as written, so the texts are equal exactly when the
// definitions are, on PGlite (PostgreSQL 18) and PostgreSQL 15 alike: no whitespace rules or
// regular expressions decide it. Comments above a CREATE statement (the files' headers) are
// outside the definition and free to change; anything in a body, comments included, is compared.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS_DIR } from '../../src/db/migrate.js';
import {
  functionFileName,
  functionMigrationSql,
  nextMigrationTimestamp,
  readFunctionFiles,
  writeFunctionMigration,
  type FunctionFile,
} from '../../scripts/functionFiles.js';
import { openScratchDatabase, type ScratchDatabase } from '../helpers/scratchDatabase.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAKE_MIGRATION = 'npm run db:function-migration -- <migration_name>';

interface Definition {
  kind: 'function' | 'trigger';
  /** `public.wallet_refusal(code text, part text, facts jsonb)`, `trigger ledger_entries_balanced ON public.ledger_entries`. */
  id: string;
  /** The function file it belongs in (the function's own, for a trigger the one of the function it runs). */
  file: string;
  /** pg_get_functiondef / pg_get_triggerdef, and a trigger's state when it is not the default. */
  text: string;
  /** The statement that removes it (triggers before functions). */
  drop: string;
}

/** Schemas of PostgreSQL itself; every other schema (public, vault, sandbox, ...) is the project's. */
const PROJECT_SCHEMA = `n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'`;

/** Every function and trigger in the project's schemas (functions of extensions excluded). */
async function readDefinitions(client: pg.Client): Promise<Definition[]> {
  const functions = await client.query<{ schema: string; name: string; args: string; text: string; drop: string }>(`
    SELECT n.nspname AS schema, p.proname AS name, pg_get_function_identity_arguments(p.oid) AS args,
           pg_get_functiondef(p.oid) AS text, format('DROP FUNCTION %s', p.oid::regprocedure) AS drop
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE ${PROJECT_SCHEMA} AND p.prokind IN ('f', 'p')
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
    ORDER BY 1, 2, 3`);
  const triggers = await client.query<{
    name: string;
    schema: string;
    table: string;
    fschema: string;
    fname: string;
    text: string;
    enabled: string;
    drop: string;
  }>(`
    SELECT t.tgname AS name, n.nspname AS schema, c.relname AS table, fn.nspname AS fschema, p.proname AS fname,
           pg_get_triggerdef(t.oid) AS text, t.tgenabled AS enabled, format('DROP TRIGGER %I ON %I.%I', t.tgname, n.nspname, c.relname) AS drop
    FROM pg_trigger t
    JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace fn ON fn.oid = p.pronamespace
    WHERE NOT t.tgisinternal AND ${PROJECT_SCHEMA}
    ORDER BY 2, 3, 1`);
  const STATES: Record<string, string> = { D: 'DISABLE TRIGGER', R: 'ENABLE REPLICA TRIGGER', A: 'ENABLE ALWAYS TRIGGER' };
  return [
    ...triggers.rows.map(
      (t): Definition => ({
        kind: 'trigger',
        id: `trigger ${t.name} ON ${t.schema}.${t.table}`,
        file: functionFileName(t.fschema, t.fname),
        text: t.enabled === 'O' ? t.text : `${t.text}\n-- ALTER TABLE ... ${STATES[t.enabled] ?? t.enabled}`,
        drop: t.drop,
      }),
    ),
    ...functions.rows.map(
      (f): Definition => ({
        kind: 'function',
        id: `${f.schema}.${f.name}(${f.args})`,
        file: functionFileName(f.schema, f.name),
        text: f.text,
        drop: f.drop,
      }),
    ),
  ];
}

const fileOf = (name: string) => `prisma/functions/${name}.sql`;

/**
 * Run inside a transaction the caller rolls back: removes every function and trigger in `live`,
 * loads the files one by one and reads what they define; each definition's `file` is the file that
 * created it. Problems: a file that does not load, defines no function, defines another file's
 * function, or a function or trigger other than its own.
 */
async function definitionsFromFiles(
  client: pg.Client,
  files: FunctionFile[],
  live: Definition[],
): Promise<{ definitions: Definition[]; problems: string[] }> {
  const problems: string[] = [];
  for (const d of live) {
    try {
      await client.query(d.drop);
    } catch (err) {
      // E.g. a column default, CHECK or view that uses the function: this test would need to rebuild it.
      throw new Error(
        `Cannot compare ${d.id} with its file: ${d.drop} failed (${(err as Error).message}). Teach test/db/functionDefinitions.test.ts to handle it.`,
      );
    }
  }
  const createdBy = new Map<string, string>();
  let before = new Map((await readDefinitions(client)).map((d) => [d.id, d]));
  for (const file of files) {
    await client.query('SAVEPOINT function_file');
    try {
      await client.query(file.sql);
      await client.query('RELEASE SAVEPOINT function_file');
    } catch (err) {
      await client.query('ROLLBACK TO SAVEPOINT function_file');
      problems.push(`${fileOf(file.name)} does not load on the migrated database: ${(err as Error).message}. Fix the file.`);
      continue;
    }
    const after = new Map((await readDefinitions(client)).map((d) => [d.id, d]));
    let functions = 0;
    for (const d of after.values()) {
      const earlier = before.get(d.id);
      if (earlier && earlier.text === d.text) continue;
      if (earlier) {
        const owner = createdBy.get(d.id);
        problems.push(
          `${fileOf(file.name)} redefines ${d.id}, which ${owner ? fileOf(owner) : 'the database'} defines: one function per file.`,
        );
        continue;
      }
      createdBy.set(d.id, file.name);
      if (d.kind === 'function') functions++;
      if (d.file !== file.name) {
        problems.push(
          `${fileOf(file.name)} defines ${d.id}, which belongs in ${fileOf(d.file)}: ` +
            'a file holds one function (and the triggers that run it) and is named after it.',
        );
      }
    }
    if (functions === 0)
      problems.push(`${fileOf(file.name)} defines no function: name the file after the function it defines, or delete it.`);
    before = after;
  }
  return { definitions: [...before.values()].map((d) => ({ ...d, file: createdBy.get(d.id) ?? d.file })), problems };
}

/** Where two definitions first differ: the line number and both lines, around the first differing character. */
function firstDifference(kind: Definition['kind'], database: string, file: string): string {
  const a = database.split('\n');
  const b = file.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  let c = 0;
  while (c < (a[i] ?? '').length && a[i]![c] === b[i]?.[c]) c++;
  const from = c > 60 ? c - 40 : 0;
  const show = (line: string | undefined) => {
    if (line === undefined) return '(no such line)';
    const part = line.slice(from, from + 120);
    return `${from > 0 ? '…' : ''}${JSON.stringify(part)}${from + 120 < line.length ? '…' : ''}`;
  };
  return `first difference at line ${i + 1} of pg_get_${kind}def:\n    database: ${show(a[i])}\n    file:     ${show(b[i])}`;
}

/** Every difference between the migrated database and the files, each saying which function and what to do. */
function compareDefinitions(live: Definition[], fromFiles: Definition[]): string[] {
  const problems: string[] = [];
  const files = new Map(fromFiles.map((d) => [d.id, d]));
  const liveIds = new Set(live.map((d) => d.id));
  for (const d of live) {
    const f = files.get(d.id);
    if (!f) {
      problems.push(
        d.kind === 'function'
          ? `${d.id} is in the database but in no file: put its current definition (pg_get_functiondef) in ${fileOf(d.file)} as CREATE OR REPLACE FUNCTION.`
          : `${d.id} is in the database but in no file: add its CREATE OR REPLACE TRIGGER to ${fileOf(d.file)}, the file of the function it runs.`,
      );
    } else if (f.text !== d.text) {
      problems.push(
        `${d.id} differs between the database (after every migration) and ${fileOf(f.file)}. If the file holds the change you want, ` +
          `write a migration with \`${MAKE_MIGRATION} ${f.file}\`; if not, make the file match the database. ` +
          firstDifference(d.kind, d.text, f.text),
      );
    }
  }
  for (const f of fromFiles) {
    if (!liveIds.has(f.id)) {
      problems.push(
        `${fileOf(f.file)} defines ${f.id}, which the database does not have after every migration: write a migration with ` +
          `\`${MAKE_MIGRATION} ${f.file}\` (or, if it was dropped on purpose, remove it from the file).`,
      );
    }
  }
  return problems;
}

async function inRolledBackTransaction<T>(client: pg.Client, fn: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    return await fn();
  } finally {
    await client.query('ROLLBACK');
  }
}

let db: ScratchDatabase;
let client: pg.Client;
let files: FunctionFile[];
let live: Definition[];
let fromFiles: { definitions: Definition[]; problems: string[] };
const tempDirs: string[] = [];

beforeAll(async () => {
  db = await openScratchDatabase();
  await migrate(db.url);
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
  files = readFunctionFiles();
  live = await readDefinitions(client);
  fromFiles = await inRolledBackTransaction(client, () => definitionsFromFiles(client, files, live));
});
afterAll(async () => {
  await client?.end();
  await db?.close();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('prisma/functions/', () => {
  it('holds every function and trigger of the migrated database, exactly as the migrations leave them', async () => {
    const problems = [...fromFiles.problems, ...compareDefinitions(live, fromFiles.definitions)];
    expect(problems, problems.join('\n\n')).toEqual([]);
    // Guards against comparing nothing with nothing: the ledger's functions and triggers are there.
    const ids = live.map((d) => d.id);
    expect(ids).toContain('public.wallet_post_transfers(requests jsonb)');
    expect(ids).toContain('trigger ledger_entries_balanced ON public.ledger_entries');
    expect(fromFiles.definitions.map((d) => d.id).sort()).toEqual([...ids].sort());
    // Reading the database again after the rolled-back load finds it as it was.
    expect(await readDefinitions(client)).toEqual(live);
  });

  it('reports a definition that differs, one without a file and a file without a definition, naming each and what to do', () => {
    const post = fromFiles.definitions.find((d) => d.id === 'public.wallet_post_transfers(requests jsonb)')!;
    const trigger = fromFiles.definitions.find((d) => d.id === 'trigger ledger_entries_no_truncate ON public.ledger_entries')!;
    const altered = fromFiles.definitions
      .filter((d) => d.id !== 'public.wallet_refusal(code text, part text, facts jsonb)')
      .map((d) =>
        d === post
          ? { ...d, text: d.text.replace("'TRANSFER_DECLINED'", "'DECLINED_HERE'") }
          : d === trigger
            ? { ...d, text: d.text.replace('BEFORE TRUNCATE', 'AFTER TRUNCATE') }
            : d,
      )
      .concat({
        kind: 'function',
        id: 'public.wallet_extra(x integer)',
        file: 'wallet_extra',
        text: 'CREATE OR REPLACE FUNCTION …',
        drop: '',
      });
    expect(altered.find((d) => d.id === post.id)!.text).not.toBe(post.text);

    const problems = compareDefinitions(live, altered);
    expect(problems).toHaveLength(4);
    const [truncate, posting, refusal, extra] = problems as [string, string, string, string];
    expect(posting).toContain(
      'public.wallet_post_transfers(requests jsonb) differs between the database (after every migration) and prisma/functions/wallet_post_transfers.sql',
    );
    expect(posting).toContain('write a migration with `npm run db:function-migration -- <migration_name> wallet_post_transfers`');
    expect(posting).toMatch(
      /first difference at line \d+ of pg_get_functiondef:\n {4}database: .*'TRANSFER_DECLINED'.*\n {4}file: {5}.*'DECLINED_HERE'/,
    );
    expect(truncate).toContain('trigger ledger_entries_no_truncate ON public.ledger_entries differs');
    expect(truncate).toContain('prisma/functions/ledger_entries_append_only.sql');
    expect(truncate).toMatch(/database: "CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE.*\n {4}file: {5}".*AFTER TRUNCATE/);
    expect(refusal).toBe(
      'public.wallet_refusal(code text, part text, facts jsonb) is in the database but in no file: ' +
        'put its current definition (pg_get_functiondef) in prisma/functions/wallet_refusal.sql as CREATE OR REPLACE FUNCTION.',
    );
    expect(extra).toContain('prisma/functions/wallet_extra.sql defines public.wallet_extra(x integer), which the database does not have');
    expect(extra).toContain('`npm run db:function-migration -- <migration_name> wallet_extra`');
  });

  it('catches a function changed in the database but not in its file, in the header or the body', async () => {
    const problems = await inRolledBackTransaction(client, async () => {
      // What a migration written by hand (not from the file) would do.
      await client.query('ALTER FUNCTION wallet_limit_breach STABLE');
      await client.query(`CREATE OR REPLACE FUNCTION wallet_refusal(code TEXT, part TEXT, facts JSONB DEFAULT NULL) RETURNS JSONB
        LANGUAGE sql IMMUTABLE AS $$ SELECT jsonb_build_object('ok', false, 'code', code, 'part', part) $$`);
      await client.query('CREATE FUNCTION vault.forgotten() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$');
      const drifted = await readDefinitions(client);
      const loaded = await definitionsFromFiles(client, files, drifted);
      return [...loaded.problems, ...compareDefinitions(drifted, loaded.definitions)];
    });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toContain(
      'public.wallet_limit_breach(lim jsonb, tier text, amt bigint, sent_day bigint, sent_month bigint, balance bigint, today date, this_month date) differs',
    );
    expect(problems[0]).toMatch(/database: " STABLE"\n {4}file: {5}" IMMUTABLE"/);
    expect(problems[1]).toContain('public.wallet_refusal(code text, part text, facts jsonb) differs');
    expect(problems[1]).toContain('`npm run db:function-migration -- <migration_name> wallet_refusal`');
    expect(problems[2]).toBe(
      'vault.forgotten() is in the database but in no file: put its current definition (pg_get_functiondef) in prisma/functions/vault.forgotten.sql as CREATE OR REPLACE FUNCTION.',
    );
  });

  it('reports a file that defines a function of another name, or one that does not load', async () => {
    const problems = await inRolledBackTransaction(client, async () => {
      const odd: FunctionFile[] = [
        ...files,
        { name: 'wallet_misnamed', path: '', sql: 'CREATE OR REPLACE FUNCTION wallet_other() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;' },
        {
          name: 'wallet_broken',
          path: '',
          sql: 'CREATE OR REPLACE FUNCTION wallet_broken() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1 END $$;',
        },
      ];
      return (await definitionsFromFiles(client, odd, live)).problems;
    });
    expect(problems).toEqual([
      'prisma/functions/wallet_misnamed.sql defines public.wallet_other(), which belongs in prisma/functions/wallet_other.sql: ' +
        'a file holds one function (and the triggers that run it) and is named after it.',
      expect.stringMatching(
        /^prisma\/functions\/wallet_broken\.sql does not load on the migrated database: syntax error .*Fix the file\.$/,
      ),
    ]);
  });
});

interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[]): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function copyOfMigrations(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'wallet-function-migrations-'));
  tempDirs.push(dir);
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

describe('npm run db:function-migration', () => {
  it('writes a migration from the function files that, applied on the migrated database, changes nothing', async () => {
    const dir = copyOfMigrations();
    const before = readdirSync(dir);
    const names = files.map((f) => f.name);
    const result = await run('npm', [
      'run',
      '--silent',
      'db:function-migration',
      '--',
      '--migrations-dir',
      dir,
      'every_function',
      ...names,
    ]);
    expect(result, result.stderr).toMatchObject({ code: 0 });

    const added = readdirSync(dir).filter((name) => !before.includes(name));
    expect(added).toHaveLength(1);
    const folder = added[0]!;
    expect(folder).toMatch(/^\d{14}_every_function$/);
    expect(
      [...before, folder]
        .filter((n) => /^\d{14}_/.test(n))
        .sort()
        .at(-1),
    ).toBe(folder); // sorts after every migration
    const sql = readFileSync(path.join(dir, folder, 'migration.sql'), 'utf8');
    expect(sql).toBe(functionMigrationSql(files));
    for (const f of files) expect(sql).toContain(f.sql);
    expect(result.stdout).toContain(`wrote ${path.relative(ROOT, path.join(dir, folder, 'migration.sql'))}`);
    for (const name of names) expect(result.stdout).toContain(`from prisma/functions/${name}.sql`);

    // Applied on top of the migrated database, as the runner would apply it: every file re-runs
    // (CREATE OR REPLACE), and the database's definitions are what they were.
    const after = await inRolledBackTransaction(client, async () => {
      await client.query(sql);
      return readDefinitions(client);
    });
    expect(compareDefinitions(live, after)).toEqual([]);
    expect(after.map((d) => d.id)).toEqual(live.map((d) => d.id));
  });

  it('refuses an unknown function or a bad name, writing nothing', async () => {
    const dir = copyOfMigrations();
    const before = readdirSync(dir);
    const unknown = await run('npm', [
      'run',
      '--silent',
      'db:function-migration',
      '--',
      '--migrations-dir',
      dir,
      'fix',
      'wallet_post_transfer',
    ]);
    expect(unknown.code).toBe(2);
    // It names the files there are (every one, in order; the list grows, so two are checked).
    expect(unknown.stderr).toContain(
      'No file for wallet_post_transfer in prisma/functions. The function files are: audit_events_append_only, ',
    );
    expect(unknown.stderr).toMatch(/, wallet_post_transfers, .*wallet_sends_in_window\./);
    expect(() => writeFunctionMigration({ name: 'Fix-It', functions: ['wallet_refusal'], migrationsDir: dir })).toThrow(
      /lower-case words joined by underscores/,
    );
    expect(() => writeFunctionMigration({ name: 'fix', functions: [], migrationsDir: dir })).toThrow(/at least one function/);
    expect(() =>
      writeFunctionMigration({
        name: 'fix',
        functions: ['wallet_refusal'],
        drop: ['wallet_refusal; DROP TABLE wallets'],
        migrationsDir: dir,
      }),
    ).toThrow(/--drop takes a function signature/);
    expect(readdirSync(dir)).toEqual(before);
  });

  it('drops a function first when its signature changes (--drop), and the result loads', async () => {
    const dir = copyOfMigrations();
    const refusal = files.find((f) => f.name === 'wallet_refusal')!;
    const written = writeFunctionMigration({
      name: 'refusal_again',
      functions: ['wallet_refusal'],
      drop: ['wallet_refusal(text, text, jsonb)'],
      migrationsDir: dir,
    });
    const sql = readFileSync(written.file, 'utf8');
    expect(sql).toBe(functionMigrationSql([refusal], ['wallet_refusal(text, text, jsonb)']));
    expect(sql.indexOf('DROP FUNCTION IF EXISTS wallet_refusal(text, text, jsonb);')).toBeLessThan(
      sql.indexOf('CREATE OR REPLACE FUNCTION wallet_refusal'),
    );
    const after = await inRolledBackTransaction(client, async () => {
      await client.query(sql);
      return readDefinitions(client);
    });
    expect(compareDefinitions(live, after)).toEqual([]);
  });

  it('dates the migration now, or just after the newest migration when that is later', () => {
    const existing = ['20261128000000_merchants', '20261128235959_partners', 'migration_lock.toml'];
    expect(nextMigrationTimestamp(new Date('2026-12-03T15:04:05.678Z'), existing)).toBe('20261203150405');
    expect(nextMigrationTimestamp(new Date('2026-11-01T00:00:00Z'), existing)).toBe('20261129000000');
    expect(nextMigrationTimestamp(new Date('2026-11-28T23:59:59Z'), existing)).toBe('20261129000000');
  });
});
