// The WebSocket connections open in this process, by what authorised them (session, user, API
// key), so that whatever ends that authorisation also ends the connection and every subscription
// on it: a sign-out or revocation anywhere, a change of the user's roles, a revoked key, or the
// access token running out. Close codes (docs/api.md, "Subscriptions"):
//   4401  the session or API key has ended: sign in again (graphql-ws clients do not retry it)
//   4403  the access token expired or the user's roles changed: reconnect with a fresh token
//         (graphql-ws clients retry it, calling connectionParams again)
import type { Logger } from '../logger.js';
import type { Viewer } from '../schema/context.js';
import type { ApiKeyPrincipal } from '../services/partners/apiKeys.js';

export const CLOSE_SESSION_ENDED = 4401;
export const CLOSE_REAUTHENTICATE = 4403;

/** What a connection is closed through (the `ws` socket, or anything with the same close). */
export interface Closable {
  close(code: number, reason: string): void;
}

export interface LiveConnection {
  socket: Closable;
  viewer?: Viewer;
  apiKey?: ApiKeyPrincipal;
}

/** The questions a re-check asks the database, for every open connection at once. */
export interface LiveCheck {
  liveSessions(sessionIds: string[]): Promise<Set<string>>;
  liveKeys(keyIds: string[]): Promise<Set<string>>;
}

export interface LiveConnections {
  add(connection: LiveConnection): void;
  remove(connection: LiveConnection): void;
  endSessions(sessionIds: string[]): void;
  endUsers(userIds: string[], reason: string): void;
  endKeys(keyIds: string[]): void;
  /** Asks the database about every open connection (after broadcasts may have been missed). */
  recheck(): Promise<void>;
  size(): number;
  /** Clears the expiry timers. */
  close(): void;
}

type Index = Map<string, Set<LiveConnection>>;

const put = (index: Index, key: string, connection: LiveConnection) => {
  let set = index.get(key);
  if (!set) {
    set = new Set();
    index.set(key, set);
  }
  set.add(connection);
};
const drop = (index: Index, key: string, connection: LiveConnection) => {
  const set = index.get(key);
  if (set?.delete(connection) && set.size === 0) index.delete(key);
};

export function createLiveConnections(check: LiveCheck, log: Logger): LiveConnections {
  const bySession: Index = new Map();
  const byUser: Index = new Map();
  const byKey: Index = new Map();
  const open = new Set<LiveConnection>();
  const expiries = new Map<LiveConnection, NodeJS.Timeout>();
  let rechecking: Promise<void> | null = null;

  function end(connection: LiveConnection, code: number, reason: string) {
    registry.remove(connection);
    connection.socket.close(code, reason);
  }
  const endAll = (index: Index, keys: Iterable<string>, code: number, reason: string) => {
    for (const key of keys) for (const connection of [...(index.get(key) ?? [])]) end(connection, code, reason);
  };

  const registry: LiveConnections = {
    add(connection) {
      open.add(connection);
      const { viewer, apiKey } = connection;
      if (viewer) {
        put(bySession, viewer.sessionId, connection);
        put(byUser, viewer.userId, connection);
        const timer = setTimeout(
          () => end(connection, CLOSE_REAUTHENTICATE, 'Access token expired: reconnect with a fresh token'),
          Math.max(0, viewer.tokenExpiresAt * 1000 - Date.now()),
        );
        timer.unref();
        expiries.set(connection, timer);
      }
      if (apiKey) put(byKey, apiKey.keyId, connection);
    },
    remove(connection) {
      open.delete(connection);
      const { viewer, apiKey } = connection;
      if (viewer) {
        drop(bySession, viewer.sessionId, connection);
        drop(byUser, viewer.userId, connection);
      }
      if (apiKey) drop(byKey, apiKey.keyId, connection);
      clearTimeout(expiries.get(connection));
      expiries.delete(connection);
    },
    endSessions: (sessionIds) => endAll(bySession, sessionIds, CLOSE_SESSION_ENDED, 'Session ended: sign in again'),
    endUsers: (userIds, reason) => endAll(byUser, userIds, CLOSE_REAUTHENTICATE, reason),
    endKeys: (keyIds) => endAll(byKey, keyIds, CLOSE_SESSION_ENDED, 'API key revoked'),
    recheck() {
      rechecking ??= (async () => {
        try {
          const sessionIds = [...bySession.keys()];
          const keyIds = [...byKey.keys()];
          const [sessions, keys] = await Promise.all([check.liveSessions(sessionIds), check.liveKeys(keyIds)]);
          const endedSessions = sessionIds.filter((id) => !sessions.has(id));
          const endedKeys = keyIds.filter((id) => !keys.has(id));
          registry.endSessions(endedSessions);
          registry.endKeys(endedKeys);
          if (endedSessions.length || endedKeys.length) {
            log.info(
              { sessions: endedSessions.length, keys: endedKeys.length },
              'connections of ended sessions or keys closed on re-check',
            );
          }
        } catch (err) {
          log.warn({ err: (err as Error).message }, 're-checking open connections failed; trying again later');
        } finally {
          rechecking = null;
        }
      })();
      return rechecking;
    },
    size: () => open.size,
    close() {
      for (const timer of expiries.values()) clearTimeout(timer);
      expiries.clear();
    },
  };
  return registry;
}
