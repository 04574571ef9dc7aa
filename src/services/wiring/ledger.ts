// Ledger wiring: the posting ledger (group commit when LEDGER_BATCH_MAX > 1), wallets and history.
import type { Config } from '../../config.js';
import { createHistoryService } from '../history/history.js';
import { createBatchingLedger } from '../ledger/batchingLedger.js';
import { createLedger, type Ledger } from '../ledger/ledger.js';
import type { Currencies } from '../money/currencies.js';
import { createWalletCache } from '../wallets/walletCache.js';
import { createWalletService } from '../wallets/wallets.js';
import type { SealedValues } from '../vault/sealedValues.js';
import type { SharedWithOutbox } from './shared.js';

export const ledgerSettings = (config: Config) => ({
  idempotencyTtlHours: config.IDEMPOTENCY_TTL_HOURS,
  walletCacheSeconds: config.WALLET_CACHE_SECONDS,
  batch: { windowMs: config.LEDGER_BATCH_WINDOW_MS, maxBatch: config.LEDGER_BATCH_MAX, maxInFlight: config.LEDGER_BATCH_IN_FLIGHT },
});

export function wireLedger(
  { prisma, sql, outbox, pubsub, audit, log, metrics }: SharedWithOutbox,
  settings: ReturnType<typeof ledgerSettings>,
  needs: { currencies: Currencies; sealed: SealedValues },
) {
  const directLedger = createLedger({ prisma, outbox, log, idempotencyTtlHours: settings.idempotencyTtlHours });
  const ledger: Ledger = settings.batch.maxBatch > 1 ? createBatchingLedger(directLedger, settings.batch, log, metrics) : directLedger;
  const cache = createWalletCache({ pubsub, cacheSeconds: settings.walletCacheSeconds, log });
  outbox.observe(cache);
  const wallets = createWalletService({ prisma, audit, sql, currencies: needs.currencies, outbox, cache });
  const history = createHistoryService({ sql, sealed: needs.sealed });
  return { ledger, wallets, history };
}
