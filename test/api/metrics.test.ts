// /metrics against the running server: after a send, a refused send, a subscription, a merchant
// webhook delivered on its second attempt and a sign-in refused by its limiter, the series that
// describe them moved by exactly what happened (the Prometheus text format parsed here). The
// operation-name label stays bounded. METRICS_TOKEN guards the endpoint; METRICS_PORT moves it to
// a port of its own. Tracing is off by default: the API's tracer records nothing.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { expectLedgerConsistent } from '../helpers/ledger.js';
import { credit, signInAdmin, signUpUser, type TestUser } from '../helpers/people.js';
import { startTestServer, STRONG_PASSWORD, type TestServer } from '../helpers/testServer.js';
import { connectWs } from '../helpers/wsClient.js';

const ADMIN = { email: 'metrics.admin@example.com', password: 'Metric-Keeper-2026!' };
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

const MetricsSend = graphql(`
  mutation MetricsSend($input: SendMoneyInput!) { sendMoney(input: $input) { transfer { id } userErrors { code } } }
`);
const MetricsSignIn = graphql(`mutation MetricsSignIn($input: SignInInput!) { signIn(input: $input) { userErrors { code } } }`);
const MetricsWalletUpdated = graphql(`
  subscription MetricsWalletUpdated($walletId: ID!) { walletUpdated(walletId: $walletId) { sequence } }
`);
const MetricsRegister = graphql(`
  mutation MetricsRegister($input: RegisterMerchantInput!) { registerMerchant(input: $input) { merchant { id } userErrors { message } } }
`);
const MetricsCreateRequest = graphql(`
  mutation MetricsCreateRequest($input: CreatePaymentRequestInput!) { createPaymentRequest(input: $input) { paymentRequest { code } userErrors { message } } }
`);
const MetricsPay = graphql(`
  mutation MetricsPay($input: PayPaymentRequestInput!) { payPaymentRequest(input: $input) { payment { id } userErrors { code } } }
`);

/** The samples of a Prometheus text exposition, by `name{label="value",…}` with labels sorted. */
type Samples = Map<string, number>;

function parseExposition(text: string): Samples {
  const samples: Samples = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`Not a sample line: ${line}`);
    const [, name, labelText, value] = match;
    const labels = [...(labelText ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => `${k}="${v}"`);
    samples.set(key(name!, labels), Number(value));
  }
  return samples;
}

const key = (name: string, labels: string[]) => `${name}{${[...labels].sort().join(',')}}`;

/** A sample's value; undefined when the series is not there. */
function sample(samples: Samples, name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.get(
    key(
      name,
      Object.entries(labels).map(([k, v]) => `${k}="${v}"`),
    ),
  );
}

/** How much a series moved between two scrapes (a series first seen counts from 0). */
function moved(before: Samples, after: Samples, name: string, labels: Record<string, string> = {}): number {
  const now = sample(after, name, labels);
  if (now === undefined)
    throw new Error(
      `No series ${key(
        name,
        Object.entries(labels).map(([k, v]) => `${k}="${v}"`),
      )} after`,
    );
  return now - (sample(before, name, labels) ?? 0);
}

async function scrape(url: string, token?: string): Promise<Samples> {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseExposition(await res.text());
}

async function until<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A merchant's webhook endpoint that answers 500 to the first delivery and 200 after. */
async function flakyReceiver(): Promise<{ url: string; received: number[]; close(): Promise<void> }> {
  const received: number[] = [];
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const status = received.length === 0 ? 500 : 200;
      received.push(status);
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('/metrics after real traffic', () => {
  let t: TestServer;
  let admin: string;
  let alice: TestUser;
  let bob: TestUser;
  const metricsUrl = () => `${t.origin}/metrics`;

  beforeAll(async () => {
    t = await startTestServer({
      BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
      BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
      // A sign-in limiter that refuses the third failure at once (and never slows the test down).
      SIGNIN_MAX_FAILURES_PER_EMAIL: '2',
      SIGNIN_SLOWDOWN_MS: '0',
    });
    admin = await signInAdmin(t, ADMIN);
    alice = await signUpUser(t, { label: 'metrics-alice' });
    bob = await signUpUser(t, { label: 'metrics-bob' });
    await credit(t, admin, alice.walletId, '50.00');
  });
  afterAll(async () => {
    if (t) await expectLedgerConsistent(t);
    await t?.stop();
  });

  const send = (amount: string) =>
    t.query(
      MetricsSend,
      { input: { recipient: { email: bob.email }, amount: { amount, currency: 'USD' }, idempotencyKey: randomUUID() } },
      { token: alice.token },
    );

  it('tracing is off by default: the API hands out spans that record nothing', () => {
    expect(trace.getTracer('probe').startSpan('probe').isRecording()).toBe(false);
  });

  it('a send and a refused send: operation latency by name, userErrors by mutation and code, ledger batches, outbox publishes', async () => {
    const before = await scrape(metricsUrl());
    expect((await send('10.00')).sendMoney.userErrors).toEqual([]);
    expect((await send('500.00')).sendMoney.userErrors.map((e) => e.code)).toEqual(['INSUFFICIENT_FUNDS']);
    // The publish of the send's events follows its answer: wait for it rather than race it.
    const after = await until(async () => {
      const now = await scrape(metricsUrl());
      return moved(before, now, 'wallet_outbox_published_events_total', { by: 'commit' }) >= 1 && now;
    }, 'the send’s events to be published');

    expect(moved(before, after, 'wallet_graphql_operation_duration_seconds_count', { type: 'mutation', operation: 'MetricsSend' })).toBe(2);
    expect(moved(before, after, 'wallet_graphql_user_errors_total', { mutation: 'sendMoney', code: 'INSUFFICIENT_FUNDS' })).toBe(1);
    // Both sends reached the posting function (the refusal is its answer), each in a batch of its own here.
    expect(moved(before, after, 'wallet_batch_size_count', { batcher: 'ledger' })).toBe(2);
    expect(moved(before, after, 'wallet_batch_size_sum', { batcher: 'ledger' })).toBe(2);
    expect(moved(before, after, 'wallet_batch_duration_seconds_count', { batcher: 'ledger' })).toBe(2);
    expect(sample(after, 'wallet_batch_duration_seconds_sum', { batcher: 'ledger' })).toBeGreaterThan(0);
    // The two GraphQL requests (and the first scrape) in the HTTP histogram, by route kind and status class.
    expect(moved(before, after, 'wallet_http_request_duration_seconds_count', { route: 'graphql', status: '2xx' })).toBe(2);
    expect(moved(before, after, 'wallet_http_request_duration_seconds_count', { route: 'metrics', status: '2xx' })).toBeGreaterThanOrEqual(
      1,
    );
    // Read at scrape time.
    expect(sample(after, 'wallet_dependency_up', { dependency: 'database' })).toBe(1);
    expect(sample(after, 'wallet_outbox_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(after, 'wallet_db_pool_max_connections')).toBe(t.server.db.kind === 'embedded' ? 1 : 5);
    // (Read while the scrape's own queries run: what is open stays within the pool's size.)
    const open =
      sample(after, 'wallet_db_pool_connections', { state: 'idle' })! + sample(after, 'wallet_db_pool_connections', { state: 'in_use' })!;
    expect(open).toBeGreaterThanOrEqual(1);
    expect(open).toBeLessThanOrEqual(sample(after, 'wallet_db_pool_max_connections')!);
    expect(sample(after, 'wallet_db_pool_waiting_requests')).toBeGreaterThanOrEqual(0);
    expect(sample(after, 'wallet_process_resident_memory_bytes')).toBeGreaterThan(0);
    // The relay passes once a second (OUTBOX_RELAY_INTERVAL_MS), with nothing overdue to publish.
    // (The series appears with the first pass, which on a loaded machine may come after this scrape.)
    const passes = (samples: Samples) => sample(samples, 'wallet_outbox_relay_passes_total', { outcome: 'ok' }) ?? 0;
    await until(async () => passes(await scrape(metricsUrl())) - passes(after) >= 1, 'a relay pass');
  });

  it('operation names are bounded: anonymous, unknown (nothing resolved) and other (not a name this keeps)', async () => {
    const before = await scrape(metricsUrl());
    const post = (body: unknown) =>
      fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post({ query: '{ __typename }' })).status).toBe(200);
    expect((await post({ query: '{ nope' })).status).toBe(400);
    expect((await post({ query: `query ${'N'.repeat(80)} { __typename }` })).status).toBe(200);
    const after = await scrape(metricsUrl());
    expect(moved(before, after, 'wallet_graphql_operation_duration_seconds_count', { type: 'query', operation: 'anonymous' })).toBe(1);
    expect(moved(before, after, 'wallet_graphql_operation_duration_seconds_count', { type: 'unknown', operation: 'unknown' })).toBe(1);
    expect(moved(before, after, 'wallet_graphql_operation_duration_seconds_count', { type: 'query', operation: 'other' })).toBe(1);
    expect([...after.keys()].some((k) => k.includes('N'.repeat(80)))).toBe(false);
    expect(moved(before, after, 'wallet_http_request_duration_seconds_count', { route: 'graphql', status: '4xx' })).toBe(1);
  });

  it('a subscription is counted by field while it runs, and the WebSocket connection while it is open', async () => {
    const ws = connectWs(t.wsUrl, `Bearer ${bob.token}`);
    await ws.connected;
    const sub = ws.subscribe(MetricsWalletUpdated, { walletId: bob.walletId });
    const running = await until(async () => {
      const now = await scrape(metricsUrl());
      return sample(now, 'wallet_graphql_subscriptions', { field: 'walletUpdated' }) === 1 && now;
    }, 'the subscription to be counted');
    expect(sample(running, 'wallet_websocket_connections')).toBe(1);
    // It is live: a send reaches it.
    await send('1.00');
    await sub.next();
    sub.unsubscribe();
    const ended = await until(async () => {
      const now = await scrape(metricsUrl());
      return sample(now, 'wallet_graphql_subscriptions', { field: 'walletUpdated' }) === 0 && now;
    }, 'the subscription to end');
    expect(sample(ended, 'wallet_websocket_connections')).toBe(1);
    // A second one ends with its socket.
    ws.subscribe(MetricsWalletUpdated, { walletId: bob.walletId });
    await until(
      async () => sample(await scrape(metricsUrl()), 'wallet_graphql_subscriptions', { field: 'walletUpdated' }) === 1,
      'the second subscription',
    );
    await ws.dispose();
    const closed = await until(async () => {
      const now = await scrape(metricsUrl());
      return sample(now, 'wallet_websocket_connections') === 0 && now;
    }, 'the socket to close');
    expect(sample(closed, 'wallet_graphql_subscriptions', { field: 'walletUpdated' })).toBe(0);
  });

  it('a merchant webhook failing once, then delivered: outcomes by attempt, and their latency', async () => {
    const hook = await flakyReceiver();
    try {
      const before = await scrape(metricsUrl());
      const owner = await signUpUser(t, { label: 'metrics-shop' });
      const registered = (
        await t.query(
          MetricsRegister,
          { input: { name: 'Metric Shop', category: 'shop', settlementCurrency: 'USD', webhookUrl: hook.url } },
          { token: owner.token },
        )
      ).registerMerchant;
      expect(registered.userErrors).toEqual([]);
      const code = (
        await t.query(
          MetricsCreateRequest,
          { input: { merchantId: registered.merchant!.id, amount: { amount: '2.00', currency: 'USD' }, reference: 'm-1' } },
          { token: owner.token },
        )
      ).createPaymentRequest.paymentRequest!.code;
      const paid = await t.query(MetricsPay, { input: { code, idempotencyKey: randomUUID() } }, { token: alice.token });
      expect(paid.payPaymentRequest.userErrors).toEqual([]);
      const after = await until(async () => {
        const now = await scrape(metricsUrl());
        return (sample(now, 'wallet_merchant_webhook_deliveries_total', { outcome: 'delivered', attempt: 'retry' }) ?? 0) >= 1 && now;
      }, 'the retried delivery');
      expect(hook.received).toEqual([500, 200]);
      expect(moved(before, after, 'wallet_merchant_webhook_deliveries_total', { outcome: 'failed', attempt: 'first' })).toBe(1);
      expect(moved(before, after, 'wallet_merchant_webhook_deliveries_total', { outcome: 'delivered', attempt: 'retry' })).toBe(1);
      expect(moved(before, after, 'wallet_merchant_webhook_delivery_duration_seconds_count', { outcome: 'failed' })).toBe(1);
      expect(moved(before, after, 'wallet_merchant_webhook_delivery_duration_seconds_count', { outcome: 'delivered' })).toBe(1);
      expect(sample(after, 'wallet_merchant_webhook_deliveries_total', { outcome: 'gave_up', attempt: 'retry' })).toBeUndefined();
    } finally {
      await hook.close();
    }
  });

  it('a sign-in refused by its limiter counts as rate limited (sign_in)', async () => {
    const before = await scrape(metricsUrl());
    const wrong = { email: bob.email, password: `${STRONG_PASSWORD}-wrong` };
    for (let i = 0; i < 2; i++) expect((await t.query(MetricsSignIn, { input: wrong })).signIn.userErrors.length).toBe(1);
    const refused = await t.request(MetricsSignIn, { input: wrong });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    const after = await scrape(metricsUrl());
    expect(moved(before, after, 'wallet_rate_limited_total', { limiter: 'sign_in' })).toBe(1);
  });
});

describe('METRICS_TOKEN', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ METRICS_TOKEN });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('answers 401 without the token or with another, and the metrics with it', async () => {
    const missing = await fetch(`${t.origin}/metrics`);
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(/METRICS_TOKEN/);
    expect((await fetch(`${t.origin}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}x` } })).status).toBe(401);
    expect((await fetch(`${t.origin}/metrics`, { headers: { authorization: METRICS_TOKEN } })).status).toBe(401);
    const samples = await scrape(`${t.origin}/metrics`, METRICS_TOKEN);
    expect(sample(samples, 'wallet_dependency_up', { dependency: 'database' })).toBe(1);
  });
});

describe('METRICS_PORT', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ METRICS_PORT: '0', METRICS_TOKEN });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('serves /metrics on its own port only (with the token, when one is set too)', async () => {
    expect(t.server.metricsPort).toBeGreaterThan(0);
    expect(t.server.metricsPort).not.toBe(t.server.port);
    const own = `http://127.0.0.1:${t.server.metricsPort}`;
    expect((await fetch(`${t.origin}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(404);
    expect((await fetch(`${own}/metrics`)).status).toBe(401);
    expect((await fetch(`${own}/graphql`)).status).toBe(404);
    const samples = await scrape(`${own}/metrics`, METRICS_TOKEN);
    expect(sample(samples, 'wallet_dependency_up', { dependency: 'database' })).toBe(1);
  });
});
