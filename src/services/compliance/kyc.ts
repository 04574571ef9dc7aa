// KYC: a user asks for a higher tier with their details (submitKyc), the KYC provider decides
// asynchronously by signed webhook (approve, reject, or refer to an admin), and admins decide the
// referred cases. An approval raises users.kyc_tier, which is what the limits read. Document
// numbers go to the vault; a case keeps only their last four characters. Every decision, the
// provider's and the admins', is kept with who and why (kyc_decisions); a final one is the user's
// KYC_DECIDED notification, written with it.
import type { AuditLog } from '../audit/auditLog.js';
import { z } from 'zod';
import type { PrismaClient } from '../../db/database.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { Logger } from '../../logger.js';
import { failure, parseInput, reasonProblem, success, type Outcome } from '../errors.js';
import type { OutboxEvent, OutboxPublisher } from '../events/outbox.js';
import type { PubSub } from '../events/pubsub.js';
import { writeNotices } from '../notifications/inbox.js';
import { redactAccountNumbers } from '../notifications/templates.js';
import { topics, type KycChanged } from '../events/topics.js';
import type { KycProvider, KycWebhookEvent } from '../gateways/gateways.js';
import { QUEUE_ORDER, queueWhere, toQueuePage, type Page, type PageRequest } from '../pagination.js';
import type { VaultWriter } from '../vault/vault.js';
import { openIdentities, openIdentityTokens, sealIdentity, type KycIdentity, type PersonalDataReader } from './kycIdentity.js';
import { claimWebhookEvent, recordWebhookOutcome } from '../webhooks/receivedEvents.js';
import type { KycTier } from './limits.js';
import { isUuid } from '../ids.js';

export type KycCaseRecord = Prisma.KycCaseGetPayload<object>;
export type KycDecisionRecord = Prisma.KycDecisionGetPayload<object>;

export interface SubmitKycInput {
  level: 'TIER_1' | 'TIER_2';
  legalName: string;
  /** YYYY-MM-DD. */
  dateOfBirth: string;
  address: { line1: string; line2?: string | null; city: string; postalCode: string; country: string };
  document?: { type: 'PASSPORT' | 'ID_CARD' | 'DRIVING_LICENCE'; number: string; country: string } | null;
  /** A reference to the selfie the app uploaded to the provider (required for TIER_2). */
  selfieRef?: string | null;
}

export interface KycService {
  submit(userId: string, input: SubmitKycInput): Promise<Outcome<KycCaseRecord>>;
  /** The user's tier and their latest case. */
  status(userId: string): Promise<{ tier: KycTier; latest: KycCaseRecord | null }>;
  /** A case its owner (or an admin) may see; null otherwise. */
  get(viewer: { userId: string; admin: boolean }, caseId: string): Promise<KycCaseRecord | null>;
  decisions(caseId: string): Promise<KycDecisionRecord[]>;
  /** Each case's identity (name, date of birth, address, document), opened from the vault in one query. */
  identities(cases: readonly KycCaseRecord[]): Promise<KycIdentity[]>;
  /** Sealed identities by their vault token (the data export's). */
  openIdentities(tokens: string[]): Promise<Map<string, KycIdentity>>;
  /** Cases referred to manual review, oldest first. */
  reviewQueue(page: PageRequest): Promise<Page<KycCaseRecord>>;
  decide(adminId: string, input: { caseId: string; decision: 'APPROVE' | 'REJECT'; reason: string }): Promise<Outcome<KycCaseRecord>>;
  /** Applies the provider's verified webhook; safe to call any number of times with one event. */
  handleWebhook(event: KycWebhookEvent): Promise<'APPLIED' | 'IGNORED' | 'UNMATCHED' | 'DUPLICATE'>;
}

const text = (max: number) => z.string().trim().min(1).max(max);
const country = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, 'must be an ISO 3166 code like "US"');
const inputSchema = z.object({
  level: z.enum(['TIER_1', 'TIER_2']),
  legalName: z.string().trim().min(2, 'legalName must be 2 to 140 characters.').max(140, 'legalName must be 2 to 140 characters.'),
  dateOfBirth: z.iso.date('dateOfBirth must be a date like 1990-04-30.'),
  address: z.object({ line1: text(200), line2: text(200).nullish(), city: text(100), postalCode: text(20), country }),
  document: z
    .object({
      type: z.enum(['PASSPORT', 'ID_CARD', 'DRIVING_LICENCE']),
      number: z
        .string()
        .transform((n) => n.replace(/[\s-]/g, '').toUpperCase())
        .pipe(z.string().regex(/^[A-Z0-9]{4,40}$/, 'document.number must be 4 to 40 letters and digits.')),
      country,
    })
    .nullish(),
  selfieRef: z.string().trim().min(1).max(200).nullish(),
});

const TIER_ORDER: Record<KycTier, number> = { TIER_0: 0, TIER_1: 1, TIER_2: 2 };

/** Whole years between a birth date and today (UTC). */
export function ageOn(dateOfBirth: string, today = new Date()): number {
  const [y, m, d] = dateOfBirth.split('-').map(Number) as [number, number, number];
  let age = today.getUTCFullYear() - y;
  if (today.getUTCMonth() + 1 < m || (today.getUTCMonth() + 1 === m && today.getUTCDate() < d)) age--;
  return age;
}

export function createKycService(deps: {
  prisma: PrismaClient;
  audit: AuditLog;
  vault: VaultWriter;
  openPersonal: PersonalDataReader;
  provider: KycProvider;
  /** Sanctions screening of the legal name (a hit freezes the user's wallets for review). */
  screenName: (userId: string, name: string) => Promise<unknown>;
  pubsub: PubSub;
  /** Publishes the user's notification of a decision after it commits. */
  outbox: Pick<OutboxPublisher, 'publishCommitted'>;
  log: Logger;
}): KycService {
  const { prisma, log } = deps;

  function notify(c: Pick<KycCaseRecord, 'id' | 'userId' | 'status'>) {
    deps.pubsub
      .publish(topics.kyc(c.userId), { caseId: c.id, status: c.status } satisfies KycChanged)
      .catch((err) => log.warn({ err: (err as Error).message }, 'publishing a KYC update failed'));
  }

  /**
   * Records a decision and applies it: an approval raises the tier (never lowers it). A final
   * decision is the user's notification too, written with it; publish `events` after commit.
   */
  async function settle(
    tx: Prisma.TransactionClient,
    c: KycCaseRecord,
    decision: 'APPROVED' | 'REJECTED' | 'MANUAL_REVIEW',
    reason: string | null,
    by: string | null,
  ): Promise<{ updated: KycCaseRecord; events: OutboxEvent[] }> {
    await tx.kycDecision.create({ data: { caseId: c.id, decision, decidedBy: by, reason } });
    if (decision === 'APPROVED') {
      await tx.$executeRaw`UPDATE users SET kyc_tier = ${c.level}::"KycTier", updated_at = now() WHERE id = ${c.userId}::uuid AND kyc_tier < ${c.level}::"KycTier"`;
    }
    const events =
      decision === 'MANUAL_REVIEW'
        ? []
        : await writeNotices(tx, [
            {
              userId: c.userId,
              kind: 'KYC_DECIDED',
              data: {
                caseId: c.id,
                decision,
                reason: reason && redactAccountNumbers(reason),
                ...(decision === 'APPROVED' ? { tier: c.level } : {}),
              },
            },
          ]);
    const updated = await tx.kycCase.update({ where: { id: c.id }, data: { status: decision, reason, updatedAt: new Date() } });
    return { updated, events };
  }

  /** After a decision commits: the case's subscribers, and the notification's. */
  async function decided(settled: { updated: KycCaseRecord; events: OutboxEvent[] }) {
    notify(settled.updated);
    if (settled.events.length) await deps.outbox.publishCommitted(settled.events);
  }

  return {
    async submit(userId, raw) {
      const parsed = parseInput(inputSchema, raw);
      if (!parsed.ok) return parsed;
      const input = parsed.value;
      const user = await prisma.user.findUniqueOrThrow({
        where: { id: userId },
        // Whether there is a phone: its hash, or a number not sealed yet (accounts/phones.ts).
        select: { kycTier: true, phoneHash: true, legacyPhone: true, phoneVerifiedAt: true },
      });
      if (TIER_ORDER[user.kycTier] >= TIER_ORDER[input.level])
        return failure('INVALID_INPUT', `You are already at ${user.kycTier}.`, 'level');
      if (ageOn(input.dateOfBirth) < 18) return failure('INVALID_INPUT', 'You must be 18 or older to verify your identity.', 'dateOfBirth');
      if (ageOn(input.dateOfBirth) > 130) return failure('INVALID_INPUT', 'dateOfBirth is not a plausible date of birth.', 'dateOfBirth');
      if (!user.phoneHash && !user.legacyPhone)
        return failure('INVALID_INPUT', 'Add your phone number first (updateProfile): verification needs it.', 'level');
      // TIER_1 means the phone is verified (and TIER_2 includes TIER_1): a texted code, not the KYC provider.
      if (!user.phoneVerifiedAt) {
        return failure(
          'PHONE_NOT_VERIFIED',
          'Verify your phone number first: requestPhoneVerification, then verifyPhone with the texted code.',
          'level',
        );
      }
      if (input.level === 'TIER_2' && (!input.document || !input.selfieRef)) {
        return failure(
          'INVALID_INPUT',
          'TIER_2 needs a government ID document and a selfie (document, selfieRef).',
          input.document ? 'selfieRef' : 'document',
        );
      }
      await deps.screenName(userId, input.legalName);
      const vaulted = input.document ? await deps.vault.store('DOCUMENT', input.document.number, { ownerId: userId }) : null;
      const identityToken = await sealIdentity(deps.vault, userId, {
        legalName: input.legalName,
        dateOfBirth: input.dateOfBirth,
        address: input.address,
        document: input.document
          ? { type: input.document.type, country: input.document.country, last4: input.document.number.slice(-4) }
          : null,
      });
      let created: KycCaseRecord;
      try {
        created = await prisma.kycCase.create({
          data: { userId, level: input.level, identityToken, documentToken: vaulted?.token ?? null, selfieRef: input.selfieRef ?? null },
        });
      } catch (err) {
        await deps.vault.discard(identityToken);
        if (vaulted) await deps.vault.discard(vaulted.token);
        if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
          return failure('INVALID_INPUT', 'You already have a verification in progress: wait for its decision (kycStatus).', 'level');
        }
        throw err;
      }
      try {
        const { providerRef } = await deps.provider.submit({
          reference: created.id,
          level: input.level,
          legalName: input.legalName,
          dateOfBirth: input.dateOfBirth,
          documentToken: vaulted?.token ?? null,
          selfieRef: input.selfieRef ?? null,
        });
        created = await prisma.kycCase.update({ where: { id: created.id }, data: { providerRef } });
      } catch (err) {
        // The case stays PENDING; an admin can see it has no provider reference.
        log.warn({ caseId: created.id, err: (err as Error).message }, 'the KYC provider did not take the case');
      }
      notify(created);
      return success(created);
    },

    async status(userId) {
      // The case first, then the tier: a decision commits both together, so a case read as
      // APPROVED is never paired with the tier from before it (read in parallel, it could be).
      const latest = await prisma.kycCase.findFirst({ where: { userId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
      const user = await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { kycTier: true } });
      return { tier: user.kycTier, latest };
    },

    async get(viewer, caseId) {
      if (!isUuid(caseId)) return null;
      const c = await prisma.kycCase.findUnique({ where: { id: caseId } });
      return c && (viewer.admin || c.userId === viewer.userId) ? c : null;
    },

    identities: (cases) => openIdentities(deps.openPersonal, cases),
    openIdentities: (tokens) => openIdentityTokens(deps.openPersonal, tokens),

    decisions: (caseId) => prisma.kycDecision.findMany({ where: { caseId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),

    async reviewQueue(page) {
      const rows = await prisma.kycCase.findMany({
        where: { status: 'MANUAL_REVIEW', ...queueWhere(page) },
        orderBy: QUEUE_ORDER,
        take: page.limit + 1,
      });
      return toQueuePage(rows, page);
    },

    async decide(adminId, { caseId, decision, reason }) {
      const why = reason.trim();
      const refused = reasonProblem(why);
      if (refused) return { ok: false, errors: [refused] };
      if (!isUuid(caseId)) return failure('NOT_FOUND', 'No KYC case has that id.', 'caseId');
      const result = await prisma.$transaction(async (tx) => {
        const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM kyc_cases WHERE id = ${caseId}::uuid FOR UPDATE`;
        if (!locked) return failure('NOT_FOUND', 'No KYC case has that id.', 'caseId');
        const c = await tx.kycCase.findUniqueOrThrow({ where: { id: caseId } });
        if (c.status !== 'MANUAL_REVIEW') return failure('INVALID_INPUT', `This case is ${c.status}, not waiting for review.`, 'caseId');
        await deps.audit.append(tx, [
          { kind: 'kyc.decided', actorId: adminId, subjectId: c.userId, details: { caseId, level: c.level, decision } },
        ]);
        return success(await settle(tx, c, decision === 'APPROVE' ? 'APPROVED' : 'REJECTED', why, adminId));
      });
      if (!result.ok) return result;
      await decided(result.value);
      return success(result.value.updated);
    },

    async handleWebhook(event) {
      const result = await prisma.$transaction(async (tx) => {
        if (!(await claimWebhookEvent(tx, 'kyc', event))) return { outcome: 'DUPLICATE' as const, settled: null };
        const reference = event.data.reference;
        const [locked] = isUuid(reference)
          ? await tx.$queryRaw<{ id: string }[]>`SELECT id FROM kyc_cases WHERE id = ${reference}::uuid FOR UPDATE`
          : [];
        const c = locked ? await tx.kycCase.findUniqueOrThrow({ where: { id: reference } }) : null;
        const decision = { 'kyc.approved': 'APPROVED', 'kyc.rejected': 'REJECTED', 'kyc.review': 'MANUAL_REVIEW' }[event.type] as
          | 'APPROVED'
          | 'REJECTED'
          | 'MANUAL_REVIEW'
          | undefined;
        // Only a PENDING case takes the provider's word; referred and decided cases are the admins'.
        const outcome = !c ? 'UNMATCHED' : c.status === 'PENDING' && decision ? 'APPLIED' : 'IGNORED';
        const settled = c && outcome === 'APPLIED' ? await settle(tx, c, decision!, event.data.reason ?? null, null) : null;
        await recordWebhookOutcome(tx, 'kyc', event.id, outcome, { kycCaseId: c?.id ?? null });
        return { outcome, settled } as const;
      });
      if (result.settled) await decided(result.settled);
      return result.outcome;
    },
  };
}
