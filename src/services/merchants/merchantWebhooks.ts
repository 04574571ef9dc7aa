// Outgoing webhooks to merchants: payment.succeeded, payment.refunded, payment_request.expired.
// Each event is a row written in the same database transaction as what it describes (so none is
// lost and none is invented), with a stable id the receiver deduplicates by. A delivery loop
// claims due events with a lease (SKIP LOCKED: several servers never deliver the same event at
// the same moment; a server that dies mid-delivery leaves it to be retried when the lease ends),
// POSTs the same body every time, signed like the processors' webhooks to us
// (`Wallet-Signature: t=<unix>,v1=<HMAC-SHA256(secret, "<t>.<body>")>`, one v1 per valid secret
// while a secret is rolled), records every attempt, and retries with exponential backoff until 3
// days after the event (the loop is the notifier's too: ../delivery/deliveryLoop.ts). Owners read
// the log and ask for redelivery.
import type { AuditLog } from '../audit/auditLog.js';
import type { PrismaClient } from '../../db/database.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { Logger } from '../../logger.js';
import { failure, success, type Outcome } from '../errors.js';
import { globalId, isUuid } from '../ids.js';
import { formatAmount } from '../money/money.js';
import { encodeCursor, keysetOrder, keysetWhere, toPage, type Page, type PageRequest } from '../pagination.js';
import type { ServiceMetrics } from '../telemetry.js';
import type { Vault } from '../vault/vault.js';
import type { MerchantService } from './merchants.js';
import type { MerchantPaymentRecord, PaymentRequestRecord, RefundRecord } from './model.js';
import { newSigningSecret } from './signingSecrets.js';
import { createDeliveryLoop } from '../delivery/deliveryLoop.js';
import { webhookDelivery, type DeliverySettings } from './webhookDelivery.js';
import { webhookUrlProblem } from './webhookUrls.js';

export { MERCHANT_SIGNATURE_HEADER } from './webhookDelivery.js';
export type WebhookEventType = 'payment.succeeded' | 'payment.refunded' | 'payment_request.expired';
export type WebhookEventRecord = Prisma.MerchantWebhookEventGetPayload<{ include: { deliveries: true } }>;

export interface MerchantWebhookSettings extends DeliverySettings {
  /** How often the loop looks for due events (it is also woken after each commit that adds one). */
  pollMs: number;
  /** Accept http and loopback/private URLs (development, tests). */
  allowLocal: boolean;
}

export interface MerchantWebhookService {
  /** Writes the events for a payment, a refund, an expiry, inside their transaction (nothing without a webhook URL). */
  paid(tx: Prisma.TransactionClient, payment: MerchantPaymentRecord): Promise<void>;
  refunded(tx: Prisma.TransactionClient, refund: RefundRecord, payment: MerchantPaymentRecord): Promise<void>;
  expired(tx: Prisma.TransactionClient, request: PaymentRequestRecord): Promise<void>;
  /** Delivers what is due soon (call after the transaction that wrote events commits). */
  wake(): void;
  /** Delivers every due event once; returns how many were attempted. */
  deliverDue(): Promise<number>;
  /** A new signing secret for the merchant, shown once; older ones keep signing for `overlapHours`. */
  rollSecret(ownerId: string, merchantId: string, overlapHours: number): Promise<Outcome<{ secret: string }>>;
  /**
   * A new secret put in the vault, not yet any merchant's: the caller records `vaultToken` for the
   * merchant in its own transaction (the vault writes through its own connection, so it goes first).
   */
  newSecret(): Promise<{ secret: string; vaultToken: string }>;
  setUrl(ownerId: string, merchantId: string, url: string | null): Promise<Outcome<{ webhookUrl: string | null }>>;
  list(merchantId: string, page: PageRequest, status?: 'PENDING' | 'DELIVERED' | 'FAILED' | null): Promise<Page<WebhookEventRecord>>;
  /** The event if `ownerId` owns its merchant; null otherwise (or if there is none). */
  getForOwner(ownerId: string, eventId: string): Promise<WebhookEventRecord | null>;
  redeliver(ownerId: string, eventId: string): Promise<Outcome<WebhookEventRecord>>;
  /** Starts the delivery loop; returns a stop function that waits for a running pass. */
  start(): () => Promise<void>;
}

const money = (amount: bigint, currency: string) => ({ amount: formatAmount(amount, currency), currency });
const paymentData = (p: MerchantPaymentRecord) => ({
  paymentId: globalId('MerchantPayment', p.id),
  requestCode: p.requestCode,
  reference: p.reference,
  amount: money(p.amount, p.currency),
  fee: money(p.fee, p.currency),
  net: money(p.amount - p.fee, p.currency),
  refunded: money(p.refunded, p.currency),
  status: p.status,
  createdAt: p.createdAt.toISOString(),
});

const LEASE_MS = 60_000;
const BATCH = 20;

export function createMerchantWebhookService(deps: {
  prisma: PrismaClient;
  audit: AuditLog;
  merchants: MerchantService;
  vault: Pick<Vault, 'store' | 'reveal'>;
  settings: MerchantWebhookSettings;
  log: Logger;
  metrics: ServiceMetrics;
}): MerchantWebhookService {
  const { prisma, log, settings } = deps;

  async function enqueue(tx: Prisma.TransactionClient, merchantId: string, type: WebhookEventType, data: Record<string, unknown>) {
    // Only merchants with a URL get events; one set later receives what happens from then on.
    await tx.$executeRaw`
      INSERT INTO merchant_webhook_events (merchant_id, type, payload)
      SELECT id, ${type}, ${JSON.stringify(data)}::jsonb FROM merchants WHERE id = ${merchantId}::uuid AND webhook_url IS NOT NULL`;
  }

  const newSecret = () => newSigningSecret(deps.vault);

  const deliver = webhookDelivery({ prisma, vault: deps.vault, settings, log, metrics: deps.metrics });
  const loop = createDeliveryLoop({
    name: 'merchant webhook',
    batch: BATCH,
    log,
    // Claim: due events get a lease, so no other server picks them while they are delivered.
    claim: async (limit) =>
      (
        await prisma.$queryRaw<{ id: string; merchant_id: string; type: string; payload: unknown; created_at: Date; attempts: number }[]>`
          UPDATE merchant_webhook_events SET next_attempt_at = now() + make_interval(secs => ${LEASE_MS / 1000})
          WHERE id IN (SELECT id FROM merchant_webhook_events WHERE status = 'PENDING' AND next_attempt_at <= now()
                       ORDER BY next_attempt_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
          RETURNING id::text, merchant_id::text, type, payload, created_at, attempts`
      ).map((e) => ({
        id: e.id,
        merchantId: e.merchant_id,
        type: e.type,
        payload: e.payload,
        createdAt: e.created_at,
        attempts: e.attempts,
      })),
    deliver,
  });

  const service: MerchantWebhookService = {
    paid: (tx, p) => enqueue(tx, p.merchantId, 'payment.succeeded', paymentData(p)),
    refunded: (tx, r, p) =>
      enqueue(tx, p.merchantId, 'payment.refunded', {
        refundId: globalId('MerchantRefund', r.id),
        refundAmount: money(r.amount, r.currency),
        reason: r.reason,
        payment: paymentData(p),
      }),
    expired: (tx, r) =>
      enqueue(tx, r.merchantId, 'payment_request.expired', {
        code: r.code,
        reference: r.reference,
        amount: r.amount === null ? null : money(r.amount, r.currency),
        expiresAt: r.expiresAt?.toISOString() ?? null,
      }),

    wake: loop.wake,
    deliverDue: loop.deliverDue,

    newSecret,

    async rollSecret(ownerId, merchantId, overlapHours) {
      const merchant = await deps.merchants.forMember(ownerId, merchantId, ['OWNER']);
      if (!merchant) return failure('NOT_FOUND', 'No merchant you own has that id.', { argument: 'merchantId' });
      if (!Number.isInteger(overlapHours) || overlapHours < 0 || overlapHours > 7 * 24) {
        return failure('INVALID_INPUT', 'overlapHours must be a whole number from 0 to 168.', { argument: 'overlapHours' });
      }
      const { secret, vaultToken } = await newSecret();
      await prisma.$transaction(async (tx) => {
        const until = new Date(Date.now() + overlapHours * 3_600_000);
        // The current secrets keep signing until the overlap ends (earlier expiries stay as they are).
        await tx.merchantWebhookSecret.updateMany({
          where: { merchantId, OR: [{ expiresAt: null }, { expiresAt: { gt: until } }] },
          data: { expiresAt: until },
        });
        await tx.merchantWebhookSecret.create({ data: { merchantId, vaultToken } });
        await deps.audit.append(tx, [{ kind: 'webhook_secret.rolled', actorId: ownerId, details: { merchantId, overlapHours } }]);
      });
      log.info({ merchantId, overlapHours }, 'merchant webhook secret rolled');
      return success({ secret });
    },

    async setUrl(ownerId, merchantId, url) {
      const merchant = await deps.merchants.forMember(ownerId, merchantId, ['OWNER']);
      if (!merchant) return failure('NOT_FOUND', 'No merchant you own has that id.', { argument: 'merchantId' });
      const problem = url === null ? null : webhookUrlProblem(url, settings.allowLocal);
      if (problem) return failure('INVALID_INPUT', problem, { argument: 'webhookUrl' });
      await prisma.merchant.update({ where: { id: merchantId }, data: { webhookUrl: url, updatedAt: new Date() } });
      return success({ webhookUrl: url });
    },

    async list(merchantId, page, status) {
      const rows = await prisma.merchantWebhookEvent.findMany({
        where: { merchantId, ...(status ? { status } : {}), ...keysetWhere(page) },
        orderBy: keysetOrder(page),
        take: page.limit + 1,
        include: { deliveries: { orderBy: { attempt: 'asc' } } },
      });
      return toPage(rows, page, (e) => encodeCursor({ at: e.createdAt, id: e.id }));
    },

    async getForOwner(ownerId, eventId) {
      const event = isUuid(eventId)
        ? await prisma.merchantWebhookEvent.findUnique({ where: { id: eventId }, include: { deliveries: { orderBy: { attempt: 'asc' } } } })
        : null;
      return event && (await deps.merchants.forMember(ownerId, event.merchantId, ['OWNER'])) ? event : null;
    },

    async redeliver(ownerId, eventId) {
      const event = isUuid(eventId) ? await prisma.merchantWebhookEvent.findUnique({ where: { id: eventId } }) : null;
      if (!event || !(await deps.merchants.forMember(ownerId, event.merchantId, ['OWNER'])))
        return failure('NOT_FOUND', 'No webhook event of a merchant you own has that id.', { argument: 'eventId' });
      // One more attempt now, whatever happened before; the same id and body as every earlier one.
      const updated = await prisma.merchantWebhookEvent.update({
        where: { id: eventId },
        data: { status: 'PENDING', nextAttemptAt: new Date() },
        include: { deliveries: { orderBy: { attempt: 'asc' } } },
      });
      service.wake();
      return success(updated);
    },

    start: () => loop.start(settings.pollMs),
  };
  return service;
}
