// Verification in the wallet app, in Debian's Chromium: without a phone number the screen sends the
// person to their profile, where the phone is saved (errors beside the field) and a link leads
// back; there the phone is confirmed with a texted code (read from the sandbox inbox), asking for a
// new code until the server's throttle (two sends per address here) says in words when to ask
// again; then the tier and limits (used and left), the form to go up to tier 1, and the sandbox
// provider's decision arriving live (kycUpdated) so the tier and limits change without a reload.
// The sandbox approves any name not ending in a test value.
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
import { DESKTOP, haveChromium } from '../helpers/browser.js';
import { browserSuite } from '../helpers/browserSuite.js';
import { sandboxCode, signUpUser } from '../helpers/people.js';
import { STRONG_PASSWORD, type TestServer } from '../helpers/testServer.js';

const KyTier = graphql(`query KyTier { kycStatus { tier } myLimits { limits { kind remaining { amount } } } }`);
const KyMe = graphql(`query KyMe { me { displayName phone } }`);

let t: TestServer;
let browser: Browser;
// The real tiers' limits (test servers are otherwise unlimited): the screen shows them rise.
// Two codes per address in ten minutes: the third "Send a new code" is refused, and says so.
browserSuite(
  { env: { KYC_LIMITS_FILE: 'config/kyc-limits.json', CODE_SENDS_PER_ADDRESS: '2', CODE_SEND_WINDOW_SECONDS: '600' } },
  (suite) => ({ t, browser } = suite),
);

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
      await page.getByRole('link', { name: 'Continue to verification' }).click();
      await page.getByRole('heading', { name: 'Verification and limits' }).waitFor();
      // Tier 1 needs the phone confirmed: here, with a code texted to it (read from the sandbox's inbox).
      await waitForText(page, '[data-testid=kyc-needs-phone]', 'Verification needs your phone number +14155550123 confirmed.');
      expect(await page.getByLabel('Legal name').count()).toBe(0);
      await page.getByRole('button', { name: 'Text me a code' }).click();
      const codeField = page.getByLabel('Code from the text message');
      await waitForText(page, '[data-testid=code-sent]', /^We sent a code to •+0123\. It works once, for the next 10 minutes\.$/);
      await expect
        .poll(() => codeField.evaluate((e) => e === (e.ownerDocument as unknown as { activeElement: unknown }).activeElement))
        .toBe(true);
      const first = await sandboxCode(t, '+14155550123');
      await page.getByRole('button', { name: 'Send a new code' }).click();
      await waitForText(page, '[data-testid=code-sent]', /^We sent a new code to •+0123\./);
      const second = await sandboxCode(t, '+14155550123');
      expect(second).not.toBe(first);
      // A third within the window: the server's throttle, in words, and the button off until then.
      await page.getByRole('button', { name: 'Send a new code' }).click();
      await waitForText(
        page,
        '[role=alert]',
        /You have asked for several codes in a short time\. You can ask for a new one in (10|9) minutes\./,
      );
      expect(await page.getByRole('button', { name: 'Send a new code' }).isDisabled()).toBe(true);
      await capture(page, 'verify-confirm-phone');
      // The replaced code no longer works; the newest does.
      await codeField.fill(first);
      await page.getByRole('button', { name: 'Confirm', exact: true }).click();
      await expectFieldError(page, 'Code from the text message', /wrong|used|no longer/i);
      await codeField.fill(second);
      await page.getByRole('button', { name: 'Confirm', exact: true }).click();
      await waitForText(page, '[data-testid=phone-confirmed]', 'Your phone number is confirmed.');
      await expect.poll(() => page.evaluate('document.activeElement?.dataset?.testid')).toBe('phone-confirmed');
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
