// Logs are structured JSON with a request id on every request line, and secrets never reach
// them: passwords, access and refresh tokens stay out even at trace level.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger, prettyLogs } from '../../src/logger.js';
import { graphql } from '../gql/index.js';
import { startTestServer, STRONG_PASSWORD, uniqueEmail, type TestServer } from '../helpers/testServer.js';

const SignUpForLogs = graphql(`
  mutation SignUpForLogs($input: SignUpInput!) {
    signUp(input: $input) { tokens { accessToken refreshToken } userErrors { code } }
  }
`);
const SignInForLogs = graphql(`
  mutation SignInForLogs($input: SignInInput!) { signIn(input: $input) { userErrors { code } } }
`);
const RefreshForLogs = graphql(`
  mutation RefreshForLogs($input: RefreshSessionInput!) { refreshSession(input: $input) { tokens { refreshToken } } }
`);
const MeForLogs = graphql(`query MeForLogs { me { id } }`);

const lines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  },
});

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({}, { log: createLogger({ level: 'trace', destination: sink }) });
});
afterAll(async () => t?.stop());

it('never logs passwords or tokens, and tags requests with their id', async () => {
  const email = uniqueEmail();
  const wrongPassword = 'Wrong-password-for-logs-77';
  const signUp = await t.query(SignUpForLogs, { input: { email, password: STRONG_PASSWORD, displayName: 'Logger' } });
  const { accessToken, refreshToken } = signUp.signUp.tokens!;
  await t.query(SignInForLogs, { input: { email, password: wrongPassword } });
  await t.query(RefreshForLogs, { input: { refreshToken } });
  await t.request(MeForLogs, {}, { token: accessToken, headers: { 'x-request-id': 'trace-me-123' } });
  await t.request(MeForLogs, {}, { token: 'not-a-token' });
  await new Promise((r) => setTimeout(r, 50)); // let the last log lines flush

  const text = lines.join('\n');
  expect(lines.length).toBeGreaterThan(4);
  for (const secret of [STRONG_PASSWORD, wrongPassword, accessToken, refreshToken, refreshToken.slice(3)]) {
    expect(text).not.toContain(secret);
  }
  const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  const requests = records.filter((r) => r.msg === 'request');
  expect(requests.length).toBeGreaterThanOrEqual(5);
  for (const r of requests) expect(r.reqId).toEqual(expect.any(String));
  expect(requests.some((r) => r.reqId === 'trace-me-123' && r.status === 200)).toBe(true);
  // Client mistakes are not error-level lines.
  expect(records.filter((r) => r.level === 'error' || r.level === 'fatal')).toEqual([]);
});

it('redacts secret fields wherever they appear in a logged object', () => {
  const captured: string[] = [];
  const log = createLogger({
    level: 'info',
    destination: new Writable({
      write(chunk, _e, done) {
        captured.push(chunk.toString());
        done();
      },
    }),
  });
  log.info(
    {
      password: 'p1',
      input: { password: 'p2', refreshToken: 'r1', card: { number: '4242424242424242', cvc: '123' } },
      req: { headers: { authorization: 'Bearer abc' } },
    },
    'sensitive',
  );
  const out = captured.join('');
  for (const secret of ['p1', 'p2', 'r1', '4242424242424242', '"123"', 'Bearer abc']) expect(out).not.toContain(secret);
  expect(out).toContain('[redacted]');
});

it('writes readable lines on a terminal (LOG_FORMAT=auto) and JSON otherwise, redacting secrets in both', () => {
  expect([prettyLogs('auto', true), prettyLogs('auto', false), prettyLogs('json', true), prettyLogs('pretty', false)]).toEqual([
    true,
    false,
    false,
    true,
  ]);
  const written: string[] = [];
  const terminal = new Writable({
    write(chunk, _enc, done) {
      written.push(chunk.toString());
      done();
    },
  });
  createLogger({ level: 'info', pretty: true, destination: terminal }).info({ password: 'hunter2-secret', walletId: 'w1' }, 'money moved');
  const text = written.join('');
  expect(text).toMatch(/INFO.*money moved/);
  expect(text).toContain('[redacted]');
  expect(text).not.toContain('hunter2-secret');
  expect(() => JSON.parse(text)).toThrow();
});
