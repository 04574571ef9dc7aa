// Withdrawals end to end: the hold that lowers available money at once, settlement that captures
// it into a posted withdrawal, failure that releases it, a return after settlement that puts the
// money back as a linked reversal, idempotency, refusals, and withdrawals racing transfers over
// the same money (available never below zero, nothing spent twice).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { expectLedgerConsistent } from '../helpers/ledger.js';
import { startTestServer, STRONG_PASSWORD, uniqueEmail, type TestServer } from '../helpers/testServer.js';
import { verifyEmail } from '../helpers/people.js';
import { decodeId as decode } from '../helpers/globalIds.js';

const WdSignUp = graphql(`
  mutation WdSignUp($input: SignUpInput!) { signUp(input: $input) { user { id } tokens { accessToken } userErrors { code } } }
`);
const WdAddCard = graphql(`
  mutation WdAddCard($input: AddCardInput!) { addCard(input: $input) { paymentMethod { id } userErrors { code } } }
`);
const WdAddBank = graphql(`
  mutation WdAddBank($input: AddBankAccountInput!) { addBankAccount(input: $input) { paymentMethod { id } userErrors { code } } }
`);
const WdVerifyBank = graphql(`
  mutation WdVerifyBank($input: VerifyBankAccountInput!) { verifyBankAccount(input: $input) { paymentMethod { status } userErrors { code } } }
`);
const WdAddFunds = graphql(`
  mutation WdAddFunds($input: AddFundsInput!) { addFunds(input: $input) { funding { id status } userErrors { code } } }
`);
const WdWithdraw = graphql(`
  mutation WdWithdraw($input: WithdrawInput!) {
    withdraw(input: $input) {
      funding { id kind status amount { amount } }
      replayed
      userErrors { field code message }
    }
  }
`);
const WdFunding = graphql(`
  query WdFunding($id: ID!) {
    node(id: $id) {
      ... on FundingOperation {
        id kind status failureCode
        transaction { id type status amount { amount } }
        reversalTransaction { id type amount { amount } }
      }
    }
  }
`);
const WdBalance = graphql(`query WdBalance { me { wallets { balance { posted { amount } held { amount } available { amount } } } } }`);
const WdSend = graphql(`
  mutation WdSend($input: SendMoneyInput!) { sendMoney(input: $input) { transfer { id } userErrors { code } } }
`);

const WAIT_MS = 15_000;
const nextYear = new Date().getUTCFullYear() + 1;

let t: TestServer;
beforeAll(async () => {
  // Bank payouts settle a second after they are asked for, so the hold can be seen meanwhile.
  t = await startTestServer({ SANDBOX_BANK_SETTLE_MS: '1000' });
});
afterAll(async () => {
  if (t) await expectLedgerConsistent(t);
  await t?.stop();
});

type Funding = {
  status: string;
  failureCode: string | null;
  transaction: { type: string; status: string; amount: { amount: string } } | null;
  reversalTransaction: { type: string; amount: { amount: string } } | null;
};

/** A user with `topUp` in their USD wallet (from a card) and a verified bank account `accountNumber`. */
async function funded(label: string, topUp: string, accountNumber = '000123456789') {
  const email = uniqueEmail(label);
  const token = (await t.query(WdSignUp, { input: { email, password: STRONG_PASSWORD, displayName: label } })).signUp.tokens!.accessToken;
  // Payment methods and withdrawals need a recent second factor: the email's code gives one.
  await verifyEmail(t, { email, token });
  const cardId = (
    await t.query(
      WdAddCard,
      { input: { number: '4242424242424242', expMonth: 12, expYear: nextYear, cvc: '123', holderName: 'Ada' } },
      { token },
    )
  ).addCard.paymentMethod!.id;
  const bankId = (
    await t.query(WdAddBank, { input: { country: 'US', routingNumber: '110000000', accountNumber, holderName: 'Ada' } }, { token })
  ).addBankAccount.paymentMethod!.id;
  await t.query(WdVerifyBank, { input: { id: bankId, amounts: ['0.32', '0.45'] } }, { token });
  const deposit = (
    await t.query(
      WdAddFunds,
      { input: { paymentMethodId: cardId, amount: { amount: topUp, currency: 'USD' }, idempotencyKey: randomUUID() } },
      { token },
    )
  ).addFunds.funding!.id;
  await until(token, deposit, 'SUCCEEDED');
  return { token, email, bankId, cardId };
}

const withdraw = async (token: string, bankAccountId: string, amount: string, idempotencyKey = randomUUID()) =>
  (await t.query(WdWithdraw, { input: { bankAccountId, amount: { amount, currency: 'USD' }, idempotencyKey } }, { token })).withdraw;

async function until(token: string, id: string, status: string): Promise<Funding> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const f = (await t.query(WdFunding, { id }, { token })).node as Funding;
    if (f.status === status) return f;
    if (Date.now() > deadline) throw new Error(`stayed ${f.status}, expected ${status}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function balance(token: string) {
  const b = (await t.query(WdBalance, {}, { token })).me.wallets[0]!.balance;
  return { posted: b.posted.amount, held: b.held.amount, available: b.available.amount };
}

describe('withdrawals', () => {
  it('holds the amount at once, then posts it when the bank settles', async () => {
    const { token, bankId } = await funded('wd-ok', '100.00');
    const started = await withdraw(token, bankId, '30.00');
    expect(started.userErrors).toEqual([]);
    expect(started.funding).toMatchObject({ kind: 'WITHDRAWAL', status: 'PENDING', amount: { amount: '30.00' } });
    expect(await balance(token)).toEqual({ posted: '100.00', held: '30.00', available: '70.00' });
    const done = await until(token, started.funding!.id, 'SUCCEEDED');
    expect(done.transaction).toMatchObject({ type: 'WITHDRAWAL', status: 'POSTED', amount: { amount: '30.00' } });
    expect(await balance(token)).toEqual({ posted: '70.00', held: '0.00', available: '70.00' });
    const [hold] = await t.server.db.prisma.$queryRaw<{ status: string }[]>`
      SELECT h.status::text FROM holds h JOIN funding_operations f ON f.hold_id = h.id WHERE f.id = ${decode(started.funding!.id)}::uuid`;
    expect(hold!.status).toBe('CAPTURED');
  });

  it('releases the hold when the bank refuses, and moves nothing', async () => {
    const { token, bankId } = await funded('wd-fail', '50.00', '000111111129');
    const started = await withdraw(token, bankId, '20.00');
    expect(await balance(token)).toMatchObject({ held: '20.00', available: '30.00' });
    const failed = await until(token, started.funding!.id, 'FAILED');
    expect(failed).toMatchObject({ failureCode: 'R04', transaction: null });
    expect(await balance(token)).toEqual({ posted: '50.00', held: '0.00', available: '50.00' });
  });

  it('puts returned money back as a reversal linked to the posted withdrawal', async () => {
    const { token, bankId } = await funded('wd-return', '80.00', '000111111113');
    const started = await withdraw(token, bankId, '25.00');
    const returned = await until(token, started.funding!.id, 'REVERSED');
    expect(returned).toMatchObject({
      failureCode: 'R03',
      transaction: { type: 'WITHDRAWAL', status: 'REVERSED', amount: { amount: '25.00' } },
      reversalTransaction: { type: 'REVERSAL', amount: { amount: '25.00' } },
    });
    expect(await balance(token)).toEqual({ posted: '80.00', held: '0.00', available: '80.00' });
  });

  it('answers a retry with the same withdrawal and holds once', async () => {
    const { token, bankId } = await funded('wd-idem', '40.00');
    const key = randomUUID();
    const all = await Promise.all([1, 2, 3, 4].map(() => withdraw(token, bankId, '10.00', key)));
    expect(new Set(all.map((a) => a.funding!.id)).size).toBe(1);
    expect(all.filter((a) => !a.replayed)).toHaveLength(1);
    expect(await balance(token)).toMatchObject({ held: '10.00', available: '30.00' });
    await until(token, all[0]!.funding!.id, 'SUCCEEDED');
    expect(await balance(token)).toEqual({ posted: '30.00', held: '0.00', available: '30.00' });
    expect((await withdraw(token, bankId, '11.00', key)).userErrors[0]).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('refuses what it cannot do, and holds nothing', async () => {
    const { token, bankId, cardId } = await funded('wd-refuse', '15.00');
    const unverified = (
      await t.query(
        WdAddBank,
        { input: { country: 'US', routingNumber: '021000021', accountNumber: '44445555', holderName: 'Ada' } },
        { token },
      )
    ).addBankAccount.paymentMethod!.id;
    const cases: [string, string, string][] = [
      [bankId, '15.01', 'INSUFFICIENT_FUNDS'],
      [cardId, '1.00', 'PAYMENT_METHOD_UNUSABLE'],
      [unverified, '1.00', 'PAYMENT_METHOD_UNUSABLE'],
      [bankId, '-1.00', 'INVALID_AMOUNT'],
    ];
    for (const [method, amount, code] of cases) {
      const res = await withdraw(token, method, amount);
      expect(res.funding).toBeNull();
      expect(res.userErrors[0]!.code).toBe(code);
    }
    expect(await balance(token)).toEqual({ posted: '15.00', held: '0.00', available: '15.00' });
    // A refusal for lack of funds keeps nothing: the same key works once there is money.
    const key = randomUUID();
    expect((await withdraw(token, bankId, '20.00', key)).userErrors[0]!.code).toBe('INSUFFICIENT_FUNDS');
    expect((await withdraw(token, bankId, '15.00', key)).userErrors).toEqual([]);
  });

  it('never lets withdrawals and transfers racing over the same money spend it twice', async () => {
    const alice = await funded('wd-race', '100.00');
    const bob = await funded('wd-race-bob', '1.00');
    // 10 withdrawals of 15.00 and 10 transfers of 15.00 at once against 100.00: at most 6 fit.
    const attempts = await Promise.all([
      ...Array.from({ length: 10 }, () =>
        withdraw(alice.token, alice.bankId, '15.00').then((r) => ({ kind: 'withdraw', code: r.userErrors[0]?.code ?? 'OK' })),
      ),
      ...Array.from({ length: 10 }, () =>
        t
          .query(
            WdSend,
            { input: { recipient: { email: bob.email }, amount: { amount: '15.00', currency: 'USD' }, idempotencyKey: randomUUID() } },
            { token: alice.token },
          )
          .then((r) => ({ kind: 'send', code: r.sendMoney.userErrors[0]?.code ?? 'OK' })),
      ),
    ]);
    const accepted = attempts.filter((a) => a.code === 'OK');
    expect(accepted).toHaveLength(6);
    expect(attempts.filter((a) => a.code !== 'OK').every((a) => a.code === 'INSUFFICIENT_FUNDS')).toBe(true);
    const now = await balance(alice.token);
    const withdrawn = accepted.filter((a) => a.kind === 'withdraw').length * 1500;
    const sent = accepted.filter((a) => a.kind === 'send').length * 1500;
    expect(now.available).toBe(((10000 - withdrawn - sent) / 100).toFixed(2));
    expect(Number(now.available)).toBeGreaterThanOrEqual(0);
    // Once every withdrawal settles, posted money is what is left.
    const ids = await t.server.db.prisma.fundingOperation.findMany({
      where: { kind: 'WITHDRAWAL', user: { email: alice.email } },
      select: { id: true },
    });
    for (const { id } of ids) await until(alice.token, Buffer.from(`FundingOperation:${id}`).toString('base64'), 'SUCCEEDED');
    expect(await balance(alice.token)).toEqual({ posted: '10.00', held: '0.00', available: '10.00' });
  });
});
