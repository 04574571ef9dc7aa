// The wallet app (/app) in the browser tests: open a page cut off from all but the test server,
// sign in through the UI, wait on visible state (a text, a role, an invalid field; never on time),
// check a screen fits phone and desktop widths and passes axe-core's WCAG 2 A and AA rules (saving
// its pictures with UPDATE_SCREENSHOTS=1), and that nothing was fetched elsewhere nor blocked by
// the CSP. One copy for the app's test files.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { webBuildState } from '../../scripts/buildWeb.js';
import { DESKTOP, type IsolatedPage, isolatedPage, PHONE, screenshot } from './browser.js';
import { sandboxCode } from './people.js';
import type { TestServer } from './testServer.js';

/** Fails the suite with what to run when dist/web/ is missing or older than web/. */
export function requireWebBuild(): void {
  const built = webBuildState();
  if (built !== 'fresh') {
    throw new Error(
      `dist/web/ is ${built === 'missing' ? 'missing' : 'older than web/'}: run npm run build:web (npm test builds it when web/ changed).`,
    );
  }
}

/** A fresh page at `path` of the test server (its answer must be 200). */
export async function openApp(browser: Browser, t: TestServer, path = '/app', viewport = PHONE): Promise<IsolatedPage> {
  const isolated = await isolatedPage(browser, t.origin, viewport);
  const response = await isolated.page.goto(`${t.origin}${path}`);
  expect(response?.status()).toBe(200);
  return isolated;
}

/** Signs in on the sign-in screen (the page must be on it or going there). */
export async function signInHere(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/** Waits until an element matching `selector` contains `text`. */
export async function waitForText(page: Page, selector: string, text: string | RegExp): Promise<void> {
  await page.locator(selector, { hasText: text }).first().waitFor();
}

/**
 * Answers the step-up dialog ("Confirm it is you") of a person without an authenticator app: the
 * code the app had emailed to `email`, read from the sandbox's inbox. Returns once the dialog is gone.
 */
export async function stepUpWithEmailedCode(page: Page, t: TestServer, email: string): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
  await waitForText(page, 'dialog', /We sent a code to .+@example\.com/);
  await dialog.getByLabel('Code from the email').fill(await sandboxCode(t, email));
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect.poll(() => dialog.count()).toBe(0);
}

/** Waits until the field labelled `label` is marked invalid, and checks the error it is described by. */
export async function expectFieldError(page: Page, label: string | RegExp, message: string | RegExp): Promise<void> {
  const field = page.getByLabel(label, { exact: typeof label === 'string' });
  await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
  const ids = (await field.getAttribute('aria-describedby'))!.split(' ');
  const error = (await page.locator(`[id="${ids.at(-1)}"]`).textContent()) ?? '';
  if (typeof message === 'string') expect(error).toBe(message);
  else expect(error).toMatch(message);
}

const WIDER_THAN_WINDOW = `[...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5 && ![...e.children].some((c) => c.getBoundingClientRect().right > window.innerWidth + 0.5))
  .slice(0, 5)
  .map((e) => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '') + ' ' + Math.round(e.getBoundingClientRect().right) + 'px')
  .join(', ')`;

/** axe-core's browser bundle, read once per test file. */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * Runs axe-core's WCAG 2 A and AA rules on the page as it is now and fails with each violation in
 * words: the rule, what it asks, and each element with axe's summary of what to fix.
 *
 * axe's source goes in through the DevTools protocol (page.evaluate), not page.addScriptTag: the
 * app's CSP (script-src 'self') blocks an inline <script>, and the tests count CSP violations, so
 * a script tag would both fail to run and fail expectClean. Evaluating it leaves the page's policy
 * and its count untouched.
 */
export async function expectAccessible(page: Page, what = 'the page'): Promise<void> {
  if ((await page.evaluate('typeof window.axe')) !== 'object') await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(
    `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, resultTypes: ['violations'] }).then((r) => r.violations)`,
  )) as AxeViolation[];
  const readable = violations.flatMap((v) => [
    `${v.id} (${v.impact ?? 'unknown'}): ${v.help} <${v.helpUrl}>`,
    ...v.nodes.map((n) => `  at ${n.target.join(' ')}: ${(n.failureSummary ?? '').replace(/:\s*\n\s*/g, ': ').replace(/\s*\n\s*/g, '; ')}`),
  ]);
  if (readable.length) throw new Error(`${what} has WCAG 2 A/AA violations (axe-core):\n${readable.join('\n')}`);
}

/**
 * A screen at phone and desktop widths: it fits each (no sideways scrolling) and passes axe-core's
 * WCAG 2 A and AA rules at each; pictures saved with UPDATE_SCREENSHOTS=1.
 */
export async function capture(page: Page, name: string): Promise<void> {
  const original = page.viewportSize() ?? PHONE;
  for (const viewport of original.width === PHONE.width ? [PHONE, DESKTOP] : [DESKTOP, PHONE]) {
    await page.setViewportSize(viewport);
    const overflow = (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
    // Names the innermost elements that stick out, so a failure says what to fix.
    const wide = overflow > 0 ? await page.evaluate(WIDER_THAN_WINDOW) : '';
    expect(overflow, `${name} is wider than the ${viewport.width} px window: ${wide}`).toBeLessThanOrEqual(0);
    await expectAccessible(page, `${name} at ${viewport.width} px`);
    await screenshot(page, name);
  }
  await page.setViewportSize(original);
}

/** Nothing was fetched from elsewhere and the CSP blocked nothing. */
export async function expectClean(isolated: IsolatedPage): Promise<void> {
  expect(isolated.elsewhere).toEqual([]);
  expect(await isolated.cspViolations()).toEqual([]);
}

/** A mark in the page's memory: still there later means the page was never reloaded. */
export const markNotReloaded = (page: Page) => page.evaluate('window.notReloaded = true');
export const wasNotReloaded = async (page: Page) => (await page.evaluate('window.notReloaded')) === true;
