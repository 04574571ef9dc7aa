// previewTransfer tells the truth: for every way sendMoney can refuse (the recipient, the currency,
// paying oneself, frozen wallets, available money, each KYC limit, the recipient's balance cap, a
// BLOCK by the fraud rules) the preview answers the same userErrors, and where the send would go
// through, no userError, with the risk decision the send then gets. Each case previews first, then
// sends with the same input, and compares; previews move, hold and count nothing.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { expectLedgerConsistent } from '../helpers/ledger.js';
import { credit, signInAdmin, signUpUser, type TestUser } from '../helpers/people.js';
import { startTestServer, type TestServer } from '../helpers/testServer.js';

const ADMIN = { email: 'preview.admin@example.com', password: 'Preview-Keeper-2026!' };

const PvPreview = graphql(`
  query PvPreview($input: PreviewTransferInput!) {
    previewTransfer(input: $input) { preview { total { amount } riskDecision } userErrors { field code message } }
  }
`);
const PvSend = graphql(`
  mutation PvSend($input: SendMoneyInput!) {
    sendMoney(input: $input) { transfer { status } userErrors { field code message } }
  }
`);
const PvBalance = graphql(`query PvBalance { me { wallets { balance { posted { amount } held { amount } } } } }`);
const PvFreeze = graphql(`
  mutation PvFreeze($input: AdminSetWalletStatusInput!) { adminSetWalletStatus(input: $input) { userErrors { code } } }
`);

let t: TestServer;
let admin: string;
beforeAll(async () => {
  t = await startTestServer({
    // The shipped limits (TIER_0: 50 per transaction, 100 a day, a balance cap of 200) and rules.
    KYC_LIMITS_FILE: 'config/kyc-limits.json',
    RISK_RULES: 'true',
    RISK_LARGE_AMOUNT: '30',
    RISK_FAILED_METHODS_REVIEW: '2',
    RISK_FAILED_METHODS_BLOCK: '3',
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

async function user(balance: string, tier: 'TIER_0' | 'TIER_1' = 'TIER_1'): Promise<TestUser> {
  const person = await signUpUser(t, { label: 'pv' });
  // Sign-ins older than the new-device window, so that only the rules a case is about can fire.
  await t.server.db.prisma.session.updateMany({ where: { userId: person.userId }, data: { createdAt: new Date(Date.now() - 86_400_000) } });
  await t.server.db.prisma.user.update({ where: { id: person.userId }, data: { kycTier: tier } });
  if (balance !== '0') await credit(t, admin, person.walletId, balance);
  return person;
}

const balanceOf = async (u: TestUser) => (await t.query(PvBalance, {}, { token: u.token })).me.wallets[0]!.balance;

/** Previews, then sends the same input; both answers, and the sender's balance around the preview. */
async function previewThenSend(from: TestUser, input: { recipient: object; amount: { amount: string; currency: string }; note?: string }) {
  const before = await balanceOf(from);
  const preview = (await t.query(PvPreview, { input }, { token: from.token })).previewTransfer;
  expect(await balanceOf(from)).toEqual(before);
  const sent = (await t.query(PvSend, { input: { ...input, idempotencyKey: randomUUID() } }, { token: from.token })).sendMoney;
  return { preview, sent };
}

describe('previewTransfer answers what sendMoney answers', () => {
  it('for every refusal: the same code, field and words, and no preview', async () => {
    const [alice, bob, tier0, capped, frozen] = await Promise.all([
      user('40.00'),
      user('0'),
      user('150.00', 'TIER_0'),
      user('195.00', 'TIER_0'),
      user('10.00'),
    ]);
    await t.query(PvFreeze, { input: { walletId: frozen.walletId, status: 'FROZEN' } }, { token: admin });
    const blocked = await user('10.00');
    await t.server.db.prisma.paymentMethodFailure.createMany({
      data: Array.from({ length: 3 }, () => ({ userId: blocked.userId, kind: 'CARD' as const, reason: 'test' })),
    });

    const cases: [string, TestUser, Parameters<typeof previewThenSend>[1]][] = [
      ['RECIPIENT_NOT_FOUND', alice, { recipient: { email: `nobody-${randomUUID()}@example.com` }, amount: usd('1.00') }],
      ['SELF_TRANSFER', alice, { recipient: { email: alice.email }, amount: usd('1.00') }],
      ['SELF_TRANSFER', alice, { recipient: { walletId: alice.walletId }, amount: usd('1.00') }],
      ['NO_WALLET_IN_CURRENCY', alice, { recipient: { email: bob.email }, amount: { amount: '1.00', currency: 'EUR' } }],
      ['INSUFFICIENT_FUNDS', alice, { recipient: { email: bob.email }, amount: usd('40.01') }],
      ['WALLET_FROZEN', frozen, { recipient: { email: bob.email }, amount: usd('1.00') }],
      ['WALLET_FROZEN', alice, { recipient: { email: frozen.email }, amount: usd('1.00') }],
      ['LIMIT_EXCEEDED', tier0, { recipient: { email: bob.email }, amount: usd('50.01') }],
      ['LIMIT_EXCEEDED', alice, { recipient: { email: capped.email }, amount: usd('5.01') }],
      ['TRANSFER_DECLINED', blocked, { recipient: { email: bob.email }, amount: usd('1.00') }],
      ['INVALID_AMOUNT', alice, { recipient: { email: bob.email }, amount: usd('0.001') }],
      ['INVALID_INPUT', alice, { recipient: { email: bob.email }, amount: usd('1.00'), note: 'x'.repeat(281) }],
    ];
    const codes = [];
    for (const [expected, from, input] of cases) {
      const { preview, sent } = await previewThenSend(from, input);
      expect(sent.transfer, expected).toBeNull();
      expect(preview.preview, expected).toBeNull();
      expect(preview.userErrors, expected).toEqual(sent.userErrors);
      codes.push(preview.userErrors.map((e) => e.code).join());
    }
    expect(codes).toEqual(cases.map(([code]) => code));
    // The daily limit, after sends that used it (two of 50 at TIER_0: 100 a day).
    for (let i = 0; i < 2; i++) {
      const ok = await previewThenSend(tier0, { recipient: { email: bob.email }, amount: usd('50.00') });
      expect(ok.preview.userErrors).toEqual([]);
      expect(ok.sent.transfer?.status).toBe(ok.preview.preview!.riskDecision === 'REVIEW' ? 'IN_REVIEW' : 'POSTED');
    }
    const daily = await previewThenSend(tier0, { recipient: { email: bob.email }, amount: usd('0.01') });
    expect(daily.preview.userErrors).toEqual(daily.sent.userErrors);
    expect(daily.preview.userErrors[0]).toMatchObject({ code: 'LIMIT_EXCEEDED', field: ['input', 'amount'] });
  });

  it('where the send goes through: no userError, the total, and the risk decision the send gets', async () => {
    const [alice, bob] = await Promise.all([user('100.00'), user('0')]);
    const small = await previewThenSend(alice, { recipient: { email: bob.email }, amount: usd('10.00') });
    expect(small.preview).toMatchObject({ userErrors: [], preview: { total: { amount: '10.00' }, riskDecision: 'ALLOW' } });
    expect(small.sent).toMatchObject({ userErrors: [], transfer: { status: 'POSTED' } });
    // Above RISK_LARGE_AMOUNT: held for review, as the preview said.
    const large = await previewThenSend(alice, { recipient: { email: bob.email }, amount: usd('31.00') });
    expect(large.preview).toMatchObject({ userErrors: [], preview: { riskDecision: 'REVIEW' } });
    expect(large.sent).toMatchObject({ userErrors: [], transfer: { status: 'IN_REVIEW' } });
    // The hold is taken into account: 59 are available, so 60 is refused by both.
    const held = await previewThenSend(alice, { recipient: { email: bob.email }, amount: usd('60.00') });
    expect(held.preview.userErrors).toEqual(held.sent.userErrors);
    expect(held.preview.userErrors[0]?.code).toBe('INSUFFICIENT_FUNDS');
  });
});
