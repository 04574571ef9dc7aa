// AML cases, for admins only. Loading a case and its transactions: src/resolvers/aml.ts.
import type { AmlCaseRecord } from '../services/compliance/aml.js';
import type { UserError } from '../services/errors.js';
import { builder } from './builder.js';
import { UserRef } from './user.js';
import { userErrorsField } from './userErrors.js';

export const AmlCaseKindEnum = builder.enumType('AmlCaseKind', {
  values: ['SANCTIONS', 'STRUCTURING', 'RAPID_IN_OUT', 'FAN_IN', 'FAN_OUT'] as const,
});
export const AmlCaseStatusEnum = builder.enumType('AmlCaseStatus', {
  values: {
    OPEN: { description: "Waiting for a decision. For SANCTIONS, the user's wallets are frozen." },
    CLEARED: { description: 'A false positive: wallets unfrozen.' },
    CONFIRMED: { description: 'Confirmed: wallets stay frozen.' },
  } as const,
});
const AmlDecisionEnum = builder.enumType('AmlDecision', { values: ['CLEAR', 'CONFIRM'] as const });

type Details = { screenedName?: string; matchedEntry?: string; score?: number; screenedAt?: string };

export const AmlCaseRef = builder.objectRef<AmlCaseRecord>('AmlCase');
builder.node(AmlCaseRef, {
  description: 'Something the compliance team must look at (admins only).',
  id: { resolve: (c) => c.id },
  authScopes: { admin: true },
  fields: (t) => ({
    kind: t.field({ type: AmlCaseKindEnum, resolve: (c) => c.kind }),
    status: t.field({ type: AmlCaseStatusEnum, resolve: (c) => c.status }),
    user: t.field({ type: UserRef, description: 'The user concerned.', resolve: (c) => ({ id: c.userId }) }),
    screenedName: t.string({
      nullable: true,
      description: 'SANCTIONS: the name that was screened.',
      resolve: (c) => (c.details as Details).screenedName ?? null,
    }),
    matchedEntry: t.string({
      nullable: true,
      description: 'SANCTIONS: the list entry it matched.',
      resolve: (c) => (c.details as Details).matchedEntry ?? null,
    }),
    score: t.float({ nullable: true, description: 'SANCTIONS: match score, 0..1.', resolve: (c) => (c.details as Details).score ?? null }),
    screenedAt: t.string({
      nullable: true,
      description: 'SANCTIONS: SIGN_UP, KYC or PAYOUT.',
      resolve: (c) => (c.details as Details).screenedAt ?? null,
    }),
    decidedBy: t.field({
      type: UserRef,
      nullable: true,
      description: 'The admin who decided.',
      resolve: (c) => (c.decidedBy ? { id: c.decidedBy } : null),
    }),
    reason: t.exposeString('reason', { nullable: true }),
    decidedAt: t.expose('decidedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const DecideAmlCaseInput = builder.inputType('DecideAmlCaseInput', {
  fields: (t) => ({
    caseId: t.globalID({ required: true, for: AmlCaseRef }),
    decision: t.field({ type: AmlDecisionEnum, required: true }),
    reason: t.string({ required: true, description: '3 to 500 characters; recorded with your id.' }),
  }),
});

export const DecideAmlCasePayload = builder
  .objectRef<{ amlCase?: AmlCaseRecord | null; userErrors: UserError[] }>('DecideAmlCasePayload')
  .implement({
    fields: (t) => ({
      amlCase: t.field({ type: AmlCaseRef, nullable: true, resolve: (p) => p.amlCase ?? null }),
      userErrors: t.field({ ...userErrorsField, resolve: (p) => p.userErrors }),
    }),
  });
