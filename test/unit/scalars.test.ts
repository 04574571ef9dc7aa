// The API's scalars accept what their descriptions promise and refuse the rest as BAD_USER_INPUT,
// without quoting the value refused.
import type { GraphQLError, GraphQLScalarType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/graphqlSchema.js';

const scalar = (name: string) => schema.getType(name) as GraphQLScalarType;

function refusal(name: string, value: unknown): GraphQLError {
  try {
    scalar(name).parseValue(value);
  } catch (err) {
    return err as GraphQLError;
  }
  throw new Error(`${name} accepted ${JSON.stringify(value)}`);
}

describe('DateTime', () => {
  it.each([
    ['2026-11-26T09:30:00.000Z', '2026-11-26T09:30:00.000Z'],
    ['2026-11-26T09:30:00Z', '2026-11-26T09:30:00.000Z'],
    ['2026-11-26T09:30Z', '2026-11-26T09:30:00.000Z'],
    ['2026-11-26T11:30:00+02:00', '2026-11-26T09:30:00.000Z'],
    ['2028-02-29T00:00:00-05:30', '2028-02-29T05:30:00.000Z'],
  ])('reads %s', (text, iso) => {
    expect((scalar('DateTime').parseValue(text) as Date).toISOString()).toBe(iso);
  });

  it.each([
    '2026-02-30T10:00:00Z',
    '2027-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01T10:60:00Z',
    '2026-01-01T10:00:00',
    '2026-01-01',
    'yesterday',
    1_700_000_000_000,
  ])('refuses %s, a day that does not exist, or no time zone', (value) => {
    const error = refusal('DateTime', value);
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
    expect(error.message).not.toContain(String(value));
  });
});

describe('Decimal, CurrencyCode and BigInt', () => {
  it.each([
    ['Decimal', '4242424242424242x'],
    ['Decimal', '1e5'],
    ['CurrencyCode', 'QZQ'],
    ['BigInt', '4242.42'],
  ])('%s refuses %s without quoting it', (name, value) => {
    const error = refusal(name, value);
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
    expect(error.message).not.toContain(value);
  });
});
