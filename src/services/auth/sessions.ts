// Sessions and refresh tokens. A session is one signed-in device and one refresh-token family.
// Refresh tokens are random, stored only as SHA-256 hashes, and usable once: each refresh
// rotates to a new token. Presenting a token that was already used means it was copied, so the
// whole family (the session) is revoked: the thief and the victim are both signed out.
//
// Who a session is (its user, that user's current roles, whether it is live) is cached per
// process (principalCache.ts). Every change to that (a revocation, a change of roles) is written to
// the outbox in the same transaction, so every process hears of it even if Redis is away when it
// happens (the relay publishes it later); while the broadcast channel is down the cache is not
// trusted, and when it comes back the cache is emptied and live connections are re-checked
// (onChange 'recheck').
import type { AuditLog } from '../audit/auditLog.js';
import { createHash, randomBytes } from 'node:crypto';
import type { PrismaClient } from '../../db/database.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { Sql } from '../../db/sql.js';
import type { Logger } from '../../logger.js';
import { failure, success, type Outcome } from '../errors.js';
import { writeOutbox, type OutboxEvent, type OutboxPublisher } from '../events/outbox.js';
import { NOTIFICATIONS_ADDED } from '../events/ledgerEvents.js';
import type { PubSub } from '../events/pubsub.js';
import { topics, type SessionsRevoked, type UsersChanged } from '../events/topics.js';
import { encodeCursor, keysetOrder, keysetWhere, toPage, type Page, type PageRequest } from '../pagination.js';
import type { AccessTokens, Role } from './accessTokens.js';
import type { NoticeData } from '../notifications/notices.js';
import { redactAccountNumbers } from '../notifications/templates.js';
import { describeDevice, type DeviceKeys } from './devices.js';
import { createPrincipalCache, type PrincipalChange, type SessionPrincipal } from './principalCache.js';

export type { PrincipalChange, SessionPrincipal } from './principalCache.js';

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
  /**
   * Starts a session. `secondFactor`: the user just proved MFA, so the session may do step-up
   * actions for a while. `notifyNewDevice`: a NEW_DEVICE_SIGN_IN notification (and its outbox row,
   * published at once) is written in the same statement as the session when the user signs in from
   * a device they have never used (devices.ts) — and not on their first keyed session (sign-up, or
   * the first sign-in since devices were recorded); `newDevice` says whether it was.
   */
  start(
    user: { id: string; roles: Role[] },
    client: ClientInfo,
    options?: { secondFactor?: boolean; notifyNewDevice?: boolean },
  ): Promise<SessionTokens & { newDevice: boolean }>;
  refresh(refreshToken: string, client: ClientInfo): Promise<Outcome<{ userId: string; tokens: SessionTokens }>>;
  /** Revokes one session of the user; false if it is not theirs or already revoked. */
  revoke(userId: string, sessionId: string, reason: string): Promise<boolean>;
  /** Revokes one of the user's sessions and returns it; NOT_FOUND when it is not theirs. */
  revokeOwn(userId: string, sessionId: string): Promise<Outcome<SessionRecord>>;
  /** Revokes every session of the user, except `keepSessionId` when given. */
  revokeAll(userId: string, reason: string, keepSessionId?: string): Promise<number>;
  /**
   * Revokes every session of the user inside `tx` (with what caused it, e.g. a password reset);
   * call `afterCommit` once `tx` has committed: their live connections are closed then.
   */
  revokeAllIn(tx: Prisma.TransactionClient, userId: string, reason: string): Promise<{ count: number; afterCommit: () => void }>;
  /** The session's user, roles and state; null if there is no such session. Cached for SESSION_CACHE_SECONDS per process. */
  principal(sessionId: string): Promise<SessionPrincipal | null>;
  /** Of these sessions, the ones still live, read from the database (for re-checks, not per request). */
  liveAmong(sessionIds: string[]): Promise<Set<string>>;
  /**
   * Records, inside `tx`, that these users' roles changed, so every process drops what it cached
   * about them; call the returned function once `tx` has committed.
   */
  usersChanged(tx: Prisma.TransactionClient, userIds: string[]): Promise<() => void>;
  /** Listens to revocations and role changes, from this process and (once listening) all others. */
  onChange(listener: (change: PrincipalChange) => void): () => void;
  /** Starts listening for revocations from other processes; returns a stop function. */
  listenForRevocations(): Promise<() => Promise<void>>;
  get(userId: string, sessionId: string): Promise<SessionRecord | null>;
  list(userId: string, page: PageRequest, options?: { includeRevoked?: boolean }): Promise<Page<SessionRecord>>;
}

export interface SessionServiceDeps {
  prisma: PrismaClient;
  audit: AuditLog;
  sql: Sql;
  /** Revocations are broadcast so every process forgets the session at once, not after the cache time. */
  pubsub: PubSub;
  /** Revocations are written to the outbox with the change, so none is lost to a Redis outage. */
  outbox: OutboxPublisher;
  accessTokens: AccessTokens;
  /** The device a sign-in comes from, as a keyed hash (new-device notices). */
  deviceKeys: DeviceKeys;
  refreshTtlSeconds: number;
  cacheSeconds: number;
  log: Logger;
}

const REFRESH_PREFIX = 'rt_';
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const newRefreshToken = () => REFRESH_PREFIX + randomBytes(32).toString('base64url');

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
  const principals = createPrincipalCache({ pubsub: deps.pubsub, cacheSeconds: deps.cacheSeconds, log });
  const { remember, apply } = principals;

  /** Ends sessions inside `tx`: marks them and writes the broadcast; returns the ids it ended. */
  async function endSessions(tx: Prisma.TransactionClient, where: Prisma.SessionWhereInput, reason: string) {
    const ended = await tx.session.updateManyAndReturn({
      where: { ...where, revokedAt: null },
      data: { revokedAt: new Date(), revokedReason: reason },
      select: { id: true, userId: true },
    });
    const sessionIds = ended.map((s) => s.id);
    const users = [...new Set(ended.map((s) => s.userId))];
    await deps.audit.append(
      tx,
      users.map((userId) => ({
        kind: 'auth.sessions_revoked' as const,
        subjectId: userId,
        details: { reason, count: ended.filter((s) => s.userId === userId).length },
      })),
    );
    const events = sessionIds.length
      ? await writeOutbox(tx, [{ topic: topics.sessionsRevoked, payload: { sessionIds } satisfies SessionsRevoked }])
      : [];
    return { sessionIds, events };
  }

  /** After commit: forget the sessions here at once, and publish (or leave it to the relay). */
  function ended({ sessionIds, events }: Awaited<ReturnType<typeof endSessions>>) {
    if (!sessionIds.length) return;
    apply({ kind: 'sessionsEnded', sessionIds });
    void deps.outbox.publishCommitted(events);
  }

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
    async start(user, client, options = {}) {
      const refreshToken = newRefreshToken();
      const expiresAt = new Date(Date.now() + refreshTtlSeconds * 1000);
      // What the client says of itself, so kept clear of anything like a card number.
      const notice: NoticeData | null = options.notifyNewDevice
        ? {
            device: redactAccountNumbers(describeDevice(client)),
            ip: redactAccountNumbers(client.ip.slice(0, 64)),
            at: new Date().toISOString(),
          }
        : null;
      // One statement: the session, its first refresh token, and the new-device notification with
      // its outbox row when this device is new to a user with a device history (read before this
      // session is added).
      const [row] = await deps.sql.query<{ id: string; new_device: boolean; event: OutboxEvent | null }>(
        `WITH seen AS (
           SELECT EXISTS (SELECT 1 FROM sessions WHERE user_id = $1::uuid AND device_key IS NOT NULL) AS history,
                  EXISTS (SELECT 1 FROM sessions WHERE user_id = $1::uuid AND device_key = $5) AS known
         ), s AS (
           INSERT INTO sessions (user_id, user_agent, ip, device_id, device_key, second_factor_at, expires_at)
           VALUES ($1::uuid, $2, $3, $4, $5, CASE WHEN $6::boolean THEN now() END, $7::timestamptz)
           RETURNING id
         ), t AS (
           INSERT INTO refresh_tokens (session_id, token_hash, expires_at) SELECT id, $8, $7::timestamptz FROM s
         ), n AS (
           INSERT INTO notifications (user_id, kind, data)
           SELECT $1::uuid, 'NEW_DEVICE_SIGN_IN', $9::jsonb FROM seen
           WHERE $9::jsonb IS NOT NULL AND seen.history AND NOT seen.known
           RETURNING id, user_id
         ), o AS (
           INSERT INTO outbox_events (topic, payload)
           SELECT $10, jsonb_build_object('notices', jsonb_build_array(jsonb_build_object('id', n.id, 'userId', n.user_id))) FROM n
           RETURNING id::text AS id, topic, payload
         )
         SELECT (SELECT id::text FROM s) AS id, EXISTS (SELECT 1 FROM n) AS new_device, (SELECT to_jsonb(o) FROM o) AS event`,
        [
          user.id,
          clip(client.userAgent, 256),
          clip(client.ip, 64),
          client.deviceId ?? null,
          deps.deviceKeys.keyOf(client),
          Boolean(options.secondFactor),
          expiresAt,
          hashToken(refreshToken),
          notice && JSON.stringify(notice),
          NOTIFICATIONS_ADDED,
        ],
        'session_start',
      );
      // Live in the bell, and fanned out to email (the dispatcher is woken by the publisher).
      if (row!.event) void deps.outbox.publishCommitted([row!.event]);
      const sessionId = row!.id;
      remember(sessionId, { userId: user.id, roles: user.roles, active: true });
      return { ...(await issueTokens(sessionId, user, refreshToken, expiresAt)), newDevice: row!.new_device };
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
          const revoked = await endSessions(tx, { id: session.id }, 'REFRESH_TOKEN_REUSE');
          return { kind: 'reused' as const, sessionId: session.id, userId: session.userId, revoked };
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
        ended(outcome.revoked);
        log.warn({ sessionId: outcome.sessionId, userId: outcome.userId }, 'refresh token reused: session revoked');
        return invalid;
      }
      const tokens = await issueTokens(outcome.sessionId, outcome.user, outcome.next, outcome.expiresAt);
      return success({ userId: outcome.user.id, tokens });
    },

    async revoke(userId, sessionId, reason) {
      const revoked = await prisma.$transaction((tx) => endSessions(tx, { id: sessionId, userId }, reason));
      ended(revoked);
      return revoked.sessionIds.length === 1;
    },

    async revokeOwn(userId, sessionId) {
      await service.revoke(userId, sessionId, 'REVOKED_BY_USER');
      // Another user's session looks exactly like a missing one.
      const session = await service.get(userId, sessionId);
      return session ? success(session) : failure('NOT_FOUND', 'No such session.', 'sessionId');
    },

    async revokeAll(userId, reason, keepSessionId) {
      const where = { userId, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) };
      const revoked = await prisma.$transaction((tx) => endSessions(tx, where, reason));
      ended(revoked);
      return revoked.sessionIds.length;
    },

    async revokeAllIn(tx, userId, reason) {
      const revoked = await endSessions(tx, { userId }, reason);
      return { count: revoked.sessionIds.length, afterCommit: () => ended(revoked) };
    },

    async principal(sessionId) {
      const cached = principals.recall(sessionId);
      if (cached) return cached;
      const [row] = await deps.sql.query<{ user_id: string; roles: Role[]; active: boolean }>(
        `SELECT s.user_id::text, u.roles::text[] AS roles, s.revoked_at IS NULL AND s.expires_at > now() AS active
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1::uuid`,
        [sessionId],
        'session_principal',
      );
      if (!row) return null;
      const principal = { userId: row.user_id, roles: row.roles, active: row.active };
      remember(sessionId, principal);
      return principal;
    },

    async liveAmong(sessionIds) {
      if (!sessionIds.length) return new Set();
      const rows = await deps.sql.query<{ id: string }>(
        'SELECT id::text FROM sessions WHERE id = ANY($1::uuid[]) AND revoked_at IS NULL AND expires_at > now()',
        [sessionIds],
      );
      return new Set(rows.map((r) => r.id));
    },

    async usersChanged(tx, userIds) {
      const events = await writeOutbox(tx, [{ topic: topics.usersChanged, payload: { userIds } satisfies UsersChanged }]);
      return () => {
        apply({ kind: 'usersChanged', userIds });
        void deps.outbox.publishCommitted(events);
      };
    },

    onChange: (listener) => principals.onChange(listener),

    listenForRevocations: () => principals.listen(),

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
