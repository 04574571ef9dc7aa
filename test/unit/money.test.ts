// Proves the money edge (src/services/money/money.ts): decimal strings parse to exact bigint minor
// units with each currency's ISO 4217 exponent, anything ambiguous is refused with the right
// problem code, and formatting round-trips. Also the opaque pagination cursors
// (src/services/pagination.ts): they decode to what was encoded, and garbage decodes to null.
import { describe, expect, it } from 'vitest';
import { currencyExponent, formatAmount, isCurrencyCode, parseAmount } from '../../src/services/money/money.js';
import { decodeCursor, encodeCursor } from '../../src/services/pagination.js';

describe('currencyExponent / isCurrencyCode', () => {
  it.each([
    ['USD', 2],
    ['EUR', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['KWD', 3],
    ['BHD', 3],
    // ISO 4217, where ICU's display digits say 0 (a wallet must not follow those).
    ['HUF', 2],
    ['IDR', 2],
    ['COP', 2],
    ['IQD', 3],
  ])('%s has %i decimals', (currency, exponent) => {
    expect(isCurrencyCode(currency)).toBe(true);
    expect(currencyExponent(currency)).toBe(exponent);
  });

  it.each(['XYZ', 'usd', 'Usd', 'US', 'USDD', '', ' USD'])('%j is not a currency code', (code) => {
    expect(isCurrencyCode(code)).toBe(false);
    expect(() => currencyExponent(code)).toThrow(RangeError);
  });
});

describe('parseAmount', () => {
  it.each([
    ['12.50', 'USD', 1250n],
    ['12.5', 'USD', 1250n],
    ['12', 'USD', 1200n],
    ['0.01', 'USD', 1n],
    ['0', 'USD', 0n],
    ['1.2500', 'USD', 125n], // trailing zeros beyond the precision change nothing
    ['1.000', 'KWD', 1000n],
    ['0.001', 'KWD', 1n],
    ['100', 'JPY', 100n],
    ['100.000', 'JPY', 100n],
    ['-12.50', 'USD', -1250n],
    ['-0.05', 'USD', -5n],
    ['007.10', 'USD', 710n],
    // Exact far beyond Number.MAX_SAFE_INTEGER (2^53 - 1 = 9007199254740991).
    ['90071992547409931.23', 'USD', 9007199254740993123n],
    ['123456789012345678901234567890.123', 'KWD', 123456789012345678901234567890123n],
  ])('%j %s → %s', (text, currency, amount) => {
    expect(parseAmount(text, currency)).toEqual({ ok: true, amount });
  });

  it.each([
    ['12.505', 'USD'],
    ['0.001', 'USD'],
    ['1.5', 'JPY'],
    ['1.0001', 'KWD'],
    ['-0.001', 'USD'],
  ])('%j %s has more decimals than the currency → PRECISION', (text, currency) => {
    const result = parseAmount(text, currency);
    expect(result).toMatchObject({ ok: false, problem: 'PRECISION' });
    expect(result.ok || result.message).toContain(currency);
    // What was typed may be a card number in the wrong field: never repeated back.
    expect(result.ok || result.message).not.toContain(text);
  });

  it.each(['1e3', ' 1', '1 ', '1.', '.5', '', 'abc', '--1', '-', '1,000.00', '1.2.3', '١٢', '0x10', 'Infinity', 'NaN'])(
    '%j is not a decimal amount → FORMAT',
    (text) => {
      // The same words whatever was typed: nothing of it is repeated back.
      expect(parseAmount(text, 'USD')).toEqual({ ok: false, problem: 'FORMAT', message: 'not a decimal amount like "12.50"' });
    },
  );

  it.each(['XYZ', 'usd', ''])('currency %j → UNKNOWN_CURRENCY', (currency) => {
    expect(parseAmount('1.00', currency)).toMatchObject({ ok: false, problem: 'UNKNOWN_CURRENCY' });
  });
});

describe('formatAmount', () => {
  it.each([
    [0n, 'USD', '0.00'],
    [5n, 'USD', '0.05'],
    [-5n, 'USD', '-0.05'],
    [1250n, 'USD', '12.50'],
    [-100n, 'USD', '-1.00'],
    [1n, 'KWD', '0.001'],
    [1000n, 'KWD', '1.000'],
    [7n, 'JPY', '7'],
    [-7n, 'JPY', '-7'],
    [9007199254740993123n, 'USD', '90071992547409931.23'],
  ])('%s %s → %j', (amount, currency, text) => {
    expect(formatAmount(amount, currency)).toBe(text);
  });

  it.each([
    [0n, 'USD'],
    [1n, 'USD'],
    [-99n, 'USD'],
    [1n, 'KWD'],
    [-1234567n, 'KWD'],
    [0n, 'JPY'],
    [42n, 'JPY'],
    [2n ** 64n + 1n, 'USD'],
    [-(2n ** 64n) - 1n, 'KWD'],
  ])('parseAmount(formatAmount(%s, %s)) gives the amount back', (amount, currency) => {
    expect(parseAmount(formatAmount(amount, currency), currency)).toEqual({ ok: true, amount });
  });
});

describe('pagination cursors', () => {
  it('decode to the position they encode', () => {
    const position = { at: new Date('2026-11-26T12:34:56.789Z'), id: '0b9f3c2e-8d4a-4c1b-9e7f-123456789abc' };
    const cursor = encodeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/); // URL-safe, no padding
    expect(decodeCursor(cursor)).toEqual(position);
  });

  const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
  it.each([
    ['empty', ''],
    ['not base64', '!!!***'],
    ['plain text', 'abc'],
    ['no id', b64('2026-11-26T12:34:56.789Z')],
    ['no timestamp', b64('|0b9f3c2e-8d4a-4c1b-9e7f-123456789abc')],
    ['bad timestamp', b64('yesterday|0b9f3c2e-8d4a-4c1b-9e7f-123456789abc')],
    ['bad id', b64("2026-11-26T12:34:56.789Z|1' OR '1'='1")],
    ['extra part', b64('2026-11-26T12:34:56.789Z|0b9f3c2e-8d4a-4c1b-9e7f-123456789abc|x')],
    ['too long', 'A'.repeat(201)],
  ])('%s → null', (_label, cursor) => {
    expect(decodeCursor(cursor)).toBeNull();
  });
});
