// Admin-only reads, and the roles of users.
import { builder } from '../schema/builder.js';
import { AdminSetUserRolesInput, AdminSetUserRolesPayload, UserRef } from '../schema/user.js';
import { payload } from './payload.js';
import { pageRequest, toConnection } from './pagination.js';
import { stepUpRequired } from './stepUp.js';

builder.queryField('users', (t) =>
  t.connection(
    {
      type: UserRef,
      description: 'All accounts, newest first (admins only).',
      authScopes: { admin: true },
      args: { emailPrefix: t.arg.string({ required: false, description: 'Only emails starting with this.' }) },
      resolve: async (_root, args, ctx) =>
        toConnection(await ctx.services.accounts.listUsers(pageRequest(args), { emailPrefix: args.emailPrefix ?? undefined })),
    },
    { name: 'UserConnection' },
    { name: 'UserEdge' },
  ),
);

builder.mutationField('adminSetUserRoles', (t) =>
  t.field({
    type: AdminSetUserRolesPayload,
    description:
      "Sets a user's roles (admins only; USER is always kept). Takes effect on the user's next request, with the tokens they already hold.",
    authScopes: { admin: true },
    args: { input: t.arg({ type: AdminSetUserRolesInput, required: true }) },
    resolve: stepUpRequired('ADMIN', async (_root, { input }, ctx) =>
      payload(await ctx.services.accounts.setRoles(ctx.viewer!.userId, input.userId.id, input.roles), (user) => ({ user })),
    ),
  }),
);
