// Health endpoints and the HTTP edges around GraphQL: /healthz says the process is up; /readyz
// reports each dependency and turns 503 (naming the database) while the database cannot be
// reached, then 200 again once it can (the database sits behind a TCP proxy the test cuts and
// restores); unknown paths and methods get JSON 404/405; every response carries x-request-id.
import net from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, usingPostgres, type TestDatabase } from '../helpers/testDatabase.js';
import { startTestServer, type TestServer } from '../helpers/testServer.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function getJson(url: string, init?: RequestInit) {
  const res = await fetch(url, init);
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

/** Polls `read` until `accept` holds, failing after a bound. */
async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A TCP proxy that can be cut (listener closed, every connection destroyed) and restored. */
class TcpProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

describe('liveness, readiness and HTTP edges', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => t?.stop());

  it('GET /healthz answers 200 {status: ok}', async () => {
    const res = await getJson(`${t.origin}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('GET /readyz answers 200 with each dependency ok', async () => {
    const res = await getJson(`${t.origin}/readyz`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', database: 'ok', pubsub: 'ok' });
  });

  it('answers an unknown path with a JSON 404', async () => {
    const res = await getJson(`${t.origin}/no/such/thing?x=1`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body).toEqual({
      errors: [{ message: expect.stringContaining('/no/such/thing'), extensions: { code: 'NOT_FOUND' } }],
    });
  });

  it('answers DELETE /graphql with 405 and an Allow header', async () => {
    const res = await getJson(t.url, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, POST, OPTIONS');
    expect(res.body).toEqual({
      errors: [{ message: expect.stringContaining('DELETE'), extensions: { code: 'METHOD_NOT_ALLOWED' } }],
    });
  });

  it('gives every response an x-request-id, echoing a valid incoming one', async () => {
    const graphqlPost = (headers: Record<string, string> = {}) =>
      fetch(t.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: '{ __typename }' }),
      });

    // Generated when none is sent, fresh for each request, on every kind of response.
    const generated = await Promise.all([
      fetch(`${t.origin}/healthz`),
      fetch(`${t.origin}/nowhere`),
      fetch(t.url, { method: 'DELETE' }),
      graphqlPost(),
    ]);
    const ids = generated.map((r) => r.headers.get('x-request-id'));
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(ids.length);

    for (const valid of ['abc-123.DEF_456', 'a', 'x'.repeat(64)]) {
      expect((await graphqlPost({ 'x-request-id': valid })).headers.get('x-request-id')).toBe(valid);
      expect((await fetch(`${t.origin}/nowhere`, { headers: { 'x-request-id': valid } })).headers.get('x-request-id')).toBe(valid);
    }
    // Anything else is not echoed (it would end up in logs and other systems): a new id instead.
    for (const invalid of ['has spaces', 'x'.repeat(65), 'semi;colon', '<script>']) {
      const id = (await graphqlPost({ 'x-request-id': invalid })).headers.get('x-request-id');
      expect(id).toMatch(UUID);
    }
  });
});

describe('readiness when the database goes away', () => {
  let t: TestServer;
  let proxy: TcpProxy;
  let targetDb: TestDatabase | undefined;
  let embedded: { db: PGlite; socket: PGLiteSocketServer } | undefined;

  beforeAll(async () => {
    // The database the proxy forwards to: a fresh one on PostgreSQL, else an in-memory PGlite
    // served over a loopback socket (as the embedded mode does).
    let target: URL;
    if (usingPostgres) {
      targetDb = await createTestDatabase();
      target = new URL(targetDb.url!);
    } else {
      const db = await PGlite.create();
      const socket = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 20 });
      await socket.start();
      embedded = { db, socket };
      target = new URL(`postgresql://postgres@${socket.getServerConn()}/postgres`);
    }
    proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    await proxy.start();
    const viaProxy = new URL(target);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    t = await startTestServer({ DATABASE_URL: viaProxy.toString() });
  });

  afterAll(async () => {
    await t?.stop();
    await proxy?.stop();
    await targetDb?.drop();
    if (embedded) {
      await embedded.socket.stop();
      await embedded.db.close();
    }
  });

  it('answers 503 naming the database while it is unreachable, and 200 once it is back', async () => {
    const before = await getJson(`${t.origin}/readyz`);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ database: 'ok', pubsub: 'ok' });

    await proxy.stop();
    const down = await getJson(`${t.origin}/readyz`);
    expect(down.status).toBe(503);
    expect(down.body).toEqual({ status: 'not ready', database: expect.stringMatching(/^unreachable: /), pubsub: 'ok' });
    // Liveness is about the process, not its dependencies.
    expect((await getJson(`${t.origin}/healthz`)).status).toBe(200);

    await proxy.start(); // same port as before
    const up = await eventually(() => getJson(`${t.origin}/readyz`), (r) => r.status === 200, 'readiness after the database returns');
    expect(up.body).toEqual({ status: 'ready', database: 'ok', pubsub: 'ok' });
  });
});
