// AML cases: loading one, its transactions, the admins' list and decisions.
import { builder } from '../schema/builder.js';
import { AmlCaseRef, AmlCaseStatusEnum, DecideAmlCaseInput, DecideAmlCasePayload } from '../schema/aml.js';
import { TransactionRef } from '../schema/wallet.js';
import { viewerOf } from './actors.js';
import { loadNodeWith } from './nodes.js';
import { pageRequest, toConnection } from './pagination.js';
import { payload } from './payload.js';
import { stepUpRequired } from './stepUp.js';

loadNodeWith(AmlCaseRef, (id, ctx) => (ctx.viewer?.roles.includes('ADMIN') ? ctx.services.aml.get(id) : null));

builder.objectField(AmlCaseRef, 'transactions', (t) =>
  t.field({
    type: [TransactionRef],
    description: "The ledger transactions involved, each seen from a user's wallet in it (as node(id:) shows it to an admin).",
    resolve: async (c, _args, ctx) => {
      const viewer = viewerOf(ctx.viewer!);
      const views = await Promise.all(
        (await ctx.services.aml.transactionIds(c.id)).map((id) => ctx.services.history.viewVisible(viewer, id)),
      );
      return views.filter((v) => v !== null);
    },
  }),
);

builder.queryField('amlCases', (t) =>
  t.connection(
    {
      type: AmlCaseRef,
      description: 'Admins: AML cases, oldest first; filter by status (OPEN to work the queue).',
      authScopes: { admin: true },
      args: { status: t.arg({ type: AmlCaseStatusEnum, required: false }) },
      resolve: async (_root, args, ctx) => toConnection(await ctx.services.aml.list({ status: args.status }, pageRequest(args))),
    },
    { name: 'AmlCaseConnection' },
    { name: 'AmlCaseEdge' },
  ),
);

builder.mutationField('decideAmlCase', (t) =>
  t.field({
    type: DecideAmlCasePayload,
    description: 'Admins: CLEAR a case (a false positive; a sanctions freeze is lifted) or CONFIRM it (wallets stay frozen).',
    authScopes: { admin: true },
    args: { input: t.arg({ type: DecideAmlCaseInput, required: true }) },
    resolve: stepUpRequired('ADMIN', async (_root, { input }, ctx) =>
      payload(await ctx.services.aml.decide(ctx.viewer!.userId, { ...input, caseId: input.caseId.id }), (amlCase) => ({ amlCase })),
    ),
  }),
);
