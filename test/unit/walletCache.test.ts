// The wallet cache's bookkeeping, driven directly: what it keeps, what a change drops, and that a
// fill racing a change keeps nothing (the fill may have read the row before the change committed).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryPubSub } from '../../src/services/events/pubsub.js';
import { topics } from '../../src/services/events/topics.js';
import { createWalletCache, type WalletCache } from '../../src/services/wallets/walletCache.js';
import type { WalletRecord } from '../../src/services/wallets/model.js';
import { createLogger } from '../../src/logger.js';

const wallet = (id: string, userId: string, posted: bigint): WalletRecord => ({
  id,
  userId,
  currency: 'USD',
  status: 'ACTIVE',
  postedBalance: posted,
  heldAmount: 0n,
  sequence: 1n,
  createdAt: new Date(0),
});

/** A `load` over a table the test edits, counting the users it was asked for. */
function table() {
  const rows = new Map<string, WalletRecord[]>();
  const asked: string[] = [];
  let gate: Promise<void> | null = null;
  return {
    rows,
    asked,
    /** Holds loads until `release()`: they have read the rows, and not answered yet. */
    hold() {
      let release!: () => void;
      gate = new Promise((resolve) => (release = resolve));
      return () => {
        gate = null;
        release();
      };
    },
    load: async (userIds: readonly string[]) => {
      asked.push(...userIds);
      const read = userIds.map((id) => rows.get(id) ?? []);
      await gate; // null when not held
      return read;
    },
  };
}

const posted = (walletId: string) => ({
  id: 1,
  topic: 'ledger.posted',
  payload: {
    transfers: [
      {
        transactionId: 't',
        status: 'POSTED',
        currency: 'USD',
        sides: [{ walletId, userId: 'x', sequence: 2, postedBalance: '0', heldAmount: '0' }],
      },
    ],
  },
});

let cache: WalletCache;
let stop: () => Promise<void>;
beforeEach(async () => {
  cache = createWalletCache({ pubsub: createMemoryPubSub(), cacheSeconds: 60, log: createLogger({ level: 'silent' }) });
  stop = await cache.listen();
});
afterEach(async () => stop());

describe('wallet cache', () => {
  it('keeps what it loaded, and loads again only what a change named', async () => {
    const db = table();
    db.rows.set('u1', [wallet('w1', 'u1', 100n)]);
    db.rows.set('u2', [wallet('w2', 'u2', 200n)]);
    expect(await cache.walletsOf(['u1', 'u2'], db.load)).toEqual([db.rows.get('u1'), db.rows.get('u2')]);
    expect(await cache.walletsOf(['u2', 'u1'], db.load)).toEqual([db.rows.get('u2'), db.rows.get('u1')]);
    expect(db.asked).toEqual(['u1', 'u2']);

    db.rows.set('u1', [wallet('w1', 'u1', 150n)]);
    cache.committed([posted('w1')]);
    expect((await cache.walletsOf(['u1', 'u2'], db.load))[0]![0]!.postedBalance).toBe(150n);
    expect(db.asked).toEqual(['u1', 'u2', 'u1']);
    expect((await cache.wallet('w1'))?.postedBalance).toBe(150n);
  });

  it('keeps nothing from a fill that a change raced', async () => {
    const db = table();
    db.rows.set('u1', [wallet('w1', 'u1', 100n)]);
    const release = db.hold();
    const filling = cache.walletsOf(['u1'], db.load);
    await Promise.resolve();
    // The change commits after the fill read the row, before the fill answered.
    db.rows.set('u1', [wallet('w1', 'u1', 90n)]);
    cache.committed([posted('w1')]);
    release();
    expect((await filling)[0]![0]!.postedBalance).toBe(100n); // what it read, answered once
    expect((await cache.walletsOf(['u1'], db.load))[0]![0]!.postedBalance).toBe(90n); // not kept: read again
    expect(db.asked).toEqual(['u1', 'u1']);
  });

  it('drops a user whose wallets changed in number, and hears changes from the pub/sub', async () => {
    const pubsub = createMemoryPubSub();
    const shared = createWalletCache({ pubsub, cacheSeconds: 60, log: createLogger({ level: 'silent' }) });
    const stopShared = await shared.listen();
    try {
      const db = table();
      db.rows.set('u1', [wallet('w1', 'u1', 100n)]);
      await shared.walletsOf(['u1'], db.load);
      db.rows.set('u1', [wallet('w1', 'u1', 100n), wallet('w9', 'u1', 0n)]);
      // As another process's publisher sends it.
      await pubsub.publish(topics.walletsChanged, { walletIds: [], userIds: ['u1'] });
      expect((await shared.walletsOf(['u1'], db.load))[0]).toHaveLength(2);
      expect(db.asked).toEqual(['u1', 'u1']);
    } finally {
      await stopShared();
    }
  });

  it('over Redis, starts caching a moment after its announcement, which whenCaching waits for', async () => {
    // The clock stands still until the test moves it: "a moment" is then exactly the test's.
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    // The memory pub/sub in Redis' clothes: the cache then waits until the others have heard it.
    const redis = { ...createMemoryPubSub(), kind: 'redis' as const };
    const fresh = createWalletCache({ pubsub: redis, cacheSeconds: 60, log: createLogger({ level: 'silent' }) });
    let started = false;
    void fresh.whenCaching().then(() => (started = true));
    const stopFresh = await fresh.listen();
    try {
      const db = table();
      db.rows.set('u1', [wallet('w1', 'u1', 100n)]);
      await fresh.walletsOf(['u1'], db.load);
      await fresh.walletsOf(['u1'], db.load);
      expect(db.asked).toEqual(['u1', 'u1']);
      expect(started).toBe(false);
      await vi.advanceTimersByTimeAsync(150);
      expect(started).toBe(true);
      await fresh.walletsOf(['u1'], db.load);
      await fresh.walletsOf(['u1'], db.load);
      expect(db.asked).toEqual(['u1', 'u1', 'u1']);
      await expect(fresh.whenCaching()).resolves.toBeUndefined();
    } finally {
      vi.useRealTimers();
      await stopFresh();
    }
  });

  it('caches nothing when switched off', async () => {
    const off = createWalletCache({ pubsub: createMemoryPubSub(), cacheSeconds: 0, log: createLogger({ level: 'silent' }) });
    const stopOff = await off.listen();
    const db = table();
    await off.walletsOf(['u1'], db.load);
    await off.walletsOf(['u1'], db.load);
    expect(db.asked).toEqual(['u1', 'u1']);
    expect(await off.wallet('w1')).toBeUndefined();
    await expect(off.whenCaching()).rejects.toThrow(/switched off/);
    await stopOff();
  });
});
