// Verification in the wallet app, in Debian's Chromium: without a phone number the screen sends the
// person to their profile, where the phone is saved (errors beside the field) and a link leads
// back; then the tier and limits (used and left), the form to go up to tier 1, and the sandbox
// provider's decision arriving live (kycUpdated) so the tier and limits change without a reload.
// The sandbox approves any name not ending in a test value.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import {
  capture,
  expectClean,
  expectFieldError,
  markNotReloaded,
  openApp,
  requireWebBuild,
  signInHere,
  waitForText,
  wasNotReloaded,
} from '../helpers/appPage.js';
import { DESKTOP, haveChromium, launchChromium } from '../helpers/browser.js';
import { sandboxCode, signUpUser } from '../helpers/people.js';
import { STRONG_PASSWORD, startTestServer, type TestServer } from '../helpers/testServer.js';

const KyTier = graphql(`query KyTier { kycStatus { tier } myLimits { limits { kind remaining { amount } } } }`);
const KyMe = graphql(`query KyMe { me { displayName phone } }`);

let t: TestServer;
let browser: Browser;
beforeAll(async () => {
  if (!haveChromium) return;
  requireWebBuild();
  // The real tiers' limits (test servers are otherwise unlimited): the screen shows them rise.
  t = await startTestServer({ KYC_LIMITS_FILE: 'config/kyc-limits.json' });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe.runIf(haveChromium)('verification in the wallet app', () => {
  it('asks for a phone on the profile first, then shows the tier and limits, submits tier 1 and shows the new tier live', async () => {
    const user = await signUpUser(t, { label: 'ky.user', displayName: 'Kim Kyc' });
    const app = await openApp(browser, t, '/app/verify', DESKTOP);
    const { page } = app;
    try {
      await signInHere(page, { email: user.email, password: STRONG_PASSWORD });
      await waitForText(page, '[data-testid=kyc-tier]', 'Tier 0');
      // No phone yet: verification would be refused, so the screen says so and links to the profile.
      await waitForText(page, '[data-testid=kyc-needs-phone]', 'Verification needs your phone number.');
      expect(await page.getByLabel('Legal name').count()).toBe(0);
      await page.getByRole('link', { name: 'Add it to your profile' }).click();
      await page.getByRole('heading', { name: 'Your profile' }).waitFor();
      await page.getByLabel('Phone').fill('415 555');
      await page.getByLabel('Your name').fill('  Kim   Kyc ');
      await page.getByRole('button', { name: 'Save' }).click();
      await expectFieldError(page, 'Phone', /international phone number/);
      await capture(page, 'profile-errors');
      await page.getByLabel('Phone').fill('+1 (415) 555-0123');
      await page.getByRole('button', { name: 'Save' }).click();
      await waitForText(page, '.success', 'Saved.');
      // As stored: E.164, the name tidied.
      expect(await page.getByLabel('Phone').inputValue()).toBe('+14155550123');
      expect(await t.query(KyMe, {}, { token: user.token })).toEqual({ me: { displayName: 'Kim Kyc', phone: '+14155550123' } });
      // Tier 1 needs the phone confirmed: a code texted to it (read here from the sandbox's inbox).
      await page.getByRole('button', { name: 'Confirm phone' }).click();
      await page.getByLabel('Code from the text message').waitFor();
      await page.getByLabel('Code from the text message').fill(await sandboxCode(t, '+14155550123'));
      await page.getByRole('button', { name: 'Confirm', exact: true }).click();
      await waitForText(page, '[data-testid=phone-confirmed]', 'Your phone number is confirmed.');
      await capture(page, 'profile');
      await page.getByRole('link', { name: 'Continue to verification' }).click();
      await page.getByRole('heading', { name: 'Verification and limits' }).waitFor();
      await waitForText(page, '[data-testid=kyc-tier]', 'Tier 0');
      await page.getByLabel('Legal name').waitFor();
      const before = (await t.query(KyTier, {}, { token: user.token })).myLimits.limits;
      const perTransfer = before.find((l) => l.kind === 'PER_TRANSACTION')!;
      await waitForText(
        page,
        '[data-testid=limit-PER_TRANSACTION-USD]',
        `$${Number(perTransfer.remaining.amount).toLocaleString('en-US', { minimumFractionDigits: 2 })}`,
      );
      await capture(page, 'verify');
      await markNotReloaded(page);

      await page.getByLabel('Legal name').fill('Kim Kyc');
      await page.getByLabel('Date of birth').fill('2015-01-01');
      await page.getByLabel('Address', { exact: true }).fill('1 Main St');
      await page.getByLabel('City').fill('Springfield');
      await page.getByLabel('Postal code').fill('12345');
      await page.getByRole('button', { name: 'Send for verification' }).click();
      // Under 18: refused beside the date.
      await expectFieldError(page, 'Date of birth', /18/);
      await page.getByLabel('Date of birth').fill('1990-05-17');
      await page.getByRole('button', { name: 'Send for verification' }).click();
      await waitForText(page, '[data-testid=kyc-tier]', 'Tier 1');
      await waitForText(page, '[data-testid=kyc-case]', 'Approved');
      const after = await t.query(KyTier, {}, { token: user.token });
      expect(after.kycStatus.tier).toBe('TIER_1');
      const raised = after.myLimits.limits.find((l) => l.kind === 'PER_TRANSACTION')!;
      expect(Number(raised.remaining.amount)).toBeGreaterThan(Number(perTransfer.remaining.amount));
      await waitForText(
        page,
        '[data-testid=limit-PER_TRANSACTION-USD]',
        `$${Number(raised.remaining.amount).toLocaleString('en-US', { minimumFractionDigits: 2 })}`,
      );
      expect(await wasNotReloaded(page)).toBe(true);
      await capture(page, 'verify-approved');
      await expectClean(app);
    } finally {
      await app.close();
    }
  });
});
