// Counters for abuse limits: in Redis when there is one (shared by every server process),
// in memory on the embedded default (one process). While Redis is unreachable the counting goes
// on in process (the same limits, per process), and Redis takes over again when it is back.
import type { SharedRedis } from '../../db/redis.js';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface LimiterSpec {
  keyPrefix: string;
  points: number;
  durationSeconds: number;
}

export type LimiterFactory = (spec: LimiterSpec) => RateLimiterAbstract;

export function createLimiterFactory(shared?: SharedRedis, prefix = ''): LimiterFactory {
  return ({ keyPrefix, points, durationSeconds }) => {
    const memory = new RateLimiterMemory({ keyPrefix, points, duration: durationSeconds });
    if (!shared) return memory;
    // The library's own fallback: a store error runs the same operation on the insurance limiter.
    return new RateLimiterRedis({
      storeClient: shared.client,
      keyPrefix: `${prefix}rl:${keyPrefix}`,
      points,
      duration: durationSeconds,
      insuranceLimiter: memory,
    });
  };
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
