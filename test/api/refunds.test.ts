// Refunds of card top-ups by an admin: held on the user's wallet at once, posted as a REFUND when
// the card processor confirms, never more in total than the top-up, refused when the money is
// gone or the top-up cannot be refunded, and admins only.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_CARDS } from '../../src/services/gateways/sandbox/testValues.js';
import { graphql } from '../gql/index.js';
import { expectLedgerConsistent } from '../helpers/ledger.js';
import { startTestServer, STRONG_PASSWORD, uniqueEmail, type TestServer } from '../helpers/testServer.js';
import { verifyEmail } from '../helpers/people.js';

const ADMIN = { email: 'refunds.admin@example.com', password: 'Refund-Keeper-2026!' };

const RfSignUp = graphql(`
  mutation RfSignUp($input: SignUpInput!) { signUp(input: $input) { tokens { accessToken } } }
`);
const RfSignIn = graphql(`
  mutation RfSignIn($input: SignInInput!) { signIn(input: $input) { tokens { accessToken } } }
`);
const RfAddCard = graphql(`
  mutation RfAddCard($input: AddCardInput!) { addCard(input: $input) { paymentMethod { id } } }
`);
const RfAddFunds = graphql(`
  mutation RfAddFunds($input: AddFundsInput!) { addFunds(input: $input) { funding { id status } } }
`);
const RfRefund = graphql(`
  mutation RfRefund($input: AdminRefundDepositInput!) {
    adminRefundDeposit(input: $input) {
      funding { id kind status reason amount { amount } refundOf { id } }
      replayed
      userErrors { field code message }
    }
  }
`);
const RfFunding = graphql(`
  query RfFunding($id: ID!) {
    node(id: $id) { ... on FundingOperation { status kind reason refundOf { id } transaction { type amount { amount } } } }
  }
`);
const RfBalance = graphql(`query RfBalance { me { wallets { balance { posted { amount } held { amount } available { amount } } } } }`);
const RfSend = graphql(`
  mutation RfSend($input: SendMoneyInput!) { sendMoney(input: $input) { userErrors { code } } }
`);

let t: TestServer;
let admin: string;
beforeAll(async () => {
  // Processor answers take a second, so a refund's hold can be seen before it is paid out.
  t = await startTestServer({
    BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
    BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
    SANDBOX_WEBHOOK_DELAY_MS: '1000',
  });
  admin = (await t.query(RfSignIn, { input: ADMIN })).signIn.tokens!.accessToken;
});
afterAll(async () => {
  if (t) await expectLedgerConsistent(t);
  await t?.stop();
});

async function until(token: string, id: string, status: string) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const f = (await t.query(RfFunding, { id }, { token })).node as {
      status: string;
      transaction: { type: string; amount: { amount: string } } | null;
    };
    if (f.status === status) return f;
    if (Date.now() > deadline) throw new Error(`stayed ${f.status}, expected ${status}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A user who topped up `amount` with `card`; returns their token and the top-up's id. */
async function toppedUp(amount: string, card: string = SANDBOX_CARDS.success, wait = 'SUCCEEDED') {
  const email = uniqueEmail('rf');
  const token = (await t.query(RfSignUp, { input: { email, password: STRONG_PASSWORD, displayName: 'Rf' } })).signUp.tokens!.accessToken;
  // Adding a card needs a recent second factor: the email's code gives one.
  await verifyEmail(t, { email, token });
  const pm = (
    await t.query(
      RfAddCard,
      { input: { number: card, expMonth: 12, expYear: new Date().getUTCFullYear() + 1, cvc: '123', holderName: 'Rf' } },
      { token },
    )
  ).addCard.paymentMethod!.id;
  const deposit = (
    await t.query(
      RfAddFunds,
      { input: { paymentMethodId: pm, amount: { amount, currency: 'USD' }, idempotencyKey: randomUUID() } },
      { token },
    )
  ).addFunds.funding!.id;
  await until(token, deposit, wait);
  return { token, email, deposit };
}

const refund = async (fundingId: string, amount: string | null, idempotencyKey = randomUUID(), token = admin) =>
  (
    await t.request(
      RfRefund,
      {
        input: {
          fundingId,
          amount: amount ? { amount, currency: 'USD' } : null,
          reason: 'Customer asked to close the account',
          idempotencyKey,
        },
      },
      { token },
    )
  ).body;

async function balance(token: string) {
  const b = (await t.query(RfBalance, {}, { token })).me.wallets[0]!.balance;
  return { posted: b.posted.amount, held: b.held.amount, available: b.available.amount };
}

describe('adminRefundDeposit', () => {
  it('holds the refund at once, posts it when the processor confirms, and never refunds more than the top-up', async () => {
    const user = await toppedUp('50.00');
    const first = (await refund(user.deposit, '20.00')).data!.adminRefundDeposit;
    expect(first.userErrors).toEqual([]);
    expect(first.funding).toMatchObject({
      kind: 'WITHDRAWAL',
      status: 'PENDING',
      amount: { amount: '20.00' },
      refundOf: { id: user.deposit },
    });
    expect(await balance(user.token)).toEqual({ posted: '50.00', held: '20.00', available: '30.00' });
    const done = await until(user.token, first.funding!.id, 'SUCCEEDED');
    expect(done.transaction).toEqual({ type: 'REFUND', amount: { amount: '20.00' } });
    expect(await balance(user.token)).toEqual({ posted: '30.00', held: '0.00', available: '30.00' });

    const tooMuch = (await refund(user.deposit, '30.01')).data!.adminRefundDeposit;
    expect(tooMuch.userErrors[0]).toMatchObject({ code: 'INVALID_AMOUNT', field: ['input', 'amount'] });
    expect(tooMuch.userErrors[0]!.message).toContain('30.00');
    // Without an amount: the rest. Then nothing is left.
    const rest = (await refund(user.deposit, null)).data!.adminRefundDeposit;
    expect(rest.funding).toMatchObject({ amount: { amount: '30.00' } });
    await until(user.token, rest.funding!.id, 'SUCCEEDED');
    expect((await refund(user.deposit, '0.01')).data!.adminRefundDeposit.userErrors[0]).toMatchObject({ code: 'INVALID_AMOUNT' });
    expect(await balance(user.token)).toEqual({ posted: '0.00', held: '0.00', available: '0.00' });
  });

  it('lets parallel refunds of one top-up add up to at most the top-up', async () => {
    const user = await toppedUp('30.00');
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => refund(user.deposit, '10.00')));
    const codes = results.map((r) => r.data!.adminRefundDeposit.userErrors[0]?.code ?? 'OK');
    expect(codes.filter((c) => c === 'OK')).toHaveLength(3);
    expect(codes.filter((c) => c !== 'OK').every((c) => c === 'INVALID_AMOUNT')).toBe(true);
    // Held or already paid out (the sandbox is quick), but never more than the top-up.
    expect((await balance(user.token)).available).toBe('0.00');
    const ids = results.flatMap((r) => (r.data!.adminRefundDeposit.funding ? [r.data!.adminRefundDeposit.funding.id] : []));
    for (const id of ids) await until(user.token, id, 'SUCCEEDED');
    expect(await balance(user.token)).toEqual({ posted: '0.00', held: '0.00', available: '0.00' });
  });

  it('answers a retry with the same refund', async () => {
    const user = await toppedUp('10.00');
    const key = randomUUID();
    const [a, b] = [
      (await refund(user.deposit, '4.00', key)).data!.adminRefundDeposit,
      (await refund(user.deposit, '4.00', key)).data!.adminRefundDeposit,
    ];
    expect(b.funding!.id).toBe(a.funding!.id);
    expect([a.replayed, b.replayed]).toEqual([false, true]);
    expect((await refund(user.deposit, '5.00', key)).data!.adminRefundDeposit.userErrors[0]).toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
  });

  it('refuses when the money is spent, the top-up failed, or the caller is not an admin', async () => {
    const spender = await toppedUp('25.00');
    const friend = await toppedUp('1.00');
    await t.query(
      RfSend,
      { input: { recipient: { email: friend.email }, amount: { amount: '20.00', currency: 'USD' }, idempotencyKey: randomUUID() } },
      { token: spender.token },
    );
    expect((await refund(spender.deposit, '10.00')).data!.adminRefundDeposit.userErrors[0]).toMatchObject({ code: 'INSUFFICIENT_FUNDS' });

    const declined = await toppedUp('5.00', SANDBOX_CARDS.declined, 'FAILED');
    expect((await refund(declined.deposit, null)).data!.adminRefundDeposit.userErrors[0]).toMatchObject({
      code: 'INVALID_INPUT',
      field: ['input', 'fundingId'],
    });

    const notAdmin = await refund(friend.deposit, '1.00', randomUUID(), friend.token);
    expect(notAdmin.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await balance(friend.token)).toMatchObject({ held: '0.00' });
  });
});
