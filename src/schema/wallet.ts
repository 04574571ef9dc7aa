// Wallets, their balances, and transactions as their owner sees them. Loading them, Transaction.wallet
// and what a WalletEvent links to (wallet, transaction): src/resolvers/wallets.ts.
import type { TransactionView } from '../services/history/history.js';
import type { WalletRecord } from '../services/wallets/wallets.js';
import { builder } from './builder.js';
import { MoneyRef } from './money.js';

export const WalletStatusEnum = builder.enumType('WalletStatus', {
  values: { ACTIVE: {}, FROZEN: { description: 'Cannot send or receive.' }, CLOSED: {} } as const,
});
export const TransactionTypeEnum = builder.enumType('TransactionType', {
  values: ['P2P_TRANSFER', 'ADJUSTMENT', 'DEPOSIT', 'WITHDRAWAL', 'PAYMENT', 'REFUND', 'FEE', 'REVERSAL'] as const,
});
export const TransactionStatusEnum = builder.enumType('TransactionStatus', {
  values: {
    PENDING: {},
    POSTED: { description: 'The money moved.' },
    FAILED: {},
    VOIDED: {},
    REVERSED: { description: 'Taken back later by a linked REVERSAL transaction.' },
    IN_REVIEW: {
      description: 'Held for a risk review: the amount is on hold on your wallet and has not moved yet. Only the sender sees it.',
    },
    DECLINED: { description: 'A review declined it: the hold was released and nothing moved.' },
  } as const,
});
export const DirectionEnum = builder.enumType('Direction', {
  description: 'Money into (IN) or out of (OUT) the wallet the transaction is seen from.',
  values: ['IN', 'OUT'] as const,
});

export const WalletRef = builder.objectRef<WalletRecord>('Wallet');
export const TransactionRef = builder.objectRef<TransactionView>('Transaction');

const BalanceRef = builder.objectRef<WalletRecord>('WalletBalance').implement({
  description: 'available = posted - held. Only available money can be sent.',
  fields: (t) => ({
    posted: t.field({ type: MoneyRef, resolve: (w) => ({ amount: w.postedBalance, currency: w.currency }) }),
    held: t.field({ type: MoneyRef, resolve: (w) => ({ amount: w.heldAmount, currency: w.currency }) }),
    available: t.field({ type: MoneyRef, resolve: (w) => ({ amount: w.postedBalance - w.heldAmount, currency: w.currency }) }),
  }),
});

const isOwnerOrAdmin = (ownerId: string | null, ctx: { viewer: { userId: string; roles: string[] } | null }) =>
  Boolean(ctx.viewer && (ctx.viewer.userId === ownerId || ctx.viewer.roles.includes('ADMIN')));

builder.node(WalletRef, {
  description: 'Money in one currency. A user has at most one wallet per currency.',
  id: { resolve: (w) => w.id },
  authScopes: (w, ctx) => isOwnerOrAdmin(w.userId, ctx),
  fields: (t) => ({
    currency: t.field({ type: 'CurrencyCode', resolve: (w) => w.currency }),
    status: t.field({ type: WalletStatusEnum, resolve: (w) => w.status }),
    balance: t.field({ type: BalanceRef, resolve: (w) => w }),
    sequence: t.field({
      type: 'BigInt',
      description: 'Sequence number of the latest ledger entry (0 before the first). walletUpdated events carry it.',
      resolve: (w) => w.sequence,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const CounterpartyRef = builder.objectRef<TransactionView['counterparty']>('Counterparty').implement({
  description: 'The other side of a transaction. Email and phone appear only to a sender who used them.',
  fields: (t) => ({
    displayName: t.exposeString('displayName'),
    isUser: t.boolean({
      description: 'False for a merchant and for the platform itself (top-ups, adjustments, fees).',
      resolve: (c) => c.kind === 'USER',
    }),
    isMerchant: t.boolean({
      description: 'A business paid through a payment request (or refunding one).',
      resolve: (c) => c.kind === 'MERCHANT',
    }),
    email: t.exposeString('email', { nullable: true }),
    phone: t.exposeString('phone', { nullable: true }),
  }),
});

builder.node(TransactionRef, {
  description: 'A movement of money, seen from one of your wallets.',
  id: { resolve: (tx) => tx.id },
  fields: (t) => ({
    type: t.field({ type: TransactionTypeEnum, resolve: (tx) => tx.type }),
    status: t.field({ type: TransactionStatusEnum, resolve: (tx) => tx.status }),
    amount: t.field({
      type: MoneyRef,
      description: 'Always positive; see direction.',
      resolve: (tx) => ({ amount: tx.amount, currency: tx.currency }),
    }),
    direction: t.field({ type: DirectionEnum, resolve: (tx) => tx.direction }),
    counterparty: t.field({ type: CounterpartyRef, resolve: (tx) => tx.counterparty }),
    note: t.exposeString('note', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    balanceAfter: t.field({
      type: MoneyRef,
      nullable: true,
      description: "The wallet's posted balance right after this transaction (null while pending).",
      resolve: (tx) => (tx.balanceAfter === null ? null : { amount: tx.balanceAfter, currency: tx.currency }),
    }),
    sequence: t.field({ type: 'BigInt', nullable: true, resolve: (tx) => tx.sequence }),
  }),
});

export interface WalletEventShape {
  walletId: string;
  sequence: bigint;
  transactionId: string;
  balanceAfter: bigint;
  currency: string;
}

export const WalletEventRef = builder.objectRef<WalletEventShape>('WalletEvent').implement({
  description: 'One committed change to a wallet, in sequence order, without gaps or repeats.',
  fields: (t) => ({
    sequence: t.field({ type: 'BigInt', resolve: (e) => e.sequence }),
    balanceAfter: t.field({
      type: MoneyRef,
      description: 'Posted balance right after this change.',
      resolve: (e) => ({ amount: e.balanceAfter, currency: e.currency }),
    }),
  }),
});
