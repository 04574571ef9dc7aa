// Prometheus metrics at GET /metrics (prom-client): the state of each dependency, what waits in
// the outbox, open WebSocket connections, requests answered SERVICE_UNAVAILABLE, and Node's own
// process metrics. A scrape asks what /readyz asks (a database ping bounded at 2 s, Redis's
// connection state) and counts the outbox: nothing is polled between scrapes.
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';

export interface MetricsSources {
  /** Each dependency's state now: true when reachable. */
  dependencies(): Promise<Record<string, boolean>>;
  /** Events written and not yet published (null when the database cannot say). */
  outboxPending(): Promise<number | null>;
  webSocketConnections(): number;
}

export interface Metrics {
  registry: Registry;
  /** Counts a request or operation refused because a dependency was unavailable. */
  unavailable: Counter<'dependency'>;
}

export function createMetrics(sources: MetricsSources): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'wallet_' });
  new Gauge({
    name: 'wallet_dependency_up',
    help: 'Whether a dependency answered at its last check (1) or not (0).',
    labelNames: ['dependency'],
    registers: [registry],
    async collect() {
      for (const [dependency, up] of Object.entries(await sources.dependencies())) this.set({ dependency }, up ? 1 : 0);
    },
  });
  new Gauge({
    name: 'wallet_outbox_pending_events',
    help: 'Outbox rows not yet published to subscribers: one per posting call or other change (grows while Redis is down).',
    registers: [registry],
    async collect() {
      const pending = await sources.outboxPending();
      if (pending !== null) this.set(pending);
    },
  });
  new Gauge({
    name: 'wallet_websocket_connections',
    help: 'Open GraphQL WebSocket connections in this process.',
    registers: [registry],
    collect() {
      this.set(sources.webSocketConnections());
    },
  });
  const unavailable = new Counter({
    name: 'wallet_unavailable_total',
    help: 'Requests and operations answered SERVICE_UNAVAILABLE because a dependency could not be reached.',
    labelNames: ['dependency'],
    registers: [registry],
  });
  return { registry, unavailable };
}
