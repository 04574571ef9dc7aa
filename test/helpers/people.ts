// Users for tests: signed up through the API, optionally funded by an admin's balance adjustment
// (adjustments are not limited, so any tier can be given money). One place instead of a copy per
// test file.
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

/** Signs a new user up (with `headers`, e.g. an X-Device-Id, on the sign-up request). */
export async function signUpUser(
  t: TestServer,
  options: { label?: string; displayName?: string; headers?: Record<string, string> } = {},
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
