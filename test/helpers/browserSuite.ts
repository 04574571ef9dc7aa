// The setup every browser test file shares: one test server and one Chromium for the file, started
// before its tests (after checking dist/web/ is fresh, for files that open the app) and stopped
// after them. Nothing starts on a machine without Chromium: the files skip their tests there.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { requireWebBuild } from './appPage.js';
import { haveChromium, launchChromium } from './browser.js';
import { startTestServer, type TestServer } from './testServer.js';

export interface BrowserSuiteOptions {
  /** The bootstrap admin the server creates (for signInAdmin). */
  admin?: { email: string; password: string };
  /** More server settings. */
  env?: Record<string, string>;
  /** Whether the file opens the web app (/app), which needs `npm run build:web`; default true. */
  web?: boolean;
}

/**
 * Starts the file's server and browser in beforeAll and hands them to `started` (the file's own
 * `t` and `browser`, as `({ t, browser } = suite)`); stops both in afterAll.
 */
export function browserSuite(options: BrowserSuiteOptions, started: (suite: { t: TestServer; browser: Browser }) => void): void {
  let t: TestServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    if (!haveChromium) return;
    if (options.web !== false) requireWebBuild();
    const admin = options.admin && { BOOTSTRAP_ADMIN_EMAIL: options.admin.email, BOOTSTRAP_ADMIN_PASSWORD: options.admin.password };
    t = await startTestServer({ ...admin, ...options.env });
    browser = await launchChromium();
    started({ t, browser });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });
}
