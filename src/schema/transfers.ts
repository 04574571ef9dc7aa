// Inputs and payloads of the wallet and money-moving mutations, and the history filter.
import type { TransactionView } from '../services/history/history.js';
import type { UserError } from '../services/errors.js';
import type { WalletRecord } from '../services/wallets/wallets.js';
import { builder } from './builder.js';
import { MoneyInput } from './money.js';
import { replayedField, resultPayload, userErrorsField } from './userErrors.js';
import { DirectionEnum, TransactionRef, TransactionStatusEnum, TransactionTypeEnum, WalletRef, WalletStatusEnum } from './wallet.js';

const userErrors = userErrorsField;

export const OpenWalletInput = builder.inputType('OpenWalletInput', {
  fields: (t) => ({ currency: t.field({ type: 'CurrencyCode', required: true }) }),
});

export const OpenWalletPayload = resultPayload('OpenWalletPayload', 'wallet', WalletRef);

export const RecipientInput = builder.inputType('RecipientInput', {
  description: 'Exactly one of email, phone (E.164) or walletId.',
  fields: (t) => ({
    email: t.string({ required: false }),
    phone: t.string({ required: false }),
    walletId: t.globalID({ required: false, for: WalletRef }),
  }),
});

export const SendMoneyInput = builder.inputType('SendMoneyInput', {
  fields: (t) => ({
    recipient: t.field({ type: RecipientInput, required: true }),
    amount: t.field({ type: MoneyInput, required: true }),
    note: t.string({ required: false, description: 'Up to 280 characters, shown to both sides.' }),
    idempotencyKey: t.string({
      required: true,
      description:
        'A new unique key (e.g. a UUID) per transfer. Retrying with the same key returns the first answer and never moves money twice.',
    }),
  }),
});

export const PreviewTransferInput = builder.inputType('PreviewTransferInput', {
  description: 'The same as SendMoneyInput, without the idempotency key.',
  fields: (t) => ({
    recipient: t.field({ type: RecipientInput, required: true }),
    amount: t.field({ type: MoneyInput, required: true }),
    note: t.string({ required: false }),
  }),
});

interface TransferPayloadShape {
  transfer?: TransactionView | null;
  wallet?: WalletRecord | null;
  replayed?: boolean;
  userErrors: UserError[];
}

export const SendMoneyPayload = builder.objectRef<TransferPayloadShape>('SendMoneyPayload').implement({
  fields: (t) => ({
    transfer: t.field({ type: TransactionRef, nullable: true, resolve: (p) => p.transfer ?? null }),
    senderWallet: t.field({
      type: WalletRef,
      nullable: true,
      description: 'Your wallet right after this transfer (a retry with the same key replays it as it was then).',
      resolve: (p) => p.wallet ?? null,
    }),
    replayed: t.boolean({ ...replayedField, resolve: (p) => p.replayed ?? false }),
    userErrors: t.field({ ...userErrors, resolve: (p) => p.userErrors }),
  }),
});

export const AdjustmentDirectionEnum = builder.enumType('AdjustmentDirection', {
  values: { CREDIT: { description: 'Add money to the wallet.' }, DEBIT: { description: 'Take money from the wallet.' } } as const,
});

export const AdminAdjustBalanceInput = builder.inputType('AdminAdjustBalanceInput', {
  fields: (t) => ({
    walletId: t.globalID({ required: true, for: WalletRef }),
    amount: t.field({ type: MoneyInput, required: true }),
    direction: t.field({ type: AdjustmentDirectionEnum, required: true }),
    reason: t.string({ required: true, description: 'Why (3–500 characters); recorded with the admin who did it.' }),
    idempotencyKey: t.string({ required: true }),
  }),
});

export const AdminAdjustBalancePayload = builder.objectRef<TransferPayloadShape>('AdminAdjustBalancePayload').implement({
  fields: (t) => ({
    transaction: t.field({ type: TransactionRef, nullable: true, resolve: (p) => p.transfer ?? null }),
    wallet: t.field({ type: WalletRef, nullable: true, resolve: (p) => p.wallet ?? null }),
    replayed: t.boolean({ ...replayedField, resolve: (p) => p.replayed ?? false }),
    userErrors: t.field({ ...userErrors, resolve: (p) => p.userErrors }),
  }),
});

export const AdminSetWalletStatusInput = builder.inputType('AdminSetWalletStatusInput', {
  fields: (t) => ({
    walletId: t.globalID({ required: true, for: WalletRef }),
    status: t.field({ type: WalletStatusEnum, required: true }),
  }),
});

export const AdminSetWalletStatusPayload = resultPayload('AdminSetWalletStatusPayload', 'wallet', WalletRef);

export const TransactionFilterInput = builder.inputType('TransactionFilter', {
  fields: (t) => ({
    types: t.field({ type: [TransactionTypeEnum], required: false }),
    statuses: t.field({ type: [TransactionStatusEnum], required: false }),
    direction: t.field({ type: DirectionEnum, required: false }),
    from: t.field({ type: 'DateTime', required: false, description: 'At or after this moment.' }),
    to: t.field({ type: 'DateTime', required: false, description: 'Before this moment.' }),
    minAmount: t.field({ type: 'Decimal', required: false, description: "In the wallet's currency." }),
    maxAmount: t.field({ type: 'Decimal', required: false }),
    counterparty: t.string({ required: false, description: "Part of the other side's display name." }),
  }),
});
