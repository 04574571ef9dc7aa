// Client error messages keep the path and the reason but never the input value (it may be a card
// number, a CVC or a password). Real graphql-js messages are produced here, not copied.
import { buildSchema, graphqlSync } from 'graphql';
import { describe, expect, it } from 'vitest';
import { withoutInputValues } from '../../src/server/formatError.js';

const schema = buildSchema(`
  input CardInput { number: String!, cvc: String!, expMonth: Int! }
  type Query { check(input: CardInput!): Boolean, name(value: String): String }
`);
const PAN = '4242424242424242';

function messageOf(source: string, variables?: Record<string, unknown>): string {
  const result = graphqlSync({ schema, source, variableValues: variables });
  const error = result.errors![0]!;
  return withoutInputValues(error.message, error.originalError?.message);
}

describe('withoutInputValues', () => {
  const op = 'query($input: CardInput!) { check(input: $input) }';
  it.each([
    ['a missing field', { number: PAN, expMonth: 1 }, 'Variable "$input" got an invalid value; Field "cvc" of required type "String!" was not provided.'],
    ['a number where a string belongs', { number: Number(PAN), cvc: '123', expMonth: 1 }, 'Variable "$input" got an invalid value at "input.number"; String cannot represent a non string value.'],
    ['a string where an Int belongs', { number: PAN, cvc: '123', expMonth: PAN }, 'Variable "$input" got an invalid value at "input.expMonth"; Int cannot represent non-integer value.'],
    ['an unknown field', { number: PAN, cvc: '123', expMonth: 1, pin: PAN }, 'Variable "$input" got an invalid value; Field "pin" is not defined by type "CardInput".'],
  ])('drops the value from %s', (_case, input, expected) => {
    expect(messageOf(op, { input })).toBe(expected);
  });

  it('drops literal values from validation messages', () => {
    const message = messageOf(`{ name(value: ${PAN}) }`);
    expect(message).not.toContain(PAN);
    expect(message).toMatch(/^String cannot represent a non string value\.$/);
  });

  it('leaves messages without values alone', () => {
    expect(withoutInputValues('Query depth limit of 12 exceeded, found 13.')).toBe('Query depth limit of 12 exceeded, found 13.');
    expect(withoutInputValues('Cannot query field "x" on type "Query".')).toBe('Cannot query field "x" on type "Query".');
  });
});
