// How many server processes share the request rate limits, so that each can decide a request in
// process (no round trip per request) and the processes together still allow about the configured
// rate: each takes 1/n of it. Every process writes a heartbeat into one Redis sorted set every
// couple of seconds, drops the ones that stopped beating, and counts the rest, all in one
// pipelined round trip in the background. Without Redis (embedded default, or while it is down)
// the last count stands; with no Redis ever, n is 1.
import { randomUUID } from 'node:crypto';
import type { SharedRedis } from '../../db/redis.js';
import type { Logger } from '../../logger.js';

export interface ProcessShares {
  /** Live server processes sharing the limits (at least 1). */
  count(): number;
  /** Starts the heartbeat (the first beat is counted on return); returns a stop function that takes this process out of the count. */
  start(): Promise<() => Promise<void>>;
}

export function createProcessShares(
  shared: SharedRedis | undefined,
  key: string,
  log: Logger,
  { heartbeatMs = 2_000, expireMs = 6_000 }: { heartbeatMs?: number; expireMs?: number } = {},
): ProcessShares {
  const id = randomUUID();
  let processes = 1;

  async function beat() {
    if (!shared?.isUp()) return;
    const now = Date.now();
    try {
      const replies = await shared.client
        .pipeline()
        .zadd(key, now, id)
        .zremrangebyscore(key, '-inf', now - expireMs)
        .zcard(key)
        .pexpire(key, expireMs * 2)
        .exec();
      const counted = Number(replies?.[2]?.[1] ?? 1);
      if (counted !== processes) log.info({ processes: counted }, 'server processes sharing the rate limits');
      processes = Math.max(1, counted);
    } catch (err) {
      // The last count stands until Redis answers again.
      log.debug({ err: (err as Error).message }, 'rate-limit heartbeat failed');
    }
  }

  return {
    count: () => processes,
    async start() {
      if (!shared) return async () => {};
      await beat();
      const timer = setInterval(() => void beat(), heartbeatMs);
      timer.unref();
      return async () => {
        clearInterval(timer);
        if (shared.isUp()) await shared.client.zrem(key, id).catch(() => undefined);
      };
    },
  };
}
