// The service container: every domain service, built once per process from explicit dependencies.
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { PrismaClient } from '../db/database.js';
import type { Logger } from '../logger.js';
import { createAccountService, type AccountService } from './accounts/accounts.js';
import { createAccessTokens, type AccessTokens } from './auth/accessTokens.js';
import { createSessionService, type SessionService } from './auth/sessions.js';
import { createSignInThrottle } from './auth/signInThrottle.js';
import type { PubSub } from './events/pubsub.js';
import { createLimiterFactory } from './ratelimit/limiters.js';

export interface Services {
  accessTokens: AccessTokens;
  sessions: SessionService;
  accounts: AccountService;
  pubsub: PubSub;
}

export interface ServiceDeps {
  config: Config;
  jwtSecret: string;
  prisma: PrismaClient;
  pubsub: PubSub;
  redis?: Redis;
  log: Logger;
}

export function createServices({ config, jwtSecret, prisma, pubsub, redis, log }: ServiceDeps): Services {
  const limiters = createLimiterFactory(redis, config.REDIS_PREFIX);
  const accessTokens = createAccessTokens(jwtSecret, config.ACCESS_TOKEN_TTL_SECONDS);
  const sessions = createSessionService({
    prisma,
    accessTokens,
    refreshTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
    cacheSeconds: config.SESSION_CACHE_SECONDS,
    log,
  });
  const throttle = createSignInThrottle(limiters, {
    maxFailuresPerEmail: config.SIGNIN_MAX_FAILURES_PER_EMAIL,
    maxFailuresPerIp: config.SIGNIN_MAX_FAILURES_PER_IP,
    windowSeconds: config.SIGNIN_WINDOW_SECONDS,
    slowdownAfter: config.SIGNIN_SLOWDOWN_AFTER,
    slowdownMs: config.SIGNIN_SLOWDOWN_MS,
  });
  const accounts = createAccountService({
    prisma,
    sessions,
    throttle,
    limiters,
    signUpLimit: { points: config.SIGNUP_MAX_PER_IP, durationSeconds: config.SIGNUP_WINDOW_SECONDS },
    pubsub,
    log,
  });
  return { accessTokens, sessions, accounts, pubsub };
}
