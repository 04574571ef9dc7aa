// Deposits and withdrawals as their owner sees them. Loading one, and the fields that link to other
// objects (paymentMethod, transaction, reversalTransaction, refundOf): src/resolvers/funding.ts.
import type { FundingRecord } from '../services/funding/funding.js';
import { builder } from './builder.js';
import { MoneyInput, MoneyRef } from './money.js';
import { PaymentMethodRef } from './paymentMethods.js';
import type { UserError } from '../services/errors.js';
import { replayedField, userErrorsField } from './userErrors.js';

export const FundingKindEnum = builder.enumType('FundingKind', { values: ['DEPOSIT', 'WITHDRAWAL'] as const });
export const FundingStatusEnum = builder.enumType('FundingStatus', {
  values: {
    PENDING: { description: "Waiting for the processor. Nothing is posted yet; a withdrawal's amount is held (balance.held)." },
    SUCCEEDED: { description: 'Posted (see transaction): the money is in the wallet, or paid out.' },
    FAILED: { description: "The processor refused it. Nothing moved; a withdrawal's hold is released (see failureMessage)." },
    REVERSED: { description: 'Posted, then taken back by a chargeback or bank return (see reversalTransaction).' },
  } as const,
});

export const FundingOperationRef = builder.objectRef<FundingRecord>('FundingOperation');

builder.node(FundingOperationRef, {
  description: 'Money added from a card or bank account (DEPOSIT), or paid out to a bank account (WITHDRAWAL).',
  id: { resolve: (f) => f.id },
  // The owner, and admins (who start refunds on a user's behalf).
  authScopes: (f, ctx) => Boolean(ctx.viewer && (ctx.viewer.userId === f.userId || ctx.viewer.roles.includes('ADMIN'))),
  fields: (t) => ({
    kind: t.field({ type: FundingKindEnum, resolve: (f) => f.kind }),
    status: t.field({ type: FundingStatusEnum, resolve: (f) => f.status }),
    amount: t.field({ type: MoneyRef, resolve: (f) => ({ amount: f.amount, currency: f.currency }) }),
    fee: t.field({
      type: MoneyRef,
      description: 'Charged on top-up, as its own ledger transaction.',
      resolve: (f) => ({ amount: f.fee, currency: f.currency }),
    }),
    reason: t.exposeString('reason', { nullable: true, description: 'Why an admin started it (refunds).' }),
    failureCode: t.exposeString('failureCode', { nullable: true, description: "The processor's code, e.g. card_declined, R01." }),
    failureMessage: t.exposeString('failureMessage', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

export const AddFundsInput = builder.inputType('AddFundsInput', {
  fields: (t) => ({
    paymentMethodId: t.globalID({ required: true, for: PaymentMethodRef }),
    amount: t.field({ type: MoneyInput, required: true }),
    idempotencyKey: t.string({
      required: true,
      description: 'A new unique key per top-up. Retrying with it returns the same deposit and never charges twice.',
    }),
  }),
});

interface FundingPayloadShape {
  funding?: FundingRecord | null;
  replayed?: boolean;
  userErrors: UserError[];
}

const fundingPayload = (name: string) =>
  builder.objectRef<FundingPayloadShape>(name).implement({
    fields: (t) => ({
      funding: t.field({ type: FundingOperationRef, nullable: true, resolve: (p) => p.funding ?? null }),
      replayed: t.boolean({ ...replayedField, resolve: (p) => p.replayed ?? false }),
      userErrors: t.field({ ...userErrorsField, resolve: (p) => p.userErrors }),
    }),
  });

export const AddFundsPayload = fundingPayload('AddFundsPayload');
export const AdminRefundDepositPayload = fundingPayload('AdminRefundDepositPayload');

export const AdminRefundDepositInput = builder.inputType('AdminRefundDepositInput', {
  fields: (t) => ({
    fundingId: t.globalID({ required: true, for: FundingOperationRef, description: 'A card top-up that SUCCEEDED.' }),
    amount: t.field({ type: MoneyInput, required: false, description: 'Default: all of the top-up not refunded yet.' }),
    reason: t.string({ required: true, description: '3 to 500 characters; the user sees it.' }),
    idempotencyKey: t.string({ required: true }),
  }),
});
export const WithdrawPayload = fundingPayload('WithdrawPayload');

export const WithdrawInput = builder.inputType('WithdrawInput', {
  fields: (t) => ({
    bankAccountId: t.globalID({ required: true, for: PaymentMethodRef, description: 'A VERIFIED bank account of yours.' }),
    amount: t.field({ type: MoneyInput, required: true }),
    idempotencyKey: t.string({
      required: true,
      description: 'A new unique key per withdrawal. Retrying with it returns the same withdrawal and never pays out twice.',
    }),
  }),
});
