// `npx tsx scripts/measureTelemetry.ts`: what metrics and traces add per request and per
// transfer, measured in process (a micro-measure of the recording calls the hot path makes, not a
// benchmark run; docs/performance.md's cost table quotes it). Each figure is the median of 5
// rounds of 200,000 calls, in µs per call.
import { EventEmitter } from 'node:events';
import { context, trace } from '@opentelemetry/api';
import { createMetrics } from '../src/server/metrics.js';
import { inChildSpan, inSpan, tracedContext } from '../src/services/telemetry.js';

const N = 200_000;
const ROUNDS = 5;

function report(what: string, rounds: number[]): number {
  const median = rounds.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
  console.log(`${what.padEnd(72)} ${median.toFixed(3)} µs`);
  return median;
}

/** A synchronous recording call: its own loop, so call sites stay as the server has them. */
function measure(what: string, op: () => void): number {
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const started = performance.now();
    for (let i = 0; i < N; i++) op();
    rounds.push(((performance.now() - started) * 1000) / N);
  }
  return report(what, rounds);
}

async function measureAsync(what: string, op: () => Promise<unknown>): Promise<number> {
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const started = performance.now();
    for (let i = 0; i < N; i++) await op();
    rounds.push(((performance.now() - started) * 1000) / N);
  }
  return report(what, rounds);
}

const metrics = createMetrics({
  dependencies: async () => ({ database: true }),
  outboxBacklog: async () => ({ events: 0, oldestAgeSeconds: 0 }),
  webSocketConnections: () => 0,
  databasePool: () => ({ total: 1, idle: 1, waiting: 0, max: 1 }),
});
const started = new WeakMap<object, number>();
const emitter = new EventEmitter();

console.log('Metrics (prom-client), recorded per request or transfer:');
const http = measure('HTTP request: a finish listener, hrtime, histogram observe', () => {
  const t0 = process.hrtime.bigint();
  emitter.once('finish', () => metrics.httpRequest('graphql', 200, Number(process.hrtime.bigint() - t0) / 1e9));
  emitter.emit('finish');
});
const operation = measure('GraphQL operation: start kept (WeakMap), histogram observe by name', () => {
  const requestContext = {};
  started.set(requestContext, performance.now());
  metrics.graphqlOperation('mutation', 'SendMoney', (performance.now() - started.get(requestContext)!) / 1000);
});
const userErrors = measure('mutation answer checked for userErrors (none), in the root resolver', () => {
  const answer = { transfer: {}, userErrors: [] as { code: string }[] };
  if (answer.userErrors.length)
    metrics.userErrors(
      'sendMoney',
      answer.userErrors.map((e) => e.code),
    );
});
const batch = measure('ledger batch (per batch): two clock reads, size and duration observed', () => {
  const t0 = performance.now();
  metrics.service.batch('ledger', 1, (performance.now() - t0) / 1000);
});
const outbox = measure('outbox events published (per posting call): a counter', () => metrics.service.outboxPublished('commit', 1));

console.log('\nTraces off (the API without an SDK), per transfer:');
const work = async () => {};
const offContext = measure('batcher item: tracedContext()', () => void tracedContext());
const baseline = await measureAsync('baseline: an empty async call', work);
const offChild = (await measureAsync('database call: inChildSpan (no span: just the call)', () => inChildSpan('x', {}, work))) - baseline;
const offPlugin = measure('operation hooks: trace.getActiveSpan() ×2', () => {
  trace.getActiveSpan();
  trace.getActiveSpan();
});

console.log('\nTraces on (SDK, batch processor, spans dropped by the exporter), per request:');
const { NodeTracerProvider, BatchSpanProcessor } = await import('@opentelemetry/sdk-trace-node');
const provider = new NodeTracerProvider({
  spanProcessors: [
    new BatchSpanProcessor({
      export: (_spans, done) => done({ code: 0 }),
      shutdown: async () => {},
    }),
  ],
});
provider.register();
const onSpans =
  (await measureAsync('request → service → batch (linked) → database: four spans', () =>
    inSpan('POST /graphql', {}, () =>
      inSpan('transfers.sendMoney', {}, async () => {
        const item = tracedContext()!;
        await inSpan('ledger batch', { parent: item, links: [{ context: trace.getSpanContext(item)! }] }, () =>
          inChildSpan('SELECT wallet_post_transfers', {}, work),
        );
      }),
    ),
  )) - baseline;
await provider.shutdown();
trace.disable();
context.disable();

const perRequest = http + operation + userErrors + batch + outbox;
console.log(
  `\nMetrics per sendMoney over HTTP (request, operation, userErrors check, one batch, one outbox count): ${perRequest.toFixed(2)} µs`,
);
console.log(`Traces off, per transfer: ${(offContext + offChild + offPlugin).toFixed(2)} µs; on, four spans: ${onSpans.toFixed(1)} µs`);
