// Each process's cache of users' wallets (balances, holds, status), so `me { wallets { balance } }`
// and `wallet(id)` answer without a database round trip. It is kept by the ledger's own events:
// every committed change to a user wallet is in the outbox (events/walletChanges.ts says which
// wallets each event changed), and the cache drops what a change names, so the next read fills
// it from the database again. Dropping rather than applying the event's figures needs no order
// between events, and a fill that raced a change is not kept (generations, below).
//
// Read-your-writes:
// - in this process, a commit's events reach the cache before the writer answers its client
//   (OutboxPublisher.publishCommitted tells observers first);
// - across processes, each announces itself on the shared channel; while another is alive, a
//   writer answers only once its events are published (othersMustSee), and a read first waits
//   for the pub/sub to deliver everything published before it began (PubSub.sync), so a client
//   that wrote through one process and reads through another sees its write.
// While the pub/sub is down nothing is cached (a change elsewhere could not reach us); when it is
// back the cache starts empty. A newly started process caches nothing until the others have had
// time to hear it announce itself (whenCaching says when that is over).
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../logger.js';
import type { CommitObserver, OutboxEvent } from '../events/outbox.js';
import type { PubSub } from '../events/pubsub.js';
import { topics, type ProcessHello, type WalletsChanged } from '../events/topics.js';
import { walletChangesOf } from '../events/walletChanges.js';
import type { WalletRecord } from './model.js';

const CACHE_LIMIT = 100_000;
/** How often a process announces itself, and how long another one counts as alive after it did. */
const HELLO_EVERY_MS = 2_000;
const PEER_ALIVE_MS = 3 * HELLO_EVERY_MS;
/** How long after its announcement was delivered a process starts caching (the others have heard it by then). */
const HEARD_AFTER_MS = 100;
/** How long a read waits for the pub/sub to catch up before asking the database instead. */
const SYNC_WAIT_MS = 50;

export interface WalletCache extends CommitObserver {
  /**
   * Each user's wallets, from the cache where it holds them and through `load` (then kept) for
   * the rest; results in `userIds` order.
   */
  walletsOf(userIds: readonly string[], load: (userIds: readonly string[]) => Promise<WalletRecord[][]>): Promise<WalletRecord[][]>;
  /** The user wallet if it is cached (after the same freshness wait as walletsOf); undefined when not. */
  wallet(walletId: string): Promise<WalletRecord | undefined>;
  /** Hears other processes' changes and announces this one; returns a stop function. */
  listen(): Promise<() => Promise<void>>;
  /**
   * Resolves once reads are served from the cache: after listen(), and over Redis a moment after
   * this process's announcement was delivered (or after the pub/sub is back from an outage). For
   * tests that need a cached read; rejects at once when the cache is switched off.
   */
  whenCaching(): Promise<void>;
  /** Entries held, hits and misses since start (for metrics and tests). */
  stats(): { users: number; hits: number; misses: number };
}

export function createWalletCache(deps: { pubsub: PubSub; cacheSeconds: number; log: Logger }): WalletCache {
  const { pubsub } = deps;
  const self = randomUUID();
  /** When Redis delivered this process's announcement to the others (0: not since it was last down). */
  let announcedAt = 0;
  /** Each cached user's wallets, and until when they may be served. */
  const lists = new Map<string, { wallets: WalletRecord[]; until: number }>();
  /** The owner of each wallet in `lists`, to drop the list when a change names the wallet. */
  const ownerOf = new Map<string, string>();
  /** Other processes and when each last announced itself. */
  const peers = new Map<string, number>();
  let listening = false;
  /** Callers of whenCaching waiting for caching() to turn true. */
  const waiting: (() => void)[] = [];
  let hits = 0;
  let misses = 0;

  // Generations: every change bumps `generation` and records it against the wallets and users it
  // names ('w' + id, 'u' + id; oldest first). A fill that began at generation g keeps nothing that
  // a change after g named: it may have read the row before that change committed.
  let generation = 0;
  /** Fills that began before this generation keep nothing (the pub/sub was away meanwhile). */
  let resetAt = 0;
  const changedAt = new Map<string, number>();
  /** Generations at which running fills began (with counts), to know which records can be forgotten. */
  const fillsFrom = new Map<number, number>();

  const othersAlive = () => {
    const now = Date.now();
    for (const [id, seen] of peers) if (now - seen > PEER_ALIVE_MS) peers.delete(id);
    return peers.size > 0;
  };
  // Off when configured so, before listening, while the pub/sub is down, and until the other
  // processes have heard of this one (before that they would answer writes without waiting for it).
  const caching = () =>
    deps.cacheSeconds > 0 &&
    listening &&
    pubsub.isUp() &&
    (pubsub.kind === 'memory' || (announcedAt > 0 && Date.now() - announcedAt > HEARD_AFTER_MS));

  /** Resolves whenCaching's callers once caching; while only the time since the announcement is missing, checks again then. */
  function wakeWhenCaching() {
    if (!waiting.length) return;
    if (caching()) {
      for (const resolve of waiting.splice(0)) resolve();
      return;
    }
    if (listening && pubsub.isUp() && announcedAt > 0) {
      setTimeout(wakeWhenCaching, Math.max(1, announcedAt + HEARD_AFTER_MS + 1 - Date.now())).unref();
    }
  }

  function drop(userId: string) {
    const entry = lists.get(userId);
    if (!entry) return;
    lists.delete(userId);
    for (const w of entry.wallets) ownerOf.delete(w.id);
  }

  function mark(key: string) {
    changedAt.delete(key);
    changedAt.set(key, generation);
  }

  function apply(changed: WalletsChanged) {
    generation++;
    for (const id of changed.walletIds) {
      mark(`w${id}`);
      const owner = ownerOf.get(id);
      if (owner) drop(owner);
    }
    for (const id of changed.userIds) {
      mark(`u${id}`);
      drop(id);
    }
    // Forget changes older than every running fill.
    if (changedAt.size > 10_000) {
      const oldest = fillsFrom.size ? Math.min(...fillsFrom.keys()) : generation;
      for (const [key, at] of changedAt) {
        if (at >= oldest) break;
        changedAt.delete(key);
      }
    }
  }

  const changedSince = (key: string, from: number) => (changedAt.get(key) ?? -1) > from;

  function keep(userId: string, wallets: WalletRecord[], from: number) {
    if (!caching() || from < resetAt || changedSince(`u${userId}`, from) || wallets.some((w) => changedSince(`w${w.id}`, from))) return;
    drop(userId);
    if (lists.size >= CACHE_LIMIT) drop(lists.keys().next().value!);
    lists.set(userId, { wallets, until: Date.now() + deps.cacheSeconds * 1000 });
    for (const w of wallets) ownerOf.set(w.id, userId);
  }

  function cached(userId: string) {
    const entry = lists.get(userId);
    if (!entry) return undefined;
    if (entry.until > Date.now()) return entry.wallets;
    drop(userId);
    return undefined;
  }

  /**
   * Whether everything another process committed before this read began has reached the cache;
   * false when that could not be made sure of in time (then the read goes to the database).
   */
  async function fresh(): Promise<boolean> {
    if (!othersAlive()) return true;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => (timer = setTimeout(resolve, SYNC_WAIT_MS, false)));
    const synced = await Promise.race([
      pubsub.sync().then(
        () => true,
        () => false,
      ),
      late,
    ]);
    clearTimeout(timer);
    // The listener applies what sync delivered in promise callbacks; let them all run first.
    await new Promise((resolve) => setImmediate(resolve));
    return synced && caching();
  }

  return {
    committed(events: OutboxEvent[]) {
      const changed = walletChangesOf(events);
      if (changed) apply(changed);
    },

    othersMustSee: () => deps.cacheSeconds > 0 && othersAlive(),

    async walletsOf(userIds, load) {
      if (!caching() || !(await fresh())) return load(userIds);
      const results = userIds.map(cached);
      const missing = userIds.filter((_, i) => !results[i]);
      hits += userIds.length - missing.length;
      if (!missing.length) return results as WalletRecord[][];
      misses += missing.length;
      const from = generation;
      fillsFrom.set(from, (fillsFrom.get(from) ?? 0) + 1);
      try {
        const loaded = await load(missing);
        missing.forEach((userId, i) => keep(userId, loaded[i]!, from));
        let next = 0;
        return results.map((r) => r ?? loaded[next++]!);
      } finally {
        const left = fillsFrom.get(from)! - 1;
        if (left) fillsFrom.set(from, left);
        else fillsFrom.delete(from);
      }
    },

    async wallet(walletId) {
      if (!caching() || !(await fresh())) return undefined;
      const owner = ownerOf.get(walletId);
      const found = owner ? cached(owner)?.find((w) => w.id === walletId) : undefined;
      if (found) hits++;
      return found;
    },

    async listen() {
      const changes = await pubsub.subscribe<WalletsChanged | ProcessHello>(topics.walletsChanged, { internal: true });
      const done = (async () => {
        for await (const message of changes) {
          if ('hello' in message) {
            if (message.hello !== self) peers.set(message.hello, Date.now());
          } else apply(message);
        }
      })();
      const hello = async () => {
        if (!pubsub.isUp() || pubsub.kind !== 'redis') return;
        try {
          await pubsub.publish(topics.walletsChanged, { hello: self } satisfies ProcessHello);
          announcedAt ||= Date.now();
          wakeWhenCaching();
        } catch {
          // Down again: the state change says so, and the next announcement follows.
        }
      };
      await hello();
      const timer = setInterval(() => void hello(), HELLO_EVERY_MS);
      timer.unref();
      // Down: nothing is served from the cache (caching() is false). Back: what was missed is gone.
      const stopWatching = pubsub.onStateChange((up) => {
        for (const userId of [...lists.keys()]) drop(userId);
        resetAt = ++generation;
        announcedAt = 0;
        if (up) void hello();
      });
      listening = true;
      wakeWhenCaching();
      return async () => {
        listening = false;
        clearInterval(timer);
        stopWatching();
        await changes.return?.();
        await done;
      };
    },

    whenCaching() {
      if (deps.cacheSeconds <= 0) return Promise.reject(new Error('The wallet cache is switched off (WALLET_CACHE_SECONDS=0).'));
      const started = new Promise<void>((resolve) => waiting.push(resolve));
      wakeWhenCaching();
      return started;
    },

    stats: () => ({ users: lists.size, hits, misses }),
  };
}
