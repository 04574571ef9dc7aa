// The server's throttling in words: a RATE_LIMITED error carries how long to wait
// (retryAfterSeconds), said as "You can ask for a new one in 12 minutes." (codes.tsx, ForgotPassword).
import { CombinedGraphQLErrors } from '@apollo/client/errors';

/** A wait in words: "45 seconds", "a minute", "12 minutes", "an hour", "2 hours". */
export function waitInWords(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return `${s} second${s === 1 ? '' : 's'}`;
  const minutes = Math.ceil(s / 60);
  if (minutes < 60) return minutes === 1 ? 'a minute' : `${minutes} minutes`;
  const hours = Math.ceil(minutes / 60);
  return hours === 1 ? 'an hour' : `${hours} hours`;
}

/** The server's refusal to send (thrown: RATE_LIMITED with retryAfterSeconds), in words; no answer at all is `otherwise`. */
export function sendRefusal(err: unknown, otherwise: string): { message: string; retryAfterSeconds: number | null } {
  if (CombinedGraphQLErrors.is(err)) {
    const limited = err.errors.find((e) => e.extensions?.code === 'RATE_LIMITED');
    if (limited) {
      const wait = Number(limited.extensions?.retryAfterSeconds);
      const seconds = Number.isFinite(wait) && wait > 0 ? wait : 60;
      return {
        message: `You have asked for several codes in a short time. You can ask for a new one in ${waitInWords(seconds)}.`,
        retryAfterSeconds: seconds,
      };
    }
    return { message: err.errors.map((e) => e.message).join(' '), retryAfterSeconds: null };
  }
  return { message: otherwise, retryAfterSeconds: null };
}
