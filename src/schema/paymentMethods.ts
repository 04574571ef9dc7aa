// Cards and bank accounts as their owner sees them: never a full number, only brand, last 4,
// expiry, holder and status. Loading one: src/resolvers/paymentMethods.ts.
import type { PaymentMethodRecord } from '../services/paymentMethods/paymentMethods.js';
import { MAX_VERIFICATION_ATTEMPTS } from '../services/paymentMethods/paymentMethods.js';
import { builder } from './builder.js';
import { resultPayload } from './userErrors.js';

export const PaymentMethodKindEnum = builder.enumType('PaymentMethodKind', { values: ['CARD', 'BANK_ACCOUNT'] as const });
export const PaymentMethodStatusEnum = builder.enumType('PaymentMethodStatus', {
  values: {
    ACTIVE: { description: 'A card the issuer verified: usable.' },
    PENDING_VERIFICATION: { description: 'A bank account waiting for its two micro-deposits to be confirmed (verifyBankAccount).' },
    VERIFIED: { description: "A bank account confirmed as the user's: usable." },
    LOCKED: { description: 'Too many wrong micro-deposit amounts. Remove it and add it again.' },
    REMOVED: {},
  } as const,
});
const CardBrandEnum = builder.enumType('CardBrand', { values: ['VISA', 'MASTERCARD', 'AMEX', 'DISCOVER'] as const });
const BankSchemeEnum = builder.enumType('BankScheme', {
  values: { ACH: { description: 'US bank account: routing and account number.' }, SEPA: { description: 'IBAN.' } } as const,
});

type Brand = 'VISA' | 'MASTERCARD' | 'AMEX' | 'DISCOVER';

const CardDetailsRef = builder.objectRef<PaymentMethodRecord>('CardDetails').implement({
  fields: (t) => ({
    brand: t.field({ type: CardBrandEnum, resolve: (m) => m.brand as Brand }),
    expMonth: t.int({ resolve: (m) => m.expMonth! }),
    expYear: t.int({ resolve: (m) => m.expYear! }),
  }),
});

const BankAccountDetailsRef = builder.objectRef<PaymentMethodRecord>('BankAccountDetails').implement({
  fields: (t) => ({
    country: t.string({ description: 'ISO 3166 country code.', resolve: (m) => m.country! }),
    scheme: t.field({ type: BankSchemeEnum, resolve: (m) => m.scheme as 'ACH' | 'SEPA' }),
    routingNumber: t.string({
      nullable: true,
      description: 'ACH routing number (public, not a secret); null for SEPA.',
      resolve: (m) => m.routingNumber,
    }),
    verificationAttemptsLeft: t.int({ resolve: (m) => Math.max(0, MAX_VERIFICATION_ATTEMPTS - m.verificationAttempts) }),
  }),
});

export const PaymentMethodRef = builder.objectRef<PaymentMethodRecord>('PaymentMethod');

builder.node(PaymentMethodRef, {
  description: 'A card or bank account for adding funds and withdrawing. The number itself never leaves the vault.',
  id: { resolve: (m) => m.id },
  // Owners only: payment methods are not even shown to admins through the API.
  authScopes: (m, ctx) => ctx.viewer?.userId === m.userId,
  fields: (t) => ({
    kind: t.field({ type: PaymentMethodKindEnum, resolve: (m) => m.kind }),
    status: t.field({ type: PaymentMethodStatusEnum, resolve: (m) => m.status }),
    isDefault: t.exposeBoolean('isDefault'),
    holderName: t.exposeString('holderName'),
    last4: t.exposeString('last4'),
    display: t.string({ description: 'What to show, e.g. "Visa •••• 4242" or "Bank •••• 6789".', resolve: displayName }),
    card: t.field({ type: CardDetailsRef, nullable: true, resolve: (m) => (m.kind === 'CARD' ? m : null) }),
    bankAccount: t.field({ type: BankAccountDetailsRef, nullable: true, resolve: (m) => (m.kind === 'BANK_ACCOUNT' ? m : null) }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const BRAND_NAMES: Record<Brand, string> = { VISA: 'Visa', MASTERCARD: 'Mastercard', AMEX: 'American Express', DISCOVER: 'Discover' };
function displayName(m: PaymentMethodRecord): string {
  return `${m.kind === 'CARD' ? BRAND_NAMES[m.brand as Brand] : 'Bank'} •••• ${m.last4}`;
}

export const AddCardInput = builder.inputType('AddCardInput', {
  description: 'The card number and CVC go to the vault and the card processor only; the CVC is never stored.',
  fields: (t) => ({
    number: t.string({ required: true, description: 'Digits; spaces and dashes are ignored.' }),
    expMonth: t.int({ required: true }),
    expYear: t.int({ required: true, description: 'Four digits.' }),
    cvc: t.string({ required: true }),
    holderName: t.string({ required: true }),
  }),
});

export const AddBankAccountInput = builder.inputType('AddBankAccountInput', {
  description: 'US: routingNumber and accountNumber. Elsewhere (SEPA): iban.',
  fields: (t) => ({
    country: t.string({ required: true, description: 'ISO 3166 alpha-2, e.g. "US", "DE".' }),
    routingNumber: t.string({ required: false }),
    iban: t.string({ required: false }),
    accountNumber: t.string({ required: false }),
    holderName: t.string({ required: true }),
  }),
});

export const VerifyBankAccountInput = builder.inputType('VerifyBankAccountInput', {
  fields: (t) => ({
    id: t.globalID({ required: true, for: PaymentMethodRef }),
    amounts: t.field({ type: ['Decimal'], required: true, description: 'The two micro-deposits, e.g. ["0.32", "0.45"], in any order.' }),
  }),
});

export const PaymentMethodIdInput = builder.inputType('PaymentMethodIdInput', {
  fields: (t) => ({ id: t.globalID({ required: true, for: PaymentMethodRef }) }),
});

export const AddCardPayload = resultPayload('AddCardPayload', 'paymentMethod', PaymentMethodRef);
export const AddBankAccountPayload = resultPayload('AddBankAccountPayload', 'paymentMethod', PaymentMethodRef);
export const VerifyBankAccountPayload = resultPayload('VerifyBankAccountPayload', 'paymentMethod', PaymentMethodRef);
export const RemovePaymentMethodPayload = resultPayload('RemovePaymentMethodPayload', 'paymentMethod', PaymentMethodRef);
export const SetDefaultPaymentMethodPayload = resultPayload('SetDefaultPaymentMethodPayload', 'paymentMethod', PaymentMethodRef);
