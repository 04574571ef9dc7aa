// The suite's own PostgreSQL: a throwaway cluster made with initdb in a temporary folder, run as
// the `postgres` OS user (PostgreSQL refuses to run as root), listening on 127.0.0.1 only with
// its socket in that folder and trust authentication. fsync stays on: the crash fault
// (`pg_ctl restart -m immediate`) is only meaningful when the cluster recovers from its WAL.
import { execFile } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export const DATABASE_NAME = 'wallet';

/** PostgreSQL 15's binaries (the version CI runs), else the newest installed. */
function binDir(): string {
  const root = '/usr/lib/postgresql';
  if (existsSync(`${root}/15/bin/initdb`)) return `${root}/15/bin`;
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(`${root}/${v}/bin/initdb`)) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error('PostgreSQL is not installed (no /usr/lib/postgresql/<version>/bin/initdb): apt-get install postgresql-15');
  return `${root}/${newest}/bin`;
}

export type RestartMode = 'fast' | 'immediate';

export interface PostgresCluster {
  port: number;
  /** The wallet database, directly (checks and the ledger audit; the server goes through the proxy). */
  url: string;
  /** `url` on another port (the proxy's). */
  urlVia(port: number): string;
  version: string;
  logFile: string;
  /** `pg_ctl restart -m <mode>`; resolves when it accepts connections again. */
  restart(mode: RestartMode): Promise<void>;
  /** Runs fn with a fresh connection to the wallet database (bypassing the proxy). */
  withSql<T>(fn: (sql: pg.Client) => Promise<T>): Promise<T>;
  /** Stops the cluster at once (immediate: nothing to keep). */
  stop(): Promise<void>;
}

export async function startPostgres(options: { dir: string; port: number; say(text: string): void }): Promise<PostgresCluster> {
  const bin = binDir();
  const asRoot = process.getuid?.() === 0;
  const dataDir = path.join(options.dir, 'pgdata');
  const socketDir = path.join(options.dir, 'pgsocket');
  const logFile = path.join(options.dir, 'postgres.log');
  mkdirSync(socketDir, { recursive: true });
  if (asRoot) {
    for (const p of [options.dir, socketDir]) chownSync(p, uidOf('postgres'), gidOf('postgres'));
  }
  // As the postgres user when we are root; as ourselves otherwise.
  const pgCommand = async (tool: string, args: string[]) => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', `${bin}/${tool}`, ...args]] : [`${bin}/${tool}`, args];
    try {
      return await run(file, argv, { cwd: options.dir, timeout: 120_000 });
    } catch (err) {
      const e = err as { stderr?: string; stdout?: string; message: string };
      throw new Error(
        `${tool} ${args.join(' ')} failed: ${(e.stderr || e.stdout || e.message).trim()}${existsSync(logFile) ? `\n${tail(logFile, 10)}` : ''}`,
      );
    }
  };

  const started = Date.now();
  // --no-sync only for initdb's own files: the cluster itself runs with fsync on.
  await pgCommand('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  appendFileSync(
    path.join(dataDir, 'postgresql.conf'),
    [
      '',
      '# npm run chaos',
      `listen_addresses = '127.0.0.1'`,
      `port = ${options.port}`,
      `unix_socket_directories = '${socketDir}'`,
      'max_connections = 100',
      'shared_buffers = 64MB',
      'fsync = on',
      '',
    ].join('\n'),
  );
  const pgCtl = (args: string[]) => pgCommand('pg_ctl', ['-D', dataDir, '-l', logFile, '-w', '-t', '60', ...args]);
  await pgCtl(['start']);
  const version = await query(adminUrl(options.port, 'postgres'), async (sql) => {
    await sql.query(`CREATE DATABASE ${DATABASE_NAME}`);
    return (await sql.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
  });
  options.say(`  PostgreSQL ${version} on 127.0.0.1:${options.port} (${dataDir}) ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const url = adminUrl(options.port, DATABASE_NAME);
  return {
    port: options.port,
    url,
    urlVia: (port) => adminUrl(port, DATABASE_NAME),
    version,
    logFile,
    async restart(mode) {
      await pgCtl(['-m', mode, 'restart']);
    },
    withSql: (fn) => query(url, fn),
    async stop() {
      if (existsSync(path.join(dataDir, 'postmaster.pid'))) await pgCtl(['-m', 'immediate', 'stop']).catch(() => {});
    },
  };
}

function adminUrl(port: number, database: string): string {
  return `postgresql://postgres@127.0.0.1:${port}/${database}`;
}

async function query<T>(url: string, fn: (sql: pg.Client) => Promise<T>): Promise<T> {
  const sql = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  sql.on('error', () => {}); // a connection lost mid-check is reported by the query that fails
  await sql.connect();
  try {
    return await fn(sql);
  } finally {
    await sql.end().catch(() => {});
  }
}

function idOf(file: string, name: string): number {
  const line = readFileSync(file, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`No "${name}" in ${file}: is PostgreSQL installed?`);
  return Number(line.split(':')[2]);
}
const uidOf = (user: string) => idOf('/etc/passwd', user);
const gidOf = (group: string) => idOf('/etc/group', group);

/** The last lines of a log file. */
export function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return `(no ${file})`;
  }
}
