// KYC tier limits where money moves, with the shipped limits file (config/kyc-limits.json):
// per-transaction, daily and monthly send, the recipient's balance cap, daily add-funds, and
// withdrawals (none at TIER_0). Limits are checked in the same database transaction as the
// movement, so 50 parallel transfers can never together pass the daily limit.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { expectLedgerConsistent } from '../helpers/ledger.js';
import { credit, signInAdmin, signUpUser } from '../helpers/people.js';
import { startTestServer, type TestServer } from '../helpers/testServer.js';

const ADMIN = { email: 'limits.admin@example.com', password: 'Limit-Keeper-2026!' };

const KlWallets = graphql(`query KlWallets { me { wallets { id balance { posted { amount } } } } }`);
const KlSend = graphql(`
  mutation KlSend($input: SendMoneyInput!) { sendMoney(input: $input) { transfer { id } userErrors { field code message } } }
`);
const KlLimits = graphql(`
  query KlLimits { myLimits { tier limits { kind limit { amount currency } used { amount } remaining { amount } resetsAt } } }
`);
const KlAddCard = graphql(`
  mutation KlAddCard($input: AddCardInput!) { addCard(input: $input) { paymentMethod { id } } }
`);
const KlAddBank = graphql(`
  mutation KlAddBank($input: AddBankAccountInput!) { addBankAccount(input: $input) { paymentMethod { id } } }
`);
const KlVerify = graphql(`
  mutation KlVerify($input: VerifyBankAccountInput!) { verifyBankAccount(input: $input) { paymentMethod { status } } }
`);
const KlAddFunds = graphql(`
  mutation KlAddFunds($input: AddFundsInput!) { addFunds(input: $input) { funding { id } userErrors { field code message } } }
`);
const KlWithdraw = graphql(`
  mutation KlWithdraw($input: WithdrawInput!) { withdraw(input: $input) { funding { id } userErrors { field code message } } }
`);

let t: TestServer;
let admin: string;
beforeAll(async () => {
  t = await startTestServer({
    KYC_LIMITS_FILE: 'config/kyc-limits.json',
    BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
    BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
  });
  admin = await signInAdmin(t, ADMIN);
});
afterAll(async () => {
  if (t) await expectLedgerConsistent(t);
  await t?.stop();
});

const usd = (amount: string) => ({ amount, currency: 'USD' });
const tomorrow = () => {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
};

/**
 * A user at `tier` holding `balance` (credited by an admin: adjustments are not limited).
 * `steppedUp`: may add payment methods and withdraw (the email verified, which steps the session up).
 */
async function user(tier: 'TIER_0' | 'TIER_1' | 'TIER_2', balance: string, steppedUp = false) {
  const person = await signUpUser(t, { label: 'kl', displayName: 'Kl', steppedUp });
  await t.server.db.prisma.user.update({ where: { id: person.userId }, data: { kycTier: tier } });
  if (balance !== '0') await credit(t, admin, person.walletId, balance);
  return person;
}

const send = async (from: { token: string }, to: { email: string }, amount: string) =>
  (
    await t.query(
      KlSend,
      { input: { recipient: { email: to.email }, amount: usd(amount), idempotencyKey: randomUUID() } },
      { token: from.token },
    )
  ).sendMoney;

const limitsOf = async (token: string) => (await t.query(KlLimits, {}, { token })).myLimits;

describe('limits on sending', () => {
  it("shows a new user's TIER_0 limits, with nothing used", async () => {
    const u = await user('TIER_0', '0');
    const mine = await limitsOf(u.token);
    expect(mine.tier).toBe('TIER_0');
    expect(mine.limits.map((l) => [l.kind, l.limit.amount, l.used.amount, l.remaining.amount])).toEqual([
      ['MAX_BALANCE', '200.00', '0.00', '200.00'],
      ['PER_TRANSACTION', '50.00', '0.00', '50.00'],
      ['DAILY_SEND', '100.00', '0.00', '100.00'],
      ['MONTHLY_SEND', '500.00', '0.00', '500.00'],
      ['DAILY_ADD_FUNDS', '200.00', '0.00', '200.00'],
      ['DAILY_WITHDRAW', '0.00', '0.00', '0.00'],
    ]);
    expect(mine.limits.find((l) => l.kind === 'DAILY_SEND')!.resetsAt).toBe(`${tomorrow()}T00:00:00.000Z`);
    expect(mine.limits.find((l) => l.kind === 'PER_TRANSACTION')!.resetsAt).toBeNull();
  });

  it('refuses a transfer over the per-transaction and the daily limit, naming the limit, what is left and when it resets', async () => {
    const sender = await user('TIER_0', '150');
    const friend = await user('TIER_2', '0');
    const tooBig = await send(sender, friend, '50.01');
    expect(tooBig.transfer).toBeNull();
    expect(tooBig.userErrors[0]).toMatchObject({ code: 'LIMIT_EXCEEDED', field: ['input', 'amount'] });
    expect(tooBig.userErrors[0]!.message).toMatch(/PER_TRANSACTION.*at most 50 at once/);
    expect((await send(sender, friend, '50.00')).userErrors).toEqual([]);
    expect((await send(sender, friend, '30.00')).userErrors).toEqual([]);
    const overDaily = await send(sender, friend, '20.01');
    expect(overDaily.userErrors[0]!.code).toBe('LIMIT_EXCEEDED');
    expect(overDaily.userErrors[0]!.message).toContain('DAILY_SEND');
    expect(overDaily.userErrors[0]!.message).toContain('you can send 20 more today');
    expect(overDaily.userErrors[0]!.message).toContain(`resets at ${tomorrow()} 00:00 UTC`);
    expect((await send(sender, friend, '20.00')).userErrors).toEqual([]);
    const daily = (await limitsOf(sender.token)).limits.find((l) => l.kind === 'DAILY_SEND')!;
    expect([daily.used.amount, daily.remaining.amount]).toEqual(['100.00', '0.00']);
    expect((await limitsOf(sender.token)).limits.find((l) => l.kind === 'MONTHLY_SEND')!.used.amount).toBe('100.00');
  });

  it('refuses what would take the recipient over their balance limit', async () => {
    const sender = await user('TIER_1', '100');
    const small = await user('TIER_0', '190');
    const refused = await send(sender, small, '20.00');
    expect(refused.userErrors[0]).toMatchObject({ code: 'LIMIT_EXCEEDED' });
    expect(refused.userErrors[0]!.message).toContain('MAX_BALANCE');
    expect((await send(sender, small, '10.00')).userErrors).toEqual([]);
  });

  it('never lets 50 parallel transfers together pass the daily limit', async () => {
    // TIER_1: 2,500.00 a day, 1,000.00 at once; 50 × 100.00 would be 5,000.00.
    const sender = await user('TIER_1', '5000');
    const recipient = await user('TIER_2', '0');
    const results = await Promise.all(Array.from({ length: 50 }, () => send(sender, recipient, '100.00')));
    const accepted = results.filter((r) => r.userErrors.length === 0);
    expect(accepted).toHaveLength(25);
    expect(results.filter((r) => r.userErrors.length > 0).every((r) => r.userErrors[0]!.code === 'LIMIT_EXCEEDED')).toBe(true);
    expect((await t.query(KlWallets, {}, { token: sender.token })).me.wallets[0]!.balance.posted.amount).toBe('2500.00');
    expect((await limitsOf(sender.token)).limits.find((l) => l.kind === 'DAILY_SEND')!.used.amount).toBe('2500.00');
  });
});

describe('limits on adding funds and withdrawing', () => {
  async function withCard(u: { token: string }) {
    return (
      await t.query(
        KlAddCard,
        { input: { number: '4242424242424242', expMonth: 12, expYear: new Date().getUTCFullYear() + 1, cvc: '123', holderName: 'Kl' } },
        { token: u.token },
      )
    ).addCard.paymentMethod!.id;
  }
  async function withBank(u: { token: string }) {
    const id = (
      await t.query(
        KlAddBank,
        { input: { country: 'US', routingNumber: '110000000', accountNumber: '000123456789', holderName: 'Kl' } },
        { token: u.token },
      )
    ).addBankAccount.paymentMethod!.id;
    await t.query(KlVerify, { input: { id, amounts: ['0.32', '0.45'] } }, { token: u.token });
    return id;
  }
  const addFunds = async (u: { token: string }, paymentMethodId: string, amount: string) =>
    (await t.query(KlAddFunds, { input: { paymentMethodId, amount: usd(amount), idempotencyKey: randomUUID() } }, { token: u.token }))
      .addFunds;
  const withdraw = async (u: { token: string }, bankAccountId: string, amount: string) =>
    (await t.query(KlWithdraw, { input: { bankAccountId, amount: usd(amount), idempotencyKey: randomUUID() } }, { token: u.token }))
      .withdraw;

  it('counts top-ups against the daily add-funds limit and the balance limit', async () => {
    // TIER_1: 2,500.00 a day, a 5,000.00 balance: the second top-up passes the daily limit only,
    // whether or not the first one has posted yet.
    const u = await user('TIER_1', '0', true);
    const card = await withCard(u);
    expect((await addFunds(u, card, '2000.00')).userErrors).toEqual([]);
    const over = await addFunds(u, card, '600.00');
    expect(over.funding).toBeNull();
    expect(over.userErrors[0]).toMatchObject({ code: 'LIMIT_EXCEEDED', field: ['input', 'amount'] });
    expect(over.userErrors[0]!.message).toMatch(/DAILY_ADD_FUNDS.*add 500 more today/);
    const rich = await user('TIER_0', '180', true);
    const capped = await addFunds(rich, await withCard(rich), '30.00');
    expect(capped.userErrors[0]!.message).toMatch(/MAX_BALANCE.*you can add 20 more/);
  });

  it('allows no withdrawal at TIER_0, and counts them against the daily limit above it', async () => {
    const basic = await user('TIER_0', '100', true);
    const refused = await withdraw(basic, await withBank(basic), '10.00');
    expect(refused.userErrors[0]).toMatchObject({ code: 'LIMIT_EXCEEDED' });
    expect(refused.userErrors[0]!.message).toContain('Withdrawals need a verified identity');
    const verified = await user('TIER_1', '3000', true);
    const bank = await withBank(verified);
    expect((await withdraw(verified, bank, '2000.00')).userErrors).toEqual([]);
    const over = await withdraw(verified, bank, '600.00');
    expect(over.userErrors[0]!.message).toMatch(/DAILY_WITHDRAW.*withdraw 500 more today/);
    expect((await withdraw(verified, bank, '500.00')).userErrors).toEqual([]);
  });
});
