// Users for tests: signed up through the API, optionally with a verified email whose code also
// stepped their session up (the step-up actions: withdraw, payment methods, API keys, email and
// password changes), optionally funded by an admin's balance adjustment (adjustments are not
// limited, so any tier can be given money). Codes are read from the sandbox inbox over HTTP
// (GET /sandbox/messages), as a developer would. One place instead of a copy per test file.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { graphql } from '../gql/index.js';
import { decodeId } from './globalIds.js';
import { STRONG_PASSWORD, uniqueEmail, type TestServer } from './testServer.js';

const HelperSignUp = graphql(`
  mutation HelperSignUp($input: SignUpInput!) { signUp(input: $input) { user { id } tokens { accessToken } } }
`);
const HelperSignIn = graphql(`mutation HelperSignIn($input: SignInInput!) { signIn(input: $input) { tokens { accessToken } } }`);
const HelperWallets = graphql(`query HelperWallets { me { wallets { id } } }`);
const HelperRequestEmailCode = graphql(`mutation HelperRequestEmailCode { requestEmailVerification { userErrors { code message } } }`);
const HelperVerifyEmail = graphql(`
  mutation HelperVerifyEmail($input: VerifyContactInput!) { verifyEmail(input: $input) { userErrors { code message } } }
`);
const HelperRequestStepUpCode = graphql(`
  mutation HelperRequestStepUpCode($input: RequestStepUpCodeInput) { requestStepUpCode(input: $input) { userErrors { code message } } }
`);
const HelperStepUp = graphql(`mutation HelperStepUp($input: StepUpInput!) { stepUp(input: $input) { userErrors { code message } } }`);
const HelperSetPhone = graphql(
  `mutation HelperSetPhone($input: UpdateProfileInput!) { updateProfile(input: $input) { userErrors { code message } } }`,
);
const HelperRequestPhoneCode = graphql(`mutation HelperRequestPhoneCode { requestPhoneVerification { userErrors { code message } } }`);
const HelperVerifyPhone = graphql(`
  mutation HelperVerifyPhone($input: VerifyContactInput!) { verifyPhone(input: $input) { userErrors { code message } } }
`);
const HelperAdjust = graphql(`
  mutation HelperAdjust($input: AdminAdjustBalanceInput!) { adminAdjustBalance(input: $input) { userErrors { code message } } }
`);

export interface TestUser {
  email: string;
  token: string;
  /** The user's uuid. */
  userId: string;
  /** The global id of their first wallet. */
  walletId: string;
}

export interface SandboxMessage {
  channel: 'EMAIL' | 'SMS' | 'PUSH';
  to: string;
  subject: string | null;
  text: string;
  code: string | null;
}

/** The messages the sandbox providers delivered to `to`, newest first, once pending notifications are fanned out and what is due delivered. */
export async function sandboxMessages(t: TestServer, to: string): Promise<SandboxMessage[]> {
  await t.server.services.notifications.flush();
  const res = await fetch(`${t.origin}/sandbox/messages?to=${encodeURIComponent(to)}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { messages: SandboxMessage[] }).messages;
}

/** The code of the newest message to `to` (an email address or phone number) that carries one (notices carry none). */
export async function sandboxCode(t: TestServer, to: string): Promise<string> {
  const newest = (await sandboxMessages(t, to)).find((m) => m.code);
  expect(newest?.code, `no code was delivered to ${to}`).toBeTruthy();
  return newest!.code!;
}

/** Verifies the user's email with the emailed code; the code also steps the token's session up (STEP_UP_MINUTES). */
export async function verifyEmail(t: TestServer, user: { email: string; token: string }): Promise<void> {
  expect((await t.query(HelperRequestEmailCode, {}, { token: user.token })).requestEmailVerification.userErrors).toEqual([]);
  const code = await sandboxCode(t, user.email);
  expect((await t.query(HelperVerifyEmail, { input: { code } }, { token: user.token })).verifyEmail.userErrors).toEqual([]);
}

/**
 * Gives the user `phone` and verifies it with the texted code (TIER_1 KYC needs a verified phone). A
 * first contact needs no step-up; otherwise the token's session must be stepped up.
 */
export async function addVerifiedPhone(t: TestServer, token: string, phone: string): Promise<void> {
  expect((await t.query(HelperSetPhone, { input: { phone } }, { token })).updateProfile.userErrors).toEqual([]);
  expect((await t.query(HelperRequestPhoneCode, {}, { token })).requestPhoneVerification.userErrors).toEqual([]);
  const code = await sandboxCode(t, phone);
  expect((await t.query(HelperVerifyPhone, { input: { code } }, { token })).verifyPhone.userErrors).toEqual([]);
}

let phones = 1000 + Math.floor(Math.random() * 7000);
/**
 * A phone number no other user of this test file has (phones are unique), never one of the sandbox's
 * failing test values (…0002, …0003, …0005).
 */
export function uniquePhone(): string {
  phones += 1;
  return `+1415555${phones}`;
}

/** Steps the token's session up with a code sent to the user's verified email (a user without MFA). */
export async function stepUpByEmail(t: TestServer, user: { email: string; token: string }): Promise<void> {
  expect(
    (await t.query(HelperRequestStepUpCode, { input: { channel: 'EMAIL' } }, { token: user.token })).requestStepUpCode.userErrors,
  ).toEqual([]);
  const code = await sandboxCode(t, user.email);
  expect((await t.query(HelperStepUp, { input: { code } }, { token: user.token })).stepUp.userErrors).toEqual([]);
}

/**
 * Signs a new user up (with `headers`, e.g. an X-Device-Id, on the sign-up request). `steppedUp`:
 * their email is verified with its code, which steps the sign-up session up, so the user may do the
 * step-up actions with `token` for STEP_UP_MINUTES.
 */
export async function signUpUser(
  t: TestServer,
  options: { label?: string; displayName?: string; headers?: Record<string, string>; steppedUp?: boolean } = {},
): Promise<TestUser> {
  const email = uniqueEmail(options.label ?? 'user');
  const signUp = (
    await t.query(
      HelperSignUp,
      { input: { email, password: STRONG_PASSWORD, displayName: options.displayName ?? 'Test User' } },
      { headers: options.headers },
    )
  ).signUp;
  const token = signUp.tokens!.accessToken;
  const walletId = (await t.query(HelperWallets, {}, { token })).me.wallets[0]!.id;
  if (options.steppedUp) await verifyEmail(t, { email, token });
  return { email, token, userId: decodeId(signUp.user!.id), walletId };
}

/** An admin's access token (the server must have been started with that bootstrap admin). */
export async function signInAdmin(t: TestServer, admin: { email: string; password: string }): Promise<string> {
  return (await t.query(HelperSignIn, { input: admin })).signIn.tokens!.accessToken;
}

/** Credits a wallet through an admin's adjustment. */
export async function credit(t: TestServer, adminToken: string, walletId: string, amount: string, currency = 'USD'): Promise<void> {
  const adjusted = await t.query(
    HelperAdjust,
    { input: { walletId, amount: { amount, currency }, direction: 'CREDIT', reason: 'test funding', idempotencyKey: randomUUID() } },
    { token: adminToken },
  );
  expect(adjusted.adminAdjustBalance.userErrors).toEqual([]);
}
