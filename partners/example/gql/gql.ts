/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation PartnerCreateCheckout($input: CreatePaymentRequestInput!) {\n    createPaymentRequest(input: $input) {\n      paymentRequest { code url qrCodePngUrl amount { amount currency } status expiresAt }\n      userErrors { field code message }\n    }\n  }\n": typeof types.PartnerCreateCheckoutDocument,
    "\n  query PartnerCheckoutStatus($code: String!) {\n    paymentRequest(code: $code) { code status paidCount amount { amount currency } reference }\n  }\n": typeof types.PartnerCheckoutStatusDocument,
    "\n  subscription PartnerCheckoutUpdates($code: String!) {\n    paymentRequestUpdated(code: $code) { code status paidCount }\n  }\n": typeof types.PartnerCheckoutUpdatesDocument,
    "\n  query PartnerRecentPayments($merchantId: ID!, $first: Int) {\n    merchantPayments(merchantId: $merchantId, first: $first) {\n      edges { node { id amount { amount currency } fee { amount } net { amount } status reference createdAt } }\n    }\n  }\n": typeof types.PartnerRecentPaymentsDocument,
    "query PartnerMyMerchant { myMerchants { id name settlementCurrency } }": typeof types.PartnerMyMerchantDocument,
    "\n  mutation PartnerRefundPayment($input: RefundPaymentInput!) {\n    refundPayment(input: $input) {\n      refund { id amount { amount } }\n      payment { id status refunded { amount } }\n      userErrors { field code message }\n    }\n  }\n": typeof types.PartnerRefundPaymentDocument,
};
const documents: Documents = {
    "\n  mutation PartnerCreateCheckout($input: CreatePaymentRequestInput!) {\n    createPaymentRequest(input: $input) {\n      paymentRequest { code url qrCodePngUrl amount { amount currency } status expiresAt }\n      userErrors { field code message }\n    }\n  }\n": types.PartnerCreateCheckoutDocument,
    "\n  query PartnerCheckoutStatus($code: String!) {\n    paymentRequest(code: $code) { code status paidCount amount { amount currency } reference }\n  }\n": types.PartnerCheckoutStatusDocument,
    "\n  subscription PartnerCheckoutUpdates($code: String!) {\n    paymentRequestUpdated(code: $code) { code status paidCount }\n  }\n": types.PartnerCheckoutUpdatesDocument,
    "\n  query PartnerRecentPayments($merchantId: ID!, $first: Int) {\n    merchantPayments(merchantId: $merchantId, first: $first) {\n      edges { node { id amount { amount currency } fee { amount } net { amount } status reference createdAt } }\n    }\n  }\n": types.PartnerRecentPaymentsDocument,
    "query PartnerMyMerchant { myMerchants { id name settlementCurrency } }": types.PartnerMyMerchantDocument,
    "\n  mutation PartnerRefundPayment($input: RefundPaymentInput!) {\n    refundPayment(input: $input) {\n      refund { id amount { amount } }\n      payment { id status refunded { amount } }\n      userErrors { field code message }\n    }\n  }\n": types.PartnerRefundPaymentDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PartnerCreateCheckout($input: CreatePaymentRequestInput!) {\n    createPaymentRequest(input: $input) {\n      paymentRequest { code url qrCodePngUrl amount { amount currency } status expiresAt }\n      userErrors { field code message }\n    }\n  }\n"): (typeof documents)["\n  mutation PartnerCreateCheckout($input: CreatePaymentRequestInput!) {\n    createPaymentRequest(input: $input) {\n      paymentRequest { code url qrCodePngUrl amount { amount currency } status expiresAt }\n      userErrors { field code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PartnerCheckoutStatus($code: String!) {\n    paymentRequest(code: $code) { code status paidCount amount { amount currency } reference }\n  }\n"): (typeof documents)["\n  query PartnerCheckoutStatus($code: String!) {\n    paymentRequest(code: $code) { code status paidCount amount { amount currency } reference }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription PartnerCheckoutUpdates($code: String!) {\n    paymentRequestUpdated(code: $code) { code status paidCount }\n  }\n"): (typeof documents)["\n  subscription PartnerCheckoutUpdates($code: String!) {\n    paymentRequestUpdated(code: $code) { code status paidCount }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PartnerRecentPayments($merchantId: ID!, $first: Int) {\n    merchantPayments(merchantId: $merchantId, first: $first) {\n      edges { node { id amount { amount currency } fee { amount } net { amount } status reference createdAt } }\n    }\n  }\n"): (typeof documents)["\n  query PartnerRecentPayments($merchantId: ID!, $first: Int) {\n    merchantPayments(merchantId: $merchantId, first: $first) {\n      edges { node { id amount { amount currency } fee { amount } net { amount } status reference createdAt } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query PartnerMyMerchant { myMerchants { id name settlementCurrency } }"): (typeof documents)["query PartnerMyMerchant { myMerchants { id name settlementCurrency } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PartnerRefundPayment($input: RefundPaymentInput!) {\n    refundPayment(input: $input) {\n      refund { id amount { amount } }\n      payment { id status refunded { amount } }\n      userErrors { field code message }\n    }\n  }\n"): (typeof documents)["\n  mutation PartnerRefundPayment($input: RefundPaymentInput!) {\n    refundPayment(input: $input) {\n      refund { id amount { amount } }\n      payment { id status refunded { amount } }\n      userErrors { field code message }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;