// The server under test, as its own child process started the way production starts it
// (`node --import tsx src/main.ts`, NODE_ENV=production), on a free loopback port, fresh for each
// scenario. It is stopped with SIGTERM like a deployment would stop it, which also lets
// --cpu-prof write its profile.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../scripts/ports.js';

/** The JWT secret of every benchmark server; the benchmark signs its access tokens with it. */
export const BENCH_JWT_SECRET = 'wallet-bench-jwt-secret-not-for-production-0123456789';

export interface BenchServer {
  pid: number;
  origin: string;
  url: string;
  wsUrl: string;
  /** The settings it was started with (secrets shown as ***). */
  settings: Record<string, string>;
  /** Rejects if the server exits before stop() is called. */
  crashed: Promise<never>;
  /** SIGTERM, wait for a graceful exit; returns CPU profiles written, if profiling. */
  stop(): Promise<{ profiles: string[]; warnings: number }>;
}

export interface ServerOptions {
  repoRoot: string;
  env: Record<string, string>;
  /** Folder for --cpu-prof output; no profiling when unset. */
  profileDir?: string;
  /** Where its warnings are reported (the first few in full, then a count). */
  onLine(line: string): void;
}

/** Settings every benchmark server gets: production mode, quiet logs, abuse limits out of the way. */
export function serverSettings(port: number, targetEnv: Record<string, string>, extra: Record<string, string>): Record<string, string> {
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    JWT_SECRET: BENCH_JWT_SECRET,
    // Fresh keys per server: benchmarks never read back what an earlier server vaulted.
    VAULT_KEYS: `bench1:${randomBytes(32).toString('base64')}`,
    VAULT_FINGERPRINT_KEY: randomBytes(32).toString('base64'),
    // The limit checks run on every transfer; only the figures are too large to be met.
    KYC_LIMITS_FILE: 'config/kyc-limits-unlimited.json',
    // Likewise the risk rules: evaluated and recorded on every send, with velocity ceilings a
    // benchmark user (thousands of sends a minute) does not reach.
    RISK_VELOCITY_PER_MINUTE: '1000000000',
    RISK_VELOCITY_PER_HOUR: '1000000000',
    WEBHOOK_SECRET_CARD: randomBytes(32).toString('base64url'),
    WEBHOOK_SECRET_BANK: randomBytes(32).toString('base64url'),
    WEBHOOK_SECRET_KYC: randomBytes(32).toString('base64url'),
    METRICS_TOKEN: randomBytes(24).toString('base64url'),
    // The only email and SMS providers are the sandbox ones (refused in production unless allowed).
    NOTIFY_SANDBOX_IN_PRODUCTION: 'true',
    SIGNUP_MAX_PER_IP: '1000000',
    SIGNIN_MAX_FAILURES_PER_IP: '1000000',
    // The request limits are taken on every request; only their size is out of a benchmark's way.
    RATE_LIMIT_USER: '100000/1000000',
    RATE_LIMIT_API_KEY: '100000/1000000',
    SIGNIN_MAX_FAILURES_PER_EMAIL: '1000000',
    SIGNIN_SLOWDOWN_AFTER: '1000000',
    ...targetEnv,
    ...extra,
  };
}

/** Readable one-line form of a pino JSON log line. */
function describeLogLine(line: string): string {
  try {
    const entry = JSON.parse(line) as { level?: number; msg?: string; err?: unknown };
    const level = entry.level === undefined ? '' : entry.level >= 50 ? 'ERROR ' : entry.level >= 40 ? 'WARN ' : '';
    const err = entry.err ? ` (${typeof entry.err === 'string' ? entry.err : JSON.stringify(entry.err).slice(0, 200)})` : '';
    return `${level}${entry.msg ?? line}${err}`;
  } catch {
    return line;
  }
}

const SHOWN_LINES = 5;

export async function startServer(options: ServerOptions): Promise<BenchServer> {
  const port = await freePort();
  const settings = serverSettings(port, options.env, {});
  const nodeArgs = ['--import', 'tsx'];
  if (options.profileDir) {
    mkdirSync(options.profileDir, { recursive: true });
    nodeArgs.push('--cpu-prof', '--cpu-prof-dir', options.profileDir);
  }
  const passThrough = Object.fromEntries(
    ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'].filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]!]),
  );
  const startedAt = Date.now();
  // Through sh so the server may use as many file descriptors as the hard limit allows
  // (10,000 WebSocket subscribers need more than a common soft limit of 1,024).
  const child: ChildProcess = spawn(
    'sh',
    ['-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$0" "$@"', process.execPath, ...nodeArgs, 'src/main.ts'],
    { cwd: options.repoRoot, env: { ...passThrough, ...settings }, stdio: ['ignore', 'pipe', 'pipe'] },
  );

  const tail: string[] = [];
  let warnings = 0;
  const onOutput = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      tail.push(line);
      if (tail.length > 40) tail.shift();
      warnings += 1;
      if (warnings <= SHOWN_LINES) options.onLine(`[server] ${describeLogLine(line)}`);
      else if (warnings === SHOWN_LINES + 1) options.onLine('[server] (further server log lines are counted, not shown)');
    }
  };
  child.stdout!.on('data', onOutput);
  child.stderr!.on('data', onOutput);

  let stopping = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const crashed = exited.then(({ code, signal }) => {
    if (stopping) return new Promise<never>(() => {});
    throw new Error(`The server exited unexpectedly (code ${code}, signal ${signal}). Its last output:\n${tail.slice(-15).join('\n')}`);
  });
  crashed.catch(() => {}); // observed by whoever races it

  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    const outcome = await Promise.race([
      fetch(`${origin}/readyz`).then(
        (r) => r.status,
        () => 0,
      ),
      crashed,
    ]);
    if (outcome === 200) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`The server did not become ready within 120 s. Its last output:\n${tail.slice(-15).join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    pid: child.pid!,
    origin,
    url: `${origin}/graphql`,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    settings: Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, /SECRET|PASSWORD|VAULT_/.test(k) ? '***' : v])),
    crashed,
    async stop() {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const forced = setTimeout(() => child.kill('SIGKILL'), 60_000);
        await exited;
        clearTimeout(forced);
      }
      const profiles = options.profileDir
        ? readdirSync(options.profileDir)
            .filter((f) => f.endsWith('.cpuprofile'))
            .map((f) => path.join(options.profileDir!, f))
            .filter((f) => statSync(f).mtimeMs >= startedAt)
        : [];
      return { profiles, warnings };
    },
  };
}
