// The operations the example partner client runs. codegen turns these into typed documents and
// partners/example/gql/persisted-documents.json (sha256 id → text), which the server registers as
// the "example" client's trusted documents: a request made with one of this client's API keys
// names an id from that manifest and never sends a query.
import { graphql } from './gql/index.js';

export const CreateCheckout = graphql(`
  mutation PartnerCreateCheckout($input: CreatePaymentRequestInput!) {
    createPaymentRequest(input: $input) {
      paymentRequest { code url qrCodePngUrl amount { amount currency } status expiresAt }
      userErrors { field code message }
    }
  }
`);

export const CheckoutStatus = graphql(`
  query PartnerCheckoutStatus($code: String!) {
    paymentRequest(code: $code) { code status paidCount amount { amount currency } reference }
  }
`);

export const CheckoutUpdates = graphql(`
  subscription PartnerCheckoutUpdates($code: String!) {
    paymentRequestUpdated(code: $code) { code status paidCount }
  }
`);

export const RecentPayments = graphql(`
  query PartnerRecentPayments($merchantId: ID!, $first: Int) {
    merchantPayments(merchantId: $merchantId, first: $first) {
      edges { node { id amount { amount currency } fee { amount } net { amount } status reference createdAt } }
    }
  }
`);

export const MyMerchant = graphql(`query PartnerMyMerchant { myMerchants { id name settlementCurrency } }`);

export const RefundPayment = graphql(`
  mutation PartnerRefundPayment($input: RefundPaymentInput!) {
    refundPayment(input: $input) {
      refund { id amount { amount } }
      payment { id status refunded { amount } }
      userErrors { field code message }
    }
  }
`);
