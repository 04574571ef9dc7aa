// Reading a merchant's payments: one payment, a filtered page of them, a payment's refunds, and
// the settlement report of a day (per currency, what the day added to the merchant's wallet).
import type { PrismaClient } from '../../db/database.js';
import { isUuid } from '../ids.js';
import { encodeCursor, keysetOrder, keysetWhere, toPage, type Page, type PageRequest } from '../pagination.js';
import {
  paymentInclude,
  refundInclude,
  toPaymentRecord,
  toRefundRecord,
  type MerchantPaymentRecord,
  type PaymentFilter,
  type RefundRecord,
  type SettlementLine,
} from './model.js';

export function merchantPaymentQueries({ prisma }: { prisma: PrismaClient }) {
  return {
    async get(paymentId: string): Promise<MerchantPaymentRecord | null> {
      if (!isUuid(paymentId)) return null;
      const row = await prisma.merchantPayment.findUnique({ where: { id: paymentId }, include: paymentInclude });
      return row ? toPaymentRecord(row) : null;
    },

    async list(merchantId: string, page: PageRequest, filter: PaymentFilter = {}): Promise<Page<MerchantPaymentRecord>> {
      const status =
        filter.status === 'PAID'
          ? { refunded: 0n }
          : filter.status === 'REFUNDED'
            ? { refunded: { equals: prisma.merchantPayment.fields.amount } }
            : filter.status === 'PARTIALLY_REFUNDED'
              ? { refunded: { gt: 0n, lt: prisma.merchantPayment.fields.amount } }
              : {};
      const rows = await prisma.merchantPayment.findMany({
        where: {
          merchantId,
          ...status,
          ...(filter.from || filter.to
            ? { createdAt: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } }
            : {}),
          ...(filter.reference || filter.code
            ? { request: { ...(filter.reference ? { reference: filter.reference } : {}), ...(filter.code ? { code: filter.code } : {}) } }
            : {}),
          AND: [keysetWhere(page)],
        },
        orderBy: keysetOrder(page),
        take: page.limit + 1,
        include: paymentInclude,
      });
      return toPage(rows.map(toPaymentRecord), page, (p) => encodeCursor({ at: p.createdAt, id: p.id }));
    },

    async getRefund(refundId: string): Promise<RefundRecord | null> {
      if (!isUuid(refundId)) return null;
      const row = await prisma.merchantRefund.findUnique({ where: { id: refundId }, include: refundInclude });
      return row ? toRefundRecord(row) : null;
    },

    async refundsOf(paymentId: string): Promise<RefundRecord[]> {
      const rows = await prisma.merchantRefund.findMany({ where: { paymentId }, orderBy: { createdAt: 'asc' }, include: refundInclude });
      return rows.map(toRefundRecord);
    },

    async settlement(merchantId: string, day: string): Promise<SettlementLine[]> {
      const rows = await prisma.$queryRaw<
        { currency: string; payments: number; gross: bigint; fees: bigint; refunds: number; refunded: bigint }[]
      >`
        WITH bounds AS (SELECT ${day}::date::timestamp AT TIME ZONE 'UTC' AS start),
        paid AS (
          SELECT currency, count(*)::int AS payments, sum(amount)::bigint AS gross, sum(fee)::bigint AS fees
          FROM merchant_payments, bounds
          WHERE merchant_id = ${merchantId}::uuid AND created_at >= bounds.start AND created_at < bounds.start + interval '1 day'
          GROUP BY currency),
        back AS (
          SELECT p.currency, count(*)::int AS refunds, sum(r.amount)::bigint AS refunded
          FROM merchant_refunds r JOIN merchant_payments p ON p.id = r.payment_id, bounds
          WHERE p.merchant_id = ${merchantId}::uuid AND r.created_at >= bounds.start AND r.created_at < bounds.start + interval '1 day'
          GROUP BY p.currency)
        SELECT coalesce(paid.currency, back.currency) AS currency, coalesce(payments, 0) AS payments, coalesce(gross, 0) AS gross,
               coalesce(fees, 0) AS fees, coalesce(refunds, 0) AS refunds, coalesce(refunded, 0) AS refunded
        FROM paid FULL JOIN back ON back.currency = paid.currency
        ORDER BY 1`;
      return rows.map((r) => ({ day, ...r, currency: r.currency.trim(), net: r.gross - r.fees - r.refunded }));
    },
  };
}
