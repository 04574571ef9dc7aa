// Verified email and phone. A signed-in user asks for a code (requestEmailVerification,
// requestPhoneVerification), gets it at that address, and sends it back (verifyEmail, verifyPhone):
// the address is then verified (users.email_verified_at / phone_verified_at) until it changes (a
// trigger clears it on any change of the address). Entering the code proves, right now, that the
// user holds that address: the same proof a step-up code gives, so the session counts as stepped
// up too (it saves a second code right after the first).
//
// A verified contact is what step-up without MFA sends its codes to (stepUpCodes.ts), and TIER_1
// KYC needs a verified phone.
import type { PrismaClient } from '../../db/database.js';
import type { AuditLog } from '../audit/auditLog.js';
import { failure, refuse, success, type Outcome } from '../errors.js';
import type { PubSub } from '../events/pubsub.js';
import { topics, type ProfileChanged } from '../events/topics.js';
import type { ContactChannel as Channel } from '../notifications/model.js';
import { verificationCode } from '../notifications/templates.js';
import { phoneSelect, type Phones } from '../accounts/phones.js';
import { maskAddress, type CodeChallenges } from './codeChallenges.js';
import type { ClientInfo } from './sessions.js';

export interface ContactVerificationService {
  /** Sends a code to the user's email (EMAIL) or phone (SMS). */
  request(userId: string, channel: Channel, client: ClientInfo): Promise<Outcome<{ sentTo: string; expiresAt: Date }>>;
  /** Checks the code: the address is verified, and this session stepped up. */
  verify(userId: string, sessionId: string, channel: Channel, code: string, client: ClientInfo): Promise<Outcome<{ userId: string }>>;
}

const PURPOSE = { EMAIL: 'EMAIL_VERIFICATION', SMS: 'PHONE_VERIFICATION' } as const;
const ASK = { EMAIL: 'requestEmailVerification', SMS: 'requestPhoneVerification' } as const;
const NAME = { EMAIL: 'email address', SMS: 'phone number' } as const;

export function createContactVerification(deps: {
  prisma: PrismaClient;
  challenges: CodeChallenges;
  audit: AuditLog;
  pubsub: PubSub;
  codeTtlSeconds: number;
  phones: Pick<Phones, 'of' | 'digest'>;
}): ContactVerificationService {
  const { prisma, challenges, audit } = deps;

  /** The address a channel reaches for the user, and whether it is verified; null when they have none. */
  async function contact(userId: string, channel: Channel) {
    const user = await prisma.user.findUniqueOrThrow({
      where: { id: userId },
      select: { email: true, ...phoneSelect, emailVerifiedAt: true, phoneVerifiedAt: true },
    });
    if (channel === 'EMAIL') return { address: user.email, verified: user.emailVerifiedAt !== null };
    const phone = deps.phones.of(user);
    // inClear: a number not sealed yet (phones.ts), matched as it is stored.
    return phone ? { address: phone, verified: user.phoneVerifiedAt !== null, inClear: user.legacyPhone !== null } : null;
  }

  const noPhone = () => failure('INVALID_INPUT', 'Add a phone number to your profile first (updateProfile), then verify it.');

  return {
    async request(userId, channel, client) {
      const to = await contact(userId, channel);
      if (!to) return noPhone();
      if (to.verified) return failure('ALREADY_VERIFIED', `Your ${NAME[channel]} is already verified.`);
      await challenges.countSend(to.address, client.ip);
      const minutes = Math.round(deps.codeTtlSeconds / 60);
      const { expiresAt } = await challenges.send({
        userId,
        purpose: PURPOSE[channel],
        channel,
        to: to.address,
        kind: channel === 'EMAIL' ? 'email_verification' : 'phone_verification',
        ttlSeconds: deps.codeTtlSeconds,
        client,
        render: (code) => verificationCode(channel, code, minutes),
      });
      return success({ sentTo: maskAddress(channel, to.address), expiresAt });
    },

    async verify(userId, sessionId, channel, code, client) {
      const to = await contact(userId, channel);
      if (!to) return noPhone();
      const outcome = await challenges.prove(
        { userId, purpose: PURPOSE[channel], code, target: to.address, client, field: 'code', askAgain: ASK[channel] },
        async (tx) => {
          // Only while the account still has the address (a change in between clears it anyway).
          const verified =
            channel === 'EMAIL'
              ? await tx.$executeRaw`UPDATE users SET email_verified_at = now(), updated_at = now() WHERE id = ${userId}::uuid AND email = ${to.address}`
              : await tx.$executeRaw`UPDATE users SET phone_verified_at = now(), updated_at = now()
                  WHERE id = ${userId}::uuid AND (phone_hash = ${deps.phones.digest(to.address)} OR legacy_phone = ${'inClear' in to && to.inClear ? to.address : null})`;
          if (verified !== 1)
            refuse(
              'INVALID_CODE',
              `The code was sent to an address this account no longer has: ask for a new one with ${ASK[channel]}.`,
              'code',
            );
          await tx.session.updateMany({ where: { id: sessionId, userId }, data: { secondFactorAt: new Date() } });
          await audit.append(tx, [{ kind: 'auth.contact_verified', actorId: userId, ip: client.ip, details: { channel } }]);
        },
      );
      if (!outcome.ok) return outcome;
      await deps.pubsub.publish(topics.profile(userId), { userId } satisfies ProfileChanged);
      return success({ userId });
    },
  };
}
