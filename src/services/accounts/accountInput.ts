// Normalisation and bounds for account fields, shared by sign-up, profile edits and admin bootstrap.
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';
import { PASSWORD_MAX_LENGTH } from '../auth/passwords.js';
import { canonicalTimeZone } from '../time/timeZones.js';

export const EMAIL_MAX_LENGTH = 254;
export const DISPLAY_NAME_MAX_LENGTH = 80;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

const emailShape = z.email();

export const emailField = z
  .string()
  .max(EMAIL_MAX_LENGTH + 20, `must be at most ${EMAIL_MAX_LENGTH} characters`)
  .transform((raw, ctx) => {
    const email = normaliseEmail(raw);
    if (email.length > EMAIL_MAX_LENGTH || !emailShape.safeParse(email).success) {
      ctx.addIssue({ code: 'custom', message: 'is not a valid email address', params: { code: 'INVALID_EMAIL' } });
      return z.NEVER;
    }
    return email;
  });

/** Phones are stored in E.164 ("+14155550123"); input may have spaces, dashes or brackets. */
export const phoneField = z
  .string()
  .max(32, 'must be at most 32 characters')
  .transform((raw, ctx) => {
    const parsed = raw.trim().startsWith('+') ? parsePhoneNumberFromString(raw.trim()) : undefined;
    if (!parsed?.isValid()) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be a valid international phone number starting with + and the country code, e.g. +14155550123',
        params: { code: 'INVALID_PHONE' },
      });
      return z.NEVER;
    }
    return parsed.number as string;
  });

export const displayNameField = z
  .string()
  .transform((s) => s.trim().replace(/\s+/g, ' '))
  .pipe(
    z
      .string()
      .min(1, 'must not be empty')
      .max(DISPLAY_NAME_MAX_LENGTH, `must be at most ${DISPLAY_NAME_MAX_LENGTH} characters`)
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the pattern matches control characters in order to reject them
      .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters'),
  );

/** Bounds only; the strength policy is checked separately so its message can name the email. */
export const passwordField = z.string().max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`);

/** An IANA time zone name ("Europe/Paris", "UTC"), stored in its canonical spelling. */
export const timeZoneField = z
  .string()
  .max(64, 'must be at most 64 characters')
  .transform((raw, ctx) => {
    const zone = canonicalTimeZone(raw);
    if (!zone) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be an IANA time zone name such as "Europe/Paris", "America/New_York" or "UTC"',
        params: { code: 'INVALID_TIME_ZONE' },
      });
      return z.NEVER;
    }
    return zone;
  });
