// Accounts wiring: access tokens, sessions, the sign-in throttle, sign-up (with its limit per
// IP and the sanctions screen of the new user's name), MFA (its secrets in the vault), and what
// goes through the notifier: verified contacts, step-up codes, password reset, new-device notices.
import type { Config } from '../../config.js';
import { createAccountService } from '../accounts/accounts.js';
import { createAccessTokens } from '../auth/accessTokens.js';
import { createSessionService } from '../auth/sessions.js';
import { createMfaService } from '../auth/mfa.js';
import { createCodeChallenges } from '../auth/codeChallenges.js';
import { createContactVerification } from '../auth/contactVerification.js';
import { createDeviceKeys } from '../auth/devices.js';
import { createOneTimeCodes } from '../auth/oneTimeCodes.js';
import { createPasswordReset } from '../auth/passwordReset.js';
import { createSignInThrottle, MFA_CODE_GUESSES, ONE_TIME_CODE_GUESSES } from '../auth/signInThrottle.js';
import { createStepUpCodes } from '../auth/stepUpCodes.js';
import type { Notifier } from '../notifications/notifier.js';
import type { AmlService } from '../compliance/aml.js';
import { createLimiterFactory } from '../ratelimit/limiters.js';
import type { Vault } from '../vault/vault.js';
import type { Phones } from '../accounts/phones.js';
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
  codeTtlSeconds: config.ONE_TIME_CODE_MINUTES * 60,
  resetTtlSeconds: config.PASSWORD_RESET_MINUTES * 60,
  codeSends: { perAddress: config.CODE_SENDS_PER_ADDRESS, perIp: config.CODE_SENDS_PER_IP, windowSeconds: config.CODE_SEND_WINDOW_SECONDS },
  publicUrl: config.PUBLIC_URL ?? null,
});

export function wireAccounts(
  { prisma, sql, pubsub, redis, outbox, audit, log, metrics }: SharedWithOutbox,
  settings: ReturnType<typeof accountSettings>,
  needs: { jwtSecret: string; aml: AmlService; vault: Vault; fingerprintKey: Buffer; notifier: Notifier; phones: Phones },
) {
  const { notifier } = needs;
  const limiters = createLimiterFactory(redis, settings.redisPrefix);
  const accessTokens = createAccessTokens(needs.jwtSecret, settings.accessTokenTtlSeconds);
  const sessions = createSessionService({
    prisma,
    audit,
    sql,
    pubsub,
    outbox,
    accessTokens,
    deviceKeys: createDeviceKeys(needs.fingerprintKey),
    refreshTtlSeconds: settings.refreshTtlSeconds,
    cacheSeconds: settings.sessionCacheSeconds,
    log,
  });
  const throttle = createSignInThrottle(limiters, settings.signIn, metrics);
  const codes = createOneTimeCodes({ prisma, fingerprintKey: needs.fingerprintKey });
  const codeGuesses = createSignInThrottle(limiters, settings.signIn, metrics, ONE_TIME_CODE_GUESSES);
  const challenges = createCodeChallenges({
    prisma,
    codes,
    notifier,
    audit,
    limiters,
    sendLimits: settings.codeSends,
    guesses: codeGuesses,
    metrics,
  });
  const contactVerification = createContactVerification({
    prisma,
    challenges,
    audit,
    pubsub,
    codeTtlSeconds: settings.codeTtlSeconds,
    phones: needs.phones,
  });
  const stepUpCodes = createStepUpCodes({
    prisma,
    challenges,
    audit,
    codeTtlSeconds: settings.codeTtlSeconds,
    stepUpMinutes: settings.stepUpMinutes,
    phones: needs.phones,
  });
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
    codeStepUp: stepUpCodes,
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
    phones: needs.phones,
  });
  const passwordReset = createPasswordReset({
    prisma,
    codes,
    challenges,
    notifier,
    audit,
    sessions,
    mfa,
    guesses: codeGuesses,
    signIn: throttle,
    ttlSeconds: settings.resetTtlSeconds,
    publicOrigin: settings.publicUrl,
    log,
  });
  return { accessTokens, sessions, accounts, mfa, contactVerification, stepUpCodes, passwordReset };
}
