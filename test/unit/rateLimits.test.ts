// Request rate limits decided in process (src/services/ratelimit/): a token bucket per key holds
// 1/n of the configured rate and burst when n processes share it, and the processes count each
// other through a heartbeat in Redis (a real redis-server here), leaving the count when they stop.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectRedis, type RedisConnections } from '../../src/db/redis.js';
import { createLogger } from '../../src/logger.js';
import { createProcessShares } from '../../src/services/ratelimit/processShares.js';
import { createTokenBucket } from '../../src/services/ratelimit/tokenBucket.js';
import { RedisProcess } from '../helpers/redisProcess.js';

const log = createLogger({ level: 'silent' });

describe('token buckets', () => {
  it('allow the burst, then one request per refill, per key, and say when to retry', () => {
    vi.useFakeTimers({ now: 0 });
    try {
      const bucket = createTokenBucket({ perSecond: 2, burst: 3 }, { count: () => 1 });
      expect([1, 2, 3, 4].map(() => bucket.take('alice'))).toEqual([null, null, null, 1]);
      expect(bucket.take('bob')).toBeNull();
      vi.advanceTimersByTime(499);
      expect(bucket.take('alice')).toBe(1);
      vi.advanceTimersByTime(1);
      // Half a second at 2 per second is one token (the refused take above took nothing).
      expect(bucket.take('alice')).toBeNull();
      expect(bucket.take('alice')).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('hold a 1/n share of the rate and burst when n processes share the limit', () => {
    vi.useFakeTimers({ now: 0 });
    try {
      let n = 4;
      const bucket = createTokenBucket({ perSecond: 8, burst: 8 }, { count: () => n });
      // A quarter of a burst of 8, and a quarter of the rate: one token every 0.5 s.
      expect([1, 2, 3].map(() => bucket.take('k'))).toEqual([null, null, 1]);
      vi.advanceTimersByTime(500);
      expect(bucket.take('k')).toBeNull();
      // Fewer processes: a bigger share, from the next refill on.
      n = 1;
      vi.advanceTimersByTime(1_000);
      expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map(() => bucket.take('k')).filter((w) => w === null)).toHaveLength(8);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('process shares', () => {
  let redis: RedisProcess;
  let a: RedisConnections;
  let b: RedisConnections;
  beforeAll(async () => {
    redis = await RedisProcess.start();
    [a, b] = await Promise.all([connectRedis(redis.url, log), connectRedis(redis.url, log)]);
  }, 30_000);
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await redis?.kill();
  });

  it('count the live processes through a heartbeat, and drop one that stops', async () => {
    const key = 'test:rate-processes';
    const first = createProcessShares(a, key, log, { heartbeatMs: 50, expireMs: 500 });
    const second = createProcessShares(b, key, log, { heartbeatMs: 50, expireMs: 500 });
    const stopFirst = await first.start();
    expect(first.count()).toBe(1);
    const stopSecond = await second.start();
    expect(second.count()).toBe(2);
    await vi.waitFor(() => expect(first.count()).toBe(2), { timeout: 2_000 });
    await stopSecond();
    await vi.waitFor(() => expect(first.count()).toBe(1), { timeout: 2_000 });
    await stopFirst();
  });

  it('is one process without Redis', async () => {
    const alone = createProcessShares(undefined, 'unused', log);
    const stop = await alone.start();
    expect(alone.count()).toBe(1);
    await stop();
  });
});
