// The production start (`node --enable-source-maps dist/main.js`, what the Docker image runs):
// the bundle written by scripts/build.ts finds what it reads at run time (migrations, config/,
// partners/) from dist/, applies migrations with `node dist/migrate.js`, serves a GraphQL request,
// and exits 0 on SIGTERM. On the embedded default, or on a scratch database at DATABASE_URL.
//
// The bundle is rebuilt here (esbuild, well under a second). `npm run build` would also run
// `prisma generate`, which the test run has done already (pretest), so the test calls
// scripts/build.ts alone rather than rewrite src/generated under other test files.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { createTestDatabase, usingPostgres, type TestDatabase } from '../helpers/testDatabase.js';
import { STRONG_PASSWORD, TEST_JWT_SECRET, uniqueEmail } from '../helpers/testServer.js';
import { freePort } from '../../scripts/ports.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const START_TIMEOUT_MS = 45_000;

const SignUp = graphql(`
  mutation ProductionStartSignUp($input: SignUpInput!) {
    signUp(input: $input) { user { email } tokens { accessToken } userErrors { code } }
  }
`);

let db: TestDatabase;
beforeAll(async () => {
  const build = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { cwd: ROOT, encoding: 'utf8' });
  expect(build.status, `build failed:\n${build.stdout}\n${build.stderr}`).toBe(0);
  expect(build.stdout).toMatch(/built \d+ entries into dist\/ in \d+ ms/);
  db = await createTestDatabase();
}, 60_000);
afterAll(async () => {
  await db?.drop();
});

describe(`node dist/main.js on ${usingPostgres ? 'PostgreSQL' : 'the embedded database'}`, { timeout: 90_000 }, () => {
  it('migrates with dist/migrate.js, serves a sign-up, and exits 0 on SIGTERM', async () => {
    expect(existsSync(path.join(ROOT, 'dist/main.js.map'))).toBe(true);
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmpdir(),
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: 'info',
      ...db.env,
      ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL, REDIS_PREFIX: `t${randomBytes(4).toString('hex')}:` } : {}),
    };

    // The migration entry finds prisma/migrations from dist/.
    const migrated = spawnSync(process.execPath, ['--enable-source-maps', 'dist/migrate.js'], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(migrated.stderr).toBe('');
    expect(migrated.status).toBe(0);
    expect(migrated.stdout).toMatch(/^applied \d+_accounts$/m);

    const port = await freePort();
    const child = spawn(process.execPath, ['--enable-source-maps', 'dist/main.js'], {
      cwd: ROOT,
      env: { ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('close', (code, signal) => resolve({ code, signal })),
    );
    try {
      const origin = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + START_TIMEOUT_MS;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`The server exited before it was ready.\nstdout:\n${stdout}\nstderr:\n${stderr}`);
        if (Date.now() > deadline)
          throw new Error(`/readyz did not answer 200 within ${START_TIMEOUT_MS} ms.\nstdout:\n${stdout}\nstderr:\n${stderr}`);
        const status = await fetch(`${origin}/readyz`).then(
          (r) => r.status,
          () => 0,
        );
        if (status === 200) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }

      const email = uniqueEmail('prodstart');
      const res = await fetch(`${origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: print(SignUp),
          variables: { input: { email, password: STRONG_PASSWORD, displayName: 'Production Start' } },
        }),
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as {
        data?: { signUp: { user: { email: string } | null; tokens: { accessToken: string } | null; userErrors: unknown[] } };
      };
      expect(body.data?.signUp.userErrors).toEqual([]);
      expect(body.data?.signUp.user?.email).toBe(email);
      expect(body.data?.signUp.tokens?.accessToken).toEqual(expect.any(String));

      child.kill('SIGTERM');
      expect(await exited).toEqual({ code: 0, signal: null });
      const messages = stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { msg: string }).msg);
      expect(messages).toContain('server listening');
      expect(messages).toContain('shutdown complete');
      expect(messages).not.toContain('migrations applied'); // dist/migrate.js applied them all
      expect(stderr).toBe('');
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await once(child, 'close');
      }
    }
  });

  it('refuses to start in production with /metrics unprotected, saying what to set', () => {
    const secret = () => randomBytes(32).toString('base64');
    const production = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmpdir(),
      NODE_ENV: 'production',
      JWT_SECRET: TEST_JWT_SECRET,
      VAULT_KEYS: `k1:${secret()}`,
      VAULT_FINGERPRINT_KEY: secret(),
      WEBHOOK_SECRET_CARD: secret(),
      WEBHOOK_SECRET_BANK: secret(),
      WEBHOOK_SECRET_KYC: secret(),
      NOTIFY_SANDBOX_IN_PRODUCTION: 'true',
      ...db.env,
    };
    const refused = spawnSync(process.execPath, ['dist/main.js'], { cwd: ROOT, env: production, encoding: 'utf8', timeout: 30_000 });
    expect(refused.status).toBe(78); // EX_CONFIG, before anything is opened
    expect(refused.stderr.trim()).toBe(
      'Invalid configuration: METRICS_TOKEN is required when NODE_ENV=production, unless METRICS_PORT serves /metrics on a port of its own: ' +
        'set METRICS_TOKEN (16+ random characters, sent by Prometheus as a bearer token) or METRICS_PORT (a port the load balancer does not expose)',
    );

    // The sandbox email and SMS providers (the only ones) keep every code sent: refused unless allowed.
    const { NOTIFY_SANDBOX_IN_PRODUCTION: _allowed, ...sandboxed } = { ...production, METRICS_TOKEN: 'production-metrics-token' };
    const notifier = spawnSync(process.execPath, ['dist/main.js'], { cwd: ROOT, env: sandboxed, encoding: 'utf8', timeout: 30_000 });
    expect(notifier.status).toBe(78);
    expect(notifier.stderr.trim()).toBe(
      'Invalid configuration: NOTIFY_SANDBOX_IN_PRODUCTION must be true when NODE_ENV=production: the only email and SMS providers are ' +
        'the sandbox ones, which deliver nothing and keep every message (one-time codes and reset links included) in the database table ' +
        'sandbox.messages. Set NOTIFY_SANDBOX_IN_PRODUCTION=true only for a system where that is wanted (staging, a demo)',
    );
  });
});
