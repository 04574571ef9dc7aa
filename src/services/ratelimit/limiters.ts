// Counters for abuse limits: in Redis when there is one (shared by every server process),
// in memory on the embedded default (one process).
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface LimiterSpec {
  keyPrefix: string;
  points: number;
  durationSeconds: number;
}

export type LimiterFactory = (spec: LimiterSpec) => RateLimiterAbstract;

export function createLimiterFactory(redis?: Redis, prefix = ''): LimiterFactory {
  return ({ keyPrefix, points, durationSeconds }) =>
    redis
      ? new RateLimiterRedis({ storeClient: redis, keyPrefix: `${prefix}rl:${keyPrefix}`, points, duration: durationSeconds })
      : new RateLimiterMemory({ keyPrefix, points, duration: durationSeconds });
}

/** Consumes a point; returns null when allowed, or the seconds to wait when refused. */
export async function tryConsume(limiter: RateLimiterAbstract, key: string, points = 1): Promise<number | null> {
  try {
    await limiter.consume(key, points);
    return null;
  } catch (res) {
    if (res instanceof RateLimiterRes) return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    throw res;
  }
}
