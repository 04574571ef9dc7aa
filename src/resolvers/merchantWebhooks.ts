// A merchant's outgoing webhooks: the delivery log, redelivery, its URL and signing secret. OWNER only.
import { builder } from '../schema/builder.js';
import { MerchantRef } from '../schema/merchants.js';
import {
  RedeliverWebhookEventPayload,
  RollWebhookSecretPayload,
  SetWebhookUrlPayload,
  WebhookDeliveryStatusEnum,
  WebhookEventRef,
} from '../schema/merchantWebhooks.js';
import type { WebhookEventRecord } from '../services/merchants/merchantWebhooks.js';
import { loadNodeWith } from './nodes.js';
import { pageRequest, toConnection } from './pagination.js';
import { payload } from './payload.js';

// An event is loaded for an OWNER of its merchant, signed in (as Merchant.webhookEvents lists them).
loadNodeWith(WebhookEventRef, (id, ctx) => (ctx.viewer ? ctx.services.merchantWebhooks.getForOwner(ctx.viewer.userId, id) : null));

builder.objectField(MerchantRef, 'webhookEvents', (t) =>
  t.connection(
    {
      type: WebhookEventRef,
      description: 'OWNER only (empty otherwise): events sent to the webhook URL, newest first, with every delivery attempt.',
      args: { status: t.arg({ type: WebhookDeliveryStatusEnum, required: false }) },
      resolve: async (m, args, ctx) => {
        const page = pageRequest(args);
        if (m.role !== 'OWNER') return toConnection<WebhookEventRecord>({ items: [], hasNextPage: false, hasPreviousPage: false });
        return toConnection(await ctx.services.merchantWebhooks.list(m.id, page, args.status));
      },
    },
    { name: 'WebhookEventConnection' },
    { name: 'WebhookEventEdge' },
  ),
);

builder.mutationField('rollWebhookSecret', (t) =>
  t.field({
    type: RollWebhookSecretPayload,
    description:
      'OWNER only: a new signing secret. The current ones keep signing (a second signature) for overlapHours, so receivers can switch without missing a delivery.',
    authScopes: { authenticated: true },
    args: {
      merchantId: t.arg.globalID({ required: true, for: MerchantRef }),
      overlapHours: t.arg.int({ required: false, defaultValue: 24 }),
    },
    resolve: async (_root, args, ctx) =>
      payload(await ctx.services.merchantWebhooks.rollSecret(ctx.viewer!.userId, args.merchantId.id, args.overlapHours ?? 24), (v) => v),
  }),
);

builder.mutationField('setMerchantWebhookUrl', (t) =>
  t.field({
    type: SetWebhookUrlPayload,
    description: 'OWNER only: where events are POSTed (https; http only for localhost); null stops new events.',
    authScopes: { authenticated: true },
    args: {
      merchantId: t.arg.globalID({ required: true, for: MerchantRef }),
      webhookUrl: t.arg.string({ required: false }),
    },
    resolve: async (_root, args, ctx) =>
      payload(await ctx.services.merchantWebhooks.setUrl(ctx.viewer!.userId, args.merchantId.id, args.webhookUrl ?? null), (v) => v),
  }),
);

builder.mutationField('redeliverWebhookEvent', (t) =>
  t.field({
    type: RedeliverWebhookEventPayload,
    description: 'OWNER only: one more delivery of an event now (same id, same body), whatever happened before.',
    authScopes: { authenticated: true },
    args: { eventId: t.arg.globalID({ required: true, for: WebhookEventRef }) },
    resolve: async (_root, args, ctx) =>
      payload(await ctx.services.merchantWebhooks.redeliver(ctx.viewer!.userId, args.eventId.id), (event) => ({ event })),
  }),
);
