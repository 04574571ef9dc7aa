// Group commit for the ledger. Transfers arriving within a short window are posted together in
// one call of the posting function: one round trip and one commit for the whole batch, one lock
// per wallet per batch (so a hot wallet costs one lock per batch, not one per transfer), while
// each transfer still succeeds or is refused on its own. Measured here, the commit, not the SQL,
// is what a transfer costs (docs/performance.md).
import type { Logger } from '../../logger.js';
import { createBatcher, type BatchSettings } from '../batching/batcher.js';
import type { ServiceMetrics } from '../telemetry.js';
import type { Ledger, TransferRequest, TransferResult } from './ledger.js';

export function createBatchingLedger(inner: Ledger, settings: BatchSettings, log: Logger, metrics?: ServiceMetrics): Ledger {
  const batcher = createBatcher<TransferRequest, TransferResult>((requests) => inner.postTransfers(requests), settings, {
    // The same (user, key) twice in one batch would be decided against itself: the second waits
    // for the next batch, where it is answered from the first one's stored result.
    distinctKey: (r) => `${r.userId}\u0000${r.key}`,
    what: 'ledger',
    log,
    metrics,
  });
  return { ...inner, postTransfers: (requests) => Promise.all(requests.map((r) => batcher.run(r))) };
}
