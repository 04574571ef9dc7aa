// Payment requests: what a payer scans or opens. A merchant member creates one with an amount (or
// none: the payer enters it), a description, the merchant's own reference, an optional expiry and
// single or multiple use; each merchant also has a static one (its printed QR code). Requests are
// found by their code; the link and QR code point at /pay/<code> on the public origin. Expired
// requests are marked by a job (and refused at payment time in any case); each change of status
// is an outbox event for the checkout screens.
import { z } from 'zod';
import type { PrismaClient } from '../../db/database.js';
import type { Logger } from '../../logger.js';
import { failure, parseInput, success, type Outcome } from '../errors.js';
import { MERCHANT_PAID, type MerchantPaid } from '../events/ledgerEvents.js';
import { writeOutbox, type OutboxPublisher } from '../events/outbox.js';
import { topics, type PaymentRequestChanged } from '../events/topics.js';
import type { Currencies } from '../money/currencies.js';
import { parsePositiveAmount, type MoneyInput } from '../transfers/transferInput.js';
import type { MerchantWebhookService } from './merchantWebhooks.js';
import { actingUser, type MerchantActor, type MerchantService } from './merchants.js';
import { type MerchantPaymentRecord, type PaymentRequestRecord, toPublishedPayment } from './model.js';
import { newPaymentCode, PAYMENT_CODE } from './paymentCodes.js';
import { qrDataUrl } from './qrCodes.js';

export type { PaymentRequestRecord, PaymentRequestStatus } from './model.js';

export interface CreatePaymentRequestInput {
  merchantId: string;
  amount?: MoneyInput | null;
  currency?: string | null;
  description?: string | null;
  reference?: string | null;
  expiresAt?: Date | null;
  singleUse?: boolean | null;
}

export interface PaymentRequestService {
  create(actor: MerchantActor, input: CreatePaymentRequestInput): Promise<Outcome<PaymentRequestRecord>>;
  byCode(code: string): Promise<PaymentRequestRecord | null>;
  /** The merchant's static (open-amount, many-use) request. */
  staticFor(merchantId: string): Promise<PaymentRequestRecord>;
  cancel(actor: MerchantActor, code: string): Promise<Outcome<PaymentRequestRecord>>;
  /** Marks open requests past their expiry EXPIRED; returns how many. */
  expireDue(): Promise<number>;
  /** The link a payer opens; the QR code carries it. */
  urlOf(code: string): string;
  /** The QR code of the link as a PNG data URL. */
  qrDataUrl(code: string): Promise<string>;
  /** Sets the public origin (PUBLIC_URL, or this server's address once it listens). */
  setPublicOrigin(origin: string): void;
}

const MAX_TTL_MS = 366 * 24 * 3_600_000;

const textFields = z.object({
  description: z.string().trim().max(140).nullish(),
  reference: z
    .string()
    .trim()
    .max(64)
    .regex(/^[\x20-\x7e]*$/, 'printable ASCII only')
    .nullish(),
});

const include = { merchant: { select: { name: true } } } as const;

type Row = Awaited<ReturnType<PrismaClient['paymentRequest']['findFirstOrThrow']>> & { merchant: { name: string } };

function toRecord(r: Row, now = new Date()): PaymentRequestRecord {
  const expired = r.status === 'OPEN' && r.expiresAt !== null && r.expiresAt <= now;
  return {
    id: r.id,
    merchantId: r.merchantId,
    merchantName: r.merchant.name,
    code: r.code,
    amount: r.amount,
    currency: r.currency,
    description: r.description,
    reference: r.reference,
    expiresAt: r.expiresAt,
    singleUse: r.singleUse,
    isStatic: r.isStatic,
    status: expired ? 'EXPIRED' : r.status,
    paidCount: r.paidCount,
    createdAt: r.createdAt,
  };
}

const requestChanged = (r: { id: string; status: string; paidCount: number }): PaymentRequestChanged => ({
  requestId: r.id,
  status: r.status,
  paidCount: r.paidCount,
});

/** The event of a request cancelled or expired: for its checkout screens. */
export const requestEvent = (r: { id: string; status: string; paidCount: number }) => ({
  topic: topics.paymentRequest(r.id),
  payload: requestChanged(r),
});

/** The event of a request paid: for its checkout screens and the merchant's live feed of payments (one outbox row). */
export const paidEvent = (r: { id: string; status: string; paidCount: number }, payment: MerchantPaymentRecord) => ({
  topic: MERCHANT_PAID,
  payload: { request: requestChanged(r), payment: toPublishedPayment(payment) } satisfies MerchantPaid,
});

export function createPaymentRequestService(deps: {
  prisma: PrismaClient;
  merchants: MerchantService;
  currencies: Currencies;
  outbox: OutboxPublisher;
  /** Merchant webhook events for expired requests, written in the same transaction. */
  webhooks: Pick<MerchantWebhookService, 'expired' | 'wake'>;
  log: Logger;
}): PaymentRequestService {
  const { prisma, log } = deps;
  let origin = 'http://localhost';

  return {
    async create(actor, input) {
      const merchant = await deps.merchants.forActor(actor, input.merchantId);
      if (!merchant) return failure('NOT_FOUND', 'No merchant of yours has that id.', 'merchantId');
      const text = parseInput(textFields, { description: input.description, reference: input.reference });
      if (!text.ok) return text;
      let amount: bigint | null = null;
      let currency = input.currency ?? merchant.settlementCurrency;
      if (input.amount) {
        const parsed = parsePositiveAmount(input.amount, deps.currencies);
        if (!parsed.ok) return { ok: false, errors: [parsed.error] };
        amount = parsed.amount;
        currency = parsed.currency;
      }
      // The merchant holds its takings in its settlement currency.
      if (currency !== merchant.settlementCurrency) {
        return failure(
          'CURRENCY_MISMATCH',
          `This merchant is paid in ${merchant.settlementCurrency}.`,
          input.amount ? 'amount.currency' : 'currency',
        );
      }
      const expiresAt = input.expiresAt ?? null;
      if (expiresAt && (expiresAt.getTime() <= Date.now() || expiresAt.getTime() > Date.now() + MAX_TTL_MS)) {
        return failure('INVALID_INPUT', 'expiresAt must be in the future and within a year.', 'expiresAt');
      }
      const row = await prisma.paymentRequest.create({
        data: {
          merchantId: merchant.id,
          code: newPaymentCode(),
          amount,
          currency,
          description: text.value.description || null,
          reference: text.value.reference || null,
          expiresAt,
          singleUse: input.singleUse ?? true,
          createdBy: actingUser(actor).userId,
        },
        include,
      });
      return success(toRecord(row));
    },

    async byCode(code) {
      if (!PAYMENT_CODE.test(code)) return null;
      const row = await prisma.paymentRequest.findUnique({ where: { code }, include });
      return row ? toRecord(row) : null;
    },

    async staticFor(merchantId) {
      return toRecord(await prisma.paymentRequest.findFirstOrThrow({ where: { merchantId, isStatic: true }, include }));
    },

    async cancel(actor, code) {
      const found = PAYMENT_CODE.test(code) ? await prisma.paymentRequest.findUnique({ where: { code } }) : null;
      if (!found || !(await deps.merchants.forActor(actor, found.merchantId)))
        return failure('NOT_FOUND', 'No payment request of yours has that code.', 'code');
      if (found.isStatic) return failure('INVALID_INPUT', 'The static QR code cannot be cancelled.', 'code');
      const { row, events } = await prisma.$transaction(async (tx) => {
        const updated = await tx.paymentRequest.updateMany({
          where: { id: found.id, status: 'OPEN' },
          data: { status: 'CANCELLED', updatedAt: new Date() },
        });
        const row = await tx.paymentRequest.findUniqueOrThrow({ where: { id: found.id }, include });
        return { row, events: updated.count ? await writeOutbox(tx, [requestEvent(row)]) : [] };
      });
      if (!events.length) return failure('INVALID_INPUT', `This request is already ${row.status.toLowerCase()}.`, 'code');
      await deps.outbox.publishCommitted(events);
      return success(toRecord(row));
    },

    async expireDue() {
      const { count, events } = await prisma.$transaction(async (tx) => {
        const due = await tx.$queryRaw<{ id: string }[]>`
          UPDATE payment_requests SET status = 'EXPIRED', updated_at = now()
          WHERE id IN (SELECT id FROM payment_requests WHERE status = 'OPEN' AND expires_at <= now() ORDER BY expires_at LIMIT 500 FOR UPDATE SKIP LOCKED)
          RETURNING id::text`;
        if (!due.length) return { count: 0, events: [] };
        const rows = await tx.paymentRequest.findMany({ where: { id: { in: due.map((d) => d.id) } }, include });
        const events = await writeOutbox(tx, rows.map(requestEvent));
        for (const row of rows) await deps.webhooks.expired(tx, toRecord(row));
        return { count: due.length, events };
      });
      if (events.length) await deps.outbox.publishCommitted(events);
      if (count) {
        deps.webhooks.wake();
        log.info({ count }, 'payment requests expired');
      }
      return count;
    },

    urlOf: (code) => `${origin}/pay/${code}`,
    qrDataUrl: (code) => qrDataUrl(`${origin}/pay/${code}`),
    setPublicOrigin: (value) => {
      origin = value.replace(/\/+$/, '');
    },
  };
}
