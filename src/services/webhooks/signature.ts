// Webhook body signing and verification in the style of payment processors:
//   Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, `${t}.${rawBody}`)>
// Signing the timestamp together with the body lets the receiver reject replays outside a tolerance window.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header name as node:http presents it (lower-case). */
export const SIGNATURE_HEADER = 'signature';

export type SignatureProblem = 'MISSING' | 'MALFORMED' | 'STALE' | 'FUTURE' | 'MISMATCH';

export type VerifyResult = { ok: true; timestamp: number } | { ok: false; problem: SignatureProblem; message: string };

export interface VerifyInput {
  header: string | string[] | undefined;
  body: Buffer | string;
  /** Every currently valid secret; more than one while a secret is being rolled. */
  secrets: string[];
  nowSeconds: number;
  toleranceSeconds: number;
}

const V1_HEX = /^[0-9a-f]{64}$/i;
const UNIX_SECONDS = /^\d{1,15}$/; // 15 digits stays within Number.MAX_SAFE_INTEGER

function hmac(secret: string, body: Buffer | string, timestamp: number): Buffer {
  // Strings are hashed as UTF-8; Buffers byte for byte, so pass the raw request body, not re-serialised JSON.
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
}

export function signPayload(secret: string, body: Buffer | string, timestampSeconds: number): string {
  return signWithSecrets([secret], body, timestampSeconds);
}

/** One header with a v1 per secret (while a secret is rolled, receivers may check either). */
export function signWithSecrets(secrets: string[], body: Buffer | string, timestampSeconds: number): string {
  if (secrets.length === 0) throw new Error('signPayload: at least one secret is needed');
  if (secrets.includes('')) throw new Error('signPayload: secret must not be empty');
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0) {
    throw new Error('signPayload: timestampSeconds must be a non-negative integer');
  }
  return [`t=${timestampSeconds}`, ...secrets.map((secret) => `v1=${hmac(secret, body, timestampSeconds).toString('hex')}`)].join(',');
}

function fail(problem: SignatureProblem, message: string): VerifyResult {
  return { ok: false, problem, message };
}

export function verifySignature(input: VerifyInput): VerifyResult {
  const { header, body, secrets, nowSeconds, toleranceSeconds } = input;

  if (header === undefined) return fail('MISSING', 'signature header is missing');
  // node:http only yields an array for a repeated header; which copy to trust is ambiguous, so refuse.
  if (Array.isArray(header)) return fail('MALFORMED', 'signature header appears more than once');
  if (header.trim() === '') return fail('MISSING', 'signature header is empty');

  let timestamp: number | undefined;
  const candidates: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (timestamp !== undefined) return fail('MALFORMED', 'signature header has more than one t');
      if (!UNIX_SECONDS.test(value)) return fail('MALFORMED', 'signature timestamp is not an integer');
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!V1_HEX.test(value)) return fail('MALFORMED', 'v1 signature is not 64 hex characters');
      candidates.push(Buffer.from(value, 'hex'));
    }
    // Other keys (future schemes such as v2) are ignored.
  }
  if (timestamp === undefined) return fail('MALFORMED', 'signature header has no timestamp (t)');
  if (candidates.length === 0) return fail('MALFORMED', 'signature header has no v1 signature');

  // Authenticity is checked before freshness so that STALE/FUTURE mean "genuine but outside the window"
  // (usually clock skew or a delayed retry) rather than possibly forged.
  let matched = false;
  for (const secret of secrets) {
    if (secret === '') continue; // an empty key would let anyone produce valid signatures
    const expected = hmac(secret, body, timestamp);
    for (const candidate of candidates) {
      // Both are 32 bytes (v1 was checked to be 64 hex chars), as timingSafeEqual requires.
      if (timingSafeEqual(expected, candidate)) matched = true;
    }
  }
  if (!matched) return fail('MISMATCH', 'no signature matches any configured secret');

  if (nowSeconds - timestamp > toleranceSeconds) {
    return fail('STALE', `signature timestamp is more than ${toleranceSeconds}s old`);
  }
  if (timestamp - nowSeconds > toleranceSeconds) {
    return fail('FUTURE', `signature timestamp is more than ${toleranceSeconds}s in the future`);
  }
  return { ok: true, timestamp };
}
