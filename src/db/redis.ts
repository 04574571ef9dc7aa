// Redis connections (pub/sub needs a dedicated subscriber connection), and whether Redis is
// reachable right now. Redis is optional at run time: everything that uses it has an in-process
// fallback (docs/reliability.md), so the server starts and serves while Redis is away and takes
// it back when it returns.
import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

export interface RedisConnections {
  client: Redis;
  subscriber: Redis;
  /** True while both connections are ready. Callers go straight to their fallback when false. */
  isUp(): boolean;
  /**
   * Called with `true` once both connections are ready again after an outage (and the
   * subscriber's channels are re-subscribed), with `false` when one is lost.
   */
  onStateChange(listener: (up: boolean) => void): () => void;
  close(): Promise<void>;
}

/** What services get: the command connection and whether to use it (else their in-process fallback). */
export type SharedRedis = Pick<RedisConnections, 'client' | 'isUp'>;

/** How long start-up waits for Redis before serving without it. */
const CONNECT_WAIT_MS = 2_000;

export async function connectRedis(url: string, log: Logger): Promise<RedisConnections> {
  const open = (role: string, options: { autoPipelining: boolean; queueWhileDown: boolean }) => {
    const redis = new Redis(url, {
      lazyConnect: true,
      connectionName: `wallet-${role}`,
      enableAutoPipelining: options.autoPipelining,
      // The client fails fast while disconnected (the caller uses its fallback at once); the
      // subscriber queues its (UN)SUBSCRIBEs until it is back, however long that takes.
      enableOfflineQueue: options.queueWhileDown,
      maxRetriesPerRequest: options.queueWhileDown ? null : 1,
      // Reconnect quickly at first, then every 2 s at most.
      retryStrategy: (times) => Math.min(times * 100, 2_000),
    });
    return redis;
  };
  // Auto-pipelining sends the commands issued in one tick (a batch's PUBLISHes) together. Not on
  // the subscriber: there it would hold (UN)SUBSCRIBEs back until after a QUIT at shutdown.
  const client = open('client', { autoPipelining: true, queueWhileDown: false });
  const subscriber = open('subscriber', { autoPipelining: false, queueWhileDown: true });
  const events = new EventEmitter();
  let up = false;
  let closing = false;
  let lastError = '';

  const update = async () => {
    const ready = client.status === 'ready' && subscriber.status === 'ready';
    if (ready === up || closing) return;
    if (ready) {
      // A PING on the subscriber answers after the re-SUBSCRIBEs sent on reconnect: from here on,
      // every channel listened to before the outage receives again.
      try {
        await subscriber.ping();
      } catch {
        return;
      }
      if (up || client.status !== 'ready' || subscriber.status !== 'ready') return;
      up = true;
      log.info('redis reachable: shared rate limits, pub/sub and caches in use');
    } else {
      up = false;
      log.warn({ err: lastError || undefined }, 'redis unreachable: serving degraded (in-process rate limits; events wait in the outbox)');
    }
    events.emit('state', up);
  };
  for (const [role, redis] of [
    ['client', client],
    ['subscriber', subscriber],
  ] as const) {
    // ioredis reconnects by itself; remember the error for the state log instead of one line per retry.
    redis.on('error', (err) => {
      if (err.message !== lastError) log.debug({ role, err: err.message }, 'redis connection error');
      lastError = err.message;
    });
    for (const event of ['ready', 'close', 'end']) redis.on(event, () => void update());
  }

  // Start-up waits briefly; a Redis that is down or slow to answer does not stop the server.
  const connected = Promise.allSettled([client.connect(), subscriber.connect()]);
  const timer = new Promise((resolve) => setTimeout(resolve, CONNECT_WAIT_MS).unref());
  await Promise.race([connected, timer]);
  await update();
  if (!up)
    log.warn(
      { err: lastError || 'no answer' },
      'redis unreachable at start (REDIS_URL): starting degraded; it is used as soon as it answers',
    );

  return {
    client,
    subscriber,
    isUp: () => up,
    onStateChange(listener) {
      events.on('state', listener);
      return () => void events.off('state', listener);
    },
    async close() {
      closing = true;
      // Let commands queued for the next auto-pipeline flush go out before QUIT.
      await new Promise((resolve) => setImmediate(resolve));
      const quit = (redis: Redis) => (redis.status === 'ready' ? redis.quit() : Promise.resolve(redis.disconnect()));
      await Promise.allSettled([quit(client), quit(subscriber)]);
    },
  };
}
