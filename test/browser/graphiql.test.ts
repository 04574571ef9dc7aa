// The GraphQL IDE in a real browser with no network but the test server: Debian's Chromium
// (apt-get install chromium; .ci/run installs it, and there a missing browser fails the run) driven
// by playwright-core, in the pages of test/helpers/browser.ts (isolatedPage): every request to
// another host is aborted and recorded, and the page's Content-Security-Policy violations are
// collected: the IDE must load and work from this server
// alone under its CSP. Through the UI: a token set in the page's field is sent with queries (HTTP)
// and subscriptions (graphql-ws connection params), the docs explorer shows the schema
// (introspection passes the default limits), and a token in a signIn answer can be taken over.
import type { Browser, Page, Response } from 'playwright-core';
import { DESKTOP, haveChromium, type IsolatedPage, isolatedPage } from '../helpers/browser.js';
import { browserSuite } from '../helpers/browserSuite.js';
import { describe, expect, it } from 'vitest';
import { credit, signInAdmin, signUpUser } from '../helpers/people.js';
import { STRONG_PASSWORD, type TestServer } from '../helpers/testServer.js';

const ADMIN = { email: 'graphiql.admin@example.com', password: 'GraphiQL-Admin-2026!' };

let t: TestServer;
let browser: Browser;
browserSuite({ admin: ADMIN }, (suite) => ({ t, browser } = suite));

interface Ide extends IsolatedPage {
  /** The answers to GraphiQL's introspection query. */
  schemaAnswers: Response[];
}

/** A fresh browser profile on the IDE, cut off from everything but the test server (isolatedPage). */
async function openIde(url = t.url): Promise<Ide> {
  const isolated = await isolatedPage(browser, t.origin, DESKTOP);
  const { page } = isolated;
  const schemaAnswers: Response[] = [];
  page.on('response', (r) => {
    if (r.url() === t.url && r.request().method() === 'POST' && (r.request().postData() ?? '').includes('__schema')) schemaAnswers.push(r);
  });
  const response = await page.goto(url);
  expect(response?.status()).toBe(200);
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self';");
  // GraphiQL has fetched the schema once the query editor is ready and the run button is enabled.
  await page.locator('.graphiql-query-editor .monaco-editor').waitFor();
  return { ...isolated, schemaAnswers };
}

/** Replaces the operation in GraphiQL's (Monaco) editor, as a paste would. */
async function setOperation(page: Page, text: string) {
  await page.locator('.graphiql-query-editor .monaco-editor').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

/**
 * Presses GraphiQL's run button once it has parsed the editor's single operation: while it still
 * sees several (the starting document has two), the button opens a menu to pick one instead.
 */
async function run(page: Page) {
  await page.locator('.graphiql-execute-button:not([aria-haspopup])').click();
}

/** The text of GraphiQL's response pane without white space (Monaco wraps long lines and renders spaces as no-break spaces). */
async function responseText(page: Page): Promise<string> {
  const text = await page.locator('.graphiql-response').textContent();
  return (text ?? '').replace(/\s/g, '');
}

async function waitForResponseText(page: Page, expected: string) {
  await expect.poll(() => responseText(page), { timeout: 15_000 }).toContain(expected.replace(/\s/g, ''));
}

describe.runIf(haveChromium)('the GraphQL IDE (GraphiQL) at /graphql', () => {
  it('loads from this server alone, sends the token set in the page, and shows the schema in the docs explorer', async () => {
    const user = await signUpUser(t, { label: 'graphiql', displayName: 'IDE User' });
    const ide = await openIde();
    const { page } = ide;
    try {
      expect(await page.getByTestId('auth-state').textContent()).toBe('No token: requests are anonymous.');

      // Anonymous first: the API says to sign in.
      await setOperation(page, '{ me { email } }');
      await run(page);
      await waitForResponseText(page, 'UNAUTHENTICATED');

      await page.getByLabel('Access token').fill(`Bearer ${user.token}`);
      await page.getByRole('button', { name: 'Use token' }).click();
      expect(await page.getByTestId('auth-state').textContent()).toContain("Requests are sent as the token's user");
      const sent = page.waitForRequest((r) => r.url() === t.url && (r.postData() ?? '').includes('me { email }'));
      await run(page);
      expect((await sent).headers().authorization).toBe(`Bearer ${user.token}`);
      await waitForResponseText(page, `"email": "${user.email}"`);

      // The schema was introspected with the default limits, and the docs explorer shows it.
      expect(ide.schemaAnswers.length).toBeGreaterThan(0);
      const schemaAnswer = ide.schemaAnswers[0]!;
      expect(schemaAnswer.status()).toBe(200);
      const schemaBody = (await schemaAnswer.json()) as { data?: { __schema?: unknown }; errors?: unknown };
      expect(schemaBody.errors).toBeUndefined();
      expect(schemaBody.data?.__schema).toBeTruthy();
      await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
      const docs = page.locator('.graphiql-doc-explorer');
      await docs.getByRole('link', { name: 'Query', exact: true }).click();
      await expect.poll(() => docs.textContent()).toContain('previewTransfer');

      // The token is kept for the tab: a reload still sends it.
      await page.reload();
      await page.locator('.graphiql-query-editor .monaco-editor').waitFor();
      expect(await page.getByTestId('auth-state').textContent()).toContain("Requests are sent as the token's user");

      expect(ide.elsewhere).toEqual([]);
      expect(await ide.cspViolations()).toEqual([]);
    } finally {
      await ide.close();
    }
  });

  it('runs subscriptions over graphql-ws with the token as the connection params', async () => {
    const user = await signUpUser(t, { label: 'graphiql.ws' });
    const ide = await openIde();
    const { page } = ide;
    try {
      await page.getByLabel('Access token').fill(user.token);
      await page.getByRole('button', { name: 'Use token' }).click();
      const socket = page.waitForEvent('websocket');
      // afterSequence: 0 replays from the wallet's start, so the credit arrives whether the server
      // registered the subscription before it or after (the ack only says the socket is accepted).
      await setOperation(
        page,
        `subscription { walletUpdated(walletId: "${user.walletId}", afterSequence: "0") { balanceAfter { amount currency } } }`,
      );
      await run(page);
      const ws = await socket;
      expect(ws.url()).toBe(t.wsUrl);
      // The server accepted the connection (a bad token closes it with 4403) before the money moves.
      await ws.waitForEvent('framereceived', { predicate: (frame) => String(frame.payload).includes('connection_ack') });
      await credit(t, await signInAdmin(t, ADMIN), user.walletId, '7.25');
      await waitForResponseText(page, '"amount": "7.25"');

      expect(ide.elsewhere).toEqual([]);
      expect(await ide.cspViolations()).toEqual([]);
    } finally {
      await ide.close();
    }
  });

  it('opens a /graphql?query= link with that operation in the editor', async () => {
    const ide = await openIde(`${t.url}?query=${encodeURIComponent('query Linked { __typename }')}`);
    try {
      await run(ide.page);
      await waitForResponseText(ide.page, '"__typename": "Query"');
      expect(ide.elsewhere).toEqual([]);
    } finally {
      await ide.close();
    }
  });

  it('offers the access token of a signIn answer run in the IDE', async () => {
    const user = await signUpUser(t, { label: 'graphiql.signin' });
    const ide = await openIde();
    const { page } = ide;
    try {
      await setOperation(
        page,
        `mutation { signIn(input: { email: "${user.email}", password: "${STRONG_PASSWORD}" }) { tokens { accessToken } userErrors { code } } }`,
      );
      await run(page);
      const offer = page.getByRole('button', { name: 'Use the accessToken from the last answer' });
      await offer.click();
      expect(await page.getByTestId('auth-state').textContent()).toContain("Requests are sent as the token's user");
      await expect.poll(() => offer.count()).toBe(0);

      await setOperation(page, '{ me { email } }');
      await run(page);
      await waitForResponseText(page, `"email": "${user.email}"`);
      expect(ide.elsewhere).toEqual([]);
    } finally {
      await ide.close();
    }
  });
});
