// Validation shared by every money-moving request: the amount (positive, the currency's
// precision, under the maximum), the idempotency key, the note, and the request fingerprint.
import { createHash } from 'node:crypto';
import type { Currencies } from '../money/currencies.js';
import { formatAmount, parseAmount } from '../money/money.js';
import type { UserError } from '../errors.js';

export interface MoneyInput {
  amount: string;
  currency: string;
}

const at = (...path: string[]) => ['input', ...path];

/** Parses a positive amount within the currency's maximum; errors name `input.<field>.amount`. */
export function parsePositiveAmount(
  input: MoneyInput,
  currencies: Currencies,
  field = 'amount',
): { ok: true; amount: bigint; currency: string } | { ok: false; error: UserError } {
  const currency = currencies.get(input.currency);
  if (!currency) {
    const supported = currencies
      .list()
      .map((c) => c.code)
      .join(', ');
    return {
      ok: false,
      error: {
        field: at(field, 'currency'),
        code: 'UNSUPPORTED_CURRENCY',
        message: `${input.currency} is not supported. Supported: ${supported}.`,
      },
    };
  }
  const invalid = (message: string) => ({
    ok: false as const,
    error: { field: at(field, 'amount'), code: 'INVALID_AMOUNT' as const, message },
  });
  const parsed = parseAmount(input.amount, currency.code);
  if (!parsed.ok) return invalid(`amount: ${parsed.message}.`);
  if (parsed.amount <= 0n) return invalid('amount must be greater than zero.');
  if (parsed.amount > currency.maxTransfer) {
    return invalid(`amount must be at most ${formatAmount(currency.maxTransfer, currency.code)} ${currency.code}.`);
  }
  return { ok: true, amount: parsed.amount, currency: currency.code };
}

/** Keys are chosen by clients (a UUID is typical): 1–255 visible ASCII characters. */
export function idempotencyKeyProblem(key: string): UserError | null {
  if (/^[\x21-\x7e]{1,255}$/.test(key)) return null;
  return {
    field: at('idempotencyKey'),
    code: 'INVALID_INPUT',
    message: 'idempotencyKey must be 1 to 255 visible ASCII characters (a UUID is a good choice).',
  };
}

export const NOTE_MAX_LENGTH = 280;

/** Trims a note; returns an error for one that is too long or has control characters. */
export function parseNote(note: string | null | undefined): { ok: true; note: string | null } | { ok: false; error: UserError } {
  const trimmed = note?.trim() ?? '';
  if (!trimmed) return { ok: true, note: null };
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what a note may not hold
  if (trimmed.length > NOTE_MAX_LENGTH || /[\u0000-\u0008\u000b-\u001f\u007f]/.test(trimmed)) {
    return {
      ok: false,
      error: {
        field: at('note'),
        code: 'INVALID_INPUT',
        message: `note must be at most ${NOTE_MAX_LENGTH} characters, without control characters.`,
      },
    };
  }
  return { ok: true, note: trimmed };
}

/** A stable fingerprint of a request: same key + same fingerprint = the same request. */
export function requestHash(parts: unknown[]): string {
  return createHash('sha256')
    .update(JSON.stringify(parts, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)))
    .digest('hex');
}
