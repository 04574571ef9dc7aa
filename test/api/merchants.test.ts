// Merchants end to end: registering (wallet, static QR code), members and what each role sees,
// payment requests with QR codes that decode back to their link, paying them (fixed and open
// amounts, the fee to FEES, retries, single use under concurrency, expiry, cancellation), both
// checkout screens seeing the payment live, refunds in part and in full that never pass what was
// paid (also concurrently), the merchant's payments with filters, and the daily settlement. Live:
// a checkout's paymentRequestUpdated starts with the request's state of the moment, and the
// merchant-wide merchantPaymentReceived reaches every member (not others) with each payment to any
// of its requests, until the session that opened it is revoked; with catchUp it first sends what
// was committed after the newest payment the subscriber had read.
import { randomUUID } from 'node:crypto';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { graphql } from '../gql/index.js';
import { expectLedgerConsistent } from '../helpers/ledger.js';
import { credit, signInAdmin, signUpUser, type TestUser } from '../helpers/people.js';
import { usingPostgres } from '../helpers/testDatabase.js';
import { STRONG_PASSWORD, startTestServer, type TestServer } from '../helpers/testServer.js';
import { connectWs, type TestWsClient } from '../helpers/wsClient.js';

const ADMIN = { email: 'merchants.admin@example.com', password: 'Merchant-Keeper-2026!' };
const WAIT_MS = usingPostgres ? 15_000 : 40_000;

const MxWallets = graphql(`query MxWallets { me { wallets { id balance { posted { amount } } } } }`);
const MxRegister = graphql(`
  mutation MxRegister($input: RegisterMerchantInput!) {
    registerMerchant(input: $input) {
      merchant { id name myRole settlementCurrency webhookUrl balances { posted { amount currency } } staticPaymentRequest { code amount { amount } isStatic singleUse } }
      userErrors { field code message }
    }
  }
`);
const MxAddMember = graphql(`
  mutation MxAddMember($input: AddMerchantMemberInput!) { addMerchantMember(input: $input) { role member { email role } userErrors { field code message } } }
`);
const MxMerchant = graphql(`
  query MxMerchant($id: ID!) {
    node(id: $id) { ... on Merchant { id name myRole webhookUrl members { email role } balances { posted { amount } available { amount } } } }
  }
`);
const MxCreate = graphql(`
  mutation MxCreate($input: CreatePaymentRequestInput!) {
    createPaymentRequest(input: $input) {
      paymentRequest { code url qrCodePngUrl qrCodeSvgUrl qrCodeDataUrl merchantName amount { amount currency } currency description reference status singleUse expiresAt }
      userErrors { field code message }
    }
  }
`);
const MxRequest = graphql(`
  query MxRequest($code: String!) { paymentRequest(code: $code) { code merchantName amount { amount } status paidCount reference description } }
`);
const MxCancel = graphql(`
  mutation MxCancel($code: String!) { cancelPaymentRequest(code: $code) { paymentRequest { status } userErrors { field code message } } }
`);
const MxPay = graphql(`
  mutation MxPay($input: PayPaymentRequestInput!) {
    payPaymentRequest(input: $input) {
      payment { id merchantName amount { amount currency } requestCode }
      transaction { id type status direction amount { amount } counterparty { displayName } }
      replayed
      userErrors { field code message }
    }
  }
`);
const MxRefund = graphql(`
  mutation MxRefund($input: RefundPaymentInput!) {
    refundPayment(input: $input) {
      refund { id amount { amount } reason }
      payment { id status refunded { amount } }
      replayed
      userErrors { field code message }
    }
  }
`);
const MxPayments = graphql(`
  query MxPayments($merchantId: ID!, $filter: MerchantPaymentFilter, $first: Int) {
    merchantPayments(merchantId: $merchantId, filter: $filter, first: $first) {
      edges { node { id amount { amount } fee { amount } net { amount } refunded { amount } status requestCode reference payerName refunds { amount { amount } } } }
      pageInfo { hasNextPage }
    }
  }
`);
const MxSettlement = graphql(`
  query MxSettlement($id: ID!, $day: String!) {
    node(id: $id) { ... on Merchant { settlement(day: $day) { day payments gross { amount currency } fees { amount } refunds refunded { amount } net { amount } } } }
  }
`);
const MxRequestUpdated = graphql(`
  subscription MxRequestUpdated($code: String!) { paymentRequestUpdated(code: $code) { code status paidCount } }
`);
const MxPaymentReceived = graphql(`
  subscription MxPaymentReceived($merchantId: ID!) {
    merchantPaymentReceived(merchantId: $merchantId) {
      id amount { amount currency } fee { amount } net { amount } refunded { amount } status requestCode reference payerName createdAt
    }
  }
`);
const MxPaymentCatchUp = graphql(`
  subscription MxPaymentCatchUp($merchantId: ID!, $after: ID) {
    merchantPaymentReceived(merchantId: $merchantId, catchUp: true, after: $after) { id amount { amount } }
  }
`);
const MxSignIn = graphql(`mutation MxSignIn($input: SignInInput!) { signIn(input: $input) { tokens { accessToken } } }`);
const MxSessions = graphql(`query MxSessions { me { sessions(first: 10) { edges { node { id current } } } } }`);
const MxRevoke = graphql(`mutation MxRevoke($input: RevokeSessionInput!) { revokeSession(input: $input) { userErrors { code } } }`);
const MxTransactionUpdated = graphql(`subscription MxTransactionUpdated { transactionUpdated { id type status direction } }`);

let t: TestServer;
let admin: string;
beforeAll(async () => {
  t = await startTestServer({ BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password, MERCHANT_FEE: '290+30' });
  admin = await signInAdmin(t, ADMIN);
});
afterAll(async () => {
  if (t) await expectLedgerConsistent(t);
  await t?.stop();
});

const usd = (amount: string) => ({ amount, currency: 'USD' });

type Person = TestUser;

async function person(balance = '0'): Promise<Person> {
  const user = await signUpUser(t, { label: 'mx', displayName: `Payer ${randomUUID().slice(0, 6)}` });
  if (balance !== '0') await credit(t, admin, user.walletId, balance);
  return user;
}

const balanceOf = async (p: Person) => (await t.query(MxWallets, {}, { token: p.token })).me.wallets[0]!.balance.posted.amount;

async function merchantWithOwner(name = 'Corner Coffee') {
  const owner = await person();
  const registered = (
    await t.query(
      MxRegister,
      { input: { name, category: 'coffee shop', settlementCurrency: 'USD', webhookUrl: 'https://example.com/hooks' } },
      { token: owner.token },
    )
  ).registerMerchant;
  expect(registered.userErrors).toEqual([]);
  return { owner, merchant: registered.merchant! };
}

async function request(owner: Person, merchantId: string, input: Record<string, unknown> = {}) {
  const created = (
    await t.query(
      MxCreate,
      { input: { merchantId, amount: usd('100.00'), description: 'Flat white and a croissant', reference: 'order-1', ...input } },
      { token: owner.token },
    )
  ).createPaymentRequest;
  expect(created.userErrors).toEqual([]);
  return created.paymentRequest!;
}

const pay = async (payer: Person, code: string, extra: { amount?: ReturnType<typeof usd>; idempotencyKey?: string } = {}) =>
  (
    await t.query(
      MxPay,
      { input: { code, idempotencyKey: extra.idempotencyKey ?? randomUUID(), ...(extra.amount ? { amount: extra.amount } : {}) } },
      { token: payer.token },
    )
  ).payPaymentRequest;

const merchantBalance = async (owner: Person, merchantId: string) =>
  (await t.query(MxMerchant, { id: merchantId }, { token: owner.token })).node as { balances: { posted: { amount: string } }[] } | null;

const closedWithin = (ws: TestWsClient, ms = WAIT_MS) =>
  Promise.race([ws.closed, new Promise<'still open'>((resolve) => setTimeout(() => resolve('still open'), ms))]);

/** Resolves once `count` more client subscriptions than `before` are live on the server (no sleeping). */
const liveSubscriptions = (before: number, count: number) =>
  vi.waitFor(() => expect(t.server.pubsub.subscriptionCount()).toBeGreaterThanOrEqual(before + count), { timeout: WAIT_MS, interval: 20 });

function decodePng(png: Buffer): string | null {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data ?? null;
}

describe('merchants and members', () => {
  it('registers with a wallet in the settlement currency and a static QR code; members see by role; others see nothing', async () => {
    const { owner, merchant } = await merchantWithOwner();
    expect(merchant).toMatchObject({
      name: 'Corner Coffee',
      myRole: 'OWNER',
      settlementCurrency: 'USD',
      webhookUrl: 'https://example.com/hooks',
      balances: [{ posted: { amount: '0.00', currency: 'USD' } }],
      staticPaymentRequest: { amount: null, isStatic: true, singleUse: false },
    });
    const staff = await person();
    const added = (
      await t.query(MxAddMember, { input: { merchantId: merchant.id, email: staff.email, role: 'STAFF' } }, { token: owner.token })
    ).addMerchantMember;
    expect(added).toEqual({ role: 'STAFF', member: { email: staff.email, role: 'STAFF' }, userErrors: [] });
    const asStaff = await t.query(MxMerchant, { id: merchant.id }, { token: staff.token });
    expect(asStaff.node).toMatchObject({ myRole: 'STAFF', webhookUrl: null, members: [] });
    const asOwner = await t.query(MxMerchant, { id: merchant.id }, { token: owner.token });
    expect((asOwner.node as { members: { role: string }[] }).members.map((m) => m.role)).toEqual(['OWNER', 'STAFF']);
    // Staff cannot add members; strangers cannot see the merchant at all.
    const stranger = await person();
    const byStaff = (
      await t.query(MxAddMember, { input: { merchantId: merchant.id, email: stranger.email, role: 'OWNER' } }, { token: staff.token })
    ).addMerchantMember;
    expect(byStaff.userErrors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'merchantId'] });
    expect((await t.query(MxMerchant, { id: merchant.id }, { token: stranger.token })).node).toBeNull();
  });

  it('refuses bad registrations by field', async () => {
    const owner = await person();
    const bad = (
      await t.query(
        MxRegister,
        { input: { name: 'X', category: 'shop', settlementCurrency: 'USD', webhookUrl: 'http://example.com/hook' } },
        { token: owner.token },
      )
    ).registerMerchant;
    expect(bad.merchant).toBeNull();
    expect(bad.userErrors.map((e) => e.field)).toEqual([
      ['input', 'name'],
      ['input', 'webhookUrl'],
    ]);
    const currency = (
      await t.query(MxRegister, { input: { name: 'Shop', category: 'shop', settlementCurrency: 'SEK' } }, { token: owner.token })
    ).registerMerchant;
    expect(currency.userErrors[0]?.code).toBe('UNSUPPORTED_CURRENCY');
  });
});

describe('payment requests and QR codes', () => {
  it('gives a short code, a link, and QR codes (PNG, SVG, data URL) that decode back to the link', async () => {
    const { owner, merchant } = await merchantWithOwner();
    const r = await request(owner, merchant.id);
    expect(r.code).toMatch(/^[A-Za-z0-9]{12}$/);
    expect(r.url).toBe(`${t.origin}/pay/${r.code}`);
    expect(r).toMatchObject({
      merchantName: 'Corner Coffee',
      amount: { amount: '100.00', currency: 'USD' },
      status: 'OPEN',
      singleUse: true,
      reference: 'order-1',
    });

    const png = await fetch(`${t.origin}/pay/${r.code}.png`);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(decodePng(Buffer.from(await png.arrayBuffer()))).toBe(r.url);
    expect(decodePng(Buffer.from(r.qrCodeDataUrl.replace(/^data:image\/png;base64,/, ''), 'base64'))).toBe(r.url);
    const svg = await fetch(`${t.origin}/pay/${r.code}.svg`);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    expect(await svg.text()).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect((await fetch(`${t.origin}/pay/AAAAAAAAAAAA.png`)).status).toBe(404);
  });

  it("shows payers the payer-safe fields only: the reference is the merchant's", async () => {
    const { owner, merchant } = await merchantWithOwner();
    const r = await request(owner, merchant.id);
    const payer = await person();
    const seen = (await t.query(MxRequest, { code: r.code }, { token: payer.token })).paymentRequest;
    expect(seen).toMatchObject({
      merchantName: 'Corner Coffee',
      amount: { amount: '100.00' },
      status: 'OPEN',
      reference: null,
      description: 'Flat white and a croissant',
    });
    expect((await t.query(MxRequest, { code: 'nope' }, { token: payer.token })).paymentRequest).toBeNull();
  });

  it('refuses bad requests by field and requests from non-members', async () => {
    const { owner, merchant } = await merchantWithOwner();
    const stranger = await person();
    const create = async (who: Person, input: Record<string, unknown>) =>
      (await t.query(MxCreate, { input: { merchantId: merchant.id, ...input } }, { token: who.token })).createPaymentRequest;
    expect((await create(stranger, { amount: usd('1.00') })).userErrors[0]).toMatchObject({ code: 'NOT_FOUND' });
    expect((await create(owner, { amount: usd('0') })).userErrors[0]).toMatchObject({
      code: 'INVALID_AMOUNT',
      field: ['input', 'amount', 'amount'],
    });
    expect((await create(owner, { amount: { amount: '5.00', currency: 'EUR' } })).userErrors[0]).toMatchObject({
      code: 'CURRENCY_MISMATCH',
    });
    expect((await create(owner, { expiresAt: new Date(Date.now() - 1000).toISOString() })).userErrors[0]).toMatchObject({
      field: ['input', 'expiresAt'],
    });
    expect((await create(owner, { description: 'x'.repeat(141) })).userErrors[0]).toMatchObject({ field: ['input', 'description'] });
  });
});

describe('paying', () => {
  it('moves the amount to the merchant and the fee to FEES, once per key; payer and merchant see it live', async () => {
    const { owner, merchant } = await merchantWithOwner();
    const r = await request(owner, merchant.id);
    const payer = await person('250.00');
    const payerWs = connectWs(t.wsUrl, `Bearer ${payer.token}`);
    const ownerWs = connectWs(t.wsUrl, `Bearer ${owner.token}`);
    try {
      await Promise.all([payerWs.connected, ownerWs.connected]);
      const before = t.server.pubsub.subscriptionCount();
      const payerCheckout = payerWs.subscribe(MxRequestUpdated, { code: r.code });
      const merchantCheckout = ownerWs.subscribe(MxRequestUpdated, { code: r.code });
      const payerHistory = payerWs.subscribe(MxTransactionUpdated);
      // The first event of each checkout is the request as it is now (OPEN): live from then on.
      for (const checkout of [payerCheckout, merchantCheckout])
        await checkout.next((d) => d.paymentRequestUpdated.status === 'OPEN', WAIT_MS);
      await liveSubscriptions(before, 3);
      const key = randomUUID();
      const paid = await pay(payer, r.code, { idempotencyKey: key });
      expect(paid.userErrors).toEqual([]);
      expect(paid.payment).toMatchObject({
        merchantName: 'Corner Coffee',
        amount: { amount: '100.00', currency: 'USD' },
        requestCode: r.code,
      });
      expect(paid.transaction).toMatchObject({
        type: 'PAYMENT',
        status: 'POSTED',
        direction: 'OUT',
        amount: { amount: '100.00' },
        counterparty: { displayName: 'Corner Coffee' },
      });
      for (const checkout of [payerCheckout, merchantCheckout]) {
        expect((await checkout.next((d) => d.paymentRequestUpdated.status === 'PAID', WAIT_MS)).paymentRequestUpdated).toEqual({
          code: r.code,
          status: 'PAID',
          paidCount: 1,
        });
      }
      await payerHistory.next((d) => d.transactionUpdated.id === paid.transaction!.id, WAIT_MS);

      // 2.90 % of 100.00 + 0.30 = 3.20 to FEES.
      expect(await balanceOf(payer)).toBe('150.00');
      expect((await merchantBalance(owner, merchant.id))!.balances[0]!.posted.amount).toBe('96.80');
      const again = await pay(payer, r.code, { idempotencyKey: key });
      expect(again.payment?.id).toBe(paid.payment!.id);
      expect([paid.replayed, again.replayed]).toEqual([false, true]);
      expect(await balanceOf(payer)).toBe('150.00');
    } finally {
      await Promise.all([payerWs.dispose(), ownerWs.dispose()]);
    }
  });

  it('a single-use request paid by many at once is paid once', async () => {
    const { owner, merchant } = await merchantWithOwner();
    const r = await request(owner, merchant.id, { amount: usd('10.00') });
    const payers = await Promise.all(Array.from({ length: 8 }, () => person('20.00')));
    const results = await Promise.all(payers.map((p) => pay(p, r.code)));
    const ok = results.filter((x) => x.userErrors.length === 0);
    expect(ok).toHaveLength(1);
    for (const refused of results.filter((x) => x.userErrors.length > 0)) {
      expect(refused.userErrors[0]).toMatchObject({ code: 'PAYMENT_REQUEST_CLOSED', field: ['input', 'code'] });
    }
    const balances = await Promise.all(payers.map(balanceOf));
    expect(balances.filter((b) => b === '10.00')).toHaveLength(1);
    expect(balances.filter((b) => b === '20.00')).toHaveLength(7);
    expect((await t.query(MxRequest, { code: r.code }, { token: owner.token })).paymentRequest).toMatchObject({
      status: 'PAID',
      paidCount: 1,
    });
  });

  it('open and multi-use requests: the payer enters the amount, each payment is recorded', async () => {
    const { owner, merchant } = await merchantWithOwner();
    const open = await request(owner, merchant.id, { amount: null, singleUse: false });
    const payer = await person('100.00');
    expect((await pay(payer, open.code)).userErrors[0]).toMatchObject({ code: 'INVALID_AMOUNT', field: ['input', 'amount'] });
    expect((await pay(payer, open.code, { amount: { amount: '5.00', currency: 'EUR' } })).userErrors[0]).toMatchObject({
      code: 'CURRENCY_MISMATCH',
    });
    expect((await pay(payer, open.code, { amount: usd('12.34') })).userErrors).toEqual([]);
    expect((await pay(payer, open.code, { amount: usd('7.66') })).userErrors).toEqual([]);
    expect((await t.query(MxRequest, { code: open.code }, { token: owner.token })).paymentRequest).toMatchObject({
      status: 'OPEN',
      paidCount: 2,
    });
    // A fixed amount cannot be changed by the payer.
    const fixed = await request(owner, merchant.id, { amount: usd('10.00') });
    expect((await pay(payer, fixed.code, { amount: usd('1.00') })).userErrors[0]).toMatchObject({ code: 'INVALID_AMOUNT' });
    // The static QR code takes any amount, any number of times.
    const staticCode = merchant.staticPaymentRequest.code;
    expect((await pay(payer, staticCode, { amount: usd('1.00') })).userErrors).toEqual([]);
    expect((await pay(payer, staticCode, { amount: usd('1.00') })).userErrors).toEqual([]);
    expect(await balanceOf(payer)).toBe('78.00');
  });

  it('refuses expired and cancelled requests, and payments the payer cannot afford, moving nothing', async () => {
    const { owner, merchant } = await merchantWithOwner();
    const payer = await person('50.00');
    const soon = await request(owner, merchant.id, { amount: usd('5.00'), expiresAt: new Date(Date.now() + 1_000).toISOString() });
    const checkout = connectWs(t.wsUrl, `Bearer ${payer.token}`);
    try {
      await checkout.connected;
      const live = checkout.subscribe(MxRequestUpdated, { code: soon.code });
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      expect((await pay(payer, soon.code)).userErrors[0]).toMatchObject({ code: 'PAYMENT_REQUEST_EXPIRED', field: ['input', 'code'] });
      expect((await t.query(MxRequest, { code: soon.code }, { token: payer.token })).paymentRequest?.status).toBe('EXPIRED');
      // The expiry job marks it and tells the checkout screens.
      expect(await t.server.services.paymentRequests.expireDue()).toBeGreaterThanOrEqual(1);
      expect((await live.next((d) => d.paymentRequestUpdated.status === 'EXPIRED', WAIT_MS)).paymentRequestUpdated.status).toBe('EXPIRED');
    } finally {
      await checkout.dispose();
    }
    const cancelled = await request(owner, merchant.id, { amount: usd('5.00') });
    expect((await t.query(MxCancel, { code: cancelled.code }, { token: owner.token })).cancelPaymentRequest.paymentRequest?.status).toBe(
      'CANCELLED',
    );
    expect((await pay(payer, cancelled.code)).userErrors[0]).toMatchObject({ code: 'PAYMENT_REQUEST_CLOSED' });
    const tooMuch = await request(owner, merchant.id, { amount: usd('50.01') });
    expect((await pay(payer, tooMuch.code)).userErrors[0]).toMatchObject({ code: 'INSUFFICIENT_FUNDS', field: ['input', 'amount'] });
    expect((await t.query(MxRequest, { code: tooMuch.code }, { token: payer.token })).paymentRequest).toMatchObject({
      status: 'OPEN',
      paidCount: 0,
    });
    expect(await balanceOf(payer)).toBe('50.00');
    expect((await merchantBalance(owner, merchant.id))!.balances[0]!.posted.amount).toBe('0.00');
  });
});

describe('live feeds', () => {
  it('paymentRequestUpdated starts with the state of the moment: a screen that subscribes after the payment sees it paid', async () => {
    const { owner, merchant } = await merchantWithOwner('Late Bistro');
    const paidFirst = await request(owner, merchant.id, { amount: usd('5.00') });
    const stillOpen = await request(owner, merchant.id, { amount: usd('6.00') });
    const payer = await person('20.00');
    expect((await pay(payer, paidFirst.code)).userErrors).toEqual([]);
    const ws = connectWs(t.wsUrl, `Bearer ${owner.token}`);
    try {
      await ws.connected;
      const late = ws.subscribe(MxRequestUpdated, { code: paidFirst.code });
      expect((await late.next(undefined, WAIT_MS)).paymentRequestUpdated).toEqual({ code: paidFirst.code, status: 'PAID', paidCount: 1 });
      // An open one: OPEN at once, then the payment.
      const open = ws.subscribe(MxRequestUpdated, { code: stillOpen.code });
      await open.next((d) => d.paymentRequestUpdated.status === 'OPEN', WAIT_MS);
      expect((await pay(payer, stillOpen.code)).userErrors).toEqual([]);
      await open.next((d) => d.paymentRequestUpdated.status === 'PAID', WAIT_MS);
      expect(open.results.map((r) => r.data?.paymentRequestUpdated.status)).toEqual(['OPEN', 'PAID']);
      expect(late.results).toHaveLength(1);
    } finally {
      await ws.dispose();
    }
  });

  it('merchantPaymentReceived brings every member each payment to any request, as merchantPayments lists it; others are refused', async () => {
    const { owner, merchant } = await merchantWithOwner('Feed Cafe');
    const staff = await person();
    const added = await t.query(
      MxAddMember,
      { input: { merchantId: merchant.id, email: staff.email, role: 'STAFF' } },
      { token: owner.token },
    );
    expect(added.addMerchantMember.userErrors).toEqual([]);
    const stranger = await person();
    const payer = await person('50.00');
    const sockets = [owner, staff, stranger].map((p) => connectWs(t.wsUrl, `Bearer ${p.token}`));
    try {
      await Promise.all(sockets.map((ws) => ws.connected));
      const before = t.server.pubsub.subscriptionCount();
      const [ownerFeed, staffFeed, strangerFeed] = sockets.map((ws) => ws.subscribe(MxPaymentReceived, { merchantId: merchant.id }));
      // Not a member: as if there were no such merchant (an execution result with the error, as for any refused subscription).
      await vi.waitFor(() => expect(strangerFeed!.results[0]?.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' } }), {
        timeout: WAIT_MS,
      });
      await liveSubscriptions(before, 2);

      // A request made elsewhere (not by this screen) and the static QR code alike.
      const r = await request(owner, merchant.id, { amount: usd('12.00'), reference: 'order-feed' });
      const staticCode = merchant.staticPaymentRequest.code;
      expect((await pay(payer, r.code)).userErrors).toEqual([]);
      expect((await pay(payer, staticCode, { amount: usd('3.50') })).userErrors).toEqual([]);

      const listed = (await t.query(MxPayments, { merchantId: merchant.id }, { token: owner.token })).merchantPayments.edges.map(
        (e) => e.node,
      );
      for (const feed of [ownerFeed!, staffFeed!]) {
        await feed.next((d) => d.merchantPaymentReceived.requestCode === staticCode, WAIT_MS);
        const received = feed.results.map((x) => x.data!.merchantPaymentReceived);
        expect(received.map((p) => [p.requestCode, p.amount.amount])).toEqual([
          [r.code, '12.00'],
          [staticCode, '3.50'],
        ]);
        // What the list says about each, field for field (the feed reads nothing: it carries the committed payment).
        for (const p of received) {
          const row = listed.find((l) => l.id === p.id)!;
          expect(p).toMatchObject({
            amount: { amount: row.amount.amount, currency: 'USD' },
            fee: row.fee,
            net: row.net,
            refunded: row.refunded,
            status: 'PAID',
            reference: row.reference,
            payerName: row.payerName,
          });
        }
      }
      expect(ownerFeed!.results[0]!.data!.merchantPaymentReceived.reference).toBe('order-feed');
      expect(strangerFeed!.results.filter((x) => x.data)).toHaveLength(0);
    } finally {
      await Promise.all(sockets.map((ws) => ws.dispose()));
    }
  });

  it('merchantPaymentReceived ends with the session that opened it (4401); another session keeps it', async () => {
    const { owner, merchant } = await merchantWithOwner('Revoked Deli');
    const payer = await person('10.00');
    const other = (await t.query(MxSignIn, { input: { email: owner.email, password: STRONG_PASSWORD } })).signIn.tokens!.accessToken;
    const revoked = connectWs(t.wsUrl, `Bearer ${other}`);
    const kept = connectWs(t.wsUrl, `Bearer ${owner.token}`);
    try {
      await Promise.all([revoked.connected, kept.connected]);
      const before = t.server.pubsub.subscriptionCount();
      const endedFeed = revoked.subscribe(MxPaymentReceived, { merchantId: merchant.id });
      const keptFeed = kept.subscribe(MxPaymentReceived, { merchantId: merchant.id });
      await liveSubscriptions(before, 2);
      const sessionId = (await t.query(MxSessions, {}, { token: other })).me.sessions.edges.find((e) => e.node.current)!.node.id;
      expect((await t.query(MxRevoke, { input: { sessionId } }, { token: owner.token })).revokeSession.userErrors).toEqual([]);
      expect(await closedWithin(revoked)).toEqual({ code: 4401, reason: 'Session ended: sign in again' });

      expect((await pay(payer, merchant.staticPaymentRequest.code, { amount: usd('1.00') })).userErrors).toEqual([]);
      await keptFeed.next((d) => d.merchantPaymentReceived.amount.amount === '1.00', WAIT_MS);
      expect(endedFeed.results).toEqual([]);
      expect(await closedWithin(kept, 200)).toBe('still open');
    } finally {
      await Promise.all([revoked.dispose(), kept.dispose()]);
    }
  });

  it('merchantPaymentReceived with catchUp first sends the payments committed after the newest one read (oldest first), then live ones, none twice', async () => {
    const { owner, merchant } = await merchantWithOwner('Catch-up Bakery');
    const payer = await person('20.00');
    const code = merchant.staticPaymentRequest.code;
    const ws = connectWs(t.wsUrl, `Bearer ${owner.token}`);
    try {
      await ws.connected;
      // An empty list read (after: null): a payment made before the subscription starts still comes.
      expect((await pay(payer, code, { amount: usd('1.00') })).userErrors).toEqual([]);
      const fromEmpty = ws.subscribe(MxPaymentCatchUp, { merchantId: merchant.id, after: null });
      await fromEmpty.next((d) => d.merchantPaymentReceived.amount.amount === '1.00', WAIT_MS);
      fromEmpty.unsubscribe();

      // The screen read its list (newest: 1.00), then two payments landed before it subscribed.
      const read = (await t.query(MxPayments, { merchantId: merchant.id }, { token: owner.token })).merchantPayments.edges[0]!.node.id;
      expect((await pay(payer, code, { amount: usd('2.00') })).userErrors).toEqual([]);
      expect((await pay(payer, code, { amount: usd('3.00') })).userErrors).toEqual([]);
      const before = t.server.pubsub.subscriptionCount();
      const feed = ws.subscribe(MxPaymentCatchUp, { merchantId: merchant.id, after: read });
      await liveSubscriptions(before, 1);
      expect((await pay(payer, code, { amount: usd('4.00') })).userErrors).toEqual([]);
      await feed.next((d) => d.merchantPaymentReceived.amount.amount === '4.00', WAIT_MS);
      expect(feed.results.map((r) => r.data!.merchantPaymentReceived.amount.amount)).toEqual(['2.00', '3.00', '4.00']);
      // Without catchUp, only what comes after it starts (as before).
      const plain = ws.subscribe(MxPaymentReceived, { merchantId: merchant.id });
      await liveSubscriptions(before, 2);
      expect((await pay(payer, code, { amount: usd('5.00') })).userErrors).toEqual([]);
      await plain.next((d) => d.merchantPaymentReceived.amount.amount === '5.00', WAIT_MS);
      expect(plain.results).toHaveLength(1);
    } finally {
      await ws.dispose();
    }
  });
});

describe('refunds', () => {
  async function paidPayment(amount = '100.00') {
    const { owner, merchant } = await merchantWithOwner();
    const r = await request(owner, merchant.id, { amount: usd(amount) });
    const payer = await person(amount);
    const paid = await pay(payer, r.code);
    expect(paid.userErrors).toEqual([]);
    const payments = (await t.query(MxPayments, { merchantId: merchant.id }, { token: owner.token })).merchantPayments.edges;
    return { owner, merchant, payer, paymentId: payments[0]!.node.id };
  }

  const refund = async (who: Person, paymentId: string, amount?: string, key = randomUUID()) =>
    (
      await t.query(
        MxRefund,
        { input: { paymentId, reason: 'customer returned it', idempotencyKey: key, ...(amount ? { amount: usd(amount) } : {}) } },
        { token: who.token },
      )
    ).refundPayment;

  it('refunds in parts up to the amount paid, never beyond, each a linked REFUND transaction', async () => {
    const { owner, merchant, payer, paymentId } = await paidPayment();
    const first = await refund(owner, paymentId, '30.00');
    expect(first.userErrors).toEqual([]);
    expect(first.payment).toMatchObject({ status: 'PARTIALLY_REFUNDED', refunded: { amount: '30.00' } });
    expect(await balanceOf(payer)).toBe('30.00');
    const over = await refund(owner, paymentId, '70.01');
    expect(over.userErrors[0]).toMatchObject({
      code: 'REFUND_EXCEEDS_PAYMENT',
      field: ['input', 'amount'],
      message: 'At most 70.00 USD of this payment can still be refunded.',
    });
    // The merchant holds 96.80 - 30.00 = 66.80: the rest of the refund (70.00) is more than it has.
    const rest = await refund(owner, paymentId);
    expect(rest.userErrors[0]).toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
    // Another payment (10.00, fee 0.59) gives the merchant enough.
    const payer2 = await person('10.00');
    const code = (await request(owner, merchant.id, { amount: usd('10.00') })).code;
    expect((await pay(payer2, code)).userErrors).toEqual([]);
    const all = await refund(owner, paymentId);
    expect(all.userErrors).toEqual([]);
    expect(all.payment).toMatchObject({ status: 'REFUNDED', refunded: { amount: '100.00' } });
    expect(await balanceOf(payer)).toBe('100.00');
    expect((await refund(owner, paymentId, '0.01')).userErrors[0]).toMatchObject({
      code: 'REFUND_EXCEEDS_PAYMENT',
      message: 'This payment is already refunded in full.',
    });
  });

  it('concurrent partial refunds together never pass the amount paid', async () => {
    const { owner, merchant, payer, paymentId } = await paidPayment();
    // Enough in the merchant's wallet for every refund to be affordable on its own.
    const topUp = await person('300.00');
    const r = await request(owner, merchant.id, { amount: usd('300.00') });
    expect((await pay(topUp, r.code)).userErrors).toEqual([]);
    const results = await Promise.all(Array.from({ length: 6 }, () => refund(owner, paymentId, '30.00')));
    expect(results.filter((x) => x.userErrors.length === 0)).toHaveLength(3);
    expect(results.filter((x) => x.userErrors[0]?.code === 'REFUND_EXCEEDS_PAYMENT')).toHaveLength(3);
    expect(await balanceOf(payer)).toBe('90.00');
    const payments = (
      await t.query(MxPayments, { merchantId: merchant.id, filter: { status: 'PARTIALLY_REFUNDED' } }, { token: owner.token })
    ).merchantPayments.edges;
    expect(payments.map((e) => e.node.refunded.amount)).toEqual(['90.00']);
  });

  it('a retry with the same key refunds once; staff may refund; strangers and payers may not', async () => {
    const { owner, merchant, payer, paymentId } = await paidPayment();
    const staff = await person();
    await t.query(MxAddMember, { input: { merchantId: merchant.id, email: staff.email, role: 'STAFF' } }, { token: owner.token });
    const key = randomUUID();
    const once = await refund(staff, paymentId, '10.00', key);
    const twice = await refund(staff, paymentId, '10.00', key);
    expect(twice.refund?.id).toBe(once.refund!.id);
    expect([once.replayed, twice.replayed]).toEqual([false, true]);
    expect(await balanceOf(payer)).toBe('10.00');
    for (const who of [payer, await person()]) {
      expect((await refund(who, paymentId, '1.00')).userErrors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'paymentId'] });
    }
  });
});

describe("the merchant's payments and settlement", () => {
  it('lists payments newest first with filters, and sums a day into gross, fees, refunds and net', async () => {
    const { owner, merchant } = await merchantWithOwner();
    const payer = await person('500.00');
    const a = await request(owner, merchant.id, { amount: usd('100.00'), reference: 'order-a' });
    const b = await request(owner, merchant.id, { amount: usd('50.00'), reference: 'order-b' });
    await pay(payer, a.code);
    await pay(payer, b.code);
    const listed = (await t.query(MxPayments, { merchantId: merchant.id }, { token: owner.token })).merchantPayments.edges.map(
      (e) => e.node,
    );
    expect(listed.map((p) => [p.reference, p.amount.amount, p.fee.amount, p.net.amount, p.status])).toEqual([
      ['order-b', '50.00', '1.75', '48.25', 'PAID'],
      ['order-a', '100.00', '3.20', '96.80', 'PAID'],
    ]);
    expect(listed[0]!.payerName).toMatch(/^Payer /);
    const refunded = await t.query(
      MxRefund,
      { input: { paymentId: listed[1]!.id, amount: usd('40.00'), reason: 'partly returned', idempotencyKey: randomUUID() } },
      { token: owner.token },
    );
    expect(refunded.refundPayment.userErrors).toEqual([]);
    const byRef = (await t.query(MxPayments, { merchantId: merchant.id, filter: { reference: 'order-a' } }, { token: owner.token }))
      .merchantPayments.edges;
    expect(byRef.map((e) => e.node.status)).toEqual(['PARTIALLY_REFUNDED']);
    const paidOnly = (await t.query(MxPayments, { merchantId: merchant.id, filter: { status: 'PAID' } }, { token: owner.token }))
      .merchantPayments.edges;
    expect(paidOnly.map((e) => e.node.reference)).toEqual(['order-b']);
    const page = (await t.query(MxPayments, { merchantId: merchant.id, first: 1 }, { token: owner.token })).merchantPayments;
    expect(page.pageInfo.hasNextPage).toBe(true);

    const today = new Date().toISOString().slice(0, 10);
    const settlement = (await t.query(MxSettlement, { id: merchant.id, day: today }, { token: owner.token })).node as {
      settlement: unknown[];
    };
    expect(settlement.settlement).toEqual([
      {
        day: today,
        payments: 2,
        gross: { amount: '150.00', currency: 'USD' },
        fees: { amount: '4.95' },
        refunds: 1,
        refunded: { amount: '40.00' },
        net: { amount: '105.05' },
      },
    ]);
    expect((await merchantBalance(owner, merchant.id))!.balances[0]!.posted.amount).toBe('105.05');
    // Another user cannot list them.
    const stranger = await person();
    const refused = await t.request(MxPayments, { merchantId: merchant.id }, { token: stranger.token });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
