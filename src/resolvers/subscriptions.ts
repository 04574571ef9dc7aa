// Live updates over WebSocket. Each subscription only ever listens to the viewer's own topics.
import { builder } from '../schema/builder.js';
import { UserRef } from '../schema/user.js';
import { TransactionRef, WalletEventRef, WalletRef } from '../schema/wallet.js';
import { badUserInput, notFound } from '../services/errors.js';
import { openWalletFeed, ReplayTooLongError, walletNotActive, type WalletFeedEvent } from '../services/events/walletFeed.js';
import { topics, type ProfileChanged, type TransactionChanged } from '../services/events/topics.js';
import { viewerOf } from './actors.js';

builder.subscriptionField('meUpdated', (t) =>
  t.field({
    type: UserRef,
    description: 'Your profile, each time it changes.',
    authScopes: { authenticated: true },
    subscribe: (_root, _args, ctx) => ctx.services.pubsub.subscribe<ProfileChanged>(topics.profile(ctx.viewer!.userId)),
    resolve: async (event, _args, ctx) => {
      // Read fresh rather than trusting the event, so a late event never shows stale data.
      ctx.loaders.user.clear(event.userId);
      const user = await ctx.loaders.user.load(event.userId);
      if (!user) throw notFound('User');
      return user;
    },
  }),
);

builder.subscriptionField('walletUpdated', (t) =>
  t.field({
    type: WalletEventRef,
    description:
      'Every committed change to one of your wallets, in sequence order, without gaps or repeats. ' +
      'Pass afterSequence (the last sequence you saw) to first receive what you missed.',
    authScopes: { authenticated: true },
    args: {
      walletId: t.arg.globalID({ required: true, for: WalletRef }),
      afterSequence: t.arg({ type: 'BigInt', required: false }),
    },
    subscribe: async (_root, args, ctx) => {
      const wallet = await ctx.services.wallets.getVisible(viewerOf(ctx.viewer!), args.walletId.id, { fromDatabase: true });
      if (!wallet || wallet.userId !== ctx.viewer!.userId) throw notFound('Wallet');
      if (wallet.status !== 'ACTIVE') throw walletNotActive(wallet.status);
      if (args.afterSequence != null && args.afterSequence < 0n) throw badUserInput('afterSequence must not be negative.', 'afterSequence');
      // A sequence the wallet has not reached yet (another wallet's, a typo) would silently skip
      // every change up to it.
      if (args.afterSequence != null && args.afterSequence > wallet.sequence) {
        throw badUserInput(`afterSequence is ahead of the wallet's latest change (${wallet.sequence}).`, 'afterSequence');
      }
      try {
        return await openWalletFeed(ctx.services, wallet, args.afterSequence ?? null);
      } catch (err) {
        if (err instanceof ReplayTooLongError) throw badUserInput(err.message, 'afterSequence');
        throw err;
      }
    },
    resolve: (event: WalletFeedEvent) => event,
  }),
);

builder.subscriptionField('transactionUpdated', (t) =>
  t.field({
    type: TransactionRef,
    description: 'Your transactions as they are created or change status, seen from your wallet.',
    authScopes: { authenticated: true },
    subscribe: (_root, _args, ctx) => ctx.services.pubsub.subscribe<TransactionChanged>(topics.transactions(ctx.viewer!.userId)),
    resolve: async (event, _args, ctx) => {
      const view = await ctx.services.history.view(event.walletId, event.transactionId, ctx.viewer!.userId);
      if (!view) throw notFound('Transaction');
      return view;
    },
  }),
);
