// Proves bad or oversized input over HTTP is refused with the right status and a clear message,
// never a stack trace or SQL text, and that the server keeps serving afterwards: malformed,
// empty, oversized (declared and chunked) and wrongly typed bodies; batching; the depth, alias,
// token, directive and cost limits; introspection in production; validation and coercion
// errors; masking of a real internal error; and bounds on every string input.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { UrlLoader } from '@graphql-tools/url-loader';
import { buildSchema, getIntrospectionQuery, GraphQLError, type GraphQLScalarType, type GraphQLSchema } from 'graphql';
import { INTROSPECTION_DEPTH } from '../../src/server/operationLimits.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/graphqlSchema.js';
import { INTERNAL_MESSAGE } from '../../src/server/formatError.js';
import { graphql } from '../gql/index.js';
import { asOwner, startTestServer, STRONG_PASSWORD, uniqueEmail, type TestServer } from '../helpers/testServer.js';

interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: the raw, unchecked response JSON; the tests probe its shape
  json: any;
}

/** POSTs a raw body (no client-side checks), returning the status and the parsed answer. */
async function post(url: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: JSON.parse(text) } as RawResponse;
}

const gql = (url: string, query: string, variables?: unknown, headers: Record<string, string> = {}) =>
  post(url, JSON.stringify({ query, variables }), { 'content-type': 'application/json', ...headers });

/** No stack frames, source paths or SQL in what the client sees. */
function expectNothingLeaked(text: string) {
  expect(text).not.toMatch(/\bat .+:\d+:\d+/); // stack frame
  expect(text).not.toMatch(/stacktrace|node_modules|\/src\/|\.ts\b/i);
  expect(text).not.toMatch(/\b(SELECT|INSERT INTO|UPDATE|DELETE FROM|ALTER TABLE)\b/); // SQL
  expect(text).not.toMatch(/relation "|prisma|invocation/i);
}

/** The server still answers a trivial query. */
async function expectStillUp(url: string) {
  const res = await gql(url, '{ __typename }');
  expect(res.status).toBe(200);
  expect(res.json).toEqual({ data: { __typename: 'Query' } });
}

/** Checks one refused request: status, code, message pattern, nothing leaked, server still up. */
async function expectRefused(url: string, res: RawResponse, status: number, code: string, message: RegExp) {
  expect(res.status, res.text).toBe(status);
  expect(res.json.data ?? null).toBeNull();
  expect(res.json.errors[0].extensions.code).toBe(code);
  expect(res.json.errors[0].message).toMatch(message);
  expectNothingLeaked(res.text);
  await expectStillUp(url);
}

/**
 * Sends a POST with node:http: `declaredLength` sets content-length (otherwise the body goes
 * chunked). Writes `chunks` one by one, then ends the body only if `end`; resolves on the answer.
 */
function rawPost(url: string, options: { chunks: Buffer[]; declaredLength?: number; end: boolean }) {
  return new Promise<{ status: number; text: string; chunked: boolean }>((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': 'application/json' };
    if (options.declaredLength !== undefined) headers['content-length'] = options.declaredLength;
    const req = http.request(url, { method: 'POST', headers });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        resolve({ status: res.statusCode!, text, chunked: req.chunkedEncoding });
        req.destroy();
      });
    });
    // The server closes the connection after refusing: only an error before the answer counts.
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    req.flushHeaders();
    (async () => {
      for (const chunk of options.chunks) {
        if (answered) return;
        if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
      }
      if (options.end && !answered) req.end();
    })().catch(() => undefined);
  });
}

const SignUp = graphql(`
  mutation LimitsSignUp($input: SignUpInput!) {
    signUp(input: $input) {
      user { id }
      tokens { accessToken refreshToken }
      userErrors { field code message }
    }
  }
`);

const SIGN_UP_TEXT = 'mutation ($input: SignUpInput!) { signUp(input: $input) { user { id } userErrors { field code message } } }';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({
    BOOTSTRAP_ADMIN_EMAIL: 'limits-admin@example.com',
    BOOTSTRAP_ADMIN_PASSWORD: 'admin-Password-2026!',
  });
});
afterAll(async () => t?.stop());

describe('HTTP bodies', () => {
  it('refuses malformed JSON with 400', async () => {
    const res = await post(t.url, '{"query": "{ __typename }"');
    await expectRefused(t.url, res, 400, 'BAD_REQUEST', /^Malformed JSON body/);
  });

  it('refuses a body that is not application/json with 415', async () => {
    const res = await post(t.url, '{ __typename }', { 'content-type': 'text/plain' });
    await expectRefused(t.url, res, 415, 'UNSUPPORTED_MEDIA_TYPE', /Unsupported Content-Type "text\/plain".*application\/json/);
  });

  it('refuses an empty body with 400', async () => {
    for (const body of ['', '   \n']) {
      const res = await post(t.url, body);
      await expectRefused(t.url, res, 400, 'BAD_REQUEST', /Request body is empty/);
    }
  });

  it('refuses a body over MAX_BODY_BYTES with 413 when content-length declares it', async () => {
    expect(t.config.MAX_BODY_BYTES).toBe(1024 * 1024);
    // Refused on the header alone: only the first bytes are sent.
    const res = await rawPost(t.url, {
      declaredLength: t.config.MAX_BODY_BYTES + 1,
      chunks: [Buffer.from('{"query":"{ __typename }","variables":{"x":"')],
      end: false,
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text).errors[0]).toEqual({
      message: 'Request body is larger than the 1048576-byte limit (MAX_BODY_BYTES).',
      extensions: { code: 'PAYLOAD_TOO_LARGE' },
    });
    await expectStillUp(t.url);

    // And a whole oversized body sent the ordinary way.
    const big = JSON.stringify({ query: '{ __typename }', variables: { x: 'a'.repeat(t.config.MAX_BODY_BYTES) } });
    const whole = await post(t.url, big);
    await expectRefused(t.url, whole, 413, 'PAYLOAD_TOO_LARGE', /1048576-byte limit/);
  });

  it('refuses a chunked body (no content-length) with 413 once it passes MAX_BODY_BYTES', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const chunks = [Buffer.from('{"query":"{ __typename }","variables":{"x":"'), ...Array(17).fill(chunk)];
    const res = await rawPost(t.url, { chunks, end: false });
    expect(res.chunked).toBe(true);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    await expectStillUp(t.url);

    // Just under the limit, chunked, is read and answered normally.
    const fits = Buffer.from(JSON.stringify({ query: '{ __typename }', variables: { x: 'a'.repeat(1000 * 1000) } }));
    const ok = await rawPost(t.url, { chunks: [fits.subarray(0, 500_000), fits.subarray(500_000)], end: true });
    expect(ok.chunked).toBe(true);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text)).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('batching', () => {
  const batch = JSON.stringify([{ query: '{ __typename }' }, { query: 'query Two { __typename }' }]);

  it('refuses an array of operations by default', async () => {
    expect(t.config.ALLOW_BATCHING).toBe(false);
    await expectRefused(t.url, await post(t.url, batch), 400, 'BAD_REQUEST', /^Operation batching disabled\.$/);
  });

  it('runs each operation of the array when ALLOW_BATCHING=true', async () => {
    const batching = await startTestServer({ ALLOW_BATCHING: 'true' });
    try {
      const res = await post(batching.url, batch);
      expect(res.status).toBe(200);
      expect(res.json).toEqual([{ data: { __typename: 'Query' } }, { data: { __typename: 'Query' } }]);
    } finally {
      await batching.stop();
    }
  });
});

describe('operation limits', () => {
  /** `{ __schema { types { fields { type { ofType … { name } } } } } }`, `depth` levels deep. */
  const introspectionOfDepth = (depth: number) => {
    let inner = 'name';
    for (let i = 0; i < depth - 5; i++) inner = `ofType { ${inner} }`;
    return `{ __schema { types { fields { type { ${inner} } } } } }`;
  };

  it('refuses ordinary fields deeper than MAX_QUERY_DEPTH, naming the setting', async () => {
    expect(t.config.MAX_QUERY_DEPTH).toBe(12);
    // No path through this schema is 12 fields deep, so the limit is shown on a server set lower.
    const shallow = await startTestServer({ MAX_QUERY_DEPTH: '4' });
    try {
      const fourDeep = await gql(shallow.url, '{ me { wallets { balance { __typename } } } }');
      expect(fourDeep.json.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED'); // within the limit: run, and refused for lack of a token
      const fiveDeep = await gql(shallow.url, '{ me { wallets { balance { held { amount } } } } }');
      await expectRefused(
        shallow.url,
        fiveDeep,
        400,
        'GRAPHQL_VALIDATION_FAILED',
        /^Query depth limit of 4 exceeded, found 5\. Set MAX_QUERY_DEPTH to change the limit\.$/,
      );
    } finally {
      await shallow.stop();
    }
  });

  it("answers graphql-js's standard introspection query (every option on) with the default settings", async () => {
    expect(INTROSPECTION_DEPTH).toBe(15);
    const everything = getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
      oneOf: true,
    });
    for (const query of [getIntrospectionQuery(), everything]) {
      const res = await gql(t.url, query);
      expect(res.status).toBe(200);
      expect(res.json.errors).toBeUndefined();
      expect(res.json.data.__schema.types.map((type: { name: string }) => type.name)).toContain('User');
    }
  });

  it("graphql-codegen's URL loader reads the whole schema from the running server with the default settings", async () => {
    const [source] = await new UrlLoader().load(t.url, {});
    const committed = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));
    const names = (schema: GraphQLSchema) => Object.keys(schema.getTypeMap()).sort();
    expect(names(source!.schema!)).toEqual(names(committed));
  });

  it('refuses introspection deeper than the standard introspection query', async () => {
    const ok = await gql(t.url, introspectionOfDepth(15));
    expect(ok.status).toBe(200);
    expect(ok.json.errors).toBeUndefined();
    const res = await gql(t.url, introspectionOfDepth(16));
    await expectRefused(
      t.url,
      res,
      400,
      'GRAPHQL_VALIDATION_FAILED',
      /^Introspection depth limit of 15 exceeded, found 16: deeper than the standard introspection query\./,
    );
  });

  it('refuses more than MAX_QUERY_ALIASES aliases', async () => {
    expect(t.config.MAX_QUERY_ALIASES).toBe(15);
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: __schema { queryType { name } }`).join(' ')} }`;
    const ok = await gql(t.url, aliases(15));
    expect(ok.status).toBe(200);
    expect(ok.json.data.a14).toEqual({ queryType: { name: 'Query' } });
    const res = await gql(t.url, aliases(16));
    await expectRefused(
      t.url,
      res,
      400,
      'GRAPHQL_VALIDATION_FAILED',
      /^Aliases limit of 15 exceeded, found 16\. Set MAX_QUERY_ALIASES to change the limit\.$/,
    );
  });

  it('refuses a document of more than MAX_QUERY_TOKENS tokens as a parse error naming the limit', async () => {
    expect(t.config.MAX_QUERY_TOKENS).toBe(2000);
    const ids = Array.from({ length: 2100 }, () => '"x"').join(' ');
    const res = await gql(t.url, `{ nodes(ids: [${ids}]) { id } }`);
    // graphql-js's own wording ("more that"), and the setting.
    await expectRefused(
      t.url,
      res,
      400,
      'GRAPHQL_PARSE_FAILED',
      /Document contains more th[ae]t? 2000 tokens[\s\S]* Set MAX_QUERY_TOKENS to change the limit\.$/,
    );
  });

  it('refuses more than MAX_QUERY_DIRECTIVES directives', async () => {
    expect(t.config.MAX_QUERY_DIRECTIVES).toBe(20);
    const directives = (n: number) => `{ ${'__typename @include(if: true) '.repeat(n)}}`;
    const ok = await gql(t.url, directives(20));
    expect(ok.json).toEqual({ data: { __typename: 'Query' } });
    const res = await gql(t.url, directives(21));
    await expectRefused(
      t.url,
      res,
      400,
      'GRAPHQL_VALIDATION_FAILED',
      /^Directives limit of 20 exceeded, found 21\. Set MAX_QUERY_DIRECTIVES to change the limit\.$/,
    );
  });

  it('refuses a query whose estimated cost is over MAX_QUERY_COST, before running it', async () => {
    expect(t.config.MAX_QUERY_COST).toBe(5000);
    const res = await gql(t.url, '{ users(first: 100) { edges { node { sessions(first: 100) { edges { node { id } } } } } } }');
    await expectRefused(
      t.url,
      res,
      400,
      'GRAPHQL_VALIDATION_FAILED',
      /^Query Cost limit of 5000 exceeded, found [\d.]+\. Set MAX_QUERY_COST to change the limit\.$/,
    );
    // A modest page of the same shape is within the limit (and then refused only for lack of a token).
    const small = await gql(t.url, '{ users(first: 5) { edges { node { sessions(first: 5) { edges { node { id } } } } } } }');
    expect(small.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});

describe('introspection in production', () => {
  const introspect = '{ __schema { queryType { name } } }';

  it('is refused with NODE_ENV=production, while ordinary queries work', async () => {
    const prod = await startTestServer({ NODE_ENV: 'production', METRICS_TOKEN: 'limits-test-metrics-token' });
    try {
      expect(prod.config.INTROSPECTION).toBe(false);
      for (const query of [introspect, '{ __type(name: "User") { name } }']) {
        const res = await gql(prod.url, query);
        await expectRefused(prod.url, res, 400, 'GRAPHQL_VALIDATION_FAILED', /introspection/i);
      }
    } finally {
      await prod.stop();
    }
  });

  it('is allowed in production with INTROSPECTION=true', async () => {
    const prod = await startTestServer({ NODE_ENV: 'production', INTROSPECTION: 'true', METRICS_TOKEN: 'limits-test-metrics-token' });
    try {
      const res = await gql(prod.url, introspect);
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    } finally {
      await prod.stop();
    }
  });
});

describe('validation and coercion', () => {
  it('answers an unknown field with 400 GRAPHQL_VALIDATION_FAILED naming it', async () => {
    const res = await gql(t.url, '{ balance }');
    await expectRefused(t.url, res, 400, 'GRAPHQL_VALIDATION_FAILED', /Cannot query field "balance" on type "Query"/);
  });

  it('answers a variable of the wrong type with 400 BAD_USER_INPUT', async () => {
    const query = 'mutation ($input: SignInInput!) { signIn(input: $input) { userErrors { code } } }';
    const res = await gql(t.url, query, { input: { email: 42, password: 'x' } });
    await expectRefused(
      t.url,
      res,
      400,
      'BAD_USER_INPUT',
      /^Variable "\$input" got an invalid value at "input\.email"; String cannot represent a non string value\.$/,
    );
    const missing = await gql(t.url, query, {});
    await expectRefused(t.url, missing, 400, 'BAD_USER_INPUT', /Variable "\$input" of required type "SignInInput!" was not provided/);
  });

  // No field takes Decimal or MoneyInput yet, and an unused variable is refused by validation
  // before coercion, so this is checked on the schema's scalar itself (no HTTP).
  it('Decimal refuses a JSON number with a clear message (scalar level)', () => {
    const decimal = schema.getType('Decimal') as GraphQLScalarType;
    expect(decimal.parseValue('12.50')).toBe('12.50');
    let thrown: unknown;
    try {
      decimal.parseValue(12.5);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(GraphQLError);
    expect((thrown as GraphQLError).message).toBe('Decimal must be a string like "12.50", not a number (floats lose cents).');
    expect((thrown as GraphQLError).extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('internal errors', () => {
  // A real failure, no mocks: the server's own database loses a table under it. A resolver hitting
  // it (signIn) and the per-request context (checking a session) both fail inside Prisma, whose
  // messages name tables and queries; the client sees only INTERNAL with a fixed message.
  it('are masked as INTERNAL with a fixed message, and the server recovers', async () => {
    const s = await startTestServer({ SESSION_CACHE_SECONDS: '0' });
    const exec = (sql: string) => asOwner(s, sql);
    try {
      const email = uniqueEmail('internal');
      const signUp = (await s.query(SignUp, { input: { email, password: STRONG_PASSWORD, displayName: 'Internal' } })).signUp;
      const token = signUp.tokens!.accessToken;
      const signIn = `mutation { signIn(input: { email: "${email}", password: "${STRONG_PASSWORD}" }) { user { id } } }`;

      await exec('ALTER TABLE users RENAME TO users_gone');
      try {
        const res = await gql(s.url, signIn);
        expect(res.status).toBe(200);
        expect(res.json).toEqual({
          data: null,
          errors: [{ message: INTERNAL_MESSAGE, path: ['signIn'], locations: expect.any(Array), extensions: { code: 'INTERNAL' } }],
        });
        expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
        expect(res.text).not.toContain('users');
        expectNothingLeaked(res.text);
      } finally {
        await exec('ALTER TABLE users_gone RENAME TO users');
      }

      await exec('ALTER TABLE sessions RENAME TO sessions_gone');
      try {
        const res = await gql(s.url, '{ me { id } }', undefined, { authorization: `Bearer ${token}` });
        expect(res.status).toBe(500);
        expect(res.json).toEqual({ errors: [{ message: INTERNAL_MESSAGE, extensions: { code: 'INTERNAL' } }] });
        expect(res.text).not.toContain('sessions');
        expectNothingLeaked(res.text);
      } finally {
        await exec('ALTER TABLE sessions_gone RENAME TO sessions');
      }

      await expectStillUp(s.url);
      expect((await gql(s.url, signIn)).json.data.signIn.user.id).toBe(signUp.user!.id);
      expect((await gql(s.url, '{ me { id } }', undefined, { authorization: `Bearer ${token}` })).json.data.me.id).toBe(signUp.user!.id);
    } finally {
      await s.stop();
    }
  });
});

describe('string inputs are bounded', () => {
  const BIG = 'x'.repeat(100_000);

  /** A 100 KB string never crashes anything, and is never echoed back whole. */
  function expectBounded(res: RawResponse) {
    expect(res.text.length).toBeLessThan(5_000);
    expectNothingLeaked(res.text);
    for (const error of res.json.errors ?? []) expect(error.extensions.code).not.toBe('INTERNAL');
  }

  it('sign-up refuses each oversized field with a userError naming it, and creates nothing', async () => {
    const fields = { email: uniqueEmail('big'), password: STRONG_PASSWORD, displayName: 'Big', phone: null as string | null };
    for (const [field, code] of [
      ['displayName', 'INVALID_INPUT'],
      ['email', 'INVALID_INPUT'],
      ['password', 'INVALID_INPUT'],
      ['phone', 'INVALID_INPUT'],
    ] as const) {
      const input = { ...fields, [field]: BIG };
      const res = await post(t.url, JSON.stringify({ query: SIGN_UP_TEXT, variables: { input } }));
      expect(res.status).toBe(200);
      expectBounded(res);
      expect(res.json.data.signUp.user).toBeNull();
      expect(res.json.data.signUp.userErrors).toEqual([{ field: ['input', field], code, message: expect.stringMatching(/at most/) }]);
    }
    // Nothing was created along the way: the email is still free.
    const ok = (await t.query(SignUp, { input: { ...fields, phone: null } })).signUp;
    expect(ok.userErrors).toEqual([]);
  });

  it('sign-in answers INVALID_CREDENTIALS to a 5000-character password and a 100 KB email', async () => {
    const email = uniqueEmail('long');
    await t.query(SignUp, { input: { email, password: STRONG_PASSWORD, displayName: 'Long' } });
    for (const input of [
      { email, password: 'p'.repeat(5000) },
      { email, password: BIG },
      { email: BIG, password: STRONG_PASSWORD },
    ]) {
      const res = await gql(t.url, 'mutation ($input: SignInInput!) { signIn(input: $input) { user { id } userErrors { code } } }', {
        input,
      });
      expect(res.status).toBe(200);
      expectBounded(res);
      expect(res.json.data.signIn).toEqual({ user: null, userErrors: [{ code: 'INVALID_CREDENTIALS' }] });
    }
  });

  it('every other string and ID argument refuses 100 KB cleanly', async () => {
    const user = (await t.query(SignUp, { input: { email: uniqueEmail('args'), password: STRONG_PASSWORD, displayName: 'Args' } })).signUp;
    const auth = { authorization: `Bearer ${user.tokens!.accessToken}` };
    const admin = await gql(
      t.url,
      'mutation { signIn(input: { email: "limits-admin@example.com", password: "admin-Password-2026!" }) { tokens { accessToken } } }',
    );
    const asAdmin = { authorization: `Bearer ${admin.json.data.signIn.tokens.accessToken}` };

    // biome-ignore lint/suspicious/noExplicitAny: the raw response JSON (RawResponse.json)
    const cases: [string, string, Record<string, unknown>, Record<string, string>, (json: any) => void][] = [
      [
        'refreshSession',
        'mutation ($s: String!) { refreshSession(input: { refreshToken: $s }) { userErrors { code } } }',
        {},
        {},
        (j) => expect(j.data.refreshSession.userErrors).toEqual([{ code: 'INVALID_REFRESH_TOKEN' }]),
      ],
      [
        'updateProfile.displayName',
        'mutation ($s: String) { updateProfile(input: { displayName: $s }) { userErrors { field code } } }',
        {},
        auth,
        (j) => expect(j.data.updateProfile.userErrors).toEqual([{ field: ['input', 'displayName'], code: 'INVALID_INPUT' }]),
      ],
      [
        'updateProfile.phone',
        'mutation ($s: String) { updateProfile(input: { phone: $s }) { userErrors { field code } } }',
        {},
        auth,
        (j) => expect(j.data.updateProfile.userErrors).toEqual([{ field: ['input', 'phone'], code: 'INVALID_INPUT' }]),
      ],
      [
        'revokeSession',
        'mutation ($s: ID!) { revokeSession(input: { sessionId: $s }) { userErrors { code } } }',
        {},
        auth,
        (j) => expect(j.errors[0].extensions.code).toBe('BAD_USER_INPUT'),
      ],
      ['node', 'query ($s: ID!) { node(id: $s) { id } }', {}, auth, (j) => expect(j.errors[0].extensions.code).toBe('BAD_USER_INPUT')],
      ['nodes', 'query ($s: ID!) { nodes(ids: [$s]) { id } }', {}, auth, (j) => expect(j.errors[0].extensions.code).toBe('BAD_USER_INPUT')],
      [
        'sessions.after',
        'query ($s: String) { me { sessions(first: 1, after: $s) { edges { cursor } } } }',
        {},
        auth,
        (j) => expect(j.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'after' }),
      ],
      [
        'users.before',
        'query ($s: String) { users(last: 1, before: $s) { edges { cursor } } }',
        {},
        asAdmin,
        (j) => expect(j.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'before' }),
      ],
      [
        'users.emailPrefix',
        'query ($s: String) { users(first: 1, emailPrefix: $s) { edges { cursor } } }',
        {},
        asAdmin,
        (j) => expect(j).toEqual({ data: { users: { edges: [] } } }),
      ],
    ];
    for (const [name, query, extra, headers, check] of cases) {
      const res = await gql(t.url, query, { s: BIG, ...extra }, headers);
      expectBounded(res);
      try {
        check(res.json);
      } catch (err) {
        throw new Error(`${name}: ${(err as Error).message}\n${res.text}`);
      }
    }
    await expectStillUp(t.url);
  });
});
