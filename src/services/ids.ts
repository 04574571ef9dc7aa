// Ids: checking the ones that come from outside before they reach a uuid cast, the API's global
// ids, and random codes.
import { randomInt } from 'node:crypto';
import { z } from 'zod';

/** Ids from outside (the API, processors' references) are checked before they reach a uuid column. */
export const isUuid = (id: string): boolean => z.uuid().safeParse(id).success;

/**
 * The API's object ids: "<Type>:<uuid>" (or "<Type>:<sequence number>") in base64 (Relay global ids, decoded in
 * src/schema/builder.ts). Anything outside GraphQL that hands an id to API clients (webhook
 * bodies) uses this, so a merchant matches a webhook's paymentId with MerchantPayment.id.
 */
export const globalId = (type: string, id: string): string => Buffer.from(`${type}:${id}`, 'utf8').toString('base64');

/** Longest global id worth decoding: base64 of a long type name and a uuid is far shorter. */
const MAX_GLOBAL_ID_LENGTH = 200;
/** A uuid, or a positive sequence number (audit events, whose ids are their place in the chain). */
const GLOBAL_ID = /^([A-Za-z][A-Za-z0-9]*):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[1-9][0-9]{0,17})$/;

/**
 * The type name and uuid inside one of the API's global ids, or null when the text is not one
 * (not base64, not "<Type>:<uuid>" inside, too long). Whether the type is the expected one is the
 * caller's question.
 */
export function parseGlobalId(text: string): { typename: string; id: string } | null {
  if (text.length === 0 || text.length > MAX_GLOBAL_ID_LENGTH || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return null;
  const match = GLOBAL_ID.exec(Buffer.from(text, 'base64').toString('utf8'));
  // Only the canonical spelling: other base64 texts that happen to decode to the same bytes are not ids.
  return match && globalId(match[1]!, match[2]!) === text ? { typename: match[1]!, id: match[2]! } : null;
}

/** `length` characters drawn uniformly (crypto.randomInt) from `alphabet`. */
export function randomChars(alphabet: string, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += alphabet[randomInt(alphabet.length)];
  return text;
}
