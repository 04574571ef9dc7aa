// Sending a one-time code to an address and checking it: the part that email and phone
// verification, step-up without MFA and password reset share.
//
// Sending is throttled per address and per client IP (CODE_SENDS_PER_ADDRESS, CODE_SENDS_PER_IP
// within CODE_SEND_WINDOW_SECONDS), so nobody can flood an inbox or a phone through us. The code,
// its message and the audit event are written in one transaction: a message exists exactly when
// its code does. Checking is throttled like MFA codes (per user and per IP, the SIGNIN_* settings),
// each wrong guess also counts against the code itself (oneTimeCodes.ts), and every failure is
// audited (never the code).
import type { PrismaClient } from '../../db/database.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { AuditLog } from '../audit/auditLog.js';
import { failure, rateLimited, refusable, success, type Outcome } from '../errors.js';
import type { Channel, MessageContent } from '../notifications/model.js';
import type { Notifier } from '../notifications/notifier.js';
import { tryConsume, type LimiterFactory } from '../ratelimit/limiters.js';
import type { ServiceMetrics } from '../telemetry.js';
import type { CodePurpose, CodeRefusal, OneTimeCodes } from './oneTimeCodes.js';
import type { ClientInfo } from './sessions.js';
import type { SignInThrottle } from './signInThrottle.js';

export interface CodeSendLimits {
  perAddress: number;
  perIp: number;
  windowSeconds: number;
}

export interface CodeChallenges {
  /** Counts a message to `address` from `ip` against the send limits; throws RATE_LIMITED when over either. */
  countSend(address: string, ip: string): Promise<void>;
  /**
   * Issues a code for `purpose`, writes its message to `to` (what `render` makes of the code) and
   * the audit event in one transaction, and wakes the notifier. Call countSend first.
   */
  send(input: {
    userId: string;
    sessionId?: string | null;
    purpose: CodePurpose;
    channel: Channel;
    to: string;
    kind: string;
    ttlSeconds: number;
    client: ClientInfo;
    render: (code: string, expiresAt: Date) => MessageContent;
  }): Promise<{ expiresAt: Date }>;
  /**
   * Checks the user's code for `purpose` and, in the transaction that uses it up, does `work`. A
   * refusal (wrong, expired, used, or sent to an address the account no longer has) is throttled
   * and audited and answers INVALID_CODE on `field`.
   */
  prove<T>(
    input: {
      userId: string;
      purpose: CodePurpose;
      code: string;
      /** The account's address now (the code must have gone to it); null: not checked. */
      target: string | null;
      sessionId?: string | null;
      client: ClientInfo;
      field: string;
      /** The mutation that sends a new code, for the refusal's words. */
      askAgain: string;
    },
    work: (tx: Prisma.TransactionClient) => Promise<T>,
  ): Promise<Outcome<T>>;
}

const refusalWords: Record<CodeRefusal, (askAgain: string) => string> = {
  NONE: (ask) => `There is no code to check: ask for one with ${ask}.`,
  WRONG: () => 'The code is wrong: check the newest message we sent. A code stops working after five wrong tries.',
  EXPIRED: (ask) => `The code has expired: ask for a new one with ${ask}.`,
  USED: (ask) => `This code was already used (or tried too often): ask for a new one with ${ask}.`,
  ADDRESS_CHANGED: (ask) => `The code was sent to an address this account no longer has: ask for a new one with ${ask}.`,
};

/** Where a code went, for the answer: enough for the user to recognise it, not to learn it. */
export function maskAddress(channel: Channel, to: string): string {
  if (channel === 'SMS') return `${'•'.repeat(Math.max(0, to.length - 4))}${to.slice(-4)}`;
  const at = to.lastIndexOf('@');
  return `${to.slice(0, 1)}•••${to.slice(at)}`;
}

export function createCodeChallenges(deps: {
  prisma: PrismaClient;
  codes: OneTimeCodes;
  notifier: Notifier;
  audit: AuditLog;
  limiters: LimiterFactory;
  sendLimits: CodeSendLimits;
  /** Wrong codes per user id and per IP (ONE_TIME_CODE_GUESSES). */
  guesses: SignInThrottle;
  metrics: ServiceMetrics;
}): CodeChallenges {
  const { prisma, codes, notifier, audit, guesses } = deps;
  const byAddress = deps.limiters({
    keyPrefix: 'code-send-address',
    points: deps.sendLimits.perAddress,
    durationSeconds: deps.sendLimits.windowSeconds,
  });
  const byIp = deps.limiters({ keyPrefix: 'code-send-ip', points: deps.sendLimits.perIp, durationSeconds: deps.sendLimits.windowSeconds });

  return {
    async countSend(address, ip) {
      const wait = (await tryConsume(byAddress, address.trim().toLowerCase())) ?? (await tryConsume(byIp, ip));
      if (wait !== null) {
        deps.metrics.rateLimited('code_send');
        throw rateLimited(`Too many codes asked for. Try again in ${wait} seconds.`, wait);
      }
    },

    async send(input) {
      const { userId, purpose, channel, to, client } = input;
      const expiresAt = await prisma.$transaction(async (tx) => {
        const issued = await codes.issue(tx, {
          userId,
          purpose,
          target: to,
          sessionId: input.sessionId ?? null,
          ttlSeconds: input.ttlSeconds,
        });
        await notifier.enqueue(tx, [
          { userId, channel, to, kind: input.kind, content: input.render(issued.code, issued.expiresAt), giveUpAt: issued.expiresAt },
        ]);
        await audit.append(tx, [{ kind: 'auth.code_sent', actorId: userId, ip: client.ip, details: { purpose, channel } }]);
        return issued.expiresAt;
      });
      notifier.wake();
      return { expiresAt };
    },

    async prove(input, work) {
      const { userId, purpose, client } = input;
      await guesses.beforeAttempt(userId, client.ip);
      const code = input.code.trim();
      const result = await refusable(async () =>
        success(
          await prisma.$transaction(async (tx) => {
            const claimed = await codes.claim(tx, { userId, purpose, code, target: input.target, sessionId: input.sessionId });
            if (!claimed.ok) {
              // Committed with the guess counted against the code.
              await audit.append(tx, [
                { kind: 'auth.code_failed', subjectId: userId, ip: client.ip, details: { purpose, reason: claimed.reason } },
              ]);
              return { refused: claimed.reason } as const;
            }
            return { refused: null, value: await work(tx) } as const;
          }),
        ),
      );
      if (!result.ok) return result;
      const attempt = result.value;
      if (attempt.refused !== null) {
        await guesses.recordFailure(userId, client.ip);
        return failure('INVALID_CODE', refusalWords[attempt.refused](input.askAgain), input.field);
      }
      await guesses.recordSuccess(userId);
      return success(attempt.value);
    },
  };
}
