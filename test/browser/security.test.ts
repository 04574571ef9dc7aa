// Two-step sign-in in the wallet app, in Debian's Chromium. Signing in: after the password, the app
// asks for the authenticator's code (signIn answered MFA_REQUIRED), a wrong code is shown beside
// the field and signs nobody in, the right one starts the session. Turning it on from the profile:
// the QR code and the key to type, the first code (a wrong one refused beside the field), the ten
// recovery codes with their "saved them" step. Step-up: a risky action (adding a card) on a session
// without a recent second factor opens the app's one dialog; cancelled, the screen says why and
// nothing is added; with a code, the very same request is sent again and the card is added. Then
// the signed-in devices are reached from there, and two-step sign-in is turned off with a code.
// Without an authenticator app: the profile's email and phone, the dialog with a code sent to the
// confirmed email (a wrong one read out beside the field, a new one asked for, focus back on Save).
// A forgotten password: the link from the sandbox inbox, the new password (its errors beside the
// field, then the authenticator's code the server asks for), the token never sent but in
// resetPassword, the other signed-in page signed out, and signing in with the new password.
import { Secret, TOTP, URI } from 'otpauth';
import type { Browser, Page, Request } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { DESKTOP, haveChromium, PHONE } from '../helpers/browser.js';
import { browserSuite } from '../helpers/browserSuite.js';
import { capture, expectAccessible, expectClean, expectFieldError, openApp, signInHere, waitForText } from '../helpers/appPage.js';
import { sandboxCode, sandboxMessages, signUpUser, uniquePhone, verifyEmail } from '../helpers/people.js';
import { asOwner, STRONG_PASSWORD, type TestServer } from '../helpers/testServer.js';

const MsEnrol = graphql(`mutation MsEnrol { enrolMfa { enrolment { otpauthUri } userErrors { code } } }`);
const MsConfirm = graphql(
  `mutation MsConfirm($input: ConfirmMfaInput!) { confirmMfa(input: $input) { recoveryCodes userErrors { code } } }`,
);
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

/** Whether the element focused now matches `selector` (the root tsconfig has no DOM types: the check is text). */
const focusedMatches = (page: Page, selector: string) =>
  page.evaluate(`document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`) as Promise<boolean>;

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
browserSuite({}, (suite) => ({ t, browser } = suite));

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

  it('without an authenticator app: confirms the email and phone on the profile, and steps up with a code sent to the email', async () => {
    const user = await signUpUser(t, { label: 'contacts', displayName: 'Casey Contact' });
    await verifyEmail(t, user);
    const phone = uniquePhone();
    const app = await openApp(browser, t, '/app/profile', PHONE);
    const { page } = app;
    try {
      await signInHere(page, { email: user.email, password: STRONG_PASSWORD });
      await waitForText(page, '[data-testid=email-confirmed]', 'Your email address is confirmed.');
      await page.getByLabel('Phone').fill(phone);
      await page.getByRole('button', { name: 'Save' }).click();
      // A phone change once the email is confirmed needs a code: sent there as the dialog opens.
      const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
      const field = 'Code from the email';
      await waitForText(
        page,
        'dialog [data-testid=code-sent]',
        /^We sent a code to c•••@example\.com\. It works once, for the next 10 minutes\.$/,
      );
      await expect.poll(() => focusedMatches(page, 'dialog input[autocomplete=one-time-code]')).toBe(true);
      await capture(page, 'step-up-code');
      const code = await sandboxCode(t, user.email);
      await dialog.getByLabel(field).fill(code === '000000' ? '111111' : '000000');
      await dialog.getByRole('button', { name: 'Confirm' }).click();
      await expectFieldError(page, field, /wrong/);
      expect(await dialog.locator('.field-error[role=alert]').count()).toBe(1);
      await expectAccessible(page, 'the step-up dialog with a wrong code');
      await dialog.getByRole('button', { name: 'Send a new code' }).click();
      await waitForText(page, 'dialog [data-testid=code-sent]', /^We sent a new code to c•••@example\.com\./);
      await dialog.getByLabel(field).fill(await sandboxCode(t, user.email));
      await dialog.getByRole('button', { name: 'Confirm' }).click();
      await waitForText(page, '.success', 'Saved.');
      expect(await dialog.count()).toBe(0);
      // Focus is back on the button that sent the request.
      await expect.poll(() => focusedMatches(page, 'button[type=submit]')).toBe(true);
      expect(await page.evaluate('document.activeElement?.textContent')).toBe('Save');

      // The new phone is not confirmed: a texted code confirms it, and focus lands on the words that say so.
      await waitForText(page, '[data-testid=phone-unconfirmed]', 'Your phone number is not confirmed yet.');
      await page.getByRole('button', { name: 'Text me a code' }).click();
      await waitForText(page, '[data-testid=code-sent]', /^We sent a code to •+\d{4}\./);
      await page.getByLabel('Code from the text message').fill(await sandboxCode(t, phone));
      await page.getByRole('button', { name: 'Confirm', exact: true }).click();
      await waitForText(page, '[data-testid=phone-confirmed]', 'Your phone number is confirmed.');
      await expect.poll(() => focusedMatches(page, '[data-testid=phone-confirmed]')).toBe(true);
      await capture(page, 'profile');
      await expectClean(app);
    } finally {
      await app.close();
    }
  });

  it('resets a forgotten password from the emailed link, asks for the authenticator code, and signs the other page out', async () => {
    const user = await signUpUser(t, { label: 'reset', displayName: 'Robin Reset' });
    const totp = URI.parse((await t.query(MsEnrol, {}, { token: user.token })).enrolMfa.enrolment!.otpauthUri) as TOTP;
    const confirmed = (await t.query(MsConfirm, { input: { code: totp.generate() } }, { token: user.token })).confirmMfa;
    const recovery = confirmed.recoveryCodes!;
    const freshStep = () => asOwner(t, `UPDATE user_mfa SET last_used_step = NULL WHERE user_id = '${user.userId}'`);
    const NEW_PASSWORD = 'Fresh-Start-2026!q';

    // The old session: signed in on another page, Home open (its socket live).
    await freshStep();
    const old = await openApp(browser, t, '/app/sign-in', PHONE);
    const app = await openApp(browser, t, '/app/sign-in', DESKTOP);
    const { page } = app;
    try {
      await old.page.getByLabel('Email').fill(user.email);
      await old.page.getByLabel('Password').fill(STRONG_PASSWORD);
      await old.page.getByRole('button', { name: 'Sign in' }).click();
      await old.page.getByLabel('Code from your authenticator app').fill(totp.generate());
      await old.page.getByRole('button', { name: 'Verify' }).click();
      await old.page.getByRole('heading', { name: /^Hello/ }).waitFor();

      // Forgot: the address typed on the sign-in screen comes along; the answer is the same for any address.
      await page.getByLabel('Email').fill(user.email);
      await page.getByRole('link', { name: 'Forgot your password?' }).click();
      await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
      expect(await page.getByLabel('Email').inputValue()).toBe(user.email);
      await capture(page, 'forgot-password');
      await page.getByRole('button', { name: 'Send me a link' }).click();
      await waitForText(page, '[data-testid=reset-sent]', 'If an account uses that address, we sent it a link to choose a new password.');
      await capture(page, 'forgot-password-sent');

      // The link, from the sandbox inbox (written just after the answer).
      await t.server.services.passwordReset.settled();
      const mail = (await sandboxMessages(t, user.email)).find((m) => /reset your password/.test(m.subject ?? ''));
      const link = /https?:\/\/\S+\/app\/reset-password#token=(\S+)/.exec(mail?.text ?? '');
      expect(link, 'a reset link in the email').toBeTruthy();
      const token = link![1]!;
      const carrying: string[] = [];
      page.on('request', (request) => {
        const seen = `${request.url()} ${JSON.stringify(request.headers())} ${request.postData() ?? ''}`;
        if (seen.includes(token)) carrying.push(request.postData() ?? request.url());
      });
      await page.goto(`${t.origin}/app/reset-password#token=${token}`);
      await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
      // Read, then gone from the address bar.
      await expect.poll(() => page.url()).toBe(`${t.origin}/app/reset-password`);

      await page.getByLabel('New password').fill('short');
      await page.getByRole('button', { name: 'Set new password' }).click();
      await expectFieldError(page, 'New password', /at least 10 characters/);
      await page.getByLabel('New password').fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Set new password' }).click();
      // Two-step sign-in is on: the server asks for a code too, and the field appears with why.
      await expectFieldError(page, 'Code from your authenticator app', /two-step sign-in/);
      await capture(page, 'reset-password');
      await page.getByLabel('Code from your authenticator app').fill(recovery[0]!);
      await page.getByRole('button', { name: 'Set new password' }).click();
      await waitForText(page, '[data-testid=reset-done]', 'Sign in with your new password.');
      await capture(page, 'reset-password-done');
      // The token went to the server in resetPassword only.
      expect(carrying.length).toBeGreaterThan(0);
      for (const body of carrying) expect(body).toContain('"operationName":"ResetPassword"');

      // Every session ended: the other page is signed out without a reload.
      await old.page.getByRole('heading', { name: 'Sign in' }).waitFor();

      // Sign in with the new password (and a code of a fresh step).
      await page.getByRole('link', { name: 'Sign in' }).click();
      await freshStep();
      await page.getByLabel('Email').fill(user.email);
      await page.getByLabel('Password').fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByLabel('Code from your authenticator app').fill(totp.generate());
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
      await expectClean(app);
      await expectClean(old);
    } finally {
      await app.close();
      await old.close();
    }
  });
});
