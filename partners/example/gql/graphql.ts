/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type CreatePaymentRequestInput = {
  /** Leave out for an open amount (the payer enters it). */
  amount?: MoneyInput | null | undefined;
  /** For an open amount; default the settlement currency. */
  currency?: string | null | undefined;
  /** Up to 140 characters, shown to the payer. */
  description?: string | null | undefined;
  /** In the future, within a year. None: never expires. */
  expiresAt?: string | null | undefined;
  merchantId: string;
  /** Your order number or similar (up to 64 printable ASCII characters), shown to your members only. */
  reference?: string | null | undefined;
  /** Paid once (default), or any number of times. */
  singleUse?: boolean | null | undefined;
};

export type MerchantPaymentStatus =
  | 'PAID'
  | 'PARTIALLY_REFUNDED'
  | 'REFUNDED';

/** An amount as a decimal string ("12.50") and its ISO 4217 currency. */
export type MoneyInput = {
  amount: string;
  currency: string;
};

export type PaymentRequestStatus =
  /** Cancelled by the merchant; cannot be paid. */
  | 'CANCELLED'
  /** Past its expiry; cannot be paid. */
  | 'EXPIRED'
  /** Can be paid. */
  | 'OPEN'
  /** A single-use request that was paid. */
  | 'PAID';

export type RefundPaymentInput = {
  /** Part of the payment; default what is left to refund. */
  amount?: MoneyInput | null | undefined;
  idempotencyKey: string;
  paymentId: string;
  /** 3 to 500 characters. */
  reason: string;
};

/** Why a mutation did not do what was asked. */
export type UserErrorCode =
  | 'ACCOUNT_NOT_EMPTY'
  | 'ACCOUNT_UNDER_REVIEW'
  | 'ALREADY_VERIFIED'
  | 'CARD_DECLINED'
  | 'CONTACT_VERIFICATION_REQUIRED'
  | 'CURRENCY_MISMATCH'
  | 'EMAIL_TAKEN'
  | 'IDEMPOTENCY_IN_PROGRESS'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'INSUFFICIENT_FUNDS'
  | 'INVALID_AMOUNT'
  | 'INVALID_CODE'
  | 'INVALID_CREDENTIALS'
  | 'INVALID_EMAIL'
  | 'INVALID_INPUT'
  | 'INVALID_MFA_CODE'
  | 'INVALID_PERIOD'
  | 'INVALID_PHONE'
  | 'INVALID_REFRESH_TOKEN'
  | 'INVALID_TIME_ZONE'
  | 'LIMIT_EXCEEDED'
  | 'MFA_ALREADY_ENABLED'
  | 'MFA_ENROLMENT_REQUIRED'
  | 'MFA_NOT_ENABLED'
  | 'MFA_REQUIRED'
  | 'NOTIFICATION_LOCKED'
  | 'NOT_FOUND'
  | 'NO_WALLET_IN_CURRENCY'
  | 'PAYMENT_METHOD_UNUSABLE'
  | 'PAYMENT_REQUEST_CLOSED'
  | 'PAYMENT_REQUEST_EXPIRED'
  | 'PHONE_NOT_VERIFIED'
  | 'PHONE_TAKEN'
  | 'RECIPIENT_HAS_NO_WALLET_IN_CURRENCY'
  | 'RECIPIENT_NOT_FOUND'
  | 'REFUND_EXCEEDS_PAYMENT'
  | 'SELF_TRANSFER'
  | 'STEP_UP_REQUIRED'
  | 'TRANSFER_DECLINED'
  | 'TRY_AGAIN'
  | 'UNSUPPORTED_CURRENCY'
  | 'VERIFICATION_FAILED'
  | 'VERIFICATION_LOCKED'
  | 'WALLET_EXISTS'
  | 'WALLET_FROZEN'
  | 'WEAK_PASSWORD';

export type PartnerCreateCheckoutMutationVariables = Exact<{
  input: CreatePaymentRequestInput;
}>;


export type PartnerCreateCheckoutMutation = { createPaymentRequest: { paymentRequest: { code: string, url: string, qrCodePngUrl: string, status: PaymentRequestStatus, expiresAt: string | null, amount: { amount: string, currency: string } | null } | null, userErrors: Array<{ field: Array<string> | null, code: UserErrorCode, message: string }> } };

export type PartnerCheckoutStatusQueryVariables = Exact<{
  code: string;
}>;


export type PartnerCheckoutStatusQuery = { paymentRequest: { code: string, status: PaymentRequestStatus, paidCount: number, reference: string | null, amount: { amount: string, currency: string } | null } | null };

export type PartnerCheckoutUpdatesSubscriptionVariables = Exact<{
  code: string;
}>;


export type PartnerCheckoutUpdatesSubscription = { paymentRequestUpdated: { code: string, status: PaymentRequestStatus, paidCount: number } };

export type PartnerRecentPaymentsQueryVariables = Exact<{
  merchantId: string;
  first?: number | null | undefined;
}>;


export type PartnerRecentPaymentsQuery = { merchantPayments: { edges: Array<{ node: { id: string, status: MerchantPaymentStatus, reference: string | null, createdAt: string, amount: { amount: string, currency: string }, fee: { amount: string }, net: { amount: string } } }> } };

export type PartnerMyMerchantQueryVariables = Exact<{ [key: string]: never; }>;


export type PartnerMyMerchantQuery = { myMerchants: Array<{ id: string, name: string, settlementCurrency: string }> };

export type PartnerRefundPaymentMutationVariables = Exact<{
  input: RefundPaymentInput;
}>;


export type PartnerRefundPaymentMutation = { refundPayment: { refund: { id: string, amount: { amount: string } } | null, payment: { id: string, status: MerchantPaymentStatus, refunded: { amount: string } } | null, userErrors: Array<{ field: Array<string> | null, code: UserErrorCode, message: string }> } };


export const PartnerCreateCheckoutDocument = {"__meta__":{"hash":"sha256:e074185ff0411aa0710f3ca14e19666b77f216b7e610a05bff326ea6c4ee7bb2"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PartnerCreateCheckout"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreatePaymentRequestInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createPaymentRequest"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"paymentRequest"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"qrCodePngUrl"}},{"kind":"Field","name":{"kind":"Name","value":"amount"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<PartnerCreateCheckoutMutation, PartnerCreateCheckoutMutationVariables>;
export const PartnerCheckoutStatusDocument = {"__meta__":{"hash":"sha256:0578569b6c3146c626a59f59bf12092084ab2339c6c44863575ddf814bb6b150"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PartnerCheckoutStatus"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"code"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"paymentRequest"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"code"},"value":{"kind":"Variable","name":{"kind":"Name","value":"code"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"paidCount"}},{"kind":"Field","name":{"kind":"Name","value":"amount"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"reference"}}]}}]}}]} as unknown as DocumentNode<PartnerCheckoutStatusQuery, PartnerCheckoutStatusQueryVariables>;
export const PartnerCheckoutUpdatesDocument = {"__meta__":{"hash":"sha256:ec1ea953164ca6976489178e44efa51985c453f25fa3b7fa36560314e43d1d79"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"PartnerCheckoutUpdates"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"code"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"paymentRequestUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"code"},"value":{"kind":"Variable","name":{"kind":"Name","value":"code"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"paidCount"}}]}}]}}]} as unknown as DocumentNode<PartnerCheckoutUpdatesSubscription, PartnerCheckoutUpdatesSubscriptionVariables>;
export const PartnerRecentPaymentsDocument = {"__meta__":{"hash":"sha256:31fabe0c03a3a0c6b5b76b55fdda852323b86ebcfc09cb637ce4240ef7749898"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PartnerRecentPayments"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"merchantId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"merchantPayments"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"merchantId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"merchantId"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"amount"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"fee"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"net"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"reference"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]}}]}}]} as unknown as DocumentNode<PartnerRecentPaymentsQuery, PartnerRecentPaymentsQueryVariables>;
export const PartnerMyMerchantDocument = {"__meta__":{"hash":"sha256:ebee8569b2756db6197c9cd21a94de495f49caaa86d170465e7c706248978b7c"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PartnerMyMerchant"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"myMerchants"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"settlementCurrency"}}]}}]}}]} as unknown as DocumentNode<PartnerMyMerchantQuery, PartnerMyMerchantQueryVariables>;
export const PartnerRefundPaymentDocument = {"__meta__":{"hash":"sha256:2dfd73f275fcdf1cff472a60b4abd6608f55e2569ff9cd32c7abcf7d58399e5f"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PartnerRefundPayment"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RefundPaymentInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"refundPayment"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"refund"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"amount"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"payment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"refunded"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<PartnerRefundPaymentMutation, PartnerRefundPaymentMutationVariables>;