// The database's functions, one readable file each (prisma/functions/<name>.sql, or
// <schema>.<name>.sql outside public), and the migrations made from them. A file holds the
// function's current definition as a re-runnable CREATE OR REPLACE statement, with the triggers
// that run it; a migration that changes a function is that file's text, copied into a new folder
// of prisma/migrations (migrations are history: they are never edited). The database and the files
// are compared by test/db/functionDefinitions.test.ts.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MIGRATIONS_DIR } from '../src/db/migrate.js';
import { PROJECT_ROOT } from '../src/projectRoot.js';

export const FUNCTIONS_DIR = path.join(PROJECT_ROOT, 'prisma', 'functions');

export interface FunctionFile {
  /** The function the file defines: its file name without `.sql` (`wallet_post_transfers`, `vault.x`). */
  name: string;
  path: string;
  sql: string;
}

/** Every function file, by name. */
export function readFunctionFiles(dir = FUNCTIONS_DIR): FunctionFile[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => ({ name: file.slice(0, -'.sql'.length), path: path.join(dir, file), sql: readFileSync(path.join(dir, file), 'utf8') }));
}

/** The file a database function belongs in: its name, schema-qualified outside public. */
export function functionFileName(schema: string, name: string): string {
  return schema === 'public' ? name : `${schema}.${name}`;
}

/** Prisma's migration folder timestamp (UTC, YYYYMMDDHHMMSS), kept after every existing migration so it sorts last. */
export function nextMigrationTimestamp(now: Date, existing: string[]): string {
  const format = (d: Date) => d.toISOString().replace(/\D/g, '').slice(0, 14);
  let at = now;
  const last = existing
    .map((name) => name.slice(0, 14))
    .filter((ts) => /^\d{14}$/.test(ts))
    .sort()
    .at(-1);
  if (last && format(at) <= last) {
    const parsed = new Date(
      `${last.slice(0, 4)}-${last.slice(4, 6)}-${last.slice(6, 8)}T${last.slice(8, 10)}:${last.slice(10, 12)}:${last.slice(12, 14)}Z`,
    );
    at = new Date(parsed.getTime() + 1000);
  }
  return format(at);
}

/** The text of a migration made from function files, in the order given. */
export function functionMigrationSql(files: FunctionFile[], drop: string[] = []): string {
  const header =
    `-- Made by \`npm run db:function-migration\` from prisma/functions/: ${files.map((f) => `${f.name}.sql`).join(', ')}.\n` +
    '-- Change the function files and make a new migration; never edit this one (it is history).\n';
  // A function whose signature or return type changes, or that is gone, is dropped first:
  // CREATE OR REPLACE cannot change either.
  const drops = drop.map((signature) => `DROP FUNCTION IF EXISTS ${signature};\n`).join('');
  return [header, ...(drops ? [drops] : []), ...files.map((f) => f.sql.replace(/\s*$/, '\n'))].join('\n');
}

export interface WrittenMigration {
  name: string;
  file: string;
  functions: FunctionFile[];
}

/** Writes prisma/migrations/<timestamp>_<name>/migration.sql from the named function files. */
export function writeFunctionMigration(options: {
  name: string;
  functions: string[];
  /** Signatures to drop before the functions are created, e.g. `wallet_refusal(text, text, text)`. */
  drop?: string[];
  functionsDir?: string;
  migrationsDir?: string;
  now?: Date;
}): WrittenMigration {
  const { name, functionsDir = FUNCTIONS_DIR, migrationsDir = MIGRATIONS_DIR } = options;
  if (!/^[a-z0-9]+(_[a-z0-9]+)*$/.test(name)) {
    throw new Error(`The migration name "${name}" must be lower-case words joined by underscores, e.g. post_transfers_fee_cap.`);
  }
  if (options.functions.length === 0) throw new Error('Name at least one function (a file of prisma/functions/).');
  const available = new Map(readFunctionFiles(functionsDir).map((f) => [f.name, f]));
  const wanted = [...new Set(options.functions.map((f) => path.basename(f).replace(/\.sql$/, '')))];
  const unknown = wanted.filter((f) => !available.has(f));
  if (unknown.length > 0) {
    throw new Error(
      `No file for ${unknown.join(', ')} in ${path.relative(PROJECT_ROOT, functionsDir) || functionsDir}. ` +
        `The function files are: ${[...available.keys()].join(', ')}.`,
    );
  }
  for (const signature of options.drop ?? []) {
    if (!/^[a-z_][a-z0-9_.]*\([a-z0-9_ ,[\]]*\)$/i.test(signature)) {
      throw new Error(`--drop takes a function signature such as wallet_refusal(text, text, text), not "${signature}".`);
    }
  }
  const files = wanted.map((f) => available.get(f)!);
  const folder = `${nextMigrationTimestamp(options.now ?? new Date(), readdirSync(migrationsDir))}_${name}`;
  const dir = path.join(migrationsDir, folder);
  if (existsSync(dir)) throw new Error(`${dir} exists already.`);
  mkdirSync(dir);
  const file = path.join(dir, 'migration.sql');
  writeFileSync(file, functionMigrationSql(files, options.drop), { flag: 'wx' });
  return { name: folder, file, functions: files };
}
