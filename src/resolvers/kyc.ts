// KYC: submit, status, live updates, loading a case and its decisions, and the admins' review
// queue and decisions.
import { builder } from '../schema/builder.js';
import {
  AddressRef,
  DecideKycInput,
  DocumentRef,
  DecideKycPayload,
  KycCaseDecisionRef,
  KycCaseRef,
  KycStatusRef,
  SubmitKycInput,
  SubmitKycPayload,
} from '../schema/kyc.js';
import { badUserInput, notFound } from '../services/errors.js';
import { topics, type KycChanged } from '../services/events/topics.js';
import { loadNodeWith } from './nodes.js';
import { pageRequest, toConnection } from './pagination.js';
import { payload } from './payload.js';
import { stepUpRequired } from './stepUp.js';

loadNodeWith(KycCaseRef, (id, ctx) =>
  ctx.viewer ? ctx.services.kyc.get({ userId: ctx.viewer.userId, admin: ctx.viewer.roles.includes('ADMIN') }, id) : null,
);

// The identity is sealed in the vault: opened (one query per operation, for every case shown) only when asked for.
builder.objectFields(KycCaseRef, (t) => ({
  legalName: t.string({ resolve: async (c, _args, ctx) => (await ctx.loaders.kycIdentity.load(c)).legalName }),
  dateOfBirth: t.string({
    description: 'YYYY-MM-DD.',
    resolve: async (c, _args, ctx) => (await ctx.loaders.kycIdentity.load(c)).dateOfBirth,
  }),
  address: t.field({ type: AddressRef, resolve: async (c, _args, ctx) => (await ctx.loaders.kycIdentity.load(c)).address }),
  document: t.field({
    type: DocumentRef,
    nullable: true,
    resolve: async (c, _args, ctx) => (await ctx.loaders.kycIdentity.load(c)).document,
  }),
}));

builder.objectField(KycCaseRef, 'decisions', (t) =>
  t.field({
    type: [KycCaseDecisionRef],
    authScopes: { admin: true },
    description: 'Admins only: every decision with who and why.',
    resolve: (c, _args, ctx) => ctx.services.kyc.decisions(c.id),
  }),
);

builder.mutationField('submitKyc', (t) =>
  t.field({
    type: SubmitKycPayload,
    description: 'Asks for a higher tier. The case is PENDING until the KYC provider decides (kycUpdated).',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: SubmitKycInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      if (input.level === 'TIER_0') throw badUserInput('level must be TIER_1 or TIER_2.', 'input');
      return payload(await ctx.services.kyc.submit(ctx.viewer!.userId, { ...input, level: input.level }), (kycCase) => ({ kycCase }));
    },
  }),
);

builder.queryField('kycStatus', (t) =>
  t.field({
    type: KycStatusRef,
    description: 'Your tier and your latest KYC case.',
    authScopes: { authenticated: true },
    resolve: (_root, _args, ctx) => ctx.services.kyc.status(ctx.viewer!.userId),
  }),
);

builder.subscriptionField('kycUpdated', (t) =>
  t.field({
    type: KycCaseRef,
    description: 'Your KYC cases as they are submitted and decided.',
    authScopes: { authenticated: true },
    subscribe: (_root, _args, ctx) => ctx.services.pubsub.subscribe<KycChanged>(topics.kyc(ctx.viewer!.userId)),
    resolve: async (event: KycChanged, _args, ctx) => {
      const kycCase = await ctx.services.kyc.get({ userId: ctx.viewer!.userId, admin: false }, event.caseId);
      if (!kycCase) throw notFound('KycCase');
      return kycCase;
    },
  }),
);

builder.queryField('kycReviewQueue', (t) =>
  t.connection(
    {
      type: KycCaseRef,
      description: 'Admins: cases the KYC provider referred for manual review, oldest first.',
      authScopes: { admin: true },
      resolve: async (_root, args, ctx) => toConnection(await ctx.services.kyc.reviewQueue(pageRequest(args))),
    },
    { name: 'KycCaseConnection' },
    { name: 'KycCaseEdge' },
  ),
);

builder.mutationField('decideKyc', (t) =>
  t.field({
    type: DecideKycPayload,
    description: 'Admins: approve or reject a case waiting for review. The decision is recorded with you and your reason.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: DecideKycInput, required: true }) },
    resolve: stepUpRequired('ADMIN', async (_root, { input }, ctx) =>
      payload(await ctx.services.kyc.decide(ctx.viewer!.userId, { ...input, caseId: input.caseId.id }), (kycCase) => ({ kycCase })),
    ),
  }),
);
