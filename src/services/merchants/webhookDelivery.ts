// One delivery attempt of a merchant webhook event: the same body every time, signed with each of
// the merchant's valid secrets, POSTed with a timeout and no redirects; the attempt is recorded and
// the event rescheduled with exponential backoff, or given up once it is older than retryForMs.
import type { PrismaClient } from '../../db/database.js';
import type { Logger } from '../../logger.js';
import { backoffDelayMs } from '../delivery/deliveryLoop.js';
import { globalId } from '../ids.js';
import type { ServiceMetrics } from '../telemetry.js';
import type { Vault } from '../vault/vault.js';
import { signWithSecrets } from '../webhooks/signature.js';

export const MERCHANT_SIGNATURE_HEADER = 'wallet-signature';

export interface DeliverySettings {
  /** First retry after this long; each later one waits twice as long (capped at an hour). */
  retryBaseMs: number;
  /** How long an event is retried. */
  retryForMs: number;
  /** A delivery not answered within this long counts as failed. */
  timeoutMs: number;
}

export function webhookDelivery(deps: {
  prisma: PrismaClient;
  vault: Pick<Vault, 'reveal'>;
  settings: DeliverySettings;
  log: Logger;
  metrics: ServiceMetrics;
}) {
  const { prisma, settings, log } = deps;

  async function signingSecrets(merchantId: string): Promise<string[]> {
    const rows = await prisma.merchantWebhookSecret.findMany({
      where: { merchantId, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] },
      orderBy: { createdAt: 'desc' },
    });
    return Promise.all(rows.map((r) => deps.vault.reveal(r.vaultToken, 'WEBHOOK_SECRET')));
  }

  /**
   * The body of an event: the same bytes on every attempt. Its ids are the API's global ids
   * (WebhookEvent.id, Merchant.id), so a receiver joins webhook data to what the API returns.
   */
  const bodyOf = (e: { id: string; type: string; payload: unknown; createdAt: Date; merchantId: string }) =>
    JSON.stringify({
      id: globalId('WebhookEvent', e.id),
      type: e.type,
      createdAt: e.createdAt.toISOString(),
      merchantId: globalId('Merchant', e.merchantId),
      data: e.payload,
    });

  async function deliver(event: { id: string; merchantId: string; type: string; payload: unknown; createdAt: Date; attempts: number }) {
    const merchant = await prisma.merchant.findUniqueOrThrow({ where: { id: event.merchantId }, select: { webhookUrl: true } });
    const attempt = event.attempts + 1;
    const url = merchant.webhookUrl;
    const started = Date.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    if (!url) {
      error = 'the merchant has no webhook URL now';
    } else {
      const body = bodyOf(event);
      try {
        const secrets = await signingSecrets(event.merchantId);
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'wallet-webhooks/1',
            [MERCHANT_SIGNATURE_HEADER]: signWithSecrets(secrets, body, Math.floor(Date.now() / 1000)),
            'wallet-event-id': globalId('WebhookEvent', event.id),
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(settings.timeoutMs),
        });
        statusCode = response.status;
        await response.body?.cancel();
        if (statusCode < 200 || statusCode >= 300) error = `HTTP ${statusCode}`;
      } catch (err) {
        error = (err as Error).name === 'TimeoutError' ? `no answer within ${settings.timeoutMs} ms` : (err as Error).message.slice(0, 300);
      }
    }
    const durationMs = Date.now() - started;
    const delivered = error === null;
    const giveUp = !delivered && Date.now() >= event.createdAt.getTime() + settings.retryForMs;
    await prisma.$transaction([
      prisma.merchantWebhookDelivery.create({ data: { eventId: event.id, attempt, url: url ?? '', statusCode, error, durationMs } }),
      prisma.merchantWebhookEvent.update({
        where: { id: event.id },
        data: {
          attempts: attempt,
          status: delivered ? 'DELIVERED' : giveUp ? 'FAILED' : 'PENDING',
          deliveredAt: delivered ? new Date() : null,
          lastError: error,
          nextAttemptAt: new Date(Date.now() + (delivered || giveUp ? 0 : backoffDelayMs(attempt, settings.retryBaseMs))),
        },
      }),
    ]);
    deps.metrics.webhookDelivery(delivered ? 'delivered' : giveUp ? 'gave_up' : 'failed', attempt > 1, durationMs / 1000);
    if (!delivered) log.info({ eventId: event.id, attempt, error, giveUp }, 'merchant webhook not delivered');
  }

  return deliver;
}
