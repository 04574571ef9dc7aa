// The AML monitor over real activity through the API: each pattern (fan-in, fan-out, structuring,
// rapid in-and-out) opens exactly one case with the transactions involved, however often the
// monitor runs; activity just below a threshold opens none; a case an admin decided is not
// reopened for the same activity; the scheduled job runs it without being asked.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { credit, signInAdmin, signUpUser } from '../helpers/people.js';
import { startTestServer, type TestServer } from '../helpers/testServer.js';
import { decodeId as decode } from '../helpers/globalIds.js';

const ADMIN = { email: 'aml.monitor@example.com', password: 'Aml-Monitor-2026!' };
/** Low thresholds so a test can cross them: 4 counterparties, deposits of 80–100 under a threshold of 100. */
const THRESHOLDS = {
  AML_FAN_COUNT: '4',
  AML_REPORTING_THRESHOLD: '100',
  AML_STRUCTURING_COUNT: '3',
  AML_RAPID_MIN: '50',
};

const AmSend = graphql(`
  mutation AmSend($input: SendMoneyInput!) { sendMoney(input: $input) { transfer { id } userErrors { code } } }
`);
const AmCases = graphql(`
  query AmCases { amlCases(first: 100) { edges { node { id kind status user { id } transactions { id type } } } } }
`);
const AmDecide = graphql(`
  mutation AmDecide($input: DecideAmlCaseInput!) { decideAmlCase(input: $input) { userErrors { code } } }
`);
const AmAddCard = graphql(`
  mutation AmAddCard($input: AddCardInput!) { addCard(input: $input) { paymentMethod { id } } }
`);
const AmAddBank = graphql(`
  mutation AmAddBank($input: AddBankAccountInput!) { addBankAccount(input: $input) { paymentMethod { id } } }
`);
const AmVerify = graphql(`
  mutation AmVerify($input: VerifyBankAccountInput!) { verifyBankAccount(input: $input) { paymentMethod { status } } }
`);
const AmAddFunds = graphql(`
  mutation AmAddFunds($input: AddFundsInput!) { addFunds(input: $input) { funding { id } userErrors { code } } }
`);
const AmWithdraw = graphql(`
  mutation AmWithdraw($input: WithdrawInput!) { withdraw(input: $input) { funding { id } userErrors { code } } }
`);
const AmFunding = graphql(`query AmFunding($id: ID!) { node(id: $id) { ... on FundingOperation { status } } }`);

let t: TestServer;
let admin: string;
beforeAll(async () => {
  t = await startTestServer({ ...THRESHOLDS, BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password });
  admin = await signInAdmin(t, ADMIN);
});
afterAll(async () => t?.stop());

const usd = (amount: string) => ({ amount, currency: 'USD' });

/** `steppedUp`: may add payment methods and withdraw (the email verified, which steps the session up). */
async function person(balance = '0', steppedUp = false) {
  const user = await signUpUser(t, { label: 'am', displayName: 'Am Person', steppedUp });
  if (balance !== '0') await credit(t, admin, user.walletId, balance);
  return user;
}
const send = async (from: { token: string }, to: { email: string }, amount = '1.00') =>
  (
    await t.query(
      AmSend,
      { input: { recipient: { email: to.email }, amount: usd(amount), idempotencyKey: randomUUID() } },
      { token: from.token },
    )
  ).sendMoney.transfer!.id;
const casesOf = async (userId: string) =>
  (await t.query(AmCases, {}, { token: admin })).amlCases.edges.map((e) => e.node).filter((c) => decode(c.user.id, 'User') === userId);
async function settled(token: string, id: string) {
  for (let i = 0; i < 400; i++) {
    if (((await t.query(AmFunding, { id }, { token })).node as { status: string }).status === 'SUCCEEDED') return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('funding did not settle');
}

describe('AML monitor', () => {
  it('opens one FAN_IN case for many senders to one wallet, with their transactions, however often it runs', async () => {
    const hub = await person();
    const senders = await Promise.all([1, 2, 3, 4].map(() => person('10')));
    const ids = await Promise.all(senders.map((s) => send(s, hub)));
    await t.server.services.amlMonitor.run();
    await t.server.services.amlMonitor.run();
    const cases = await casesOf(hub.userId);
    expect(cases.map((c) => [c.kind, c.status])).toEqual([['FAN_IN', 'OPEN']]);
    // The transactions themselves, with the ids the senders' sendMoney answered.
    expect(cases[0]!.transactions.map((tx) => tx.id).sort()).toEqual([...ids].sort());
    expect(cases[0]!.transactions.every((tx) => tx.type === 'P2P_TRANSFER')).toBe(true);
    // A fifth sender joins the same open case.
    const fifth = await send(await person('10'), hub);
    await t.server.services.amlMonitor.run();
    const after = await casesOf(hub.userId);
    expect(after).toHaveLength(1);
    expect(after[0]!.transactions.map((tx) => tx.id)).toContain(fifth);
    // Decided: the same activity does not reopen it.
    await t.query(
      AmDecide,
      { input: { caseId: after[0]!.id, decision: 'CLEAR', reason: 'A group collecting for a gift.' } },
      { token: admin },
    );
    await t.server.services.amlMonitor.run();
    expect((await casesOf(hub.userId)).map((c) => c.status)).toEqual(['CLEARED']);
  });

  it('opens one FAN_OUT case for one wallet paying many, and none below the count', async () => {
    const payer = await person('50');
    const quiet = await person('50');
    const recipients = await Promise.all([1, 2, 3, 4].map(() => person()));
    for (const r of recipients) await send(payer, r);
    for (const r of recipients.slice(0, 3)) await send(quiet, r);
    await t.server.services.amlMonitor.run();
    expect((await casesOf(payer.userId)).map((c) => c.kind)).toEqual(['FAN_OUT']);
    expect(await casesOf(quiet.userId)).toEqual([]);
  });

  it('opens a STRUCTURING case for deposits just under the reporting threshold, and RAPID_IN_OUT when they go straight out', async () => {
    const u = await person('0', true);
    const card = (
      await t.query(
        AmAddCard,
        { input: { number: '4242424242424242', expMonth: 12, expYear: new Date().getUTCFullYear() + 1, cvc: '123', holderName: 'Am' } },
        { token: u.token },
      )
    ).addCard.paymentMethod!.id;
    for (const amount of ['95.00', '90.00', '99.00']) {
      const id = (
        await t.query(
          AmAddFunds,
          { input: { paymentMethodId: card, amount: usd(amount), idempotencyKey: randomUUID() } },
          { token: u.token },
        )
      ).addFunds.funding!.id;
      await settled(u.token, id);
    }
    await t.server.services.amlMonitor.run();
    expect((await casesOf(u.userId)).map((c) => c.kind)).toEqual(['STRUCTURING']);
    expect((await casesOf(u.userId))[0]!.transactions).toHaveLength(3);

    const bank = (
      await t.query(
        AmAddBank,
        { input: { country: 'US', routingNumber: '110000000', accountNumber: '000123456789', holderName: 'Am Person' } },
        { token: u.token },
      )
    ).addBankAccount.paymentMethod!.id;
    await t.query(AmVerify, { input: { id: bank, amounts: ['0.32', '0.45'] } }, { token: u.token });
    expect(
      (
        await t.query(
          AmWithdraw,
          { input: { bankAccountId: bank, amount: usd('250.00'), idempotencyKey: randomUUID() } },
          { token: u.token },
        )
      ).withdraw.userErrors,
    ).toEqual([]);
    await t.server.services.amlMonitor.run();
    await t.server.services.amlMonitor.run();
    expect((await casesOf(u.userId)).map((c) => c.kind).sort()).toEqual(['RAPID_IN_OUT', 'STRUCTURING']);
  });
});

describe('the scheduled AML job', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({
      ...THRESHOLDS,
      AML_SCHEDULE: '* * * * * *',
      BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
      BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
    });
  });
  afterAll(async () => s?.stop());

  it('finds a pattern without being asked', async () => {
    const hub = await signUpUser(s, { label: 'hub', displayName: 'Hub' });
    const adminToken = await signInAdmin(s, ADMIN);
    for (let i = 0; i < 4; i++) {
      const sender = await signUpUser(s, { label: 'snd', displayName: 'Snd' });
      await credit(s, adminToken, sender.walletId, '5');
      await s.query(
        AmSend,
        { input: { recipient: { email: hub.email }, amount: usd('1.00'), idempotencyKey: randomUUID() } },
        { token: sender.token },
      );
    }
    for (let i = 0; i < 200; i++) {
      const found = await s.server.db.prisma.amlCase.findFirst({ where: { userId: hub.userId, kind: 'FAN_IN' } });
      if (found) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the scheduled AML job opened no case within 10 s');
  });
});
