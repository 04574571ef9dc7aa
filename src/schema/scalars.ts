// Scalars: DateTime (ISO 8601), Decimal (exact amounts as strings, never floats), CurrencyCode,
// BigInt. A value they refuse is BAD_USER_INPUT, and the message says what is expected without
// quoting what was sent (it may be a card number typed in the wrong field).
import { isCurrencyCode } from '../services/money/money.js';
import { builder } from './builder.js';
import { GraphQLError } from 'graphql';

const invalid = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

/** "2026-11-26T09:30:00Z", seconds and fraction optional, "Z" or a "+hh:mm" offset. */
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/** The moment, or null when the text is not one: Date alone would turn "02-30" into 2 March. */
function parseDateTime(text: string): Date | null {
  const m = ISO_DATE_TIME.exec(text);
  if (!m) return null;
  const [, year, month, day, hour, minute, second, offsetHours, offsetMinutes] = m.map((part) => Number(part ?? 0)) as number[];
  const calendar = new Date(Date.UTC(year!, month! - 1, day!));
  const dayExists = calendar.getUTCFullYear() === year && calendar.getUTCMonth() === month! - 1 && calendar.getUTCDate() === day;
  if (!dayExists || hour! > 23 || minute! > 59 || second! > 59 || offsetHours! > 23 || offsetMinutes! > 59) return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

builder.scalarType('DateTime', {
  description: 'A moment in time, as an ISO 8601 string with a time zone, e.g. "2026-11-26T09:30:00.000Z".',
  serialize: (value) => (value instanceof Date ? value : new Date(value as string)).toISOString(),
  parseValue: (value) => {
    const date = typeof value === 'string' && value.length <= 40 ? parseDateTime(value) : null;
    if (!date) throw invalid('DateTime must be a real moment as an ISO 8601 string with a time zone, e.g. "2026-11-26T09:30:00Z".');
    return date;
  },
});

builder.scalarType('Decimal', {
  description:
    'An exact decimal amount as a string, e.g. "12.50". Never a float. The currency decides how many decimals are allowed (JPY 0, USD 2, KWD 3).',
  serialize: (value) => String(value),
  parseValue: (value) => {
    if (typeof value !== 'string') throw invalid('Decimal must be a string like "12.50", not a number (floats lose cents).');
    if (value.length > 40 || !/^-?\d+(\.\d+)?$/.test(value))
      throw invalid('Decimal must be digits with an optional decimal point, like "12.50".');
    return value;
  },
});

builder.scalarType('CurrencyCode', {
  description: 'An ISO 4217 currency code, e.g. "USD".',
  serialize: (value) => String(value),
  parseValue: (value) => {
    if (typeof value !== 'string' || !isCurrencyCode(value)) {
      throw invalid('CurrencyCode must be an ISO 4217 currency code this server knows, like "USD".');
    }
    return value;
  },
});
// Inline literals go through parseValue too (GraphQLScalarType's default parseLiteral).

builder.scalarType('BigInt', {
  description: 'A whole number that may exceed 2^53, as a string of digits (e.g. a ledger sequence number "1234567890123").',
  serialize: (value) => String(value),
  parseValue: (value) => {
    if (typeof value !== 'string' || !/^-?\d{1,19}$/.test(value)) throw invalid('BigInt must be a string of digits like "42".');
    const n = BigInt(value);
    if (n > 9223372036854775807n || n < -9223372036854775808n) throw invalid('BigInt is out of range.');
    return n;
  },
});
