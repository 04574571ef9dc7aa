// The sliding-window counter behind the velocity rule (in memory here; the Redis one runs in the
// API tests on PostgreSQL + Redis): counts within a window, across a window boundary (where a
// fixed window would forget), and fading out as the previous bucket leaves the window.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWindowCounter } from '../../src/services/ratelimit/limiters.js';

afterEach(() => vi.useRealTimers());

describe('createWindowCounter (in memory)', () => {
  it('counts hits per key and window, and peeks without counting', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-26T12:00:10Z') });
    const counter = createWindowCounter(undefined, 't:', [60, 3600]);
    expect(await counter.hit(['a', 'b'])).toEqual([
      [1, 1],
      [1, 1],
    ]);
    expect(await counter.hit(['a'])).toEqual([[2, 2]]);
    expect(await counter.peek('a')).toEqual([2, 2]);
    expect(await counter.peek('c')).toEqual([0, 0]);
  });

  it('still sees a burst that straddles a minute boundary', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-26T12:00:59.500Z') });
    const counter = createWindowCounter(undefined, 't:', [60]);
    for (let i = 0; i < 5; i++) await counter.hit(['a']);
    vi.setSystemTime(new Date('2026-11-26T12:01:00.100Z'));
    let last: number[][] = [];
    for (let i = 0; i < 6; i++) last = await counter.hit(['a']);
    // 6 in this minute's bucket + 5 × (1 - 0.1 s / 60 s) of the previous one, rounded up.
    expect(last[0]![0]).toBe(11);
  });

  it('forgets the previous bucket as it leaves the window', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-26T12:00:30Z') });
    const counter = createWindowCounter(undefined, 't:', [60]);
    for (let i = 0; i < 10; i++) await counter.hit(['a']);
    vi.setSystemTime(new Date('2026-11-26T12:01:30Z'));
    expect(await counter.peek('a')).toEqual([5]);
    vi.setSystemTime(new Date('2026-11-26T12:02:00Z'));
    expect(await counter.peek('a')).toEqual([0]);
  });
});
