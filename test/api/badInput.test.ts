// Every bad input is a typed client error (issue 13). The test walks every argument of every Query,
// Mutation and Subscription field of the served schema (through input objects and lists, down to
// each scalar, enum and id) and sends, for each one, wrong-type global ids (a User's id where a
// Wallet's belongs), malformed ids, and malformed scalar values (Decimal, CurrencyCode, BigInt,
// DateTime, enums, Int...), with the other required arguments filled with valid-looking values, as
// a user and as an admin, in variables and written into the document (subscriptions over
// WebSocket). No answer may be a 5xx or an INTERNAL / INTERNAL_SERVER_ERROR error; a value in a
// variable must be BAD_USER_INPUT naming the argument (or its variable); no message may quote the
// value sent (it may be a card number or a password). A well-formed id of the right type but of no
// row must stay not found. Operations are written here from the schema object: no codegen documents.
import { randomBytes, randomUUID } from 'node:crypto';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLNamedInputType,
  type GraphQLObjectType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/graphqlSchema.js';
import { encodeId } from '../helpers/globalIds.js';
import { signInAdmin, signUpUser, type TestUser, verifyEmail } from '../helpers/people.js';
import { startTestServer, type TestServer } from '../helpers/testServer.js';
import { connectWs, type TestWsClient } from '../helpers/wsClient.js';

const ADMIN = { email: 'bad.input.admin@example.com', password: 'Bad-Input-Admin-2026!' };
const CONCURRENCY = 8;
/** A uuid no row has. */
const NO_ROW = randomUUID();

interface GraphQLResponse {
  status: number;
  text: string;
  body: { data?: unknown; errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[] };
}

/** What an argument slot holds when it is one of the API's global ids. */
type IdKind = { kind: 'global'; types: string[] | null } | { kind: 'plain' } | null;

/** One place inside a field's arguments that a bad value can be put. */
interface Slot {
  arg: GraphQLArgument;
  /** Field names and list indexes from the argument's value down to the slot. */
  steps: (string | number)[];
  /** As the API names it in messages: "id", "input.recipient.walletId", "ids[0]". */
  path: string;
  type: GraphQLNamedInputType;
  id: IdKind;
}

interface Case {
  root: 'query' | 'mutation' | 'subscription';
  field: GraphQLField<unknown, unknown>;
  slot: Slot;
  label: string;
  value: unknown;
  /** False where nothing about the value is wrong to the API itself (a plain ID: the service says NOT_FOUND). */
  mustFail: boolean;
}

function idKindOf(input: GraphQLArgument | GraphQLInputField): IdKind {
  const ext = input.extensions as { isRelayGlobalID?: boolean; relayGlobalIDFor?: { typename: string }[] | null } | undefined;
  if (ext?.isRelayGlobalID) return { kind: 'global', types: ext.relayGlobalIDFor?.map((t) => t.typename) ?? null };
  return getNamedType(input.type).name === 'ID' ? { kind: 'plain' } : null;
}

/** Every slot of an argument: the input objects on the way and the leaves, each list entered at [0]. */
function slotsOf(arg: GraphQLArgument): Slot[] {
  const slots: Slot[] = [];
  const walk = (type: GraphQLInputType, steps: (string | number)[], path: string, id: IdKind, seen: string[]) => {
    const inner = isNonNullType(type) ? type.ofType : type;
    if (isListType(inner)) {
      walk(inner.ofType, [...steps, 0], `${path}[0]`, id, seen);
      return;
    }
    slots.push({ arg, steps, path, type: getNamedType(inner), id });
    if (isInputObjectType(inner) && !seen.includes(inner.name)) {
      for (const field of Object.values(inner.getFields())) {
        walk(field.type, [...steps, field.name], `${path}.${field.name}`, idKindOf(field), [...seen, inner.name]);
      }
    }
  };
  walk(arg.type, [], arg.name, idKindOf(arg), []);
  return slots;
}

/** A value the API would accept in shape: required input fields only, ids of the right type (of no row). */
function validValue(type: GraphQLInputType, id: IdKind, name = ''): unknown {
  if (isNonNullType(type)) return validValue(type.ofType, id, name);
  if (isListType(type)) return [validValue(type.ofType, id, name)];
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (isNonNullType(field.type) && field.defaultValue === undefined)
        value[field.name] = validValue(field.type, idKindOf(field), field.name);
    }
    return value;
  }
  if (isEnumType(type)) return type.getValues()[0]!.name;
  switch (type.name) {
    case 'ID':
      return id?.kind === 'global' ? encodeId(id.types?.[0] ?? 'Wallet', NO_ROW) : NO_ROW;
    case 'Int':
    case 'Float':
      return 1;
    case 'Boolean':
      return false;
    case 'Decimal':
      return '1.00';
    case 'CurrencyCode':
      return 'USD';
    case 'BigInt':
      return '1';
    case 'DateTime':
      return new Date().toISOString();
    default:
      // A new idempotency key each time, so that no answer is an earlier request's.
      return name === 'idempotencyKey' ? randomUUID() : 'valid-looking';
  }
}

/** The argument's value with `bad` at `steps` and valid values around it. */
function withBad(type: GraphQLInputType, steps: (string | number)[], bad: unknown, id: IdKind): unknown {
  if (steps.length === 0) return bad;
  const inner = isNonNullType(type) ? type.ofType : type;
  const [, ...rest] = steps;
  if (isListType(inner)) return [withBad(inner.ofType, rest, bad, id)];
  if (!isInputObjectType(inner)) throw new Error(`cannot step into ${inner.name}`);
  const name = steps[0] as string;
  const field = inner.getFields()[name]!;
  return { ...(validValue(inner, null) as object), [name]: withBad(field.type, rest, bad, idKindOf(field)) };
}

/** Long enough to be a card number or a password; distinctive enough to find in an echo. */
const LONG = 'Qz7'.repeat(2000);
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

function malformedIds(): [string, unknown][] {
  return [
    ['an empty id', ''],
    ['"abc"', 'abc'],
    ['base64 garbage', randomBytes(24).toString('base64')],
    ['not base64', 'Zm9v!!%%YmFy'],
    ['a number', 12345],
    ['"Wallet:not-a-uuid" in base64', base64('Wallet:not-a-uuid-QzQz')],
    ['"Wallet:<uuid>" not encoded', `Wallet:${randomUUID()}`],
    ['an upper-case uuid', base64(`Wallet:${randomUUID().toUpperCase()}`)],
    ['an unknown type', base64(`Nope:${randomUUID()}`)],
    ['a very long string', LONG],
  ];
}

function badValues(slot: Slot, real: { userId: string; walletId: string }): [string, unknown, boolean][] {
  const type = slot.type;
  if (isInputObjectType(type)) {
    return [
      ['a string for an object', 'not-an-object-QzQz'],
      ['an unknown field', { ...(validValue(type, null) as object), zzUnknown: 'secret-QzQz-4242424242424242' }],
    ].map(([label, value]) => [label as string, value, true]);
  }
  if (slot.id?.kind === 'global') {
    const { types } = slot.id;
    const wrongType: [string, unknown][] = types
      ? ([
          ['a User id', real.userId],
          ['a Wallet id', real.walletId],
        ].filter(([, id]) => !types.includes(Buffer.from(id!, 'base64').toString().split(':')[0]!)) as [string, unknown][])
      : [
          ['an object type that is not a Node', base64(`Money:${randomUUID()}`)],
          ['the Query type', base64(`Query:${randomUUID()}`)],
        ];
    return [...wrongType, ...malformedIds()].map(([label, value]) => [label, value, true]);
  }
  if (slot.id?.kind === 'plain') return malformedIds().map(([label, value]) => [label, value, false]);
  if (isEnumType(type)) {
    return [
      ['an unknown enum value', 'NOT_A_VALUE_QZQZ'],
      ['a lower-case enum value', type.getValues()[0]!.name.toLowerCase()],
      ['a number for an enum', 3],
    ].map(([label, value]) => [label as string, value, true]);
  }
  const byScalar: Record<string, unknown[]> = {
    ID: [],
    // graphql-js's own coercion, the same for every String: one value is enough.
    String: [{ card: '4242424242424242' }],
    Int: ['abc-QzQz', 1.5, 2 ** 40],
    Float: ['abc-QzQz'],
    Boolean: ['yes-QzQz'],
    Decimal: ['abc', '12.5.0', '1e5', '', ' 1.00', '--1', 12.5, '9'.repeat(60), '١٢٣', LONG],
    CurrencyCode: ['usd', 'QZQZ', 'US', 840, '', 'EURO', LONG],
    BigInt: ['1.5', 'abc', '99999999999999999999999', 4242, '', '0x10', LONG],
    DateTime: [
      'yesterday',
      '2026-13-45T00:00:00Z',
      '2026-02-30T10:00:00Z',
      '2026-01-01',
      '2026-01-01T10:00:00',
      1700000000000,
      '2026-01-01T24:00:00Z',
      LONG,
    ],
  };
  const values = byScalar[isScalarType(type) ? type.name : ''];
  if (!values) throw new Error(`No bad values for ${type.name}: add them (a new scalar?)`);
  return values.map((value) => [`${JSON.stringify(value).slice(0, 30)} for ${type.name}`, value, true]);
}

function casesOf(real: { userId: string; walletId: string }): Case[] {
  const roots: [Case['root'], GraphQLObjectType | null | undefined][] = [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
    ['subscription', schema.getSubscriptionType()],
  ];
  const cases: Case[] = [];
  for (const [root, type] of roots) {
    for (const field of Object.values(type?.getFields() ?? {})) {
      for (const arg of field.args) {
        for (const slot of slotsOf(arg)) {
          for (const [label, value, mustFail] of badValues(slot, real)) cases.push({ root, field, slot, label, value, mustFail });
        }
      }
    }
  }
  return cases;
}

/**
 * The operation for one case: every required argument and the one under test, each in a variable
 * named after it, or (`inline`) each written into the document as a literal.
 */
function operationOf(c: Case, inline = false): { query: string; variables: Record<string, unknown> } {
  const args = c.field.args.filter((a) => a === c.slot.arg || (isNonNullType(a.type) && a.defaultValue === undefined));
  const values: Record<string, unknown> = {};
  for (const a of args)
    values[a.name] = a === c.slot.arg ? withBad(a.type, c.slot.steps, c.value, idKindOf(a)) : validValue(a.type, idKindOf(a), a.name);
  const definitions = inline || !args.length ? '' : `(${args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ')})`;
  const call = args.length
    ? `(${args.map((a) => `${a.name}: ${inline ? literal(values[a.name], a.type) : `$${a.name}`}`).join(', ')})`
    : '';
  const type = getNamedType(c.field.type);
  const selection =
    isScalarType(type) || isEnumType(type)
      ? ''
      : isObjectType(type) && type.getFields().userErrors
        ? ' { __typename userErrors { code } }'
        : ' { __typename }';
  return { query: `${c.root} Fuzz${definitions} { ${c.field.name}${call}${selection} }`, variables: inline ? {} : values };
}

/** `value` written into the document as a GraphQL literal of `type` (enum names bare, strings quoted). */
function literal(value: unknown, type: GraphQLInputType): string {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (Array.isArray(value)) return `[${value.map((item) => literal(item, isListType(inner) ? inner.ofType : inner)).join(', ')}]`;
  if (value && typeof value === 'object') {
    const fields = isInputObjectType(inner) ? inner.getFields() : {};
    return `{ ${Object.entries(value)
      .map(([name, v]) => `${name}: ${literal(v, fields[name]?.type ?? inner)}`)
      .join(', ')} }`;
  }
  if (isEnumType(inner) && typeof value === 'string' && /^[_A-Za-z]\w*$/.test(value)) return value;
  return JSON.stringify(value);
}

/** The bits of a value that must never come back: strings of 3+ characters (and the start of long ones), numbers of 4+ digits. */
function needles(value: unknown): string[] {
  if (typeof value === 'string') return value.length >= 3 ? [value, value.slice(0, 12)] : [];
  if (typeof value === 'number') return String(value).replace(/\D/g, '').length >= 4 ? [String(value)] : [];
  if (value && typeof value === 'object') return Object.values(value).flatMap(needles);
  return [];
}

/**
 * What is wrong with one answer, or [] when it is what a client should get. A value in a variable
 * is refused as BAD_USER_INPUT naming the variable (named after its argument) or the argument; a
 * value written into the document (`inline`) fails the document's validation instead
 * (GRAPHQL_VALIDATION_FAILED), unless only the id check can tell (BAD_USER_INPUT).
 */
function problemsOf(c: Case, res: GraphQLResponse, inline: boolean): string[] {
  const problems: string[] = [];
  if (res.status >= 500) problems.push(`HTTP ${res.status}`);
  const errors = res.body.errors ?? [];
  for (const error of errors) {
    const code = error.extensions?.code;
    if (code === undefined || code === 'INTERNAL' || code === 'INTERNAL_SERVER_ERROR')
      problems.push(`code ${String(code)}: ${error.message}`);
  }
  if (needles(c.value).some((needle) => res.text.includes(needle))) problems.push(`the answer quotes the value: ${res.text.slice(0, 300)}`);
  if (!c.mustFail) return problems;
  if (errors.length === 0) problems.push(`no error: ${res.text.slice(0, 300)}`);
  for (const error of errors) {
    const code = error.extensions?.code;
    if (inline ? code !== 'BAD_USER_INPUT' && code !== 'GRAPHQL_VALIDATION_FAILED' : code !== 'BAD_USER_INPUT') {
      problems.push(
        `code ${String(code)}, not ${inline ? 'BAD_USER_INPUT or GRAPHQL_VALIDATION_FAILED' : 'BAD_USER_INPUT'}: ${error.message}`,
      );
    }
    const namesIt = error.message.includes(`"$${c.slot.arg.name}"`) || error.message.startsWith(`Argument "${c.slot.path}" `);
    if (!inline && !namesIt) problems.push(`the message names neither $${c.slot.arg.name} nor ${c.slot.path}: ${error.message}`);
  }
  const first = errors[0];
  if (c.slot.id?.kind === 'global' && first?.extensions?.code === 'BAD_USER_INPUT' && !first.message.startsWith('Variable')) {
    // An id that coercion let through is refused by name and type, with the argument in extensions.
    const what = c.slot.id.types ? `an? (${c.slot.id.types.join('|')}) ID` : 'an ID of this API';
    if (!new RegExp(`^Argument "${c.slot.path.replace(/[[\]]/g, '\\$&')}" must be ${what}\\.$`).test(first.message))
      problems.push(`message: ${first.message}`);
    if (first.extensions.argument !== c.slot.path)
      problems.push(`extensions.argument ${String(first.extensions.argument)}, not ${c.slot.path}`);
  }
  return problems;
}

async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

let t: TestServer;
let user: TestUser;
let other: TestUser;
let userGlobalId: string;
let adminToken: string;

async function post(query: string, variables: Record<string, unknown>, token: string): Promise<GraphQLResponse> {
  const res = await fetch(t.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) as GraphQLResponse['body'] };
}

/** A subscription's outcome over WebSocket, as one response (a failed subscription ends at once). */
function subscribeOnce(ws: TestWsClient, query: string, variables: Record<string, unknown>): Promise<GraphQLResponse> {
  return new Promise((resolve, reject) => {
    const results: unknown[] = [];
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`subscription still open after 5 s: ${query} ${JSON.stringify(results).slice(0, 300)}`));
    }, 5000);
    const settle = (body: GraphQLResponse['body']) => {
      clearTimeout(timer);
      resolve({ status: 200, text: JSON.stringify(body), body });
    };
    const unsubscribe = ws.client.subscribe(
      { query, variables },
      {
        next: (value) => results.push(value),
        error: (err) => settle(Array.isArray(err) ? { errors: err as never } : { errors: [{ message: String(err), extensions: {} }] }),
        complete: () => settle((results[0] ?? { data: null }) as GraphQLResponse['body']),
      },
    );
  });
}

beforeAll(async () => {
  t = await startTestServer({ BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password });
  // The step-up actions (withdraw, API keys) must get past the step-up check to look the id up: the
  // user's and the admin's sessions are stepped up by verifying their email.
  [user, other, adminToken] = await Promise.all([
    signUpUser(t, { label: 'fuzz', steppedUp: true }),
    signUpUser(t, { label: 'other' }),
    signInAdmin(t, ADMIN),
  ]);
  await verifyEmail(t, { email: ADMIN.email, token: adminToken });
  const me = await post('query { me { id } }', {}, user.token);
  userGlobalId = (me.body.data as { me: { id: string } }).me.id;
});

afterAll(async () => {
  await t?.stop();
});

describe('a bad id', () => {
  it("answers BAD_USER_INPUT naming the argument for a User's id where a Wallet's belongs (issue 13)", async () => {
    const res = await post('query($id: ID!) { wallet(id: $id) { id } }', { id: userGlobalId }, user.token);
    expect(res.status).toBeLessThan(500);
    expect(res.body.errors).toEqual([
      {
        message: 'Argument "id" must be a Wallet ID.',
        path: ['wallet'],
        locations: expect.any(Array),
        extensions: { code: 'BAD_USER_INPUT', argument: 'id' },
      },
    ]);
    expect(res.text).not.toContain(userGlobalId);
  });

  it('names the field inside the input object, and the item of a list', async () => {
    const send = await post(
      'mutation($input: SendMoneyInput!) { sendMoney(input: $input) { userErrors { code } } }',
      { input: { recipient: { walletId: userGlobalId }, amount: { amount: '1.00', currency: 'USD' }, idempotencyKey: randomUUID() } },
      user.token,
    );
    expect(send.body.errors?.[0]).toMatchObject({
      message: 'Argument "input.recipient.walletId" must be a Wallet ID.',
      extensions: { code: 'BAD_USER_INPUT', argument: 'input.recipient.walletId' },
    });
    const nodes = await post('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [user.walletId, 'abc'] }, user.token);
    expect(nodes.body.errors?.[0]).toMatchObject({
      message: 'Argument "ids[1]" must be an ID of this API.',
      extensions: { code: 'BAD_USER_INPUT', argument: 'ids[1]' },
    });
  });

  it("keeps NOT_FOUND for a well-formed id of the right type that is someone else's or nobody's", async () => {
    for (const id of [other.walletId, encodeId('Wallet', NO_ROW)]) {
      const res = await post('query($id: ID!) { wallet(id: $id) { id } }', { id }, user.token);
      expect(res.body.errors).toEqual([
        { message: 'Wallet not found.', path: ['wallet'], locations: expect.any(Array), extensions: { code: 'NOT_FOUND' } },
      ]);
    }
  });

  it('node(id) is null for an id of any Node type the caller may not see', async () => {
    const nodeTypes = Object.values(schema.getTypeMap()).filter(
      (type) => isObjectType(type) && type.getInterfaces().some((i) => i.name === 'Node'),
    );
    expect(nodeTypes.length).toBeGreaterThan(5);
    for (const [token, foreign] of [
      [user.token, [other.walletId]],
      [adminToken, []],
    ] as const) {
      const ids = [...nodeTypes.map((type) => encodeId(type.name, NO_ROW)), ...foreign];
      const res = await post('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids }, token);
      expect(res.body).toEqual({ data: { nodes: ids.map(() => null) } });
    }
  });
});

describe('every id argument of the schema', () => {
  it('answers a well-formed id of the right type that has no row as not found, for anyone', async () => {
    // One case per global-id slot, its value replaced by a fresh id of the slot's (first) type.
    const cases = casesOf({ userId: userGlobalId, walletId: user.walletId })
      .filter((c) => c.slot.id?.kind === 'global' && c.label === 'an empty id')
      .map((c) => ({
        ...c,
        value: encodeId(c.slot.id?.kind === 'global' ? (c.slot.id.types?.[0] ?? 'Wallet') : 'Wallet', randomUUID()),
        mustFail: false,
      }));
    expect(cases.length).toBeGreaterThan(20);
    const failures: string[] = [];
    const check = (c: Case, role: string, res: GraphQLResponse) => {
      const problems = problemsOf(c, res, false);
      for (const error of res.body.errors ?? []) {
        if (error.extensions?.code !== 'NOT_FOUND' && error.extensions?.code !== 'FORBIDDEN')
          problems.push(`code ${String(error.extensions?.code)}: ${error.message}`);
      }
      const answer = (res.body.data as Record<string, { userErrors?: { code: string }[] } | null> | null)?.[c.field.name];
      for (const { code } of answer?.userErrors ?? []) {
        if (code !== 'NOT_FOUND' && code !== 'RECIPIENT_NOT_FOUND') problems.push(`userError ${code}`);
      }
      for (const problem of problems) failures.push(`${role} ${c.field.name}(${c.slot.path}): ${problem}`);
    };
    for (const [role, token] of [
      ['user', user.token],
      ['admin', adminToken],
    ] as const) {
      await inParallel(
        cases.filter((c) => c.root !== 'subscription'),
        CONCURRENCY,
        async (c) => {
          const { query, variables } = operationOf(c);
          check(c, role, await post(query, variables, token));
        },
      );
      const ws = connectWs(t.wsUrl, `Bearer ${token}`);
      await ws.connected;
      try {
        for (const c of cases.filter((c) => c.root === 'subscription')) {
          const { query, variables } = operationOf(c);
          check(c, `${role} WebSocket`, await subscribeOnce(ws, query, variables));
        }
      } finally {
        await ws.dispose();
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('every argument of the schema', () => {
  it('refuses wrong-type and malformed ids and malformed scalars with a typed error that quotes nothing', async () => {
    const cases = casesOf({ userId: userGlobalId, walletId: user.walletId });
    // The walk reaches the money, id and time arguments it is meant to (a broken walk would pass vacuously).
    const paths = new Set(cases.map((c) => `${c.field.name}(${c.slot.path})`));
    for (const expected of [
      'wallet(id)',
      'sendMoney(input.amount.amount)',
      'sendMoney(input.amount.currency)',
      'sendMoney(input.recipient.walletId)',
      'walletUpdated(afterSequence)',
      'walletUpdated(walletId)',
      'balanceAt(at)',
      'nodes(ids[0])',
    ]) {
      expect(paths).toContain(expected);
    }
    const failures: string[] = [];
    const record = (c: Case, how: string, inline: boolean, res: GraphQLResponse) => {
      for (const problem of problemsOf(c, res, inline))
        failures.push(`${how} ${c.root} ${c.field.name}(${c.slot.path}) with ${c.label}: ${problem}`);
    };
    const roles: [string, string][] = [
      ['user', user.token],
      ['admin', adminToken],
    ];
    const forms: [string, boolean][] = [
      ['variables', false],
      ['inline', true],
    ];
    const http = cases.filter((c) => c.root !== 'subscription');
    // Literals fail the document's validation before any resolver runs, whoever asks: once is enough.
    const runs = roles.flatMap(([role, token]) =>
      forms
        .filter(([, inline]) => !inline || role === 'user')
        .flatMap(([form, inline]) => http.map((c) => ({ c, how: `${role} ${form}`, token, inline }))),
    );
    await inParallel(runs, CONCURRENCY, async ({ c, how, token, inline }) => {
      const { query, variables } = operationOf(c, inline);
      record(c, how, inline, await post(query, variables, token));
    });

    const live = cases.filter((c) => c.root === 'subscription');
    for (const [role, token] of roles) {
      const ws = connectWs(t.wsUrl, `Bearer ${token}`);
      await ws.connected;
      try {
        await inParallel(
          forms.flatMap(([form, inline]) => live.map((c) => ({ c, form, inline }))),
          CONCURRENCY,
          async ({ c, form, inline }) => {
            const { query, variables } = operationOf(c, inline);
            record(c, `${role} WebSocket ${form}`, inline, await subscribeOnce(ws, query, variables));
          },
        );
      } finally {
        await ws.dispose();
      }
    }
    expect(failures, `${failures.length} answers were wrong`).toEqual([]);
    expect(live.length).toBeGreaterThan(0);
  });
});
