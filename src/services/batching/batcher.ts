// Group work arriving close together into one call: the first item of a batch waits `windowMs`
// for company (or until `maxBatch` are waiting), then the batch runs while new items gather into
// the next, with at most `maxInFlight` batches running. On this kind of box a round trip (a socket
// write on loopback, a commit) costs more than the work in it, so the ledger's postings and the
// risk rules' reads each cost one round trip per batch instead of one per request
// (docs/performance.md). Every item still gets its own answer.
//
// Each batch is measured (size, duration) and, when its items are traced, is one span of its
// own: a child of the first item's span, linked to every item's span (a batch serves many traces).
import { trace, type Context } from '@opentelemetry/api';
import type { Logger } from '../../logger.js';
import { inSpan, tracedContext, type ServiceMetrics } from '../telemetry.js';

export interface BatchSettings {
  /** How long the first item of a batch waits for company (ms). */
  windowMs: number;
  /** Most items in one batch. */
  maxBatch: number;
  /** Batches running concurrently; while they run, new items gather into the next. */
  maxInFlight: number;
}

interface Pending<I, O> {
  item: I;
  resolve: (result: O) => void;
  reject: (err: unknown) => void;
  /** The caller's context when it is being traced. */
  traced: Context | undefined;
}

export interface Batcher<I, O> {
  run(item: I): Promise<O>;
}

export function createBatcher<I, O>(
  work: (items: I[]) => Promise<O[]>,
  settings: BatchSettings,
  options: {
    /** Items with the same key never share a batch: the later one waits for the next. */
    distinctKey?: (item: I) => string;
    /** What is batched, for the log, the metrics and the span's name. */
    what: string;
    log: Logger;
    metrics?: ServiceMetrics;
  },
): Batcher<I, O> {
  const queue: Pending<I, O>[] = [];
  let inFlight = 0;
  let timer: NodeJS.Timeout | null = null;

  function takeBatch(): Pending<I, O>[] {
    const seen = new Set<string>();
    const batch: Pending<I, O>[] = [];
    for (let i = 0; i < queue.length && batch.length < settings.maxBatch; ) {
      const key = options.distinctKey?.(queue[i]!.item);
      if (key !== undefined && seen.has(key)) {
        i++;
        continue;
      }
      if (key !== undefined) seen.add(key);
      batch.push(queue.splice(i, 1)[0]!);
    }
    return batch;
  }

  /** The batch's work, measured, and in a span when any of its items is traced. */
  async function measured(batch: Pending<I, O>[]): Promise<O[]> {
    const started = performance.now();
    try {
      const items = batch.map((p) => p.item);
      const traced = batch.filter((p) => p.traced !== undefined);
      if (!traced.length) return await work(items);
      return await inSpan(
        `${options.what} batch`,
        {
          parent: traced[0]!.traced,
          links: traced.map((p) => ({ context: trace.getSpanContext(p.traced!)! })),
          attributes: { 'wallet.batch.what': options.what, 'wallet.batch.size': batch.length },
        },
        () => work(items),
      );
    } finally {
      options.metrics?.batch(options.what, batch.length, (performance.now() - started) / 1000);
    }
  }

  async function runBatch(batch: Pending<I, O>[]) {
    try {
      const results = await measured(batch);
      batch.forEach((p, i) => p.resolve(results[i]!));
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      // A whole batch failed (not one item's refusal, which is a result): run each alone, so a
      // bad item or a bug fails only itself and its neighbours still get their answer.
      options.log.warn({ err: (err as Error).message, size: batch.length }, `${options.what} batch failed; running its items one by one`);
      await Promise.all(batch.map((p) => runBatch([p])));
    }
  }

  function flush() {
    timer = null;
    while (queue.length && inFlight < settings.maxInFlight) {
      const batch = takeBatch();
      inFlight++;
      void runBatch(batch).finally(() => {
        inFlight--;
        schedule();
      });
    }
  }

  function schedule() {
    if (!queue.length || timer || inFlight >= settings.maxInFlight) return;
    if (queue.length >= settings.maxBatch || settings.windowMs === 0) flush();
    else timer = setTimeout(flush, settings.windowMs);
  }

  return {
    run(item) {
      return new Promise<O>((resolve, reject) => {
        queue.push({ item, resolve, reject, traced: tracedContext() });
        schedule();
      });
    },
  };
}
