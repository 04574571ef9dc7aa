// Sign-up, sign-in, token refresh and sign-out.
import { builder } from '../schema/builder.js';
import {
  RefreshSessionInput,
  RefreshSessionPayload,
  SignInInput,
  SignInPayload,
  SignOutInput,
  SignOutPayload,
  SignUpInput,
  SignUpPayload,
} from '../schema/auth.js';
import type { GraphQLContext } from '../schema/context.js';
import type { SessionTokens } from '../services/auth/sessions.js';
import type { Outcome } from '../services/errors.js';
import type { Role } from '../services/auth/accessTokens.js';
import { payload } from './payload.js';

/**
 * After a successful sign-in the rest of this response belongs to the newly signed-in user,
 * so the payload's `user` (and its own fields) are authorised as theirs.
 */
function signedIn<T extends { user: { id: string; roles: Role[] } | null; tokens: SessionTokens }>(
  ctx: GraphQLContext,
  outcome: Outcome<T>,
) {
  if (outcome.ok && outcome.value.user) {
    const { user, tokens } = outcome.value;
    ctx.viewer = {
      userId: user.id,
      sessionId: tokens.sessionId,
      roles: user.roles,
      tokenExpiresAt: Math.floor(tokens.accessTokenExpiresAt.getTime() / 1000),
    };
  }
  return payload(outcome, (v) => v);
}

builder.mutationField('signUp', (t) =>
  t.field({
    type: SignUpPayload,
    args: { input: t.arg({ type: SignUpInput, required: true }) },
    resolve: async (_root, { input }, ctx) => signedIn(ctx, await ctx.services.accounts.signUp(input, ctx.client)),
  }),
);

builder.mutationField('signIn', (t) =>
  t.field({
    type: SignInPayload,
    args: { input: t.arg({ type: SignInInput, required: true }) },
    resolve: async (_root, { input }, ctx) => signedIn(ctx, await ctx.services.accounts.signIn(input, ctx.client)),
  }),
);

builder.mutationField('refreshSession', (t) =>
  t.field({
    type: RefreshSessionPayload,
    args: { input: t.arg({ type: RefreshSessionInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const outcome = await ctx.services.sessions.refresh(input.refreshToken, ctx.client);
      if (!outcome.ok) return payload(outcome, () => ({}));
      const user = await ctx.loaders.user.load(outcome.value.userId);
      return signedIn(ctx, { ok: true, value: { user, tokens: outcome.value.tokens } });
    },
  }),
);

builder.mutationField('signOut', (t) =>
  t.field({
    type: SignOutPayload,
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: SignOutInput, required: false }) },
    resolve: async (_root, { input }, ctx) => {
      const viewer = ctx.viewer!;
      const revokedSessionCount = input?.allSessions
        ? await ctx.services.sessions.revokeAll(viewer.userId, 'SIGNED_OUT_EVERYWHERE')
        : Number(await ctx.services.sessions.revoke(viewer.userId, viewer.sessionId, 'SIGNED_OUT'));
      return { revokedSessionCount, userErrors: [] };
    },
  }),
);
