// Which user wallets a batch of committed events changed, read from the events themselves: the
// posting function's `ledger.posted` (balances), a wallet's status, a transaction held for review
// or declined (holds), and `wallets.changed` rows written by changes with no event of their own
// (holds placed or ended, wallets opened). Wallet caches drop what these name
// (services/wallets/walletCache.ts); a change to a user wallet that none of them names would
// leave a cache stale, so every such write emits one of them (the ledger module's and
// changeWalletStatus are the only writers).
import { LEDGER_POSTED, type LedgerPosted } from './ledgerEvents.js';
import { topics, type WalletsChanged } from './topics.js';

const WALLET_TOPIC = topics.wallet('');
const [TRANSACTIONS_HEAD, TRANSACTIONS_TAIL] = topics.transactions('\0').split('\0') as [string, string];

export function walletChangesOf(events: readonly { topic: string; payload: unknown }[]): WalletsChanged | null {
  const walletIds = new Set<string>();
  const userIds = new Set<string>();
  for (const { topic, payload } of events) {
    if (topic === LEDGER_POSTED) {
      const batch = payload as { transfers?: LedgerPosted[] };
      for (const transfer of batch.transfers ?? [payload as LedgerPosted]) for (const side of transfer.sides) walletIds.add(side.walletId);
    } else if (topic === topics.walletsChanged) {
      const changed = payload as WalletsChanged;
      for (const id of changed.walletIds) walletIds.add(id);
      for (const id of changed.userIds) userIds.add(id);
    } else if (topic.startsWith(WALLET_TOPIC) || (topic.startsWith(TRANSACTIONS_HEAD) && topic.endsWith(TRANSACTIONS_TAIL))) {
      // WalletChanged / WalletStatusChanged / TransactionChanged all name their wallet.
      const { walletId } = payload as { walletId?: string };
      if (walletId) walletIds.add(walletId);
    }
  }
  return walletIds.size || userIds.size ? { walletIds: [...walletIds], userIds: [...userIds] } : null;
}
