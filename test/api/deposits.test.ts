// Adding funds end to end: GraphQL addFunds → the sandbox processor → its signed webhooks (sent
// twice and out of order in tests) → the ledger. Every test card and bank outcome, fees,
// idempotency, a chargeback after the money was spent (recorded as a debt and repaid from the next
// top-up), a processor that times out (settled by reconciliation), and a crash while applying a
// webhook (rolled back, redelivered, applied once).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { expectLedgerConsistent } from '../helpers/ledger.js';
import { asOwner, startTestServer, STRONG_PASSWORD, uniqueEmail, type TestServer } from '../helpers/testServer.js';
import { verifyEmail } from '../helpers/people.js';
import { connectWs } from '../helpers/wsClient.js';
import { decodeId as decode } from '../helpers/globalIds.js';
import { SANDBOX_CARDS } from '../../src/services/gateways/sandbox/testValues.js';

const DepSignUp = graphql(`
  mutation DepSignUp($input: SignUpInput!) { signUp(input: $input) { user { id } tokens { accessToken } userErrors { code } } }
`);
const DepAddCard = graphql(`
  mutation DepAddCard($input: AddCardInput!) { addCard(input: $input) { paymentMethod { id } userErrors { code message } } }
`);
const DepAddBank = graphql(`
  mutation DepAddBank($input: AddBankAccountInput!) { addBankAccount(input: $input) { paymentMethod { id } userErrors { code message } } }
`);
const DepVerifyBank = graphql(`
  mutation DepVerifyBank($input: VerifyBankAccountInput!) { verifyBankAccount(input: $input) { paymentMethod { status } userErrors { code } } }
`);
const DepFundingFields = graphql(`
  fragment DepFundingFields on FundingOperation {
    id kind status failureCode failureMessage
    amount { amount currency } fee { amount currency }
    paymentMethod { id }
    transaction { id type status amount { amount } }
    reversalTransaction { id type status amount { amount } }
  }
`);
const DepAddFunds = graphql(`
  mutation DepAddFunds($input: AddFundsInput!) {
    addFunds(input: $input) { funding { ...DepFundingFields } replayed userErrors { field code message } }
  }
`);
const DepFunding = graphql(`query DepFunding($id: ID!) { node(id: $id) { ... on FundingOperation { ...DepFundingFields } } }`);
const DepList = graphql(`query DepList { fundingOperations(first: 50) { edges { node { id status } } } }`);
const DepBalance = graphql(`query DepBalance { me { wallets { id balance { posted { amount } available { amount } } } } }`);
const DepSend = graphql(`
  mutation DepSend($input: SendMoneyInput!) { sendMoney(input: $input) { transfer { id } userErrors { code } } }
`);
const DepOwed = graphql(`
  query DepOwed {
    me {
      wallets {
        amountOwed { amount currency }
        debts {
          amount { amount } outstanding { amount } reason
          advance { type direction amount { amount } }
          repayments { type direction amount { amount } note }
        }
      }
    }
  }
`);
const DepFundingUpdated = graphql(`subscription DepFundingUpdated { fundingUpdated { id status } }`);
const DepWalletUpdated = graphql(`
  subscription DepWalletUpdated($walletId: ID!) { walletUpdated(walletId: $walletId) { sequence balanceAfter { amount } transaction { type status } } }
`);
const DepTransactionUpdated = graphql(
  `subscription DepTransactionUpdated { transactionUpdated { type status direction amount { amount } } }`,
);
void DepFundingFields;

const CARDS = SANDBOX_CARDS;
const WAIT_MS = 15_000;
const nextYear = new Date().getUTCFullYear() + 1;

type Funding = {
  id: string;
  status: string;
  failureCode: string | null;
  fee: { amount: string };
  transaction: { id: string; type: string; status: string; amount: { amount: string } } | null;
  reversalTransaction: { id: string; type: string; amount: { amount: string } } | null;
};

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  if (t) await expectLedgerConsistent(t);
  await t?.stop();
});

async function account(server: TestServer, label: string) {
  const email = uniqueEmail(label);
  const res = await server.query(DepSignUp, { input: { email, password: STRONG_PASSWORD, displayName: label } });
  const token = res.signUp.tokens!.accessToken;
  // Adding a card needs a recent second factor: the email's code gives one.
  await verifyEmail(server, { email, token });
  return { token, email };
}

async function card(server: TestServer, token: string, number: string) {
  const res = await server.query(
    DepAddCard,
    { input: { number, expMonth: 12, expYear: nextYear, cvc: '123', holderName: 'Grace Hopper' } },
    { token },
  );
  expect(res.addCard.userErrors).toEqual([]);
  return res.addCard.paymentMethod!.id;
}

async function bank(server: TestServer, token: string, accountNumber: string, verify = true) {
  const res = await server.query(
    DepAddBank,
    { input: { country: 'US', routingNumber: '110000000', accountNumber, holderName: 'Grace Hopper' } },
    { token },
  );
  const id = res.addBankAccount.paymentMethod!.id;
  if (verify) await server.query(DepVerifyBank, { input: { id, amounts: ['0.32', '0.45'] } }, { token });
  return id;
}

async function addFunds(server: TestServer, token: string, paymentMethodId: string, amount: string, idempotencyKey = randomUUID()) {
  return (await server.query(DepAddFunds, { input: { paymentMethodId, amount: { amount, currency: 'USD' }, idempotencyKey } }, { token }))
    .addFunds;
}

async function funding(server: TestServer, token: string, id: string): Promise<Funding> {
  return (await server.query(DepFunding, { id }, { token })).node as Funding;
}

/** Polls until the deposit reaches `status` (webhooks are asynchronous). */
async function until(server: TestServer, token: string, id: string, status: string): Promise<Funding> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const f = await funding(server, token, id);
    if (f.status === status) return f;
    if (Date.now() > deadline) throw new Error(`deposit stayed ${f.status}, expected ${status}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function balance(server: TestServer, token: string) {
  const w = (await server.query(DepBalance, {}, { token })).me.wallets[0]!;
  return { posted: w.balance.posted.amount, available: w.balance.available.amount };
}

async function webhookOutcomes(server: TestServer, fundingGlobalId: string) {
  const id = decode(fundingGlobalId);
  return server.server.db.prisma.$queryRaw<{ type: string; outcome: string }[]>`
    SELECT type, outcome FROM webhook_events WHERE funding_operation_id = ${id}::uuid ORDER BY received_at`;
}

describe('card top-ups', () => {
  it('posts a successful charge once, however often and in whatever order its events arrive', async () => {
    const { token } = await account(t, 'dep-ok');
    const ws = connectWs(t.wsUrl, `Bearer ${token}`);
    await ws.connected;
    const walletId = (await t.query(DepBalance, {}, { token })).me.wallets[0]!.id;
    const updates = ws.subscribe(DepFundingUpdated, {});
    const walletEvents = ws.subscribe(DepWalletUpdated, { walletId });
    const transactionEvents = ws.subscribe(DepTransactionUpdated, {});
    await new Promise((r) => setTimeout(r, 100));
    try {
      const pm = await card(t, token, CARDS.success);
      const added = await addFunds(t, token, pm, '25.00');
      expect(added.userErrors).toEqual([]);
      expect(added.funding).toMatchObject({ kind: 'DEPOSIT', amount: { amount: '25.00', currency: 'USD' }, fee: { amount: '0.00' } });
      // PENDING when answered, unless the sandbox's webhook (30 ms) was quicker than the answer.
      expect(['PENDING', 'SUCCEEDED']).toContain(added.funding!.status);
      const done = await until(t, token, added.funding!.id, 'SUCCEEDED');
      expect(done.transaction).toMatchObject({ type: 'DEPOSIT', status: 'POSTED', amount: { amount: '25.00' } });
      expect(await balance(t, token)).toEqual({ posted: '25.00', available: '25.00' });
      await updates.next((d) => d.fundingUpdated.status === 'SUCCEEDED', WAIT_MS);
      // Two changes, two events; each shows the deposit as it is when delivered (read fresh), so the
      // first may already show SUCCEEDED.
      for (let i = 0; i < 200 && updates.results.length < 2; i++) await new Promise((r) => setTimeout(r, 25));
      const statuses = updates.results.map((r) => r.data?.fundingUpdated.status);
      expect(statuses).toHaveLength(2);
      expect(statuses[1]).toBe('SUCCEEDED');
      expect(['PENDING', 'SUCCEEDED']).toContain(statuses[0]);
      // The posting reaches the ledger's own subscriptions like any other transaction.
      expect(await walletEvents.next(undefined, WAIT_MS)).toEqual({
        walletUpdated: { sequence: '1', balanceAfter: { amount: '25.00' }, transaction: { type: 'DEPOSIT', status: 'POSTED' } },
      });
      expect(await transactionEvents.next(undefined, WAIT_MS)).toEqual({
        transactionUpdated: { type: 'DEPOSIT', status: 'POSTED', direction: 'IN', amount: { amount: '25.00' } },
      });
      // The sandbox sent the event twice: one applied, the copy found already there.
      await new Promise((r) => setTimeout(r, 150));
      expect(await webhookOutcomes(t, added.funding!.id)).toEqual([{ type: 'charge.succeeded', outcome: 'APPLIED' }]);
      expect((await t.query(DepList, {}, { token })).fundingOperations.edges.map((e) => e.node.status)).toEqual(['SUCCEEDED']);
    } finally {
      await ws.dispose();
    }
  });

  it.each([
    [CARDS.declined, 'card_declined'],
    [CARDS.insufficientFunds, 'insufficient_funds'],
  ])('fails card %s with %s and moves nothing', async (number, code) => {
    const { token } = await account(t, 'dep-fail');
    const added = await addFunds(t, token, await card(t, token, number), '40.00');
    const failed = await until(t, token, added.funding!.id, 'FAILED');
    expect(failed).toMatchObject({ failureCode: code, transaction: null });
    expect(await balance(t, token)).toEqual({ posted: '0.00', available: '0.00' });
  });

  it('stays pending while the processor says so, then posts (a late "pending" changes nothing)', async () => {
    const { token } = await account(t, 'dep-delayed');
    const added = await addFunds(t, token, await card(t, token, CARDS.delayed), '12.34');
    const done = await until(t, token, added.funding!.id, 'SUCCEEDED');
    expect(done.transaction).toMatchObject({ amount: { amount: '12.34' } });
    await new Promise((r) => setTimeout(r, 500));
    expect((await funding(t, token, added.funding!.id)).status).toBe('SUCCEEDED');
    expect(await balance(t, token)).toEqual({ posted: '12.34', available: '12.34' });
  });

  it('reverses a disputed charge with a linked transaction, never by editing the deposit', async () => {
    const { token } = await account(t, 'dep-dispute');
    const added = await addFunds(t, token, await card(t, token, CARDS.disputed), '30.00');
    const reversed = await until(t, token, added.funding!.id, 'REVERSED');
    expect(reversed.transaction).toMatchObject({ type: 'DEPOSIT', status: 'REVERSED', amount: { amount: '30.00' } });
    expect(reversed.reversalTransaction).toMatchObject({ type: 'REVERSAL', amount: { amount: '30.00' } });
    expect(await balance(t, token)).toEqual({ posted: '0.00', available: '0.00' });
    const [link] = await t.server.db.prisma.$queryRaw<{ reverses: string }[]>`
      SELECT reverses_id::text AS reverses FROM ledger_transactions WHERE id = ${decode(reversed.reversalTransaction!.id)}::uuid`;
    expect(link!.reverses).toBe(decode(reversed.transaction!.id));
  });

  it('answers a retry with the same key with the same deposit, and charges once', async () => {
    const { token } = await account(t, 'dep-idem');
    const pm = await card(t, token, CARDS.success);
    const key = randomUUID();
    const all = await Promise.all([1, 2, 3, 4, 5].map(() => addFunds(t, token, pm, '5.00', key)));
    const ids = new Set(all.map((a) => a.funding!.id));
    expect(ids.size).toBe(1);
    expect(all.filter((a) => !a.replayed)).toHaveLength(1);
    await until(t, token, [...ids][0]!, 'SUCCEEDED');
    expect(await balance(t, token)).toEqual({ posted: '5.00', available: '5.00' });
    const reused = await addFunds(t, token, pm, '6.00', key);
    expect(reused.userErrors[0]).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: ['input', 'idempotencyKey'] });
  });

  it('refuses bad requests with a typed error and creates nothing', async () => {
    const { token } = await account(t, 'dep-bad');
    const other = await account(t, 'dep-other');
    const pm = await card(t, token, CARDS.success);
    const othersCard = await card(t, other.token, CARDS.success);
    const unverified = await bank(t, token, '123456789', false);
    const cases: [string, string, string, string[]][] = [
      [pm, '0.00', 'INVALID_AMOUNT', ['input', 'amount', 'amount']],
      [pm, '1.234', 'INVALID_AMOUNT', ['input', 'amount', 'amount']],
      [othersCard, '1.00', 'NOT_FOUND', ['input', 'paymentMethodId']],
      [unverified, '1.00', 'PAYMENT_METHOD_UNUSABLE', ['input', 'paymentMethodId']],
    ];
    for (const [method, amount, code, field] of cases) {
      const res = await addFunds(t, token, method, amount);
      expect(res.funding).toBeNull();
      expect(res.userErrors[0]).toMatchObject({ code, field });
    }
    const eur = (
      await t.query(
        DepAddFunds,
        { input: { paymentMethodId: pm, amount: { amount: '1.00', currency: 'EUR' }, idempotencyKey: randomUUID() } },
        { token },
      )
    ).addFunds;
    expect(eur.userErrors[0]).toMatchObject({ code: 'NO_WALLET_IN_CURRENCY' });
    expect((await t.query(DepList, {}, { token })).fundingOperations.edges).toEqual([]);
  });

  it('leaves a timed-out charge pending, and reconciliation settles it from the processor', async () => {
    const { token } = await account(t, 'dep-timeout');
    const added = await addFunds(t, token, await card(t, token, CARDS.timeout), '9.99');
    expect(added.funding).toMatchObject({ status: 'PENDING' });
    await new Promise((r) => setTimeout(r, 300));
    expect((await funding(t, token, added.funding!.id)).status).toBe('PENDING');
    const report = await t.server.services.funding.reconcile({ olderThanSeconds: 0 });
    expect(report.resolved).toContainEqual({ id: decode(added.funding!.id), state: 'succeeded' });
    expect((await funding(t, token, added.funding!.id)).status).toBe('SUCCEEDED');
    expect(await balance(t, token)).toEqual({ posted: '9.99', available: '9.99' });
    // Running it again changes nothing.
    const again = await t.server.services.funding.reconcile({ olderThanSeconds: 0 });
    expect(again.resolved.map((r) => r.id)).not.toContain(decode(added.funding!.id));
    expect(await balance(t, token)).toEqual({ posted: '9.99', available: '9.99' });
  });
});

describe('bank top-ups', () => {
  it('debits a verified account and posts when it settles', async () => {
    const { token } = await account(t, 'dep-bank');
    const added = await addFunds(t, token, await bank(t, token, '000123456789'), '100.00');
    expect(['PENDING', 'SUCCEEDED']).toContain(added.funding!.status);
    const done = await until(t, token, added.funding!.id, 'SUCCEEDED');
    expect(done.transaction).toMatchObject({ type: 'DEPOSIT', amount: { amount: '100.00' } });
    expect(await balance(t, token)).toEqual({ posted: '100.00', available: '100.00' });
  });

  it('fails an R01 debit and reverses an R03 return after it posted', async () => {
    const { token } = await account(t, 'dep-bank-fail');
    const r01 = await addFunds(t, token, await bank(t, token, '000111111116'), '50.00');
    expect(await until(t, token, r01.funding!.id, 'FAILED')).toMatchObject({ failureCode: 'R01', transaction: null });
    const r03 = await addFunds(t, token, await bank(t, token, '000111111113'), '60.00');
    const returned = await until(t, token, r03.funding!.id, 'REVERSED');
    expect(returned).toMatchObject({ failureCode: 'R03', reversalTransaction: { type: 'REVERSAL' } });
    expect(await balance(t, token)).toEqual({ posted: '0.00', available: '0.00' });
  });
});

describe('in order, with fees', () => {
  let s: TestServer;
  beforeAll(async () => {
    // Events in order this time, the chargeback a while after the money arrived, and a fee.
    s = await startTestServer({ SANDBOX_WEBHOOK_CHAOS: 'false', SANDBOX_DISPUTE_DELAY_MS: '1500', CARD_DEPOSIT_FEE: '290+30' });
  });
  afterAll(async () => {
    if (s) await expectLedgerConsistent(s);
    await s?.stop();
  });

  it('charges the configured fee as its own transaction to the fees wallet', async () => {
    const { token } = await account(s, 'dep-fee');
    const added = await addFunds(s, token, await card(s, token, CARDS.success), '10.00');
    // 2.90 % of 10.00 is 0.29, plus 0.30.
    expect(added.funding!.fee).toEqual({ amount: '0.59', currency: 'USD' });
    await until(s, token, added.funding!.id, 'SUCCEEDED');
    expect(await balance(s, token)).toEqual({ posted: '9.41', available: '9.41' });
    const [fees] = await s.server.db.prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM ledger_transactions WHERE type = 'FEE' AND metadata->>'fundingId' = ${decode(added.funding!.id)}`;
    expect(Number(fees!.n)).toBe(1);
    // A top-up no larger than its fee is refused.
    expect((await addFunds(s, token, await card(s, token, CARDS.delayed), '0.30')).userErrors[0]).toMatchObject({ code: 'INVALID_AMOUNT' });
  });

  it('records what a chargeback could not take back as a debt, repaid from the next top-up', async () => {
    const alice = await account(s, 'dep-chargeback');
    const bob = await account(s, 'dep-friend');
    const added = await addFunds(s, alice.token, await card(s, alice.token, CARDS.disputed), '50.00');
    await until(s, alice.token, added.funding!.id, 'SUCCEEDED');
    // 48.55 arrived (50.00 less the 1.45 + 0.30 fee); Alice spends 40.00 of it before the dispute.
    expect(await balance(s, alice.token)).toEqual({ posted: '48.25', available: '48.25' });
    const sent = await s.query(
      DepSend,
      { input: { recipient: { email: bob.email }, amount: { amount: '40.00', currency: 'USD' }, idempotencyKey: randomUUID() } },
      { token: alice.token },
    );
    expect(sent.sendMoney.userErrors).toEqual([]);
    const reversed = await until(s, alice.token, added.funding!.id, 'REVERSED');
    expect(reversed.reversalTransaction).toMatchObject({ amount: { amount: '50.00' } });
    // The wallet never goes below zero; the 41.75 it could not cover is owed.
    expect(await balance(s, alice.token)).toEqual({ posted: '0.00', available: '0.00' });
    const debts = await s.server.db.prisma.userDebt.findMany({ where: { fundingOperationId: decode(added.funding!.id) } });
    expect(debts.map((d) => [d.amount, d.outstanding])).toEqual([[4175n, 4175n]]);
    const [recovery] = await s.server.db.prisma.$queryRaw<{ balance: bigint }[]>`
      SELECT posted_balance AS balance FROM wallets WHERE system_code = 'RECOVERY' AND currency = 'USD'`;
    expect(recovery!.balance).toBeLessThanOrEqual(-4175n);
    // The user sees it on the wallet: what is owed, and the advance that covered it.
    const owed = async (token: string) => (await s.query(DepOwed, {}, { token })).me.wallets[0]!;
    expect(await owed(alice.token)).toEqual({
      amountOwed: { amount: '41.75', currency: 'USD' },
      debts: [
        {
          amount: { amount: '41.75' },
          outstanding: { amount: '41.75' },
          reason: expect.any(String),
          advance: { type: 'ADJUSTMENT', direction: 'IN', amount: { amount: '41.75' } },
          repayments: [],
        },
      ],
    });
    expect((await owed(bob.token)).amountOwed.amount).toBe('0.00');

    // The next top-up repays the debt first: 30.00 less 1.17 fee = 28.83, all of it repaid.
    const next = await addFunds(s, alice.token, await card(s, alice.token, CARDS.success), '30.00');
    await until(s, alice.token, next.funding!.id, 'SUCCEEDED');
    expect(await balance(s, alice.token)).toEqual({ posted: '0.00', available: '0.00' });
    const after = await s.server.db.prisma.userDebt.findFirstOrThrow({ where: { id: debts[0]!.id } });
    expect(after.outstanding).toBe(4175n - 2883n);
    expect(await owed(alice.token)).toMatchObject({
      amountOwed: { amount: '12.92' },
      debts: [
        {
          outstanding: { amount: '12.92' },
          repayments: [{ type: 'ADJUSTMENT', direction: 'OUT', amount: { amount: '28.83' }, note: 'Repayment of an amount owed' }],
        },
      ],
    });
  });

  it('applies a webhook exactly once when applying it failed the first time (rolled back, redelivered)', async () => {
    const { token } = await account(s, 'dep-crash');
    const pm = await card(s, token, CARDS.success);
    // The first attempt to mark any deposit SUCCEEDED fails inside the database transaction, as a
    // crash between receiving and applying would: nothing of it stays, the sandbox gets a 500 and
    // delivers again. (A sequence counts the attempts: it does not roll back.)
    await asOwner(s, 'CREATE SEQUENCE crash_attempts');
    await asOwner(
      s,
      `
      CREATE FUNCTION crash_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status = 'SUCCEEDED' AND nextval('crash_attempts') = 1 THEN
          RAISE EXCEPTION 'simulated crash while applying a webhook';
        END IF;
        RETURN NEW;
      END $$`,
    );
    await asOwner(s, 'CREATE TRIGGER crash_once BEFORE UPDATE ON funding_operations FOR EACH ROW EXECUTE FUNCTION crash_once()');
    try {
      const added = await addFunds(s, token, pm, '7.00');
      await until(s, token, added.funding!.id, 'SUCCEEDED');
      // 7.00 less its fee (0.20 + 0.30).
      expect(await balance(s, token)).toEqual({ posted: '6.50', available: '6.50' });
      const [attempts] = await s.server.db.prisma.$queryRaw<{ n: bigint }[]>`SELECT last_value AS n FROM crash_attempts`;
      expect(Number(attempts!.n)).toBe(2);
      const [posted] = await s.server.db.prisma.$queryRaw<{ n: bigint }[]>`
        SELECT count(*) AS n FROM ledger_transactions WHERE type = 'DEPOSIT' AND metadata->>'fundingId' = ${decode(added.funding!.id)}`;
      expect(Number(posted!.n)).toBe(1);
      expect(await webhookOutcomes(s, added.funding!.id)).toEqual([{ type: 'charge.succeeded', outcome: 'APPLIED' }]);
    } finally {
      await asOwner(s, 'DROP TRIGGER crash_once ON funding_operations');
      await asOwner(s, 'DROP FUNCTION crash_once()');
      await asOwner(s, 'DROP SEQUENCE crash_attempts');
    }
  });
});
