// Debian's Chromium driven by playwright-core, as the browser tests launch it (apt-get install
// chromium; .ci/run installs it, and there a missing browser fails the run), and pages cut off from
// everything but the test server, with their CSP violations collected.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../src/projectRoot.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI) {
  throw new Error(
    `No Chromium at ${CHROMIUM}: CI must run the browser tests. Install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH.`,
  );
}
if (!haveChromium) {
  console.warn(
    `Skipping the browser tests: no Chromium at ${CHROMIUM}. Install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH to run them.`,
  );
}

/** Flags for a closed network and running as root: no sandbox, no background traffic, a fresh profile. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 860 };

export interface IsolatedPage {
  page: Page;
  context: BrowserContext;
  /** Requests (and WebSocket connections) to anywhere but the test server: aborted. */
  elsewhere: string[];
  /** Content-Security-Policy violations the page reported. */
  cspViolations(): Promise<string[]>;
  close(): Promise<void>;
}

/** A fresh browser profile (en-US, the given viewport) that may reach `origin` only. */
export async function isolatedPage(browser: Browser, origin: string, viewport = PHONE): Promise<IsolatedPage> {
  const context = await browser.newContext({ viewport, locale: 'en-US', timezoneId: 'UTC' });
  const page = await context.newPage();
  const elsewhere: string[] = [];
  const wsOrigin = origin.replace(/^http/, 'ws');
  await page.route('**', (route) => {
    const url = route.request().url();
    if (url.startsWith('data:') || new URL(url).origin === origin) return route.continue();
    elsewhere.push(url);
    return route.abort('internetdisconnected');
  });
  page.on('websocket', (ws) => {
    if (new URL(ws.url()).origin !== wsOrigin) elsewhere.push(ws.url());
  });
  await page.addInitScript({
    content: `window.cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));`,
  });
  return {
    page,
    context,
    elsewhere,
    cspViolations: () => page.evaluate('window.cspViolations') as Promise<string[]>,
    close: () => context.close(),
  };
}

const SCREENSHOTS = path.join(PROJECT_ROOT, 'docs', 'screenshots');

/**
 * Saves docs/screenshots/<name>-<phone|desktop>.png when UPDATE_SCREENSHOTS=1 (the README shows
 * them); other runs leave the committed pictures alone, so tests never dirty the tree.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.UPDATE_SCREENSHOTS !== '1') return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  const width = page.viewportSize()?.width ?? 0;
  await page.screenshot({
    path: path.join(SCREENSHOTS, `${name}-${width <= 500 ? 'phone' : 'desktop'}.png`),
    fullPage: true,
    animations: 'disabled',
    caret: 'hide',
  });
}
