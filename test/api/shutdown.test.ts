// The process as operators run it (`node --import tsx src/main.ts` in a child process): on
// SIGTERM it stops accepting connections, finishes a request already in flight, closes open
// WebSockets with 1001 (going away) and exits 0; a bad setting stops it at once with exit code
// 78 and one line on stderr naming the variable.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { createTestDatabase, usingPostgres, type TestDatabase } from '../helpers/testDatabase.js';
import { STRONG_PASSWORD, TEST_JWT_SECRET, uniqueEmail } from '../helpers/testServer.js';
import { connectWs, type TestWsClient } from '../helpers/wsClient.js';
import { freePort } from '../../scripts/ports.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const START_TIMEOUT_MS = 45_000;

const SignUp = graphql(`
  mutation ShutdownSignUp($input: SignUpInput!) {
    signUp(input: $input) { tokens { accessToken } userErrors { code } }
  }
`);

const MeUpdated = graphql(`
  subscription ShutdownMeUpdated {
    meUpdated { id }
  }
`);

interface ServerProcess {
  child: ChildProcess;
  port: number;
  /** stdout parsed as JSON log lines, as they arrive. */
  logs: Record<string, unknown>[];
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first log line whose msg is `msg`; rejects if the process exits first. */
  waitForLog(msg: string, timeoutMs?: number): Promise<Record<string, unknown>>;
}

const children: ChildProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  }
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** Starts `node --import tsx src/main.ts` with exactly these settings (plus PATH and HOME). */
function spawnServer(env: Record<string, string>, port = 0): ServerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  let partial = '';
  const logs: Record<string, unknown>[] = [];
  const listeners = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line));
      } catch {
        logs.push({ raw: line });
      }
    }
    listeners.forEach((l) => l());
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  // Streams may still hold output when 'exit' fires; 'close' means they are drained.
  const drained = new Promise<void>((resolve) => child.once('close', () => resolve()));

  return {
    child,
    port,
    logs,
    stdout: () => out,
    stderr: () => err,
    exited: exited.then(async (status) => {
      await drained;
      return status;
    }),
    waitForLog(msg, timeoutMs = START_TIMEOUT_MS) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const line = logs.find((l) => l.msg === msg);
          if (line) {
            done();
            resolve(line);
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`No "${msg}" log line within ${timeoutMs} ms.\nstdout:\n${out}\nstderr:\n${err}`));
        }, timeoutMs);
        const onExit = () => {
          done();
          reject(new Error(`Server exited before logging "${msg}".\nstdout:\n${out}\nstderr:\n${err}`));
        };
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
          child.off('close', onExit);
        };
        listeners.add(check);
        child.once('close', onExit);
        check();
      });
    },
  };
}

/** Starts a server on a free port with its own fresh database, and waits until it listens. */
async function startServerProcess(extra: Record<string, string> = {}): Promise<ServerProcess> {
  const db: TestDatabase = await createTestDatabase();
  cleanups.push(() => db.drop());
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const server = spawnServer(
      {
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: String(port),
        JWT_SECRET: TEST_JWT_SECRET,
        LOG_LEVEL: 'info',
        ...db.env,
        ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL, REDIS_PREFIX: `t${randomBytes(4).toString('hex')}:` } : {}),
        ...extra,
      },
      port,
    );
    try {
      const listening = await server.waitForLog('server listening');
      expect(listening.url).toBe(`http://127.0.0.1:${port}/graphql`);
      return server;
    } catch (err) {
      // Another process may take the port between freePort() and the child's listen: try another.
      if (attempt < 3 && server.stdout().includes('EADDRINUSE')) continue;
      throw err;
    }
  }
}

async function post<R, V>(port: number, document: TypedDocumentNode<R, V>, variables: V): Promise<R> {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await res.json()) as { data?: R; errors?: unknown[] };
  if (body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data!;
}

/** Opens (and closes) a TCP connection; rejects with the socket error if there is none to open. */
async function tcpConnect(port: number): Promise<void> {
  const socket = net.connect(port, '127.0.0.1');
  try {
    await once(socket, 'connect');
  } finally {
    socket.destroy();
  }
}

describe('SIGTERM', { timeout: 90_000 }, () => {
  it('finishes a request in flight, refuses new connections, and exits 0', async () => {
    const server = await startServerProcess();
    const body = JSON.stringify({ query: '{ __typename }' });
    const req = http.request({
      host: '127.0.0.1',
      port: server.port,
      method: 'POST',
      path: '/graphql',
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        // The server answers "100 Continue" once it has read the headers and begun the request,
        // which tells the test, without guessing, that the request is in flight.
        expect: '100-continue',
      },
    });
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, text }));
        res.on('error', reject);
      });
      req.on('error', reject);
    });
    const continued = once(req, 'continue');
    req.flushHeaders();
    await continued;
    req.write(body.slice(0, 9));

    server.child.kill('SIGTERM');
    await server.waitForLog('shutting down: finishing in-flight requests', 10_000);
    // The listening socket is closed in the same step that logs the line above.
    await expect(tcpConnect(server.port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    req.end(body.slice(9));
    const { status, text } = await response;
    expect(status).toBe(200);
    expect(JSON.parse(text)).toEqual({ data: { __typename: 'Query' } });

    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.logs.map((l) => l.msg)).toContain('shutdown complete');
    expect(server.stderr()).toBe('');
  });

  it('closes an open, authenticated WebSocket with 1001', async () => {
    const server = await startServerProcess();
    const { signUp } = await post(server.port, SignUp, {
      input: { email: uniqueEmail('shutdown'), password: STRONG_PASSWORD, displayName: 'Going Away' },
    });
    expect(signUp.userErrors).toEqual([]);

    const client: TestWsClient = connectWs(`ws://127.0.0.1:${server.port}/graphql`, `Bearer ${signUp.tokens!.accessToken}`);
    cleanups.push(() => client.dispose());
    await client.connected;
    client.subscribe(MeUpdated);

    server.child.kill('SIGTERM');
    expect((await client.closed).code).toBe(1001);
    expect(await server.exited).toEqual({ code: 0, signal: null });
  });
});

describe('configuration errors', { timeout: 60_000 }, () => {
  async function expectConfigError(env: Record<string, string>, variable: string) {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'wallet-config-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const server = spawnServer({ NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, ...env });
    expect(await server.exited).toEqual({ code: 78, signal: null });
    const lines = server.stderr().trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(variable);
    expect(server.stdout()).toBe('');
    return lines[0]!;
  }

  it('names a bad PORT in one line and exits 78', async () => {
    const line = await expectConfigError({ PORT: 'abc' }, 'PORT');
    expect(line).toContain('abc');
  });

  it('names a non-PostgreSQL DATABASE_URL in one line, without echoing the URL', async () => {
    const line = await expectConfigError({ DATABASE_URL: 'mysql://user:hunter2@db/x' }, 'DATABASE_URL');
    expect(line).not.toContain('hunter2');
  });
});

describe('several server processes (WEB_CONCURRENCY)', () => {
  it.skipIf(!(usingPostgres && process.env.REDIS_URL))(
    'serves from two processes on one port and stops them all on SIGTERM (needs DATABASE_URL and REDIS_URL)',
    async () => {
      const server = await startServerProcess({ WEB_CONCURRENCY: '2' });
      const port = server.port;
      // Both processes listen; requests are spread over them (the kernel balances connections).
      const deadline = Date.now() + START_TIMEOUT_MS;
      while (server.logs.filter((l) => l.msg === 'server listening').length < 2 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const pids = new Set(server.logs.filter((l) => l.msg === 'server listening').map((l) => l.pid));
      expect(pids.size).toBe(2);
      // Migrations ran once, in the supervisor, before the servers started.
      expect(server.logs.filter((l) => l.msg === 'migrations applied')).toHaveLength(1);
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(res.status).toBe(200);

      server.child.kill('SIGTERM');
      expect(await server.exited).toEqual({ code: 0, signal: null });
      expect(server.logs.filter((l) => l.msg === 'shutdown complete')).toHaveLength(2);
      expect(server.stderr()).toBe('');
    },
    60_000,
  );
});
