// Inputs and payloads of verified contacts, step-up by a sent code, and password reset (the
// notifier's flows; docs/security.md).
import type { UserError } from '../services/errors.js';
import { builder } from './builder.js';
import { UserRef } from './user.js';
import { resultPayload, userErrorsField } from './userErrors.js';

export const ContactChannelEnum = builder.enumType('ContactChannel', {
  description: 'Where a one-time code is sent: the account email (EMAIL) or phone number (SMS).',
  values: ['EMAIL', 'SMS'] as const,
});

interface CodeSentShape {
  channel?: 'EMAIL' | 'SMS';
  sentTo?: string;
  expiresAt?: Date;
  userErrors: UserError[];
}

export const CodeSentPayload = builder.objectRef<CodeSentShape>('CodeSentPayload').implement({
  description: 'A one-time code is on its way; send it back before `expiresAt`. Asking again sends a new one and voids this one.',
  fields: (t) => ({
    channel: t.field({ type: ContactChannelEnum, nullable: true, resolve: (p) => p.channel ?? null }),
    sentTo: t.string({
      nullable: true,
      description: 'Where it went, partly hidden: "a•••@example.com", "••••••••0123".',
      resolve: (p) => p.sentTo ?? null,
    }),
    expiresAt: t.field({ type: 'DateTime', nullable: true, resolve: (p) => p.expiresAt ?? null }),
    userErrors: t.field({ ...userErrorsField, resolve: (p) => p.userErrors }),
  }),
});

export const VerifyContactInput = builder.inputType('VerifyContactInput', {
  fields: (t) => ({ code: t.string({ required: true, description: 'The 6-digit code from the message.' }) }),
});

export const VerifyContactPayload = resultPayload('VerifyContactPayload', 'user', UserRef);

export const RequestStepUpCodeInput = builder.inputType('RequestStepUpCodeInput', {
  fields: (t) => ({
    channel: t.field({
      type: ContactChannelEnum,
      required: false,
      description: 'Which verified contact gets the code. Default: the email if verified, else the phone.',
    }),
  }),
});

export const RequestPasswordResetInput = builder.inputType('RequestPasswordResetInput', {
  fields: (t) => ({ email: t.string({ required: true }) }),
});

export const RequestPasswordResetPayload = builder
  .objectRef<{ message?: string; userErrors: UserError[] }>('RequestPasswordResetPayload')
  .implement({
    description: 'The same answer whether or not an account has the address (only a malformed address or too many requests differ).',
    fields: (t) => ({
      message: t.string({ nullable: true, resolve: (p) => p.message ?? null }),
      userErrors: t.field({ ...userErrorsField, resolve: (p) => p.userErrors }),
    }),
  });

export const ResetPasswordInput = builder.inputType('ResetPasswordInput', {
  fields: (t) => ({
    token: t.string({ required: true, description: "The token from the reset link (after '#token=')." }),
    newPassword: t.string({ required: true, description: 'At least 10 characters, not a commonly used password.' }),
    mfaCode: t.string({
      required: false,
      description: 'For an account with MFA: a code from the authenticator app, or an unused recovery code.',
    }),
  }),
});

export const ResetPasswordPayload = builder
  .objectRef<{ revokedSessionCount?: number; userErrors: UserError[] }>('ResetPasswordPayload')
  .implement({
    fields: (t) => ({
      revokedSessionCount: t.int({
        nullable: true,
        description: 'Every session of the account, now signed out: sign in with the new password.',
        resolve: (p) => p.revokedSessionCount ?? null,
      }),
      userErrors: t.field({ ...userErrorsField, resolve: (p) => p.userErrors }),
    }),
  });
