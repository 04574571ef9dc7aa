// A user's wallet as the API reads it (wallets.ts reads it, walletCache.ts keeps it).
export type WalletStatus = 'ACTIVE' | 'FROZEN' | 'CLOSED';

export interface WalletRecord {
  id: string;
  userId: string | null;
  currency: string;
  status: WalletStatus;
  /** Minor units. */
  postedBalance: bigint;
  heldAmount: bigint;
  sequence: bigint;
  createdAt: Date;
}
