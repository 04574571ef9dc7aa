// The API's object ids: "<Type>:<uuid>" in base64 (Relay global ids, decoded in
// src/schema/builder.ts). Anything outside GraphQL that hands an id to API clients (webhook
// bodies) uses this, so a merchant matches a webhook's paymentId with MerchantPayment.id.
export const globalId = (type: string, id: string): string => Buffer.from(`${type}:${id}`, 'utf8').toString('base64');
