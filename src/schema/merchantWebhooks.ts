// A merchant's outgoing webhooks: the delivery log, redelivery, the URL and the signing secret
// (OWNER only). Loading an event: src/resolvers/merchantWebhooks.ts.
import type { UserError } from '../services/errors.js';
import type { WebhookEventRecord } from '../services/merchants/merchantWebhooks.js';
import { builder } from './builder.js';
import { userErrorsField } from './userErrors.js';

export const WebhookDeliveryStatusEnum = builder.enumType('WebhookDeliveryStatus', {
  values: {
    PENDING: { description: 'Not delivered yet; retried with backoff.' },
    DELIVERED: { description: 'The receiver answered 2xx.' },
    FAILED: { description: 'Retried for the whole retry period without a 2xx; redeliver to try again.' },
  } as const,
});

const DeliveryRef = builder.objectRef<WebhookEventRecord['deliveries'][number]>('WebhookDelivery').implement({
  description: 'One attempt to deliver an event.',
  fields: (t) => ({
    attempt: t.exposeInt('attempt'),
    url: t.exposeString('url'),
    statusCode: t.exposeInt('statusCode', { nullable: true, description: 'Null when there was no HTTP answer.' }),
    error: t.exposeString('error', { nullable: true }),
    durationMs: t.exposeInt('durationMs'),
    at: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const WebhookEventRef = builder.objectRef<WebhookEventRecord>('WebhookEvent');
builder.node(WebhookEventRef, {
  description:
    "An event sent to the merchant's webhook URL (its OWNERs only). `id` is the body's `id` and the Wallet-Event-Id header in every delivery of it.",
  id: { resolve: (e) => e.id },
  fields: (t) => ({
    type: t.exposeString('type', { description: 'payment.succeeded, payment.refunded or payment_request.expired.' }),
    status: t.field({ type: WebhookDeliveryStatusEnum, resolve: (e) => e.status }),
    attempts: t.exposeInt('attempts'),
    nextAttemptAt: t.field({ type: 'DateTime', nullable: true, resolve: (e) => (e.status === 'PENDING' ? e.nextAttemptAt : null) }),
    lastError: t.exposeString('lastError', { nullable: true }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true }),
    data: t.string({
      description: "The event's data, as JSON (the `data` of the delivered body).",
      resolve: (e) => JSON.stringify(e.payload),
    }),
    deliveries: t.field({ type: [DeliveryRef], resolve: (e) => e.deliveries }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const RollWebhookSecretPayload = builder
  .objectRef<{ secret?: string | null; userErrors: UserError[] }>('RollWebhookSecretPayload')
  .implement({
    fields: (t) => ({
      secret: t.string({
        nullable: true,
        description: 'The new secret, shown this once. Deliveries carry a signature by each valid secret.',
        resolve: (p) => p.secret ?? null,
      }),
      userErrors: t.field({ ...userErrorsField, resolve: (p) => p.userErrors }),
    }),
  });

export const SetWebhookUrlPayload = builder
  .objectRef<{ webhookUrl?: string | null; userErrors: UserError[] }>('SetWebhookUrlPayload')
  .implement({
    fields: (t) => ({
      webhookUrl: t.string({ nullable: true, resolve: (p) => p.webhookUrl ?? null }),
      userErrors: t.field({ ...userErrorsField, resolve: (p) => p.userErrors }),
    }),
  });

export const RedeliverWebhookEventPayload = builder
  .objectRef<{ event?: WebhookEventRecord | null; userErrors: UserError[] }>('RedeliverWebhookEventPayload')
  .implement({
    fields: (t) => ({
      event: t.field({ type: WebhookEventRef, nullable: true, resolve: (p) => p.event ?? null }),
      userErrors: t.field({ ...userErrorsField, resolve: (p) => p.userErrors }),
    }),
  });
