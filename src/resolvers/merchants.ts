// Merchants: registration and members, payment requests, paying them, refunds, the merchant's
// payments and the live feeds (a checkout's request, a merchant's payments arriving), loading a
// merchant, payment, refund or receipt by id, and the fields of Merchant, PaymentRequest and
// MerchantPayment that are read through a service. Thin: the services decide and authorise.
// Fields a partner may use with an API key say so with `apiScope` (the key acts as STAFF of its
// own merchant).
import { merchantActor, optionalActor } from './actors.js';
import { builder } from '../schema/builder.js';
import {
  AddMerchantMemberInput,
  AddMerchantMemberPayload,
  CreatePaymentRequestInput,
  MerchantBalanceRef,
  MerchantMemberRef,
  MerchantPaymentFilterInput,
  MerchantPaymentRef,
  MerchantRef,
  MerchantRefundRef,
  PaymentReceiptRef,
  PaymentRequestPayload,
  PaymentRequestRef,
  PayPaymentRequestInput,
  PayPaymentRequestPayload,
  RefundPaymentInput,
  RefundPaymentPayload,
  RegisterMerchantInput,
  RegisterMerchantPayload,
  SetMerchantCategoryCodePayload,
  SettlementLineRef,
} from '../schema/merchants.js';
import { badUserInput, notFound } from '../services/errors.js';
import type { Resync } from '../services/events/pubsub.js';
import { catchUpThenLive } from '../services/events/catchUp.js';
import { startWith } from '../services/events/startWith.js';
import { topics, type MerchantPaymentReceived, type PaymentRequestChanged } from '../services/events/topics.js';
import { fromPublishedPayment, type MerchantPaymentRecord } from '../services/merchants/model.js';
import { loadNodeWith } from './nodes.js';
import { pageRequest, toConnection } from './pagination.js';
import { payload } from './payload.js';

// A merchant is loaded through the caller's membership (or API key), with their role.
loadNodeWith(MerchantRef, (id, ctx) => {
  const actor = optionalActor(ctx);
  return actor ? ctx.services.merchants.forActor(actor, id) : null;
});

builder.objectFields(MerchantRef, (t) => ({
  members: t.field({
    type: [MerchantMemberRef],
    description: 'OWNER only (empty for STAFF).',
    resolve: (m, _a, ctx) => (m.role === 'OWNER' ? ctx.services.merchants.members(m.id) : []),
  }),
  balances: t.field({ type: [MerchantBalanceRef], resolve: (m, _a, ctx) => ctx.services.merchants.balances(m.id) }),
  staticPaymentRequest: t.field({
    type: PaymentRequestRef,
    description: 'The static QR code to print: the payer enters the amount; it never expires.',
    resolve: (m, _a, ctx) => ctx.services.paymentRequests.staticFor(m.id),
  }),
  settlement: t.field({
    type: [SettlementLineRef],
    args: { day: t.arg.string({ required: true, description: 'A UTC day, YYYY-MM-DD.' }) },
    resolve: (m, { day }, ctx) => ctx.services.merchantPayments.settlement(m.id, day),
  }),
}));

builder.objectFields(PaymentRequestRef, (t) => ({
  url: t.string({
    description: 'The payment link (the hosted payment page).',
    resolve: (r, _a, ctx) => ctx.services.paymentRequests.urlOf(r.code),
  }),
  qrCodePngUrl: t.string({ resolve: (r, _a, ctx) => `${ctx.services.paymentRequests.urlOf(r.code)}.png` }),
  qrCodeSvgUrl: t.string({ resolve: (r, _a, ctx) => `${ctx.services.paymentRequests.urlOf(r.code)}.svg` }),
  qrCodeDataUrl: t.string({
    description: 'The QR code as a PNG data URL (data:image/png;base64,…), encoding `url`.',
    resolve: (r, _a, ctx) => ctx.services.paymentRequests.qrDataUrl(r.code),
  }),
  reference: t.string({
    nullable: true,
    description: "The merchant's own reference (order number); null unless you are a member of the merchant.",
    resolve: async (r, _a, ctx) => {
      const actor = optionalActor(ctx);
      return actor && (await ctx.services.merchants.forActor(actor, r.merchantId)) ? r.reference : null;
    },
  }),
}));

// A payment is loaded for members of its merchant (or its API key) only.
loadNodeWith(MerchantPaymentRef, async (id, ctx) => {
  const actor = optionalActor(ctx);
  const payment = actor ? await ctx.services.merchantPayments.get(id) : null;
  return payment && (await ctx.services.merchants.forActor(actor!, payment.merchantId)) ? payment : null;
});

// A refund likewise, through its payment's merchant.
loadNodeWith(MerchantRefundRef, async (id, ctx) => {
  const actor = optionalActor(ctx);
  const refund = actor ? await ctx.services.merchantPayments.getRefund(id) : null;
  return refund && (await ctx.services.merchants.forActor(actor!, refund.merchantId)) ? refund : null;
});

// A receipt is the payer's alone.
loadNodeWith(PaymentReceiptRef, async (id, ctx) => {
  if (!ctx.viewer) return null;
  const payment = await ctx.services.merchantPayments.get(id);
  return payment && payment.payerId === ctx.viewer.userId ? payment : null;
});

builder.objectField(MerchantPaymentRef, 'refunds', (t) =>
  t.field({ type: [MerchantRefundRef], resolve: (p, _a, ctx) => ctx.services.merchantPayments.refundsOf(p.id) }),
);

builder.queryField('myMerchants', (t) =>
  t.field({
    type: [MerchantRef],
    description: 'The merchants you are a member of (with an API key: its merchant).',
    authScopes: { authenticated: true, apiScope: 'payments:read' },
    resolve: async (_root, _args, ctx) => {
      const actor = merchantActor(ctx);
      if (actor.kind === 'user') return ctx.services.merchants.listForUser(actor.userId);
      const own = await ctx.services.merchants.forActor(actor, actor.merchantId);
      return own ? [own] : [];
    },
  }),
);

builder.queryField('paymentRequest', (t) =>
  t.field({
    type: PaymentRequestRef,
    nullable: true,
    description: 'A payment request by its code (what the QR code or link carries); null if there is none.',
    authScopes: { authenticated: true, apiScope: 'payments:read' },
    args: { code: t.arg.string({ required: true }) },
    resolve: (_root, { code }, ctx) => ctx.services.paymentRequests.byCode(code),
  }),
);

builder.queryField('merchantPayments', (t) =>
  t.connection(
    {
      type: MerchantPaymentRef,
      description: 'Payments your merchant received, newest first.',
      authScopes: { authenticated: true, apiScope: 'payments:read' },
      args: {
        merchantId: t.arg.globalID({ required: true, for: MerchantRef }),
        filter: t.arg({ type: MerchantPaymentFilterInput, required: false }),
      },
      resolve: async (_root, args, ctx) => {
        const merchant = await ctx.services.merchants.forActor(merchantActor(ctx), args.merchantId.id);
        if (!merchant) throw notFound('Merchant');
        if (args.filter?.from && args.filter.to && args.filter.from > args.filter.to)
          throw badUserInput('filter.from is after filter.to.', 'filter.from');
        return toConnection(await ctx.services.merchantPayments.list(merchant.id, pageRequest(args), args.filter ?? {}));
      },
    },
    { name: 'MerchantPaymentConnection' },
    { name: 'MerchantPaymentEdge' },
  ),
);

builder.mutationField('registerMerchant', (t) =>
  t.field({
    type: RegisterMerchantPayload,
    description: 'Registers a business with you as its OWNER; it gets a wallet in its settlement currency and a static QR code.',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: RegisterMerchantInput, required: true }) },
    resolve: async (_root, { input }, ctx) =>
      payload(await ctx.services.merchants.register(ctx.viewer!.userId, input), (v) => ({
        merchant: { ...v.merchant, role: 'OWNER' as const },
        webhookSecret: v.webhookSecret,
      })),
  }),
);

builder.mutationField('setMerchantCategoryCode', (t) =>
  t.field({
    type: SetMerchantCategoryCodePayload,
    description: "OWNER only: the merchant's ISO 18245 category code, which files its payments in payers' spending insights.",
    authScopes: { authenticated: true },
    args: {
      merchantId: t.arg.globalID({ required: true, for: MerchantRef }),
      categoryCode: t.arg.string({ required: true, description: 'Four digits, e.g. "5411" (grocery stores).' }),
    },
    resolve: async (_root, args, ctx) =>
      payload(await ctx.services.merchants.setCategoryCode(ctx.viewer!.userId, args.merchantId.id, args.categoryCode), (merchant) => ({
        merchant,
      })),
  }),
);

builder.mutationField('addMerchantMember', (t) =>
  t.field({
    type: AddMerchantMemberPayload,
    description: 'OWNER only: adds a user (by email) as OWNER or STAFF, or changes their role.',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: AddMerchantMemberInput, required: true }) },
    resolve: async (_root, { input }, ctx) =>
      payload(await ctx.services.merchants.addMember(ctx.viewer!.userId, { ...input, merchantId: input.merchantId.id }), (member) => ({
        member,
      })),
  }),
);

builder.mutationField('createPaymentRequest', (t) =>
  t.field({
    type: PaymentRequestPayload,
    description: 'A payment link and QR code for an amount (or an open amount), single or multiple use.',
    authScopes: { authenticated: true, apiScope: 'payments:write' },
    args: { input: t.arg({ type: CreatePaymentRequestInput, required: true }) },
    resolve: async (_root, { input }, ctx) =>
      payload(
        await ctx.services.paymentRequests.create(merchantActor(ctx), { ...input, merchantId: input.merchantId.id }),
        (paymentRequest) => ({ paymentRequest }),
      ),
  }),
);

builder.mutationField('cancelPaymentRequest', (t) =>
  t.field({
    type: PaymentRequestPayload,
    description: 'Stops an open payment request from being paid.',
    authScopes: { authenticated: true, apiScope: 'payments:write' },
    args: { code: t.arg.string({ required: true }) },
    resolve: async (_root, { code }, ctx) =>
      payload(await ctx.services.paymentRequests.cancel(merchantActor(ctx), code), (paymentRequest) => ({ paymentRequest })),
  }),
);

builder.mutationField('payPaymentRequest', (t) =>
  t.field({
    type: PayPaymentRequestPayload,
    description: 'Pays a payment request from your wallet (limits and risk rules as for sendMoney). Exactly once per idempotencyKey.',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: PayPaymentRequestInput, required: true }) },
    resolve: async (_root, { input }, ctx) =>
      payload(await ctx.services.merchantPayments.pay(ctx.viewer!.userId, input, { deviceId: ctx.client.deviceId }), (v) => ({
        payment: v.payment,
        transfer: v.transfer,
        replayed: v.replayed,
      })),
  }),
);

builder.mutationField('refundPayment', (t) =>
  t.field({
    type: RefundPaymentPayload,
    description: 'Gives a payment back, in full or in part, as a new REFUND transaction; never more than was paid in total.',
    authScopes: { authenticated: true, apiScope: 'refunds:write' },
    args: { input: t.arg({ type: RefundPaymentInput, required: true }) },
    resolve: async (_root, { input }, ctx) =>
      payload(await ctx.services.merchantPayments.refund(merchantActor(ctx), { ...input, paymentId: input.paymentId.id }), (v) => ({
        refund: v.refund,
        payment: v.payment,
        replayed: v.replayed,
      })),
  }),
);

builder.subscriptionField('paymentRequestUpdated', (t) =>
  t.field({
    type: PaymentRequestRef,
    description:
      "A payment request as it is paid, cancelled or expires: for the payer's and the merchant's checkout screens. " +
      'The first event is its state when the subscription starts, so a screen that subscribes after the payment still sees it.',
    authScopes: { authenticated: true, apiScope: 'payments:read' },
    args: { code: t.arg.string({ required: true }) },
    subscribe: async (_root, { code }, ctx) => {
      const request = await ctx.services.paymentRequests.byCode(code);
      if (!request) throw notFound('Payment request');
      // RESYNC after an outage of the pub/sub: a change may have been missed, the state is read again.
      const live = await ctx.services.pubsub.subscribe<PaymentRequestChanged | Resync>(topics.paymentRequest(request.id), { resync: true });
      // Listening already: the state read for the first event is at least as new as anything missed.
      return startWith<PaymentRequestChanged | Resync | typeof CURRENT_STATE>(CURRENT_STATE, live);
    },
    // Every event is read fresh by its code: events may arrive out of order, the row is the truth.
    resolve: async (_event, { code }, ctx) => (await ctx.services.paymentRequests.byCode(code))!,
  }),
);

/** The first event of paymentRequestUpdated: "send the state as it is now". */
const CURRENT_STATE = Object.freeze({ current: true as const });

/** How many payments merchantPaymentReceived's `after` sends at most before the live ones. */
const CATCH_UP_LIMIT = 50;

type MerchantPaymentEvent = MerchantPaymentReceived | { missed: MerchantPaymentRecord };

builder.subscriptionField('merchantPaymentReceived', (t) =>
  t.field({
    type: MerchantPaymentRef,
    description:
      'Each payment your merchant receives, as it is committed, to any of its payment requests: for a till or a back office. ' +
      'Members of the merchant (or its API key) only; it ends with the session or key that opened it. ' +
      'Payments made before it starts are in merchantPayments; with catchUp, those committed after the newest one you read ' +
      'there (`after`) come first, so none falls between your read and the subscription.',
    authScopes: { authenticated: true, apiScope: 'payments:read' },
    args: {
      merchantId: t.arg.globalID({ required: true, for: MerchantRef }),
      catchUp: t.arg.boolean({
        required: false,
        defaultValue: false,
        description: `First send the payments committed after \`after\` (oldest first, at most ${CATCH_UP_LIMIT}), then the live ones, none twice.`,
      }),
      after: t.arg.globalID({
        required: false,
        for: MerchantPaymentRef,
        description: "With catchUp: the newest payment you have (merchantPayments' first node); none (null) when your list was empty.",
      }),
    },
    subscribe: async (_root, args, ctx) => {
      const merchant = await ctx.services.merchants.forActor(merchantActor(ctx), args.merchantId.id);
      if (!merchant) throw notFound('Merchant');
      const live = await ctx.services.pubsub.subscribe<MerchantPaymentEvent>(topics.merchantPayments(merchant.id));
      if (!args.catchUp) return live;
      // Listening already: a payment committed from now on arrives live; the read finds those before.
      const newest = await ctx.services.merchantPayments
        .list(merchant.id, { limit: CATCH_UP_LIMIT, backward: false })
        .catch(async (err) => {
          await live.return?.();
          throw err;
        });
      const since = newest.items.map((item) => item.node);
      const known = args.after ? since.findIndex((p) => p.id === args.after!.id) : -1;
      const missed = (known === -1 ? since : since.slice(0, known)).reverse().map((p) => ({ missed: p }));
      return catchUpThenLive<MerchantPaymentEvent>(missed, live, (e) => ('missed' in e ? e.missed.id : e.payment.id));
    },
    // A live event carries the payment as it was committed: no read per payment and subscriber.
    resolve: (event: MerchantPaymentEvent) => ('missed' in event ? event.missed : fromPublishedPayment(event.payment)),
  }),
);
