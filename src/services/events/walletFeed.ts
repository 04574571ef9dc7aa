// A wallet's committed changes as one ordered stream without gaps or repeats, for the
// walletUpdated subscription. Pub/sub delivers at least once and may reorder (two processes
// publish after their own commits), so the feed keys everything on the wallet's entry sequence:
// it listens first, then catches up from the ledger, drops what it has already sent, and fills
// any gap from the ledger before passing a later event on. After an outage of the pub/sub it
// catches up from the ledger again (nothing later may come to reveal the gap). A wallet that is
// frozen or closed ends its feeds with FORBIDDEN (reason WALLET_FROZEN / WALLET_CLOSED).
import type { HistoryService, WalletEntry } from '../history/history.js';
import { isResync, type PubSub, type Resync } from './pubsub.js';
import { AppError } from '../errors.js';
import { topics, type WalletChanged, type WalletStatusChanged } from './topics.js';

export interface WalletFeedEvent {
  walletId: string;
  sequence: bigint;
  transactionId: string;
  balanceAfter: bigint;
  currency: string;
}

/** A subscriber may ask to replay at most this many missed changes; older history is paged via `transactions`. */
export const MAX_REPLAY = 10_000;
const PAGE = 500;

export class ReplayTooLongError extends Error {}

/** Why a feed ends, or cannot start, on a wallet that is frozen or closed (what authorised watching it is gone). */
export const walletNotActive = (status: string) =>
  new AppError('FORBIDDEN', `This wallet is ${status.toLowerCase()}: its live updates have ended. Query the wallet for its state.`, {
    reason: status === 'FROZEN' ? 'WALLET_FROZEN' : 'WALLET_CLOSED',
  });

export async function openWalletFeed(
  deps: { pubsub: PubSub; history: HistoryService },
  wallet: { id: string; currency: string; sequence: bigint },
  afterSequence: bigint | null,
): Promise<AsyncIterableIterator<WalletFeedEvent>> {
  // RESYNC: the pub/sub was away, and what was published meanwhile may have missed us.
  const live = await deps.pubsub.subscribe<WalletChanged | WalletStatusChanged | Resync>(topics.wallet(wallet.id), { resync: true });
  const toEvent = (e: WalletEntry): WalletFeedEvent => ({
    walletId: e.walletId,
    sequence: e.sequence,
    transactionId: e.transactionId,
    balanceAfter: e.balanceAfter,
    currency: wallet.currency,
  });

  async function* stream(): AsyncGenerator<WalletFeedEvent> {
    // `wallet.sequence` was read before listening began; anything committed since is caught up below.
    let last = afterSequence ?? wallet.sequence;
    if (afterSequence !== null && wallet.sequence - afterSequence > BigInt(MAX_REPLAY)) {
      throw new ReplayTooLongError(
        `More than ${MAX_REPLAY} changes since sequence ${afterSequence}: load them with the transactions query, then subscribe from the latest.`,
      );
    }
    async function* catchUp(upTo: bigint | null) {
      for (;;) {
        const wanted = upTo === null ? PAGE : Math.min(PAGE, Number(upTo - last));
        if (wanted <= 0) return;
        const entries = await deps.history.entriesAfter(wallet.id, last, wanted);
        for (const e of entries) {
          last = e.sequence;
          yield toEvent(e);
        }
        if (entries.length < wanted) return;
      }
    }
    yield* catchUp(null);
    for await (const message of live) {
      if (isResync(message)) {
        yield* catchUp(null);
        continue;
      }
      if ('status' in message) {
        if (message.status !== 'ACTIVE') throw walletNotActive(message.status);
        continue;
      }
      const sequence = BigInt(message.sequence);
      if (sequence <= last) continue;
      if (sequence > last + 1n) yield* catchUp(sequence - 1n);
      if (sequence <= last) continue;
      last = sequence;
      yield {
        walletId: wallet.id,
        sequence,
        transactionId: message.transactionId,
        balanceAfter: BigInt(message.postedBalance),
        currency: wallet.currency,
      };
    }
  }

  const generator = stream();
  // Closing the feed closes the pub/sub subscription even if the generator never started.
  const close = async () => {
    await live.return?.();
  };
  const feed: AsyncIterableIterator<WalletFeedEvent> = {
    next: () =>
      generator.next().catch(async (err) => {
        await close();
        throw err;
      }),
    async return(value?: unknown) {
      await close();
      await generator.return(value as never);
      return { value: undefined, done: true };
    },
    async throw(err?: unknown) {
      await close();
      return generator.throw(err) as Promise<IteratorResult<WalletFeedEvent>>;
    },
    [Symbol.asyncIterator]() {
      return feed;
    },
  };
  return feed;
}
