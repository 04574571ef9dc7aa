// TOTP (RFC 6238) as authenticator apps implement it: SHA-1, 6 digits, 30-second steps, through
// the `otpauth` library. A code is accepted for the current step and one step either side (clock
// drift, a code typed as it turned over); which step matched is returned, so the caller can refuse
// a code of a step already used (replay).
import { Secret, TOTP } from 'otpauth';

export const TOTP_PERIOD_SECONDS = 30;
const DIGITS = 6;

const totpOf = (secretBase32: string, label = '', issuer = '') =>
  new TOTP({ secret: Secret.fromBase32(secretBase32), algorithm: 'SHA1', digits: DIGITS, period: TOTP_PERIOD_SECONDS, label, issuer });

/** A new random secret (160 bits, RFC 4226's recommendation), base32 as apps take it. */
export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

/** The otpauth:// URI an authenticator app scans. */
export const totpUri = (secretBase32: string, issuer: string, account: string): string => totpOf(secretBase32, account, issuer).toString();

/** Whether the input looks like a TOTP code at all (six digits). */
export const isTotpCode = (code: string): boolean => /^\d{6}$/.test(code);

/** The time step the code is valid for (now, or one step either side), or null. */
export function totpStep(secretBase32: string, code: string, now = Date.now()): number | null {
  if (!isTotpCode(code)) return null;
  const delta = totpOf(secretBase32).validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? null : Math.floor(now / 1000 / TOTP_PERIOD_SECONDS) + delta;
}
