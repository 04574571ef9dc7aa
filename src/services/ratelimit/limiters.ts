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

/** Counts events per key in fixed time windows: how many so far in this window, this one included. */
export interface WindowCounter {
  /** Counts one event for each key in each window; returns, per key, the counts in the order of `windowsSeconds`. */
  hit(keys: string[]): Promise<number[][]>;
  /** The counts without counting. */
  peek(key: string): Promise<number[]>;
}

/**
 * A fixed-window counter: in Redis one pipelined round trip per call, however many keys (INCR and
 * EXPIRE NX per key and window, no MULTI: a lost EXPIRE only lets a window live longer); in memory
 * on the embedded default. Cheaper than a rate limiter per window on a path taken by every transfer.
 */
export function createWindowCounter(redis: Redis | undefined, prefix: string, windowsSeconds: number[]): WindowCounter {
  const keyOf = (key: string, seconds: number) => `${prefix}wc:${seconds}:${Math.floor(Date.now() / 1000 / seconds)}:${key}`;
  if (redis) {
    return {
      async hit(keys) {
        if (!keys.length) return [];
        const pipeline = redis.pipeline();
        for (const key of keys) for (const s of windowsSeconds) pipeline.incr(keyOf(key, s)).expire(keyOf(key, s), s, 'NX');
        const replies = (await pipeline.exec()) ?? [];
        const per = windowsSeconds.length * 2;
        return keys.map((_k, k) => windowsSeconds.map((_s, i) => Number(replies[k * per + i * 2]?.[1] ?? 0)));
      },
      async peek(key) {
        const values = await redis.mget(windowsSeconds.map((s) => keyOf(key, s)));
        return values.map((v) => Number(v ?? 0));
      },
    };
  }
  const counts = new Map<string, { n: number; until: number }>();
  let sweptAt = Date.now();
  const get = (k: string) => {
    const entry = counts.get(k);
    return entry && entry.until > Date.now() ? entry.n : 0;
  };
  return {
    async hit(keys) {
      // Ended windows are dropped now and then, so the map holds only current ones.
      if (Date.now() - sweptAt > 60_000) {
        sweptAt = Date.now();
        for (const [k, entry] of counts) if (entry.until <= sweptAt) counts.delete(k);
      }
      return keys.map((key) =>
        windowsSeconds.map((s) => {
          const k = keyOf(key, s);
          const n = get(k) + 1;
          counts.set(k, { n, until: (Math.floor(Date.now() / 1000 / s) + 1) * s * 1000 });
          return n;
        }),
      );
    },
    async peek(key) {
      return windowsSeconds.map((s) => get(keyOf(key, s)));
    },
  };
}
