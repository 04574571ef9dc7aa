// The server under test as a child process, started the way production starts it: the bundle
// (`node dist/main.js`) when `npm run build` made one that is newer than every file in src/,
// else `node --import tsx src/main.ts`. It reaches PostgreSQL through the fault proxy and the
// suite's Redis directly. Its log (LOG_LEVEL=warn) goes to a file that survives SIGKILL; the
// tail is printed when something fails. It can be killed with SIGKILL and started again on the
// same port and database, as a crashed container would be.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { tail } from './postgres.js';

/** Fixed secrets in the shapes the config asks for (test/helpers/testServer.ts testEnv()): a restarted server reads what the first one wrote. */
export const CHAOS_SECRETS = {
  JWT_SECRET: 'chaos-secret-chaos-secret-chaos-secret-0123456789',
  VAULT_KEYS: `chaos1:${Buffer.alloc(32, 7).toString('base64')}`,
  VAULT_FINGERPRINT_KEY: Buffer.alloc(32, 8).toString('base64'),
  WEBHOOK_SECRET_CARD: 'whsec-card-chaos-secret-0123456789abcdef',
  WEBHOOK_SECRET_BANK: 'whsec-bank-chaos-secret-0123456789abcdef',
  WEBHOOK_SECRET_KYC: 'whsec-kyc-chaos-secret-0123456789abcdef0',
  // Production requires /metrics protected (docs/operations.md).
  METRICS_TOKEN: 'chaos-metrics-token-0123456789',
};

export const ADMIN = { email: 'chaos.admin@example.com', password: 'chaos-Admin-password-2026!' };

export interface ServerSettingsInput {
  port: number;
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  extra: Record<string, string>;
}

/** Production mode, quiet logs, abuse limits out of the way, long-lived access tokens. */
export function serverSettings(input: ServerSettingsInput): Record<string, string> {
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(input.port),
    LOG_LEVEL: 'warn',
    DATABASE_URL: input.databaseUrl,
    REDIS_URL: input.redisUrl,
    REDIS_PREFIX: input.redisPrefix,
    ...CHAOS_SECRETS,
    BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
    BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
    KYC_LIMITS_FILE: 'config/kyc-limits-unlimited.json',
    RISK_RULES: 'false',
    SIGNUP_MAX_PER_IP: '1000000',
    SIGNIN_MAX_FAILURES_PER_IP: '1000000',
    SIGNIN_MAX_FAILURES_PER_EMAIL: '1000000',
    SIGNIN_SLOWDOWN_AFTER: '1000000',
    RATE_LIMIT_USER: '100000/100000',
    RATE_LIMIT_API_KEY: '100000/100000',
    // The workload's admin credits users without MFA (docs/security.md, step-up).
    ADMIN_MFA_REQUIRED: 'false',
    // The rig sends no email or SMS that matters: the sandbox providers are allowed in production here.
    NOTIFY_SANDBOX_IN_PRODUCTION: 'true',
    // The longest the config allows (1 h): longer than any run, so tokens only need renewing when
    // the server says so (the workload and subscribers renew them then).
    ACCESS_TOKEN_TTL_SECONDS: '3600',
    ...input.extra,
  };
}

/** The newest modification time of any file under `dir`. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** How to start the server: the bundle if it is up to date, else the sources through tsx. */
export function serverCommand(repoRoot: string): { args: string[]; label: string } {
  const bundle = path.join(repoRoot, 'dist', 'main.js');
  if (existsSync(bundle) && statSync(bundle).mtimeMs > newestMtime(path.join(repoRoot, 'src'))) {
    return { args: ['--enable-source-maps', 'dist/main.js'], label: 'node dist/main.js' };
  }
  const why = existsSync(bundle) ? 'dist/main.js is older than src/' : 'no dist/main.js';
  return { args: ['--import', 'tsx', 'src/main.ts'], label: `node --import tsx src/main.ts (${why})` };
}

export interface ServerProcess {
  origin: string;
  url: string;
  wsUrl: string;
  command: string;
  logFile: string;
  pid(): number | undefined;
  running(): boolean;
  /** Starts the process and resolves when /readyz answers 200. */
  start(): Promise<{ readyMs: number }>;
  /** SIGKILL: no graceful anything. */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL if it has not exited within the timeout. */
  stop(timeoutMs?: number): Promise<void>;
  /** The last lines of its log. */
  tail(lines?: number): string;
  /** Exits we did not cause (a crash), with the log tail at that moment. */
  unexpectedExits: { at: number; code: number | null; signal: string | null; tail: string }[];
}

export function createServerProcess(options: {
  repoRoot: string;
  env: Record<string, string>;
  logFile: string;
  readyTimeoutMs?: number;
}): ServerProcess {
  const { repoRoot, env, logFile } = options;
  const port = Number(env.PORT);
  const origin = `http://127.0.0.1:${port}`;
  const command = serverCommand(repoRoot);
  const passThrough = Object.fromEntries(
    ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'].filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]!]),
  );
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let expectingExit = false;
  let starts = 0;
  const unexpectedExits: ServerProcess['unexpectedExits'] = [];

  const running = () => Boolean(child && child.exitCode === null && child.signalCode === null);

  return {
    origin,
    url: `${origin}/graphql`,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    command: command.label,
    logFile,
    pid: () => child?.pid,
    running,
    unexpectedExits,
    async start() {
      if (running()) throw new Error('the server is already running');
      starts += 1;
      const fd = openSync(logFile, 'a');
      writeSync(fd, `\n=== chaos: server start #${starts} at ${new Date().toISOString()}: ${command.label}\n`);
      const started = Date.now();
      try {
        child = spawn(process.execPath, command.args, { cwd: repoRoot, env: { ...passThrough, ...env }, stdio: ['ignore', fd, fd] });
      } finally {
        closeSync(fd);
      }
      expectingExit = false;
      const current = child;
      exited = new Promise<void>((resolve) =>
        current.once('exit', (code, signal) => {
          if (!expectingExit) unexpectedExits.push({ at: Date.now(), code, signal, tail: tail(logFile, 30) });
          resolve();
        }),
      );
      const deadline = started + (options.readyTimeoutMs ?? 120_000);
      for (;;) {
        if (!running()) throw new Error(`The server exited while starting. Its log ends:\n${tail(logFile, 30)}`);
        const status = await fetch(`${origin}/readyz`, { signal: AbortSignal.timeout(3000) }).then(
          (r) => r.status,
          () => 0,
        );
        if (status === 200) return { readyMs: Date.now() - started };
        if (Date.now() > deadline)
          throw new Error(
            `The server did not become ready within ${options.readyTimeoutMs ?? 120_000} ms (last /readyz: ${status || 'no answer'}). Its log ends:\n${tail(logFile, 30)}`,
          );
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async kill() {
      if (!running()) return;
      expectingExit = true;
      child!.kill('SIGKILL');
      await exited;
    },
    async stop(timeoutMs = 20_000) {
      if (!running()) return;
      expectingExit = true;
      child!.kill('SIGTERM');
      const forced = setTimeout(() => child?.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(forced);
    },
    tail: (lines = 30) => tail(logFile, lines),
  };
}
