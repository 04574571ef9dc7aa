// Verified email and phone, step-up codes for users without MFA, and password reset: each field
// calls one service (src/services/auth/contactVerification.ts, stepUpCodes.ts, passwordReset.ts).
import { builder } from '../schema/builder.js';
import {
  CodeSentPayload,
  RequestPasswordResetInput,
  RequestPasswordResetPayload,
  RequestStepUpCodeInput,
  ResetPasswordInput,
  ResetPasswordPayload,
  VerifyContactInput,
  VerifyContactPayload,
} from '../schema/verification.js';
import { payload } from './payload.js';

for (const [channel, noun, request, verify] of [
  ['EMAIL', 'email address', 'requestEmailVerification', 'verifyEmail'],
  ['SMS', 'phone number', 'requestPhoneVerification', 'verifyPhone'],
] as const) {
  builder.mutationField(request, (t) =>
    t.field({
      type: CodeSentPayload,
      description: `Sends a 6-digit code to your ${noun} (ONE_TIME_CODE_MINUTES); confirm it with ${verify}. Throttled per address and per IP.`,
      authScopes: { authenticated: true },
      resolve: async (_root, _args, ctx) =>
        payload(await ctx.services.contactVerification.request(ctx.viewer!.userId, channel, ctx.client), (v) => ({ ...v, channel })),
    }),
  );
  builder.mutationField(verify, (t) =>
    t.field({
      type: VerifyContactPayload,
      description: `Confirms your ${noun} with the code ${request} sent. This session counts as stepped up (STEP_UP_MINUTES).`,
      authScopes: { authenticated: true },
      args: { input: t.arg({ type: VerifyContactInput, required: true }) },
      resolve: async (_root, { input }, ctx) =>
        payload(
          await ctx.services.contactVerification.verify(ctx.viewer!.userId, ctx.viewer!.sessionId, channel, input.code, ctx.client),
          () => ({ user: { id: ctx.viewer!.userId } }),
        ),
    }),
  );
}

builder.mutationField('requestStepUpCode', (t) =>
  t.field({
    type: CodeSentPayload,
    description:
      'For accounts without MFA: sends a one-time code to a verified email or phone; send it to stepUp to do the actions that ' +
      'answer STEP_UP_REQUIRED. Works on this session only. CONTACT_VERIFICATION_REQUIRED when no contact is verified.',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: RequestStepUpCodeInput, required: false }) },
    resolve: async (_root, { input }, ctx) =>
      payload(await ctx.services.stepUpCodes.request(ctx.viewer!, input?.channel ?? null, ctx.client), (v) => v),
  }),
);

builder.mutationField('requestPasswordReset', (t) =>
  t.field({
    type: RequestPasswordResetPayload,
    description:
      'Emails a link to reset the password (PASSWORD_RESET_MINUTES, once) if an account has the address. The answer is the same ' +
      'either way, and so is its timing. Throttled per address and per IP.',
    args: { input: t.arg({ type: RequestPasswordResetInput, required: true }) },
    resolve: async (_root, { input }, ctx) => payload(await ctx.services.passwordReset.request(input.email, ctx.client), (v) => v),
  }),
);

builder.mutationField('resetPassword', (t) =>
  t.field({
    type: ResetPasswordPayload,
    description:
      "Sets a new password with a reset link's token (and, for an account with MFA, a code from the authenticator app), " +
      'and signs out every session. Sign in with the new password afterwards.',
    args: { input: t.arg({ type: ResetPasswordInput, required: true }) },
    resolve: async (_root, { input }, ctx) => payload(await ctx.services.passwordReset.reset(input, ctx.client), (v) => v),
  }),
);
