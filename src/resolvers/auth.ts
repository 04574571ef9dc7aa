// Sign-up, sign-in (with MFA: verifyMfa), token refresh, sign-out, and MFA itself: enrol, confirm,
// disable, step up.
import { builder } from '../schema/builder.js';
import {
  ConfirmMfaInput,
  ConfirmMfaPayload,
  DisableMfaInput,
  DisableMfaPayload,
  EnrolMfaPayload,
  RefreshSessionInput,
  RefreshSessionPayload,
  SignInInput,
  SignInPayload,
  SignOutInput,
  SignOutPayload,
  SignUpInput,
  SignUpPayload,
  StepUpInput,
  StepUpPayload,
  VerifyMfaInput,
  VerifyMfaPayload,
} from '../schema/auth.js';
import type { GraphQLContext } from '../schema/context.js';
import type { SignedIn } from '../services/accounts/accounts.js';
import type { SessionTokens } from '../services/auth/sessions.js';
import type { Outcome } from '../services/errors.js';
import type { Role } from '../services/auth/accessTokens.js';
import { payload } from './payload.js';
import { stepUpRequired } from './stepUp.js';

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
    resolve: async (_root, { input }, ctx) => {
      const outcome = await ctx.services.accounts.signIn(input, ctx.client);
      if (outcome.ok && 'mfaChallenge' in outcome.value) {
        return {
          mfaChallenge: outcome.value.mfaChallenge,
          userErrors: [
            {
              field: null,
              code: 'MFA_REQUIRED' as const,
              message: 'Enter the code from your authenticator app (or a recovery code) with verifyMfa and mfaChallenge.',
            },
          ],
        };
      }
      return signedIn(ctx, outcome as Outcome<SignedIn>);
    },
  }),
);

builder.mutationField('verifyMfa', (t) =>
  t.field({
    type: VerifyMfaPayload,
    description: "Completes a sign-in that answered MFA_REQUIRED: signIn's challenge and a code. The new session counts as stepped up.",
    args: { input: t.arg({ type: VerifyMfaInput, required: true }) },
    resolve: async (_root, { input }, ctx) => signedIn(ctx, await ctx.services.accounts.verifyMfa(input, ctx.client)),
  }),
);

builder.mutationField('enrolMfa', (t) =>
  t.field({
    type: EnrolMfaPayload,
    description: 'Starts TOTP enrolment: a new secret as an otpauth:// URI and QR code. MFA is on only after confirmMfa.',
    authScopes: { authenticated: true },
    resolve: async (_root, _args, ctx) => {
      const user = await ctx.loaders.user.load(ctx.viewer!.userId);
      return payload(await ctx.services.mfa.enrol(ctx.viewer!.userId, user?.email ?? ctx.viewer!.userId), (enrolment) => ({ enrolment }));
    },
  }),
);

builder.mutationField('confirmMfa', (t) =>
  t.field({
    type: ConfirmMfaPayload,
    description: 'Turns MFA on with the first code from the authenticator app; answers ten one-time recovery codes, shown only here.',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: ConfirmMfaInput, required: true }) },
    resolve: async (_root, { input }, ctx) =>
      payload(await ctx.services.mfa.confirm(ctx.viewer!.userId, ctx.viewer!.sessionId, input.code, ctx.client), (v) => v),
  }),
);

builder.mutationField('disableMfa', (t) =>
  t.field({
    type: DisableMfaPayload,
    description: 'Turns MFA off with a code from the authenticator app or a recovery code. Needs a recent second factor (stepUp).',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: DisableMfaInput, required: true }) },
    resolve: stepUpRequired('USER', async (_root, { input }: { input: { code: string } }, ctx) =>
      payload(await ctx.services.mfa.disable(ctx.viewer!.userId, input.code, ctx.client), () => ({ user: { id: ctx.viewer!.userId } })),
    ),
  }),
);

builder.mutationField('stepUp', (t) =>
  t.field({
    type: StepUpPayload,
    description:
      'Proves the second factor again on this session, for the actions that answer STEP_UP_REQUIRED (withdraw, payment methods, ' +
      'API keys, email, phone and password changes, disabling MFA, admin money actions) for STEP_UP_MINUTES: a code from the ' +
      'authenticator app (or a recovery code), or for an account without MFA the code requestStepUpCode sent.',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: StepUpInput, required: true }) },
    resolve: async (_root, { input }, ctx) =>
      payload(await ctx.services.mfa.stepUp(ctx.viewer!.userId, ctx.viewer!.sessionId, input.code, ctx.client), (v) => v),
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
