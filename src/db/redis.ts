// Redis connections (pub/sub needs a dedicated subscriber connection).
import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

export interface RedisConnections {
  client: Redis;
  subscriber: Redis;
  close(): Promise<void>;
}

export async function connectRedis(url: string, log: Logger): Promise<RedisConnections> {
  const open = (role: string) => {
    // Auto-pipelining sends the commands issued in one tick (e.g. a batch's PUBLISHes) together.
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3, connectionName: `wallet-${role}`, enableAutoPipelining: true });
    // ioredis reconnects by itself; log instead of crashing on a transient error.
    redis.on('error', (err) => log.warn({ role, err: err.message }, 'redis connection error'));
    return redis;
  };
  const client = open('client');
  const subscriber = open('subscriber');
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
      await Promise.allSettled([client.quit(), subscriber.quit()]);
    },
  };
}
