// Publish/subscribe for live updates: Redis (graphql-redis-subscriptions) when REDIS_URL is set,
// so every server process sees every event; in memory otherwise. Payloads are JSON in both
// modes (the in-memory one round-trips through JSON too), so subscribers see the same shapes.
import { EventEmitter } from 'node:events';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { PubSub as MemoryPubSub } from 'graphql-subscriptions';
import type { Redis } from 'ioredis';

export interface PubSub {
  readonly kind: 'redis' | 'memory';
  publish(topic: string, payload: unknown): Promise<void>;
  /**
   * Listens to a topic. Resolves once the subscription is in place (for Redis: acknowledged), so
   * anything published after that is delivered; `return()` on the iterator unsubscribes.
   */
  subscribe<T>(topic: string, options?: { internal?: boolean }): Promise<AsyncIterableIterator<T>>;
  /** Active client subscriptions in this process, not counting the server's own (to catch listener leaks). */
  subscriptionCount(): number;
  ping(): Promise<void>;
  close(): Promise<void>;
}

interface Engine {
  publish(topic: string, payload: unknown): Promise<void>;
  subscribe(topic: string, onMessage: (message: unknown) => void): Promise<number>;
  unsubscribe(id: number): void;
}

/** A subscriber that falls this far behind is cut off rather than buffering without bound. */
const MAX_BUFFERED = 10_000;

function createPubSub(kind: PubSub['kind'], engine: Engine, extra: { ping(): Promise<void>; prefix: string; encode: (p: unknown) => unknown }): PubSub {
  let active = 0;
  return {
    kind,
    publish: (topic, payload) => engine.publish(extra.prefix + topic, extra.encode(payload)),
    async subscribe<T>(topic: string, options: { internal?: boolean } = {}) {
      const counted = options.internal ? 0 : 1;
      const buffer: T[] = [];
      let waiting: ((r: IteratorResult<T>) => void) | null = null;
      let failure: Error | null = null;
      let open = true;
      const id = await engine.subscribe(extra.prefix + topic, (message) => {
        if (!open) return;
        if (waiting) {
          const resolve = waiting;
          waiting = null;
          resolve({ value: message as T, done: false });
        } else if (buffer.length >= MAX_BUFFERED) {
          failure = new Error(`Subscriber too slow: more than ${MAX_BUFFERED} events waiting. Resubscribe with afterSequence.`);
          close();
        } else buffer.push(message as T);
      });
      active += counted;
      const close = () => {
        if (!open) return;
        open = false;
        active -= counted;
        engine.unsubscribe(id);
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
    subscriptionCount: () => active,
    ping: () => extra.ping(),
    // The Redis connections belong to the app, which closes them after the server stops.
    async close() {},
  };
}

export function createRedisPubSub(publisher: Redis, subscriber: Redis, prefix = ''): PubSub {
  const engine = new RedisPubSub({ publisher, subscriber });
  return createPubSub('redis', engine, {
    prefix,
    encode: (p) => p,
    ping: async () => {
      await publisher.ping();
    },
  });
}

export function createMemoryPubSub(): PubSub {
  // Every subscriber is one listener on its topic; many per topic is normal, not a leak
  // (subscriptionCount() is the leak check).
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const engine = new MemoryPubSub({ eventEmitter: emitter });
  return createPubSub('memory', engine, {
    prefix: '',
    encode: (p) => JSON.parse(JSON.stringify(p)),
    ping: async () => {},
  });
}
