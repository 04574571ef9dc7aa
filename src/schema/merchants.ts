// Merchants, payment requests, payments and refunds. A Merchant is visible to its members only
// (it is loaded through the viewer's membership, with their role); its webhook URL and members to
// its OWNER. A PaymentRequest is what a payer sees by its code (payer-safe fields); the merchant's
// reference shows to the merchant's members only. Loading, and the fields read through a service
// (members, balances, staticPaymentRequest, settlement, url and QR codes, reference, refunds):
// src/resolvers/merchants.ts; Merchant.apiKeys and Merchant.webhookEvents: src/resolvers/partners.ts
// and merchantWebhooks.ts.
import type { UserError } from '../services/errors.js';
import type { MerchantPaymentRecord, RefundRecord, SettlementLine } from '../services/merchants/merchantPayments.js';
import type { MerchantMemberRecord, MerchantRecord, MerchantRole } from '../services/merchants/merchants.js';
import type { PaymentRequestRecord } from '../services/merchants/paymentRequests.js';
import type { TransactionView } from '../services/history/history.js';
import { builder } from './builder.js';
import { MoneyInput, MoneyRef } from './money.js';
import { SpendingCategoryEnum } from './statements.js';
import { replayedField, resultPayload, userErrorsField } from './userErrors.js';
import { TransactionRef } from './wallet.js';

export type MerchantView = MerchantRecord & { role: MerchantRole };

export const MerchantRoleEnum = builder.enumType('MerchantRole', {
  values: {
    OWNER: { description: 'Everything, including members, API keys and webhooks.' },
    STAFF: { description: 'Takes payments (payment requests) and refunds them.' },
  } as const,
});

export const PaymentRequestStatusEnum = builder.enumType('PaymentRequestStatus', {
  values: {
    OPEN: { description: 'Can be paid.' },
    PAID: { description: 'A single-use request that was paid.' },
    EXPIRED: { description: 'Past its expiry; cannot be paid.' },
    CANCELLED: { description: 'Cancelled by the merchant; cannot be paid.' },
  } as const,
});

export const PaymentStatusEnum = builder.enumType('MerchantPaymentStatus', {
  values: ['PAID', 'PARTIALLY_REFUNDED', 'REFUNDED'] as const,
});

const money = (amount: bigint, currency: string) => ({ amount, currency });

export const PaymentRequestRef = builder.objectRef<PaymentRequestRecord>('PaymentRequest').implement({
  description: 'What a payer scans or opens. Anyone with the code sees these fields; the reference only the merchant.',
  fields: (t) => ({
    code: t.exposeString('code', { description: '12 characters; what the link and the QR code carry.' }),
    merchantName: t.exposeString('merchantName'),
    amount: t.field({
      type: MoneyRef,
      nullable: true,
      description: 'Null: the payer enters the amount.',
      resolve: (r) => (r.amount === null ? null : money(r.amount, r.currency)),
    }),
    currency: t.field({ type: 'CurrencyCode', resolve: (r) => r.currency }),
    description: t.exposeString('description', { nullable: true }),
    status: t.field({ type: PaymentRequestStatusEnum, resolve: (r) => r.status }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    singleUse: t.exposeBoolean('singleUse'),
    isStatic: t.exposeBoolean('isStatic', { description: "The merchant's static QR code (open amount, many payments)." }),
    paidCount: t.exposeInt('paidCount'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const MerchantBalanceRef = builder.objectRef<{ currency: string; posted: bigint; held: bigint }>('MerchantBalance').implement({
  fields: (t) => ({
    posted: t.field({ type: MoneyRef, resolve: (b) => money(b.posted, b.currency) }),
    held: t.field({ type: MoneyRef, resolve: (b) => money(b.held, b.currency) }),
    available: t.field({ type: MoneyRef, resolve: (b) => money(b.posted - b.held, b.currency) }),
  }),
});

// No id: a membership is a merchant and a user, and a member's User is theirs and admins' to see.
export const MerchantMemberRef = builder.objectRef<MerchantMemberRecord>('MerchantMember').implement({
  description: 'A member of a merchant, known to its OWNER by email.',
  fields: (t) => ({
    displayName: t.exposeString('displayName'),
    email: t.exposeString('email'),
    role: t.field({ type: MerchantRoleEnum, resolve: (m) => m.role }),
  }),
});

export const SettlementLineRef = builder.objectRef<SettlementLine>('MerchantSettlementLine').implement({
  description: 'What one UTC day brought the merchant in one currency.',
  fields: (t) => ({
    day: t.exposeString('day'),
    payments: t.exposeInt('payments'),
    gross: t.field({ type: MoneyRef, resolve: (l) => money(l.gross, l.currency) }),
    fees: t.field({ type: MoneyRef, resolve: (l) => money(l.fees, l.currency) }),
    refunds: t.exposeInt('refunds'),
    refunded: t.field({ type: MoneyRef, resolve: (l) => money(l.refunded, l.currency) }),
    net: t.field({ type: MoneyRef, description: 'gross - fees - refunded.', resolve: (l) => money(l.net, l.currency) }),
  }),
});

export const MerchantRef = builder.objectRef<MerchantView>('Merchant');
builder.node(MerchantRef, {
  description: 'A business you are a member of.',
  id: { resolve: (m) => m.id },
  fields: (t) => ({
    name: t.exposeString('name'),
    category: t.exposeString('category'),
    categoryCode: t.exposeString('mcc', { nullable: true, description: 'ISO 18245 merchant category code (MCC), e.g. "5812".' }),
    spendingCategory: t.field({
      type: SpendingCategoryEnum,
      description: "Where payers' spending insights file its payments: from the category code (OTHER without one).",
      resolve: (m) => m.spendingCategory,
    }),
    settlementCurrency: t.field({ type: 'CurrencyCode', resolve: (m) => m.settlementCurrency }),
    myRole: t.field({ type: MerchantRoleEnum, resolve: (m) => m.role }),
    webhookUrl: t.string({
      nullable: true,
      description: 'OWNER only (null for STAFF).',
      resolve: (m) => (m.role === 'OWNER' ? m.webhookUrl : null),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const MerchantRefundRef = builder.objectRef<RefundRecord>('MerchantRefund');
builder.node(MerchantRefundRef, {
  description: "A refund of a merchant's payment (its members only). Webhooks' refundId is this id.",
  id: { resolve: (r) => r.id },
  fields: (t) => ({
    amount: t.field({ type: MoneyRef, resolve: (r) => money(r.amount, r.currency) }),
    reason: t.exposeString('reason'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const MerchantPaymentRef = builder.objectRef<MerchantPaymentRecord>('MerchantPayment');
builder.node(MerchantPaymentRef, {
  description: 'A payment a merchant received (its members only).',
  id: { resolve: (p) => p.id },
  fields: (t) => ({
    amount: t.field({ type: MoneyRef, resolve: (p) => money(p.amount, p.currency) }),
    fee: t.field({ type: MoneyRef, resolve: (p) => money(p.fee, p.currency) }),
    net: t.field({ type: MoneyRef, description: 'amount - fee.', resolve: (p) => money(p.amount - p.fee, p.currency) }),
    refunded: t.field({ type: MoneyRef, resolve: (p) => money(p.refunded, p.currency) }),
    status: t.field({ type: PaymentStatusEnum, resolve: (p) => p.status }),
    requestCode: t.exposeString('requestCode'),
    reference: t.exposeString('reference', { nullable: true }),
    payerName: t.exposeString('payerName'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const PaymentReceiptRef = builder.objectRef<MerchantPaymentRecord>('PaymentReceipt');
builder.node(PaymentReceiptRef, {
  description: 'A payment as the payer sees it (the payer only).',
  id: { resolve: (p) => p.id },
  authScopes: (p, ctx) => ctx.viewer?.userId === p.payerId,
  fields: (t) => ({
    merchantName: t.exposeString('merchantName'),
    amount: t.field({ type: MoneyRef, resolve: (p) => money(p.amount, p.currency) }),
    refunded: t.field({ type: MoneyRef, resolve: (p) => money(p.refunded, p.currency) }),
    requestCode: t.exposeString('requestCode'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const RegisterMerchantInput = builder.inputType('RegisterMerchantInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: '2 to 100 characters, shown to payers.' }),
    category: t.string({ required: true, description: 'What the business sells, e.g. "coffee shop".' }),
    categoryCode: t.string({
      required: false,
      description: 'ISO 18245 merchant category code (MCC, four digits, e.g. "5812" for restaurants): decides the spendingCategory.',
    }),
    settlementCurrency: t.field({ type: 'CurrencyCode', required: true, description: 'The currency it is paid in.' }),
    webhookUrl: t.string({ required: false, description: 'Where payment events are POSTed (https; http only for localhost).' }),
  }),
});

export const AddMerchantMemberInput = builder.inputType('AddMerchantMemberInput', {
  fields: (t) => ({
    merchantId: t.globalID({ required: true, for: MerchantRef }),
    email: t.string({ required: true }),
    role: t.field({ type: MerchantRoleEnum, required: true }),
  }),
});

export const CreatePaymentRequestInput = builder.inputType('CreatePaymentRequestInput', {
  fields: (t) => ({
    merchantId: t.globalID({ required: true, for: MerchantRef }),
    amount: t.field({ type: MoneyInput, required: false, description: 'Leave out for an open amount (the payer enters it).' }),
    currency: t.field({ type: 'CurrencyCode', required: false, description: 'For an open amount; default the settlement currency.' }),
    description: t.string({ required: false, description: 'Up to 140 characters, shown to the payer.' }),
    reference: t.string({
      required: false,
      description: 'Your order number or similar (up to 64 printable ASCII characters), shown to your members only.',
    }),
    expiresAt: t.field({ type: 'DateTime', required: false, description: 'In the future, within a year. None: never expires.' }),
    singleUse: t.boolean({ required: false, defaultValue: true, description: 'Paid once (default), or any number of times.' }),
  }),
});

export const PayPaymentRequestInput = builder.inputType('PayPaymentRequestInput', {
  fields: (t) => ({
    code: t.string({ required: true }),
    idempotencyKey: t.string({ required: true, description: 'A new key per payment; a retry with it returns the first answer.' }),
    amount: t.field({ type: MoneyInput, required: false, description: 'Only for requests without an amount.' }),
  }),
});

export const RefundPaymentInput = builder.inputType('RefundPaymentInput', {
  fields: (t) => ({
    paymentId: t.globalID({ required: true, for: MerchantPaymentRef }),
    amount: t.field({ type: MoneyInput, required: false, description: 'Part of the payment; default what is left to refund.' }),
    reason: t.string({ required: true, description: '3 to 500 characters.' }),
    idempotencyKey: t.string({ required: true }),
  }),
});

export const MerchantPaymentFilterInput = builder.inputType('MerchantPaymentFilter', {
  fields: (t) => ({
    from: t.field({ type: 'DateTime', required: false, description: 'At or after.' }),
    to: t.field({ type: 'DateTime', required: false, description: 'Before.' }),
    status: t.field({ type: PaymentStatusEnum, required: false }),
    reference: t.string({ required: false }),
    code: t.string({ required: false, description: 'Payments of one payment request.' }),
  }),
});

export const SetMerchantCategoryCodePayload = resultPayload('SetMerchantCategoryCodePayload', 'merchant', MerchantRef);

export const RegisterMerchantPayload = builder
  .objectRef<{ merchant?: MerchantView | null; webhookSecret?: string | null; userErrors: UserError[] }>('RegisterMerchantPayload')
  .implement({
    fields: (t) => ({
      merchant: t.field({ type: MerchantRef, nullable: true, resolve: (p) => p.merchant ?? null }),
      webhookSecret: t.string({
        nullable: true,
        description:
          'The secret webhooks to this merchant are signed with (docs/partners.md), shown this once: store it now. rollWebhookSecret makes a new one.',
        resolve: (p) => p.webhookSecret ?? null,
      }),
      userErrors: t.field({ ...userErrorsField, resolve: (p) => p.userErrors }),
    }),
  });

export const AddMerchantMemberPayload = builder
  .objectRef<{ member?: MerchantMemberRecord | null; userErrors: UserError[] }>('AddMerchantMemberPayload')
  .implement({
    fields: (t) => ({
      member: t.field({ type: MerchantMemberRef, nullable: true, resolve: (p) => p.member ?? null }),
      role: t.field({ type: MerchantRoleEnum, nullable: true, resolve: (p) => p.member?.role ?? null }),
      userErrors: t.field({ ...userErrorsField, resolve: (p) => p.userErrors }),
    }),
  });

export const PaymentRequestPayload = resultPayload('PaymentRequestPayload', 'paymentRequest', PaymentRequestRef);

export const PayPaymentRequestPayload = builder
  .objectRef<{ payment?: MerchantPaymentRecord | null; transfer?: TransactionView | null; replayed?: boolean; userErrors: UserError[] }>(
    'PayPaymentRequestPayload',
  )
  .implement({
    fields: (t) => ({
      payment: t.field({ type: PaymentReceiptRef, nullable: true, resolve: (p) => p.payment ?? null }),
      transaction: t.field({
        type: TransactionRef,
        nullable: true,
        description: 'The payment in your history.',
        resolve: (p) => p.transfer ?? null,
      }),
      replayed: t.boolean({ ...replayedField, resolve: (p) => p.replayed ?? false }),
      userErrors: t.field({ ...userErrorsField, resolve: (p) => p.userErrors }),
    }),
  });

export const RefundPaymentPayload = builder
  .objectRef<{ refund?: RefundRecord | null; payment?: MerchantPaymentRecord | null; replayed?: boolean; userErrors: UserError[] }>(
    'RefundPaymentPayload',
  )
  .implement({
    fields: (t) => ({
      refund: t.field({ type: MerchantRefundRef, nullable: true, resolve: (p) => p.refund ?? null }),
      payment: t.field({ type: MerchantPaymentRef, nullable: true, resolve: (p) => p.payment ?? null }),
      replayed: t.boolean({ ...replayedField, resolve: (p) => p.replayed ?? false }),
      userErrors: t.field({ ...userErrorsField, resolve: (p) => p.userErrors }),
    }),
  });
