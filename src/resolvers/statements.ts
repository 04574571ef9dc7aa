// Statements (for a period, and the monthly ones), their lines and download links, and spending
// insights. A viewer sees these for their own wallets (an admin for any user wallet), as for the
// wallet itself: another's wallet id is NOT_FOUND.
import type { GraphQLContext } from '../schema/context.js';
import { builder } from '../schema/builder.js';
import {
  InsightsPayload,
  MonthlyStatementRef,
  SpendingInsightsRef,
  StatementDownloadRef,
  StatementFormatEnum,
  StatementLineRef,
  StatementPayload,
  StatementPeriodInput,
  StatementRef,
} from '../schema/statements.js';
import { TransactionRef, WalletRef } from '../schema/wallet.js';
import { notFound } from '../services/errors.js';
import { decodeLineCursor, decodeMonthCursor } from '../services/statements/statements.js';
import { viewerOf } from './actors.js';
import { loadNodeWith } from './nodes.js';
import { pageRequest, toConnection } from './pagination.js';
import { payload } from './payload.js';

async function visibleWallet(ctx: GraphQLContext, walletId: string) {
  const wallet = await ctx.services.wallets.getVisible(viewerOf(ctx.viewer!), walletId);
  if (!wallet) throw notFound('Wallet');
  return wallet;
}

loadNodeWith(MonthlyStatementRef, async (id, ctx) => {
  if (!ctx.viewer) return null;
  const statement = await ctx.services.statements.monthlyById(id);
  if (!statement) return null;
  return (await ctx.services.wallets.getVisible(viewerOf(ctx.viewer), statement.walletId)) ? statement : null;
});

builder.objectFields(StatementRef, (t) => ({
  wallet: t.field({ type: WalletRef, resolve: async (s, _args, ctx) => (await ctx.loaders.wallet.load(s.walletId))! }),
  lines: t.connection(
    {
      type: StatementLineRef,
      description: 'The posted transactions, oldest first.',
      resolve: async (s, args, ctx) => {
        const page = await ctx.services.statements.linesPage(
          s,
          pageRequest(args, (c) => decodeLineCursor(c) !== null),
        );
        return toConnection({
          ...page,
          items: page.items.map((item) => ({ ...item, node: { ...item.node, currency: s.currency, walletId: s.walletId } })),
        });
      },
    },
    { name: 'StatementLineConnection' },
    { name: 'StatementLineEdge' },
  ),
  downloadUrl: t.field({
    type: StatementDownloadRef,
    description: 'A short-lived link that downloads this statement as CSV or PDF, for you (your session) only.',
    args: { format: t.arg({ type: StatementFormatEnum, required: true }) },
    resolve: (s, args, ctx) =>
      ctx.services.statements.downloadUrl({ userId: ctx.viewer!.userId, sessionId: ctx.viewer!.sessionId }, s, args.format),
  }),
}));

builder.objectField(StatementLineRef, 'transaction', (t) =>
  t.field({
    type: TransactionRef,
    resolve: async (l, _args, ctx) => {
      const view = await ctx.services.history.view(l.walletId, l.transactionId, ctx.viewer!.userId);
      if (!view) throw notFound('Transaction');
      return view;
    },
  }),
);

builder.queryField('statement', (t) =>
  t.field({
    type: StatementPayload,
    description:
      'The statement of a wallet for a calendar month or a range of days, from the ledger as it is now. Bad periods are userErrors naming the field.',
    authScopes: { authenticated: true },
    args: {
      walletId: t.arg.globalID({ required: true, for: WalletRef }),
      period: t.arg({ type: StatementPeriodInput, required: true }),
    },
    resolve: async (_root, args, ctx) => {
      const wallet = await visibleWallet(ctx, args.walletId.id);
      return payload(await ctx.services.statements.forPeriod(wallet, args.period), (statement) => ({ statement }));
    },
  }),
);

builder.queryField('statements', (t) =>
  t.connection(
    {
      type: MonthlyStatementRef,
      description: "The wallet's monthly statements, newest first (made after each month ends, in your time zone).",
      authScopes: { authenticated: true },
      args: { walletId: t.arg.globalID({ required: true, for: WalletRef }) },
      resolve: async (_root, args, ctx) => {
        const wallet = await visibleWallet(ctx, args.walletId.id);
        const page = pageRequest(args, (c) => decodeMonthCursor(c) !== null);
        return toConnection(await ctx.services.statements.monthly(wallet.id, page));
      },
    },
    { name: 'MonthlyStatementConnection' },
    { name: 'MonthlyStatementEdge' },
  ),
);

builder.queryField('insights', (t) =>
  t.field({
    type: InsightsPayload,
    description: "A month's spending insights for a wallet, in your time zone. A bad or future month is a userError.",
    authScopes: { authenticated: true },
    args: {
      walletId: t.arg.globalID({ required: true, for: WalletRef }),
      month: t.arg.string({ required: true, description: '"YYYY-MM", e.g. "2026-11".' }),
    },
    resolve: async (_root, args, ctx) => {
      const wallet = await visibleWallet(ctx, args.walletId.id);
      return payload(await ctx.services.insights.forMonth(wallet, args.month), (insights) => ({ insights }));
    },
  }),
);

builder.objectFields(SpendingInsightsRef, (t) => ({
  wallet: t.field({ type: WalletRef, resolve: async (i, _args, ctx) => (await ctx.loaders.wallet.load(i.walletId))! }),
  largestTransactions: t.field({
    type: [TransactionRef],
    description: 'The five largest transactions of the month, either way, largest first.',
    resolve: async (i, _args, ctx) => {
      const views = await Promise.all(i.largest.map((l) => ctx.services.history.view(i.walletId, l.transactionId, ctx.viewer!.userId)));
      return views.filter((v) => v !== null);
    },
  }),
}));
