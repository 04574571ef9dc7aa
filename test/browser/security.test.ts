// Two-step sign-in in the wallet app, in Debian's Chromium. Signing in: after the password, the app
// asks for the authenticator's code (signIn answered MFA_REQUIRED), a wrong code is shown beside
// the field and signs nobody in, the right one starts the session. Turning it on from the profile:
// the QR code and the key to type, the first code (a wrong one refused beside the field), the ten
// recovery codes with their "saved them" step. Step-up: a risky action (adding a card) on a session
// without a recent second factor opens the app's one dialog; cancelled, the screen says why and
// nothing is added; with a code, the very same request is sent again and the card is added. Then
// the signed-in devices are reached from there, and two-step sign-in is turned off with a code.
import { Secret, TOTP, URI } from 'otpauth';
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { haveChromium, launchChromium, PHONE } from '../helpers/browser.js';
import {
  capture,
  expectAccessible,
  expectClean,
  expectFieldError,
  openApp,
  requireWebBuild,
  signInHere,
  waitForText,
} from '../helpers/appPage.js';
import { signUpUser } from '../helpers/people.js';
import { asOwner, startTestServer, STRONG_PASSWORD, type TestServer } from '../helpers/testServer.js';

const MsEnrol = graphql(`mutation MsEnrol { enrolMfa { enrolment { otpauthUri } userErrors { code } } }`);
const MsConfirm = graphql(`mutation MsConfirm($input: ConfirmMfaInput!) { confirmMfa(input: $input) { userErrors { code } } }`);
const MsState = graphql(`query MsState { me { mfaEnabled } paymentMethods { display } }`);

/** The bodies of the AddCard requests a page sends, in order. */
function addCardRequests(page: Page): string[] {
  const bodies: string[] = [];
  page.on('request', (request: Request) => {
    const body = request.postData() ?? '';
    if (request.url().endsWith('/graphql') && body.includes('"operationName":"AddCard"')) bodies.push(body);
  });
  return bodies;
}

/** Fills the card form of /app/money/methods with the sandbox's test card and sends it. */
async function addTestCard(page: Page) {
  await page.getByLabel('Card number').fill('4242 4242 4242 4242');
  await page.getByLabel('Expiry (MM/YY)').fill('12/30');
  await page.getByLabel('CVC').fill('123');
  await page.getByLabel('Name on the card').fill('Sasha Secure');
  await page.getByRole('button', { name: 'Add card' }).click();
}

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

describe.runIf(haveChromium)('two-step sign-in in the wallet app', () => {
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
      await capture(page, 'sign-in-code');
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
  it('turns it on from the profile, asks for a code before a risky action and then carries that action out, and turns it off', async () => {
    const user = await signUpUser(t, { label: 'mfa-enrol', displayName: 'Sasha Secure' });
    const app = await openApp(browser, t, '/app/profile', PHONE);
    const { page } = app;
    const addCards = addCardRequests(page);
    try {
      await signInHere(page, { email: user.email, password: STRONG_PASSWORD });
      await page.getByRole('heading', { name: 'Your profile' }).waitFor();
      await waitForText(page, '[data-testid=mfa-state]', 'Two-step sign-in is off');
      await page.getByRole('link', { name: 'Two-step sign-in' }).click();
      await page.getByRole('button', { name: 'Set up an authenticator app' }).click();

      // The QR code (an image, drawn) and the same secret as text to type.
      const qr = page.getByRole('img', { name: 'QR code that adds your wallet to an authenticator app' });
      await expect.poll(() => qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
      const secret = (await page.getByTestId('mfa-secret').textContent())!.replace(/\s/g, '');
      const totp = new TOTP({ secret: Secret.fromBase32(secret) });
      await capture(page, 'security-enrol');
      const field = 'Code from your authenticator app';
      await page.getByLabel(field).fill(totp.generate() === '000000' ? '111111' : '000000');
      await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
      await expectFieldError(page, field, /code/i);
      await page.getByLabel(field).fill(totp.generate());
      await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();

      // The recovery codes, once, and a step to say they are saved before they go.
      const codes = page.getByTestId('recovery-codes').locator('li');
      await expect.poll(() => codes.count()).toBe(10);
      const recovery = await codes.allTextContents();
      await capture(page, 'security-recovery-codes');
      await page.getByRole('button', { name: 'Done' }).click();
      await expectFieldError(page, 'I have saved my recovery codes', /Save the codes first/);
      await page.getByLabel('I have saved my recovery codes').check();
      await page.getByRole('button', { name: 'Done' }).click();
      await page.getByLabel('Code to turn it off').waitFor();
      expect(await page.getByTestId('recovery-codes').count()).toBe(0);
      await capture(page, 'security');
      expect((await t.query(MsState, {}, { token: user.token })).me.mfaEnabled).toBe(true);

      // Confirming proved the second factor on this session; ten minutes later (aged here) it has not.
      await asOwner(t, `UPDATE sessions SET second_factor_at = NULL WHERE user_id = '${user.userId}'`);
      await page.getByRole('link', { name: 'Add money', exact: true }).click();
      await page.getByRole('link', { name: 'Cards and bank accounts' }).last().click();
      await addTestCard(page);
      const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
      await dialog.waitFor();
      // Cancelled: the screen says why, nothing is added.
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await waitForText(page, '[role=alert]', 'This needs a code from your authenticator app.');
      expect(await dialog.count()).toBe(0);
      expect((await t.query(MsState, {}, { token: user.token })).paymentMethods).toEqual([]);

      // Again, with a code: a wrong one is refused in the dialog; a recovery code lets the same request through.
      await addTestCard(page);
      await dialog.waitFor();
      await expect.poll(() => page.evaluate('document.activeElement?.closest("dialog") !== null')).toBe(true);
      await capture(page, 'step-up');
      await dialog.getByLabel(field).fill(totp.generate() === '000000' ? '111111' : '000000');
      await dialog.getByRole('button', { name: 'Confirm' }).click();
      await expectFieldError(page, field, /code/i);
      await expectAccessible(page, 'the step-up dialog with an error');
      await dialog.getByLabel(field).fill(recovery[0]!);
      await dialog.getByRole('button', { name: 'Confirm' }).click();
      await waitForText(page, '.success', /Added Visa •+ ?4242/);
      expect(await dialog.count()).toBe(0);
      expect((await t.query(MsState, {}, { token: user.token })).paymentMethods).toHaveLength(1);
      // Three AddCard requests: the cancelled one, and the second sent again unchanged after stepUp.
      expect(addCards).toHaveLength(3);
      expect(addCards[2]).toBe(addCards[1]);

      // The signed-in devices stay reachable from the security screen.
      await page.getByRole('link', { name: 'Profile', exact: true }).click();
      await page.getByRole('link', { name: 'Two-step sign-in' }).click();
      await page.getByRole('link', { name: 'Signed-in devices' }).click();
      await page.getByRole('heading', { name: 'Signed-in devices' }).waitFor();
      await page.goBack();

      // Off, with a code (the session stepped up a moment ago).
      await page.getByLabel('Code to turn it off').fill(recovery[1]!);
      await page.getByRole('button', { name: 'Turn off two-step sign-in' }).click();
      await page.getByRole('button', { name: 'Set up an authenticator app' }).waitFor();
      expect((await t.query(MsState, {}, { token: user.token })).me.mfaEnabled).toBe(false);
      await expectClean(app);
    } finally {
      await app.close();
    }
  });
});
