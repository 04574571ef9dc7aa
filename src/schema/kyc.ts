// KYC cases as their owner and admins see them. The document number never appears: its last four only.
// Loading a case and its decisions: src/resolvers/kyc.ts.
import type { KycCaseRecord, KycDecisionRecord } from '../services/compliance/kyc.js';
import type { KycAddress, KycIdentity } from '../services/compliance/kycIdentity.js';
import type { KycTier } from '../services/compliance/limits.js';
import type { UserError } from '../services/errors.js';
import { builder } from './builder.js';
import { KycTierEnum } from './limits.js';
import { UserRef } from './user.js';
import { userErrorsField } from './userErrors.js';

export const KycCaseStatusEnum = builder.enumType('KycCaseStatus', {
  values: {
    PENDING: { description: 'With the KYC provider.' },
    MANUAL_REVIEW: { description: 'Referred by the provider to an admin (kycReviewQueue).' },
    APPROVED: { description: 'The tier was granted.' },
    REJECTED: { description: 'Refused; see reason. You may submit again.' },
  } as const,
});
const DocumentTypeEnum = builder.enumType('KycDocumentType', { values: ['PASSPORT', 'ID_CARD', 'DRIVING_LICENCE'] as const });
const KycDecisionEnum = builder.enumType('KycDecision', { values: ['APPROVE', 'REJECT'] as const });

export const AddressRef = builder.objectRef<KycAddress>('KycAddress').implement({
  fields: (t) => ({
    line1: t.exposeString('line1'),
    line2: t.string({ nullable: true, resolve: (a) => a.line2 ?? null }),
    city: t.exposeString('city'),
    postalCode: t.exposeString('postalCode'),
    country: t.exposeString('country'),
  }),
});

export const DocumentRef = builder.objectRef<NonNullable<KycIdentity['document']>>('KycDocument').implement({
  fields: (t) => ({
    type: t.field({ type: DocumentTypeEnum, resolve: (d) => d.type as 'PASSPORT' | 'ID_CARD' | 'DRIVING_LICENCE' }),
    country: t.exposeString('country'),
    last4: t.exposeString('last4', { description: 'The last four characters; the number itself is only in the vault.' }),
  }),
});

export const KycCaseDecisionRef = builder.objectRef<KycDecisionRecord>('KycCaseDecision').implement({
  description: 'A decision on a case: by the provider (decidedBy null) or an admin.',
  fields: (t) => ({
    decision: t.field({ type: KycCaseStatusEnum, resolve: (d) => d.decision as 'APPROVED' | 'REJECTED' | 'MANUAL_REVIEW' }),
    decidedBy: t.field({
      type: UserRef,
      nullable: true,
      description: 'The admin, or null for the KYC provider.',
      resolve: (d) => (d.decidedBy ? { id: d.decidedBy } : null),
    }),
    reason: t.exposeString('reason', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const KycCaseRef = builder.objectRef<KycCaseRecord>('KycCase');

builder.node(KycCaseRef, {
  id: { resolve: (c) => c.id },
  // The owner, and admins (who review cases). Nobody else, not even to learn a case exists.
  authScopes: (c, ctx) => Boolean(ctx.viewer && (ctx.viewer.userId === c.userId || ctx.viewer.roles.includes('ADMIN'))),
  fields: (t) => ({
    user: t.field({ type: UserRef, description: 'Whose case it is.', resolve: (c) => ({ id: c.userId }) }),
    level: t.field({ type: KycTierEnum, resolve: (c) => c.level as KycTier }),
    status: t.field({ type: KycCaseStatusEnum, resolve: (c) => c.status }),
    reason: t.exposeString('reason', { nullable: true, description: 'Why it was rejected or referred.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

export const KycStatusRef = builder.objectRef<{ tier: KycTier; latest: KycCaseRecord | null }>('KycStatus').implement({
  fields: (t) => ({
    tier: t.field({ type: KycTierEnum, resolve: (s) => s.tier }),
    latestCase: t.field({ type: KycCaseRef, nullable: true, resolve: (s) => s.latest }),
  }),
});

const AddressInput = builder.inputType('KycAddressInput', {
  fields: (t) => ({
    line1: t.string({ required: true }),
    line2: t.string({ required: false }),
    city: t.string({ required: true }),
    postalCode: t.string({ required: true }),
    country: t.string({ required: true, description: 'ISO 3166 alpha-2.' }),
  }),
});
const DocumentInput = builder.inputType('KycDocumentInput', {
  fields: (t) => ({
    type: t.field({ type: DocumentTypeEnum, required: true }),
    number: t.string({ required: true, description: 'Goes to the vault; never shown again, not even to you.' }),
    country: t.string({ required: true, description: 'Issuing country, ISO 3166 alpha-2.' }),
  }),
});
export const SubmitKycInput = builder.inputType('SubmitKycInput', {
  fields: (t) => ({
    level: t.field({ type: KycTierEnum, required: true, description: 'TIER_1 or TIER_2.' }),
    legalName: t.string({ required: true }),
    dateOfBirth: t.string({ required: true, description: 'YYYY-MM-DD; you must be 18 or older.' }),
    address: t.field({ type: AddressInput, required: true }),
    document: t.field({ type: DocumentInput, required: false, description: 'Required for TIER_2.' }),
    selfieRef: t.string({ required: false, description: 'Reference of the selfie uploaded to the KYC provider; required for TIER_2.' }),
  }),
});
export const DecideKycInput = builder.inputType('DecideKycInput', {
  fields: (t) => ({
    caseId: t.globalID({ required: true, for: KycCaseRef }),
    decision: t.field({ type: KycDecisionEnum, required: true }),
    reason: t.string({ required: true, description: '3 to 500 characters; recorded with your id.' }),
  }),
});

const kycPayload = (name: string) =>
  builder.objectRef<{ kycCase?: KycCaseRecord | null; userErrors: UserError[] }>(name).implement({
    fields: (t) => ({
      kycCase: t.field({ type: KycCaseRef, nullable: true, resolve: (p) => p.kycCase ?? null }),
      userErrors: t.field({ ...userErrorsField, resolve: (p) => p.userErrors }),
    }),
  });
export const SubmitKycPayload = kycPayload('SubmitKycPayload');
export const DecideKycPayload = kycPayload('DecideKycPayload');
