// `npm run measure:restart`: how long a restart after a crash takes until the server answers.
// Against an already migrated database (the embedded default in a temporary DATA_DIR, and a
// scratch database on PostgreSQL that is created and dropped here), it starts the server on a
// free port, polls /healthz and /readyz until both answer 200, SIGKILLs it (a crash: nothing is
// closed cleanly, so the next start also pays any recovery) and starts it again, N times, for
//   tsx   node --import tsx src/main.ts          (compiles TypeScript on the fly; the old start)
//   dist  node --enable-source-maps dist/main.js (what `npm run build` wrote; the production start)
//   npm   npm start (prisma generate + build, then dist; only with --modes ...,npm: it rewrites
//         src/generated and dist/ on every start)
//   dist-nomaps  node dist/main.js (only with --modes ...,dist-nomaps: the cost of source maps)
// The first start of each mode is a warm-up (disk cache, tsx's transform cache) and not counted.
//
//   npm run measure:restart -- [--runs 5] [--modes tsx,dist] [--databases embedded,postgres]
//   MEASURE_POSTGRES_URL  admin URL of the PostgreSQL to make the scratch database on
//                         (default postgresql://postgres@127.0.0.1:5432/postgres)
//   REDIS_URL             passed on for the PostgreSQL runs (the production shape) when set
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { freePort } from './ports.js';
import { median } from '../bench/stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const START_TIMEOUT_MS = 60_000;
const POLL_MS = 5;

const MODES = {
  tsx: [process.execPath, '--import', 'tsx', 'src/main.ts'],
  dist: [process.execPath, '--enable-source-maps', 'dist/main.js'],
  // Opt-in, to see what --enable-source-maps costs.
  'dist-nomaps': [process.execPath, 'dist/main.js'],
  npm: ['npm', 'start', '--silent'],
} as const;
type Mode = keyof typeof MODES;
type DatabaseKind = 'embedded' | 'postgres';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    modes: { type: 'string', default: 'tsx,dist' },
    databases: { type: 'string', default: 'embedded,postgres' },
  },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a whole number of at least 1');
const modes = values.modes.split(',').filter((m): m is Mode => m in MODES);
const databases = values.databases.split(',').filter((d): d is DatabaseKind => d === 'embedded' || d === 'postgres');
if (modes.includes('dist') && !existsSync(path.join(ROOT, 'dist/main.js'))) {
  throw new Error('dist/main.js is missing: run `npm run build` first (npm run measure:restart does).');
}

/** Production settings (so the start is the production one), with throwaway secrets. */
const secrets = {
  NODE_ENV: 'production',
  JWT_SECRET: randomBytes(48).toString('base64'),
  VAULT_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  VAULT_FINGERPRINT_KEY: randomBytes(32).toString('base64'),
  WEBHOOK_SECRET_CARD: randomBytes(32).toString('base64'),
  WEBHOOK_SECRET_BANK: randomBytes(32).toString('base64'),
  WEBHOOK_SECRET_KYC: randomBytes(32).toString('base64'),
  METRICS_TOKEN: randomBytes(24).toString('base64url'),
};

async function status(port: number, pathname: string): Promise<number> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}${pathname}`, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0; // not listening yet
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

interface Timing {
  healthzMs: number;
  readyMs: number;
}

/** Spawns the server, returns spawn → first /healthz 200 and spawn → first /readyz 200, then SIGKILLs it. */
async function startOnce(mode: Mode, env: Record<string, string>): Promise<Timing> {
  const port = await freePort();
  const t0 = performance.now();
  const [command, ...args] = MODES[mode];
  // Its own process group, so that SIGKILL reaches the server under `npm start` too.
  const child: ChildProcess = spawn(command, args, {
    cwd: ROOT,
    detached: true,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmpdir(),
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-8000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited = false;
  const exit = once(child, 'exit').then(() => (exited = true));
  try {
    let healthzMs: number | undefined;
    for (;;) {
      if (exited) throw new Error(`The ${mode} server exited before it was ready:\n${output}`);
      if (performance.now() - t0 > START_TIMEOUT_MS)
        throw new Error(`The ${mode} server was not ready within ${START_TIMEOUT_MS} ms:\n${output}`);
      if (healthzMs === undefined && (await status(port, '/healthz')) === 200) healthzMs = performance.now() - t0;
      if (healthzMs !== undefined && (await status(port, '/readyz')) === 200) return { healthzMs, readyMs: performance.now() - t0 };
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } finally {
    if (!exited) process.kill(-child.pid!, 'SIGKILL');
    await exit;
    // Under npm the server is a grandchild: wait until the whole group is gone (it holds the port
    // and, on the embedded database, DATA_DIR).
    for (let i = 0; i < 200 && groupAlive(child.pid!); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

interface Scratch {
  env: Record<string, string>;
  drop(): Promise<void>;
}

function embeddedScratch(): Scratch {
  const dir = mkdtempSync(path.join(tmpdir(), 'wallet-restart-'));
  return { env: { DATA_DIR: dir }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

async function postgresScratch(): Promise<Scratch | null> {
  const adminUrl = process.env.MEASURE_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const name = `wallet_restart_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (err) {
    console.log(`PostgreSQL at ${adminUrl.replace(/\/\/[^@]*@/, '//…@')} not reachable (${(err as Error).message}): skipping it.`);
    return null;
  }
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'wallet-restart-'));
  const redis: Record<string, string> = process.env.REDIS_URL
    ? { REDIS_URL: process.env.REDIS_URL, REDIS_PREFIX: `restart${randomBytes(3).toString('hex')}:` }
    : {};
  return {
    env: { DATABASE_URL: url.toString(), DATA_DIR: dir, ...redis },
    async drop() {
      rmSync(dir, { recursive: true, force: true });
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

const ms = (x: number) => `${Math.round(x)} ms`;

interface Row {
  database: DatabaseKind;
  mode: Mode;
  timings: Timing[];
}
const rows: Row[] = [];
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
console.log(`${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${cpus().length} CPUs, load average ${load()}`);

for (const database of databases) {
  const scratch = database === 'embedded' ? embeddedScratch() : await postgresScratch();
  if (!scratch) continue;
  try {
    const env = { ...secrets, ...scratch.env };
    // The first start creates the database and applies every migration: not a restart.
    const first = await startOnce(modes.includes('dist') ? 'dist' : modes[0]!, env);
    console.log(`${database}: migrated a new database (first start ${ms(first.readyMs)}, not counted)`);
    for (const mode of modes) {
      const warm = await startOnce(mode, env);
      console.log(`${database} ${mode}: warm-up ${ms(warm.readyMs)} (not counted)`);
    }
    // The modes take turns, so a change in the machine's load affects them alike.
    const timings = new Map(modes.map((mode) => [mode, [] as Timing[]]));
    for (let i = 1; i <= runs; i++) {
      for (const mode of modes) {
        const t = await startOnce(mode, env);
        timings.get(mode)!.push(t);
        console.log(`${database} ${mode}: run ${i}/${runs}: /healthz ${ms(t.healthzMs)}, /readyz ${ms(t.readyMs)}`);
      }
    }
    for (const mode of modes) rows.push({ database, mode, timings: timings.get(mode)! });
  } finally {
    await scratch.drop();
  }
}

console.log(`\nrestart to ready, ${runs} runs each (spawn → first 200), SIGKILL between runs; load average now ${load()}:`);
console.log(
  `${'database'.padEnd(10)}${'start'.padEnd(12)}${'/healthz median'.padStart(16)}${'max'.padStart(9)}${'/readyz median'.padStart(16)}${'max'.padStart(9)}`,
);
for (const { database, mode, timings } of rows) {
  const h = timings.map((t) => t.healthzMs);
  const r = timings.map((t) => t.readyMs);
  console.log(
    `${database.padEnd(10)}${mode.padEnd(12)}${ms(median(h)).padStart(16)}${ms(Math.max(...h)).padStart(9)}${ms(median(r)).padStart(16)}${ms(Math.max(...r)).padStart(9)}`,
  );
}
