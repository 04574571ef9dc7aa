// The notifications the operations write (services/notifications/inbox.ts writeNotices), end to
// end over HTTP: each is written in the same transaction as what it reports, to the right user
// and no one else, with the right facts and words; an operation that was refused or rolled back
// writes none; and no notification carries a full card or account number (a payment method is
// named by its last four digits). MONEY_RECEIVED, SEND_HELD_FOR_REVIEW and LIMIT_NEARLY_REACHED
// are the posting function's (prisma/functions) and are not tested here.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_BANK_ACCOUNTS, SANDBOX_CARDS, SANDBOX_KYC } from '../../src/services/gateways/sandbox/testValues.js';
import { type NoticeData, type NotificationKind, wordsOf } from '../../src/services/notifications/notices.js';
import { accountNumberIn } from '../../src/services/notifications/templates.js';
import { graphql } from '../gql/index.js';
import { decodeId } from '../helpers/globalIds.js';
import { expectLedgerConsistent } from '../helpers/ledger.js';
import { addVerifiedPhone, credit, sandboxMessages, signInAdmin, signUpUser, type TestUser, uniquePhone } from '../helpers/people.js';
import { asOwner, STRONG_PASSWORD, startTestServer, type TestServer } from '../helpers/testServer.js';
import { usingPostgres } from '../helpers/testDatabase.js';

const WAIT_MS = usingPostgres ? 15_000 : 40_000;
const ADMIN = { email: 'notices.admin@example.com', password: 'Notice-Reviewer-2026!' };
const nextYear = new Date().getUTCFullYear() + 1;

const NeList = graphql(`query NeList { notifications(first: 100) { edges { node { id kind title body } } } }`);
const NeAddCard = graphql(`
  mutation NeAddCard($input: AddCardInput!) { addCard(input: $input) { paymentMethod { id } userErrors { code message } } }
`);
const NeAddBank = graphql(`
  mutation NeAddBank($input: AddBankAccountInput!) { addBankAccount(input: $input) { paymentMethod { id } userErrors { code message } } }
`);
const NeVerifyBank = graphql(`
  mutation NeVerifyBank($input: VerifyBankAccountInput!) { verifyBankAccount(input: $input) { userErrors { code } } }
`);
const NeAddFunds = graphql(`
  mutation NeAddFunds($input: AddFundsInput!) { addFunds(input: $input) { funding { id status } userErrors { code message } } }
`);
const NeWithdraw = graphql(`
  mutation NeWithdraw($input: WithdrawInput!) { withdraw(input: $input) { funding { id status } userErrors { code message } } }
`);
const NeFunding = graphql(`query NeFunding($id: ID!) { node(id: $id) { ... on FundingOperation { id status } } }`);
const NeSend = graphql(`
  mutation NeSend($input: SendMoneyInput!) { sendMoney(input: $input) { transfer { id status } userErrors { code message } } }
`);
const NeQueue = graphql(`
  query NeQueue { riskReviewQueue(first: 50, status: PENDING) { edges { node { id transaction { id } } } } }
`);
const NeDecideReview = graphql(`
  mutation NeDecideReview($input: DecideRiskReviewInput!) {
    decideRiskReview(input: $input) { review { id status } userErrors { field code message } }
  }
`);
const NeSubmitKyc = graphql(`
  mutation NeSubmitKyc($input: SubmitKycInput!) { submitKyc(input: $input) { kycCase { id status } userErrors { field code message } } }
`);
const NeKycStatus = graphql(`query NeKycStatus { kycStatus { tier latestCase { id status } } }`);
const NeDecideKyc = graphql(`
  mutation NeDecideKyc($input: DecideKycInput!) { decideKyc(input: $input) { kycCase { id status } userErrors { field code message } } }
`);
const NeRegister = graphql(`
  mutation NeRegister($input: RegisterMerchantInput!) { registerMerchant(input: $input) { merchant { id } userErrors { code message } } }
`);
const NeAddMember = graphql(`
  mutation NeAddMember($input: AddMerchantMemberInput!) { addMerchantMember(input: $input) { userErrors { code message } } }
`);
const NeCreateRequest = graphql(`
  mutation NeCreateRequest($input: CreatePaymentRequestInput!) {
    createPaymentRequest(input: $input) { paymentRequest { code } userErrors { field code message } }
  }
`);
const NePay = graphql(`
  mutation NePay($input: PayPaymentRequestInput!) { payPaymentRequest(input: $input) { payment { id } userErrors { code message } } }
`);
const NeDelete = graphql(`
  mutation NeDelete($input: DeleteMyAccountInput!) { deleteMyAccount(input: $input) { erasedAt userErrors { code } } }
`);
const NeSignIn = graphql(`
  mutation NeSignIn($input: SignInInput!) { signIn(input: $input) { tokens { accessToken } userErrors { code } } }
`);

let t: TestServer;
let admin: string;
beforeAll(async () => {
  t = await startTestServer({
    BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
    BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
    // Sends of 100.00 or more from an unidentified device are held for review.
    RISK_RULES: 'true',
    RISK_LARGE_AMOUNT: '100',
    STEP_UP_NEW_RECIPIENT_AMOUNT: '100000',
  });
  admin = await signInAdmin(t, ADMIN);
});
afterAll(async () => {
  if (t) await expectLedgerConsistent(t);
  await t?.stop();
});

interface Stored {
  kind: string;
  data: Record<string, string | null>;
}

/** The user's notifications as stored, oldest first. */
const stored = (userId: string) =>
  t.server.db.prisma.$queryRaw<Stored[]>`
    SELECT kind::text AS kind, data FROM notifications WHERE user_id = ${userId}::uuid ORDER BY created_at, id`;

const ofKind = async (userId: string, kind: string) => (await stored(userId)).filter((n) => n.kind === kind);

/** Waits for the user's first notification of `kind`, then a moment for any copy (webhooks arrive twice), and answers all of them. */
async function waitFor(userId: string, kind: string): Promise<Stored[]> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await ofKind(userId, kind)).length) {
    if (Date.now() > deadline) throw new Error(`no ${kind} notification for ${userId}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  await new Promise((r) => setTimeout(r, 400));
  return ofKind(userId, kind);
}

/** The user's notifications as the API shows them, newest first. */
const listed = async (user: TestUser) => (await t.query(NeList, {}, { token: user.token })).notifications.edges.map((e) => e.node);

async function shown(user: TestUser, kind: string) {
  const found = (await listed(user)).filter((n) => n.kind === kind);
  expect(found).toHaveLength(1);
  return { title: found[0]!.title, body: found[0]!.body };
}

async function untilStatus(user: TestUser, id: string, status: string) {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const node = (await t.query(NeFunding, { id }, { token: user.token })).node as { status: string };
    if (node.status === status) return;
    if (Date.now() > deadline) throw new Error(`stayed ${node.status}, expected ${status}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function addCard(user: TestUser, number: string) {
  const res = await t.query(
    NeAddCard,
    { input: { number, expMonth: 12, expYear: nextYear, cvc: '123', holderName: 'Grace Hopper' } },
    { token: user.token },
  );
  expect(res.addCard.userErrors).toEqual([]);
  return res.addCard.paymentMethod!.id;
}

async function addBank(user: TestUser, accountNumber: string, verify = true) {
  const res = await t.query(
    NeAddBank,
    { input: { country: 'US', routingNumber: '110000000', accountNumber, holderName: 'Grace Hopper' } },
    { token: user.token },
  );
  expect(res.addBankAccount.userErrors).toEqual([]);
  const id = res.addBankAccount.paymentMethod!.id;
  if (verify) await t.query(NeVerifyBank, { input: { id, amounts: ['0.32', '0.45'] } }, { token: user.token });
  return id;
}

async function topUp(user: TestUser, paymentMethodId: string, amount: string) {
  const res = await t.query(
    NeAddFunds,
    { input: { paymentMethodId, amount: { amount, currency: 'USD' }, idempotencyKey: randomUUID() } },
    { token: user.token },
  );
  expect(res.addFunds.userErrors).toEqual([]);
  return res.addFunds.funding!.id;
}

const usd = (amount: string) => ({ amount, currency: 'USD' });

describe('funding', () => {
  it('a card top-up that succeeds: TOP_UP_SUCCEEDED once, naming the card by its last four digits', async () => {
    const [user, other] = [await signUpUser(t, { label: 'ne-topup', steppedUp: true }), await signUpUser(t, { label: 'ne-other' })];
    const funding = await topUp(user, await addCard(user, SANDBOX_CARDS.success), '25.00');
    await untilStatus(user, funding, 'SUCCEEDED');
    const [notice, ...more] = await waitFor(user.userId, 'TOP_UP_SUCCEEDED');
    expect(more).toEqual([]);
    expect(notice!.data).toMatchObject({
      fundingId: decodeId(funding),
      walletId: decodeId(user.walletId),
      amount: '2500',
      currency: 'USD',
      method: 'Visa ending 4242',
    });
    expect(await shown(user, 'TOP_UP_SUCCEEDED')).toEqual({ title: '25.00 USD added to your wallet', body: 'From Visa ending 4242.' });
    expect(await stored(other.userId)).toEqual([]);
  });

  it('a declined card: TOP_UP_FAILED once, with the reason; nothing succeeded', async () => {
    const user = await signUpUser(t, { label: 'ne-declined', steppedUp: true });
    const funding = await topUp(user, await addCard(user, SANDBOX_CARDS.declined), '10.00');
    await untilStatus(user, funding, 'FAILED');
    const [notice, ...more] = await waitFor(user.userId, 'TOP_UP_FAILED');
    expect(more).toEqual([]);
    expect(notice!.data).toMatchObject({ amount: '1000', method: 'Visa ending 0002', reason: 'The card was declined.' });
    expect(await shown(user, 'TOP_UP_FAILED')).toEqual({
      title: 'Adding 10.00 USD failed',
      body: 'Visa ending 0002 was not charged (The card was declined.).',
    });
    expect(await ofKind(user.userId, 'TOP_UP_SUCCEEDED')).toEqual([]);
  });

  it('a disputed top-up: CHARGEBACK once', async () => {
    const user = await signUpUser(t, { label: 'ne-dispute', steppedUp: true });
    const funding = await topUp(user, await addCard(user, SANDBOX_CARDS.disputed), '30.00');
    await untilStatus(user, funding, 'REVERSED');
    const [notice, ...more] = await waitFor(user.userId, 'CHARGEBACK');
    expect(more).toEqual([]);
    expect(notice!.data).toMatchObject({ fundingId: decodeId(funding), amount: '3000', method: 'Visa ending 0259' });
    expect((await shown(user, 'CHARGEBACK')).title).toBe('A top-up of 30.00 USD was disputed');
    // The top-up succeeded first unless the dispute's event came before its success (out of order).
    expect((await ofKind(user.userId, 'TOP_UP_SUCCEEDED')).length).toBeLessThanOrEqual(1);
  });

  it('withdrawals: WITHDRAWAL_SETTLED when paid out, WITHDRAWAL_RETURNED when the bank sends it back', async () => {
    const user = await signUpUser(t, { label: 'ne-withdraw', steppedUp: true });
    await credit(t, admin, user.walletId, '100.00');
    const withdraw = async (bankAccountId: string, amount: string) => {
      const res = await t.query(
        NeWithdraw,
        { input: { bankAccountId, amount: usd(amount), idempotencyKey: randomUUID() } },
        { token: user.token },
      );
      expect(res.withdraw.userErrors).toEqual([]);
      return res.withdraw.funding!.id;
    };
    const paid = await withdraw(await addBank(user, '000123456789'), '30.00');
    await untilStatus(user, paid, 'SUCCEEDED');
    const [settled] = await waitFor(user.userId, 'WITHDRAWAL_SETTLED');
    expect(settled!.data).toMatchObject({ fundingId: decodeId(paid), amount: '3000', method: 'bank account ending 6789' });
    expect(await shown(user, 'WITHDRAWAL_SETTLED')).toEqual({
      title: 'Your withdrawal of 30.00 USD arrived',
      body: 'It was paid to bank account ending 6789.',
    });

    const back = await withdraw(await addBank(user, SANDBOX_BANK_ACCOUNTS.returned), '20.00');
    await untilStatus(user, back, 'REVERSED');
    const [returned, ...more] = await waitFor(user.userId, 'WITHDRAWAL_RETURNED');
    expect(more).toEqual([]);
    expect(returned!.data).toMatchObject({
      fundingId: decodeId(back),
      amount: '2000',
      method: 'bank account ending 1113',
      reason: 'No account or unable to locate account.',
    });
    // The first withdrawal's, and the returned one's if its success came first.
    expect((await ofKind(user.userId, 'WITHDRAWAL_SETTLED')).length).toBeLessThanOrEqual(2);
  });

  it('a refused top-up (an unverified bank account) writes nothing', async () => {
    const user = await signUpUser(t, { label: 'ne-refused', steppedUp: true });
    const res = await t.query(
      NeAddFunds,
      { input: { paymentMethodId: await addBank(user, '000987654321', false), amount: usd('5.00'), idempotencyKey: randomUUID() } },
      { token: user.token },
    );
    expect(res.addFunds.userErrors.map((e) => e.code)).toEqual(['PAYMENT_METHOD_UNUSABLE']);
    expect(await stored(user.userId)).toEqual([]);
  });

  it('a webhook whose application rolled back wrote nothing: its redelivery writes the one notification', async () => {
    const user = await signUpUser(t, { label: 'ne-crash', steppedUp: true });
    const card = await addCard(user, SANDBOX_CARDS.success);
    // The first attempt to mark a deposit SUCCEEDED fails inside its transaction, after the notice
    // was written; the sandbox is answered 500 and delivers again (the sequence does not roll back).
    await asOwner(t, 'CREATE SEQUENCE notice_crash_attempts');
    await asOwner(
      t,
      `CREATE FUNCTION notice_crash_once() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW.status = 'SUCCEEDED' AND nextval('notice_crash_attempts') = 1 THEN
           RAISE EXCEPTION 'simulated crash while applying a webhook';
         END IF;
         RETURN NEW;
       END $$`,
    );
    await asOwner(
      t,
      'CREATE TRIGGER notice_crash_once BEFORE UPDATE ON funding_operations FOR EACH ROW EXECUTE FUNCTION notice_crash_once()',
    );
    try {
      const funding = await topUp(user, card, '7.00');
      await untilStatus(user, funding, 'SUCCEEDED');
      const [attempts] = await t.server.db.prisma.$queryRaw<{ n: bigint }[]>`SELECT last_value AS n FROM notice_crash_attempts`;
      expect(Number(attempts!.n)).toBe(2);
      expect(await waitFor(user.userId, 'TOP_UP_SUCCEEDED')).toHaveLength(1);
      expect(await stored(user.userId)).toHaveLength(1);
    } finally {
      await asOwner(t, 'DROP TRIGGER notice_crash_once ON funding_operations');
      await asOwner(t, 'DROP FUNCTION notice_crash_once()');
      await asOwner(t, 'DROP SEQUENCE notice_crash_attempts');
    }
  });
});

describe('held sends', () => {
  const hold = async (from: TestUser, to: TestUser, amount: string) => {
    const sent = (
      await t.query(
        NeSend,
        { input: { recipient: { email: to.email }, amount: usd(amount), idempotencyKey: randomUUID() } },
        { token: from.token },
      )
    ).sendMoney;
    expect(sent.transfer?.status).toBe('IN_REVIEW');
    const queue = (await t.query(NeQueue, {}, { token: admin })).riskReviewQueue.edges.map((e) => e.node);
    return { transactionId: sent.transfer!.id, reviewId: queue.find((r) => r.transaction.id === sent.transfer!.id)!.id };
  };
  const decide = async (reviewId: string, decision: 'APPROVE' | 'DECLINE') =>
    (await t.query(NeDecideReview, { input: { reviewId, decision, reason: 'checked with the customer' } }, { token: admin }))
      .decideRiskReview;

  it('tells the sender of a decline and of an approval, once each; a refused decision writes none', async () => {
    const alice = await signUpUser(t, { label: 'ne-sender' });
    const bob = await signUpUser(t, { label: 'ne-recipient', displayName: 'Bob Recipient' });
    await credit(t, admin, alice.walletId, '1000.00');

    const declined = await hold(alice, bob, '150.00');
    expect((await decide(declined.reviewId, 'DECLINE')).userErrors).toEqual([]);
    const [no] = await ofKind(alice.userId, 'SEND_REVIEW_DECLINED');
    expect(no!.data).toMatchObject({
      transactionId: decodeId(declined.transactionId),
      walletId: decodeId(alice.walletId),
      amount: '15000',
      currency: 'USD',
      counterparty: 'Bob Recipient',
    });
    expect(await shown(alice, 'SEND_REVIEW_DECLINED')).toEqual({
      title: 'Your send of 150.00 USD was declined',
      body: 'The payment to Bob Recipient was not sent; the held money is available again.',
    });
    // Deciding it again is refused: nothing more.
    expect((await decide(declined.reviewId, 'APPROVE')).userErrors.map((e) => e.code)).toEqual(['INVALID_INPUT']);
    expect(await ofKind(alice.userId, 'SEND_REVIEW_DECLINED')).toHaveLength(1);
    expect(await ofKind(alice.userId, 'SEND_REVIEW_APPROVED')).toEqual([]);

    // An approval the ledger refuses (the sender's wallet frozen meanwhile) rolls back, notice and all.
    const approved = await hold(alice, bob, '120.00');
    await asOwner(t, `UPDATE wallets SET status = 'FROZEN' WHERE id = '${decodeId(alice.walletId)}'`);
    expect((await decide(approved.reviewId, 'APPROVE')).userErrors).not.toEqual([]);
    expect(await ofKind(alice.userId, 'SEND_REVIEW_APPROVED')).toEqual([]);
    await asOwner(t, `UPDATE wallets SET status = 'ACTIVE' WHERE id = '${decodeId(alice.walletId)}'`);
    expect((await decide(approved.reviewId, 'APPROVE')).userErrors).toEqual([]);
    const [yes, ...more] = await ofKind(alice.userId, 'SEND_REVIEW_APPROVED');
    expect(more).toEqual([]);
    expect(yes!.data).toMatchObject({ transactionId: decodeId(approved.transactionId), amount: '12000', counterparty: 'Bob Recipient' });
    expect(await shown(alice, 'SEND_REVIEW_APPROVED')).toEqual({
      title: 'Your send of 120.00 USD went through',
      body: 'The payment to Bob Recipient was approved and sent.',
    });
    const bobs = (await stored(bob.userId)).map((n) => n.kind);
    expect(bobs).not.toContain('SEND_REVIEW_APPROVED');
    expect(bobs).not.toContain('SEND_REVIEW_DECLINED');
  });
});

describe('KYC', () => {
  const submit = async (user: TestUser, legalName: string) => {
    await addVerifiedPhone(t, user.token, uniquePhone());
    const res = await t.query(
      NeSubmitKyc,
      {
        input: {
          level: 'TIER_1',
          legalName,
          dateOfBirth: '1990-04-30',
          address: { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' },
        },
      },
      { token: user.token },
    );
    expect(res.submitKyc.userErrors).toEqual([]);
    return res.submitKyc.kycCase!.id;
  };
  const untilCase = async (user: TestUser, status: string) => {
    const deadline = Date.now() + WAIT_MS;
    while ((await t.query(NeKycStatus, {}, { token: user.token })).kycStatus.latestCase?.status !== status) {
      if (Date.now() > deadline) throw new Error(`the KYC case did not become ${status}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  it("the provider's approval and rejection: KYC_DECIDED once each, with the new tier or the reason", async () => {
    const ok = await signUpUser(t, { label: 'ne-kyc-ok' });
    const caseId = await submit(ok, 'Ada Lovelace');
    await untilCase(ok, 'APPROVED');
    const [approved, ...more] = await waitFor(ok.userId, 'KYC_DECIDED');
    expect(more).toEqual([]);
    expect(approved!.data).toMatchObject({ caseId: decodeId(caseId), decision: 'APPROVED', tier: 'TIER_1' });
    expect(await shown(ok, 'KYC_DECIDED')).toEqual({
      title: 'Your identity is verified',
      body: 'Your account is now TIER_1, with its higher limits.',
    });

    const no = await signUpUser(t, { label: 'ne-kyc-no' });
    await submit(no, `Grace Hopper ${SANDBOX_KYC.reject}`);
    await untilCase(no, 'REJECTED');
    const [rejected, ...others] = await waitFor(no.userId, 'KYC_DECIDED');
    expect(others).toEqual([]);
    expect(rejected!.data).toMatchObject({ decision: 'REJECTED', reason: 'The document has expired.' });
    expect((await shown(no, 'KYC_DECIDED')).title).toBe('We could not verify your identity');
  });

  it("an admin's decision of a referred case: none on referral, one on the decision, none on a refused second decision", async () => {
    const user = await signUpUser(t, { label: 'ne-kyc-review' });
    const caseId = await submit(user, `Alan Turing ${SANDBOX_KYC.review}`);
    await untilCase(user, 'MANUAL_REVIEW');
    await new Promise((r) => setTimeout(r, 200));
    expect(await ofKind(user.userId, 'KYC_DECIDED')).toEqual([]);
    const decide = async (decision: 'APPROVE' | 'REJECT') =>
      (await t.query(NeDecideKyc, { input: { caseId, decision, reason: 'documents checked by hand' } }, { token: admin })).decideKyc;
    expect((await decide('APPROVE')).userErrors).toEqual([]);
    expect((await decide('REJECT')).userErrors.map((e) => e.code)).toEqual(['INVALID_INPUT']);
    const [notice, ...more] = await ofKind(user.userId, 'KYC_DECIDED');
    expect(more).toEqual([]);
    expect(notice!.data).toMatchObject({ caseId: decodeId(caseId), decision: 'APPROVED', tier: 'TIER_1' });
  });
});

describe('merchant payments', () => {
  it("PAYMENT_REQUEST_PAID to each of the merchant's members, not the payer; a refused payment writes none", async () => {
    const owner = await signUpUser(t, { label: 'ne-owner' });
    const staff = await signUpUser(t, { label: 'ne-staff' });
    const payer = await signUpUser(t, { label: 'ne-payer' });
    await credit(t, admin, payer.walletId, '50.00');
    const merchantId = (
      await t.query(
        NeRegister,
        { input: { name: 'Notice Coffee', category: 'coffee shop', settlementCurrency: 'USD' } },
        { token: owner.token },
      )
    ).registerMerchant.merchant!.id;
    expect(
      (await t.query(NeAddMember, { input: { merchantId, email: staff.email, role: 'STAFF' } }, { token: owner.token })).addMerchantMember
        .userErrors,
    ).toEqual([]);
    const created = (
      await t.query(
        NeCreateRequest,
        { input: { merchantId, amount: usd('12.50'), description: 'Two flat whites' } },
        { token: owner.token },
      )
    ).createPaymentRequest;
    expect(created.userErrors).toEqual([]);
    const code = created.paymentRequest!.code;
    const pay = async () =>
      (await t.query(NePay, { input: { code, idempotencyKey: randomUUID() } }, { token: payer.token })).payPaymentRequest;
    const paid = await pay();
    expect(paid.userErrors).toEqual([]);
    for (const member of [owner, staff]) {
      const [notice, ...more] = await ofKind(member.userId, 'PAYMENT_REQUEST_PAID');
      expect(more).toEqual([]);
      expect(notice!.data).toMatchObject({
        merchantId: decodeId(merchantId),
        paymentId: decodeId(paid.payment!.id),
        amount: '1250',
        currency: 'USD',
        counterparty: 'Notice Coffee',
        note: 'Two flat whites',
      });
      expect(await shown(member, 'PAYMENT_REQUEST_PAID')).toEqual({
        title: 'Notice Coffee was paid 12.50 USD',
        body: 'For "Two flat whites".',
      });
    }
    expect(await ofKind(payer.userId, 'PAYMENT_REQUEST_PAID')).toEqual([]);
    // Single use: paying it again is refused, and tells no one.
    expect((await pay()).userErrors.map((e) => e.code)).toEqual(['PAYMENT_REQUEST_CLOSED']);
    expect(await ofKind(owner.userId, 'PAYMENT_REQUEST_PAID')).toHaveLength(1);
  });
});

describe('monthly statements', () => {
  it('STATEMENT_READY once per stored statement, with its id, wallet and month', async () => {
    const user = await signUpUser(t, { label: 'ne-statement' });
    await credit(t, admin, user.walletId, '5.00');
    const now = new Date();
    const later = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1) + 10 * 3_600_000);
    expect((await t.server.services.statements.generateMonthly({ now: later })).made).toBeGreaterThan(0);
    expect((await t.server.services.statements.generateMonthly({ now: later })).made).toBe(0);
    const [notice, ...more] = await ofKind(user.userId, 'STATEMENT_READY');
    expect(more).toEqual([]);
    const month = now.toISOString().slice(0, 7);
    const [statement] = await t.server.db.prisma.$queryRaw<{ id: string }[]>`
      SELECT id::text FROM statements WHERE wallet_id = ${decodeId(user.walletId)}::uuid`;
    expect(notice!.data).toEqual({ statementId: statement!.id, walletId: decodeId(user.walletId), month });
    expect((await shown(user, 'STATEMENT_READY')).title).toMatch(/^Your statement for .+ is ready$/);
  });
});

describe('new-device sign-in', () => {
  const signIn = async (user: TestUser, agent: string) =>
    (await t.query(NeSignIn, { input: { email: user.email, password: STRONG_PASSWORD } }, { headers: { 'user-agent': agent } })).signIn;

  it('a notification written with the session, and its email through the dispatcher (to an unverified address too)', async () => {
    const user = await signUpUser(t, { label: 'ne-device', headers: { 'user-agent': 'NoticeTest/1 (laptop)' } });
    expect((await signIn(user, 'NoticeTest/1 (laptop)')).userErrors).toEqual([]);
    expect(await ofKind(user.userId, 'NEW_DEVICE_SIGN_IN')).toEqual([]);
    expect((await signIn(user, 'OtherPhone/7')).userErrors).toEqual([]);
    const [notice, ...more] = await ofKind(user.userId, 'NEW_DEVICE_SIGN_IN');
    expect(more).toEqual([]);
    expect(notice!.data).toMatchObject({ device: 'OtherPhone/7', ip: '127.0.0.1' });
    expect(Number.isNaN(Date.parse(notice!.data.at!))).toBe(false);
    const words = await shown(user, 'NEW_DEVICE_SIGN_IN');
    expect(words.title).toBe('New sign-in to your account');
    expect(words.body).toContain('From OtherPhone/7, IP address 127.0.0.1');
    const emails = (await sandboxMessages(t, user.email)).filter((m) => /new sign-in/i.test(m.subject ?? ''));
    expect(emails).toHaveLength(1);
    expect(emails[0]!.text).toContain('OtherPhone/7');
    // A device that says it is a card number is not repeated, in the notification or its email.
    await signIn(user, 'Evil 4242424242424242');
    const [, evil] = await ofKind(user.userId, 'NEW_DEVICE_SIGN_IN');
    expect(evil!.data.device).toBe('Evil [hidden]');
  });

  it("erasing the account removes its notifications (a new-device one keeps the sign-in's IP and user agent)", async () => {
    const user = await signUpUser(t, { label: 'ne-erase', headers: { 'user-agent': 'NoticeTest/1 (laptop)' }, steppedUp: true });
    expect((await signIn(user, 'EraseMe/1')).userErrors).toEqual([]);
    expect(await ofKind(user.userId, 'NEW_DEVICE_SIGN_IN')).toHaveLength(1);
    const erased = (await t.query(NeDelete, { input: { password: STRONG_PASSWORD } }, { token: user.token })).deleteMyAccount;
    expect(erased.userErrors).toEqual([]);
    expect(await stored(user.userId)).toEqual([]);
  });

  it('the first session of an account (sign-up) writes none', async () => {
    const user = await signUpUser(t, { label: 'ne-first' });
    expect(await stored(user.userId)).toEqual([]);
  });
});

describe('account numbers', () => {
  it('no notification, stored or shown, carries a full card or account number', async () => {
    const rows = await t.server.db.prisma.$queryRaw<{ user_id: string; kind: string; data: unknown }[]>`
      SELECT user_id::text, kind::text AS kind, data FROM notifications`;
    expect(rows.length).toBeGreaterThan(10);
    // Ids aside: a UUID's hex groups can look like a run of digits.
    const withoutIds = (text: string) => text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>');
    for (const row of rows) {
      const data = withoutIds(JSON.stringify(row.data));
      expect(accountNumberIn(data), `${row.kind}: ${data}`).toBeNull();
    }
    for (const number of [...Object.values(SANDBOX_CARDS), ...Object.values(SANDBOX_BANK_ACCOUNTS), '000123456789']) {
      expect(JSON.stringify(rows)).not.toContain(number);
    }
    // Nor do their words (what the API, the email, the SMS and the push say).
    for (const row of rows) {
      const words = wordsOf(row.kind as NotificationKind, row.data as NoticeData);
      expect(accountNumberIn(`${words.title} ${words.body}`), `${row.kind}: ${words.title} ${words.body}`).toBeNull();
    }
  });
});
