// Publish/subscribe for live updates: Redis (graphql-redis-subscriptions) when REDIS_URL is set,
// so every server process sees every event; in memory otherwise. Payloads are JSON in both
// modes (the in-memory one round-trips through JSON too), so subscribers see the same shapes.
// Redis may be away for a while (docs/reliability.md): publishing then fails at once (the events
// stay in the outbox and the relay publishes them later), and subscribing does not wait for it.
// When it is back, subscribers that asked for it get a RESYNC marker: whatever was published
// meanwhile may have missed them, so they catch up from the database.
import { EventEmitter } from 'node:events';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { PubSub as MemoryPubSub } from 'graphql-subscriptions';
import type { Redis } from 'ioredis';

/** Delivered to subscribers that asked for `resync` when the pub/sub is back after an outage. */
export const RESYNC = Object.freeze({ resync: true as const });
export type Resync = typeof RESYNC;
export const isResync = (message: unknown): message is Resync => message === RESYNC;

export interface SubscribeOptions {
  /** The server's own listener (revocations): not counted in subscriptionCount(). */
  internal?: boolean;
  /** Also receive RESYNC after an outage of the pub/sub (the subscriber then re-reads what it watches). */
  resync?: boolean;
}

export interface PubSub {
  readonly kind: 'redis' | 'memory';
  publish(topic: string, payload: unknown): Promise<void>;
  /**
   * Listens to a topic. Resolves once the subscription is in place (for Redis: acknowledged), so
   * anything published after that is delivered; `return()` on the iterator unsubscribes. While
   * the pub/sub is down it resolves at once, and `resync` subscribers get RESYNC when it is back.
   */
  subscribe<T>(topic: string, options?: SubscribeOptions): Promise<AsyncIterableIterator<T>>;
  /**
   * Resolves once everything published before the call has been delivered to this process's
   * subscriptions (for Redis: a PING on the subscriber connection, which answers after the
   * messages ahead of it; one PING serves every caller that arrives while the previous one is out).
   */
  sync(): Promise<void>;
  /** Active client subscriptions in this process, not counting the server's own (to catch listener leaks). */
  subscriptionCount(): number;
  /** False while the shared pub/sub is unreachable: broadcasts then reach this process only. */
  isUp(): boolean;
  /** `listener(true)` when the pub/sub is back after an outage (after the RESYNCs), `(false)` when lost. */
  onStateChange(listener: (up: boolean) => void): () => void;
  close(): Promise<void>;
}

export interface PubSubHealth {
  isUp(): boolean;
  onStateChange(listener: (up: boolean) => void): () => void;
}

interface Engine {
  publish(topic: string, payload: unknown): Promise<void>;
  subscribe(topic: string, onMessage: (message: unknown) => void): Promise<number>;
  unsubscribe(id: number): void;
}

/** A subscriber that falls this far behind is cut off rather than buffering without bound. */
const MAX_BUFFERED = 10_000;

const alwaysUp: PubSubHealth = { isUp: () => true, onStateChange: () => () => {} };

function createPubSub(
  kind: PubSub['kind'],
  engine: Engine,
  extra: { prefix: string; encode: (p: unknown) => unknown; health: PubSubHealth; sync: () => Promise<void> },
): PubSub {
  let active = 0;
  const { health } = extra;
  /** Deliver functions of the `resync` subscribers. */
  const resyncing = new Set<(message: unknown) => void>();
  const listeners = new EventEmitter();
  health.onStateChange((up) => {
    if (up) for (const deliver of resyncing) deliver(RESYNC);
    listeners.emit('state', up);
  });
  return {
    kind,
    async publish(topic, payload) {
      if (!health.isUp()) throw new Error('pub/sub unreachable');
      await engine.publish(extra.prefix + topic, extra.encode(payload));
    },
    async subscribe<T>(topic: string, options: SubscribeOptions = {}) {
      const counted = options.internal ? 0 : 1;
      const buffer: T[] = [];
      let waiting: ((r: IteratorResult<T>) => void) | null = null;
      let failure: Error | null = null;
      let open = true;
      const deliver = (message: unknown) => {
        if (!open) return;
        if (waiting) {
          const resolve = waiting;
          waiting = null;
          resolve({ value: message as T, done: false });
        } else if (buffer.length >= MAX_BUFFERED) {
          failure = new Error(`Subscriber too slow: more than ${MAX_BUFFERED} events waiting. Resubscribe with afterSequence.`);
          close();
        } else buffer.push(message as T);
      };
      const subscribed = engine.subscribe(extra.prefix + topic, deliver);
      // Down: the SUBSCRIBE waits in the connection's queue; the subscriber is told to resync when it is back.
      if (health.isUp()) await subscribed;
      else subscribed.catch(() => {});
      if (options.resync) resyncing.add(deliver);
      active += counted;
      const close = () => {
        if (!open) return;
        open = false;
        active -= counted;
        resyncing.delete(deliver);
        subscribed.then(
          (id) => engine.unsubscribe(id),
          () => {},
        );
        waiting?.({ value: undefined, done: true });
        waiting = null;
      };
      const iterator: AsyncIterableIterator<T> = {
        next() {
          if (buffer.length) return Promise.resolve({ value: buffer.shift()!, done: false });
          if (failure) return Promise.reject(failure);
          if (!open) return Promise.resolve({ value: undefined, done: true });
          return new Promise((resolve) => (waiting = resolve));
        },
        async return() {
          close();
          buffer.length = 0;
          return { value: undefined, done: true };
        },
        async throw(err?: unknown) {
          close();
          throw err;
        },
        [Symbol.asyncIterator]() {
          return iterator;
        },
      };
      return iterator;
    },
    sync: extra.sync,
    subscriptionCount: () => active,
    isUp: () => health.isUp(),
    onStateChange(listener) {
      listeners.on('state', listener);
      return () => void listeners.off('state', listener);
    },
    // The Redis connections belong to the app, which closes them after the server stops.
    async close() {},
  };
}

export function createRedisPubSub(publisher: Redis, subscriber: Redis, prefix = '', health: PubSubHealth = alwaysUp): PubSub {
  const engine = new RedisPubSub({ publisher, subscriber });
  return createPubSub('redis', engine, {
    health,
    prefix,
    encode: (p) => p,
    sync: batchedPing(subscriber),
  });
}

/** A PING sent after the call, shared by the callers that arrive while one is out. */
function batchedPing(subscriber: Redis): () => Promise<void> {
  let out: Promise<void> | null = null;
  let next: Promise<void> | null = null;
  const send = () => {
    const ping = subscriber.ping().then(() => {});
    out = ping;
    const done = () => {
      if (out === ping) out = null;
    };
    ping.then(done, done);
    return ping;
  };
  return () => {
    if (!out) return send();
    // The PING that is out may have left before this call: wait for the next one.
    next ??= out
      .catch(() => {})
      .then(() => {
        next = null;
        return send();
      });
    return next;
  };
}

export function createMemoryPubSub(): PubSub {
  // Every subscriber is one listener on its topic; many per topic is normal, not a leak
  // (subscriptionCount() is the leak check).
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const engine = new MemoryPubSub({ eventEmitter: emitter });
  return createPubSub('memory', engine, {
    health: alwaysUp,
    // Delivery is synchronous: whatever was published has been delivered.
    sync: async () => {},
    prefix: '',
    encode: (p) => JSON.parse(JSON.stringify(p)),
  });
}
