// Accounts wiring: access tokens, sessions, the sign-in throttle, sign-up (with its limit per
// IP and the sanctions screen of the new user's name) and MFA (its secrets in the vault).
import type { Config } from '../../config.js';
import { createAccountService } from '../accounts/accounts.js';
import { createAccessTokens } from '../auth/accessTokens.js';
import { createSessionService } from '../auth/sessions.js';
import { createMfaService } from '../auth/mfa.js';
import { createSignInThrottle, MFA_CODE_GUESSES } from '../auth/signInThrottle.js';
import type { AmlService } from '../compliance/aml.js';
import { createLimiterFactory } from '../ratelimit/limiters.js';
import type { Vault } from '../vault/vault.js';
import type { SharedWithOutbox } from './shared.js';

export const accountSettings = (config: Config) => ({
  redisPrefix: config.REDIS_PREFIX,
  accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
  refreshTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
  sessionCacheSeconds: config.SESSION_CACHE_SECONDS,
  signIn: {
    maxFailuresPerEmail: config.SIGNIN_MAX_FAILURES_PER_EMAIL,
    maxFailuresPerIp: config.SIGNIN_MAX_FAILURES_PER_IP,
    windowSeconds: config.SIGNIN_WINDOW_SECONDS,
    slowdownAfter: config.SIGNIN_SLOWDOWN_AFTER,
    slowdownMs: config.SIGNIN_SLOWDOWN_MS,
  },
  signUpLimit: { points: config.SIGNUP_MAX_PER_IP, durationSeconds: config.SIGNUP_WINDOW_SECONDS },
  defaultCurrency: config.DEFAULT_CURRENCY,
  stepUpMinutes: config.STEP_UP_MINUTES,
  adminMfaRequired: config.ADMIN_MFA_REQUIRED,
});

export function wireAccounts(
  { prisma, sql, pubsub, redis, outbox, audit, log, metrics }: SharedWithOutbox,
  settings: ReturnType<typeof accountSettings>,
  needs: { jwtSecret: string; aml: AmlService; vault: Vault; fingerprintKey: Buffer },
) {
  const limiters = createLimiterFactory(redis, settings.redisPrefix);
  const accessTokens = createAccessTokens(needs.jwtSecret, settings.accessTokenTtlSeconds);
  const sessions = createSessionService({
    prisma,
    audit,
    sql,
    pubsub,
    outbox,
    accessTokens,
    refreshTtlSeconds: settings.refreshTtlSeconds,
    cacheSeconds: settings.sessionCacheSeconds,
    log,
  });
  const throttle = createSignInThrottle(limiters, settings.signIn, metrics);
  const mfa = createMfaService({
    prisma,
    sql,
    vault: needs.vault,
    audit,
    throttle: createSignInThrottle(limiters, settings.signIn, metrics, MFA_CODE_GUESSES),
    jwtSecret: needs.jwtSecret,
    fingerprintKey: needs.fingerprintKey,
    stepUpMinutes: settings.stepUpMinutes,
    adminMfaRequired: settings.adminMfaRequired,
    log,
  });
  const accounts = createAccountService({
    prisma,
    audit,
    sql,
    sessions,
    mfa,
    throttle,
    limiters,
    signUpLimit: settings.signUpLimit,
    pubsub,
    defaultCurrency: settings.defaultCurrency,
    screenName: (userId, name) => needs.aml.screen(userId, name, 'SIGN_UP'),
    log,
    metrics,
  });
  return { accessTokens, sessions, accounts, mfa };
}
