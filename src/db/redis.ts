// Redis connections (pub/sub needs a dedicated subscriber connection).
import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

export interface RedisConnections {
  client: Redis;
  subscriber: Redis;
  close(): Promise<void>;
}

export async function connectRedis(url: string, log: Logger): Promise<RedisConnections> {
  const open = (role: string, enableAutoPipelining: boolean) => {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3, connectionName: `wallet-${role}`, enableAutoPipelining });
    // ioredis reconnects by itself; log instead of crashing on a transient error.
    redis.on('error', (err) => log.warn({ role, err: err.message }, 'redis connection error'));
    return redis;
  };
  // Auto-pipelining sends the commands issued in one tick (a batch's PUBLISHes) together. Not on
  // the subscriber: there it would hold (UN)SUBSCRIBEs back until after a QUIT at shutdown.
  const client = open('client', true);
  const subscriber = open('subscriber', false);
  try {
    await Promise.all([client.connect(), subscriber.connect()]);
  } catch (err) {
    client.disconnect();
    subscriber.disconnect();
    throw new Error(`Cannot connect to Redis at REDIS_URL: ${(err as Error).message}. Start Redis or unset REDIS_URL to run in-memory.`);
  }
  return {
    client,
    subscriber,
    async close() {
      // Let commands queued for the next auto-pipeline flush go out before QUIT.
      await new Promise((resolve) => setImmediate(resolve));
      await Promise.allSettled([client.quit(), subscriber.quit()]);
    },
  };
}
