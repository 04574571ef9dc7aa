// Prometheus metrics at GET /metrics (prom-client); docs/operations.md says what each one means.
// Two kinds:
// - recorded as things happen, in process (a counter increment or a histogram observation on a
//   label set resolved once and kept): requests, operations, userErrors, batches, outbox
//   publishes, relay passes, webhook deliveries, subscriptions, rate-limit refusals. Services
//   report through the ServiceMetrics interface (src/services/telemetry.ts), implemented here;
// - read at scrape time, so nothing is polled between scrapes: each dependency's state (what
//   /readyz asks: a database ping bounded at 2 s, Redis's connection state), the outbox backlog
//   and its age, WebSocket connections, the database pool, and Node's own process metrics.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ServiceMetrics, WebhookOutcome } from '../services/telemetry.js';

export interface MetricsSources {
  /** Each dependency's state now: true when reachable. */
  dependencies(): Promise<Record<string, boolean>>;
  /** Events written and not yet published, and the age of the oldest (null when the database cannot say). */
  outboxBacklog(): Promise<{ events: number; oldestAgeSeconds: number } | null>;
  webSocketConnections(): number;
  /** The database connection pool now. */
  databasePool(): { total: number; idle: number; waiting: number; max: number };
}

/** What an HTTP request was for: a label with a handful of values, never the raw path. */
export type RouteKind = 'graphql' | 'health' | 'metrics' | 'pay' | 'webhook' | 'statement' | 'other';

export interface Metrics {
  registry: Registry;
  /** Counts a request or operation refused because a dependency was unavailable. */
  unavailable: Counter<'dependency'>;
  /** What services report (batches, outbox, webhook deliveries, rate limits). */
  service: ServiceMetrics;
  httpRequest(route: RouteKind, status: number, seconds: number): void;
  /** A GraphQL operation answered over HTTP: its type and name (null: anonymous; type undefined: none resolved). */
  graphqlOperation(type: string | undefined, name: string | null | undefined, seconds: number): void;
  /** A mutation answered with userErrors. */
  userErrors(mutation: string, codes: readonly string[]): void;
  subscriptionStarted(field: string): void;
  subscriptionEnded(field: string): void;
}

export interface MetricsOptions {
  /** Distinct operation names kept as labels; later new names are counted as "other". */
  maxOperationNames?: number;
}

/** Seconds: from a cached balance read (well under 1 ms) to a slow partner's webhook endpoint. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const BATCH_SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** `make(key)` once per distinct key, then the kept value: label sets are resolved once, not per observation. */
function keptBy<T>(make: (key: string) => T): (key: string) => T {
  const kept = new Map<string, T>();
  return (key) => {
    let value = kept.get(key);
    if (value === undefined) {
      value = make(key);
      kept.set(key, value);
    }
    return value;
  };
}

export function createMetrics(sources: MetricsSources, options: MetricsOptions = {}): Metrics {
  const maxOperationNames = options.maxOperationNames ?? 200;
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry, prefix: 'wallet_' });

  // --- Read at scrape time ---
  new Gauge({
    name: 'wallet_dependency_up',
    help: 'Whether a dependency answered at its last check (1) or not (0).',
    labelNames: ['dependency'],
    registers,
    async collect() {
      for (const [dependency, up] of Object.entries(await sources.dependencies())) this.set({ dependency }, up ? 1 : 0);
    },
  });
  // One query per scrape for both outbox gauges: a scrape starts every collect() at once, so the
  // second finds the first one's query still running and shares it.
  let backlog: ReturnType<MetricsSources['outboxBacklog']> | undefined;
  const readBacklog = () => {
    backlog ??= sources.outboxBacklog().finally(() => (backlog = undefined));
    return backlog;
  };
  new Gauge({
    name: 'wallet_outbox_pending_events',
    help: 'Outbox rows not yet published to subscribers: one per posting call or other change (grows while Redis is down).',
    registers,
    async collect() {
      const now = await readBacklog();
      if (now) this.set(now.events);
    },
  });
  new Gauge({
    name: 'wallet_outbox_lag_seconds',
    help: 'Age of the oldest outbox event not yet published (0 when none waits): how late live updates are.',
    registers,
    async collect() {
      const now = await readBacklog();
      if (now) this.set(now.oldestAgeSeconds);
    },
  });
  new Gauge({
    name: 'wallet_websocket_connections',
    help: 'Open GraphQL WebSocket connections in this process.',
    registers,
    collect() {
      this.set(sources.webSocketConnections());
    },
  });
  new Gauge({
    name: 'wallet_db_pool_connections',
    help: 'Database pool connections of this process, by state (idle, in_use).',
    labelNames: ['state'],
    registers,
    collect() {
      const pool = sources.databasePool();
      this.set({ state: 'idle' }, pool.idle);
      this.set({ state: 'in_use' }, pool.total - pool.idle);
    },
  });
  new Gauge({
    name: 'wallet_db_pool_max_connections',
    help: 'The most connections the database pool opens (DB_POOL_SIZE; 1 on the embedded database).',
    registers,
    collect() {
      this.set(sources.databasePool().max);
    },
  });
  new Gauge({
    name: 'wallet_db_pool_waiting_requests',
    help: 'Queries waiting for a free pool connection (above 0 for long: the pool is too small or the database slow).',
    registers,
    collect() {
      this.set(sources.databasePool().waiting);
    },
  });

  // --- Recorded as things happen ---
  const unavailable = new Counter({
    name: 'wallet_unavailable_total',
    help: 'Requests and operations answered SERVICE_UNAVAILABLE because a dependency could not be reached.',
    labelNames: ['dependency'],
    registers,
  });
  const httpDuration = new Histogram({
    name: 'wallet_http_request_duration_seconds',
    help: 'HTTP requests by route kind (graphql, health, metrics, pay, webhook, other) and status class, from arrival to the last byte sent.',
    labelNames: ['route', 'status'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const httpChild = keptBy((key) => {
    const [route, status] = key.split(' ');
    return httpDuration.labels({ route: route!, status: status! });
  });
  const operationDuration = new Histogram({
    name: 'wallet_graphql_operation_duration_seconds',
    help: 'GraphQL operations over HTTP by type and operation name (anonymous, other beyond the name limit, unknown when none could be resolved).',
    labelNames: ['type', 'operation'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const operationChild = keptBy((key) => {
    const [type, operation] = key.split(' ');
    return operationDuration.labels({ type: type!, operation: operation! });
  });
  const operationNames = new Set<string>();
  /** The label for an operation's name: bounded, whatever names clients send. */
  const operationLabel = (name: string | null | undefined): string => {
    if (name === undefined) return 'unknown';
    if (name === null || name === '') return 'anonymous';
    if (operationNames.has(name)) return name;
    if (!OPERATION_NAME.test(name) || operationNames.size >= maxOperationNames) return 'other';
    operationNames.add(name);
    return name;
  };
  const userErrors = new Counter({
    name: 'wallet_graphql_user_errors_total',
    help: 'userErrors returned by mutations (expected refusals: INSUFFICIENT_FUNDS, RATE_LIMITED, …), by mutation and code.',
    labelNames: ['mutation', 'code'],
    registers,
  });
  const userErrorChild = keptBy((key) => {
    const [mutation, code] = key.split(' ');
    return userErrors.labels({ mutation: mutation!, code: code! });
  });
  const subscriptions = new Gauge({
    name: 'wallet_graphql_subscriptions',
    help: 'Running GraphQL subscriptions in this process, by subscription field.',
    labelNames: ['field'],
    registers,
  });
  const batchSize = new Histogram({
    name: 'wallet_batch_size',
    help: 'Items per batch: ledger (transfers per posting call, one commit) and risk (sends per facts read).',
    labelNames: ['batcher'],
    buckets: BATCH_SIZE_BUCKETS,
    registers,
  });
  const batchDuration = new Histogram({
    name: 'wallet_batch_duration_seconds',
    help: 'How long one batch took (for the ledger: the posting call, its commit and publishing its events).',
    labelNames: ['batcher'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const batchChildren = keptBy((batcher) => ({ size: batchSize.labels({ batcher }), duration: batchDuration.labels({ batcher }) }));
  const outboxPublished = new Counter({
    name: 'wallet_outbox_published_events_total',
    help: 'Outbox events published to subscribers: right after their commit, or by the relay (overdue: a publish failed or a process died).',
    labelNames: ['by'],
    registers,
  });
  const relayPasses = new Counter({
    name: 'wallet_outbox_relay_passes_total',
    help: 'Outbox relay passes by outcome (ok, failed: retried on the next pass).',
    labelNames: ['outcome'],
    registers,
  });
  const webhookDeliveries = new Counter({
    name: 'wallet_merchant_webhook_deliveries_total',
    help: 'Merchant webhook delivery attempts by outcome (delivered; failed: will be retried; gave_up: retried for MERCHANT_WEBHOOK_RETRY_FOR_HOURS) and attempt (first, retry).',
    labelNames: ['outcome', 'attempt'],
    registers,
  });
  const webhookDuration = new Histogram({
    name: 'wallet_merchant_webhook_delivery_duration_seconds',
    help: "Merchant webhook delivery attempts: how long the merchant's endpoint took to answer (or to fail), by outcome.",
    labelNames: ['outcome'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const notificationDeliveries = new Counter({
    name: 'wallet_notification_deliveries_total',
    help: 'Email, SMS and push delivery attempts (the notifier) by channel, outcome (sent; failed: will be retried; gave_up: past its give-up time, or refused for good) and attempt (first, retry).',
    labelNames: ['channel', 'outcome', 'attempt'],
    registers,
  });
  const notificationDuration = new Histogram({
    name: 'wallet_notification_delivery_duration_seconds',
    help: 'Email, SMS and push delivery attempts: how long the provider took to accept (or refuse) a message, by channel.',
    labelNames: ['channel'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const rateLimited = new Counter({
    name: 'wallet_rate_limited_total',
    help: 'Requests refused by a rate limiter: user, api_key (token buckets), sign_in, sign_up, subscriptions_per_connection.',
    labelNames: ['limiter'],
    registers,
  });

  const service: ServiceMetrics = {
    batch(what, size, seconds) {
      const child = batchChildren(what);
      child.size.observe(size);
      child.duration.observe(seconds);
    },
    outboxPublished(by, events) {
      outboxPublished.inc({ by }, events);
    },
    relayPass(outcome) {
      relayPasses.inc({ outcome });
    },
    webhookDelivery(outcome: WebhookOutcome, retry, seconds) {
      webhookDeliveries.inc({ outcome, attempt: retry ? 'retry' : 'first' });
      webhookDuration.observe({ outcome }, seconds);
    },
    notificationDelivery(channel, outcome, retry, seconds) {
      notificationDeliveries.inc({ channel, outcome, attempt: retry ? 'retry' : 'first' });
      notificationDuration.observe({ channel }, seconds);
    },
    rateLimited(limiter) {
      rateLimited.inc({ limiter });
    },
  };

  return {
    registry,
    unavailable,
    service,
    httpRequest(route, status, seconds) {
      httpChild(`${route} ${Math.floor(status / 100)}xx`).observe(seconds);
    },
    graphqlOperation(type, name, seconds) {
      operationChild(`${type ?? 'unknown'} ${operationLabel(name)}`).observe(seconds);
    },
    userErrors(mutation, codes) {
      for (const code of codes) userErrorChild(`${mutation} ${code}`).inc();
    },
    subscriptionStarted(field) {
      subscriptions.inc({ field });
    },
    subscriptionEnded(field) {
      subscriptions.dec({ field });
    },
  };
}
