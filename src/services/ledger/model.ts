// The ledger's vocabulary that other services speak too (the risk rules name the parties of a
// transfer before it is posted). Kept apart from the posting code so that those services depend
// on the words, not on the ledger, and no import loop forms.

/** Who holds the money on one side of a transfer. */
export type Party =
  | { walletId: string }
  | { userId: string }
  | { email: string }
  /** A user by phone: the number's keyed hash (accounts/phones.ts), and the number itself only while some are not sealed. */
  | { phoneHash: string; phone?: string }
  | { merchantId: string }
  | { system: SystemWallet };

export type SystemWallet = 'SETTLEMENT_CARD' | 'SETTLEMENT_BANK' | 'FEES' | 'PROMOTIONS' | 'SUSPENSE' | 'ADJUSTMENTS' | 'RECOVERY';

export type TransactionType = 'P2P_TRANSFER' | 'ADJUSTMENT' | 'DEPOSIT' | 'WITHDRAWAL' | 'PAYMENT' | 'REFUND' | 'FEE' | 'REVERSAL';
