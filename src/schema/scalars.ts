// Scalars: DateTime (ISO 8601), Decimal (exact amounts as strings, never floats), CurrencyCode.
import { isCurrencyCode } from '../services/money/money.js';
import { builder } from './builder.js';
import { GraphQLError } from 'graphql';

const invalid = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

builder.scalarType('DateTime', {
  description: 'A moment in time, as an ISO 8601 string with a time zone, e.g. "2026-11-26T09:30:00.000Z".',
  serialize: (value) => (value instanceof Date ? value : new Date(value as string)).toISOString(),
  parseValue: (value) => {
    if (typeof value !== 'string' || value.length > 40 || !/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(value)) {
      throw invalid('DateTime must be an ISO 8601 string with a time zone, e.g. "2026-11-26T09:30:00Z".');
    }
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) throw invalid(`"${value}" is not a valid DateTime.`);
    return date;
  },
});

builder.scalarType('Decimal', {
  description:
    'An exact decimal amount as a string, e.g. "12.50". Never a float. The currency decides how many decimals are allowed (JPY 0, USD 2, KWD 3).',
  serialize: (value) => String(value),
  parseValue: (value) => {
    if (typeof value !== 'string') throw invalid('Decimal must be a string like "12.50", not a number (floats lose cents).');
    if (value.length > 40 || !/^-?\d+(\.\d+)?$/.test(value)) throw invalid(`"${value.slice(0, 40)}" is not a decimal like "12.50".`);
    return value;
  },
});

builder.scalarType('CurrencyCode', {
  description: 'An ISO 4217 currency code, e.g. "USD".',
  serialize: (value) => String(value),
  parseValue: (value) => {
    if (typeof value !== 'string' || !isCurrencyCode(value)) {
      throw invalid(`${JSON.stringify(value).slice(0, 20)} is not an ISO 4217 currency code like "USD".`);
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
