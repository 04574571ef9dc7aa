// Paying a payment request with the wallet app, in Debian's Chromium (test/helpers/browser.ts): from
// the hosted page /pay/<code> through "Pay with wallet", sign-in and back, to the receipt; open
// amounts checked against the currency; refusals in words beside what they concern, moving nothing;
// a request cancelled while the payer looks at it closes live. The merchant's side (its screen
// turning to success without a reload) is in the second describe. Money checked through the API.
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import {
  capture,
  expectClean,
  expectFieldError,
  markNotReloaded,
  openApp,
  signInHere,
  waitForText,
  wasNotReloaded,
} from '../helpers/appPage.js';
import { DESKTOP, haveChromium, PHONE } from '../helpers/browser.js';
import { browserSuite } from '../helpers/browserSuite.js';
import { credit, signInAdmin, signUpUser, type TestUser } from '../helpers/people.js';
import { STRONG_PASSWORD, type TestServer } from '../helpers/testServer.js';

const ADMIN = { email: 'payflow.admin@example.com', password: 'Pay-Flow-Admin-2026!' };

const PfRegister = graphql(`
  mutation PfRegister($input: RegisterMerchantInput!) { registerMerchant(input: $input) { merchant { id } userErrors { message } } }
`);
const PfCreate = graphql(`
  mutation PfCreate($input: CreatePaymentRequestInput!) {
    createPaymentRequest(input: $input) { paymentRequest { code } userErrors { message } }
  }
`);
const PfCancel = graphql(`mutation PfCancel($code: String!) { cancelPaymentRequest(code: $code) { userErrors { message } } }`);
const PfPayments = graphql(`
  query PfPayments($merchantId: ID!) {
    merchantPayments(merchantId: $merchantId, first: 50) { edges { node { amount { amount } payerName refunded { amount } status } } }
  }
`);
const PfStatic = graphql(`query PfStatic { myMerchants { staticPaymentRequest { code } } }`);
const PfPay = graphql(`
  mutation PfPay($input: PayPaymentRequestInput!) { payPaymentRequest(input: $input) { payment { id } userErrors { message } } }
`);
const PfMoney = graphql(`query PfMoney { me { wallets { balance { available { amount } posted { amount } } } } }`);

let t: TestServer;
let browser: Browser;
browserSuite({ admin: ADMIN }, (suite) => ({ t, browser } = suite));

interface Merchant {
  id: string;
  owner: TestUser;
}

async function merchant(name: string): Promise<Merchant> {
  const owner = await signUpUser(t, { label: 'pf.owner', displayName: `${name} Owner` });
  const registered = await t.query(
    PfRegister,
    { input: { name, category: 'coffee shop', settlementCurrency: 'USD' } },
    { token: owner.token },
  );
  expect(registered.registerMerchant.userErrors).toEqual([]);
  return { id: registered.registerMerchant.merchant!.id, owner };
}

async function paymentRequest(m: Merchant, input: { amount?: string; description?: string; singleUse?: boolean }): Promise<string> {
  const created = await t.query(
    PfCreate,
    {
      input: {
        merchantId: m.id,
        ...(input.amount ? { amount: { amount: input.amount, currency: 'USD' } } : { currency: 'USD' }),
        description: input.description,
        singleUse: input.singleUse ?? true,
      },
    },
    { token: m.owner.token },
  );
  expect(created.createPaymentRequest.userErrors).toEqual([]);
  return created.createPaymentRequest.paymentRequest!.code;
}

async function payer(label: string, name: string, funds?: string): Promise<TestUser> {
  const user = await signUpUser(t, { label, displayName: name });
  if (funds) await credit(t, await signInAdmin(t, ADMIN), user.walletId, funds);
  return user;
}

const paymentsOf = async (m: Merchant) =>
  (await t.query(PfPayments, { merchantId: m.id }, { token: m.owner.token })).merchantPayments.edges.map(
    (e) => `${e.node.payerName} ${e.node.amount.amount} ${e.node.status} refunded ${e.node.refunded.amount}`,
  );
const availableOf = async (user: TestUser) => (await t.query(PfMoney, {}, { token: user.token })).me.wallets[0]!.balance.available.amount;

describe.runIf(haveChromium)('paying a payment request in the wallet app', () => {
  it('goes from the hosted page through sign-in to the receipt, and moves the money once', async () => {
    const shop = await merchant('Corner Coffee');
    const code = await paymentRequest(shop, { amount: '4.50', description: 'Flat white' });
    const pat = await payer('pf.pat', 'Pat Payer', '20.00');
    const app = await openApp(browser, t, `/pay/${code}`, PHONE);
    const { page } = app;
    try {
      await page.getByRole('link', { name: 'Pay with wallet' }).click();
      await page.waitForURL(/\/app\/sign-in\?next=%2Fpay%2F/);
      await page.getByText('Sign in to your wallet to pay.').waitFor();
      await signInHere(page, { email: pat.email, password: STRONG_PASSWORD });
      // Back where the payer was going, with what they are asked to pay.
      await page.waitForURL(`${t.origin}/app/pay/${code}`);
      await waitForText(page, '[data-testid=merchant]', 'Corner Coffee');
      await waitForText(page, '[data-testid=description]', 'Flat white');
      await waitForText(page, '[data-testid=amount]', '4.50 USD');
      await waitForText(page, '[data-testid=request-status]', 'Waiting for payment');
      await capture(page, 'pay');

      await page.getByRole('button', { name: 'Pay 4.50 USD' }).dblclick();
      await page.getByRole('heading', { name: 'Paid 4.50 USD to Corner Coffee' }).waitFor();
      await waitForText(page, '[data-testid=receipt-id]', /\S/);
      await capture(page, 'pay-receipt');

      expect(await paymentsOf(shop)).toEqual(['Pat Payer 4.50 PAID refunded 0.00']);
      expect(await availableOf(pat)).toBe('15.50');
      // The receipt links to the payment in the payer's history.
      await page.getByRole('link', { name: 'See it in your history' }).click();
      await page.getByRole('heading', { name: 'Payment to Corner Coffee' }).waitFor();
      await expectClean(app);
    } finally {
      await app.close();
    }
  });

  it('refuses a payment the wallet cannot cover in words beside the amount, and moves nothing', async () => {
    const shop = await merchant('Tight Bakery');
    const code = await paymentRequest(shop, { amount: '4.50' });
    const poor = await payer('pf.poor', 'Penny Poor', '1.00');
    const app = await openApp(browser, t, `/app/pay/${code}`, DESKTOP);
    const { page } = app;
    try {
      await signInHere(page, { email: poor.email, password: STRONG_PASSWORD });
      await page.getByRole('button', { name: 'Pay 4.50 USD' }).click();
      await waitForText(page, '.field-error', 'Not enough money in your wallet');
      // The refusal is what the Pay button and the amount are described by.
      const described = await page.getByRole('button', { name: 'Pay 4.50 USD' }).getAttribute('aria-describedby');
      expect(await page.locator(`[id="${described}"]`).textContent()).toMatch(/Not enough money/);
      await capture(page, 'pay-refused');
      expect(await paymentsOf(shop)).toEqual([]);
      expect(await availableOf(poor)).toBe('1.00');
      await expectClean(app);
    } finally {
      await app.close();
    }
  });

  it('asks for the amount of an open request, checked against the currency', async () => {
    const shop = await merchant('Open Jar');
    const code = await paymentRequest(shop, { description: 'Tips', singleUse: false });
    const pat = await payer('pf.open', 'Olly Open', '10.00');
    const app = await openApp(browser, t, `/app/pay/${code}`, PHONE);
    const { page } = app;
    try {
      await signInHere(page, { email: pat.email, password: STRONG_PASSWORD });
      await page.getByRole('button', { name: 'Pay', exact: true }).click();
      await expectFieldError(page, 'Amount (USD)', 'Enter an amount.');
      await page.getByLabel('Amount (USD)').fill('1.234');
      await page.getByRole('button', { name: 'Pay', exact: true }).click();
      await expectFieldError(page, 'Amount (USD)', 'USD allows at most 2 decimals.');
      await page.getByLabel('Amount (USD)').fill('2.5');
      await page.getByRole('button', { name: 'Pay', exact: true }).click();
      await page.getByRole('heading', { name: 'Paid 2.50 USD to Open Jar' }).waitFor();
      expect(await paymentsOf(shop)).toEqual(['Olly Open 2.50 PAID refunded 0.00']);
      expect(await availableOf(pat)).toBe('7.50');
    } finally {
      await app.close();
    }
  });

  it('closes the request live when the merchant cancels it while the payer looks at it', async () => {
    const shop = await merchant('Gone Deli');
    const code = await paymentRequest(shop, { amount: '3.00' });
    const pat = await payer('pf.cancel', 'Cal Cancel', '10.00');
    // No page of an earlier test is still subscribed.
    await expect.poll(() => t.server.pubsub.subscriptionCount()).toBe(0);
    const app = await openApp(browser, t, `/app/pay/${code}`, PHONE);
    const { page } = app;
    try {
      await signInHere(page, { email: pat.email, password: STRONG_PASSWORD });
      await waitForText(page, '[data-testid=request-status]', 'Waiting for payment');
      await markNotReloaded(page);
      // The page's paymentRequestUpdated is live on the server: cancel now.
      await expect.poll(() => t.server.pubsub.subscriptionCount()).toBeGreaterThanOrEqual(1);
      expect((await t.query(PfCancel, { code }, { token: shop.owner.token })).cancelPaymentRequest.userErrors).toEqual([]);
      await waitForText(page, '[data-testid=request-status]', 'Cancelled');
      await waitForText(page, '[data-testid=request-problem]', 'Gone Deli cancelled this payment request.');
      expect(await page.getByRole('button', { name: 'Pay 3.00 USD' }).isDisabled()).toBe(true);
      expect(await wasNotReloaded(page)).toBe(true);
      expect(await availableOf(pat)).toBe('10.00');
    } finally {
      await app.close();
    }
  });
});

describe.runIf(haveChromium)("the merchant's side of a checkout", () => {
  it("creates a request whose QR code the payer pays from the hosted page; the merchant's screen turns to success without a reload", async () => {
    const shop = await merchant('Corner Coffee');
    const pat = await payer('pf.pat2', 'Pat Payer', '20.00');
    await expect.poll(() => t.server.pubsub.subscriptionCount()).toBe(0);
    const counter = await openApp(browser, t, '/app/merchant', DESKTOP);
    const till = counter.page;
    const customer = await openApp(browser, t, '/app', PHONE);
    try {
      await signInHere(till, { email: shop.owner.email, password: STRONG_PASSWORD });
      await till.getByRole('heading', { name: 'Corner Coffee' }).waitFor();
      await till.getByRole('heading', { name: 'New payment request' }).waitFor();
      await till.getByRole('button', { name: 'Create and show QR code' }).click();
      await expectFieldError(till, 'Amount (USD)', 'Enter an amount.');
      await till.getByLabel('Amount (USD)').fill('4.50');
      await till.getByLabel('Description (optional)').fill('Flat white');
      await till.getByLabel('Expires').selectOption({ label: 'In 1 hour' });
      await capture(till, 'merchant');
      await till.getByRole('button', { name: 'Create and show QR code' }).click();
      await till.waitForURL(/\/app\/merchant\/requests\//);
      const code = new URL(till.url()).pathname.split('/').at(-1)!;
      await waitForText(till, '[data-testid=checkout-amount]', '4.50 USD');
      await waitForText(till, '[data-testid=checkout-status]', 'Waiting for payment');
      // The QR code is drawn (an image from this server, not a broken one).
      const qr = till.getByRole('img', { name: /QR code to pay Corner Coffee 4.50 USD/ });
      await expect.poll(() => qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
      await capture(till, 'merchant-request');
      await markNotReloaded(till);
      await expect.poll(() => t.server.pubsub.subscriptionCount()).toBeGreaterThanOrEqual(1);

      // The customer opens the link the QR code carries, pays with the wallet app.
      await customer.page.goto(`${t.origin}/pay/${code}`);
      await customer.page.getByRole('link', { name: 'Pay with wallet' }).click();
      await signInHere(customer.page, { email: pat.email, password: STRONG_PASSWORD });
      await customer.page.getByRole('button', { name: 'Pay 4.50 USD' }).click();
      await customer.page.getByRole('heading', { name: 'Paid 4.50 USD to Corner Coffee' }).waitFor();

      // The merchant's screen, live.
      await till.getByTestId('checkout-success').getByRole('heading', { name: 'Paid' }).waitFor();
      await waitForText(till, '[data-testid=checkout-success]', 'Received from Pat Payer.');
      await waitForText(till, '[data-testid=checkout-status]', 'Paid');
      expect(await wasNotReloaded(till)).toBe(true);
      await capture(till, 'merchant-paid');
      expect(await paymentsOf(shop)).toEqual(['Pat Payer 4.50 PAID refunded 0.00']);
      await expectClean(customer);
    } finally {
      await customer.close();
    }

    try {
      // The business screen: payments to any of the merchant's requests arrive live (the static QR
      // code, a request made elsewhere); refunds in part, then the rest.
      await till.getByRole('link', { name: 'New payment request' }).click();
      await till.getByRole('heading', { name: 'Latest payments' }).waitFor();
      await waitForText(till, '[data-testid=merchant-payment]', 'Pat Payer');
      // One live feed for the whole merchant (merchantPaymentReceived), and nothing else but the
      // header's bell (notificationAdded).
      await expect.poll(() => t.server.pubsub.subscriptionCount()).toBe(2);
      const staticCode = (await t.query(PfStatic, {}, { token: shop.owner.token })).myMerchants[0]!.staticPaymentRequest.code;
      const elsewhere = await paymentRequest(shop, { amount: '1.25', description: 'Made on another till' });
      for (const [code, amount] of [
        [staticCode, { amount: '2.00', currency: 'USD' }],
        [elsewhere, undefined],
      ] as const) {
        const paid = await t.query(PfPay, { input: { code, amount, idempotencyKey: randomUUID() } }, { token: pat.token });
        expect(paid.payPaymentRequest.userErrors).toEqual([]);
      }
      const tipRow = till.getByTestId('merchant-payment').filter({ hasText: '$2.00' });
      await tipRow.waitFor();
      await till.getByTestId('merchant-payment').filter({ hasText: '$1.25' }).waitFor();
      expect(await wasNotReloaded(till)).toBe(true);

      await tipRow.getByRole('button', { name: 'Refund Pat Payer' }).click();
      await tipRow.getByLabel('Refund amount (USD)').fill('0.50');
      await tipRow.getByRole('button', { name: 'Refund', exact: true }).click();
      await expectFieldError(till, 'Reason', /Say why/);
      await tipRow.getByLabel('Reason').fill('Too much foam');
      await tipRow.getByLabel('Refund amount (USD)').fill('5.00');
      await tipRow.getByRole('button', { name: 'Refund', exact: true }).click();
      await expectFieldError(till, 'Refund amount (USD)', /2\.00|left/);
      await tipRow.getByLabel('Refund amount (USD)').fill('0.50');
      await tipRow.getByRole('button', { name: 'Refund', exact: true }).dblclick();
      await waitForText(till, '[data-testid=merchant-payment] [role=status]', 'Refunded $0.50 to Pat Payer.');
      await waitForText(till, '[data-testid=merchant-payment]', 'Partly refunded');
      await capture(till, 'merchant-payments');
      await tipRow.getByRole('button', { name: 'Refund Pat Payer' }).click();
      await tipRow.getByLabel('Reason').fill('Closing the tab');
      await tipRow.getByRole('button', { name: 'Refund', exact: true }).click();
      await waitForText(till, '[data-testid=merchant-payment] [role=status]', 'Refunded $1.50 to Pat Payer.');
      expect(await paymentsOf(shop)).toEqual([
        'Pat Payer 1.25 PAID refunded 0.00',
        'Pat Payer 2.00 REFUNDED refunded 2.00',
        'Pat Payer 4.50 PAID refunded 0.00',
      ]);
      // 20.00 - 4.50 - 2.00 - 1.25 + 0.50 + 1.50
      expect(await availableOf(pat)).toBe('14.25');
      await expectClean(counter);
    } finally {
      await counter.close();
    }
  });
});
