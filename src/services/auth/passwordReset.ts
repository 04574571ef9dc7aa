// Password reset by email, without telling anyone whether an address has an account.
//
// requestPasswordReset answers the same words for every well-formed address, and in the same time:
// it checks the address's form and counts it against the send limits (per address and per IP,
// counted alike whether or not the address has an account), queues the rest, and answers. The
// lookup of the account, the token and the email happen after the answer is on its way (queued
// with setImmediate, off the request path), so nothing the request waits for depends on whether
// the account exists. The link carries a 256-bit token in its fragment (PUBLIC_URL/app/reset-
// password#token=…: browsers never send a fragment to a server, so it stays out of access logs and
// Referer headers), stored as a keyed hash, valid PASSWORD_RESET_MINUTES, once, and only while the
// account still has that email.
//
// resetPassword(token, newPassword, mfaCode) sets the password (the sign-up rules), and for an
// account with MFA needs a code from the authenticator too (a mailbox alone must not be enough to
// take over such an account). In one transaction with the token's use: the new password, every
// session ended (their live connections closed after commit), the audit event and a notice to the
// address. A reset proves the user holds the email, so it counts as verifying it.
import { z } from 'zod';
import type { PrismaClient } from '../../db/database.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { Logger } from '../../logger.js';
import { emailField, passwordField } from '../accounts/accountInput.js';
import type { AuditLog } from '../audit/auditLog.js';
import { failure, parseInput, refusable, refuse, success, type Outcome } from '../errors.js';
import type { Notifier } from '../notifications/notifier.js';
import { passwordResetLink, passwordWasReset } from '../notifications/templates.js';
import type { CodeChallenges } from './codeChallenges.js';
import type { MfaService } from './mfa.js';
import type { OneTimeCodes } from './oneTimeCodes.js';
import { hashPassword, passwordWeakness } from './passwords.js';
import type { ClientInfo, SessionService } from './sessions.js';
import type { SignInThrottle } from './signInThrottle.js';

/** The one answer to every well-formed requestPasswordReset. */
export const RESET_REQUESTED_MESSAGE =
  'If an account uses this email address, a link to reset its password is on its way. Check your inbox (and spam folder).';
export const RESET_LINK_PATH = '/app/reset-password';

export interface PasswordResetService {
  /** Queues a reset link to `email` if an account has it; the same answer either way. */
  request(email: string, client: ClientInfo): Promise<Outcome<{ message: string }>>;
  /** Sets a new password with a reset link's token (and an MFA code for an account with MFA); signs out every session. */
  reset(
    input: { token: string; newPassword: string; mfaCode?: string | null },
    client: ClientInfo,
  ): Promise<Outcome<{ revokedSessionCount: number }>>;
  /** Where reset links point (PUBLIC_URL, or the server's own address once it listens). */
  setPublicOrigin(origin: string): void;
  /** Waits for queued requests to be handled (tests; shutdown before the database closes). */
  settled(): Promise<void>;
}

export function createPasswordReset(deps: {
  prisma: PrismaClient;
  codes: OneTimeCodes;
  challenges: Pick<CodeChallenges, 'countSend'>;
  notifier: Notifier;
  audit: AuditLog;
  sessions: Pick<SessionService, 'revokeAllIn'>;
  mfa: Pick<MfaService, 'withCode'>;
  /** Wrong reset tokens, per IP (ONE_TIME_CODE_GUESSES). */
  guesses: SignInThrottle;
  /** The sign-in throttle: a reset clears the address's failed sign-ins. */
  signIn: SignInThrottle;
  ttlSeconds: number;
  publicOrigin: string | null;
  log: Logger;
}): PasswordResetService {
  const { prisma, codes, notifier, audit, log } = deps;
  let origin = deps.publicOrigin;
  const pending = new Set<Promise<void>>();
  const minutes = Math.round(deps.ttlSeconds / 60);

  /** After the answer: the account's lookup and, if there is one, the token and its email. */
  async function sendLink(email: string, client: ClientInfo) {
    const user = await prisma.user.findUnique({ where: { email }, select: { id: true } });
    const details = { email: audit.pseudonym(email), knownUser: Boolean(user) };
    if (!user) {
      await audit.record({ kind: 'auth.password_reset_requested', ip: client.ip, details });
      return;
    }
    await prisma.$transaction(async (tx) => {
      const { code: token, expiresAt } = await codes.issue(tx, {
        userId: user.id,
        purpose: 'PASSWORD_RESET',
        target: email,
        ttlSeconds: deps.ttlSeconds,
      });
      const link = `${origin ?? 'http://localhost:4000'}${RESET_LINK_PATH}#token=${token}`;
      await notifier.enqueue(tx, [
        {
          userId: user.id,
          channel: 'EMAIL',
          to: email,
          kind: 'password_reset',
          content: passwordResetLink(link, token, minutes),
          giveUpAt: expiresAt,
        },
      ]);
      await audit.append(tx, [{ kind: 'auth.password_reset_requested', subjectId: user.id, ip: client.ip, details }]);
    });
    notifier.wake();
  }

  const invalidToken = () =>
    failure('INVALID_CODE', 'This reset link is invalid, expired or already used: ask for a new one (requestPasswordReset).', 'token');

  return {
    async request(rawEmail, client) {
      const parsed = parseInput(z.object({ email: emailField }), { email: rawEmail });
      if (!parsed.ok) return parsed;
      const email = parsed.value.email;
      await deps.challenges.countSend(email, client.ip);
      const job = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => sendLink(email, client))
        .catch((err) => log.warn({ err: (err as Error).message }, 'sending a password reset link failed'))
        .finally(() => pending.delete(job));
      pending.add(job);
      return success({ message: RESET_REQUESTED_MESSAGE });
    },

    async reset(input, client) {
      // Tokens are found by their hash, before anyone is known: failures count per IP.
      const ipKey = `ip:${client.ip}`;
      await deps.guesses.beforeAttempt(ipKey, client.ip);
      const userId = await codes.resetTokenOwner(input.token.trim());
      if (!userId) {
        await deps.guesses.recordFailure(ipKey, client.ip);
        await audit.record({ kind: 'auth.code_failed', ip: client.ip, details: { purpose: 'PASSWORD_RESET', reason: 'NONE' } });
        return invalidToken();
      }
      const user = await prisma.user.findUniqueOrThrow({
        where: { id: userId },
        select: { email: true, mfa: { select: { enabledAt: true } } },
      });
      const parsed = parseInput(z.object({ newPassword: passwordField }), { newPassword: input.newPassword });
      if (!parsed.ok) return parsed;
      const weakness = passwordWeakness(input.newPassword, user.email);
      if (weakness) return failure('WEAK_PASSWORD', `newPassword ${weakness}.`, 'newPassword');
      const withMfa = Boolean(user.mfa?.enabledAt);
      if (withMfa && !input.mfaCode?.trim()) {
        return failure(
          'MFA_REQUIRED',
          'This account has MFA: send a code from your authenticator app (or a recovery code) as mfaCode too.',
          'mfaCode',
        );
      }
      const passwordHash = await hashPassword(input.newPassword);

      const work = async (tx: Prisma.TransactionClient) => {
        const claimed = await codes.claim(tx, { userId, purpose: 'PASSWORD_RESET', code: input.token.trim(), target: user.email });
        if (!claimed.ok)
          refuse('INVALID_CODE', 'This reset link is invalid, expired or already used: ask for a new one (requestPasswordReset).', 'token');
        await tx.$executeRaw`
          UPDATE users SET password_hash = ${passwordHash}, password_changed_at = now(), credentials_changed_at = now(),
            email_verified_at = coalesce(email_verified_at, now()), updated_at = now()
          WHERE id = ${userId}::uuid`;
        const ended = await deps.sessions.revokeAllIn(tx, userId, 'PASSWORD_RESET');
        await audit.append(tx, [
          { kind: 'auth.password_reset', actorId: userId, ip: client.ip, details: { revokedSessionCount: ended.count, mfa: withMfa } },
        ]);
        await notifier.enqueue(tx, [
          { userId, channel: 'EMAIL', to: user.email, kind: 'password_reset_done', content: passwordWasReset(new Date()) },
        ]);
        return ended;
      };
      const outcome = withMfa
        ? await deps.mfa.withCode(userId, input.mfaCode!, client, 'password_reset', work)
        : await refusable(async () => success(await prisma.$transaction(work)));
      if (!outcome.ok) {
        if (outcome.errors.some((e) => e.code === 'INVALID_CODE')) await deps.guesses.recordFailure(ipKey, client.ip);
        // The MFA service names its own input `code`; here it is `mfaCode`.
        return {
          ...outcome,
          errors: outcome.errors.map((e) => (e.field?.join('.') === 'input.code' ? { ...e, field: ['input', 'mfaCode'] } : e)),
        };
      }
      outcome.value.afterCommit();
      notifier.wake();
      await deps.signIn.recordSuccess(user.email);
      log.info({ userId, revokedSessionCount: outcome.value.count }, 'password reset');
      return success({ revokedSessionCount: outcome.value.count });
    },

    setPublicOrigin(value) {
      origin ??= value;
    },

    async settled() {
      await Promise.all([...pending]);
    },
  };
}
