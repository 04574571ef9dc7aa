// A live stream that opens with the state of the moment: the subscription is in place first (so
// nothing published after it is missed), then `first` is delivered, then what is published. A
// screen that subscribes after the change it waits for (a payment request paid a moment before)
// still sees it, with no query of its own and no race between the two.
export function startWith<T>(first: T, rest: AsyncIterableIterator<T>): AsyncIterableIterator<T> {
  let sentFirst = false;
  const stream: AsyncIterableIterator<T> = {
    next() {
      if (sentFirst) return rest.next();
      sentFirst = true;
      return Promise.resolve({ value: first, done: false });
    },
    // Ending the stream before its first event still ends the subscription under it.
    async return(value?: unknown) {
      sentFirst = true;
      await rest.return?.(value);
      return { value: undefined, done: true };
    },
    async throw(err?: unknown) {
      sentFirst = true;
      if (rest.throw) return rest.throw(err);
      throw err;
    },
    [Symbol.asyncIterator]() {
      return stream;
    },
  };
  return stream;
}
