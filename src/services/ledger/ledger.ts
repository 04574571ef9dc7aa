// The ledger: the one writer of money state. Two ways in, both owning what every caller would
// otherwise repeat (retrying serialization failures and deadlocks, publishing after commit):
// postTransfers for transfers alone (sendMoney, adjustments; group-committed by
// batchingLedger.ts), and transaction for money that moves with other writes (funding, merchant
// payments and refunds, risk reviews), which runs the caller's work with the ledger inside one
// database transaction (ledgerTransaction.ts).
import type { PrismaClient } from '../../db/database.js';
import { isRetryableTransactionError } from '../../db/sqlErrors.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { Logger } from '../../logger.js';
import type { OutboxPublisher } from '../events/outbox.js';
import { ledgerWithin, type LedgerTransaction } from './ledgerTransaction.js';
import type { Party } from './model.js';
import { callPostingFunction, type TransferRequest, type TransferResult } from './postingFunction.js';
import { refusalFromSql, type LedgerRefusal, type SqlRefusal } from './refusals.js';

export type { Hold, HoldReason, LedgerTransaction } from './ledgerTransaction.js';
export type { PostedSide, PostedTransfer, TransferRequest, TransferResult } from './postingFunction.js';
export { refusalError, refuseWith, type LedgerCaller, type LedgerRefusal } from './refusals.js';
export type { Party, SystemWallet, TransactionType } from './model.js';

export interface Ledger {
  /** Posts each transfer or refuses it on its own, in one database transaction; results are in request order. */
  postTransfers(requests: TransferRequest[]): Promise<TransferResult[]>;
  /**
   * Runs `work` in one database transaction with the ledger inside it, and publishes the events
   * written in it after commit. On a serialization failure or deadlock nothing was committed and
   * `work` runs again, so it must do nothing outside `tx` but compute. Anything it throws (a
   * Refusal, for instance) rolls everything back.
   */
  transaction<T>(
    work: (ledger: LedgerTransaction, tx: Prisma.TransactionClient) => Promise<T>,
    options?: { timeoutMs?: number },
  ): Promise<T>;
  /**
   * Why a limited transfer (a send, a payment) between these parties would be refused right now
   * (the parties, frozen wallets, funds, KYC limits, the recipient's balance cap), by the posting
   * function's own checks in its order, on the wallets as read; null when it would be made. For
   * previews: it locks, reserves and counts nothing.
   */
  previewRefusal(from: Party, to: Party, currency: string, amount: bigint): Promise<LedgerRefusal | null>;
}

const MAX_ATTEMPTS = 5;

export function createLedger(deps: {
  prisma: PrismaClient;
  outbox: Pick<OutboxPublisher, 'publishCommitted' | 'takePublished' | 'untake'>;
  log: Logger;
  /** How long idempotency answers are kept (IDEMPOTENCY_TTL_HOURS). */
  idempotencyTtlHours: number;
}): Ledger {
  const { prisma, outbox, log } = deps;
  const settings = { idempotencyTtlHours: deps.idempotencyTtlHours };

  async function withRetries<T>(attempt: () => Promise<T>): Promise<T> {
    for (let n = 1; ; n++) {
      try {
        return await attempt();
      } catch (err) {
        if (n >= MAX_ATTEMPTS || !isRetryableTransactionError(err)) throw err;
        // Nothing was committed: back off with jitter and try again.
        const delay = Math.min(200, 5 * 2 ** n) * (0.5 + Math.random());
        log.debug({ attempt: n, delay }, 'ledger transaction retried after serialization failure or deadlock');
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  return {
    async previewRefusal(from, to, currency, amount) {
      const [row] = await prisma.$queryRaw<{ refusal: SqlRefusal | null }[]>`
        SELECT wallet_preview_refusal(${JSON.stringify(from)}::jsonb, ${JSON.stringify(to)}::jsonb, ${currency}, ${amount}::bigint) AS refusal`;
      return row!.refusal && refusalFromSql(row!.refusal);
    },

    async postTransfers(requests) {
      // One statement is its own transaction: no interactive transaction, one round trip. It also
      // deletes the outbox rows published since the last call (one commit fewer per call).
      const published = outbox.takePublished();
      let posted: Awaited<ReturnType<typeof callPostingFunction>>;
      try {
        posted = await withRetries(() => callPostingFunction(prisma, requests, settings.idempotencyTtlHours, published));
      } catch (err) {
        outbox.untake(published);
        throw err;
      }
      if (posted.events.length) await outbox.publishCommitted(posted.events);
      return posted.results;
    },

    async transaction(work, options = {}) {
      const { value, events } = await withRetries(() =>
        prisma.$transaction(
          async (tx) => {
            const within = ledgerWithin(tx, settings);
            return { value: await work(within.ledger, tx), events: within.events };
          },
          // Prisma's defaults unless the work is known to take longer (processor webhooks).
          options.timeoutMs ? { maxWait: 5_000, timeout: options.timeoutMs } : undefined,
        ),
      );
      if (events.length) await outbox.publishCommitted(events);
      return value;
    },
  };
}
