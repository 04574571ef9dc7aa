// Group commit for the ledger. Transfers arriving within a short window are posted together in
// one call of the posting function: one round trip and one commit for the whole batch, one lock
// per wallet per batch (so a hot wallet costs one lock per batch, not one per transfer), while
// each transfer still succeeds or is refused on its own. Measured here, the commit, not the SQL,
// is what a transfer costs (docs/performance.md).
import type { Logger } from '../../logger.js';
import type { Ledger, TransferRequest, TransferResult } from './postTransfers.js';

export interface BatchSettings {
  /** How long the first transfer of a batch waits for company (ms). */
  windowMs: number;
  /** Most transfers in one batch. */
  maxBatch: number;
  /** Batches posted concurrently; while they run, new transfers gather into the next. */
  maxInFlight: number;
}

interface Pending {
  request: TransferRequest;
  resolve: (result: TransferResult) => void;
  reject: (err: unknown) => void;
}

export function createBatchingLedger(inner: Ledger, settings: BatchSettings, log: Logger): Ledger {
  const queue: Pending[] = [];
  let inFlight = 0;
  let timer: NodeJS.Timeout | null = null;

  function takeBatch(): Pending[] {
    // The same (user, key) twice in one batch would be decided against itself: the second waits
    // for the next batch, where it is answered from the first one's stored result.
    const seen = new Set<string>();
    const batch: Pending[] = [];
    for (let i = 0; i < queue.length && batch.length < settings.maxBatch; ) {
      const id = `${queue[i]!.request.userId}\u0000${queue[i]!.request.key}`;
      if (seen.has(id)) {
        i++;
        continue;
      }
      seen.add(id);
      batch.push(queue.splice(i, 1)[0]!);
    }
    return batch;
  }

  async function post(batch: Pending[]) {
    try {
      const results = await inner.postTransfers(batch.map((p) => p.request));
      batch.forEach((p, i) => p.resolve(results[i]!));
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      // A whole batch failed (not one transfer's refusal, which is a result): post each alone,
      // so a bad request or a bug fails only itself and its neighbours still get their answer.
      log.warn({ err: (err as Error).message, size: batch.length }, 'ledger batch failed; posting its transfers one by one');
      await Promise.all(batch.map((p) => post([p])));
    }
  }

  function flush() {
    timer = null;
    while (queue.length && inFlight < settings.maxInFlight) {
      const batch = takeBatch();
      inFlight++;
      void post(batch).finally(() => {
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
    postTransfers(requests) {
      return Promise.all(
        requests.map(
          (request) =>
            new Promise<TransferResult>((resolve, reject) => {
              queue.push({ request, resolve, reject });
              schedule();
            }),
        ),
      );
    },
  };
}
