// What each message says, as pure functions of what it reports. A message carries at most the one
// one-time code or link it exists for, and never a card or account number: `accountNumberIn` is
// checked on every message the notifier is given (notifier.ts), so a template that slips one in
// fails loudly instead of sending it.
import type { Channel, MessageContent } from './model.js';

const PRODUCT = 'Wallet';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "5 Dec 2026, 14:03 UTC": no run of digits long enough to look like an account number. (Not Intl: ~100 µs a call.) */
export function formatWhen(at: Date): string {
  const month = MONTHS[at.getUTCMonth()];
  const hh = String(at.getUTCHours()).padStart(2, '0');
  const mm = String(at.getUTCMinutes()).padStart(2, '0');
  return `${at.getUTCDate()} ${month} ${at.getUTCFullYear()}, ${hh}:${mm} UTC`;
}

/**
 * A card number (12 to 19 digits, spaced or not) or an IBAN in `text`, if any. Codes (6 digits),
 * dates, times and IP addresses do not match.
 */
export function accountNumberIn(text: string): string | null {
  const digits = /\d(?:[ -]?\d){11,}/.exec(text);
  if (digits) return digits[0];
  const iban = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/.exec(text);
  return iban ? iban[0] : null;
}

/** `text` (something a client sent, like its user agent) with anything that looks like an account number hidden. */
export function redactAccountNumbers(text: string): string {
  let out = text;
  for (let found = accountNumberIn(out); found; found = accountNumberIn(out)) out = out.replace(found, '[hidden]');
  return out;
}

const what = { EMAIL: 'email address', SMS: 'phone number' } as const;

/** The code that verifies an email address or phone number (requestEmailVerification, requestPhoneVerification). */
export function verificationCode(channel: Channel, code: string, minutes: number): MessageContent {
  return channel === 'EMAIL'
    ? {
        subject: `${PRODUCT}: your verification code ${code}`,
        text:
          `Your ${PRODUCT} verification code is ${code}.\n\n` +
          `Enter it in the app to confirm this ${what.EMAIL}. It works once, for ${minutes} minutes.\n` +
          'If you did not ask for it, ignore this message: nothing changes without the code.',
        code,
      }
    : { subject: null, text: `${PRODUCT}: ${code} is your code to confirm this ${what.SMS}. Valid ${minutes} min. Never share it.`, code };
}

/** The code that proves it is the user before a risky action (requestStepUpCode). */
export function stepUpCode(channel: Channel, code: string, minutes: number): MessageContent {
  return channel === 'EMAIL'
    ? {
        subject: `${PRODUCT}: confirm it is you (${code})`,
        text:
          `Your ${PRODUCT} security code is ${code}.\n\n` +
          `Someone signed in to your account asked for it to confirm a sensitive change (a withdrawal, a new card or ` +
          `bank account, API keys, your email or password). It works once, for ${minutes} minutes.\n` +
          'If that was not you, do not share the code: reset your password and sign out your other devices.',
        code,
      }
    : {
        subject: null,
        text: `${PRODUCT}: ${code} is your security code to confirm a sensitive change. Valid ${minutes} min. Never share it.`,
        code,
      };
}

/** The link that resets a forgotten password (requestPasswordReset). The token travels in the URL's fragment, which browsers never send to a server. */
export function passwordResetLink(link: string, token: string, minutes: number): MessageContent {
  return {
    subject: `${PRODUCT}: reset your password`,
    text:
      `Someone asked to reset the password of the ${PRODUCT} account with this email address.\n\n` +
      `To choose a new password, open this link within ${minutes} minutes. It works once:\n${link}\n\n` +
      'Resetting signs out every device. If you did not ask for it, ignore this message: your password stays as it is.',
    code: token,
  };
}

/** After a reset: the owner hears of it even if someone else did it. */
export function passwordWasReset(at: Date): MessageContent {
  return {
    subject: `${PRODUCT}: your password was reset`,
    text:
      `The password of your ${PRODUCT} account was reset on ${formatWhen(at)}, and every device was signed out.\n\n` +
      'If that was not you, reset it again now and contact support.',
  };
}
