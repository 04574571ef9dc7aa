// Live-update load: many WebSocket clients (graphql-ws over `ws`), each authenticated with its
// own token and subscribed to walletUpdated on its wallet, while transfers are sent to those
// wallets over HTTP at a fixed rate. For every transfer the mutation's answer names the
// transaction; each subscriber of the recipient wallet must then receive an event for it.
// Measured: time from the mutation's HTTP response to each event, and events lost (expected
// minus received after a grace period), duplicated or unexpected.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { addCount } from './figures.js';
import { runHttp } from './httpLoad.js';
import { WALLET_UPDATED, sendMoneyBody } from './graphql.js';
import type { NotifyCommand, RunFigures, SubscribeCommand, SubscribeResult } from './protocol.js';
import { SampleRecorder } from './stats.js';

interface TransferRecord {
  scheduledAt: number;
  respondedAt?: number;
  expected: number;
  arrivals: number[];
}

const clients: Client[] = [];
/** Transfers of the run in progress, by transaction global ID. */
let current: Map<string, TransferRecord> | null = null;
let strayEvents = 0;
let subscriptionErrors: Record<string, number> = {};

/** A ws WebSocket bound to one local source address, as graphql-ws wants a constructor. */
function webSocketFrom(localAddress: string) {
  return class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { localAddress, perMessageDeflate: false });
    }
  };
}

function onEvent(transactionId: string | undefined) {
  const now = performance.now();
  if (!transactionId || !current) {
    strayEvents += 1;
    return;
  }
  let record = current.get(transactionId);
  if (!record) {
    // The event beat the HTTP response: keep its time until the response names the transfer.
    record = { scheduledAt: Number.NaN, expected: 0, arrivals: [] };
    current.set(transactionId, record);
  }
  record.arrivals.push(now);
}

/** Opens one socket per subscriber and subscribes; resolves once each is acknowledged or failed. */
export async function subscribeAll(
  command: SubscribeCommand,
  onProgress?: (p: { elapsedS: number; completed: number; ok: number }) => void,
): Promise<SubscribeResult> {
  const failed: Record<string, number> = {};
  const connectMs = new SampleRecorder();
  const started = performance.now();
  const impls = command.localAddresses.map(webSocketFrom);
  subscriptionErrors = {};
  let nextIndex = 0;
  let connected = 0;

  const openOne = (index: number) =>
    new Promise<void>((resolve) => {
      const subscriber = command.subscribers[index]!;
      const openedAt = performance.now();
      let settled = false;
      const settle = (problem?: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (problem) addCount(failed, problem);
        else {
          connected += 1;
          connectMs.record(performance.now() - openedAt);
        }
        resolve();
      };
      const timer = setTimeout(() => settle('timed out waiting for connection_ack'), command.timeoutMs);
      const client = createClient({
        url: command.wsUrl,
        webSocketImpl: impls[index % impls.length],
        lazy: true,
        retryAttempts: 0,
        connectionParams: { authorization: `Bearer ${subscriber.token}` },
        on: {
          connected: () => settle(),
          closed: (event) => settle(`closed before ack: ${(event as { code?: number }).code ?? 'unknown'}`),
          error: (err) => settle(`socket error: ${(err as Error)?.message ?? String(err)}`.slice(0, 80)),
        },
      });
      clients.push(client);
      client.subscribe<{ walletUpdated: { transaction: { id: string } } }>(
        {
          query: WALLET_UPDATED,
          operationName: 'BenchWalletUpdated',
          variables: { walletId: subscriber.walletId, afterSequence: subscriber.afterSequence },
        },
        {
          next: (result) => onEvent(result.data?.walletUpdated?.transaction?.id),
          error: (err) => {
            const code = Array.isArray(err)
              ? ((err[0] as { extensions?: { code?: string } })?.extensions?.code ?? 'GRAPHQL_ERROR')
              : 'socket closed';
            addCount(subscriptionErrors, code);
          },
          complete: () => addCount(subscriptionErrors, 'completed by server'),
        },
      );
    });

  const worker = async () => {
    while (nextIndex < command.subscribers.length) await openOne(nextIndex++);
  };
  const ticker = setInterval(
    () => onProgress?.({ elapsedS: (performance.now() - started) / 1000, completed: nextIndex, ok: connected }),
    1000,
  );
  await Promise.all(Array.from({ length: command.concurrency }, worker));
  clearInterval(ticker);
  return {
    requested: command.subscribers.length,
    connected,
    failed,
    seconds: (performance.now() - started) / 1000,
    connectMs: connectMs.summary(),
  };
}

/** Sends transfers to subscribed wallets at a fixed rate and accounts for every event they cause. */
export async function notify(
  command: NotifyCommand,
  onProgress?: (p: { elapsedS: number; completed: number; ok: number }) => void,
): Promise<RunFigures> {
  const run = new Map<string, TransferRecord>();
  current = run;
  strayEvents = 0;
  const errorsBefore = { ...subscriptionErrors };
  let n = 0;
  const figures = await runHttp(
    {
      type: 'http',
      origin: command.origin,
      scenario: 'subscriptions',
      workload: { name: 'notify', params: null },
      connections: command.connections,
      pacing: {
        mode: 'open',
        rate: command.rate,
        durationMs: command.durationMs,
        maxRequests: Math.ceil((command.rate * command.durationMs) / 1000) + 1,
        maxBacklog: 5000,
      },
      drainMs: 10_000,
      progress: false,
    },
    () => {
      const target = command.targets[Math.floor(Math.random() * command.targets.length)]!;
      const token = command.senders[n++ % command.senders.length]!;
      // The tag is how many events this transfer must cause: one per subscriber of the recipient.
      return { token, body: sendMoneyBody(target.walletId), payloadField: 'sendMoney', tag: target.subscribers };
    },
    {
      onProgress,
      onOk(data, spec, scheduledAt, respondedAt) {
        const transfer = (data.sendMoney as { transfer?: { id?: string } } | undefined)?.transfer;
        if (!transfer?.id) return;
        let record = run.get(transfer.id);
        if (!record) {
          record = { scheduledAt, expected: 0, arrivals: [] };
          run.set(transfer.id, record);
        }
        record.scheduledAt = scheduledAt;
        record.respondedAt = respondedAt;
        record.expected = spec.tag ?? 0;
      },
    },
  );

  // Grace: wait until every expected event has arrived, or the grace time is up.
  const graceEnds = performance.now() + command.graceMs;
  const missing = () => {
    let m = 0;
    for (const r of run.values()) if (r.respondedAt !== undefined) m += Math.max(0, r.expected - r.arrivals.length);
    return m;
  };
  while (missing() > 0 && performance.now() < graceEnds) await new Promise((r) => setTimeout(r, 100));
  current = null;

  const fromResponse = new SampleRecorder();
  const fromSend = new SampleRecorder();
  let expected = 0;
  let received = 0;
  let duplicates = 0;
  let unmatched = strayEvents;
  let early = 0;
  for (const r of run.values()) {
    if (r.respondedAt === undefined) {
      unmatched += r.arrivals.length; // events for a transfer whose answer never arrived
      continue;
    }
    expected += r.expected;
    received += Math.min(r.expected, r.arrivals.length);
    duplicates += Math.max(0, r.arrivals.length - r.expected);
    for (const at of r.arrivals) {
      const delta = at - r.respondedAt;
      if (delta < 0) early += 1;
      fromResponse.record(Math.max(0, delta));
      fromSend.record(at - r.scheduledAt);
    }
  }
  const newSubscriptionErrors = Object.entries(subscriptionErrors).reduce(
    (total, [code, count]) => total + count - (errorsBefore[code] ?? 0),
    0,
  );
  const sendSummary = fromSend.summary();
  return {
    ...figures,
    latencyMs: fromResponse.summary(),
    counts: {
      expectedEvents: expected,
      receivedEvents: received,
      lostEvents: expected - received,
      duplicateEvents: duplicates,
      unexpectedEvents: unmatched,
      eventsBeforeResponse: early,
      subscriptionErrors: newSubscriptionErrors,
    },
    figures: {
      fromSendP50Ms: sendSummary.p50,
      fromSendP99Ms: sendSummary.p99,
      eventsPerSecond: received / figures.durationS,
    },
  };
}

export async function unsubscribeAll(): Promise<{ closed: number }> {
  const closed = clients.length;
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
  return { closed };
}
