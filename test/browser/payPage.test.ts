// The hosted payment page in a real browser: Debian's Chromium (apt-get install chromium; .ci/run
// installs it, and there a missing browser fails the run) driven by playwright-core. On a machine
// without Chromium the file is skipped with a message saying how to run it. A payer opening the link sees the merchant, the amount,
// the description, the status and a QR code image that loads; after payment the page says so and
// the QR code is gone; an unknown code gets a clear page, not an error.
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { expectAccessible } from '../helpers/appPage.js';
import { haveChromium } from '../helpers/browser.js';
import { browserSuite } from '../helpers/browserSuite.js';
import { describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { credit, signInAdmin, signUpUser } from '../helpers/people.js';
import type { TestServer } from '../helpers/testServer.js';

const PpRegister = graphql(`mutation PpRegister($input: RegisterMerchantInput!) { registerMerchant(input: $input) { merchant { id } } }`);
const PpCreate = graphql(`
  mutation PpCreate($input: CreatePaymentRequestInput!) { createPaymentRequest(input: $input) { paymentRequest { code url } userErrors { message } } }
`);
const PpPay = graphql(
  `mutation PpPay($input: PayPaymentRequestInput!) { payPaymentRequest(input: $input) { userErrors { code message } } }`,
);

const ADMIN = { email: 'paypage.admin@example.com', password: 'Pay-Page-Admin-2026!' };

let t: TestServer;
let browser: Browser;
browserSuite({ admin: ADMIN, web: false }, (suite) => ({ t, browser } = suite));

const signUp = (displayName: string) => signUpUser(t, { label: 'pp', displayName });

describe.runIf(haveChromium)('the hosted payment page', () => {
  it('shows a payer the merchant, amount, description, status and a QR code; then that it is paid', async () => {
    const owner = (await signUp('Owner')).token;
    const merchantId = (
      await t.query(PpRegister, { input: { name: 'Bakery <b>& Co</b>', category: 'bakery', settlementCurrency: 'USD' } }, { token: owner })
    ).registerMerchant.merchant!.id;
    const created = (
      await t.query(
        PpCreate,
        { input: { merchantId, amount: { amount: '12.50', currency: 'USD' }, description: 'Two loaves' } },
        { token: owner },
      )
    ).createPaymentRequest;
    const { code, url } = created.paymentRequest!;

    const page = await browser.newPage();
    try {
      const response = await page.goto(url);
      expect(response?.status()).toBe(200);
      expect(await page.title()).toBe('Pay Bakery <b>& Co</b>');
      // Markup in a merchant's name is shown as text, never interpreted.
      expect(await page.getByTestId('merchant').textContent()).toBe('Bakery <b>& Co</b>');
      expect(await page.locator('h1 b').count()).toBe(0);
      expect(await page.getByTestId('amount').textContent()).toBe('12.50 USD');
      expect(await page.getByTestId('description').textContent()).toBe('Two loaves');
      expect(await page.getByTestId('status').textContent()).toBe('Waiting for payment');
      expect(await page.getByTestId('code').textContent()).toBe(code);
      expect(await page.getByTestId('pay-with-wallet').getAttribute('href')).toBe(`/app/pay/${code}`);
      const qr = page.getByTestId('qr');
      await qr.waitFor();
      // The image loaded and has its size: the SVG was served and rendered.
      expect(
        await qr.evaluate(
          (img) =>
            (img as unknown as { complete: boolean; naturalWidth: number }).complete &&
            (img as unknown as { naturalWidth: number }).naturalWidth > 0,
        ),
      ).toBe(true);
      await expectAccessible(page, 'the hosted page at 1280 px');

      const payer = await signUp('Payer');
      await credit(t, await signInAdmin(t, ADMIN), payer.walletId, '20.00');
      expect(
        (await t.query(PpPay, { input: { code, idempotencyKey: randomUUID() } }, { token: payer.token })).payPaymentRequest.userErrors,
      ).toEqual([]);

      await page.reload();
      expect(await page.getByTestId('status').textContent()).toBe('Paid');
      expect(await page.getByTestId('qr').count()).toBe(0);
      expect(await page.getByTestId('pay-with-wallet').count()).toBe(0);
      // A paid request reads as a success to whoever just paid, not as a refusal.
      expect(await page.getByTestId('outcome').textContent()).toBe('Paid. Thank you! Bakery <b>& Co</b> has received the payment.');
      await expectAccessible(page, 'the hosted page, paid, at 1280 px');
    } finally {
      await page.close();
    }
  });

  it('fits a 390 px phone: nothing wider than the screen, the card off its edges; an open amount in a readable size', async () => {
    const owner = (await signUp('Owner')).token;
    const merchantId = (
      await t.query(PpRegister, { input: { name: 'Corner Coffee', category: 'coffee', settlementCurrency: 'USD' } }, { token: owner })
    ).registerMerchant.merchant!.id;
    const expiresAt = new Date(Date.now() + 15 * 60_000).toISOString();
    const { url } = (await t.query(PpCreate, { input: { merchantId, currency: 'USD', expiresAt } }, { token: owner })).createPaymentRequest
      .paymentRequest!;
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await page.goto(url);
      expect(await page.getByTestId('amount').textContent()).toBe('You choose the amount');
      expect(await page.getByTestId('expires').textContent()).toMatch(/^Expires in 1[45] minutes \(at \d\d:\d\d UTC\)$/);
      const layout = await page.evaluate(() => {
        const doc = (
          globalThis as unknown as {
            document: {
              documentElement: { scrollWidth: number };
              querySelector(s: string): { getBoundingClientRect(): { left: number; right: number } };
            };
          }
        ).document;
        const card = doc.querySelector('main').getBoundingClientRect();
        const amount = doc.querySelector('[data-testid="amount"]').getBoundingClientRect() as unknown as { height: number };
        return { scrollWidth: doc.documentElement.scrollWidth, left: card.left, right: card.right, amountHeight: amount.height };
      });
      expect(layout.scrollWidth).toBeLessThanOrEqual(390);
      expect(layout.left).toBeGreaterThanOrEqual(12);
      expect(layout.right).toBeLessThanOrEqual(390 - 12);
      // One line of text, not a wrapped headline.
      expect(layout.amountHeight).toBeLessThan(40);
      await expectAccessible(page, 'the hosted page at 390 px');
    } finally {
      await page.close();
    }
  });

  it('an unknown code gets a page that says what to do', async () => {
    const page = await browser.newPage();
    try {
      const response = await page.goto(`${t.origin}/pay/AAAAAAAAAAAA`);
      expect(response?.status()).toBe(404);
      expect(await page.textContent('h1')).toBe('Payment request not found');
      expect(await page.textContent('main')).toContain('ask the merchant for a new one');
    } finally {
      await page.close();
    }
  });
});
