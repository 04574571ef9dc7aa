// Token buckets for request rate limits: each key has a bucket of `burst` tokens refilled at
// `perSecond`; a request takes one, and an empty bucket says how long until the next token. In
// Redis the take is one Lua script (atomic across server processes); in memory on the embedded
// default. rate-limiter-flexible (used for sign-in and sign-up windows) offers fixed windows and
// a two-window approximation of bursts, not a bucket: this is the refill a partner can plan by.
// While Redis is unreachable each process keeps its own buckets at the same rates, so the limit
// still holds per process (with N processes a caller may get up to N times the rate until Redis
// is back); when it returns, the shared buckets take over.
import type { SharedRedis } from '../../db/redis.js';
import type { Logger } from '../../logger.js';
import { createBatcher } from '../batching/batcher.js';

export interface BucketSpec {
  /** Tokens added per second. */
  perSecond: number;
  /** Bucket size: the largest burst. */
  burst: number;
}

export interface TokenBucket {
  /** Takes a token for `key`: null when allowed, or the seconds until one is available. */
  take(key: string): Promise<number | null>;
}

// KEYS[1] bucket; ARGV: perSecond, burst, now (ms). Stores tokens and the time they were counted.
const TAKE = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) * 1000 / rate end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return tostring(wait)`;

export function createTokenBucket(shared: SharedRedis | undefined, prefix: string, spec: BucketSpec, log: Logger): TokenBucket {
  const local = createMemoryBucket(spec);
  if (!shared) return local;
  const redis = shared.client;
  // EVALSHA after the first call (ioredis keeps the script's hash): the script is not resent.
  if (!('walletTakeToken' in redis)) redis.defineCommand('walletTakeToken', { numberOfKeys: 1, lua: TAKE });
  // Takes arriving together leave in one pipelined write: on a path taken by every
  // request, the socket write costs more than the script (docs/performance.md).
  const batcher = createBatcher<string, number>(
    async (keys) => {
      const pipeline = redis.pipeline();
      const now = Date.now();
      for (const key of keys)
        (pipeline as unknown as { walletTakeToken(...args: (string | number)[]): void }).walletTakeToken(
          `${prefix}tb:${key}`,
          spec.perSecond,
          spec.burst,
          now,
        );
      const replies = (await pipeline.exec()) ?? [];
      return replies.map(([err, wait]) => {
        if (err) throw err;
        return Number(wait);
      });
    },
    // No waiting for company: one pipeline is in flight, and takes arriving meanwhile form the next.
    { windowMs: 0, maxBatch: 200, maxInFlight: 1 },
    { what: 'rate limit', log },
  );
  return {
    async take(key) {
      if (!shared.isUp()) return local.take(key);
      try {
        const wait = await batcher.run(key);
        return wait > 0 ? Math.max(1, Math.ceil(wait / 1000)) : null;
      } catch {
        // Lost mid-request: this request is counted here; the state change is logged once by the connection.
        return local.take(key);
      }
    },
  };
}

function createMemoryBucket(spec: BucketSpec): TokenBucket {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    async take(key) {
      const now = Date.now();
      if (buckets.size > 100_000) buckets.clear();
      const b = buckets.get(key) ?? { tokens: spec.burst, at: now };
      b.tokens = Math.min(spec.burst, b.tokens + ((now - b.at) * spec.perSecond) / 1000);
      b.at = now;
      buckets.set(key, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return null;
      }
      return Math.max(1, Math.ceil(((1 - b.tokens) * 1000) / spec.perSecond / 1000));
    },
  };
}
