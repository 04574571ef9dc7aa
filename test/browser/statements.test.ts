// Statements, spending insights and "Your data" in the wallet app (one Chromium for the file): this
// month's statement shows the closing balance the ledger has, and its CSV link (asked for on the
// click) answers the CSV, and a longer one pages its lines; a range of days picked in the form gets
// its own statement, whose PDF link answers a PDF; insights file the month's money under a category;
// deleting an account with money left is refused in words and changes nothing, and an empty one is
// erased: signed out, its password signs in no more. Each new screen is checked at phone and
// desktop widths (fits, axe-core WCAG 2 A/AA; pictures with UPDATE_SCREENSHOTS=1).
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { capture, expectClean, openApp, signInHere, stepUpWithEmailedCode, waitForText } from '../helpers/appPage.js';
import { haveChromium, PHONE } from '../helpers/browser.js';
import { browserSuite } from '../helpers/browserSuite.js';
import { credit, signInAdmin, signUpUser } from '../helpers/people.js';
import { STRONG_PASSWORD, type TestServer } from '../helpers/testServer.js';

const ADMIN = { email: 'statements.admin@example.com', password: 'Statements-Admin-2026!' };

const StMoney = graphql(`
  query StMoney { me { id displayName wallets { id balance { posted { amount } available { amount } } } } }
`);
const StSignIn = graphql(`
  mutation StSignIn($input: SignInInput!) { signIn(input: $input) { tokens { accessToken } userErrors { code } } }
`);

/**
 * Profile → Your data → "Delete my account", with the password and then the step-up: this browser
 * session has not proved a second factor, so the app emails a code to the confirmed address.
 */
async function deleteMyAccount(page: Page, email: string): Promise<void> {
  await page.getByRole('heading', { name: 'Your data', exact: true }).waitFor();
  await page.getByRole('button', { name: 'Delete my account', exact: true }).click();
  await page.getByLabel('Your password').fill(STRONG_PASSWORD);
  await page.getByRole('button', { name: 'Delete my account for good' }).click();
  await stepUpWithEmailedCode(page, t, email);
}

/** The UTC day `offset` days from today, as YYYY-MM-DD (a date field's value). */
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

let t: TestServer;
let browser: Browser;
browserSuite({ admin: ADMIN }, (suite) => ({ t, browser } = suite));

describe.runIf(haveChromium)('statements, insights and your data in the wallet app', () => {
  it("shows this month's statement with its CSV, the month's insights, and refuses to erase an account with money", async () => {
    const user = await signUpUser(t, { label: 'st.user', displayName: 'Stella Statement', steppedUp: true });
    await credit(t, await signInAdmin(t, ADMIN), user.walletId, '25.00');
    await credit(t, await signInAdmin(t, ADMIN), user.walletId, '12.50');
    const app = await openApp(browser, t, '/app/history', PHONE);
    const { page } = app;
    try {
      await signInHere(page, { email: user.email, password: STRONG_PASSWORD });
      await page.getByRole('heading', { name: 'History' }).waitFor();

      // Statements: this month by default, opening 0, in 37.50, closing 37.50 as the ledger has it.
      await page.getByRole('link', { name: 'Statements' }).click();
      await page.getByRole('heading', { name: 'Statements', level: 1 }).waitFor();
      await waitForText(page, '[data-testid=closing-balance]', '$37.50');
      expect(await page.getByTestId('opening-balance').textContent()).toBe('$0.00');
      expect(await page.getByTestId('total-in').textContent()).toBe('$37.50');
      await page.getByRole('heading', { name: '2 transactions' }).waitFor();
      await waitForText(page, 'table.statement-lines td', '$25.00');
      await page.getByText('No monthly statements yet').waitFor();
      const closing = (await t.query(StMoney, {}, { token: user.token })).me.wallets[0]!.balance.posted.amount;
      expect(closing).toBe('37.50');

      // The CSV link is asked for on the click and offered as a plain link, which answers the CSV.
      await page.getByRole('button', { name: 'Get CSV' }).click();
      const link = page.getByTestId('download-CSV');
      await link.waitFor();
      const href = (await link.getAttribute('href'))!;
      expect(href).toMatch(/\/statements\/download\?token=/);
      const csv = await fetch(new URL(href, t.origin));
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
      const text = await csv.text();
      expect(text).toMatch(/^date,type,counterparty/);
      expect(text).toMatch(/CLOSING_BALANCE[^\r\n]*37\.50/);
      await capture(page, 'statements');

      // Insights: the credits are filed under Adjustments.
      await page.getByRole('link', { name: 'History' }).first().click();
      await page.getByRole('link', { name: 'Spending insights' }).click();
      await page.getByRole('heading', { name: 'Spending insights', level: 1 }).waitFor();
      await waitForText(page, '[data-testid=insights-in]', '$37.50');
      await waitForText(page, 'table.statement-lines th[scope=row]', 'Adjustments');
      await capture(page, 'insights');

      // Your data: deleting the account with money left is refused in words, and nothing changes.
      await page.getByRole('link', { name: 'Profile' }).click();
      await deleteMyAccount(page, user.email);
      await waitForText(page, '[role=alert]', /Your account cannot be deleted yet: .+ Nothing was changed\./);
      expect(new URL(page.url()).pathname).toBe('/app/profile');
      await capture(page, 'profile-your-data-refused');
      const after = (await t.query(StMoney, {}, { token: user.token })).me;
      expect(after.displayName).toBe('Stella Statement');
      expect(after.wallets[0]!.balance.posted.amount).toBe('37.50');

      // A longer statement: 30 lines, then "More lines" adds the rest below them.
      const admin = await signInAdmin(t, ADMIN);
      for (let i = 0; i < 29; i++) await credit(t, admin, user.walletId, '0.01');
      await page.getByRole('link', { name: 'History' }).first().click();
      await page.getByRole('link', { name: 'Statements' }).click();
      await waitForText(page, '[data-testid=closing-balance]', '$37.79');
      const rows = page.locator('table.statement-lines tbody tr');
      await expect.poll(() => rows.count()).toBe(30);
      await page.getByRole('button', { name: 'More lines' }).click();
      await expect.poll(() => rows.count()).toBe(31);
      expect(await rows.nth(0).locator('td').nth(2).textContent()).toBe('$25.00');
      expect(await rows.nth(30).locator('td').nth(3).textContent()).toBe('$37.79');
      await expectClean(app);
    } finally {
      await app.close();
    }
  }, 120_000);

  it('shows the statement of a range of days chosen in the form, and its PDF link answers a PDF', async () => {
    const user = await signUpUser(t, { label: 'st.range', displayName: 'Rita Range' });
    await credit(t, await signInAdmin(t, ADMIN), user.walletId, '8.25');
    const app = await openApp(browser, t, '/app/history/statements', PHONE);
    const { page } = app;
    try {
      await signInHere(page, { email: user.email, password: STRONG_PASSWORD });
      await page.getByRole('heading', { name: 'Statements', level: 1 }).waitFor();

      // Days before today's credit: nothing in them. The days are the holder's (UTC, the default).
      const form = page.getByRole('form', { name: 'Statement period' });
      await form.getByLabel('Period').selectOption('range');
      await form.getByLabel('First day').fill(day(-3));
      await form.getByLabel('Last day').fill(day(-1));
      await form.getByRole('button', { name: 'Show statement' }).click();
      await page.getByRole('heading', { name: `Statement for ${day(-3)} to ${day(-1)}` }).waitFor();
      await waitForText(page, '[data-testid=closing-balance]', '$0.00');
      expect(await page.getByTestId('total-in').textContent()).toBe('$0.00');
      await page.getByRole('heading', { name: '0 transactions' }).waitFor();

      // Yesterday to today: the credit, from an opening of nothing.
      await form.getByLabel('First day').fill(day(-1));
      await form.getByLabel('Last day').fill(day(0));
      await form.getByRole('button', { name: 'Show statement' }).click();
      await page.getByRole('heading', { name: `Statement for ${day(-1)} to ${day(0)}` }).waitFor();
      await waitForText(page, '[data-testid=closing-balance]', '$8.25');
      expect(await page.getByTestId('opening-balance').textContent()).toBe('$0.00');
      expect(await page.getByTestId('total-in').textContent()).toBe('$8.25');
      await page.getByRole('heading', { name: '1 transaction', exact: true }).waitFor();
      await waitForText(page, 'table.statement-lines td', '$8.25');

      // The PDF of that range: its link is asked for on the click and answers a PDF document.
      await page.getByRole('button', { name: 'Get PDF' }).click();
      const link = page.getByTestId('download-PDF');
      await link.waitFor();
      const href = (await link.getAttribute('href'))!;
      expect(href).toMatch(/\/statements\/download\?token=/);
      const pdf = await fetch(new URL(href, t.origin));
      expect(pdf.status).toBe(200);
      expect(pdf.headers.get('content-type')).toMatch(/^application\/pdf/);
      const bytes = Buffer.from(await pdf.arrayBuffer());
      expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      await expectClean(app);
    } finally {
      await app.close();
    }
  }, 120_000);

  it('deletes an account with nothing left in it: the person ends signed out, and the password no longer signs in', async () => {
    const user = await signUpUser(t, { label: 'st.erase', displayName: 'Ernie Erase', steppedUp: true });
    const app = await openApp(browser, t, '/app/profile', PHONE);
    const { page } = app;
    try {
      await signInHere(page, { email: user.email, password: STRONG_PASSWORD });
      await deleteMyAccount(page, user.email);
      await page.getByRole('heading', { name: 'Your account is erased' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/app/account-erased');
      await expect.poll(() => page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
      await capture(page, 'account-erased');
      // Signed out: the app asks for a sign-in, and the session's token is refused.
      await page.goto(`${t.origin}/app/profile`);
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      expect((await t.request(StMoney, {}, { token: user.token })).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

      // The same email and password no longer sign in.
      await page.getByLabel('Email').fill(user.email);
      await page.getByLabel('Password').fill(STRONG_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await waitForText(page, '[role=alert]', 'That email and password do not match an account.');
      expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
      const again = await t.query(StSignIn, { input: { email: user.email, password: STRONG_PASSWORD } });
      expect(again.signIn.tokens).toBeNull();
      expect(again.signIn.userErrors.map((e) => e.code)).toEqual(['INVALID_CREDENTIALS']);
      await expectClean(app);
    } finally {
      await app.close();
    }
  }, 120_000);
});
