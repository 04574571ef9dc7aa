// A subscription's stream that first sends what the subscriber missed (read once the live
// subscription was in place), then the live events, without sending any of them twice: a live
// event for something already sent as missed is dropped (it committed after the subscription
// started and before the read, so both saw it).
export function catchUpThenLive<T>(
  missed: readonly T[],
  live: AsyncIterableIterator<T>,
  key: (event: T) => string,
): AsyncIterableIterator<T> {
  const queued = [...missed];
  const sent = new Set(missed.map(key));
  const stream: AsyncIterableIterator<T> = {
    async next() {
      const first = queued.shift();
      if (first !== undefined) return { value: first, done: false };
      for (;;) {
        const result = await live.next();
        if (result.done || !sent.has(key(result.value))) return result;
      }
    },
    async return(value?: unknown) {
      queued.length = 0;
      await live.return?.(value);
      return { value: undefined, done: true };
    },
    async throw(err?: unknown) {
      queued.length = 0;
      if (live.throw) return live.throw(err);
      throw err;
    },
    [Symbol.asyncIterator]() {
      return stream;
    },
  };
  return stream;
}
