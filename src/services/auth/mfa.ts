// TOTP MFA and step-up (issue 18). A user enrols (a secret in the vault, kind TOTP, shown once as
// an otpauth:// URI and QR), confirms with a first code (MFA on, ten recovery codes shown once and
// kept as keyed hashes), and from then on signs in in two steps: the password answers MFA_REQUIRED
// with a short-lived challenge, and verifyMfa trades it and a code for a session.
//
// A code is accepted once: a TOTP code only for a time step after the last one accepted (kept per
// user, claimed by a conditional UPDATE, so two requests with the same code cannot both pass), a
// recovery code only while unused. Wrong codes are throttled like sign-in, per user and per IP.
//
// Step-up: a session records when it last proved the second factor (an MFA sign-in, verifyMfa,
// confirmMfa, stepUp; for users without MFA a code sent to a verified contact, or verifying one).
// The risky actions ask stepUpRefusal first: a session that has not proved it within
// STEP_UP_MINUTES is refused with STEP_UP_REQUIRED, or CONTACT_VERIFICATION_REQUIRED for a user
// with neither MFA nor a verified contact to send a code to (stepUpCodes.ts).
import { createHmac, createSecretKey, hkdfSync } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { PrismaClient } from '../../db/database.js';
import type { Sql } from '../../db/sql.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { Logger } from '../../logger.js';
import type { AuditLog } from '../audit/auditLog.js';
import { failure, refusable, refuse, success, type Outcome, type UserError } from '../errors.js';
import { randomChars } from '../ids.js';
import { qrDataUrl } from '../merchants/qrCodes.js';
import type { VaultReader, VaultWriter } from '../vault/vault.js';
import type { ClientInfo } from './sessions.js';
import type { SignInThrottle } from './signInThrottle.js';
import { NO_VERIFIED_CONTACT, type StepUpCodeService } from './stepUpCodes.js';
import { isTotpCode, newTotpSecret, totpStep, totpUri } from './totp.js';

export const RECOVERY_CODE_COUNT = 10;
/** How long the challenge of a password sign-in may be traded for tokens with verifyMfa. */
export const MFA_CHALLENGE_SECONDS = 300;
const ISSUER = 'Wallet';
const CHALLENGE_AUDIENCE = 'wallet-mfa-challenge';
// No 0/o, 1/l/i: recovery codes are copied by hand. 31 characters, 10 of them: ~49 bits each.
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

export type MfaMethod = 'TOTP' | 'RECOVERY_CODE';

export interface MfaEnrolment {
  /** Base32, for typing into an app that cannot scan. */
  secret: string;
  otpauthUri: string;
  /** The URI as a QR code, a PNG data URL. */
  qrCode: string;
}

export interface MfaChallenge {
  challenge: string;
  expiresAt: Date;
}

/**
 * What a risky action asks about: a user's own action; a change of the phone number (a new
 * contact would receive step-up codes, so it needs a step-up once the user has a second factor at
 * all); or an admin's money action.
 */
export type StepUpAction = 'USER' | 'CONTACT_CHANGE' | 'ADMIN';

export interface MfaService {
  /** Starts (or restarts, while not confirmed) enrolment: a new secret. */
  enrol(userId: string, account: string): Promise<Outcome<MfaEnrolment>>;
  /** Turns MFA on with a first TOTP code; answers the recovery codes, the only time they are shown. */
  confirm(userId: string, sessionId: string, code: string, client: ClientInfo): Promise<Outcome<{ recoveryCodes: string[] }>>;
  /** Turns MFA off with a TOTP or recovery code. */
  disable(userId: string, code: string, client: ClientInfo): Promise<Outcome<{ method: MfaMethod }>>;
  /** The challenge a password sign-in of an enrolled user answers with. */
  issueChallenge(userId: string): Promise<MfaChallenge>;
  /** Checks the challenge and a code; records the sign-in. The caller starts the session. */
  verifyChallenge(challenge: string, code: string, client: ClientInfo): Promise<Outcome<{ userId: string; method: MfaMethod }>>;
  /** Proves the second factor again on a signed-in session: a TOTP or recovery code, or without MFA a code from requestStepUpCode. */
  stepUp(userId: string, sessionId: string, code: string, client: ClientInfo): Promise<Outcome<{ validUntil: Date }>>;
  /**
   * Checks a TOTP or recovery code of a user with MFA and does `work` in the transaction that
   * claims it (wrong codes throttled and audited like every MFA code, as `purpose`).
   */
  withCode<T>(
    userId: string,
    code: string,
    client: ClientInfo,
    purpose: string,
    work: (tx: Prisma.TransactionClient) => Promise<T>,
  ): Promise<Outcome<T>>;
  /** Null when the session may do a risky action now; else the userError to answer (nothing is changed). */
  stepUpRefusal(viewer: { userId: string; sessionId: string }, action: StepUpAction): Promise<UserError | null>;
  /** Whether each user has MFA on. */
  enabledFor(userIds: readonly string[]): Promise<boolean[]>;
}

export interface MfaServiceDeps {
  prisma: PrismaClient;
  sql: Sql;
  vault: VaultWriter & VaultReader;
  audit: AuditLog;
  /** Counts wrong codes per user id and per IP (MFA_CODE_GUESSES). */
  throttle: SignInThrottle;
  /** Signs the sign-in challenges (their own audience: never an access token). */
  jwtSecret: string;
  /** Recovery codes are hashed under a key derived from it (the database never holds it). */
  fingerprintKey: Buffer;
  stepUpMinutes: number;
  /** Admin money actions are refused to admins without MFA. */
  adminMfaRequired: boolean;
  /** Step-up of users without MFA: a code sent to a verified contact. */
  codeStepUp: Pick<StepUpCodeService, 'prove'>;
  log: Logger;
}

const normaliseRecoveryCode = (code: string) => code.toLowerCase().replace(/[\s-]/g, '');

export function createMfaService(deps: MfaServiceDeps): MfaService {
  const { prisma, sql, vault, audit, throttle, log } = deps;
  const recoveryKey = Buffer.from(hkdfSync('sha256', deps.fingerprintKey, Buffer.alloc(0), 'wallet mfa recovery codes v1', 32));
  const challengeKey = createSecretKey(Buffer.from(deps.jwtSecret, 'utf8'));
  const recoveryHash = (userId: string, code: string) =>
    createHmac('sha256', recoveryKey)
      .update(`${userId}:${normaliseRecoveryCode(code)}`)
      .digest('hex');

  const notEnabled = () =>
    failure('MFA_NOT_ENABLED', 'MFA is not on for this account: enrol with enrolMfa and confirm with confirmMfa first.');

  async function newRecoveryCodes(tx: Prisma.TransactionClient, userId: string) {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
      const c = randomChars(RECOVERY_ALPHABET, 10);
      return `${c.slice(0, 5)}-${c.slice(5)}`;
    });
    await tx.mfaRecoveryCode.deleteMany({ where: { userId } });
    await tx.mfaRecoveryCode.createMany({ data: codes.map((c) => ({ userId, codeHash: recoveryHash(userId, c) })) });
    return codes;
  }

  /** Claims a code inside `tx`, once: a TOTP code of a later step than the last accepted, or an unused recovery code. */
  async function claim(
    tx: Prisma.TransactionClient,
    userId: string,
    secret: string,
    code: string,
    client: ClientInfo,
    totpOnly: boolean,
  ): Promise<{ method: MfaMethod } | { refused: 'WRONG' | 'USED' }> {
    if (isTotpCode(code)) {
      const step = totpStep(secret, code);
      if (step === null) return { refused: 'WRONG' };
      const claimed = await tx.userMfa.updateMany({
        where: { userId, OR: [{ lastUsedStep: null }, { lastUsedStep: { lt: BigInt(step) } }] },
        data: { lastUsedStep: BigInt(step) },
      });
      return claimed.count === 1 ? { method: 'TOTP' } : { refused: 'USED' };
    }
    if (totpOnly || code.length > 40) return { refused: 'WRONG' };
    const now = new Date();
    const used = await tx.mfaRecoveryCode.updateMany({
      where: { userId, codeHash: recoveryHash(userId, code), usedAt: null },
      data: { usedAt: now },
    });
    if (used.count !== 1) return { refused: 'WRONG' };
    const remaining = await tx.mfaRecoveryCode.count({ where: { userId, usedAt: null } });
    await audit.append(tx, [{ kind: 'auth.recovery_code_used', actorId: userId, ip: client.ip, details: { remaining } }]);
    return { method: 'RECOVERY_CODE' };
  }

  /**
   * Checks a code for `purpose` and, in the same transaction as claiming it, does `work`. A wrong
   * or replayed code counts against the throttle and is audited (never the code itself).
   */
  async function prove<T>(
    userId: string,
    rawCode: string,
    client: ClientInfo,
    purpose: string,
    options: { confirmed: boolean },
    work: (tx: Prisma.TransactionClient, method: MfaMethod) => Promise<T>,
  ): Promise<Outcome<T>> {
    const row = await prisma.userMfa.findUnique({ where: { userId }, select: { vaultToken: true, enabledAt: true } });
    if (!row || Boolean(row.enabledAt) !== options.confirmed) return notEnabled();
    await throttle.beforeAttempt(userId, client.ip);
    const secret = await vault.reveal(row.vaultToken, 'TOTP');
    const code = rawCode.trim();
    const result = await refusable(async () =>
      success(
        await prisma.$transaction(async (tx) => {
          const claimed = await claim(tx, userId, secret, code, client, !options.confirmed);
          if ('refused' in claimed) return claimed;
          return { value: await work(tx, claimed.method) };
        }),
      ),
    );
    if (!result.ok) return result;
    const outcome = result.value;
    if ('refused' in outcome) {
      await throttle.recordFailure(userId, client.ip);
      await audit.record({
        kind: 'auth.mfa_failed',
        subjectId: userId,
        ip: client.ip,
        details: { purpose, replayed: outcome.refused === 'USED' },
      });
      return failure(
        'INVALID_MFA_CODE',
        outcome.refused === 'USED'
          ? 'This code was already used: wait for the next one from your authenticator app.'
          : 'The code is wrong or expired: enter the current code from your authenticator app, or an unused recovery code.',
        'code',
      );
    }
    await throttle.recordSuccess(userId);
    return success(outcome.value);
  }

  return {
    async enrol(userId, account) {
      const existing = await prisma.userMfa.findUnique({ where: { userId }, select: { vaultToken: true, enabledAt: true } });
      if (existing?.enabledAt) return failure('MFA_ALREADY_ENABLED', 'MFA is already on. To enrol a new device, disable MFA first.');
      const secret = newTotpSecret();
      const { token } = await vault.store('TOTP', secret, { ownerId: userId });
      try {
        await prisma.userMfa.upsert({
          where: { userId, enabledAt: null },
          create: { userId, vaultToken: token },
          update: { vaultToken: token, lastUsedStep: null },
        });
      } catch (err) {
        await vault.discard(token);
        throw err;
      }
      // The secret of an earlier, unconfirmed enrolment is never used again.
      if (existing) await vault.discard(existing.vaultToken);
      const otpauthUri = totpUri(secret, ISSUER, account);
      return success({ secret, otpauthUri, qrCode: await qrDataUrl(otpauthUri) });
    },

    async confirm(userId, sessionId, code, client) {
      const row = await prisma.userMfa.findUnique({ where: { userId }, select: { enabledAt: true } });
      if (row?.enabledAt) return failure('MFA_ALREADY_ENABLED', 'MFA is already on.');
      return prove(userId, code, client, 'confirm', { confirmed: false }, async (tx) => {
        const now = new Date();
        const enabled = await tx.userMfa.updateMany({ where: { userId, enabledAt: null }, data: { enabledAt: now } });
        if (enabled.count !== 1) refuse('MFA_ALREADY_ENABLED', 'MFA is already on.');
        const recoveryCodes = await newRecoveryCodes(tx, userId);
        // This session has just proved the second factor.
        await tx.session.updateMany({ where: { id: sessionId, userId }, data: { secondFactorAt: now } });
        await audit.append(tx, [{ kind: 'auth.mfa_enabled', actorId: userId, ip: client.ip }]);
        log.info({ userId }, 'MFA enabled');
        return { recoveryCodes };
      });
    },

    async disable(userId, code, client) {
      const row = await prisma.userMfa.findUnique({ where: { userId }, select: { vaultToken: true } });
      const outcome = await prove(userId, code, client, 'disable', { confirmed: true }, async (tx, method) => {
        await tx.mfaRecoveryCode.deleteMany({ where: { userId } });
        await tx.userMfa.delete({ where: { userId } });
        await tx.session.updateMany({ where: { userId }, data: { secondFactorAt: null } });
        await audit.append(tx, [{ kind: 'auth.mfa_disabled', actorId: userId, ip: client.ip, details: { method } }]);
        return { method };
      });
      if (outcome.ok && row) {
        await vault.discard(row.vaultToken);
        log.info({ userId }, 'MFA disabled');
      }
      return outcome;
    },

    async issueChallenge(userId) {
      const expiresAt = Math.floor(Date.now() / 1000) + MFA_CHALLENGE_SECONDS;
      const challenge = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(userId)
        .setAudience(CHALLENGE_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(expiresAt)
        .sign(challengeKey);
      return { challenge, expiresAt: new Date(expiresAt * 1000) };
    },

    async verifyChallenge(challenge, code, client) {
      let userId: string | undefined;
      try {
        const { payload } = await jwtVerify(challenge, challengeKey, { audience: CHALLENGE_AUDIENCE, algorithms: ['HS256'] });
        userId = typeof payload.sub === 'string' ? payload.sub : undefined;
      } catch (err) {
        if (!(err instanceof joseErrors.JOSEError)) throw err;
      }
      if (!userId || challenge.length > 2048) {
        return failure('INVALID_CREDENTIALS', 'The sign-in challenge is invalid or has expired: sign in again.', 'challenge');
      }
      const signedIn = userId;
      return prove(signedIn, code, client, 'sign_in', { confirmed: true }, async (tx, method) => {
        await audit.append(tx, [{ kind: 'auth.sign_in', actorId: signedIn, ip: client.ip, details: { mfa: method } }]);
        return { userId: signedIn, method };
      });
    },

    async stepUp(userId, sessionId, code, client) {
      const row = await prisma.userMfa.findUnique({ where: { userId }, select: { enabledAt: true } });
      if (!row?.enabledAt) return deps.codeStepUp.prove(userId, sessionId, code, client);
      return prove(userId, code, client, 'step_up', { confirmed: true }, async (tx) => {
        const now = new Date();
        await tx.session.updateMany({ where: { id: sessionId, userId }, data: { secondFactorAt: now } });
        return { validUntil: new Date(now.getTime() + deps.stepUpMinutes * 60_000) };
      });
    },

    withCode: (userId, code, client, purpose, work) => prove(userId, code, client, purpose, { confirmed: true }, (tx) => work(tx)),

    async stepUpRefusal(viewer, action) {
      // One read: whether the user has MFA or a verified contact, and whether this session proved a second factor recently enough.
      const [row] = await sql.query<{ mfa: boolean; contact: boolean; recent: boolean }>(
        `SELECT m.enabled_at IS NOT NULL AS mfa,
                u.email_verified_at IS NOT NULL OR u.phone_verified_at IS NOT NULL AS contact,
                coalesce(s.second_factor_at > now() - make_interval(mins => $3::int), false) AS recent
         FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN user_mfa m ON m.user_id = s.user_id
         WHERE s.id = $1::uuid AND s.user_id = $2::uuid`,
        [viewer.sessionId, viewer.userId, deps.stepUpMinutes],
        'step_up_check_v2',
      );
      const minutes = deps.stepUpMinutes;
      if (row?.mfa) {
        return row.recent
          ? null
          : {
              field: null,
              code: 'STEP_UP_REQUIRED',
              message: `Confirm it is you: send a code from your authenticator app with stepUp, then try again (it lasts ${minutes} minutes).`,
            };
      }
      if (action === 'ADMIN') {
        // Admins need MFA for what they do (ADMIN_MFA_REQUIRED); an emailed code is not enough for it.
        return deps.adminMfaRequired
          ? {
              field: null,
              code: 'MFA_ENROLMENT_REQUIRED',
              message: 'Admin actions need MFA: turn it on with enrolMfa and confirmMfa, then try again.',
            }
          : null;
      }
      if (row?.recent) return null;
      if (row?.contact) {
        return {
          field: null,
          code: 'STEP_UP_REQUIRED',
          message: `Confirm it is you: ask for a code with requestStepUpCode (sent to your verified email or phone), send it with stepUp, then try again (it lasts ${minutes} minutes).`,
        };
      }
      // Nothing to send a code to. Adding the first contact is allowed (it is how one gets one).
      return action === 'CONTACT_CHANGE' ? null : { field: null, code: 'CONTACT_VERIFICATION_REQUIRED', message: NO_VERIFIED_CONTACT };
    },

    async enabledFor(userIds) {
      const rows = await sql.query<{ user_id: string }>(
        'SELECT user_id::text FROM user_mfa WHERE user_id = ANY($1::uuid[]) AND enabled_at IS NOT NULL',
        [userIds],
        'mfa_enabled_for',
      );
      const enabled = new Set(rows.map((r) => r.user_id));
      return userIds.map((id) => enabled.has(id));
    },
  };
}
