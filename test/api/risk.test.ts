// The fraud rules through the API, on a server with them switched on and small thresholds: each
// rule's trigger and non-trigger, BLOCK refusing without naming the rule, REVIEW holding the money
// (available drops, nothing posted, the sender alone sees IN_REVIEW live), an admin's approval
// posting that same transaction and a decline releasing it (also when both race), retries that
// neither re-evaluate nor hold twice, every evaluation recorded, and previewTransfer moving,
// holding and counting nothing.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { decodeId, encodeId } from '../helpers/globalIds.js';
import { expectLedgerConsistent } from '../helpers/ledger.js';
import { credit, signInAdmin, signUpUser, verifyEmail } from '../helpers/people.js';
import { usingPostgres } from '../helpers/testDatabase.js';
import { startTestServer, STRONG_PASSWORD, uniqueEmail, type TestServer } from '../helpers/testServer.js';
import { connectWs } from '../helpers/wsClient.js';

const ADMIN = { email: 'risk.admin@example.com', password: 'Risk-Reviewer-2026!' };
const WAIT_MS = usingPostgres ? 15_000 : 40_000;

const RkWallets = graphql(`
  query RkWallets { me { wallets { id balance { posted { amount } held { amount } available { amount } } } } }
`);
const RkSend = graphql(`
  mutation RkSend($input: SendMoneyInput!) {
    sendMoney(input: $input) {
      transfer { id status sequence balanceAfter { amount } }
      senderWallet { balance { posted { amount } held { amount } available { amount } } }
      userErrors { field code message }
    }
  }
`);
const RkTransaction = graphql(`query RkTransaction($id: ID!) { node(id: $id) { ... on Transaction { id status } } }`);
const RkChangePassword = graphql(`
  mutation RkChangePassword($input: ChangePasswordInput!) { changePassword(input: $input) { revokedSessionCount userErrors { field code message } } }
`);
const RkChangeEmail = graphql(`
  mutation RkChangeEmail($input: ChangeEmailInput!) { changeEmail(input: $input) { user { email } userErrors { field code message } } }
`);
const RkAddCard = graphql(`
  mutation RkAddCard($input: AddCardInput!) { addCard(input: $input) { paymentMethod { id } userErrors { code } } }
`);
const RkQueue = graphql(`
  query RkQueue($status: RiskReviewStatus) {
    riskReviewQueue(first: 20, status: $status) {
      edges {
        node {
          id status user { id } amount { amount currency } rules { rule decision reason } inputs { name value }
          transaction { id status direction } fromWallet { id } toWallet { id }
        }
      }
    }
  }
`);
const RkDecide = graphql(`
  mutation RkDecide($input: DecideRiskReviewInput!) {
    decideRiskReview(input: $input) { review { id status reason decidedBy { id } } userErrors { field code message } }
  }
`);
const RkPreview = graphql(`
  query RkPreview($input: PreviewTransferInput!) {
    previewTransfer(input: $input) {
      preview { amount { amount } fee { amount } total { amount } riskDecision limitsAfter { kind used { amount } remaining { amount } exceeded } }
      userErrors { field code message }
    }
  }
`);
const RkMe = graphql(`query RkMe { me { id } }`);
const RkLimits = graphql(`query RkLimits { myLimits { limits { kind used { amount } } } }`);
const RkTransactionUpdated = graphql(`subscription RkTransactionUpdated { transactionUpdated { id status direction } }`);

let t: TestServer;
let admin: string;
let adminId: string;
beforeAll(async () => {
  t = await startTestServer({
    BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
    BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
    RISK_RULES: 'true',
    RISK_VELOCITY_PER_MINUTE: '10',
    RISK_VELOCITY_PER_HOUR: '8',
    RISK_LARGE_AMOUNT: '100',
    RISK_HISTORY_MULTIPLIER: '3',
    RISK_HISTORY_FLOOR: '200',
    RISK_NEW_DEVICE_HOURS: '1',
    RISK_CREDENTIAL_CHANGE_HOURS: '1',
    RISK_CREDENTIAL_CHANGE_AMOUNT: '20',
    RISK_FAILED_METHODS_REVIEW: '2',
    RISK_FAILED_METHODS_BLOCK: '4',
    // Above every other test's sends: only the step-up test reaches it.
    STEP_UP_NEW_RECIPIENT_AMOUNT: '4000',
  });
  admin = await signInAdmin(t, ADMIN);
  adminId = (await t.query(RkMe, {}, { token: admin })).me.id;
});
afterAll(async () => {
  if (t) await expectLedgerConsistent(t);
  await t?.stop();
});

const usd = (amount: string) => ({ amount, currency: 'USD' });

interface Person {
  token: string;
  email: string;
  userId: string;
  walletId: string;
  device: string;
}

/**
 * A user holding `balance`, signed in from `device`. `knownDevice` backdates that sign-in past
 * RISK_NEW_DEVICE_HOURS, so only the rule a test is about can fire. `steppedUp`: the user may change
 * credentials and add payment methods (their email verified, which steps the session up).
 */
async function person(balance: string, { knownDevice = true, steppedUp = false } = {}): Promise<Person> {
  const device = `device-${randomUUID()}`;
  const user = await signUpUser(t, { label: 'rk', headers: { 'x-device-id': device }, steppedUp });
  if (knownDevice)
    await t.server.db.prisma.session.updateMany({
      where: { userId: user.userId },
      data: { createdAt: new Date(Date.now() - 2 * 3_600_000) },
    });
  if (balance !== '0') await credit(t, admin, user.walletId, balance);
  return { ...user, device };
}

async function send(from: Person, to: Person, amount: string, options: { device?: string | null; key?: string } = {}) {
  const device = options.device === undefined ? from.device : options.device;
  const input = { recipient: { email: to.email }, amount: usd(amount), idempotencyKey: options.key ?? randomUUID() };
  return (await t.query(RkSend, { input }, { token: from.token, headers: device ? { 'x-device-id': device } : {} })).sendMoney;
}

const balance = async (p: Person) => (await t.query(RkWallets, {}, { token: p.token })).me.wallets[0]!.balance;

/** The rules that did not answer ALLOW in the person's latest evaluation. */
async function firedRules(p: Person) {
  const latest = await t.server.db.prisma.riskEvaluation.findFirstOrThrow({ where: { userId: p.userId }, orderBy: { createdAt: 'desc' } });
  return (latest.rules as { rule: string; decision: string }[]).filter((r) => r.decision !== 'ALLOW').map((r) => `${r.rule}:${r.decision}`);
}

/** A first small payment, so `to` is a known recipient of `from` (small: no rule fires). */
async function payBefore(from: Person, to: Person) {
  expect((await send(from, to, '10.00')).transfer?.status).toBe('POSTED');
}

describe('each rule: trigger and non-trigger', () => {
  it('velocity: over the hourly count is reviewed, over the per-minute count blocked', async () => {
    const [alice, bob] = await Promise.all([person('100.00'), person('0')]);
    const statuses: (string | undefined)[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await send(alice, bob, '1.00')).transfer?.status);
    // Eight sends are within both counts.
    expect(statuses).toEqual(Array(8).fill('POSTED'));
    expect(await firedRules(alice)).toEqual([]);
    // Each is recorded; an ALLOW compactly, with its decision and outcome only.
    const allowed = await t.server.db.prisma.riskEvaluation.findMany({ where: { userId: alice.userId } });
    expect(allowed).toHaveLength(8);
    expect(allowed.every((e) => e.decision === 'ALLOW' && e.outcome === 'POSTED' && e.transactionId !== null)).toBe(true);
    expect(allowed.map((e) => [e.rules, e.inputs])).toEqual(Array(8).fill([[], {}]));
    const ninth = await send(alice, bob, '1.00');
    expect(ninth.transfer?.status).toBe('IN_REVIEW');
    expect(await firedRules(alice)).toEqual(['velocity:REVIEW']);
    await send(alice, bob, '1.00');
    const eleventh = await send(alice, bob, '1.00');
    expect(eleventh.transfer).toBeNull();
    expect(eleventh.userErrors).toEqual([{ field: null, code: 'TRANSFER_DECLINED', message: expect.any(String) }]);
    expect(await firedRules(alice)).toEqual(['velocity:BLOCK']);
  });

  it('velocity counts are exact under concurrency: of 15 sends at once, 8 post, 2 are held and 5 declined', async () => {
    const [alice, bob] = await Promise.all([person('100.00'), person('0')]);
    const answers = await Promise.all(Array.from({ length: 15 }, () => send(alice, bob, '1.00')));
    const outcome = answers.map((a) => a.transfer?.status ?? a.userErrors[0]?.code).sort();
    expect(outcome).toEqual([...Array(2).fill('IN_REVIEW'), ...Array(8).fill('POSTED'), ...Array(5).fill('TRANSFER_DECLINED')]);
  });

  it('amount vs history: reviewed above the multiple of the largest recent send and the floor, allowed below', async () => {
    const [alice, bob] = await Promise.all([person('2000.00'), person('0')]);
    await payBefore(alice, bob);
    expect((await send(alice, bob, '90.00')).transfer?.status).toBe('POSTED');
    // Largest recent send 90 × 3 = 270 > floor 200: 250 is within it.
    expect((await send(alice, bob, '250.00')).transfer?.status).toBe('POSTED');
    expect(await firedRules(alice)).toEqual([]);
    // Now the largest is 250: 750 is the ceiling (a held send is not history).
    expect((await send(alice, bob, '750.01')).transfer?.status).toBe('IN_REVIEW');
    expect(await firedRules(alice)).toEqual(['amountVsHistory:REVIEW']);
    expect((await send(alice, bob, '750.00')).transfer?.status).toBe('POSTED');
    expect(await firedRules(alice)).toEqual([]);
  });

  it('amount vs history: without history, only the floor applies', async () => {
    const [alice, bob] = await Promise.all([person('1000.00'), person('0')]);
    await payBefore(alice, bob);
    expect((await send(alice, bob, '200.00')).transfer?.status).toBe('POSTED');
    const [carol, dave] = await Promise.all([person('1000.00'), person('0')]);
    await payBefore(carol, dave);
    expect((await send(carol, dave, '200.01')).transfer?.status).toBe('IN_REVIEW');
    expect(await firedRules(carol)).toEqual(['amountVsHistory:REVIEW']);
  });

  it('new recipient: a large amount to someone never paid is reviewed; to someone paid before, or a small amount, is not', async () => {
    const [alice, bob, carol] = await Promise.all([person('1000.00'), person('0'), person('0')]);
    expect((await send(alice, carol, '99.99')).transfer?.status).toBe('POSTED');
    expect((await send(alice, bob, '150.00')).transfer?.status).toBe('IN_REVIEW');
    expect(await firedRules(alice)).toEqual(['newRecipient:REVIEW']);
    // Carol was paid before.
    expect((await send(alice, carol, '150.00')).transfer?.status).toBe('POSTED');
    expect(await firedRules(alice)).toEqual([]);
  });

  it('new recipient, very large: needs a recent second factor, refused before anything moves; the same key posts after stepUp', async () => {
    const [alice, bob, carol] = await Promise.all([person('10000.00'), person('0'), person('0')]);
    await credit(t, admin, alice.walletId, '5000.00');
    expect((await send(alice, carol, '1.00')).userErrors).toEqual([]);
    const key = randomUUID();
    const refused = await send(alice, bob, '4000.00', { key });
    expect(refused.userErrors).toEqual([expect.objectContaining({ code: 'STEP_UP_REQUIRED' })]);
    expect(refused.userErrors[0]!.message).toContain('same idempotencyKey');
    expect((await balance(alice)).available.amount).toBe('14999.00');
    // Below the amount, or to someone paid before, no step-up is asked.
    expect((await send(alice, bob, '3999.99', { device: null })).userErrors.map((e) => e.code)).not.toContain('STEP_UP_REQUIRED');
    expect((await send(alice, carol, '4000.00')).userErrors.map((e) => e.code)).not.toContain('STEP_UP_REQUIRED');
    // Proving a second factor (here the emailed code that verifies her address) lets the same key through, once.
    await verifyEmail(t, alice);
    const sent = await send(alice, bob, '4000.00', { key });
    expect(sent.userErrors).toEqual([]);
    expect(sent.transfer?.status).toBe('IN_REVIEW'); // the rules still review it
    expect((await send(alice, bob, '4000.00', { key })).transfer?.id).toBe(sent.transfer!.id);
  });

  it('new device: a large amount from a device first seen under an hour ago, or from no device id, is reviewed', async () => {
    const [alice, bob] = await Promise.all([person('1000.00'), person('0')]);
    await payBefore(alice, bob);
    expect((await send(alice, bob, '150.00', { device: 'never-seen-device' })).transfer?.status).toBe('IN_REVIEW');
    expect(await firedRules(alice)).toEqual(['newDevice:REVIEW']);
    expect((await send(alice, bob, '150.00', { device: null })).transfer?.status).toBe('IN_REVIEW');
    expect((await send(alice, bob, '150.00')).transfer?.status).toBe('POSTED');
    expect(await firedRules(alice)).toEqual([]);
    // Small amounts from a new device go through.
    expect((await send(alice, bob, '20.00', { device: 'never-seen-device' })).transfer?.status).toBe('POSTED');
    // The device just signed in (first seen now) is new too.
    const [carol] = await Promise.all([person('1000.00', { knownDevice: false })]);
    await payBefore(carol, bob);
    expect((await send(carol, bob, '150.00')).transfer?.status).toBe('IN_REVIEW');
    expect(await firedRules(carol)).toEqual(['newDevice:REVIEW']);
  });

  it('credential change: a send above the amount soon after a password or email change is reviewed', async () => {
    const [alice, bob, carol] = await Promise.all([
      person('1000.00', { steppedUp: true }),
      person('0'),
      person('1000.00', { steppedUp: true }),
    ]);
    await payBefore(alice, bob);
    await payBefore(carol, bob);
    expect((await send(alice, bob, '30.00')).transfer?.status).toBe('POSTED');

    const wrong = (
      await t.query(
        RkChangePassword,
        { input: { currentPassword: 'not-my-password-1', newPassword: 'Another-Strong-Pass-2026' } },
        { token: alice.token },
      )
    ).changePassword;
    expect(wrong.userErrors[0]).toMatchObject({ code: 'INVALID_CREDENTIALS', field: ['input', 'currentPassword'] });
    expect((await send(alice, bob, '30.00')).transfer?.status).toBe('POSTED');

    const changed = (
      await t.query(
        RkChangePassword,
        { input: { currentPassword: STRONG_PASSWORD, newPassword: 'Another-Strong-Pass-2026' } },
        { token: alice.token },
      )
    ).changePassword;
    expect(changed.userErrors).toEqual([]);
    expect((await send(alice, bob, '20.00')).transfer?.status).toBe('POSTED');
    expect((await send(alice, bob, '30.00')).transfer?.status).toBe('IN_REVIEW');
    expect(await firedRules(alice)).toEqual(['credentialChange:REVIEW']);

    const newEmail = uniqueEmail('rk-moved');
    const moved = (await t.query(RkChangeEmail, { input: { newEmail, password: STRONG_PASSWORD } }, { token: carol.token })).changeEmail;
    expect(moved.userErrors).toEqual([]);
    expect(moved.user?.email).toBe(newEmail);
    expect((await send(carol, bob, '30.00')).transfer?.status).toBe('IN_REVIEW');
    expect(await firedRules(carol)).toEqual(['credentialChange:REVIEW']);
  });

  it('failed payment-method additions: reviewed from 2 in a day, blocked from 4', async () => {
    const [alice, bob] = await Promise.all([person('1000.00', { steppedUp: true }), person('0')]);
    await payBefore(alice, bob);
    const badCard = async () => {
      const added = (
        await t.query(
          RkAddCard,
          { input: { number: '4242 4242 4242 4241', expMonth: 12, expYear: 2031, cvc: '123', holderName: 'Rk' } },
          { token: alice.token },
        )
      ).addCard;
      expect(added.paymentMethod).toBeNull();
    };
    await badCard();
    expect((await send(alice, bob, '5.00')).transfer?.status).toBe('POSTED');
    await badCard();
    expect((await send(alice, bob, '5.00')).transfer?.status).toBe('IN_REVIEW');
    expect(await firedRules(alice)).toEqual(['failedPaymentMethods:REVIEW']);
    await badCard();
    await badCard();
    const blocked = await send(alice, bob, '5.00');
    expect(blocked.userErrors[0]?.code).toBe('TRANSFER_DECLINED');
    expect(await firedRules(alice)).toContain('failedPaymentMethods:BLOCK');
  });
});

describe('BLOCK', () => {
  it('refuses without naming the rule, moves nothing, and keeps the refusal for retries', async () => {
    const [alice, bob] = await Promise.all([person('100.00'), person('0')]);
    await t.server.db.prisma.paymentMethodFailure.createMany({
      data: Array.from({ length: 4 }, () => ({ userId: alice.userId, kind: 'CARD' as const, reason: 'test' })),
    });
    const key = randomUUID();
    const blocked = await send(alice, bob, '5.00', { key });
    expect(blocked.userErrors).toHaveLength(1);
    expect(blocked.userErrors[0]!.code).toBe('TRANSFER_DECLINED');
    expect(blocked.userErrors[0]!.message).not.toMatch(/velocity|device|recipient|history|payment.method|password|email|rule/i);
    expect(await balance(alice)).toMatchObject({ posted: { amount: '100.00' }, held: { amount: '0.00' } });
    expect(await balance(bob)).toMatchObject({ posted: { amount: '0.00' } });
    // Failures cleared: a retry with the same key still gets the first answer, and is not evaluated again.
    await t.server.db.prisma.paymentMethodFailure.deleteMany({ where: { userId: alice.userId } });
    expect((await send(alice, bob, '5.00', { key })).userErrors[0]!.code).toBe('TRANSFER_DECLINED');
    const evaluations = await t.server.db.prisma.riskEvaluation.findMany({ where: { userId: alice.userId } });
    expect(evaluations).toHaveLength(1);
    expect(evaluations[0]).toMatchObject({ decision: 'BLOCK', outcome: 'TRANSFER_DECLINED', transactionId: null, idempotencyKey: key });
  });
});

describe('REVIEW', () => {
  /** Alice (500) sends 150 to Bob, whom she never paid: held for review. */
  async function held() {
    const [alice, bob] = await Promise.all([person('500.00'), person('0')]);
    const key = randomUUID();
    const sent = await send(alice, bob, '150.00', { key });
    expect(sent.userErrors).toEqual([]);
    return { alice, bob, key, sent, transactionId: sent.transfer!.id };
  }

  const reviewOf = async (transactionId: string) => {
    const queue = (await t.query(RkQueue, { status: 'PENDING' }, { token: admin })).riskReviewQueue.edges.map((e) => e.node);
    return queue.find((r) => r.transaction.id === transactionId);
  };

  it('holds the money, posts nothing, shows IN_REVIEW to the sender only, and a retry neither holds nor evaluates again', async () => {
    const [alice, bob] = await Promise.all([person('500.00'), person('0')]);
    const ws = connectWs(t.wsUrl, `Bearer ${alice.token}`);
    try {
      await ws.connected;
      const live = ws.subscribe(RkTransactionUpdated);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const key = randomUUID();
      const sent = await send(alice, bob, '150.00', { key });
      expect(sent.transfer).toMatchObject({ status: 'IN_REVIEW', sequence: null, balanceAfter: null });
      expect(sent.senderWallet!.balance).toEqual({
        posted: { amount: '500.00' },
        held: { amount: '150.00' },
        available: { amount: '350.00' },
      });
      const event = await live.next((d) => d.transactionUpdated.id === sent.transfer!.id, WAIT_MS);
      expect(event.transactionUpdated).toMatchObject({ status: 'IN_REVIEW', direction: 'OUT' });

      expect(await balance(bob)).toMatchObject({ posted: { amount: '0.00' } });
      const seenByBob = await t.query(RkTransaction, { id: sent.transfer!.id }, { token: bob.token });
      expect(seenByBob.node).toBeNull();

      const again = await send(alice, bob, '150.00', { key });
      expect(again.transfer?.id).toBe(sent.transfer!.id);
      expect(await balance(alice)).toMatchObject({ held: { amount: '150.00' }, available: { amount: '350.00' } });
      expect(await t.server.db.prisma.riskEvaluation.count({ where: { userId: alice.userId } })).toBe(1);
      expect(await t.server.db.prisma.riskReview.count({ where: { userId: alice.userId } })).toBe(1);
      // The held amount cannot be sent again.
      const tooMuch = await send(alice, bob, '350.01', { device: alice.device });
      expect(tooMuch.userErrors[0]?.code).toBe('INSUFFICIENT_FUNDS');
    } finally {
      await ws.dispose();
    }
  });

  it('is in the admin queue with every rule result and what the rules saw; not for users', async () => {
    const { alice, bob, transactionId } = await held();
    const review = await reviewOf(transactionId);
    // What a reviewer follows is the objects themselves: the sender, the held transfer, both wallets.
    expect(review).toMatchObject({
      status: 'PENDING',
      user: { id: encodeId('User', alice.userId) },
      amount: { amount: '150.00', currency: 'USD' },
      transaction: { id: transactionId, status: 'IN_REVIEW', direction: 'OUT' },
      fromWallet: { id: alice.walletId },
      toWallet: { id: bob.walletId },
    });
    // The admin loads the held transfer by its id (as the sender sees it), the recipient does not.
    expect((await t.query(RkTransaction, { id: transactionId }, { token: admin })).node).toEqual({
      id: transactionId,
      status: 'IN_REVIEW',
    });
    expect((await t.query(RkTransaction, { id: transactionId }, { token: bob.token })).node).toBeNull();
    expect(review!.rules.map((r) => r.rule)).toEqual([
      'velocity',
      'amountVsHistory',
      'newRecipient',
      'newDevice',
      'credentialChange',
      'failedPaymentMethods',
    ]);
    expect(review!.rules.find((r) => r.rule === 'newRecipient')).toMatchObject({
      decision: 'REVIEW',
      reason: 'large amount to a first-time recipient',
    });
    expect(review!.inputs).toContainEqual({ name: 'recipientKnown', value: 'false' });
    expect(review!.inputs).toContainEqual({ name: 'amount', value: '15000' });
    const asUser = await t.request(RkQueue, {}, { token: alice.token });
    expect(asUser.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('approve posts the held transaction itself: money moves once, both sides see POSTED', async () => {
    const { alice, bob, transactionId, key } = await held();
    const review = await reviewOf(transactionId);
    const bobWs = connectWs(t.wsUrl, `Bearer ${bob.token}`);
    const aliceWs = connectWs(t.wsUrl, `Bearer ${alice.token}`);
    try {
      await Promise.all([bobWs.connected, aliceWs.connected]);
      const bobLive = bobWs.subscribe(RkTransactionUpdated);
      const aliceLive = aliceWs.subscribe(RkTransactionUpdated);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const decided = (
        await t.query(RkDecide, { input: { reviewId: review!.id, decision: 'APPROVE', reason: 'called the customer' } }, { token: admin })
      ).decideRiskReview;
      expect(decided.userErrors).toEqual([]);
      expect(decided.review).toMatchObject({ status: 'APPROVED', reason: 'called the customer', decidedBy: { id: adminId } });
      expect((await bobLive.next((d) => d.transactionUpdated.id === transactionId, WAIT_MS)).transactionUpdated).toMatchObject({
        status: 'POSTED',
        direction: 'IN',
      });
      expect(
        (await aliceLive.next((d) => d.transactionUpdated.id === transactionId && d.transactionUpdated.status === 'POSTED', WAIT_MS))
          .transactionUpdated.direction,
      ).toBe('OUT');
    } finally {
      await Promise.all([bobWs.dispose(), aliceWs.dispose()]);
    }
    expect(await balance(alice)).toEqual({ posted: { amount: '350.00' }, held: { amount: '0.00' }, available: { amount: '350.00' } });
    expect(await balance(bob)).toMatchObject({ posted: { amount: '150.00' } });
    expect((await t.query(RkTransaction, { id: transactionId }, { token: bob.token })).node).toMatchObject({ status: 'POSTED' });
    // Deciding again is refused; the sender's retry replays the first answer and moves nothing.
    const twice = (
      await t.query(RkDecide, { input: { reviewId: review!.id, decision: 'DECLINE', reason: 'second thoughts' } }, { token: admin })
    ).decideRiskReview;
    expect(twice.userErrors[0]).toMatchObject({ code: 'INVALID_INPUT', message: 'This review was already approved.' });
    expect((await send(alice, bob, '150.00', { key })).transfer?.id).toBe(transactionId);
    expect(await balance(bob)).toMatchObject({ posted: { amount: '150.00' } });
  });

  it('decline releases the hold, gives the limit usage back, and marks the transaction DECLINED', async () => {
    const { alice, bob, transactionId } = await held();
    const dailySent = async () =>
      (await t.query(RkLimits, {}, { token: alice.token })).myLimits.limits.find((l) => l.kind === 'DAILY_SEND')?.used.amount;
    expect(await dailySent()).toBe('150.00');
    const review = await reviewOf(transactionId);
    const ws = connectWs(t.wsUrl, `Bearer ${alice.token}`);
    try {
      await ws.connected;
      const live = ws.subscribe(RkTransactionUpdated);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const decided = (
        await t.query(RkDecide, { input: { reviewId: review!.id, decision: 'DECLINE', reason: 'looks like a scam' } }, { token: admin })
      ).decideRiskReview;
      expect(decided.userErrors).toEqual([]);
      expect(decided.review?.status).toBe('DECLINED');
      expect((await live.next((d) => d.transactionUpdated.id === transactionId, WAIT_MS)).transactionUpdated.status).toBe('DECLINED');
    } finally {
      await ws.dispose();
    }
    expect(await balance(alice)).toEqual({ posted: { amount: '500.00' }, held: { amount: '0.00' }, available: { amount: '500.00' } });
    expect(await balance(bob)).toMatchObject({ posted: { amount: '0.00' } });
    expect(await dailySent()).toBe('0.00');
    expect((await t.query(RkTransaction, { id: transactionId }, { token: alice.token })).node).toMatchObject({ status: 'DECLINED' });
  });

  it('an approval and a decline racing: exactly one wins, and the money matches it', async () => {
    const { alice, bob, transactionId } = await held();
    const review = await reviewOf(transactionId);
    const [approve, decline] = await Promise.all(
      (['APPROVE', 'DECLINE'] as const).map(
        async (decision) =>
          (await t.query(RkDecide, { input: { reviewId: review!.id, decision, reason: 'racing reviewers' } }, { token: admin }))
            .decideRiskReview,
      ),
    );
    const winners = [approve!, decline!].filter((d) => d.userErrors.length === 0);
    expect(winners).toHaveLength(1);
    const approved = winners[0] === approve;
    expect(await balance(alice)).toMatchObject({ posted: { amount: approved ? '350.00' : '500.00' }, held: { amount: '0.00' } });
    expect(await balance(bob)).toMatchObject({ posted: { amount: approved ? '150.00' : '0.00' } });
  });

  it('bad decisions are refused by name', async () => {
    const noReason = (
      await t.query(
        RkDecide,
        { input: { reviewId: encodeId('RiskReview', randomUUID()), decision: 'APPROVE', reason: ' ' } },
        { token: admin },
      )
    ).decideRiskReview;
    expect(noReason.userErrors[0]?.field).toEqual(['input', 'reason']);
    const unknown = (
      await t.query(
        RkDecide,
        { input: { reviewId: encodeId('RiskReview', randomUUID()), decision: 'APPROVE', reason: 'no such review' } },
        { token: admin },
      )
    ).decideRiskReview;
    expect(unknown.userErrors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'reviewId'] });
  });
});

describe('every evaluation is recorded', () => {
  it('one row per new request, with the outcome and the transaction', async () => {
    const [alice, bob] = await Promise.all([person('1000.00'), person('0')]);
    const posted = await send(alice, bob, '10.00');
    const reviewed = await send(alice, bob, '150.00', { device: 'fresh-device' });
    const refused = await send(alice, bob, '5000.00');
    expect(refused.userErrors[0]?.code).toBe('INSUFFICIENT_FUNDS');
    const rows = await t.server.db.prisma.riskEvaluation.findMany({ where: { userId: alice.userId }, orderBy: { createdAt: 'asc' } });
    expect(rows.map((r) => [r.decision, r.outcome, r.transactionId])).toEqual([
      ['ALLOW', 'POSTED', decodeId(posted.transfer!.id, 'Transaction')],
      ['REVIEW', 'IN_REVIEW', decodeId(reviewed.transfer!.id, 'Transaction')],
      ['REVIEW', 'INSUFFICIENT_FUNDS', null],
    ]);
    expect(JSON.stringify(rows)).not.toContain(alice.device);
  });
});

describe('previewTransfer', () => {
  it('shows the fee, the limits after, and the risk decision; moves, holds, records and counts nothing', async () => {
    const [alice, bob] = await Promise.all([person('500.00'), person('0')]);
    const input = { recipient: { email: bob.email }, amount: usd('150.00') };
    let preview;
    // More previews than the per-minute velocity count: previews are not sends.
    for (let i = 0; i < 12; i++)
      preview = (await t.query(RkPreview, { input }, { token: alice.token, headers: { 'x-device-id': alice.device } })).previewTransfer;
    expect(preview!.userErrors).toEqual([]);
    expect(preview!.preview).toMatchObject({
      amount: { amount: '150.00' },
      fee: { amount: '0.00' },
      total: { amount: '150.00' },
      riskDecision: 'REVIEW',
    });
    expect(preview!.preview!.limitsAfter.find((l) => l.kind === 'DAILY_SEND')).toMatchObject({
      used: { amount: '150.00' },
      exceeded: false,
    });
    expect(await balance(alice)).toEqual({ posted: { amount: '500.00' }, held: { amount: '0.00' }, available: { amount: '500.00' } });
    expect(await t.server.db.prisma.riskEvaluation.count({ where: { userId: alice.userId } })).toBe(0);
    expect((await t.query(RkLimits, {}, { token: alice.token })).myLimits.limits.find((l) => l.kind === 'DAILY_SEND')?.used.amount).toBe(
      '0.00',
    );
    // A small send is allowed straight after: the previews did not count towards velocity.
    expect((await send(alice, bob, '5.00')).transfer?.status).toBe('POSTED');
    const small = (
      await t.query(
        RkPreview,
        { input: { ...input, amount: usd('5.00') } },
        { token: alice.token, headers: { 'x-device-id': alice.device } },
      )
    ).previewTransfer;
    expect(small.preview?.riskDecision).toBe('ALLOW');
    const bad = (await t.query(RkPreview, { input: { ...input, amount: usd('-1') } }, { token: alice.token })).previewTransfer;
    expect(bad.userErrors[0]).toMatchObject({ field: ['input', 'amount', 'amount'], code: 'INVALID_AMOUNT' });
  });
});
