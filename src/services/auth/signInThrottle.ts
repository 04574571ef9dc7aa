// Brute-force protection for sign-in: failures are counted per email and per client IP.
// After SIGNIN_SLOWDOWN_AFTER failures each attempt is slowed; at the maximum the attempt is
// refused with RATE_LIMITED until the window passes. A success clears the email's count.
// MFA codes are throttled the same way, per user instead of per email (MFA_CODE_GUESSES), and so
// are emailed and texted one-time codes (ONE_TIME_CODE_GUESSES).
import { rateLimited } from '../errors.js';
import type { LimiterFactory } from '../ratelimit/limiters.js';
import type { ServiceMetrics } from '../telemetry.js';

export interface SignInThrottleSettings {
  maxFailuresPerEmail: number;
  maxFailuresPerIp: number;
  windowSeconds: number;
  slowdownAfter: number;
  slowdownMs: number;
}

export interface SignInThrottle {
  /** Throws RATE_LIMITED when blocked; otherwise waits the slow-down the failures so far call for. */
  beforeAttempt(email: string, ip: string): Promise<void>;
  recordFailure(email: string, ip: string): Promise<void>;
  recordSuccess(email: string): Promise<void>;
}

const MAX_DELAY_MS = 5_000;

/** What is guessed: its counters' key prefix, its words in the refusal, its rate-limit metric. */
export interface ThrottledGuess {
  keyPrefix: string;
  what: string;
  metric: string;
}

const SIGN_IN: ThrottledGuess = { keyPrefix: 'signin', what: 'sign-in attempts', metric: 'sign_in' };
/** MFA codes (verifyMfa, stepUp, confirmMfa, disableMfa), counted per user id and per IP. */
export const MFA_CODE_GUESSES: ThrottledGuess = { keyPrefix: 'mfa', what: 'verification codes', metric: 'mfa_code' };
/** Emailed and texted one-time codes (verifyEmail, verifyPhone, stepUp without MFA) per user id and IP; reset links per IP. */
export const ONE_TIME_CODE_GUESSES: ThrottledGuess = { keyPrefix: 'otc', what: 'one-time codes', metric: 'one_time_code' };

export function createSignInThrottle(
  limiters: LimiterFactory,
  s: SignInThrottleSettings,
  metrics?: Pick<ServiceMetrics, 'rateLimited'>,
  guess: ThrottledGuess = SIGN_IN,
): SignInThrottle {
  const byEmail = limiters({ keyPrefix: `${guess.keyPrefix}-email`, points: s.maxFailuresPerEmail, durationSeconds: s.windowSeconds });
  const byIp = limiters({ keyPrefix: `${guess.keyPrefix}-ip`, points: s.maxFailuresPerIp, durationSeconds: s.windowSeconds });
  return {
    async beforeAttempt(email, ip) {
      const [e, i] = await Promise.all([byEmail.get(email), byIp.get(ip)]);
      const blocked = [
        e && e.consumedPoints >= s.maxFailuresPerEmail ? e : null,
        i && i.consumedPoints >= s.maxFailuresPerIp ? i : null,
      ].filter((r) => r !== null);
      if (blocked.length) {
        const waitMs = Math.max(...blocked.map((r) => r.msBeforeNext));
        const seconds = Math.max(1, Math.ceil(waitMs / 1000));
        metrics?.rateLimited(guess.metric);
        throw rateLimited(`Too many failed ${guess.what}. Try again in ${seconds} seconds.`, seconds);
      }
      const failures = e?.consumedPoints ?? 0;
      if (failures >= s.slowdownAfter && s.slowdownMs > 0) {
        const delay = Math.min(MAX_DELAY_MS, s.slowdownMs * (failures - s.slowdownAfter + 1));
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    },
    async recordFailure(email, ip) {
      // penalty() counts without throwing; the check happens on the next attempt.
      await Promise.all([byEmail.penalty(email, 1), byIp.penalty(ip, 1)]);
    },
    async recordSuccess(email) {
      await byEmail.delete(email);
    },
  };
}
