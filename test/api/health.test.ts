// Health endpoints and the HTTP edges around GraphQL: /healthz says the process is up (with each
// dependency's state); /readyz reports each dependency and turns 503 (naming the database) while the database cannot be
// reached, then 200 again once it can (the database sits behind a TCP proxy the test cuts and
// restores); unknown paths and methods get JSON 404/405; every response carries x-request-id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProxiedDatabase, type ProxiedDatabase } from '../helpers/proxiedDatabase.js';
import { usingRedis } from '../helpers/testDatabase.js';
import { startTestServer, type TestServer } from '../helpers/testServer.js';

/** Redis is reported when the server has one (REDIS_URL). */
const redisOk = usingRedis ? { redis: 'ok' } : {};

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

describe('liveness, readiness and HTTP edges', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => t?.stop());

  it('GET /healthz answers 200 {status: ok} with each dependency', async () => {
    const res = await getJson(`${t.origin}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body).toEqual({ status: 'ok', database: 'ok', ...redisOk });
  });

  it('GET /readyz answers 200 with each dependency ok', async () => {
    const res = await getJson(`${t.origin}/readyz`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', database: 'ok', ...redisOk });
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
  let db: ProxiedDatabase;

  beforeAll(async () => {
    db = await createProxiedDatabase();
    t = await startTestServer(db.env);
  });

  afterAll(async () => {
    await t?.stop();
    await db?.drop();
  });

  it('answers 503 naming the database while it is unreachable, and 200 once it is back', async () => {
    const before = await getJson(`${t.origin}/readyz`);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ database: 'ok', ...redisOk });

    await db.cut();
    const down = await getJson(`${t.origin}/readyz`);
    expect(down.status).toBe(503);
    expect(down.body).toEqual({ status: 'not ready', database: expect.stringMatching(/^unreachable: /), ...redisOk });
    // Liveness is about the process, not its dependencies (which it reports).
    const health = await getJson(`${t.origin}/healthz`);
    expect(health.status).toBe(200);
    expect(health.body.database).toMatch(/^unreachable: /);

    await db.restore(); // same port as before
    const up = await eventually(
      () => getJson(`${t.origin}/readyz`),
      (r) => r.status === 200,
      'readiness after the database returns',
    );
    expect(up.body).toEqual({ status: 'ready', database: 'ok', ...redisOk });
  });
});
