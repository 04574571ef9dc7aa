// Paying a payment request and refunding a payment. A payment is one database transaction: the
// request is locked (so a single-use request is paid once, however many payers race), the
// payment (payer to merchant, with the payer's limits and the risk rules, like sendMoney) and the
// merchant's fee (merchant to FEES) are posted by the one posting function, and the payment, the
// request's new state and their events are written with them. A refund is a new REFUND
// transaction (merchant to payer) linked to the payment, under a lock on the payment, so partial
// refunds never add up to more than was paid (the database checks that too).
import { createHash } from 'node:crypto';
import type { PrismaClient } from '../../db/database.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { Logger } from '../../logger.js';
import { failure, reasonProblem, refusable, refuse, success, type Outcome } from '../errors.js';
import { writeOutbox, type OutboxEvent, type OutboxPublisher } from '../events/outbox.js';
import { viewOfPosted, type TransactionView } from '../history/transactions.js';
import { postThrough, type TransferRequest, type TransferResult } from '../ledger/postTransfers.js';
import type { Currencies } from '../money/currencies.js';
import { feeFor, type FeeRule } from '../money/fees.js';
import { formatAmount } from '../money/money.js';
import { encodeCursor, keysetOrder, keysetWhere, toPage, type Page, type PageRequest } from '../pagination.js';
import type { RiskEngine } from '../risk/riskEngine.js';
import type { RequestOrigin } from '../transfers/transfers.js';
import { idempotencyKeyProblem, parsePositiveAmount, requestHash, type MoneyInput } from '../transfers/transferInput.js';
import type { MerchantWebhookService } from './merchantWebhooks.js';
import { actingUser, type MerchantActor, type MerchantService } from './merchants.js';
import { requestEvent, type PaymentRequestService } from './paymentRequests.js';
import { isUuid } from '../ids.js';

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

export interface MerchantPaymentService {
  pay(
    payerId: string,
    input: { code: string; idempotencyKey: string; amount?: MoneyInput | null },
    origin?: RequestOrigin,
  ): Promise<Outcome<{ payment: MerchantPaymentRecord; transfer: TransactionView; replayed: boolean }>>;
  refund(
    actor: MerchantActor,
    input: { paymentId: string; amount?: MoneyInput | null; reason: string; idempotencyKey: string },
  ): Promise<Outcome<{ refund: RefundRecord; payment: MerchantPaymentRecord; replayed: boolean }>>;
  get(paymentId: string): Promise<MerchantPaymentRecord | null>;
  list(merchantId: string, page: PageRequest, filter?: PaymentFilter): Promise<Page<MerchantPaymentRecord>>;
  refundsOf(paymentId: string): Promise<RefundRecord[]>;
  /** Per currency, what one UTC day (YYYY-MM-DD) brought the merchant. */
  settlement(merchantId: string, day: string): Promise<SettlementLine[]>;
}

const include = {
  merchant: { select: { name: true } },
  request: { select: { code: true, reference: true } },
  payer: { select: { displayName: true } },
} as const;

type PaymentRow = Prisma.MerchantPaymentGetPayload<{ include: typeof include }>;

function toRecord(p: PaymentRow): MerchantPaymentRecord {
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
    status: p.refunded === 0n ? 'PAID' : p.refunded < p.amount ? 'PARTIALLY_REFUNDED' : 'REFUNDED',
    createdAt: p.createdAt,
  };
}

const toRefund = (r: Prisma.MerchantRefundGetPayload<{ include: { payment: { select: { currency: true } } } }>): RefundRecord => ({
  id: r.id,
  paymentId: r.paymentId,
  transactionId: r.transactionId,
  currency: r.payment.currency,
  amount: r.amount,
  reason: r.reason,
  createdAt: r.createdAt,
});

/** The posting function names the field of sendMoney's input; a payment's input calls them differently. */
const PAY_FIELD: Record<string, string> = { recipient: 'code', amount: 'amount', idempotencyKey: 'idempotencyKey' };

/** An internal key beside the payer's own: spaces cannot occur in a client's key, so the two never collide. */
const feeKey = (key: string) => `fee ${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;

export function createMerchantPaymentService(deps: {
  prisma: PrismaClient;
  merchants: MerchantService;
  requests: PaymentRequestService;
  currencies: Currencies;
  risk: RiskEngine;
  outbox: OutboxPublisher;
  fee: FeeRule;
  idempotencyTtlHours: number;
  /** Merchant webhook events for a payment or refund, written in its transaction. */
  webhooks: Pick<MerchantWebhookService, 'paid' | 'refunded' | 'wake'>;
  log: Logger;
}): MerchantPaymentService {
  const { prisma, log } = deps;

  /** The key's first answer exists: this request is a retry, to be replayed by the posting function. */
  async function keyUsed(tx: Prisma.TransactionClient, userId: string, key: string) {
    const rows = await tx.$queryRaw<unknown[]>`SELECT 1 FROM idempotency_keys WHERE user_id = ${userId}::uuid AND key = ${key}`;
    return rows.length > 0;
  }

  async function post(tx: Prisma.TransactionClient, requests: TransferRequest[], fields: Record<string, string>): Promise<{ results: TransferResult[]; events: OutboxEvent[] }> {
    const posted = await postThrough(tx, requests, deps.idempotencyTtlHours);
    const first = posted.results[0]!;
    if (!first.ok) refuse(first.code, first.message, first.field ? (fields[first.field] ?? first.field) : undefined);
    return posted;
  }

  const service: MerchantPaymentService = {
    async pay(payerId, input, origin = {}) {
      const keyProblem = idempotencyKeyProblem(input.idempotencyKey);
      if (keyProblem) return { ok: false, errors: [keyProblem] };
      const request = await deps.requests.byCode(input.code);
      if (!request) return failure('NOT_FOUND', 'No payment request has that code.', 'code');
      let amount = request.amount;
      if (input.amount) {
        const parsed = parsePositiveAmount(input.amount, deps.currencies);
        if (!parsed.ok) return { ok: false, errors: [parsed.error] };
        if (parsed.currency !== request.currency) return failure('CURRENCY_MISMATCH', `This request is paid in ${request.currency}.`, 'amount.currency');
        if (amount !== null && parsed.amount !== amount) return failure('INVALID_AMOUNT', 'This request is for a fixed amount: leave amount out, or send exactly that.', 'amount.amount');
        amount = parsed.amount;
      }
      if (amount === null) return failure('INVALID_AMOUNT', 'This request has no amount: say how much you pay.', 'amount');

      const merchant = { merchantId: request.merchantId };
      const hash = requestHash(['payPaymentRequest', request.code, amount]);
      const assessment = await deps.risk.assess({ userId: payerId, key: input.idempotencyKey, currency: request.currency, amount, to: merchant, deviceId: origin.deviceId ?? null });
      // A checkout cannot wait for a reviewer: what a send would hold for review is declined here.
      const risk = assessment?.decision === 'REVIEW' ? { ...assessment, decision: 'BLOCK' as const } : assessment;
      // Never more than the payment (a tiny payment with a fixed fee part).
      const ruleFee = feeFor(amount, deps.fee);
      const fee = ruleFee < amount ? ruleFee : amount;
      const requests: TransferRequest[] = [
        {
          userId: payerId,
          key: input.idempotencyKey,
          operation: 'payPaymentRequest',
          hash,
          type: 'PAYMENT',
          currency: request.currency,
          amount,
          from: { userId: payerId },
          to: merchant,
          note: request.description ?? request.merchantName,
          metadata: { paymentRequestId: request.id, code: request.code },
          initiatedBy: payerId,
          limits: true,
          risk,
        },
      ];
      if (fee > 0n) {
        requests.push({
          userId: payerId,
          key: feeKey(input.idempotencyKey),
          operation: 'payPaymentRequest.fee',
          hash,
          type: 'FEE',
          currency: request.currency,
          amount: fee,
          from: merchant,
          to: { system: 'FEES' },
          note: 'Merchant fee',
          metadata: { paymentRequestId: request.id },
          initiatedBy: payerId,
        });
      }

      return refusable(async () => {
        const done = await prisma.$transaction(async (tx) => {
          const [locked] = await tx.$queryRaw<{ status: string; expired: boolean }[]>`
            SELECT status::text, (expires_at IS NOT NULL AND expires_at <= now()) AS expired FROM payment_requests WHERE id = ${request.id}::uuid FOR UPDATE`;
          if (!(await keyUsed(tx, payerId, input.idempotencyKey))) {
            if (locked!.status === 'OPEN' && locked!.expired) refuse('PAYMENT_REQUEST_EXPIRED', 'This payment request has expired. Ask the merchant for a new one.', 'code');
            if (locked!.status !== 'OPEN') refuse('PAYMENT_REQUEST_CLOSED', `This payment request is ${locked!.status.toLowerCase()} and cannot be paid.`, 'code');
          }
          const { results, events } = await post(tx, requests, PAY_FIELD);
          const paid = results[0] as Extract<TransferResult, { ok: true }>;
          if (paid.replayed) {
            const existing = await tx.merchantPayment.findUniqueOrThrow({ where: { transactionId: paid.transfer.transactionId }, include });
            return { payment: toRecord(existing), paid, events: [], replayed: true };
          }
          const feeResult = results[1];
          if (feeResult && !feeResult.ok) throw new Error(`the merchant fee was refused: ${feeResult.code}`);
          const row = await tx.merchantPayment.create({
            data: {
              merchantId: request.merchantId,
              requestId: request.id,
              payerId,
              transactionId: paid.transfer.transactionId,
              feeTransactionId: feeResult?.ok ? feeResult.transfer.transactionId : null,
              currency: request.currency,
              amount,
              fee,
            },
            include,
          });
          const updated = await tx.paymentRequest.update({
            where: { id: request.id },
            data: { paidCount: { increment: 1 }, ...(request.singleUse ? { status: 'PAID' } : {}), updatedAt: new Date() },
          });
          const payment = toRecord(row);
          events.push(...(await writeOutbox(tx, [requestEvent(updated)])));
          await deps.webhooks.paid(tx, payment);
          return { payment, paid, events, replayed: false };
        });
        deps.outbox.publishCommitted(done.events);
        if (!done.replayed) {
          deps.webhooks.wake();
          log.info({ paymentId: done.payment.id, merchantId: request.merchantId }, 'payment request paid');
        }
        return success({ payment: done.payment, transfer: viewOfPosted(done.paid.transfer, 'from'), replayed: done.replayed });
      });
    },

    async refund(actor, input) {
      const reason = input.reason.trim();
      const problems = [reasonProblem(reason), idempotencyKeyProblem(input.idempotencyKey)].filter((p) => p !== null);
      if (problems.length) return { ok: false, errors: problems };
      const found = isUuid(input.paymentId) ? await prisma.merchantPayment.findUnique({ where: { id: input.paymentId }, include: { ...include, transaction: { select: { fromWalletId: true } } } }) : null;
      if (!found || !(await deps.merchants.forActor(actor, found.merchantId))) return failure('NOT_FOUND', 'No payment of your merchant has that id.', 'paymentId');
      const { userId, key } = actingUser(actor, input.idempotencyKey);
      let amount = found.amount - found.refunded;
      if (input.amount) {
        const parsed = parsePositiveAmount(input.amount, deps.currencies);
        if (!parsed.ok) return { ok: false, errors: [parsed.error] };
        if (parsed.currency !== found.currency) return failure('CURRENCY_MISMATCH', `This payment was made in ${found.currency}.`, 'amount.currency');
        amount = parsed.amount;
      }
      const request: TransferRequest = {
        userId,
        key,
        operation: 'refundPayment',
        hash: requestHash(['refundPayment', found.id, amount, reason]),
        type: 'REFUND',
        currency: found.currency,
        amount,
        from: { merchantId: found.merchantId },
        to: { walletId: found.transaction.fromWalletId },
        note: `Refund: ${reason}`.slice(0, 280),
        metadata: { paymentId: found.id, refundOf: found.transactionId, reason, ...(actor.kind === 'apiKey' ? { apiKeyId: actor.keyId } : {}) },
        initiatedBy: userId,
      };
      return refusable(async () => {
        const done = await prisma.$transaction(async (tx) => {
          const [locked] = await tx.$queryRaw<{ amount: bigint; refunded: bigint }[]>`
            SELECT amount, refunded FROM merchant_payments WHERE id = ${found.id}::uuid FOR UPDATE`;
          if (!(await keyUsed(tx, userId, key))) {
            const left = locked!.amount - locked!.refunded;
            if (left === 0n) refuse('REFUND_EXCEEDS_PAYMENT', 'This payment is already refunded in full.', 'paymentId');
            if (amount === 0n || amount > left) {
              const major = formatAmount(left, found.currency);
              refuse('REFUND_EXCEEDS_PAYMENT', `At most ${major} ${found.currency} of this payment can still be refunded.`, 'amount');
            }
          }
          const { results, events } = await post(tx, [request], { amount: 'amount', idempotencyKey: 'idempotencyKey', recipient: 'paymentId' });
          const refunded = results[0] as Extract<TransferResult, { ok: true }>;
          const refundInclude = { payment: { select: { currency: true } } } as const;
          if (refunded.replayed) {
            const existing = await tx.merchantRefund.findUniqueOrThrow({ where: { transactionId: refunded.transfer.transactionId }, include: refundInclude });
            const payment = await tx.merchantPayment.findUniqueOrThrow({ where: { id: found.id }, include });
            return { refund: toRefund(existing), payment: toRecord(payment), events: [], replayed: true };
          }
          const refund = toRefund(
            await tx.merchantRefund.create({
              data: { paymentId: found.id, transactionId: refunded.transfer.transactionId, amount, reason, createdBy: userId },
              include: refundInclude,
            }),
          );
          const payment = toRecord(
            await tx.merchantPayment.update({ where: { id: found.id }, data: { refunded: { increment: amount }, updatedAt: new Date() }, include }),
          );
          await deps.webhooks.refunded(tx, refund, payment);
          return { refund, payment, events, replayed: false };
        });
        deps.outbox.publishCommitted(done.events);
        if (!done.replayed) {
          deps.webhooks.wake();
          log.info({ paymentId: found.id, refundId: done.refund.id }, 'payment refunded');
        }
        return success({ refund: done.refund, payment: done.payment, replayed: done.replayed });
      });
    },

    async get(paymentId) {
      if (!isUuid(paymentId)) return null;
      const row = await prisma.merchantPayment.findUnique({ where: { id: paymentId }, include });
      return row ? toRecord(row) : null;
    },

    async list(merchantId, page, filter = {}) {
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
          ...(filter.from || filter.to ? { createdAt: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } } : {}),
          ...(filter.reference || filter.code ? { request: { ...(filter.reference ? { reference: filter.reference } : {}), ...(filter.code ? { code: filter.code } : {}) } } : {}),
          AND: [keysetWhere(page)],
        },
        orderBy: keysetOrder(page),
        take: page.limit + 1,
        include,
      });
      return toPage(rows.map(toRecord), page, (p) => encodeCursor({ at: p.createdAt, id: p.id }));
    },

    async refundsOf(paymentId) {
      const rows = await prisma.merchantRefund.findMany({ where: { paymentId }, orderBy: { createdAt: 'asc' }, include: { payment: { select: { currency: true } } } });
      return rows.map(toRefund);
    },

    async settlement(merchantId, day) {
      const rows = await prisma.$queryRaw<{ currency: string; payments: number; gross: bigint; fees: bigint; refunds: number; refunded: bigint }[]>`
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
  return service;
}
