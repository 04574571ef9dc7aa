// Live updates over WebSocket. Each subscription only ever listens to the viewer's own topics.
import { builder } from '../schema/builder.js';
import { UserRef } from '../schema/user.js';
import { topics, type ProfileChanged } from '../services/events/topics.js';
import { notFound } from '../services/errors.js';

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
