// Risk reviews: loading one, the admins' queue and decisions.
import { builder } from '../schema/builder.js';
import { DecideRiskReviewInput, DecideRiskReviewPayload, RiskReviewRef, RiskReviewStatusEnum } from '../schema/risk.js';
import { loadNodeWith } from './nodes.js';
import { pageRequest, toConnection } from './pagination.js';
import { payload } from './payload.js';

loadNodeWith(RiskReviewRef, (id, ctx) => (ctx.viewer?.roles.includes('ADMIN') ? ctx.services.riskReviews.get(id) : null));

builder.queryField('riskReviewQueue', (t) =>
  t.connection(
    {
      type: RiskReviewRef,
      description: 'Admins: transfers held by the risk rules, oldest first (PENDING unless another status is asked for).',
      authScopes: { admin: true },
      args: { status: t.arg({ type: RiskReviewStatusEnum, required: false, defaultValue: 'PENDING' }) },
      resolve: async (_root, args, ctx) => toConnection(await ctx.services.riskReviews.list({ status: args.status }, pageRequest(args))),
    },
    { name: 'RiskReviewConnection' },
    { name: 'RiskReviewEdge' },
  ),
);

builder.mutationField('decideRiskReview', (t) =>
  t.field({
    type: DecideRiskReviewPayload,
    description: 'Admins: APPROVE a held transfer (it is posted now) or DECLINE it (the hold is released and nothing moves).',
    authScopes: { admin: true },
    args: { input: t.arg({ type: DecideRiskReviewInput, required: true }) },
    resolve: async (_root, { input }, ctx) =>
      payload(await ctx.services.riskReviews.decide(ctx.viewer!.userId, { ...input, reviewId: input.reviewId.id }), (review) => ({
        review,
      })),
  }),
);
