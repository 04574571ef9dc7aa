// The signed-in user's own account: me, profile edits, credential changes, sessions; loading a
// user or a session by id.
import { builder } from '../schema/builder.js';
import {
  ChangeEmailInput,
  ChangeEmailPayload,
  ChangePasswordInput,
  ChangePasswordPayload,
  RevokeSessionInput,
  RevokeSessionPayload,
  UpdateProfileInput,
  UpdateProfilePayload,
} from '../schema/auth.js';
import type { GraphQLContext } from '../schema/context.js';
import { RoleEnum, SessionRef, UserRef, type UserParent } from '../schema/user.js';
import type { UserRecord } from '../services/accounts/accounts.js';
import { notFound } from '../services/errors.js';
import { loadNodeWith } from './nodes.js';
import { pageRequest, toConnection } from './pagination.js';
import { payload } from './payload.js';
import { stepUpRequired } from './stepUp.js';

// Yourself, or anyone for an admin.
loadNodeWith(UserRef, (id, ctx) => {
  const v = ctx.viewer;
  if (!v || (v.userId !== id && !v.roles.includes('ADMIN'))) return null;
  return ctx.loaders.user.load(id);
});

// Only the owner can load a session through node(id).
loadNodeWith(SessionRef, (id, ctx) => (ctx.viewer ? ctx.services.sessions.get(ctx.viewer.userId, id) : null));

builder.queryField('me', (t) =>
  t.field({
    type: UserRef,
    description: 'The signed-in user.',
    authScopes: { authenticated: true },
    // The session vouches for the user (users are never deleted): the record is loaded only if a
    // profile field is asked for (recordOf, below).
    resolve: (_root, _args, ctx) => ({ id: ctx.viewer!.userId }),
  }),
);

/** The user's record: the one the parent holds, or loaded (batched per request) for an id alone. */
async function recordOf(user: UserParent, ctx: GraphQLContext): Promise<UserRecord> {
  if (user.email !== undefined) return user as UserRecord;
  const record = await ctx.loaders.user.load(user.id);
  if (!record) throw notFound('User');
  return record;
}

builder.objectFields(UserRef, (t) => ({
  email: t.string({ resolve: async (u, _args, ctx) => (await recordOf(u, ctx)).email }),
  displayName: t.string({ resolve: async (u, _args, ctx) => (await recordOf(u, ctx)).displayName }),
  phone: t.string({
    nullable: true,
    description: 'E.164, e.g. "+14155550123".',
    resolve: async (u, _args, ctx) => (await recordOf(u, ctx)).phone,
  }),
  roles: t.field({ type: [RoleEnum], resolve: async (u, _args, ctx) => (await recordOf(u, ctx)).roles }),
  timeZone: t.string({
    description: 'IANA time zone your statements and insights count days and months in (updateProfile sets it).',
    resolve: async (u, _args, ctx) => (await recordOf(u, ctx)).timeZone,
  }),
  createdAt: t.field({ type: 'DateTime', resolve: async (u, _args, ctx) => (await recordOf(u, ctx)).createdAt }),
  emailVerified: t.boolean({
    description:
      'Whether the current email was confirmed with a code sent to it (requestEmailVerification, verifyEmail); a new email is not.',
    resolve: async (u, _args, ctx) => (await recordOf(u, ctx)).emailVerifiedAt !== null,
  }),
  phoneVerified: t.boolean({
    description: 'Whether the current phone was confirmed with a texted code (requestPhoneVerification, verifyPhone); TIER_1 KYC needs it.',
    resolve: async (u, _args, ctx) => (await recordOf(u, ctx)).phoneVerifiedAt !== null,
  }),
  mfaEnabled: t.boolean({
    description: 'Whether sign-in and the risky actions ask for a code from an authenticator app (enrolMfa, confirmMfa).',
    resolve: async (u, _args, ctx) => (await ctx.services.mfa.enabledFor([u.id]))[0]!,
  }),
}));

builder.objectField(UserRef, 'sessions', (t) =>
  t.connection(
    {
      type: SessionRef,
      description: 'Signed-in devices, newest first. Only on your own user.',
      args: { includeRevoked: t.arg.boolean({ required: false, defaultValue: false }) },
      authScopes: (user, _args, ctx) => ctx.viewer?.userId === user.id,
      resolve: async (user, args, ctx) =>
        toConnection(await ctx.services.sessions.list(user.id, pageRequest(args), { includeRevoked: args.includeRevoked ?? false })),
    },
    { name: 'SessionConnection' },
    { name: 'SessionEdge' },
  ),
);

builder.mutationField('updateProfile', (t) =>
  t.field({
    type: UpdateProfilePayload,
    description:
      'Changes your display name or phone. A new phone is not verified; changing it needs a recent second factor (stepUp) once you ' +
      'have MFA or a verified contact, since step-up codes can be sent to it.',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: UpdateProfileInput, required: true }) },
    resolve: async (_root, { input }, ctx) => payload(await ctx.services.accounts.updateProfile(ctx.viewer!, input), (user) => ({ user })),
  }),
);

builder.mutationField('changePassword', (t) =>
  t.field({
    type: ChangePasswordPayload,
    description:
      'Sets a new password after checking the current one, and signs out your other sessions. Sends soon after are reviewed more strictly.',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: ChangePasswordInput, required: true }) },
    resolve: stepUpRequired('USER', async (_root, { input }, ctx) =>
      payload(await ctx.services.accounts.changePassword(ctx.viewer!.userId, ctx.viewer!.sessionId, input, ctx.client), (v) => v),
    ),
  }),
);

builder.mutationField('changeEmail', (t) =>
  t.field({
    type: ChangeEmailPayload,
    description: 'Moves your account to a new email after checking your password. Sends soon after are reviewed more strictly.',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: ChangeEmailInput, required: true }) },
    resolve: stepUpRequired('USER', async (_root, { input }, ctx) =>
      payload(await ctx.services.accounts.changeEmail(ctx.viewer!.userId, input, ctx.client), (user) => ({ user })),
    ),
  }),
);

builder.mutationField('revokeSession', (t) =>
  t.field({
    type: RevokeSessionPayload,
    description: 'Signs one of your devices out.',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: RevokeSessionInput, required: true }) },
    resolve: async (_root, { input }, ctx) =>
      payload(await ctx.services.sessions.revokeOwn(ctx.viewer!.userId, input.sessionId.id), (session) => ({ session })),
  }),
);
