// Proves password guessing is throttled over real HTTP: failed sign-ins for one email are slowed,
// then refused with RATE_LIMITED (even with the right password) while other emails carry on; a
// success clears an email's count; one IP trying many emails is refused while other IPs are not
// (X-Forwarded-For only counts with TRUST_PROXY=true, so it cannot be spoofed to dodge the limit);
// and sign-ups per IP are capped. Small limits are set per server; no timings are asserted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { startTestServer, STRONG_PASSWORD, uniqueEmail, type TestServer } from '../helpers/testServer.js';

const SignUp = graphql(`
  mutation BruteForceSignUp($input: SignUpInput!) {
    signUp(input: $input) { user { id } userErrors { code } }
  }
`);

const SignIn = graphql(`
  mutation BruteForceSignIn($input: SignInInput!) {
    signIn(input: $input) { user { id } userErrors { code } }
  }
`);

const LIMITS = {
  SIGNIN_MAX_FAILURES_PER_EMAIL: '5',
  SIGNIN_SLOWDOWN_AFTER: '2',
  SIGNIN_SLOWDOWN_MS: '50',
  SIGNIN_MAX_FAILURES_PER_IP: '8',
  SIGNIN_WINDOW_SECONDS: '900',
  SIGNUP_MAX_PER_IP: '3',
  SIGNUP_WINDOW_SECONDS: '3600',
};

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ ...LIMITS, TRUST_PROXY: 'true' });
});
afterAll(async () => t?.stop());

// Each test speaks from its own client address, so the per-IP counters of one test never
// touch another's.
let lastOctet = 0;
const newIp = () => `203.0.113.${++lastOctet}`;
const from = (ip: string) => ({ headers: { 'x-forwarded-for': `${ip}, 10.0.0.1` } });

async function signUp(server: TestServer, ip: string, email = uniqueEmail('bf')) {
  const res = await server.request(SignUp, { input: { email, password: STRONG_PASSWORD, displayName: 'Brute' } }, from(ip));
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data?.signUp.userErrors).toEqual([]);
  return email;
}

const signIn = (server: TestServer, ip: string, email: string, password: string) =>
  server.request(SignIn, { input: { email, password } }, from(ip));

/** A sign-in that was let through and failed on the password: INVALID_CREDENTIALS, no error. */
function expectInvalidCredentials(res: Awaited<ReturnType<typeof signIn>>) {
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data?.signIn).toEqual({ user: null, userErrors: [{ code: 'INVALID_CREDENTIALS' }] });
}

function expectSignedIn(res: Awaited<ReturnType<typeof signIn>>) {
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data?.signIn.userErrors).toEqual([]);
  expect(res.body.data?.signIn.user?.id).toEqual(expect.any(String));
}

/** Refused before any password check: RATE_LIMITED with how long to wait, within the window. */
function expectRateLimited(res: { body: { data?: unknown; errors?: readonly unknown[] } }, message: RegExp, windowSeconds = 900) {
  expect(res.body.data).toBeNull();
  expect(res.body.errors).toHaveLength(1);
  const error = res.body.errors![0]! as { message: string; extensions: { code: string; retryAfterSeconds: number } };
  expect(error.extensions.code).toBe('RATE_LIMITED');
  expect(error.extensions.retryAfterSeconds).toBeGreaterThan(0);
  expect(error.extensions.retryAfterSeconds).toBeLessThanOrEqual(windowSeconds);
  expect(error.message).toMatch(message);
  expect(error.message).toContain(`${error.extensions.retryAfterSeconds} seconds`);
}

describe('failed sign-ins per email', () => {
  it('are slowed, then refused with RATE_LIMITED even with the right password; other emails are unaffected', async () => {
    const ip = newIp();
    const victim = await signUp(t, ip);
    const bystander = await signUp(t, ip);

    // Five wrong passwords: the first two at full speed, the next three slowed, all answered.
    for (let i = 0; i < 5; i++) expectInvalidCredentials(await signIn(t, ip, victim, `wrong-Password-${i}`));

    // Blocked: a sixth guess, the right password, and the same email in another case or spacing.
    expectRateLimited(await signIn(t, ip, victim, 'wrong-Password-6'), /^Too many failed sign-in attempts/);
    expectRateLimited(await signIn(t, ip, victim, STRONG_PASSWORD), /^Too many failed sign-in attempts/);
    expectRateLimited(await signIn(t, ip, `  ${victim.toUpperCase()} `, STRONG_PASSWORD), /^Too many failed sign-in attempts/);
    // ...and from another address: the count belongs to the email.
    expectRateLimited(await signIn(t, newIp(), victim, STRONG_PASSWORD), /^Too many failed sign-in attempts/);

    // Another email, from the same address, is unaffected.
    expectInvalidCredentials(await signIn(t, ip, bystander, 'wrong-Password-1'));
    expectSignedIn(await signIn(t, ip, bystander, STRONG_PASSWORD));
  });

  it('while slowed still answer correctly, and a success clears the count', async () => {
    const ip = newIp();
    const email = await signUp(t, ip);
    for (let i = 0; i < 3; i++) expectInvalidCredentials(await signIn(t, ip, email, `wrong-Password-${i}`));
    // Slowed (3 failures > SIGNIN_SLOWDOWN_AFTER), but the right password still works.
    expectSignedIn(await signIn(t, ip, email, STRONG_PASSWORD));
    // The count restarted: four more failures are answered (without the reset the fifth
    // failure would come on the second of these, and the third would be refused).
    for (let i = 0; i < 4; i++) expectInvalidCredentials(await signIn(t, ip, email, `wrong-Password-${i}`));
    expectSignedIn(await signIn(t, ip, email, STRONG_PASSWORD));
  });
});

describe('failed sign-ins per IP', () => {
  it('refuse an address that tries many emails, while another address is fine', async () => {
    const attacker = newIp();
    const other = newIp();
    const known = await signUp(t, other);

    // SIGNIN_MAX_FAILURES_PER_IP=8 failures, each on a different email (none reaches its own limit).
    for (let i = 0; i < 8; i++) expectInvalidCredentials(await signIn(t, attacker, uniqueEmail('spray'), 'wrong-Password-1'));
    expectRateLimited(await signIn(t, attacker, uniqueEmail('spray'), 'wrong-Password-1'), /^Too many failed sign-in attempts/);
    // Even a real account with its right password is refused from that address.
    expectRateLimited(await signIn(t, attacker, known, STRONG_PASSWORD), /^Too many failed sign-in attempts/);

    // Another address carries on.
    expectInvalidCredentials(await signIn(t, other, uniqueEmail('spray'), 'wrong-Password-1'));
    expectSignedIn(await signIn(t, other, known, STRONG_PASSWORD));
  });

  it('cannot be dodged with X-Forwarded-For when the proxy is not trusted', async () => {
    const direct = await startTestServer({ ...LIMITS, SIGNIN_MAX_FAILURES_PER_IP: '3' });
    try {
      expect(direct.config.TRUST_PROXY).toBe(false);
      // A new made-up address on every attempt: all are counted against the real one.
      for (let i = 0; i < 3; i++) expectInvalidCredentials(await signIn(direct, newIp(), uniqueEmail('spoof'), 'wrong-Password-1'));
      expectRateLimited(await signIn(direct, newIp(), uniqueEmail('spoof'), 'wrong-Password-1'), /^Too many failed sign-in attempts/);
    } finally {
      await direct.stop();
    }
  });
});

describe('sign-ups per IP', () => {
  it('are refused with RATE_LIMITED past SIGNUP_MAX_PER_IP, while another address can sign up', async () => {
    const ip = newIp();
    for (let i = 0; i < 3; i++) await signUp(t, ip);
    const email = uniqueEmail('fourth');
    const refused = await t.request(SignUp, { input: { email, password: STRONG_PASSWORD, displayName: 'Fourth' } }, from(ip));
    expectRateLimited(refused, /^Too many sign-ups from this address/, 3600);

    // Nothing was created, and the same sign-up from another address succeeds.
    await signUp(t, newIp(), email);
  });
});
