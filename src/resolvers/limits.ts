// The viewer's KYC tier and limits.
import { builder } from '../schema/builder.js';
import { MyLimitsRef } from '../schema/limits.js';

builder.queryField('myLimits', (t) =>
  t.field({
    type: MyLimitsRef,
    description: 'Your verification tier, and each limit of each of your wallets with what is used and left.',
    authScopes: { authenticated: true },
    resolve: (_root, _args, ctx) => ctx.services.limits.forUser(ctx.viewer!.userId),
  }),
);
