// Automatic persisted queries (APQ) for app frontends: a client sends the sha256 of a query, and
// the full text only when the server answers PersistedQueryNotFound. Apollo Server keeps the
// registered texts in a KeyValueCache: in memory by default, shared through Redis here when there
// is one, so a query registered with one server process is known to all. A Redis failure is a
// cache miss (the client then sends the text), never a failed request.
import type { Redis } from 'ioredis';

export function createRedisApqCache(redis: Redis, prefix: string) {
  const keyOf = (key: string) => `${prefix}apq:${key}`;
  return {
    async get(key: string): Promise<string | undefined> {
      try {
        return (await redis.get(keyOf(key))) ?? undefined;
      } catch {
        return undefined;
      }
    },
    async set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> {
      try {
        if (options?.ttl) await redis.set(keyOf(key), value, 'EX', options.ttl);
        else await redis.set(keyOf(key), value);
      } catch {
        // The next request with this hash registers it again.
      }
    },
    async delete(key: string): Promise<boolean> {
      return (await redis.del(keyOf(key))) > 0;
    },
  };
}
