// Transfers the risk rules held for review. The posting function opened the review with the money
// on hold and the transaction IN_REVIEW; here an admin approves (the hold ends and that same
// transaction is posted, with the sender's limits checked again on today's usage) or declines (the
// hold is released, the send no longer counts against the limits, the transaction is DECLINED).
// Each decision is one database transaction with its outbox event and the sender's notification
// (SEND_REVIEW_APPROVED / SEND_REVIEW_DECLINED); deciding twice is refused.
import type { AuditLog } from '../audit/auditLog.js';
import type { PrismaClient } from '../../db/database.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { Logger } from '../../logger.js';
import { failure, reasonProblem, refusable, refuse, success, type Outcome } from '../errors.js';
import { refuseWith, type Ledger, type TransactionType } from '../ledger/ledger.js';
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
/** What deciding reads: the review, and whom the held send is to (named in the sender's notification). */
const includeRecipient = {
  evaluation: true,
  transaction: { include: { toWallet: { select: { user: { select: { displayName: true } }, merchant: { select: { name: true } } } } } },
} as const;

export function createRiskReviewService(deps: { prisma: PrismaClient; ledger: Ledger; audit: AuditLog; log: Logger }): RiskReviewService {
  const { prisma, log } = deps;
  const notFound = () => failure('NOT_FOUND', 'No risk review has that id.', 'reviewId');

  return {
    async list({ status }, page) {
      const rows = await prisma.riskReview.findMany({
        where: { ...(status ? { status } : {}), ...queueWhere(page) },
        orderBy: QUEUE_ORDER,
        take: page.limit + 1,
        include,
      });
      return toQueuePage(rows, page);
    },

    get: (reviewId) => (isUuid(reviewId) ? prisma.riskReview.findUnique({ where: { id: reviewId }, include }) : Promise.resolve(null)),

    async decide(adminId, { reviewId, decision, reason }) {
      const why = reason.trim();
      const refused = reasonProblem(why);
      if (refused) return { ok: false, errors: [refused] };
      if (!isUuid(reviewId)) return notFound();
      return refusable(async () => {
        const decided = await deps.ledger.transaction(async (ledger, tx) => {
          const [locked] = await tx.$queryRaw<
            { status: string }[]
          >`SELECT status::text FROM risk_reviews WHERE id = ${reviewId}::uuid FOR UPDATE`;
          if (!locked) return null;
          if (locked.status !== 'PENDING') refuse('INVALID_INPUT', `This review was already ${locked.status.toLowerCase()}.`, 'reviewId');
          const review = await tx.riskReview.findUniqueOrThrow({ where: { id: reviewId }, include: includeRecipient });
          const t = review.transaction;
          const notice = {
            userId: review.userId,
            kind: decision === 'APPROVE' ? ('SEND_REVIEW_APPROVED' as const) : ('SEND_REVIEW_DECLINED' as const),
            data: {
              transactionId: t.id,
              walletId: t.fromWalletId,
              amount: t.amount.toString(),
              currency: t.currency,
              counterparty: t.toWallet.user?.displayName ?? t.toWallet.merchant?.name ?? 'the recipient',
            },
          };
          const hold = { id: review.holdId, walletId: t.fromWalletId, amount: t.amount, transactionId: t.id };
          // The sender's usage for the day it was counted is given back either way; an approval
          // counts it again on today's (posting with limits).
          await ledger.giveBackSendUsage(t.fromWalletId, t.amount, review.createdAt);
          if (decision === 'APPROVE') {
            const result = await ledger.captureHold(hold, {
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
            });
            if (!result.ok) refuseWith(result, 'approveRiskReview');
            await ledger.notify([notice]);
          } else {
            await ledger.releaseHold(hold);
            await ledger.decline({ id: t.id, userId: review.userId, walletId: t.fromWalletId }, [notice]);
          }
          await deps.audit.append(tx, [
            {
              kind: 'risk.review_decided',
              actorId: adminId,
              subjectId: review.userId,
              details: { reviewId, transactionId: t.id, decision },
            },
          ]);
          await tx.riskReview.update({
            where: { id: reviewId },
            data: {
              status: decision === 'APPROVE' ? 'APPROVED' : 'DECLINED',
              decidedBy: adminId,
              reason: why,
              decidedAt: new Date(),
              updatedAt: new Date(),
            },
          });
          return tx.riskReview.findUniqueOrThrow({ where: { id: reviewId }, include });
        });
        if (!decided) return notFound();
        log.info({ reviewId, decision, adminId }, 'risk review decided');
        return success(decided);
      });
    },
  };
}
