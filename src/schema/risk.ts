// Risk reviews (admins only) and the transfer preview's types. Loading a review and the fields
// read through a service (transaction, fromWallet, toWallet): src/resolvers/risk.ts.
import type { UserError } from '../services/errors.js';
import type { RiskReviewRecord } from '../services/risk/riskReviews.js';
import type { TransferPreview } from '../services/transfers/transfers.js';
import { builder } from './builder.js';
import { LimitRef } from './limits.js';
import { MoneyRef } from './money.js';
import { UserRef } from './user.js';
import { userErrorsField } from './userErrors.js';

export const RiskDecisionEnum = builder.enumType('RiskDecision', {
  values: {
    ALLOW: { description: 'The transfer goes ahead.' },
    REVIEW: { description: 'The money is held and the transfer waits for a reviewer (status IN_REVIEW).' },
    BLOCK: { description: 'The transfer is refused (TRANSFER_DECLINED).' },
  } as const,
});

export const RiskReviewStatusEnum = builder.enumType('RiskReviewStatus', {
  values: {
    PENDING: { description: "Waiting for a decision; the sender's money is on hold." },
    APPROVED: { description: 'Posted.' },
    DECLINED: { description: 'Hold released; nothing moved.' },
  } as const,
});

const RiskReviewDecisionEnum = builder.enumType('RiskReviewDecision', { values: ['APPROVE', 'DECLINE'] as const });

interface RuleRow {
  rule: string;
  decision: 'ALLOW' | 'REVIEW' | 'BLOCK';
  reason: string;
}

const RiskRuleResultRef = builder.objectRef<RuleRow>('RiskRuleResult').implement({
  fields: (t) => ({
    rule: t.exposeString('rule'),
    decision: t.field({ type: RiskDecisionEnum, resolve: (r) => r.decision }),
    reason: t.exposeString('reason'),
  }),
});

const RiskInputRef = builder.objectRef<{ name: string; value: string | null }>('RiskInput').implement({
  description: 'One thing the rules saw (amounts in minor units).',
  fields: (t) => ({ name: t.exposeString('name'), value: t.exposeString('value', { nullable: true }) }),
});

export const RiskReviewRef = builder.objectRef<RiskReviewRecord>('RiskReview');
builder.node(RiskReviewRef, {
  description: 'A transfer the risk rules held for review (admins only).',
  id: { resolve: (r) => r.id },
  authScopes: { admin: true },
  fields: (t) => ({
    status: t.field({ type: RiskReviewStatusEnum, resolve: (r) => r.status }),
    user: t.field({ type: UserRef, description: 'The sender.', resolve: (r) => ({ id: r.userId }) }),
    amount: t.field({ type: MoneyRef, resolve: (r) => ({ amount: r.transaction.amount, currency: r.transaction.currency }) }),
    note: t.string({ nullable: true, resolve: (r) => r.transaction.note }),
    rules: t.field({
      type: [RiskRuleResultRef],
      description: "Every rule's result.",
      resolve: (r) => r.evaluation.rules as unknown as RuleRow[],
    }),
    inputs: t.field({
      type: [RiskInputRef],
      resolve: (r) =>
        Object.entries(r.evaluation.inputs as Record<string, unknown>).map(([name, v]) => ({ name, value: v === null ? null : String(v) })),
    }),
    decidedBy: t.field({
      type: UserRef,
      nullable: true,
      description: 'The admin who decided.',
      resolve: (r) => (r.decidedBy ? { id: r.decidedBy } : null),
    }),
    reason: t.exposeString('reason', { nullable: true }),
    decidedAt: t.expose('decidedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const DecideRiskReviewInput = builder.inputType('DecideRiskReviewInput', {
  fields: (t) => ({
    reviewId: t.globalID({ required: true, for: RiskReviewRef }),
    decision: t.field({ type: RiskReviewDecisionEnum, required: true }),
    reason: t.string({ required: true, description: '3 to 500 characters; recorded with your id.' }),
  }),
});

export const DecideRiskReviewPayload = builder
  .objectRef<{ review?: RiskReviewRecord | null; userErrors: UserError[] }>('DecideRiskReviewPayload')
  .implement({
    fields: (t) => ({
      review: t.field({ type: RiskReviewRef, nullable: true, resolve: (p) => p.review ?? null }),
      userErrors: t.field({ ...userErrorsField, resolve: (p) => p.userErrors }),
    }),
  });

const TransferPreviewRef = builder.objectRef<TransferPreview>('TransferPreview').implement({
  description: 'What sendMoney would do now. Nothing is moved or reserved, and the answer can change before you send.',
  fields: (t) => ({
    amount: t.field({ type: MoneyRef, resolve: (p) => ({ amount: p.amount, currency: p.currency }) }),
    fee: t.field({ type: MoneyRef, resolve: (p) => ({ amount: p.fee, currency: p.currency }) }),
    total: t.field({
      type: MoneyRef,
      description: 'amount + fee: what leaves your wallet.',
      resolve: (p) => ({ amount: p.total, currency: p.currency }),
    }),
    limitsAfter: t.field({
      type: [LimitRef],
      description: 'Your send limits in this currency as they would be after this transfer; `exceeded` marks one it would break.',
      resolve: (p) => p.limitsAfter,
    }),
    riskDecision: t.field({ type: RiskDecisionEnum, resolve: (p) => p.riskDecision }),
  }),
});

export const PreviewTransferPayload = builder
  .objectRef<{ preview?: TransferPreview | null; userErrors: UserError[] }>('PreviewTransferPayload')
  .implement({
    fields: (t) => ({
      preview: t.field({ type: TransferPreviewRef, nullable: true, resolve: (p) => p.preview ?? null }),
      userErrors: t.field({ ...userErrorsField, resolve: (p) => p.userErrors }),
    }),
  });
