// Topic names in one place, so publishers (including SQL: wallet_post_transfers writes these
// names into the outbox) and subscribers cannot drift apart.
export const topics = {
  /** The user's own profile changed. Payload: ProfileChanged. */
  profile: (userId: string) => `user.${userId}.profile`,
  /** A committed change to a wallet. Payload: WalletChanged, or WalletStatusChanged. */
  wallet: (walletId: string) => `wallet.${walletId}`,
  /** Sessions were signed out or revoked; every process drops them from its cache. Payload: SessionsRevoked. */
  sessionsRevoked: 'sessions.revoked',
  /** Users' roles changed; every process drops what it cached about their sessions. Payload: UsersChanged. */
  usersChanged: 'users.changed',
  /** API keys were revoked; every process drops them from its cache. Payload: { keyIds }. */
  apiKeysRevoked: 'api-keys.revoked',
  /**
   * Which user wallets changed (balance, hold, status) or were opened, for every process's wallet
   * cache (services/wallets/walletCache.ts). Payload: WalletsChanged. Written to the outbox by
   * changes that have no event of their own (holds, opened wallets); while other processes are
   * alive the publisher adds one such message for each published batch that changed wallets
   * (events/walletChanges.ts). Processes also announce themselves here (ProcessHello).
   */
  walletsChanged: 'wallets.changed',
  /** A transaction of the user's was created or changed status. Payload: TransactionChanged. */
  transactions: (userId: string) => `user.${userId}.transactions`,
  /** One of the user's deposits or withdrawals changed status. Payload: FundingChanged. */
  funding: (userId: string) => `user.${userId}.funding`,
  /** A payment request was paid, cancelled or expired. Payload: PaymentRequestChanged. */
  paymentRequest: (requestId: string) => `payment-request.${requestId}`,
  /** A merchant received a payment. Payload: MerchantPaymentReceived (from a `merchant.paid` outbox row, ledgerEvents.ts). */
  merchantPayments: (merchantId: string) => `merchant.${merchantId}.payments`,
  /** One of the user's KYC cases changed status. Payload: KycChanged. */
  kyc: (userId: string) => `user.${userId}.kyc`,
  /** A notification for the user was written. Payload: NotificationAdded. */
  notifications: (userId: string) => `user.${userId}.notifications`,
};

export interface NotificationAdded {
  notificationId: string;
}

export interface PaymentRequestChanged {
  requestId: string;
  status: string;
  paidCount: number;
}

/**
 * A payment as the merchant's members see it, in JSON (amounts in minor units as strings, times as
 * ISO strings): carried by the event, so subscribers need no read of their own.
 */
export interface PublishedPayment {
  id: string;
  merchantId: string;
  merchantName: string;
  requestId: string;
  requestCode: string;
  reference: string | null;
  payerId: string;
  payerName: string;
  transactionId: string;
  currency: string;
  amount: string;
  fee: string;
  refunded: string;
  createdAt: string;
}

export interface MerchantPaymentReceived {
  payment: PublishedPayment;
}

export interface KycChanged {
  caseId: string;
  status: string;
}

export interface FundingChanged {
  fundingId: string;
  status: string;
}

export interface ProfileChanged {
  userId: string;
}

export interface WalletChanged {
  walletId: string;
  sequence: number | string;
  transactionId: string;
  postedBalance: string;
  heldAmount: string;
  currency: string;
}

/** A user wallet's status changed (frozen, unfrozen, closed): sent on the wallet's topic beside WalletChanged. */
export interface WalletStatusChanged {
  walletId: string;
  status: 'ACTIVE' | 'FROZEN' | 'CLOSED';
}

export interface WalletsChanged {
  walletIds: string[];
  /** Users whose list of wallets changed (a wallet opened). */
  userIds: string[];
}

/** A server process announcing itself on topics.walletsChanged: caches elsewhere then wait for its writes (walletCache.ts). */
export interface ProcessHello {
  hello: string;
}

export interface TransactionChanged {
  transactionId: string;
  walletId: string;
  status: string;
}

export interface SessionsRevoked {
  sessionIds: string[];
}

export interface UsersChanged {
  userIds: string[];
}

export interface ApiKeysRevoked {
  keyIds: string[];
}
