// The wallet app (/app) in a real browser with no network but the test server: Debian's Chromium
// driven by playwright-core (test/helpers/browser.ts), every other host aborted and CSP violations
// collected. Through the UI as a person uses it; money checked through the API afterwards. Waits
// are on visible state (a text, a role), never on time. The end-to-end path is one test:
// sign up, add the test card and top up (followed live to Completed), send to a second user whose
// open Home shows the money without a reload. Every main screen is checked at phone and desktop
// widths (fits, axe-core WCAG 2 A/AA: test/helpers/appPage.ts capture); with UPDATE_SCREENSHOTS=1
// they are saved to docs/screenshots/ (the README shows them).
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import {
  capture,
  expectClean,
  expectFieldError,
  markNotReloaded,
  openApp,
  signInHere as signIn,
  stepUpWithEmailedCode,
  waitForText,
  wasNotReloaded,
} from '../helpers/appPage.js';
import { DESKTOP, haveChromium, type IsolatedPage, isolatedPage, PHONE } from '../helpers/browser.js';
import { browserSuite } from '../helpers/browserSuite.js';
import { credit, signInAdmin, signUpUser } from '../helpers/people.js';
import { STRONG_PASSWORD, startTestServer, type TestServer, uniqueEmail } from '../helpers/testServer.js';

const DEMO = { email: 'alice@demo.wallet', password: 'demo-Wallet-2026!' };
const ADMIN = { email: 'webapp.admin@example.com', password: 'Web-App-Admin-2026!' };

const WaSignIn = graphql(`mutation WaSignIn($input: SignInInput!) { signIn(input: $input) { tokens { accessToken } } }`);
const WaMoney = graphql(`
  query WaMoney {
    me { wallets { id balance { available { amount } posted { amount } } } }
  }
`);
const WaSequence = graphql(`query WaSequence { me { wallets { sequence } } }`);
const WaTransfers = graphql(`
  query WaTransfers($walletId: ID!) {
    transactions(walletId: $walletId, first: 50, filter: { types: [P2P_TRANSFER] }) { edges { node { direction amount { amount } } } }
  }
`);

interface Person {
  email: string;
  name: string;
  token: string;
  walletId: string;
}

/** Where a person's money is, from the API: their first wallet's available and posted amounts, and their transfers. */
async function moneyOf(person: Person) {
  const wallet = (await t.query(WaMoney, {}, { token: person.token })).me.wallets[0]!;
  const transfers = (await t.query(WaTransfers, { walletId: person.walletId }, { token: person.token })).transactions.edges.map(
    (e) => `${e.node.direction} ${e.node.amount.amount}`,
  );
  return { available: wallet.balance.available.amount, posted: wallet.balance.posted.amount, transfers };
}

/** A user made through the API (the UI's sign-up has its own test), credited with `funds` USD. */
async function person(label: string, name: string, funds?: string): Promise<Person> {
  const user = await signUpUser(t, { label, displayName: name });
  if (funds) await credit(t, await signInAdmin(t, ADMIN), user.walletId, funds);
  return { email: user.email, name, token: user.token, walletId: user.walletId };
}

/** The sendMoney requests a page makes, with their idempotency keys. */
function sendMoneyRequests(page: Page): { keys: string[] } {
  const seen = { keys: [] as string[] };
  page.on('request', (request: Request) => {
    const body = request.postData() ?? '';
    if (request.url().endsWith('/graphql') && body.includes('"operationName":"SendMoney"')) {
      seen.keys.push((JSON.parse(body) as { variables: { input: { idempotencyKey: string } } }).variables.input.idempotencyKey);
    }
  });
  return seen;
}

/** Fills the send form and reviews it: the preview is shown (or the form's errors, when `expectPreview` is false). */
async function fillSend(page: Page, to: string, amount: string, note?: string) {
  await page.getByRole('link', { name: 'Send', exact: true }).click();
  await page.getByRole('heading', { name: 'Send money' }).waitFor();
  await page.getByLabel('Their email').fill(to);
  await page.getByLabel(/^Amount/).fill(amount);
  if (note) await page.getByLabel('Note (optional)').fill(note);
  await page.getByRole('button', { name: 'Review' }).click();
}

let t: TestServer;
let browser: Browser;
browserSuite({ admin: ADMIN, env: { SEED_DEMO: 'true' } }, (suite) => ({ t, browser } = suite));

const open = (path = '/app', viewport = PHONE): Promise<IsolatedPage> => openApp(browser, t, path, viewport);

describe.runIf(haveChromium)('the wallet app at /app', () => {
  it('signs a demo user in, shows their wallet, keeps them signed in across a reload, and signs them out', async () => {
    for (const viewport of [PHONE, DESKTOP]) {
      const app = await open('/app', viewport);
      const { page } = app;
      try {
        // Signed out: /app sends to sign-in, remembering where the person was going.
        await page.waitForURL(/\/app\/sign-in\?next=/);
        // capture() checks both widths: once is enough.
        if (viewport === PHONE) await capture(page, 'sign-in');
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
        if (viewport === PHONE) await capture(page, 'home');

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
      await capture(page, 'sign-up-errors');

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

  it('signs a user up, adds the test card and tops up (live to Completed), and sends to another whose open Home shows it without a reload', async () => {
    const rita = await person('app.rita', 'Rita Recipient');
    const receiver = await open('/app', DESKTOP);
    const sender = await open('/app/sign-up', PHONE);
    try {
      await signIn(receiver.page, { email: rita.email, password: STRONG_PASSWORD });
      await waitForText(receiver.page, '[data-testid=available-USD]', '$0.00');
      // A mark in the page's memory: still there at the end means the page was never reloaded.
      await markNotReloaded(receiver.page);

      // The sender signs up in the app…
      const page = sender.page;
      const email = uniqueEmail('app.sam');
      await page.getByLabel('Your name').fill('Sam Sender');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(STRONG_PASSWORD);
      await page.getByRole('button', { name: 'Create account' }).click();
      await waitForText(page, '[data-testid=available-USD]', '$0.00');
      const samToken = (await t.query(WaSignIn, { input: { email, password: STRONG_PASSWORD } })).signIn.tokens!.accessToken;
      const sam: Person = {
        email,
        name: 'Sam Sender',
        token: samToken,
        walletId: (await t.query(WaMoney, {}, { token: samToken })).me.wallets[0]!.id,
      };

      // …adds the sandbox's test card and tops up with it: Processing, then Completed when the
      // processor's webhook posts it (fundingUpdated), the balance rising on the same page.
      await page.getByRole('link', { name: 'Add money', exact: true }).click();
      await page.getByRole('heading', { name: 'Add money and withdraw' }).waitFor();
      await page.getByRole('link', { name: 'Cards and bank accounts' }).last().click();
      await page.getByLabel('Card number').fill('4242 4242 4242 4242');
      await page.getByLabel('Expiry (MM/YY)').fill('12/30');
      await page.getByLabel('CVC').fill('123');
      await page.getByLabel('Name on the card').fill('Sam Sender');
      await page.getByRole('button', { name: 'Add card' }).click();
      // A card needs a second factor; Sam has none yet, so the app confirms his email with a code
      // (read here from the sandbox's inbox), which proves it, and adds the card.
      await stepUpWithEmailedCode(page, t, email);
      await waitForText(page, '.success', /Added Visa •+ ?4242/);
      await page.getByRole('link', { name: 'Back to add money and withdraw' }).click();
      await markNotReloaded(page);
      await page.getByLabel('From').selectOption({ label: 'Visa •••• 4242' });
      await page.getByLabel('Amount to add (USD)').fill('100');
      await page.getByRole('button', { name: 'Add money' }).click();
      await waitForText(page, '.success', 'Adding $100.00 from Visa •••• 4242.');
      await waitForText(page, '[data-testid=funding-status]', 'Completed');
      await waitForText(page, '[data-testid=available-USD]', '$100.00');
      expect(await wasNotReloaded(page)).toBe(true);
      await page.getByRole('link', { name: 'Home', exact: true }).click();
      await waitForText(page, '[data-testid=available-USD]', '$100.00');
      await waitForText(page, '.transaction-meta', 'Money added');

      const requests = sendMoneyRequests(page);
      await fillSend(page, rita.email, '12.5', 'Lunch');
      await page.getByRole('heading', { name: 'Check and send' }).waitFor();
      await waitForText(page, '[data-testid=preview-total]', '$12.50');
      await capture(page, 'send-preview');
      await page.getByRole('button', { name: 'Send $12.50' }).click();
      await waitForText(page, '.success', 'Sent $12.50 to Rita Recipient.');
      await capture(page, 'send-done');

      // The receiver's open page: the new balance and the transfer, live.
      await waitForText(receiver.page, '[data-testid=available-USD]', '$12.50');
      await waitForText(receiver.page, '.transaction-who', 'From Sam Sender');
      expect(await wasNotReloaded(receiver.page)).toBe(true);
      await capture(receiver.page, 'home-received');

      // History and the transaction's detail.
      await receiver.page.getByRole('link', { name: 'History' }).click();
      await waitForText(receiver.page, '.transaction-who', 'From Sam Sender');
      await capture(receiver.page, 'history');
      await receiver.page.locator('.transaction-link', { hasText: 'From Sam Sender' }).click();
      await receiver.page.getByRole('heading', { name: 'Transfer from Sam Sender' }).waitFor();
      await waitForText(receiver.page, '[data-testid=transaction-status]', 'Completed');
      await capture(receiver.page, 'transaction');

      expect(requests.keys).toHaveLength(1);
      expect(await moneyOf(sam)).toEqual({ available: '87.50', posted: '87.50', transfers: ['OUT 12.50'] });
      expect(await moneyOf(rita)).toEqual({ available: '12.50', posted: '12.50', transfers: ['IN 12.50'] });
      await expectClean(receiver);
      await expectClean(sender);
    } finally {
      await receiver.close();
      await sender.close();
    }
  });

  it('shows a refused send (not enough money) in words and moves nothing; checks amounts against the currency', async () => {
    const sam = await person('app.poor', 'Penny Poor', '5.00');
    const rita = await person('app.rita2', 'Rob Recipient');
    const app = await open('/app');
    const { page } = app;
    try {
      await signIn(page, { email: sam.email, password: STRONG_PASSWORD });
      const requests = sendMoneyRequests(page);
      await fillSend(page, rita.email, '1.234');
      await expectFieldError(page, 'Amount (USD)', 'USD allows at most 2 decimals.');
      await page.getByLabel(/^Amount/).fill('50');
      await page.getByRole('button', { name: 'Review' }).click();
      await expectFieldError(page, 'Amount (USD)', 'Not enough money in your wallet for this transfer.');
      await capture(page, 'send-refused');
      expect(requests.keys).toEqual([]);
      expect(await moneyOf(sam)).toEqual({ available: '5.00', posted: '5.00', transfers: [] });
      expect(await moneyOf(rita)).toEqual({ available: '0.00', posted: '0.00', transfers: [] });
      await expectClean(app);
    } finally {
      await app.close();
    }
  });

  it('moves money once for a double-clicked Send, and once for a Send retried after its answer was lost', async () => {
    const sam = await person('app.double', 'Dora Double', '100.00');
    const rita = await person('app.rita3', 'Ray Recipient');
    const app = await open('/app');
    const { page } = app;
    try {
      await signIn(page, { email: sam.email, password: STRONG_PASSWORD });
      const requests = sendMoneyRequests(page);
      await fillSend(page, rita.email, '10');
      await page.getByRole('button', { name: 'Send $10.00' }).dblclick();
      await waitForText(page, '.success', 'Sent $10.00 to Ray Recipient.');
      expect(requests.keys).toHaveLength(1);
      expect(await moneyOf(rita)).toEqual({ available: '10.00', posted: '10.00', transfers: ['IN 10.00'] });

      // A flaky network: the server gets the request and moves the money, the answer never arrives.
      await page.getByRole('button', { name: 'Send more money' }).click();
      await page.getByLabel(/^Amount/).fill('7.25');
      await page.getByRole('button', { name: 'Review' }).click();
      let dropped = 0;
      await page.route(`${t.url}`, async (route) => {
        if (dropped === 0 && (route.request().postData() ?? '').includes('"operationName":"SendMoney"')) {
          dropped++;
          await route.fetch(); // reaches the server...
          return route.abort('connectionreset'); // ...but the browser never sees the answer
        }
        return route.fallback();
      });
      await page.getByRole('button', { name: 'Send $7.25' }).click();
      await waitForText(page, '[role=alert]', 'Pressing Send again will not send it twice.');
      await page.getByRole('button', { name: 'Send $7.25' }).click();
      await waitForText(page, '.success', 'Sent $7.25 to Ray Recipient.');

      expect(requests.keys).toHaveLength(3);
      expect(requests.keys[2]).toBe(requests.keys[1]); // the retry is the same attempt
      expect(requests.keys[1]).not.toBe(requests.keys[0]);
      expect(await moneyOf(rita)).toEqual({ available: '17.25', posted: '17.25', transfers: ['IN 7.25', 'IN 10.00'] });
      expect(await moneyOf(sam)).toEqual({ available: '82.75', posted: '82.75', transfers: ['OUT 7.25', 'OUT 10.00'] });
    } finally {
      await app.close();
    }
  });

  it('lists signed-in devices and signs another one out', async () => {
    const user = await person('app.sessions', 'Sid Sessions');
    // A second device: a sign-in through the API.
    await t.query(WaSignIn, { input: { email: user.email, password: STRONG_PASSWORD } });
    for (const viewport of [PHONE, DESKTOP]) {
      const app = await open('/app/sessions', viewport);
      const { page } = app;
      try {
        await signIn(page, { email: user.email, password: STRONG_PASSWORD });
        await page.getByRole('heading', { name: 'Signed-in devices' }).waitFor();
        await page.getByText('This device', { exact: true }).waitFor();
        const others = page.getByRole('button', { name: 'Sign out this device' });
        await expect.poll(() => others.count()).toBeGreaterThan(0);
        if (viewport === PHONE) await capture(page, 'sessions');
        const before = await others.count();
        await others.first().click();
        await expect.poll(() => others.count()).toBe(before - 1);
        await expectClean(app);
      } finally {
        await app.close();
      }
    }
  });
});

describe.runIf(haveChromium)('the wallet app when its access token expires', () => {
  let short: TestServer;
  beforeAll(async () => {
    // The shortest access token the server allows: the app refreshes it at 80% of its life, and the
    // server closes the socket when the token it connected with expires (4403).
    short = await startTestServer({
      ACCESS_TOKEN_TTL_SECONDS: '5',
      BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
      BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
    });
  });
  afterAll(async () => {
    await short?.stop();
  });

  it('stays signed in, reconnects the socket with a fresh token, and resumes walletUpdated after the last sequence it saw', async () => {
    const user = await signUpUser(short, { label: 'app.ttl', displayName: 'Tess Token' });
    // Tokens of the API calls below last 5 s too: each call signs in anew.
    const fund = async (amount: string) => credit(short, await signInAdmin(short, ADMIN), user.walletId, amount);
    const app = await isolatedPage(browser, short.origin, PHONE);
    const { page } = app;
    try {
      // Every frame the page sends, by socket (the first, the next after a reconnect, …).
      const sent: { socket: number; payload: string }[] = [];
      let sockets = 0;
      page.on('websocket', (ws) => {
        const socket = ++sockets;
        ws.on('framesent', (frame) => sent.push({ socket, payload: String(frame.payload) }));
      });
      await page.goto(`${short.origin}/app`);
      await signIn(page, { email: user.email, password: STRONG_PASSWORD });
      // Home's chunk, its query, then the subscription (the header's bell loads alongside): not within poll's 1 s on a busy box.
      await expect.poll(() => sent.some((f) => f.payload.includes('LiveWalletUpdated')), { timeout: 10_000 }).toBe(true);
      await fund('3.00');
      await waitForText(page, '[data-testid=available-USD]', '$3.00');
      const token = (await short.query(WaSignIn, { input: { email: user.email, password: STRONG_PASSWORD } })).signIn.tokens!.accessToken;
      const sequence = (await short.query(WaSequence, {}, { token })).me.wallets[0]!.sequence;

      // The server ends the socket when the token it connected with expires; the app connects again
      // with the refreshed token and asks for what came after the last change it saw.
      const resumed = (f: { payload: string }) => f.payload.includes(`"afterSequence":"${sequence}"`);
      await expect.poll(() => sent.some(resumed), { timeout: 30_000 }).toBe(true);
      const first = sent.find((f) => f.payload.includes('LiveWalletUpdated'))!.socket;
      expect(sent.find(resumed)!.socket).toBeGreaterThan(first);
      await fund('4.00');
      await waitForText(page, '[data-testid=available-USD]', '$7.00');
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
      await expectClean(app);
    } finally {
      await app.close();
    }
  });
});
