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
  /** An async iterator of a topic's payloads; `return()` unsubscribes. */
  subscribe<T>(topic: string): AsyncIterableIterator<T>;
  /** Active subscriptions in this process (to catch listener leaks). */
  subscriptionCount(): number;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function createRedisPubSub(publisher: Redis, subscriber: Redis, prefix = ''): PubSub {
  const pubsub = new RedisPubSub({ publisher, subscriber });
  let active = 0;
  return {
    kind: 'redis',
    publish: (topic, payload) => pubsub.publish(prefix + topic, payload),
    subscribe: <T>(topic: string) =>
      countActive(pubsub.asyncIterableIterator(prefix + topic) as AsyncIterableIterator<T>, (d) => (active += d)),
    subscriptionCount: () => active,
    async ping() {
      await publisher.ping();
    },
    // The Redis connections belong to the app, which closes them after the server stops.
    async close() {},
  };
}

export function createMemoryPubSub(): PubSub {
  // Every subscriber is one listener on its topic; many per topic is normal, not a leak
  // (subscriptionCount() is the leak check).
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const pubsub = new MemoryPubSub({ eventEmitter: emitter });
  let active = 0;
  return {
    kind: 'memory',
    publish: (topic, payload) => pubsub.publish(topic, JSON.parse(JSON.stringify(payload))),
    subscribe: <T>(topic: string) => countActive(pubsub.asyncIterableIterator<T>(topic), (d) => (active += d)),
    subscriptionCount: () => active,
    async ping() {},
    async close() {},
  };
}

/** Wraps an iterator so the count of live subscriptions drops exactly once when it ends. */
function countActive<T>(inner: AsyncIterableIterator<T>, add: (delta: number) => void): AsyncIterableIterator<T> {
  add(1);
  let open = true;
  const done = () => {
    if (open) {
      open = false;
      add(-1);
    }
  };
  return {
    next: () => inner.next(),
    async return(value?: unknown) {
      done();
      return (await inner.return?.(value)) ?? { done: true, value: undefined };
    },
    async throw(err?: unknown) {
      done();
      return (await inner.throw?.(err)) ?? { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
