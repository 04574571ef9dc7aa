// Adding funds, withdrawing, the viewer's deposits and withdrawals (with what they link to), and
// their live status.
import { builder } from '../schema/builder.js';
import {
  AddFundsInput,
  AddFundsPayload,
  AdminRefundDepositInput,
  AdminRefundDepositPayload,
  FundingOperationRef,
  WithdrawInput,
  WithdrawPayload,
} from '../schema/funding.js';
import { PaymentMethodRef } from '../schema/paymentMethods.js';
import { TransactionRef } from '../schema/wallet.js';
import { notFound } from '../services/errors.js';
import { topics, type FundingChanged } from '../services/events/topics.js';
import { viewerOf } from './actors.js';
import { loadNodeWith } from './nodes.js';
import { pageRequest, toConnection } from './pagination.js';
import { payload } from './payload.js';
import { stepUpRequired } from './stepUp.js';

// The owner's, and any for an admin (adminRefundDeposit returns users' operations).
loadNodeWith(FundingOperationRef, (id, ctx) => (ctx.viewer ? ctx.services.funding.getVisible(viewerOf(ctx.viewer), id) : null));

builder.objectFields(FundingOperationRef, (t) => ({
  paymentMethod: t.field({
    type: PaymentMethodRef,
    nullable: true,
    description: 'Null once the method was removed.',
    resolve: (f, _args, ctx) => ctx.services.paymentMethods.get(f.userId, f.paymentMethodId),
  }),
  transaction: t.field({
    type: TransactionRef,
    nullable: true,
    description: 'The ledger transaction that posted the money.',
    resolve: (f, _args, ctx) => (f.transactionId ? ctx.services.history.view(f.walletId, f.transactionId, f.userId) : null),
  }),
  reversalTransaction: t.field({
    type: TransactionRef,
    nullable: true,
    resolve: (f, _args, ctx) => (f.reversalTransactionId ? ctx.services.history.view(f.walletId, f.reversalTransactionId, f.userId) : null),
  }),
  refundOf: t.field({
    type: FundingOperationRef,
    nullable: true,
    description: 'For a refund to a card (kind WITHDRAWAL, paid to the card): the top-up it pays back.',
    resolve: (f, _args, ctx) => (f.refundOfId ? ctx.services.funding.get(f.userId, f.refundOfId) : null),
  }),
}));

builder.mutationField('addFunds', (t) =>
  t.field({
    type: AddFundsPayload,
    description:
      'Tops up your wallet from a card or verified bank account. Answers at once with a PENDING deposit; ' +
      'it becomes SUCCEEDED (money posted) or FAILED when the processor reports back (fundingUpdated).',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: AddFundsInput, required: true }) },
    resolve: async (_root, { input }, ctx) =>
      payload(
        await ctx.services.funding.addFunds(ctx.viewer!.userId, { ...input, paymentMethodId: input.paymentMethodId.id }),
        ({ operation, replayed }) => ({ funding: operation, replayed }),
      ),
  }),
);

builder.mutationField('withdraw', (t) =>
  t.field({
    type: WithdrawPayload,
    description:
      'Pays money out to a verified bank account. The amount is held at once (available drops); when the bank ' +
      'settles it is posted, when it fails the hold is released, and a later return puts it back as a reversal.',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: WithdrawInput, required: true }) },
    resolve: stepUpRequired('USER', async (_root, { input }, ctx) =>
      payload(
        await ctx.services.funding.withdraw(ctx.viewer!.userId, { ...input, bankAccountId: input.bankAccountId.id }),
        ({ operation, replayed }) => ({ funding: operation, replayed }),
      ),
    ),
  }),
);

builder.mutationField('adminRefundDeposit', (t) =>
  t.field({
    type: AdminRefundDepositPayload,
    description:
      "Pays (part of) a user's card top-up back to the card (admins only). The amount is held on their wallet at once " +
      'and posted as a REFUND when the processor confirms; refunds of one top-up never add up to more than it.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: AdminRefundDepositInput, required: true }) },
    resolve: stepUpRequired('ADMIN', async (_root, { input }, ctx) =>
      payload(
        await ctx.services.funding.refundDeposit(ctx.viewer!.userId, { ...input, fundingId: input.fundingId.id }),
        ({ operation, replayed }) => ({ funding: operation, replayed }),
      ),
    ),
  }),
);

builder.queryField('fundingOperations', (t) =>
  t.connection(
    {
      type: FundingOperationRef,
      description: 'Your deposits and withdrawals, newest first.',
      authScopes: { authenticated: true },
      resolve: async (_root, args, ctx) => toConnection(await ctx.services.funding.list(ctx.viewer!.userId, pageRequest(args))),
    },
    { name: 'FundingOperationConnection' },
    { name: 'FundingOperationEdge' },
  ),
);

builder.subscriptionField('fundingUpdated', (t) =>
  t.field({
    type: FundingOperationRef,
    description: 'Your deposits and withdrawals as they are created and change status.',
    authScopes: { authenticated: true },
    subscribe: (_root, _args, ctx) => ctx.services.pubsub.subscribe<FundingChanged>(topics.funding(ctx.viewer!.userId)),
    resolve: async (event: FundingChanged, _args, ctx) => {
      // Read fresh: events may arrive out of order, the row is the truth.
      const funding = await ctx.services.funding.get(ctx.viewer!.userId, event.fundingId);
      if (!funding) throw notFound('FundingOperation');
      return funding;
    },
  }),
);
