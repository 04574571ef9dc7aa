// The wallet app over plain HTTP (test/browser/walletApp.test.ts drives the app itself): every path
// under /app answers the same page (client-side routes reload), under a CSP of this origin only and
// no inline styles, with every asset it links to served; in production too; a page saying how to
// build it when dist/web/ is missing; and the first load within its gzip budget (docs/performance.md).
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_OUT_DIR, webBuildState } from '../../scripts/buildWeb.js';
import { APP_FIRST_LOAD_BUDGET, kib, measureFirstLoad } from '../../scripts/webBudget.js';
import { createWebAssets } from '../../src/server/webAssets.js';
import { startTestServer, type TestServer } from '../helpers/testServer.js';

function assertBuilt() {
  const built = webBuildState();
  if (built !== 'fresh') {
    throw new Error(
      `dist/web/ is ${built === 'missing' ? 'missing' : 'older than web/'}: run npm run build:web (npm test builds it when web/ changed).`,
    );
  }
}

async function expectAppPage(origin: string, pathname: string): Promise<string> {
  const res = await fetch(`${origin}${pathname}`, { headers: { accept: 'text/html' } });
  expect(res.status, pathname).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(res.headers.get('cache-control')).toBe('no-cache');
  const csp = res.headers.get('content-security-policy')!;
  for (const directive of ["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"]) {
    expect(csp.split('; '), pathname).toContain(directive);
  }
  expect(csp).not.toContain('unsafe-inline');
  const html = await res.text();
  expect(html).toContain('<title>Wallet</title>');
  expect(html).toContain('<div id="root"></div>');
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  expect(html).not.toMatch(/<style/);
  expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  return html;
}

describe('the wallet app at /app', () => {
  let t: TestServer;
  beforeAll(async () => {
    assertBuilt();
    t = await startTestServer();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('answers the same page at /app and every path under it, and serves every asset it links to', async () => {
    const page = await expectAppPage(t.origin, '/app');
    for (const route of ['/app/', '/app/sign-in', '/app/history/VHJhbnNhY3Rpb246eA', '/app/send?currency=USD', '/app/no/such/screen']) {
      expect(await expectAppPage(t.origin, route)).toBe(page);
    }
    const linked = [...page.matchAll(/(?:src|href)="(\/web\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(linked.some((p) => p.endsWith('.js'))).toBe(true);
    expect(linked.some((p) => p.endsWith('.css'))).toBe(true);
    for (const asset of linked) {
      const res = await fetch(`${t.origin}${asset}`);
      expect(res.status, asset).toBe(200);
      expect(res.headers.get('cache-control'), asset).toBe('public, max-age=31536000, immutable');
    }
  });

  it('answers HEAD without a body, refuses other methods, and leaves other paths alone', async () => {
    const head = await fetch(`${t.origin}/app/history`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0);
    expect((await head.arrayBuffer()).byteLength).toBe(0);
    const posted = await fetch(`${t.origin}/app`, { method: 'POST' });
    expect(posted.status).toBe(405);
    expect(posted.headers.get('allow')).toBe('GET, HEAD');
    for (const other of ['/apps', '/application', '/web/app.html']) {
      expect((await fetch(`${t.origin}${other}`)).status, other).toBe(404);
    }
  });

  it('keeps the first load within its gzip budget', () => {
    const firstLoad = measureFirstLoad(WEB_OUT_DIR);
    // The page, its script and styles: screens come later (React.lazy), GraphiQL never.
    expect(firstLoad.files.map((f) => path.extname(f.name)).sort()).toContain('.css');
    expect(firstLoad.files.some((f) => /graphiql|monaco/i.test(f.name))).toBe(false);
    expect(
      firstLoad.gzipBytes,
      `first load ${kib(firstLoad.gzipBytes)} gzipped is over the ${kib(APP_FIRST_LOAD_BUDGET)} budget (docs/performance.md)`,
    ).toBeLessThanOrEqual(APP_FIRST_LOAD_BUDGET);
  });
});

describe('the wallet app in production', () => {
  let t: TestServer;
  beforeAll(async () => {
    assertBuilt();
    t = await startTestServer({ NODE_ENV: 'production', METRICS_TOKEN: 'webapp-test-metrics-token' });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('is served: the app is a product, not a developer tool', async () => {
    await expectAppPage(t.origin, '/app');
    await expectAppPage(t.origin, '/app/history');
  });
});

describe('before the app is built', () => {
  it('the page at /app says how to build it', async () => {
    const web = createWebAssets('/nonexistent/dist/web');
    const server = createServer((_req, res) => void web.serveApp(res, false));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/app`);
      expect(res.status).toBe(503);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const html = await res.text();
      expect(html).toContain('<h1>The wallet app is not built</h1>');
      expect(html).toContain('<code>npm run build:web</code>');
    } finally {
      server.close();
    }
  });
});
