// POST /webhooks/<provider>: the card and bank processors' results, and the KYC provider's decisions. Only a body signed with one of the
// provider's secrets, within the time tolerance, is read at all; then the event is applied
// (services/funding) and acknowledged with 2xx, also when it was a duplicate or matched nothing,
// so the processor stops retrying. A failure while applying answers 500, so it retries.
import { z } from 'zod';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Provider } from '../services/funding/funding.js';
import type { KycWebhookEvent, WebhookEvent } from '../services/gateways/gateways.js';
import type { Services } from '../services/index.js';
import { verifySignature } from '../services/webhooks/signature.js';

const eventSchema = z.object({
  id: z.string().min(1).max(255),
  type: z
    .string()
    .regex(/^[a-z_]+\.[a-z_]+$/)
    .max(64),
  created: z.number().int().nonnegative(),
  data: z.object({
    reference: z.string().min(1).max(255),
    providerRef: z.string().min(1).max(255),
    amount: z.string().regex(/^\d{1,19}$/),
    currency: z.string().regex(/^[A-Z]{3}$/),
    failureCode: z.string().max(64).optional(),
    failureMessage: z.string().max(500).optional(),
  }),
}) satisfies z.ZodType<WebhookEvent>;

const kycEventSchema = z.object({
  id: z.string().min(1).max(255),
  type: z
    .string()
    .regex(/^kyc\.[a-z_]+$/)
    .max(64),
  created: z.number().int().nonnegative(),
  data: z.object({
    reference: z.string().min(1).max(255),
    providerRef: z.string().min(1).max(255),
    reason: z.string().max(500).optional(),
  }),
}) satisfies z.ZodType<KycWebhookEvent>;

export async function receiveWebhook(
  deps: { services: Services; config: Config; log: Logger },
  provider: Provider | 'kyc',
  header: string | string[] | undefined,
  body: Buffer,
): Promise<{ status: number; body: unknown }> {
  const refuse = (status: number, code: string, message: string) => {
    deps.log.warn({ provider, code }, 'webhook refused');
    return { status, body: { error: { code, message } } };
  };
  const verified = verifySignature({
    header,
    body,
    secrets: deps.services.webhookSecrets[provider],
    nowSeconds: Math.floor(Date.now() / 1000),
    toleranceSeconds: deps.config.WEBHOOK_TOLERANCE_SECONDS,
  });
  if (!verified.ok) return refuse(400, `SIGNATURE_${verified.problem}`, verified.message);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return refuse(400, 'MALFORMED_EVENT', 'The body is not JSON.');
  }
  const event = provider === 'kyc' ? kycEventSchema.safeParse(parsed) : eventSchema.safeParse(parsed);
  if (!event.success) return refuse(400, 'MALFORMED_EVENT', 'The body is not a webhook event this server understands.');
  const outcome =
    provider === 'kyc'
      ? await deps.services.kyc.handleWebhook(event.data as KycWebhookEvent)
      : await deps.services.funding.handleWebhook(provider, event.data as WebhookEvent);
  deps.log.info({ provider, eventId: event.data.id, type: event.data.type, outcome }, 'webhook received');
  return { status: 200, body: { received: true, outcome } };
}
