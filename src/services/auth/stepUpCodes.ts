// Step-up for users without MFA: a one-time code sent to a verified contact (email first, or the
// phone, or the one asked for) stands in for the authenticator app. requestStepUpCode sends it,
// bound to the session that asked; stepUp with it marks that session as having proved a second
// factor, for STEP_UP_MINUTES, exactly as a TOTP code does for users with MFA (mfa.ts routes a
// stepUp of a user without MFA here). A user with neither MFA nor a verified contact has nothing
// to send a code to: the step-up actions answer CONTACT_VERIFICATION_REQUIRED (mfa.ts) until they
// verify one (docs/security.md, decision 54).
import type { PrismaClient } from '../../db/database.js';
import type { AuditLog } from '../audit/auditLog.js';
import { failure, success, type Outcome } from '../errors.js';
import type { ContactChannel as Channel } from '../notifications/model.js';
import { stepUpCode } from '../notifications/templates.js';
import { phoneSelect, type Phones } from '../accounts/phones.js';
import { maskAddress, type CodeChallenges } from './codeChallenges.js';
import type { ClientInfo } from './sessions.js';

export interface StepUpCodeService {
  /** Sends a step-up code to a verified contact: `channel` if given, else the email, else the phone. */
  request(
    viewer: { userId: string; sessionId: string },
    channel: Channel | null,
    client: ClientInfo,
  ): Promise<Outcome<{ channel: Channel; sentTo: string; expiresAt: Date }>>;
  /** Checks a step-up code on the session that asked for it; the session is stepped up until `validUntil`. */
  prove(userId: string, sessionId: string, code: string, client: ClientInfo): Promise<Outcome<{ validUntil: Date }>>;
}

export const NO_VERIFIED_CONTACT =
  'Verify your email address (requestEmailVerification, then verifyEmail) or phone number first: step-up codes are sent there.';

export function createStepUpCodes(deps: {
  prisma: PrismaClient;
  challenges: CodeChallenges;
  audit: AuditLog;
  codeTtlSeconds: number;
  stepUpMinutes: number;
  phones: Pick<Phones, 'of'>;
}): StepUpCodeService {
  const { prisma, challenges, audit } = deps;
  return {
    async request(viewer, channel, client) {
      const user = await prisma.user.findUniqueOrThrow({
        where: { id: viewer.userId },
        select: { email: true, ...phoneSelect, emailVerifiedAt: true, phoneVerifiedAt: true, mfa: { select: { enabledAt: true } } },
      });
      if (user.mfa?.enabledAt) {
        return failure('INVALID_INPUT', 'Your account has MFA: step up with a code from your authenticator app (stepUp).');
      }
      const verified: Partial<Record<Channel, string>> = {
        ...(user.emailVerifiedAt ? { EMAIL: user.email } : {}),
        ...(user.phoneVerifiedAt ? { SMS: deps.phones.of(user) ?? undefined } : {}),
      };
      const chosen: Channel | undefined = channel ?? (verified.EMAIL ? 'EMAIL' : verified.SMS ? 'SMS' : undefined);
      const to = chosen && verified[chosen];
      if (!chosen || !to) {
        return failure(
          'CONTACT_VERIFICATION_REQUIRED',
          channel
            ? `Your ${channel === 'EMAIL' ? 'email address' : 'phone number'} is not verified. ${NO_VERIFIED_CONTACT}`
            : NO_VERIFIED_CONTACT,
          channel ? { argument: 'channel' } : undefined,
        );
      }
      await challenges.countSend(to, client.ip);
      const minutes = Math.round(deps.codeTtlSeconds / 60);
      const { expiresAt } = await challenges.send({
        userId: viewer.userId,
        sessionId: viewer.sessionId,
        purpose: 'STEP_UP',
        channel: chosen,
        to,
        kind: 'step_up_code',
        ttlSeconds: deps.codeTtlSeconds,
        client,
        render: (code) => stepUpCode(chosen, code, minutes),
      });
      return success({ channel: chosen, sentTo: maskAddress(chosen, to), expiresAt });
    },

    prove(userId, sessionId, code, client) {
      return challenges.prove(
        { userId, purpose: 'STEP_UP', code, target: null, sessionId, client, field: 'code', askAgain: 'requestStepUpCode' },
        async (tx) => {
          const now = new Date();
          await tx.session.updateMany({ where: { id: sessionId, userId }, data: { secondFactorAt: now } });
          await audit.append(tx, [{ kind: 'auth.stepped_up', actorId: userId, ip: client.ip, details: { method: 'ONE_TIME_CODE' } }]);
          return { validUntil: new Date(now.getTime() + deps.stepUpMinutes * 60_000) };
        },
      );
    },
  };
}
