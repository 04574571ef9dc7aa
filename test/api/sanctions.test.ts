// Sanctions screening end to end: a name on the list (config/sanctions.txt), fuzzily matched, at
// sign-up, KYC or payout freezes the user's wallets and opens exactly one AML case; admins list
// and decide cases (clearing lifts the freeze, confirming keeps it); ordinary names pass.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { expectLedgerConsistent } from '../helpers/ledger.js';
import { addVerifiedPhone, verifyEmail } from '../helpers/people.js';
import { startTestServer, STRONG_PASSWORD, uniqueEmail, type TestServer } from '../helpers/testServer.js';
import { decodeId as decode } from '../helpers/globalIds.js';

const ADMIN = { email: 'aml.admin@example.com', password: 'Aml-Reviewer-2026!' };

const SaSignUp = graphql(`
  mutation SaSignUp($input: SignUpInput!) { signUp(input: $input) { user { id } tokens { accessToken } } }
`);
const SaSignIn = graphql(`
  mutation SaSignIn($input: SignInInput!) { signIn(input: $input) { user { id } tokens { accessToken } } }
`);
const SaWallets = graphql(`query SaWallets { me { wallets { id status } } }`);
const SaCases = graphql(`
  query SaCases($status: AmlCaseStatus) {
    amlCases(first: 100, status: $status) { edges { node { id kind status user { id } screenedName matchedEntry score screenedAt reason } } }
  }
`);
const SaCaseTransactions = graphql(`query SaCaseTransactions($id: ID!) { node(id: $id) { ... on AmlCase { transactions { id } } } }`);
const SaDecide = graphql(`
  mutation SaDecide($input: DecideAmlCaseInput!) { decideAmlCase(input: $input) { amlCase { id status reason decidedBy { id } } userErrors { field code message } } }
`);
const SaSend = graphql(`
  mutation SaSend($input: SendMoneyInput!) { sendMoney(input: $input) { userErrors { code message } } }
`);
const SaAdjust = graphql(`
  mutation SaAdjust($input: AdminAdjustBalanceInput!) { adminAdjustBalance(input: $input) { userErrors { code } } }
`);
const SaAddBank = graphql(`
  mutation SaAddBank($input: AddBankAccountInput!) { addBankAccount(input: $input) { paymentMethod { id } } }
`);
const SaVerify = graphql(`
  mutation SaVerify($input: VerifyBankAccountInput!) { verifyBankAccount(input: $input) { paymentMethod { status } } }
`);
const SaWithdraw = graphql(`
  mutation SaWithdraw($input: WithdrawInput!) { withdraw(input: $input) { funding { id } userErrors { field code message } } }
`);
const SaKyc = graphql(`
  mutation SaKyc($input: SubmitKycInput!) { submitKyc(input: $input) { kycCase { id } userErrors { code } } }
`);

let t: TestServer;
let admin: string;
let adminId: string;
beforeAll(async () => {
  t = await startTestServer({ BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password });
  const signIn = (await t.query(SaSignIn, { input: ADMIN })).signIn;
  admin = signIn.tokens!.accessToken;
  adminId = signIn.user!.id;
});
afterAll(async () => {
  if (t) await expectLedgerConsistent(t);
  await t?.stop();
});

async function signUp(displayName: string) {
  const email = uniqueEmail('sa');
  const res = (await t.query(SaSignUp, { input: { email, password: STRONG_PASSWORD, displayName } })).signUp;
  return { token: res.tokens!.accessToken, userId: decode(res.user!.id), email };
}
const walletOf = async (token: string) => (await t.query(SaWallets, {}, { token })).me.wallets[0]!;
const casesOf = async (userId: string) =>
  (await t.query(SaCases, {}, { token: admin })).amlCases.edges.map((e) => e.node).filter((c) => decode(c.user.id, 'User') === userId);

describe('sanctions screening', () => {
  it('freezes a new user whose name is on the list, opens one case, and a clearing lifts the freeze', async () => {
    const hit = await signUp('SANCTIONOV, Ivan');
    expect((await walletOf(hit.token)).status).toBe('FROZEN');
    const [open, ...more] = await casesOf(hit.userId);
    expect(more).toEqual([]);
    expect(open).toMatchObject({
      kind: 'SANCTIONS',
      status: 'OPEN',
      screenedName: 'SANCTIONOV, Ivan',
      matchedEntry: 'Ivan Testovich Sanctionov',
      screenedAt: 'SIGN_UP',
    });
    expect(open!.score).toBeGreaterThanOrEqual(0.85);
    expect((await t.query(SaCaseTransactions, { id: open!.id }, { token: admin })).node).toEqual({ transactions: [] });

    // Frozen: nothing moves, in or out.
    const friend = await signUp('Plain Friend');
    const sent = (
      await t.query(
        SaSend,
        { input: { recipient: { email: friend.email }, amount: { amount: '1.00', currency: 'USD' }, idempotencyKey: randomUUID() } },
        { token: hit.token },
      )
    ).sendMoney;
    expect(sent.userErrors[0]!.code).toBe('WALLET_FROZEN');

    // Only admins see or decide cases.
    expect((await t.request(SaCases, {}, { token: hit.token })).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(
      (await t.request(SaDecide, { input: { caseId: open!.id, decision: 'CLEAR', reason: 'not me' } }, { token: hit.token })).body
        .errors?.[0]?.extensions?.code,
    ).toBe('FORBIDDEN');

    const cleared = (
      await t.query(
        SaDecide,
        { input: { caseId: open!.id, decision: 'CLEAR', reason: 'Different date of birth from the listed person.' } },
        { token: admin },
      )
    ).decideAmlCase;
    expect(cleared.amlCase).toMatchObject({
      status: 'CLEARED',
      reason: 'Different date of birth from the listed person.',
      decidedBy: { id: adminId },
    });
    expect((await walletOf(hit.token)).status).toBe('ACTIVE');
    const again = (
      await t.query(SaDecide, { input: { caseId: open!.id, decision: 'CONFIRM', reason: 'second thoughts' } }, { token: admin })
    ).decideAmlCase;
    expect(again.userErrors[0]!.message).toContain('already cleared');
  });

  it('screens the payee of a payout: a hit refuses the withdrawal and a confirmation keeps the freeze', async () => {
    const u = await signUp('Grace Payee');
    // Bank accounts and withdrawals need a recent second factor: the email's code gives one.
    await verifyEmail(t, u);
    const wallet = await walletOf(u.token);
    await t.query(
      SaAdjust,
      {
        input: {
          walletId: wallet.id,
          amount: { amount: '50.00', currency: 'USD' },
          direction: 'CREDIT',
          reason: 'sanctions test',
          idempotencyKey: randomUUID(),
        },
      },
      { token: admin },
    );
    const bank = (
      await t.query(
        SaAddBank,
        { input: { country: 'US', routingNumber: '110000000', accountNumber: '000123456789', holderName: 'Viktor Frozenko' } },
        { token: u.token },
      )
    ).addBankAccount.paymentMethod!.id;
    await t.query(SaVerify, { input: { id: bank, amounts: ['0.32', '0.45'] } }, { token: u.token });
    const refused = (
      await t.query(
        SaWithdraw,
        { input: { bankAccountId: bank, amount: { amount: '10.00', currency: 'USD' }, idempotencyKey: randomUUID() } },
        { token: u.token },
      )
    ).withdraw;
    expect(refused.funding).toBeNull();
    expect(refused.userErrors[0]).toMatchObject({ code: 'WALLET_FROZEN' });
    const [c] = await casesOf(u.userId);
    expect(c).toMatchObject({ screenedAt: 'PAYOUT', matchedEntry: 'Viktor Frozenko', status: 'OPEN' });
    // A second hit while the case is open adds no second case.
    await t.query(
      SaWithdraw,
      { input: { bankAccountId: bank, amount: { amount: '5.00', currency: 'USD' }, idempotencyKey: randomUUID() } },
      { token: u.token },
    );
    expect(await casesOf(u.userId)).toHaveLength(1);
    expect(
      (await t.query(SaDecide, { input: { caseId: c!.id, decision: 'CONFIRM', reason: 'Matches the listed person.' } }, { token: admin }))
        .decideAmlCase.amlCase!.status,
    ).toBe('CONFIRMED');
    expect((await walletOf(u.token)).status).toBe('FROZEN');
  });

  it('screens the legal name given for KYC', async () => {
    const u = await signUp('Maria B.');
    await addVerifiedPhone(t, u.token, '+14155550199');
    await t.query(
      SaKyc,
      {
        input: {
          level: 'TIER_1',
          legalName: 'María Embargo Blocklista',
          dateOfBirth: '1980-01-01',
          address: { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' },
        },
      },
      { token: u.token },
    );
    expect(await casesOf(u.userId)).toEqual([expect.objectContaining({ screenedAt: 'KYC', matchedEntry: 'Maria Embargo Blocklista' })]);
    expect((await walletOf(u.token)).status).toBe('FROZEN');
  });

  it('lets ordinary names through', async () => {
    for (const name of ['Ivan Petrov', 'Maria Garcia', 'Viktor Frankl']) {
      const u = await signUp(name);
      expect((await walletOf(u.token)).status).toBe('ACTIVE');
      expect(await casesOf(u.userId)).toEqual([]);
    }
  });
});
