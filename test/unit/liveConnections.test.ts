// The registry of open WebSocket connections: what ends a session, a user's roles or a key closes
// exactly the connections it authorised, with the documented codes; an access token closes its
// connection when it expires; a re-check closes those whose session or key has ended meanwhile.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { createLiveConnections, type LiveCheck, type LiveConnection } from '../../src/server/liveConnections.js';

const log = createLogger({ level: 'silent' });

function socket() {
  const closes: { code: number; reason: string }[] = [];
  return { closes, close: (code: number, reason: string) => void closes.push({ code, reason }) };
}

function viewerConnection(userId: string, sessionId: string, expiresInSeconds = 600) {
  const s = socket();
  const connection: LiveConnection = {
    socket: s,
    viewer: { userId, sessionId, roles: ['USER'], tokenExpiresAt: Math.floor(Date.now() / 1000) + expiresInSeconds },
  };
  return { connection, closes: s.closes };
}

function keyConnection(keyId: string) {
  const s = socket();
  const connection: LiveConnection = {
    socket: s,
    apiKey: { keyId, merchantId: 'm', scopes: ['payments:read'], client: 'c', createdBy: 'u' },
  };
  return { connection, closes: s.closes };
}

const everythingLive: LiveCheck = {
  liveSessions: async (ids) => new Set(ids),
  liveKeys: async (ids) => new Set(ids),
};

afterEach(() => vi.useRealTimers());

describe('live connections', () => {
  it('ends the connections of an ended session with 4401, and no others', () => {
    const live = createLiveConnections(everythingLive, log);
    const a1 = viewerConnection('u1', 's1');
    const a2 = viewerConnection('u1', 's1');
    const b = viewerConnection('u1', 's2');
    for (const c of [a1, a2, b]) live.add(c.connection);
    live.endSessions(['s1']);
    expect(a1.closes).toEqual([{ code: 4401, reason: 'Session ended: sign in again' }]);
    expect(a2.closes).toHaveLength(1);
    expect(b.closes).toEqual([]);
    expect(live.size()).toBe(1);
    live.close();
  });

  it("ends a user's connections with 4403 when their roles change, and a key's with 4401", () => {
    const live = createLiveConnections(everythingLive, log);
    const user = viewerConnection('u1', 's1');
    const other = viewerConnection('u2', 's2');
    const key = keyConnection('k1');
    for (const c of [user, other, key]) live.add(c.connection);
    live.endUsers(['u1'], 'Your roles changed: reconnect');
    live.endKeys(['k1']);
    expect(user.closes).toEqual([{ code: 4403, reason: 'Your roles changed: reconnect' }]);
    expect(key.closes).toEqual([{ code: 4401, reason: 'API key revoked' }]);
    expect(other.closes).toEqual([]);
    live.close();
  });

  it('closes a connection with 4403 when its access token expires, and not after it was removed', () => {
    vi.useFakeTimers();
    const live = createLiveConnections(everythingLive, log);
    const expiring = viewerConnection('u1', 's1', 30);
    const removed = viewerConnection('u2', 's2', 30);
    live.add(expiring.connection);
    live.add(removed.connection);
    live.remove(removed.connection);
    vi.advanceTimersByTime(29_000);
    expect(expiring.closes).toEqual([]);
    vi.advanceTimersByTime(1_500);
    expect(expiring.closes).toEqual([{ code: 4403, reason: 'Access token expired: reconnect with a fresh token' }]);
    expect(removed.closes).toEqual([]);
    expect(live.size()).toBe(0);
    live.close();
  });

  it('re-checks every open connection in one question per kind and closes the ended ones', async () => {
    const asked: string[][] = [];
    const live = createLiveConnections(
      {
        liveSessions: async (ids) => {
          asked.push(ids);
          return new Set(ids.filter((id) => id !== 's-ended'));
        },
        liveKeys: async (ids) => {
          asked.push(ids);
          return new Set(ids.filter((id) => id !== 'k-ended'));
        },
      },
      log,
    );
    const ended = viewerConnection('u1', 's-ended');
    const kept = viewerConnection('u2', 's-kept');
    const endedKey = keyConnection('k-ended');
    for (const c of [ended, kept, endedKey]) live.add(c.connection);
    await live.recheck();
    expect(asked).toEqual([['s-ended', 's-kept'], ['k-ended']]);
    expect(ended.closes.map((c) => c.code)).toEqual([4401]);
    expect(endedKey.closes.map((c) => c.code)).toEqual([4401]);
    expect(kept.closes).toEqual([]);
    live.close();
  });

  it('a failed re-check closes nothing and can run again', async () => {
    let fail = true;
    const live = createLiveConnections(
      {
        liveSessions: async () => {
          if (fail) throw new Error('database unreachable');
          return new Set();
        },
        liveKeys: async () => new Set(),
      },
      log,
    );
    const c = viewerConnection('u1', 's1');
    live.add(c.connection);
    await live.recheck();
    expect(c.closes).toEqual([]);
    fail = false;
    await live.recheck();
    expect(c.closes.map((x) => x.code)).toEqual([4401]);
    live.close();
  });
});
