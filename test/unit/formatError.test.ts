// Client error messages keep the path and the reason but never the input value (it may be a card
// number, a CVC or a password), and a client's bad input is never INTERNAL: bad ids are refused by
// name (src/schema/globalIdArguments.ts), anything unexpected is INTERNAL with a fixed message.
// Real graphql-js and Pothos errors are produced here, not copied.
import { randomUUID } from 'node:crypto';
import { PothosValidationError } from '@pothos/core';
import { buildSchema, graphql, graphqlSync, GraphQLError, type GraphQLFormattedError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema as apiSchema } from '../../src/graphqlSchema.js';
import { formatError, INTERNAL_MESSAGE, withoutInputValues } from '../../src/server/formatError.js';
import { globalId } from '../../src/services/ids.js';

const schema = buildSchema(`
  enum Direction { IN OUT }
  input CardInput { number: String!, cvc: String!, expMonth: Int! }
  type Query { check(input: CardInput!): Boolean, name(value: String): String, direction(value: Direction): Boolean }
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
    [
      'a missing field',
      { number: PAN, expMonth: 1 },
      'Variable "$input" got an invalid value; Field "cvc" of required type "String!" was not provided.',
    ],
    [
      'a number where a string belongs',
      { number: Number(PAN), cvc: '123', expMonth: 1 },
      'Variable "$input" got an invalid value at "input.number"; String cannot represent a non string value.',
    ],
    [
      'a string where an Int belongs',
      { number: PAN, cvc: '123', expMonth: PAN },
      'Variable "$input" got an invalid value at "input.expMonth"; Int cannot represent non-integer value.',
    ],
    [
      'an unknown field',
      { number: PAN, cvc: '123', expMonth: 1, pin: PAN },
      'Variable "$input" got an invalid value; Field "pin" is not defined by type "CardInput".',
    ],
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

describe('withoutInputValues, enums and literals', () => {
  it('drops an unknown enum value, in a variable or written in the document', () => {
    const inVariable = messageOf('query($d: Direction) { direction(value: $d) }', { d: PAN });
    expect(inVariable).toBe('Variable "$d" got an invalid value; The value is not one of the "Direction" enum.');
    const inDocument = messageOf(`{ direction(value: X${PAN}) }`);
    expect(inDocument).not.toContain(PAN);
    expect(inDocument).toBe('The value is not one of the "Direction" enum.');
  });
});

/** What a client gets for `source` run against the real API schema (no server, no viewer). */
async function apiErrors(source: string, variables: Record<string, unknown> = {}, apolloCode?: string): Promise<GraphQLFormattedError[]> {
  const result = await graphql({ schema: apiSchema, source, variableValues: variables, contextValue: {} });
  // Over HTTP, Apollo has already given every error without a code INTERNAL_SERVER_ERROR.
  return (result.errors ?? []).map((error) => {
    const formatted = error.toJSON();
    return formatError(apolloCode ? { ...formatted, extensions: { code: apolloCode, ...formatted.extensions } } : formatted, error);
  });
}

describe('bad id arguments', () => {
  const userId = globalId('User', randomUUID());

  it("refuse a User's id where a Wallet's belongs: BAD_USER_INPUT naming the argument, not quoting it", async () => {
    const [error] = await apiErrors('query($id: ID!) { wallet(id: $id) { id } }', { id: userId }, 'INTERNAL_SERVER_ERROR');
    expect(error).toMatchObject({ message: 'Argument "id" must be a Wallet ID.', extensions: { code: 'BAD_USER_INPUT', argument: 'id' } });
    expect(JSON.stringify(error)).not.toContain(userId);
  });

  it.each([
    ['empty', ''],
    ['not base64', 'abc!'],
    ['not Type:uuid inside', Buffer.from('Wallet:not-a-uuid').toString('base64')],
    ['an unencoded id', `Wallet:${randomUUID()}`],
    ['too long', 'QUFB'.repeat(100)],
  ])('refuse a malformed id (%s) the same way', async (_case, id) => {
    const [error] = await apiErrors('query($id: ID!) { wallet(id: $id) { id } }', { id });
    expect(error).toMatchObject({ message: 'Argument "id" must be a Wallet ID.', extensions: { code: 'BAD_USER_INPUT', argument: 'id' } });
  });

  it('name the field of an input object, and the item of a list', async () => {
    const [send] = await apiErrors('mutation($input: SendMoneyInput!) { sendMoney(input: $input) { userErrors { code } } }', {
      input: { recipient: { walletId: userId }, amount: { amount: '1.00', currency: 'USD' }, idempotencyKey: 'k' },
    });
    expect(send).toMatchObject({
      message: 'Argument "input.recipient.walletId" must be a Wallet ID.',
      extensions: { argument: 'input.recipient.walletId' },
    });
    const [nodes] = await apiErrors('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', {
      ids: [globalId('Wallet', randomUUID()), globalId('Money', randomUUID())],
    });
    expect(nodes).toMatchObject({
      message: 'Argument "ids[1]" must be an ID of this API.',
      extensions: { code: 'BAD_USER_INPUT', argument: 'ids[1]' },
    });
  });
});

describe('formatError codes', () => {
  const resolverSchema = buildSchema('type Query { pothos: Boolean, word: String, wallet(id: ID!): Boolean }');
  const run = (source: string, rootValue: Record<string, unknown>, variables?: Record<string, unknown>) =>
    graphqlSync({ schema: resolverSchema, source, rootValue, variableValues: variables }).errors![0]!;

  it("turns a library's own error from a resolver (Pothos' PothosValidationError) into INTERNAL with the fixed message", () => {
    const error = run('{ pothos }', {
      pothos: () => {
        throw new PothosValidationError(`ID: ${PAN} is not of type: Wallet`);
      },
    });
    const formatted = formatError({ ...error.toJSON(), extensions: { code: 'INTERNAL_SERVER_ERROR' } }, error);
    expect(formatted).toMatchObject({ message: INTERNAL_MESSAGE, extensions: { code: 'INTERNAL' } });
  });

  it('turns a result graphql-js cannot serialize into INTERNAL', () => {
    const error = run('{ word }', { word: () => ({ card: PAN }) });
    expect(formatError({ ...error.toJSON(), extensions: { code: 'INTERNAL_SERVER_ERROR' } }, error)).toMatchObject({
      message: INTERNAL_MESSAGE,
      extensions: { code: 'INTERNAL' },
    });
  });

  it("reports graphql-js's own argument errors as BAD_USER_INPUT, never Apollo's INTERNAL_SERVER_ERROR", () => {
    const error = run('query($id: ID = "x") { wallet(id: $id) }', { wallet: () => true }, { id: null });
    const formatted = formatError({ ...error.toJSON(), extensions: { code: 'INTERNAL_SERVER_ERROR' } }, error);
    expect(formatted).toMatchObject({
      message: 'Argument "id" of non-null type "ID!" must not be null.',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('gives a code to variable errors that reach it without one (WebSocket)', () => {
    const error = run('query($id: ID!) { wallet(id: $id) }', {}, { id: { card: PAN } });
    const formatted = formatError(error.toJSON(), error);
    expect(formatted.extensions?.code).toBe('BAD_USER_INPUT');
    expect(formatted.message).toBe('Variable "$id" got an invalid value; ID cannot represent value.');
  });

  it('keeps a typed error as it is', () => {
    const error = new GraphQLError('Sign in required.', { extensions: { code: 'UNAUTHENTICATED' } });
    expect(formatError(error.toJSON(), error)).toMatchObject({ message: 'Sign in required.', extensions: { code: 'UNAUTHENTICATED' } });
  });
});
