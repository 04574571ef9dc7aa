// Wallet reads (wallets and transactions by id, a user's wallets, history, what a walletUpdated
// event links to) and wallet administration.
import { builder } from '../schema/builder.js';
import { MoneyRef } from '../schema/money.js';
import {
  AdminSetWalletStatusInput,
  AdminSetWalletStatusPayload,
  OpenWalletInput,
  OpenWalletPayload,
  TransactionFilterInput,
} from '../schema/transfers.js';
import { UserRef } from '../schema/user.js';
import { TransactionRef, WalletEventRef, WalletRef } from '../schema/wallet.js';
import type { GraphQLContext } from '../schema/context.js';
import { notFound } from '../services/errors.js';
import { parseTransactionFilter } from '../services/history/history.js';
import { decodeSequenceCursor } from '../services/pagination.js';
import { viewerOf } from './actors.js';
import { loadNodeWith } from './nodes.js';
import { pageRequest, toConnection } from './pagination.js';
import { payload } from './payload.js';
import { stepUpRequired } from './stepUp.js';

loadNodeWith(WalletRef, (id, ctx) => (ctx.viewer ? ctx.services.wallets.getVisible(viewerOf(ctx.viewer), id) : null));

// A party sees it from their own wallet; an admin sees any (as RiskReview.transaction and AmlCase.transactions show it).
loadNodeWith(TransactionRef, (id, ctx) => (ctx.viewer ? ctx.services.history.viewVisible(viewerOf(ctx.viewer), id) : null));

builder.objectField(TransactionRef, 'wallet', (t) =>
  t.field({
    type: WalletRef,
    resolve: async (tx, _args, ctx) => (await ctx.loaders.wallet.load(tx.walletId))!,
  }),
);

builder.objectFields(WalletEventRef, (t) => ({
  wallet: t.field({
    type: WalletRef,
    description: 'The wallet as it is now (balance includes holds).',
    resolve: async (e, _args, ctx) => {
      ctx.loaders.wallet.clear(e.walletId);
      return (await ctx.loaders.wallet.load(e.walletId))!;
    },
  }),
  transaction: t.field({
    type: TransactionRef,
    resolve: async (e, _args, ctx) => (await ctx.services.history.view(e.walletId, e.transactionId, ctx.viewer!.userId))!,
  }),
}));

/** The wallet if the viewer may see it; NOT_FOUND otherwise, so ids of others cannot be probed. */
async function visibleWallet(ctx: GraphQLContext, walletId: string) {
  const wallet = await ctx.services.wallets.getVisible(viewerOf(ctx.viewer!), walletId);
  if (!wallet) throw notFound('Wallet');
  return wallet;
}

builder.objectField(UserRef, 'wallets', (t) =>
  t.field({
    type: [WalletRef],
    description: 'One wallet per currency, oldest first.',
    resolve: (user, _args, ctx) => ctx.loaders.walletsOfUser.load(user.id),
  }),
);

builder.queryField('wallet', (t) =>
  t.field({
    type: WalletRef,
    authScopes: { authenticated: true },
    args: { id: t.arg.globalID({ required: true, for: WalletRef }) },
    resolve: (_root, { id }, ctx) => visibleWallet(ctx, id.id),
  }),
);

builder.queryField('transactions', (t) =>
  t.connection(
    {
      type: TransactionRef,
      description: "A wallet's transactions, newest first. Pages stay stable while new transactions arrive.",
      authScopes: { authenticated: true },
      args: {
        walletId: t.arg.globalID({ required: true, for: WalletRef }),
        filter: t.arg({ type: TransactionFilterInput, required: false }),
      },
      resolve: async (_root, args, ctx) => {
        const wallet = await visibleWallet(ctx, args.walletId.id);
        const page = pageRequest(args, (c) => decodeSequenceCursor(c) !== null);
        const filter = parseTransactionFilter(args.filter, wallet.currency);
        return toConnection(await ctx.services.history.list(wallet.id, ctx.viewer!.userId, page, filter));
      },
    },
    { name: 'TransactionConnection' },
    { name: 'TransactionEdge' },
  ),
);

builder.queryField('balanceAt', (t) =>
  t.field({
    type: MoneyRef,
    description: "The wallet's posted balance as it was at that moment, from the ledger.",
    authScopes: { authenticated: true },
    args: { walletId: t.arg.globalID({ required: true, for: WalletRef }), at: t.arg({ type: 'DateTime', required: true }) },
    resolve: async (_root, args, ctx) => {
      const wallet = await visibleWallet(ctx, args.walletId.id);
      return { amount: await ctx.services.wallets.balanceAt(wallet.id, args.at), currency: wallet.currency };
    },
  }),
);

builder.mutationField('openWallet', (t) =>
  t.field({
    type: OpenWalletPayload,
    description: 'Opens a wallet in another currency (one per currency).',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: OpenWalletInput, required: true }) },
    resolve: async (_root, { input }, ctx) =>
      payload(await ctx.services.wallets.open(ctx.viewer!.userId, input.currency), (wallet) => ({ wallet })),
  }),
);

builder.mutationField('adminSetWalletStatus', (t) =>
  t.field({
    type: AdminSetWalletStatusPayload,
    description: 'Freezes, unfreezes or closes a user wallet (admins only). A frozen wallet can neither send nor receive.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: AdminSetWalletStatusInput, required: true }) },
    resolve: stepUpRequired('ADMIN', async (_root, { input }, ctx) => {
      const wallet = await ctx.services.wallets.setStatus(ctx.viewer!.userId, input.walletId.id, input.status);
      return wallet
        ? { wallet, userErrors: [] }
        : { userErrors: [{ field: ['input', 'walletId'], code: 'NOT_FOUND' as const, message: 'No user wallet with that id.' }] };
    }),
  }),
);
