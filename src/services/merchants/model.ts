// What the merchant services share: the records of payments, refunds and payment requests, and
// the row mappers that make them. Every merchant file may import this one; it imports none of
// them back, so the services can be built in dependency order without a loop.
import type { Prisma } from '../../generated/prisma/client.js';
import type { PublishedPayment } from '../events/topics.js';

export type PaymentStatus = 'PAID' | 'PARTIALLY_REFUNDED' | 'REFUNDED';

export interface MerchantPaymentRecord {
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
  amount: bigint;
  fee: bigint;
  refunded: bigint;
  status: PaymentStatus;
  createdAt: Date;
}

export interface RefundRecord {
  id: string;
  paymentId: string;
  /** The payment's merchant: whose members may see the refund. */
  merchantId: string;
  transactionId: string;
  currency: string;
  amount: bigint;
  reason: string;
  createdAt: Date;
}

export interface PaymentFilter {
  from?: Date | null;
  to?: Date | null;
  status?: PaymentStatus | null;
  /** The merchant's reference on the request, exactly. */
  reference?: string | null;
  /** Payments of one request. */
  code?: string | null;
}

export interface SettlementLine {
  day: string;
  currency: string;
  payments: number;
  gross: bigint;
  fees: bigint;
  refunds: number;
  refunded: bigint;
  /** gross - fees - refunded: what the day added to the merchant's wallet. */
  net: bigint;
}

export type PaymentRequestStatus = 'OPEN' | 'PAID' | 'EXPIRED' | 'CANCELLED';

export interface PaymentRequestRecord {
  id: string;
  merchantId: string;
  merchantName: string;
  code: string;
  /** Null: the payer enters the amount. */
  amount: bigint | null;
  currency: string;
  description: string | null;
  reference: string | null;
  expiresAt: Date | null;
  singleUse: boolean;
  isStatic: boolean;
  /** As the payer should see it: an OPEN request past its expiry is EXPIRED. */
  status: PaymentRequestStatus;
  paidCount: number;
  createdAt: Date;
}

/** What a payment row is read with to make a MerchantPaymentRecord. */
export const paymentInclude = {
  merchant: { select: { name: true } },
  request: { select: { code: true, reference: true } },
  payer: { select: { displayName: true } },
} as const;

type PaymentRow = Prisma.MerchantPaymentGetPayload<{ include: typeof paymentInclude }>;

export function toPaymentRecord(p: PaymentRow): MerchantPaymentRecord {
  return {
    id: p.id,
    merchantId: p.merchantId,
    merchantName: p.merchant.name,
    requestId: p.requestId,
    requestCode: p.request.code,
    reference: p.request.reference,
    payerId: p.payerId,
    payerName: p.payer.displayName,
    transactionId: p.transactionId,
    currency: p.currency,
    amount: p.amount,
    fee: p.fee,
    refunded: p.refunded,
    status: paymentStatus(p.amount, p.refunded),
    createdAt: p.createdAt,
  };
}

/** A payment as its event carries it (JSON has no bigint or Date). */
export const toPublishedPayment = (p: MerchantPaymentRecord): PublishedPayment => ({
  id: p.id,
  merchantId: p.merchantId,
  merchantName: p.merchantName,
  requestId: p.requestId,
  requestCode: p.requestCode,
  reference: p.reference,
  payerId: p.payerId,
  payerName: p.payerName,
  transactionId: p.transactionId,
  currency: p.currency,
  amount: p.amount.toString(),
  fee: p.fee.toString(),
  refunded: p.refunded.toString(),
  createdAt: p.createdAt.toISOString(),
});

/** The payment an event carries, as the services' record (its status as of the event). */
export function fromPublishedPayment(p: PublishedPayment): MerchantPaymentRecord {
  const amount = BigInt(p.amount);
  const refunded = BigInt(p.refunded);
  return {
    ...p,
    amount,
    fee: BigInt(p.fee),
    refunded,
    status: paymentStatus(amount, refunded),
    createdAt: new Date(p.createdAt),
  };
}

const paymentStatus = (amount: bigint, refunded: bigint): PaymentStatus =>
  refunded === 0n ? 'PAID' : refunded < amount ? 'PARTIALLY_REFUNDED' : 'REFUNDED';

/** What a refund row is read with to make a RefundRecord (the currency is the payment's). */
export const refundInclude = { payment: { select: { currency: true, merchantId: true } } } as const;

export const toRefundRecord = (r: Prisma.MerchantRefundGetPayload<{ include: typeof refundInclude }>): RefundRecord => ({
  id: r.id,
  paymentId: r.paymentId,
  merchantId: r.payment.merchantId,
  transactionId: r.transactionId,
  currency: r.payment.currency,
  amount: r.amount,
  reason: r.reason,
  createdAt: r.createdAt,
});
