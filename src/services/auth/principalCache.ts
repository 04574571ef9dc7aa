// What each process remembers about sessions (who a session is: user, roles, live or not) and who
// is told when that changes. A change made here is applied at once (apply); changes made by other
// processes arrive over the pub/sub from the outbox (listen). While the broadcast channel is down
// nothing is remembered, since a revocation elsewhere could not reach this cache; when it comes
// back the cache is emptied and listeners are asked to re-check ('recheck').
import { EventEmitter } from 'node:events';
import type { Logger } from '../../logger.js';
import type { PubSub } from '../events/pubsub.js';
import { topics, type SessionsRevoked, type UsersChanged } from '../events/topics.js';
import type { Role } from './accessTokens.js';

const CACHE_LIMIT = 50_000;

/** Who a live or ended session is: its user and that user's roles now (not the token's). */
export interface SessionPrincipal {
  userId: string;
  roles: Role[];
  active: boolean;
}

/** What may end or change what a session was allowed to do, for whoever holds it open (WebSockets). */
export type PrincipalChange =
  | { kind: 'sessionsEnded'; sessionIds: string[] }
  | { kind: 'usersChanged'; userIds: string[] }
  /** Broadcasts may have been missed (the channel was down): check every live session again. */
  | { kind: 'recheck' };

export function createPrincipalCache(deps: { pubsub: PubSub; cacheSeconds: number; log: Logger }) {
  const cache = new Map<string, { principal: SessionPrincipal; until: number }>();
  const changes = new EventEmitter();
  changes.setMaxListeners(0);

  /** Applies a change here (cache, listeners); other processes get it from the outbox. */
  const apply = (change: PrincipalChange) => {
    if (change.kind === 'sessionsEnded') {
      for (const id of change.sessionIds) {
        const cached = cache.get(id);
        if (cached) cached.principal = { ...cached.principal, active: false };
      }
    } else if (change.kind === 'usersChanged') {
      const users = new Set(change.userIds);
      for (const [id, entry] of cache) if (users.has(entry.principal.userId)) cache.delete(id);
    } else cache.clear();
    changes.emit('change', change);
  };

  return {
    apply,

    remember(sessionId: string, principal: SessionPrincipal) {
      if (deps.cacheSeconds === 0 || !deps.pubsub.isUp()) return;
      if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
      cache.set(sessionId, { principal, until: Date.now() + deps.cacheSeconds * 1000 });
    },

    /** The remembered principal, if still fresh. */
    recall(sessionId: string): SessionPrincipal | null {
      const cached = cache.get(sessionId);
      return cached && cached.until > Date.now() ? cached.principal : null;
    },

    onChange(listener: (change: PrincipalChange) => void) {
      const wrapped = (change: PrincipalChange) => {
        try {
          listener(change);
        } catch (err) {
          deps.log.error({ err }, 'session change listener failed');
        }
      };
      changes.on('change', wrapped);
      return () => void changes.off('change', wrapped);
    },

    /** Hears other processes' revocations and role changes; returns a stop function. */
    async listen() {
      const [revocations, userChanges] = await Promise.all([
        deps.pubsub.subscribe<SessionsRevoked>(topics.sessionsRevoked, { internal: true }),
        deps.pubsub.subscribe<UsersChanged>(topics.usersChanged, { internal: true }),
      ]);
      const done = Promise.all([
        (async () => {
          for await (const event of revocations) apply({ kind: 'sessionsEnded', sessionIds: event.sessionIds });
        })(),
        (async () => {
          for await (const event of userChanges) apply({ kind: 'usersChanged', userIds: event.userIds });
        })(),
      ]);
      // Down: nothing is remembered (remember() skips). Back: what was missed is re-read.
      const stopWatching = deps.pubsub.onStateChange((up) => {
        if (up) apply({ kind: 'recheck' });
        else cache.clear();
      });
      return async () => {
        stopWatching();
        await Promise.all([revocations.return?.(), userChanges.return?.()]);
        await done;
      };
    },
  };
}
