// Accounts: sign-up, sign-in, profile. Returns plain records; never the password hash.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { PrismaClient } from '../../db/database.js';
import type { Sql } from '../../db/sql.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { Logger } from '../../logger.js';
import type { Role } from '../auth/accessTokens.js';
import { hashPassword, passwordWeakness, verifyAgainstDummy, verifyPassword } from '../auth/passwords.js';
import type { AuditLog } from '../audit/auditLog.js';
import type { ClientInfo, SessionService, SessionTokens } from '../auth/sessions.js';
import type { MfaChallenge, MfaService } from '../auth/mfa.js';
import type { SignInThrottle } from '../auth/signInThrottle.js';
import { failure, parseInput, rateLimited, success, type Outcome, type UserError } from '../errors.js';
import { isUuid } from '../ids.js';
import type { PubSub } from '../events/pubsub.js';
import { topics, type ProfileChanged } from '../events/topics.js';
import { encodeCursor, keysetOrder, keysetWhere, toPage, type Page, type PageRequest } from '../pagination.js';
import { tryConsume, type LimiterFactory } from '../ratelimit/limiters.js';
import type { ServiceMetrics } from '../telemetry.js';
import { displayNameField, emailField, normaliseEmail, passwordField, phoneField, timeZoneField } from './accountInput.js';
import type { Phones } from './phones.js';

export interface UserRecord {
  id: string;
  email: string;
  displayName: string;
  phone: string | null;
  roles: Role[];
  /** IANA zone the user's statements and insights count days and months in. */
  timeZone: string;
  createdAt: Date;
  /** When the current email was verified (verifyEmail); null while it is not. */
  emailVerifiedAt: Date | null;
  /** When the current phone was verified (verifyPhone); null while it is not, or there is none. */
  phoneVerifiedAt: Date | null;
}

/** A user's columns as read; the phone is sealed in them (phones.ts) and opened by `record`. */
const userSelect = {
  id: true,
  email: true,
  displayName: true,
  phoneSealed: true,
  legacyPhone: true,
  roles: true,
  timeZone: true,
  createdAt: true,
  emailVerifiedAt: true,
  phoneVerifiedAt: true,
} as const;

export interface SignUpInput {
  email: string;
  password: string;
  displayName: string;
  phone?: string | null;
}

export interface SignedIn {
  user: UserRecord;
  tokens: SessionTokens;
}

/** A password sign-in of a user with MFA: no session yet, a challenge for verifyMfa. */
export interface MfaPending {
  mfaChallenge: MfaChallenge;
}

export interface AccountService {
  signUp(input: SignUpInput, client: ClientInfo): Promise<Outcome<SignedIn>>;
  /** Whether this is the user's password; throttled like sign-in (for re-authentication before a grave step). */
  confirmPassword(userId: string, password: string, client: ClientInfo): Promise<boolean>;
  /** Tokens, or for a user with MFA a challenge to complete with verifyMfa. */
  signIn(input: { email: string; password: string }, client: ClientInfo): Promise<Outcome<SignedIn | MfaPending>>;
  /** Completes an MFA sign-in: the challenge and a TOTP or recovery code; the session counts as stepped up. */
  verifyMfa(input: { challenge: string; code: string }, client: ClientInfo): Promise<Outcome<SignedIn>>;
  /**
   * Changes the display name and phone. A new phone (not the one the account has) needs a recent
   * second factor once the user has one at all (step-up codes could be sent to it: mfa.ts, CONTACT_CHANGE).
   */
  updateProfile(
    viewer: { userId: string; sessionId: string },
    input: { displayName?: string | null; phone?: string | null; timeZone?: string | null },
  ): Promise<Outcome<UserRecord>>;
  /** Checks the current password, sets the new one and signs out every other session. */
  changePassword(
    userId: string,
    sessionId: string,
    input: { currentPassword: string; newPassword: string },
    client: ClientInfo,
  ): Promise<Outcome<{ revokedSessionCount: number }>>;
  /** Checks the password and moves the account to a new email. */
  changeEmail(userId: string, input: { newEmail: string; password: string }, client: ClientInfo): Promise<Outcome<UserRecord>>;
  getUsers(ids: readonly string[]): Promise<(UserRecord | null)[]>;
  listUsers(page: PageRequest, filter?: { emailPrefix?: string }): Promise<Page<UserRecord>>;
  /** Creates the admin if missing, or grants ADMIN to an existing account with that email. */
  ensureAdmin(email: string, password: string): Promise<UserRecord>;
  /**
   * Sets a user's roles (USER is always kept). Takes effect on the user's next request on every
   * process, with the same access token: authorisation reads roles from the session, not the token.
   */
  setRoles(adminId: string, userId: string, roles: Role[]): Promise<Outcome<UserRecord>>;
}

export interface AccountServiceDeps {
  prisma: PrismaClient;
  audit: AuditLog;
  sql: Sql;
  sessions: SessionService;
  /** Sign-in of users with MFA: the challenge, and its completion. */
  mfa: Pick<MfaService, 'issueChallenge' | 'verifyChallenge' | 'stepUpRefusal'>;
  throttle: SignInThrottle;
  limiters: LimiterFactory;
  signUpLimit: { points: number; durationSeconds: number };
  pubsub: PubSub;
  /** Every new account gets a wallet in this currency. */
  defaultCurrency: string;
  /** Sanctions screening of the new user's name (a hit freezes their wallet for review). */
  screenName: (userId: string, name: string) => Promise<unknown>;
  log: Logger;
  metrics: ServiceMetrics;
  /** Phone numbers sealed at rest, found by keyed hash. */
  phones: Phones;
}

const signUpSchema = z.object({
  email: emailField,
  password: passwordField,
  displayName: displayNameField,
  phone: phoneField.nullish(),
});

const profileSchema = z.object({
  displayName: displayNameField.nullish(),
  phone: phoneField.nullish(),
  timeZone: timeZoneField.nullish(),
});

/** Maps a unique-constraint violation to the field it is about. */
function uniqueViolation(err: unknown): UserError | null {
  if (!(err instanceof Prisma.PrismaClientKnownRequestError) || err.code !== 'P2002') return null;
  // The constraint or its fields (users_phone_hash_key / phone_hash), not the message: that lists
  // the query's arguments, phone columns included.
  const text = JSON.stringify(err.meta ?? {});
  if (text.includes('phone')) {
    return { field: ['input', 'phone'], code: 'PHONE_TAKEN', message: 'This phone number belongs to another account.' };
  }
  return { field: ['input', 'email'], code: 'EMAIL_TAKEN', message: 'An account with this email already exists.' };
}

type UserRow = Omit<UserRecord, 'phone'> & { phoneSealed: string | null; legacyPhone: string | null };

export function createAccountService(deps: AccountServiceDeps): AccountService {
  const { prisma, sessions, throttle, log, phones } = deps;
  /** The record of a row read with userSelect: the phone opened from the row itself (no other query). */
  const record = ({ phoneSealed, legacyPhone, ...rest }: UserRow): UserRecord => ({
    ...rest,
    phone: phones.of({ id: rest.id, phoneSealed, legacyPhone }),
  });
  const phoneTaken: UserError = {
    field: ['input', 'phone'],
    code: 'PHONE_TAKEN',
    message: 'This phone number belongs to another account.',
  };
  const signUpLimiter = deps.limiters({ keyPrefix: 'signup-ip', ...deps.signUpLimit });

  /** Re-authentication before a credential change, throttled like sign-in (a stolen token cannot guess the password). */
  async function passwordMatches(userId: string, password: string, client: ClientInfo) {
    const row = await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, passwordHash: true } });
    await throttle.beforeAttempt(row.email, client.ip);
    const ok = password.length <= 1024 && (await verifyPassword(row.passwordHash, password));
    if (ok) await throttle.recordSuccess(row.email);
    else await throttle.recordFailure(row.email, client.ip);
    return ok;
  }

  /**
   * A signed-in session; from a device the user has never used, the new-device notification is
   * written in the same statement (no extra round trip) and audited.
   */
  async function startSession(user: UserRecord, client: ClientInfo, options: { secondFactor?: boolean } = {}) {
    const tokens = await sessions.start(user, client, { ...options, notifyNewDevice: true });
    if (tokens.newDevice) {
      await deps.audit.record({
        kind: 'auth.new_device',
        actorId: user.id,
        ip: client.ip,
        details: { deviceIdSent: Boolean(client.deviceId) },
      });
    }
    return tokens;
  }

  return {
    confirmPassword: passwordMatches,
    async signUp(input, client) {
      const parsed = parseInput(signUpSchema, input);
      if (!parsed.ok) return parsed;
      const { email, password, displayName, phone } = parsed.value;
      const weakness = passwordWeakness(password, email);
      if (weakness) return failure('WEAK_PASSWORD', `password ${weakness}.`, 'password');
      const wait = await tryConsume(signUpLimiter, client.ip);
      if (wait !== null) {
        deps.metrics.rateLimited('sign_up');
        throw rateLimited(`Too many sign-ups from this address. Try again in ${wait} seconds.`, wait);
      }

      const passwordHash = await hashPassword(password);
      if (phone && (await phones.takenInClear(phone))) return { ok: false, errors: [phoneTaken] };
      let user: UserRecord;
      // The id is made here: the sealed phone is bound to it.
      const id = randomUUID();
      try {
        user = record(
          await prisma.user.create({
            // The user and their first wallet are created together, or neither is.
            data: {
              id,
              email,
              passwordHash,
              displayName,
              ...(phone ? phones.columns(id, phone) : {}),
              wallets: { create: { kind: 'USER', currency: deps.defaultCurrency } },
            },
            select: userSelect,
          }),
        );
      } catch (err) {
        const taken = uniqueViolation(err);
        if (taken) return { ok: false, errors: [taken] };
        throw err;
      }
      log.info({ userId: user.id }, 'user signed up');
      await deps.audit.record({ kind: 'auth.sign_up', actorId: user.id, ip: client.ip });
      await deps.screenName(user.id, user.displayName);
      return success({ user, tokens: await sessions.start(user, client) });
    },

    async signIn(input, client) {
      // One answer for unknown email and wrong password, so accounts cannot be discovered.
      const invalid = failure('INVALID_CREDENTIALS', 'Email or password is incorrect.');
      if (input.email.length > 300 || input.password.length > 1024) return invalid;
      const email = normaliseEmail(input.email);
      await throttle.beforeAttempt(email, client.ip);
      const row = await prisma.user.findUnique({
        where: { email },
        select: { ...userSelect, passwordHash: true, mfa: { select: { enabledAt: true } } },
      });
      const ok = row ? await verifyPassword(row.passwordHash, input.password) : await verifyAgainstDummy(input.password);
      if (!row || !ok) {
        await throttle.recordFailure(email, client.ip);
        // The address tried is kept only as a keyed hash: the log holds no personal data.
        await deps.audit.record({
          kind: 'auth.sign_in_failed',
          subjectId: row?.id ?? null,
          ip: client.ip,
          details: { email: deps.audit.pseudonym(email), knownUser: Boolean(row) },
        });
        return invalid;
      }
      await throttle.recordSuccess(email);
      // The password is right; the sign-in is recorded once the second factor is too (verifyMfa).
      if (row.mfa?.enabledAt) return success({ mfaChallenge: await deps.mfa.issueChallenge(row.id) });
      const { passwordHash: _hash, mfa: _mfa, ...columns } = row;
      const user = record(columns);
      const tokens = await startSession(user, client);
      await deps.audit.record({
        kind: 'auth.sign_in',
        actorId: row.id,
        ip: client.ip,
        ...(tokens.newDevice ? { details: { newDevice: true } } : {}),
      });
      return success({ user, tokens });
    },

    async verifyMfa(input, client) {
      const verified = await deps.mfa.verifyChallenge(input.challenge, input.code, client);
      if (!verified.ok) return verified;
      const user = record(await prisma.user.findUniqueOrThrow({ where: { id: verified.value.userId }, select: userSelect }));
      return success({ user, tokens: await startSession(user, client, { secondFactor: true }) });
    },

    async updateProfile(viewer, input) {
      const { userId } = viewer;
      const parsed = parseInput(profileSchema, input);
      if (!parsed.ok) return parsed;
      const { displayName, timeZone } = parsed.value;
      let { phone } = parsed.value;
      if (phone !== undefined) {
        const current = phones.of(
          await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, phoneSealed: true, legacyPhone: true } }),
        );
        // The same number again changes nothing (and keeps its verification).
        if (phone === current) phone = undefined;
        const refusal = phone === undefined ? null : await deps.mfa.stepUpRefusal(viewer, 'CONTACT_CHANGE');
        if (refusal) return { ok: false, errors: [refusal] };
        if (phone && (await phones.takenInClear(phone, userId))) return { ok: false, errors: [phoneTaken] };
      }
      try {
        const user = record(
          await prisma.user.update({
            where: { id: userId },
            data: {
              ...(displayName ? { displayName } : {}),
              ...(timeZone ? { timeZone } : {}),
              // null clears the phone; undefined leaves it as it is. A change clears its verification (a trigger).
              ...(phone !== undefined ? phones.columns(userId, phone) : {}),
            },
            select: userSelect,
          }),
        );
        await deps.pubsub.publish(topics.profile(userId), { userId } satisfies ProfileChanged);
        return success(user);
      } catch (err) {
        const taken = uniqueViolation(err);
        if (taken) return { ok: false, errors: [taken] };
        throw err;
      }
    },

    async changePassword(userId, sessionId, input, client) {
      if (!(await passwordMatches(userId, input.currentPassword, client)))
        return failure('INVALID_CREDENTIALS', 'The current password is incorrect.', 'currentPassword');
      const parsed = parseInput(z.object({ newPassword: passwordField }), { newPassword: input.newPassword });
      if (!parsed.ok) return parsed;
      const email = (await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } })).email;
      const weakness = passwordWeakness(input.newPassword, email);
      if (weakness) return failure('WEAK_PASSWORD', `newPassword ${weakness}.`, 'newPassword');
      const now = new Date();
      // credentialsChangedAt: the risk rules review sends soon after (an account takeover changes these first).
      await prisma.user.update({
        where: { id: userId },
        data: { passwordHash: await hashPassword(input.newPassword), passwordChangedAt: now, credentialsChangedAt: now },
      });
      const revokedSessionCount = await sessions.revokeAll(userId, 'password changed', sessionId);
      log.info({ userId, revokedSessionCount }, 'password changed');
      await deps.audit.record({ kind: 'auth.password_changed', actorId: userId, ip: client.ip, details: { revokedSessionCount } });
      return success({ revokedSessionCount });
    },

    async changeEmail(userId, input, client) {
      if (!(await passwordMatches(userId, input.password, client)))
        return failure('INVALID_CREDENTIALS', 'The password is incorrect.', 'password');
      const parsed = parseInput(z.object({ newEmail: emailField }), { newEmail: input.newEmail });
      if (!parsed.ok) return parsed;
      try {
        const user = record(
          await prisma.user.update({
            where: { id: userId },
            data: { email: parsed.value.newEmail, credentialsChangedAt: new Date() },
            select: userSelect,
          }),
        );
        await deps.pubsub.publish(topics.profile(userId), { userId } satisfies ProfileChanged);
        log.info({ userId }, 'email changed');
        await deps.audit.record({ kind: 'auth.email_changed', actorId: userId, ip: client.ip });
        return success(user);
      } catch (err) {
        const taken = uniqueViolation(err);
        if (taken) return { ok: false, errors: [{ ...taken, field: ['input', 'newEmail'] }] };
        throw err;
      }
    },

    async getUsers(ids) {
      const rows = (
        await deps.sql.query<{
          id: string;
          email: string;
          display_name: string;
          phone_sealed: string | null;
          legacy_phone: string | null;
          roles: Role[];
          time_zone: string;
          created_at: Date;
          email_verified_at: Date | null;
          phone_verified_at: Date | null;
        }>(
          `SELECT id::text, email, display_name, phone_sealed, legacy_phone, roles::text[] AS roles, time_zone, created_at, email_verified_at,
             phone_verified_at
           FROM users WHERE id = ANY($1::uuid[])`,
          [ids],
          'users_by_id_v4',
        )
      ).map((r) => ({
        id: r.id,
        email: r.email,
        displayName: r.display_name,
        phone: phones.of({ id: r.id, phoneSealed: r.phone_sealed, legacyPhone: r.legacy_phone }),
        roles: r.roles,
        timeZone: r.time_zone,
        createdAt: r.created_at,
        emailVerifiedAt: r.email_verified_at,
        phoneVerifiedAt: r.phone_verified_at,
      }));
      const byId = new Map(rows.map((u) => [u.id, u]));
      return ids.map((id) => byId.get(id) ?? null);
    },

    async listUsers(page, filter = {}) {
      const prefix = filter.emailPrefix ? normaliseEmail(filter.emailPrefix).slice(0, 254) : undefined;
      const rows = await prisma.user.findMany({
        where: { ...(prefix ? { email: { startsWith: prefix } } : {}), ...keysetWhere(page) },
        orderBy: keysetOrder(page),
        take: page.limit + 1,
        select: userSelect,
      });
      return toPage(rows.map(record), page, (u) => encodeCursor({ at: u.createdAt, id: u.id }));
    },

    async setRoles(adminId, userId, roles) {
      if (userId === adminId && !roles.includes('ADMIN')) {
        return failure('INVALID_INPUT', 'You cannot remove your own ADMIN role: ask another admin.', 'roles');
      }
      const wanted = [...new Set<Role>(['USER', ...roles])];
      const changed = isUuid(userId)
        ? await prisma.$transaction(async (tx) => {
            const updated = await tx.user.updateManyAndReturn({
              where: { id: userId },
              data: { roles: { set: wanted } },
              select: userSelect,
            });
            if (!updated.length) return null;
            await deps.audit.append(tx, [
              { kind: 'admin.roles_set', actorId: adminId, subjectId: userId, details: { roles: wanted.join(',') } },
            ]);
            return { user: record(updated[0]!), afterCommit: await sessions.usersChanged(tx, [userId]) };
          })
        : null;
      if (!changed) return failure('NOT_FOUND', 'No user with that id.', 'userId');
      changed.afterCommit();
      log.info({ userId, roles: wanted, by: adminId }, 'user roles changed');
      return success(changed.user);
    },

    async ensureAdmin(rawEmail, password) {
      const email = emailField.parse(rawEmail);
      const existing = await prisma.user.findUnique({ where: { email }, select: userSelect });
      if (existing) {
        if (existing.roles.includes('ADMIN')) return record(existing);
        return record(
          await prisma.user.update({
            where: { id: existing.id },
            data: { roles: { set: [...new Set<Role>([...existing.roles, 'ADMIN'])] } },
            select: userSelect,
          }),
        );
      }
      const weakness = passwordWeakness(password, email);
      if (weakness) throw new Error(`BOOTSTRAP_ADMIN_PASSWORD ${weakness}`);
      try {
        return record(
          await prisma.user.create({
            data: {
              email,
              passwordHash: await hashPassword(password),
              displayName: 'Administrator',
              roles: ['USER', 'ADMIN'],
              wallets: { create: { kind: 'USER', currency: deps.defaultCurrency } },
            },
            select: userSelect,
          }),
        );
      } catch (err) {
        // Another process created it at the same moment.
        if (uniqueViolation(err)) return record(await prisma.user.findUniqueOrThrow({ where: { email }, select: userSelect }));
        throw err;
      }
    },
  };
}
