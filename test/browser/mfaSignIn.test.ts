// Signing in to the wallet app with two-factor authentication: after the password, the app asks
// for the authenticator's code (signIn answered MFA_REQUIRED), a wrong code is shown beside the
// field and signs nobody in, the right one starts the session.
import { URI, type TOTP } from 'otpauth';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { haveChromium, launchChromium } from '../helpers/browser.js';
import { expectClean, expectFieldError, openApp, requireWebBuild } from '../helpers/appPage.js';
import { signUpUser } from '../helpers/people.js';
import { asOwner, startTestServer, STRONG_PASSWORD, type TestServer } from '../helpers/testServer.js';

const MsEnrol = graphql(`mutation MsEnrol { enrolMfa { enrolment { otpauthUri } userErrors { code } } }`);
const MsConfirm = graphql(`mutation MsConfirm($input: ConfirmMfaInput!) { confirmMfa(input: $input) { userErrors { code } } }`);

let t: TestServer;
let browser: Browser;
beforeAll(async () => {
  if (!haveChromium) return;
  requireWebBuild();
  t = await startTestServer();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe.runIf(haveChromium)('signing in with two-factor authentication', () => {
  it('asks for the code after the password; a wrong code is refused beside the field, the right one signs in', async () => {
    const user = await signUpUser(t, { label: 'mfa-web' });
    const totp = URI.parse((await t.query(MsEnrol, {}, { token: user.token })).enrolMfa.enrolment!.otpauthUri) as TOTP;
    expect((await t.query(MsConfirm, { input: { code: totp.generate() } }, { token: user.token })).confirmMfa.userErrors).toEqual([]);
    // The confirming code's 30-second step is used: let the sign-in use a code of the same step.
    await asOwner(t, `UPDATE user_mfa SET last_used_step = NULL WHERE user_id = '${user.userId}'`);

    const app = await openApp(browser, t, '/app/sign-in');
    const { page } = app;
    try {
      await page.getByLabel('Email').fill(user.email);
      await page.getByLabel('Password').fill(STRONG_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const codeField = page.getByLabel('Code from your authenticator app');
      await codeField.waitFor();
      const wrong = totp.generate() === '000000' ? '111111' : '000000';
      await codeField.fill(wrong);
      await page.getByRole('button', { name: 'Verify' }).click();
      await expectFieldError(page, 'Code from your authenticator app', /code/i);
      expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
      await codeField.fill(totp.generate());
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
      await expectClean(app);
    } finally {
      await app.close();
    }
  });
});
