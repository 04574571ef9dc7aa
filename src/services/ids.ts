// Ids: checking the ones that come from outside before they reach a uuid cast, the API's global
// ids, and random codes.
import { randomInt } from 'node:crypto';
import { z } from 'zod';

/** Ids from outside (the API, processors' references) are checked before they reach a uuid column. */
export const isUuid = (id: string): boolean => z.uuid().safeParse(id).success;

/**
 * The API's object ids: "<Type>:<uuid>" in base64 (Relay global ids, decoded in
 * src/schema/builder.ts). Anything outside GraphQL that hands an id to API clients (webhook
 * bodies) uses this, so a merchant matches a webhook's paymentId with MerchantPayment.id.
 */
export const globalId = (type: string, id: string): string => Buffer.from(`${type}:${id}`, 'utf8').toString('base64');

/** `length` characters drawn uniformly (crypto.randomInt) from `alphabet`. */
export function randomChars(alphabet: string, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += alphabet[randomInt(alphabet.length)];
  return text;
}
