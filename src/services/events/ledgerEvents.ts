// The ledger's outbox event and the subscriber messages it becomes. The posting function writes
// one `ledger.posted` row per transfer naming its user sides (one row, not one per topic, keeps
// the write path cheap); the publisher fans it out here to the topics clients subscribe to.
import { topics, type TransactionChanged, type WalletChanged } from './topics.js';

/** Outbox kind written by wallet_post_transfers (prisma/migrations/…_outbox_one_event_per_transfer). */
export const LEDGER_POSTED = 'ledger.posted';

export interface LedgerPosted {
  transactionId: string;
  status: string;
  currency: string;
  /** The user wallets the transfer changed, as they were right after it. */
  sides: { walletId: string; userId: string; sequence: number | string; postedBalance: string; heldAmount: string }[];
}

export interface Message {
  topic: string;
  payload: unknown;
}

/** The messages one outbox row stands for; rows of any other kind are published as they are. */
export function messagesOf(kind: string, payload: unknown): Message[] {
  if (kind !== LEDGER_POSTED) return [{ topic: kind, payload }];
  const event = payload as LedgerPosted;
  return event.sides.flatMap((side) => [
    {
      topic: topics.wallet(side.walletId),
      payload: {
        walletId: side.walletId,
        sequence: side.sequence,
        transactionId: event.transactionId,
        postedBalance: side.postedBalance,
        heldAmount: side.heldAmount,
        currency: event.currency,
      } satisfies WalletChanged,
    },
    {
      topic: topics.transactions(side.userId),
      payload: { transactionId: event.transactionId, walletId: side.walletId, status: event.status } satisfies TransactionChanged,
    },
  ]);
}
