// Transfers the risk rules held for review. The posting function opened the review with the money
// on hold and the transaction IN_REVIEW; here an admin approves (the hold ends and that same
// transaction is posted, with the sender's limits checked again on today's usage) or declines (the
// hold is released, the send no longer counts against the limits, the transaction is DECLINED).
// Each decision is one database transaction with its outbox event; deciding twice is refused.
import type { PrismaClient } from '../../db/database.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { Logger } from '../../logger.js';
import { failure, reasonProblem, refusable, refuse, success, type Outcome } from '../errors.js';
import { writeOutbox, type OutboxEvent, type OutboxPublisher } from '../events/outbox.js';
import { topics, type TransactionChanged } from '../events/topics.js';
import { postThrough, type TransactionType } from '../ledger/postTransfers.js';
import { endHold } from '../ledger/holds.js';
import { QUEUE_ORDER, queueWhere, toQueuePage, type Page, type PageRequest } from '../pagination.js';
import { isUuid } from '../ids.js';

export type RiskReviewRecord = Prisma.RiskReviewGetPayload<{ include: { evaluation: true; transaction: true } }>;
export type RiskReviewStatus = RiskReviewRecord['status'];

export interface RiskReviewService {
  list(filter: { status?: RiskReviewStatus | null }, page: PageRequest): Promise<Page<RiskReviewRecord>>;
  get(reviewId: string): Promise<RiskReviewRecord | null>;
  decide(adminId: string, input: { reviewId: string; decision: 'APPROVE' | 'DECLINE'; reason: string }): Promise<Outcome<RiskReviewRecord>>;
}

const include = { evaluation: true, transaction: true } as const;

export function createRiskReviewService(deps: { prisma: PrismaClient; outbox: OutboxPublisher; idempotencyTtlHours: number; log: Logger }): RiskReviewService {
  const { prisma, log } = deps;
  const notFound = () => failure('NOT_FOUND', 'No risk review has that id.', 'reviewId');

  return {
    async list({ status }, page) {
      const rows = await prisma.riskReview.findMany({ where: { ...(status ? { status } : {}), ...queueWhere(page) }, orderBy: QUEUE_ORDER, take: page.limit + 1, include });
      return toQueuePage(rows, page);
    },

    get: (reviewId) => (isUuid(reviewId) ? prisma.riskReview.findUnique({ where: { id: reviewId }, include }) : Promise.resolve(null)),

    async decide(adminId, { reviewId, decision, reason }) {
      const why = reason.trim();
      const refused = reasonProblem(why);
      if (refused) return { ok: false, errors: [refused] };
      if (!isUuid(reviewId)) return notFound();
      let events: OutboxEvent[] = [];
      return refusable(async () => {
        const decided = await prisma.$transaction(async (tx) => {
          const [locked] = await tx.$queryRaw<{ status: string }[]>`SELECT status::text FROM risk_reviews WHERE id = ${reviewId}::uuid FOR UPDATE`;
          if (!locked) return null;
          if (locked.status !== 'PENDING') refuse('INVALID_INPUT', `This review was already ${locked.status.toLowerCase()}.`, 'reviewId');
          const review = await tx.riskReview.findUniqueOrThrow({ where: { id: reviewId }, include });
          const t = review.transaction;
          // The hold ends either way (a pending review's hold is active: the audit checks it); the
          // sender's usage for the day it was counted is given back, and an approval counts it
          // again on today's (posting with limits).
          if (!(await endHold(tx, { id: review.holdId, walletId: t.fromWalletId, amount: t.amount }, decision === 'APPROVE' ? 'CAPTURED' : 'RELEASED'))) {
            throw new Error(`the hold of risk review ${review.id} is not active`);
          }
          await tx.$executeRaw`
            UPDATE wallets SET
              sent_day = CASE WHEN usage_day = (${review.createdAt}::timestamptz AT TIME ZONE 'UTC')::date THEN greatest(sent_day - ${t.amount}, 0) ELSE sent_day END,
              sent_month = CASE WHEN usage_month = date_trunc('month', ${review.createdAt}::timestamptz AT TIME ZONE 'UTC')::date THEN greatest(sent_month - ${t.amount}, 0) ELSE sent_month END
            WHERE id = ${t.fromWalletId}::uuid`;
          if (decision === 'APPROVE') {
            const posted = await postThrough(
              tx,
              [
                {
                  userId: review.userId,
                  key: `risk-review:${review.id}`,
                  operation: 'riskReview.approve',
                  hash: review.id,
                  type: t.type as TransactionType,
                  currency: t.currency,
                  amount: t.amount,
                  from: { walletId: t.fromWalletId },
                  to: { walletId: t.toWalletId },
                  note: t.note,
                  metadata: t.metadata as Record<string, unknown>,
                  initiatedBy: t.initiatedBy,
                  limits: true,
                  transactionId: t.id,
                },
              ],
              deps.idempotencyTtlHours,
            );
            const result = posted.results[0]!;
            if (!result.ok) refuse(result.code, `The transfer cannot be posted now: ${result.message}`, 'reviewId');
            events = posted.events;
          } else {
            await tx.$executeRaw`UPDATE ledger_transactions SET status = 'DECLINED', updated_at = now() WHERE id = ${t.id}::uuid`;
            events = await writeOutbox(tx, [
              { topic: topics.transactions(review.userId), payload: { transactionId: t.id, walletId: t.fromWalletId, status: 'DECLINED' } satisfies TransactionChanged },
            ]);
          }
          await tx.riskReview.update({
            where: { id: reviewId },
            data: { status: decision === 'APPROVE' ? 'APPROVED' : 'DECLINED', decidedBy: adminId, reason: why, decidedAt: new Date(), updatedAt: new Date() },
          });
          return tx.riskReview.findUniqueOrThrow({ where: { id: reviewId }, include });
        });
        if (!decided) return notFound();
        deps.outbox.publishCommitted(events);
        log.info({ reviewId, decision, adminId }, 'risk review decided');
        return success(decided);
      });
    },
  };
}
