// Inputs and payloads of the account mutations.
import type { UserRecord } from '../services/accounts/accounts.js';
import type { MfaChallenge, MfaEnrolment } from '../services/auth/mfa.js';
import type { SessionTokens } from '../services/auth/sessions.js';
import type { UserError } from '../services/errors.js';
import { builder } from './builder.js';
import { SessionRef, UserRef } from './user.js';
import { resultPayload, userErrorsField } from './userErrors.js';

export const AuthTokensRef = builder.objectRef<SessionTokens>('AuthTokens').implement({
  description:
    'Send `accessToken` as "Authorization: Bearer <token>" (HTTP) or connectionParams.authorization (WebSocket). ' +
    'Trade `refreshToken` for new tokens with refreshSession before the access token expires; each refresh token works once.',
  fields: (t) => ({
    tokenType: t.string({ resolve: () => 'Bearer' }),
    accessToken: t.exposeString('accessToken'),
    accessTokenExpiresAt: t.expose('accessTokenExpiresAt', { type: 'DateTime' }),
    refreshToken: t.exposeString('refreshToken'),
    refreshTokenExpiresAt: t.expose('refreshTokenExpiresAt', { type: 'DateTime' }),
  }),
});

const userErrors = userErrorsField;

interface AuthPayloadShape {
  user?: UserRecord | null;
  tokens?: SessionTokens | null;
  mfaChallenge?: MfaChallenge | null;
  userErrors: UserError[];
}

function authPayload(name: string, description: string) {
  return builder.objectRef<AuthPayloadShape>(name).implement({
    description,
    fields: (t) => ({
      user: t.field({ type: UserRef, nullable: true, resolve: (p) => p.user ?? null }),
      tokens: t.field({ type: AuthTokensRef, nullable: true, resolve: (p) => p.tokens ?? null }),
      userErrors: t.field({ ...userErrors, resolve: (p) => p.userErrors }),
    }),
  });
}

export const SignUpPayload = authPayload('SignUpPayload', 'The new account and its first session, or why not.');
export const SignInPayload = authPayload(
  'SignInPayload',
  'The account and a new session; INVALID_CREDENTIALS; or, for an account with MFA, MFA_REQUIRED with mfaChallenge (no session yet).',
);

export const MfaChallengeRef = builder.objectRef<MfaChallenge>('MfaChallenge').implement({
  description: 'Send `challenge` with a code from the authenticator app (or a recovery code) to verifyMfa before `expiresAt`.',
  fields: (t) => ({
    challenge: t.exposeString('challenge'),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
  }),
});

builder.objectField(SignInPayload, 'mfaChallenge', (t) =>
  t.field({
    type: MfaChallengeRef,
    nullable: true,
    description: 'With the userError MFA_REQUIRED: the password was right, the second factor is next (verifyMfa).',
    resolve: (p) => p.mfaChallenge ?? null,
  }),
);

export const VerifyMfaPayload = authPayload('VerifyMfaPayload', 'The account and a new session, or INVALID_MFA_CODE.');

export const VerifyMfaInput = builder.inputType('VerifyMfaInput', {
  fields: (t) => ({
    challenge: t.string({ required: true, description: "signIn's mfaChallenge.challenge." }),
    code: t.string({ required: true, description: 'The 6-digit code from the authenticator app, or an unused recovery code.' }),
  }),
});

/** The input of confirmMfa, disableMfa and stepUp: one code. */
function mfaCodeInput(name: string, description: string) {
  return builder.inputType(name, { fields: (t) => ({ code: t.string({ required: true, description }) }) });
}
export const ConfirmMfaInput = mfaCodeInput('ConfirmMfaInput', 'The current 6-digit code from the authenticator app.');
export const DisableMfaInput = mfaCodeInput('DisableMfaInput', 'A 6-digit code from the authenticator app, or an unused recovery code.');
export const StepUpInput = mfaCodeInput(
  'StepUpInput',
  'A 6-digit code from the authenticator app, or an unused recovery code; without MFA, the code requestStepUpCode sent.',
);

export const MfaEnrolmentRef = builder.objectRef<MfaEnrolment>('MfaEnrolment').implement({
  description: 'Shown once. Scan `qrCode` (or type `secret`) into an authenticator app, then confirmMfa with its first code.',
  fields: (t) => ({
    otpauthUri: t.exposeString('otpauthUri', { description: 'otpauth://totp/… (RFC 6238: SHA-1, 6 digits, 30 s).' }),
    qrCode: t.exposeString('qrCode', { description: 'The URI as a QR code: a PNG data URL.' }),
    secret: t.exposeString('secret', { description: 'The secret in base32, for apps that cannot scan.' }),
  }),
});

export const EnrolMfaPayload = resultPayload('EnrolMfaPayload', 'enrolment', MfaEnrolmentRef);

export const ConfirmMfaPayload = builder.objectRef<{ recoveryCodes?: string[]; userErrors: UserError[] }>('ConfirmMfaPayload').implement({
  fields: (t) => ({
    recoveryCodes: t.stringList({
      nullable: true,
      description: 'Ten one-time codes for when the authenticator is lost. Shown this once: ask the user to keep them safe.',
      resolve: (p) => p.recoveryCodes ?? null,
    }),
    userErrors: t.field({ ...userErrors, resolve: (p) => p.userErrors }),
  }),
});

export const DisableMfaPayload = resultPayload('DisableMfaPayload', 'user', UserRef);

export const StepUpPayload = builder.objectRef<{ validUntil?: Date; userErrors: UserError[] }>('StepUpPayload').implement({
  fields: (t) => ({
    validUntil: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Until when this session may do the actions that need a recent second factor (STEP_UP_MINUTES).',
      resolve: (p) => p.validUntil ?? null,
    }),
    userErrors: t.field({ ...userErrors, resolve: (p) => p.userErrors }),
  }),
});
export const RefreshSessionPayload = authPayload('RefreshSessionPayload', 'New tokens; the refresh token sent is now used up.');

export const SignUpInput = builder.inputType('SignUpInput', {
  fields: (t) => ({
    email: t.string({ required: true }),
    password: t.string({ required: true, description: 'At least 10 characters, not a commonly used password.' }),
    displayName: t.string({ required: true }),
    phone: t.string({ required: false, description: 'International format with country code, e.g. "+14155550123".' }),
  }),
});

export const SignInInput = builder.inputType('SignInInput', {
  fields: (t) => ({
    email: t.string({ required: true }),
    password: t.string({ required: true }),
  }),
});

export const RefreshSessionInput = builder.inputType('RefreshSessionInput', {
  fields: (t) => ({ refreshToken: t.string({ required: true }) }),
});

export const SignOutInput = builder.inputType('SignOutInput', {
  fields: (t) => ({
    allSessions: t.boolean({ required: false, defaultValue: false, description: 'Sign out every device, not only this one.' }),
  }),
});

export const SignOutPayload = builder.objectRef<{ revokedSessionCount: number; userErrors: UserError[] }>('SignOutPayload').implement({
  fields: (t) => ({
    revokedSessionCount: t.exposeInt('revokedSessionCount'),
    userErrors: t.field({ ...userErrors, resolve: (p) => p.userErrors }),
  }),
});

export const UpdateProfileInput = builder.inputType('UpdateProfileInput', {
  fields: (t) => ({
    displayName: t.string({ required: false }),
    phone: t.string({ required: false, description: 'E.164 phone; null removes it.' }),
    timeZone: t.string({
      required: false,
      description: 'IANA time zone name ("Europe/Paris"): the days and months of your statements and insights. UTC until set.',
    }),
  }),
});

export const UpdateProfilePayload = resultPayload('UpdateProfilePayload', 'user', UserRef);

export const ChangePasswordInput = builder.inputType('ChangePasswordInput', {
  fields: (t) => ({
    currentPassword: t.string({ required: true }),
    newPassword: t.string({ required: true, description: 'At least 10 characters, not a commonly used password.' }),
  }),
});

export const ChangePasswordPayload = builder
  .objectRef<{ revokedSessionCount?: number; userErrors: UserError[] }>('ChangePasswordPayload')
  .implement({
    fields: (t) => ({
      revokedSessionCount: t.int({
        nullable: true,
        description: 'Your other sessions, now signed out.',
        resolve: (p) => p.revokedSessionCount ?? null,
      }),
      userErrors: t.field({ ...userErrors, resolve: (p) => p.userErrors }),
    }),
  });

export const ChangeEmailInput = builder.inputType('ChangeEmailInput', {
  fields: (t) => ({
    newEmail: t.string({ required: true }),
    password: t.string({ required: true, description: 'Your current password.' }),
  }),
});

export const ChangeEmailPayload = resultPayload('ChangeEmailPayload', 'user', UserRef);

export const RevokeSessionInput = builder.inputType('RevokeSessionInput', {
  fields: (t) => ({ sessionId: t.globalID({ required: true, for: SessionRef }) }),
});

export const RevokeSessionPayload = resultPayload('RevokeSessionPayload', 'session', SessionRef);
