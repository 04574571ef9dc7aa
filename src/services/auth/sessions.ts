// Sessions and refresh tokens. A session is one signed-in device and one refresh-token family.
// Refresh tokens are random, stored only as SHA-256 hashes, and usable once: each refresh
// rotates to a new token. Presenting a token that was already used means it was copied, so the
// whole family (the session) is revoked: the thief and the victim are both signed out.
import { createHash, randomBytes } from 'node:crypto';
import type { PrismaClient } from '../../db/database.js';
import type { Sql } from '../../db/sql.js';
import type { Logger } from '../../logger.js';
import { failure, success, type Outcome } from '../errors.js';
import type { PubSub } from '../events/pubsub.js';
import { topics, type SessionsRevoked } from '../events/topics.js';
import { encodeCursor, keysetOrder, keysetWhere, toPage, type Page, type PageRequest } from '../pagination.js';
import type { AccessTokens, Role } from './accessTokens.js';

export interface SessionTokens {
  sessionId: string;
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
}

export interface SessionRecord {
  id: string;
  userId: string;
  userAgent: string | null;
  ip: string | null;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

export interface ClientInfo {
  ip: string;
  userAgent?: string;
  /** The app's stable id for the device (X-Device-Id), when it sends one; the risk rules use it. */
  deviceId?: string | null;
}

export interface SessionService {
  start(user: { id: string; roles: Role[] }, client: ClientInfo): Promise<SessionTokens>;
  refresh(refreshToken: string, client: ClientInfo): Promise<Outcome<{ userId: string; tokens: SessionTokens }>>;
  /** Revokes one session of the user; false if it is not theirs or already revoked. */
  revoke(userId: string, sessionId: string, reason: string): Promise<boolean>;
  /** Revokes one of the user's sessions and returns it; NOT_FOUND when it is not theirs. */
  revokeOwn(userId: string, sessionId: string): Promise<Outcome<SessionRecord>>;
  /** Revokes every session of the user, except `keepSessionId` when given. */
  revokeAll(userId: string, reason: string, keepSessionId?: string): Promise<number>;
  /** Whether a session may still be used; cached for SESSION_CACHE_SECONDS per process. */
  isActive(sessionId: string): Promise<boolean>;
  /** Starts listening for revocations from other processes; returns a stop function. */
  listenForRevocations(): Promise<() => Promise<void>>;
  get(userId: string, sessionId: string): Promise<SessionRecord | null>;
  list(userId: string, page: PageRequest, options?: { includeRevoked?: boolean }): Promise<Page<SessionRecord>>;
}

export interface SessionServiceDeps {
  prisma: PrismaClient;
  sql: Sql;
  /** Revocations are broadcast so every process forgets the session at once, not after the cache time. */
  pubsub: PubSub;
  accessTokens: AccessTokens;
  refreshTtlSeconds: number;
  cacheSeconds: number;
  log: Logger;
}

const REFRESH_PREFIX = 'rt_';
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const newRefreshToken = () => REFRESH_PREFIX + randomBytes(32).toString('base64url');
const CACHE_LIMIT = 50_000;

const sessionSelect = {
  id: true,
  userId: true,
  userAgent: true,
  ip: true,
  createdAt: true,
  lastUsedAt: true,
  expiresAt: true,
  revokedAt: true,
} as const;

export function createSessionService(deps: SessionServiceDeps): SessionService {
  const { prisma, accessTokens, refreshTtlSeconds, log } = deps;
  const activeCache = new Map<string, { active: boolean; until: number }>();

  const remember = (sessionId: string, active: boolean) => {
    if (deps.cacheSeconds === 0) return;
    if (activeCache.size >= CACHE_LIMIT) activeCache.delete(activeCache.keys().next().value!);
    activeCache.set(sessionId, { active, until: Date.now() + deps.cacheSeconds * 1000 });
  };

  /** Forgets revoked sessions here and tells the other processes to do the same. */
  const forget = (sessionIds: string[]) => {
    if (!sessionIds.length) return;
    for (const id of sessionIds) remember(id, false);
    deps.pubsub
      .publish(topics.sessionsRevoked, { sessionIds } satisfies SessionsRevoked)
      .catch((err) => log.warn({ err: (err as Error).message }, 'broadcasting a session revocation failed'));
  };


  async function issueTokens(sessionId: string, user: { id: string; roles: Role[] }, refreshToken: string, refreshExpiresAt: Date) {
    const access = await accessTokens.issue({ userId: user.id, sessionId, roles: user.roles });
    return {
      sessionId,
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken,
      refreshTokenExpiresAt: refreshExpiresAt,
    } satisfies SessionTokens;
  }

  const clip = (s: string | undefined, n: number) => (s ? s.slice(0, n) : null);

  const service: SessionService = {
    async start(user, client) {
      const refreshToken = newRefreshToken();
      const expiresAt = new Date(Date.now() + refreshTtlSeconds * 1000);
      const session = await prisma.session.create({
        data: {
          userId: user.id,
          userAgent: clip(client.userAgent, 256),
          ip: clip(client.ip, 64),
          deviceId: client.deviceId ?? null,
          expiresAt,
          refreshTokens: { create: { tokenHash: hashToken(refreshToken), expiresAt } },
        },
        select: { id: true },
      });
      remember(session.id, true);
      return issueTokens(session.id, user, refreshToken, expiresAt);
    },

    async refresh(refreshToken, client) {
      const invalid = failure('INVALID_REFRESH_TOKEN', 'The refresh token is invalid or expired. Sign in again.', 'refreshToken');
      if (!refreshToken.startsWith(REFRESH_PREFIX) || refreshToken.length > 100) return invalid;
      const tokenHash = hashToken(refreshToken);
      const now = new Date();
      const outcome = await prisma.$transaction(async (tx) => {
        const row = await tx.refreshToken.findUnique({
          where: { tokenHash },
          include: { session: { include: { user: { select: { id: true, roles: true } } } } },
        });
        if (!row) return { kind: 'invalid' as const };
        const { session } = row;
        if (session.revokedAt || session.expiresAt <= now || row.expiresAt <= now) return { kind: 'invalid' as const };
        // Claim the token atomically: of two concurrent uses, exactly one wins.
        const claimed = row.usedAt
          ? 0
          : (await tx.refreshToken.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now } })).count;
        if (claimed === 0) {
          await tx.session.update({
            where: { id: session.id },
            data: { revokedAt: now, revokedReason: 'REFRESH_TOKEN_REUSE' },
          });
          return { kind: 'reused' as const, sessionId: session.id, userId: session.userId };
        }
        const next = newRefreshToken();
        const expiresAt = new Date(now.getTime() + refreshTtlSeconds * 1000);
        await tx.refreshToken.create({ data: { sessionId: session.id, tokenHash: hashToken(next), expiresAt } });
        await tx.session.update({
          where: { id: session.id },
          data: { lastUsedAt: now, expiresAt, ip: clip(client.ip, 64), userAgent: clip(client.userAgent, 256) ?? session.userAgent },
        });
        return { kind: 'rotated' as const, sessionId: session.id, user: session.user, next, expiresAt };
      });
      if (outcome.kind === 'invalid') return invalid;
      if (outcome.kind === 'reused') {
        forget([outcome.sessionId]);
        log.warn({ sessionId: outcome.sessionId, userId: outcome.userId }, 'refresh token reused: session revoked');
        return invalid;
      }
      const tokens = await issueTokens(outcome.sessionId, outcome.user, outcome.next, outcome.expiresAt);
      return success({ userId: outcome.user.id, tokens });
    },

    async revoke(userId, sessionId, reason) {
      const { count } = await prisma.session.updateMany({
        where: { id: sessionId, userId, revokedAt: null },
        data: { revokedAt: new Date(), revokedReason: reason },
      });
      if (count === 1) forget([sessionId]);
      return count === 1;
    },

    async revokeOwn(userId, sessionId) {
      await service.revoke(userId, sessionId, 'REVOKED_BY_USER');
      // Another user's session looks exactly like a missing one.
      const session = await service.get(userId, sessionId);
      return session ? success(session) : failure('NOT_FOUND', 'No such session.', 'sessionId');
    },

    async revokeAll(userId, reason, keepSessionId) {
      const where = { userId, revokedAt: null, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) };
      const active = await prisma.session.findMany({ where, select: { id: true } });
      const { count } = await prisma.session.updateMany({
        where,
        data: { revokedAt: new Date(), revokedReason: reason },
      });
      forget(active.map((s) => s.id));
      return count;
    },

    async isActive(sessionId) {
      const cached = activeCache.get(sessionId);
      if (cached && cached.until > Date.now()) return cached.active;
      const [row] = await deps.sql.query<{ active: boolean }>(
        'SELECT revoked_at IS NULL AND expires_at > now() AS active FROM sessions WHERE id = $1::uuid',
        [sessionId],
        'session_active',
      );
      const active = row?.active === true;
      remember(sessionId, active);
      return active;
    },

    async listenForRevocations() {
      const events = await deps.pubsub.subscribe<SessionsRevoked>(topics.sessionsRevoked, { internal: true });
      const done = (async () => {
        for await (const event of events) {
          for (const id of event.sessionIds) remember(id, false);
        }
      })();
      return async () => {
        await events.return?.();
        await done;
      };
    },

    get(userId, sessionId) {
      return prisma.session.findFirst({ where: { id: sessionId, userId }, select: sessionSelect });
    },

    async list(userId, page, options = {}) {
      const rows = await prisma.session.findMany({
        where: { userId, ...(options.includeRevoked ? {} : { revokedAt: null }), ...keysetWhere(page) },
        orderBy: keysetOrder(page),
        take: page.limit + 1,
        select: sessionSelect,
      });
      return toPage(rows, page, (s) => encodeCursor({ at: s.createdAt, id: s.id }));
    },
  };
  return service;
}
