// The wallet app (/app) in a real browser with no network but the test server: Debian's Chromium
// driven by playwright-core (test/helpers/browser.ts), every other host aborted and CSP violations
// collected. Through the UI as a person uses it; money checked through the API afterwards. Waits
// are on visible state (a text, a role), never on time. With UPDATE_SCREENSHOTS=1 the main screens
// are saved to docs/screenshots/ at phone and desktop widths (the README shows them).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webBuildState } from '../../scripts/buildWeb.js';
import { DESKTOP, haveChromium, type IsolatedPage, isolatedPage, launchChromium, PHONE, screenshot } from '../helpers/browser.js';
import { STRONG_PASSWORD, startTestServer, type TestServer, uniqueEmail } from '../helpers/testServer.js';

const DEMO = { email: 'alice@demo.wallet', password: 'demo-Wallet-2026!' };

let t: TestServer;
let browser: Browser;
beforeAll(async () => {
  if (!haveChromium) return;
  const built = webBuildState();
  if (built !== 'fresh') {
    throw new Error(
      `dist/web/ is ${built === 'missing' ? 'missing' : 'older than web/'}: run npm run build:web (npm test builds it when web/ changed).`,
    );
  }
  t = await startTestServer({ SEED_DEMO: 'true' });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

/** Waits until `locator`'s text contains `text` (Playwright re-reads it until then). */
async function waitForText(page: Page, selector: string, text: string) {
  await page.locator(selector, { hasText: text }).first().waitFor();
}

async function open(path = '/app', viewport = PHONE): Promise<IsolatedPage> {
  const isolated = await isolatedPage(browser, t.origin, viewport);
  const response = await isolated.page.goto(`${t.origin}${path}`);
  expect(response?.status()).toBe(200);
  return isolated;
}

/** Waits until the field labelled `label` is marked invalid, and checks the error it is described by. */
async function expectFieldError(page: Page, label: string, message: string | RegExp) {
  const field = page.getByLabel(label, { exact: true });
  await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
  const ids = (await field.getAttribute('aria-describedby'))!.split(' ');
  const error = (await page.locator(`[id="${ids.at(-1)}"]`).textContent()) ?? '';
  if (typeof message === 'string') expect(error).toBe(message);
  else expect(error).toMatch(message);
}

async function expectClean(isolated: IsolatedPage) {
  expect(isolated.elsewhere).toEqual([]);
  expect(await isolated.cspViolations()).toEqual([]);
}

describe.runIf(haveChromium)('the wallet app at /app', () => {
  it('signs a demo user in, shows their wallet, keeps them signed in across a reload, and signs them out', async () => {
    for (const viewport of [PHONE, DESKTOP]) {
      const app = await open('/app', viewport);
      const { page } = app;
      try {
        // Signed out: /app sends to sign-in, remembering where the person was going.
        await page.waitForURL(/\/app\/sign-in\?next=/);
        await screenshot(page, 'sign-in');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await waitForText(page, '.field-error', 'Enter your email address.');

        await page.getByLabel('Email').fill(DEMO.email);
        await page.getByLabel('Password').fill('not-the-password');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await waitForText(page, '[role=alert]', 'That email and password do not match an account.');

        await page.getByLabel('Password').fill(DEMO.password);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('heading', { name: 'Hello, Alice' }).waitFor();
        expect(new URL(page.url()).pathname).toMatch(/^\/app\/?$/);
        await waitForText(page, '[data-testid=available-USD]', '$500.00');
        await waitForText(page, '[data-testid=posted-USD]', '$500.00');
        await screenshot(page, 'home');

        // The access token is in memory only; the refresh token in this tab's sessionStorage brings it back.
        expect(await page.evaluate('JSON.stringify(sessionStorage)')).toContain('wallet.app.refreshToken');
        expect(await page.evaluate('JSON.stringify(localStorage)')).toBe('{}');
        await page.reload();
        await page.getByRole('heading', { name: 'Hello, Alice' }).waitFor();

        // A client-side route reloads too (the server answers every /app path with the app).
        await page.goto(`${t.origin}/app/sessions`);
        await page.getByRole('navigation', { name: 'Main' }).waitFor();

        await page.getByRole('button', { name: 'Sign out' }).click();
        await page.getByRole('heading', { name: 'Sign in' }).waitFor();
        expect(await page.evaluate('JSON.stringify(sessionStorage)')).not.toContain('wallet.app.refreshToken');
        await page.goto(`${t.origin}/app`);
        await page.waitForURL(/\/app\/sign-in/);
        await expectClean(app);
      } finally {
        await app.close();
      }
    }
  });

  it('signs a new user up, showing each problem beside its field', async () => {
    const app = await open('/app/sign-up');
    const { page } = app;
    try {
      await page.getByRole('heading', { name: 'Create your account' }).waitFor();
      await page.getByLabel('Your name').fill('Dana Newcomer');
      await page.getByLabel('Email').fill(DEMO.email);
      await page.getByLabel('Password').fill('password1');
      await page.getByLabel('Phone (optional)').fill('12');
      await page.getByRole('button', { name: 'Create account' }).click();
      // The server's userErrors, each beside the field it names (the input is described by it).
      await expectFieldError(page, 'Phone (optional)', /international phone number/);
      await screenshot(page, 'sign-up-errors');

      await page.getByLabel('Phone (optional)').fill('');
      await page.getByRole('button', { name: 'Create account' }).click();
      await expectFieldError(page, 'Password', /password/i);
      expect(await page.getByLabel('Phone (optional)').getAttribute('aria-invalid')).toBeNull();

      await page.getByLabel('Password').fill(STRONG_PASSWORD);
      await page.getByRole('button', { name: 'Create account' }).click();
      await expectFieldError(page, 'Email', 'An account with this email already exists.');

      await page.getByLabel('Email').fill(uniqueEmail('app.signup'));
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByRole('heading', { name: 'Hello, Dana Newcomer' }).waitFor();
      await waitForText(page, '[data-testid=available-USD]', '$0.00');
      await expectClean(app);
    } finally {
      await app.close();
    }
  });
});
