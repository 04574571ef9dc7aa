// HTTP load over keep-alive connections (undici Pool), in the two ways load is offered:
//  - closed loop (saturation): C requests always in flight; each new one leaves when one returns.
//    Its throughput is the most the system does; its latency is what C waiting clients see.
//  - open loop (fixed rate): request i is due at start + i/R whatever happened before, and its
//    latency is counted from that due time, not from when it could be sent, so a stall shows up
//    in every request it delayed (no coordinated omission).
// Every run is bounded in time and in request count, and stops by itself.
import { setMaxListeners } from 'node:events';
import { Pool } from 'undici';
import { addCount, emptyErrors } from './figures.js';
import type { ErrorCounts, HttpRunCommand, ProbeResult, RunFigures } from './protocol.js';
import { SampleRecorder } from './stats.js';

/** One request to send: whose token, what body, and which mutation payload holds userErrors. */
export interface HttpRequestSpec {
  token: string;
  body: string;
  /** e.g. "sendMoney": data.sendMoney.userErrors counts as refusals; null for queries. */
  payloadField: string | null;
  /** Anything the caller wants back with the response (see RunHooks.onOk). */
  tag?: number;
}

export type RequestMaker = () => HttpRequestSpec;

export type Outcome = { kind: 'ok'; data: Record<string, unknown> } | { kind: 'error' };

const pools = new Map<string, Pool>();

/** One pool per origin and size, kept across runs so warm-up leaves warm connections. */
export function poolFor(origin: string, connections: number): Pool {
  const key = `${origin}|${connections}`;
  let pool = pools.get(key);
  if (!pool) {
    // Close idle sockets before the server's 5 s keep-alive timeout does, so a request never
    // lands on a socket the server is closing.
    pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 4_000, keepAliveMaxTimeout: 4_000 });
    pools.set(key, pool);
  }
  return pool;
}

export async function closePools(): Promise<void> {
  await Promise.all([...pools.values()].map((p) => p.close().catch(() => {})));
  pools.clear();
}

/** Sorts a GraphQL response into ok / GraphQL error / userErrors / HTTP error. */
export function classify(status: number, text: string, payloadField: string | null, errors: ErrorCounts): Outcome {
  let json: { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string } }[] } | undefined;
  try {
    json = JSON.parse(text);
  } catch {
    addCount(errors.http, `${status} (body not JSON)`);
    return { kind: 'error' };
  }
  if (json?.errors?.length) {
    addCount(errors.graphql, json.errors[0]?.extensions?.code ?? 'UNKNOWN');
    return { kind: 'error' };
  }
  if (status !== 200 || !json?.data) {
    addCount(errors.http, String(status));
    return { kind: 'error' };
  }
  if (payloadField) {
    const payload = json.data[payloadField] as { userErrors?: { code?: string }[] } | undefined;
    if (payload?.userErrors?.length) {
      addCount(errors.user, payload.userErrors[0]?.code ?? 'UNKNOWN');
      return { kind: 'error' };
    }
  }
  return { kind: 'ok', data: json.data };
}

/** Sends one request and returns its status and parsed body (the workload's sanity check). */
export async function probe(origin: string, spec: HttpRequestSpec): Promise<ProbeResult> {
  const res = await poolFor(origin, 1).request({
    path: '/graphql',
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${spec.token}` },
    body: spec.body,
  });
  const text = await res.body.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // returned as text
  }
  return { status: res.statusCode, body };
}

export interface Sender {
  /** Sends one request; resolves with its outcome (never rejects). */
  send(spec: HttpRequestSpec, signal: AbortSignal): Promise<Outcome | 'transport-error'>;
}

export function createSender(pool: Pool, errors: ErrorCounts): Sender {
  return {
    async send(spec, signal) {
      try {
        const res = await pool.request({
          path: '/graphql',
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${spec.token}` },
          body: spec.body,
          signal,
        });
        const text = await res.body.text();
        return classify(res.statusCode, text, spec.payloadField, errors);
      } catch (err) {
        if (signal.aborted) errors.timedOut += 1;
        else addCount(errors.transport, (err as Error).message.slice(0, 80));
        return 'transport-error';
      }
    },
  };
}

export interface RunHooks {
  /** Called about once a second while the run goes. */
  onProgress?(p: { elapsedS: number; completed: number; ok: number }): void;
  /** Called for every successful response (the subscription benchmark reads the transfer id). */
  onOk?(data: Record<string, unknown>, spec: HttpRequestSpec, scheduledAt: number, respondedAt: number): void;
}

/** Runs one closed- or open-loop run and returns its figures (CPU of the server is added by the caller). */
export async function runHttp(command: HttpRunCommand, next: RequestMaker, hooks: RunHooks = {}): Promise<RunFigures> {
  const pool = poolFor(command.origin, command.connections);
  const errors = emptyErrors();
  const sender = createSender(pool, errors);
  const latencies = new SampleRecorder();
  const abort = new AbortController();
  setMaxListeners(0, abort.signal); // one listener per request in flight, by design
  const pacing = command.pacing;
  let sent = 0;
  let completed = 0;
  let ok = 0;
  let inFlight = 0;
  let lastDone = 0;

  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const ticker = setInterval(() => hooks.onProgress?.({ elapsedS: (performance.now() - start) / 1000, completed, ok }), 1000);

  const one = async (scheduledAt: number) => {
    const spec = next();
    sent += 1;
    inFlight += 1;
    const outcome = await sender.send(spec, abort.signal);
    const now = performance.now();
    inFlight -= 1;
    lastDone = now;
    if (outcome === 'transport-error') return;
    completed += 1;
    latencies.record(now - scheduledAt);
    if (outcome.kind === 'ok') {
      ok += 1;
      hooks.onOk?.(outcome.data, spec, scheduledAt, now);
    }
  };

  const deadline = start + pacing.durationMs;
  let drainTimer: NodeJS.Timeout | undefined;
  const drainBound = new Promise<void>((resolve) => {
    drainTimer = setTimeout(() => {
      abort.abort();
      resolve();
    }, pacing.durationMs + command.drainMs);
  });

  if (pacing.mode === 'closed') {
    const worker = async () => {
      while (performance.now() < deadline && sent < pacing.maxRequests && !abort.signal.aborted) {
        await one(performance.now());
      }
    };
    await Promise.race([Promise.all(Array.from({ length: pacing.concurrency }, worker)), drainBound]);
  } else {
    const interval = 1000 / pacing.rate;
    const total = Math.min(pacing.maxRequests, Math.floor((pacing.rate * pacing.durationMs) / 1000));
    const outstanding = new Set<Promise<void>>();
    await new Promise<void>((resolve) => {
      let i = 0;
      const tick = () => {
        const now = performance.now();
        while (i < total && start + i * interval <= now) {
          const due = start + i * interval;
          i += 1;
          if (inFlight >= pacing.maxBacklog) {
            errors.dropped += 1;
            continue;
          }
          const p = one(due).finally(() => outstanding.delete(p));
          outstanding.add(p);
        }
        if (i < total && !abort.signal.aborted) setTimeout(tick, Math.max(0, start + i * interval - performance.now()));
        else resolve();
      };
      tick();
    });
    await Promise.race([Promise.all([...outstanding]), drainBound]);
  }
  clearTimeout(drainTimer);
  clearInterval(ticker);

  const elapsedMs = Math.max(pacing.durationMs, (lastDone || performance.now()) - start);
  const cpu = process.cpuUsage(cpuBefore);
  return {
    throughput: ok / (elapsedMs / 1000),
    sent,
    completed,
    ok,
    durationS: elapsedMs / 1000,
    latencyMs: latencies.summary(),
    errors,
    cpu: { loadPercent: ((cpu.user + cpu.system) / 1000 / elapsedMs) * 100 },
  };
}
