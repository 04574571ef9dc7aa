// Admin-only reads.
import { builder } from '../schema/builder.js';
import { UserRef } from '../schema/user.js';
import { pageRequest, toConnection } from './pagination.js';

builder.queryField('users', (t) =>
  t.connection({
    type: UserRef,
    description: 'All accounts, newest first (admins only).',
    authScopes: { admin: true },
    args: { emailPrefix: t.arg.string({ required: false, description: 'Only emails starting with this.' }) },
    resolve: async (_root, args, ctx) =>
      toConnection(await ctx.services.accounts.listUsers(pageRequest(args), { emailPrefix: args.emailPrefix ?? undefined })),
  }, { name: 'UserConnection' }, { name: 'UserEdge' }),
);
