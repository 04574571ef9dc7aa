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

/**
 * Counts events per key over sliding windows ("in the last minute"): how many, this one included.
 * Each window is kept as fixed buckets of its length; the count is this bucket's plus the previous
 * bucket's weighted by how much of it still lies within the window (the usual sliding-window
 * estimate), rounded up. A plain fixed window would forget everything at each boundary, so a
 * burst straddling one would never be seen.
 */
export interface WindowCounter {
  /** Counts one event for each key; returns, per key, the counts in the order of `windowsSeconds`. */
  hit(keys: string[]): Promise<number[][]>;
  /** The counts without counting. */
  peek(key: string): Promise<number[]>;
}

/** Where `now` falls: the bucket numbers and how far into the current bucket (0..1). */
function position(seconds: number, now: number) {
  const at = now / 1000 / seconds;
  const bucket = Math.floor(at);
  return { bucket, elapsed: at - bucket };
}

const estimate = (current: number, previous: number, elapsed: number) => Math.ceil(current + previous * (1 - elapsed));

/**
 * In Redis one pipelined round trip per call, however many keys (per key and window: INCR and
 * EXPIRE NX of the current bucket, GET of the previous one; no MULTI: a lost EXPIRE only lets a
 * bucket live longer); in memory on the embedded default.
 */
export function createWindowCounter(shared: SharedRedis | undefined, prefix: string, windowsSeconds: number[]): WindowCounter {
  const keyOf = (key: string, seconds: number, bucket: number) => `${prefix}wc:${seconds}:${bucket}:${key}`;
  const local = createMemoryWindowCounter(keyOf, prefix, windowsSeconds);
  if (!shared) return local;
  const redis = shared.client;
  const inRedis: WindowCounter = {
    async hit(keys) {
      if (!keys.length) return [];
      const now = Date.now();
      const pipeline = redis.pipeline();
      for (const key of keys) {
        for (const s of windowsSeconds) {
          const { bucket } = position(s, now);
          pipeline
            .incr(keyOf(key, s, bucket))
            .expire(keyOf(key, s, bucket), 2 * s, 'NX')
            .get(keyOf(key, s, bucket - 1));
        }
      }
      const replies = (await pipeline.exec()) ?? [];
      const per = windowsSeconds.length * 3;
      return keys.map((_k, k) =>
        windowsSeconds.map((s, i) => {
          const base = k * per + i * 3;
          return estimate(Number(replies[base]?.[1] ?? 0), Number(replies[base + 2]?.[1] ?? 0), position(s, now).elapsed);
        }),
      );
    },
    async peek(key) {
      const now = Date.now();
      const names = windowsSeconds.flatMap((s) => {
        const { bucket } = position(s, now);
        return [keyOf(key, s, bucket), keyOf(key, s, bucket - 1)];
      });
      const values = (await redis.mget(names)).map((v) => Number(v ?? 0));
      return windowsSeconds.map((s, i) => estimate(values[i * 2]!, values[i * 2 + 1]!, position(s, now).elapsed));
    },
  };
  // Redis unreachable, or lost mid-call: this call is counted in process.
  return {
    hit: (keys) => (shared.isUp() ? inRedis.hit(keys).catch(() => local.hit(keys)) : local.hit(keys)),
    peek: (key) => (shared.isUp() ? inRedis.peek(key).catch(() => local.peek(key)) : local.peek(key)),
  };
}

function createMemoryWindowCounter(
  keyOf: (key: string, seconds: number, bucket: number) => string,
  prefix: string,
  windowsSeconds: number[],
): WindowCounter {
  const counts = new Map<string, number>();
  let sweptAt = Date.now();
  const read = (key: string, s: number, now: number) => {
    const { bucket, elapsed } = position(s, now);
    return { bucket, current: counts.get(keyOf(key, s, bucket)) ?? 0, previous: counts.get(keyOf(key, s, bucket - 1)) ?? 0, elapsed };
  };
  return {
    async hit(keys) {
      const now = Date.now();
      // Buckets older than the previous one are dropped now and then, so the map stays small.
      if (now - sweptAt > 60_000) {
        sweptAt = now;
        for (const k of counts.keys()) {
          const [, seconds, bucket] = k.slice(prefix.length).split(':');
          if (Number(bucket) < position(Number(seconds), now).bucket - 1) counts.delete(k);
        }
      }
      return keys.map((key) =>
        windowsSeconds.map((s) => {
          const { bucket, current, previous, elapsed } = read(key, s, now);
          counts.set(keyOf(key, s, bucket), current + 1);
          return estimate(current + 1, previous, elapsed);
        }),
      );
    },
    async peek(key) {
      const now = Date.now();
      return windowsSeconds.map((s) => {
        const { current, previous, elapsed } = read(key, s, now);
        return estimate(current, previous, elapsed);
      });
    },
  };
}
