// Risk reviews: loading one, what it links to, the admins' queue and decisions.
import { builder } from '../schema/builder.js';
import { DecideRiskReviewInput, DecideRiskReviewPayload, RiskReviewRef, RiskReviewStatusEnum } from '../schema/risk.js';
import type { GraphQLContext } from '../schema/context.js';
import { TransactionRef, WalletRef } from '../schema/wallet.js';
import { notFound } from '../services/errors.js';
import { loadNodeWith } from './nodes.js';
import { pageRequest, toConnection } from './pagination.js';
import { payload } from './payload.js';
import { stepUpRequired } from './stepUp.js';

loadNodeWith(RiskReviewRef, (id, ctx) => (ctx.viewer?.roles.includes('ADMIN') ? ctx.services.riskReviews.get(id) : null));

// What a reviewer follows: the held transfer (seen from the sender's wallet) and both wallets.
builder.objectFields(RiskReviewRef, (t) => ({
  transaction: t.field({
    type: TransactionRef,
    description: "The held transfer, seen from the sender's wallet.",
    resolve: async (r, _args, ctx) => {
      const view = await ctx.services.history.view(r.transaction.fromWalletId, r.transactionId, ctx.viewer!.userId);
      if (!view) throw notFound('Transaction');
      return view;
    },
  }),
  fromWallet: t.field({
    type: WalletRef,
    description: "The sender's wallet.",
    resolve: (r, _args, ctx) => walletOf(ctx, r.transaction.fromWalletId),
  }),
  toWallet: t.field({
    type: WalletRef,
    description: "The recipient's wallet.",
    resolve: (r, _args, ctx) => walletOf(ctx, r.transaction.toWalletId),
  }),
}));

async function walletOf(ctx: GraphQLContext, walletId: string) {
  const wallet = await ctx.loaders.wallet.load(walletId);
  if (!wallet) throw notFound('Wallet');
  return wallet;
}

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
    resolve: stepUpRequired('ADMIN', async (_root, { input }, ctx) =>
      payload(await ctx.services.riskReviews.decide(ctx.viewer!.userId, { ...input, reviewId: input.reviewId.id }), (review) => ({
        review,
      })),
    ),
  }),
);
