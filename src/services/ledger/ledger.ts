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
   * Why a transfer between these parties in `currency` would be refused before any money is
   * looked at (no such recipient, no wallet in the currency, the same wallet), by the posting
   * function's own check; null when it could be made. For previews: it reserves nothing.
   */
  checkParties(from: Party, to: Party, currency: string): Promise<LedgerRefusal | null>;
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
    async checkParties(from, to, currency) {
      const [row] = await prisma.$queryRaw<{ refusal: SqlRefusal | null }[]>`
        SELECT wallet_refusal_of_parties(s.problem, d.problem, s.wallet_id = d.wallet_id, ${currency}) AS refusal
        FROM wallet_resolve_party(${JSON.stringify(from)}::jsonb, ${currency}) s,
             wallet_resolve_party(${JSON.stringify(to)}::jsonb, ${currency}) d`;
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
