// The GraphQL IDE and the web assets over plain HTTP (the browser test, test/browser/graphiql.test.ts,
// drives the IDE itself): who gets the IDE page at GET /graphql and who still gets GraphQL, the
// page's headers, every asset it links to served with its content type and a long cache, bad asset
// names refused, production without the IDE, and a page saying how to build it when dist/web/ is missing.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webBuildState } from '../../scripts/buildWeb.js';
import { createWebAssets, prefersHtml } from '../../src/server/webAssets.js';
import { startTestServer, type TestServer } from '../helpers/testServer.js';

/** What Chromium sends when a person opens a URL. */
const BROWSER_ACCEPT =
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7';

describe('prefersHtml: a browser opening the URL, not a GraphQL client', () => {
  it.each([
    [BROWSER_ACCEPT, true],
    ['text/html', true],
    ['text/html, application/json', true],
    ['application/json, text/html', false],
    ['text/html;q=0.5, application/json', false],
    ['application/json', false],
    ['application/graphql-response+json, application/json;q=0.9', false],
    ['*/*', false],
    ['text/html;q=0', false],
    [undefined, false],
  ])('%s -> %s', (accept, expected) => {
    expect(prefersHtml(accept)).toBe(expected);
  });
});

describe('the IDE page and web assets on a development server', () => {
  let t: TestServer;
  beforeAll(async () => {
    const built = webBuildState();
    if (built !== 'fresh') {
      throw new Error(
        `dist/web/ is ${built === 'missing' ? 'missing' : 'older than web/'}: run npm run build:web (npm test builds it when web/ changed).`,
      );
    }
    t = await startTestServer();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('answers a browser at GET /graphql with the IDE, under a CSP that runs scripts from this server only', async () => {
    const res = await fetch(t.url, { headers: { accept: BROWSER_ACCEPT } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await res.text();
    expect(html).toContain('<div id="root"></div>');
    // No inline script and nothing from another host.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);

    const linked = [...html.matchAll(/(?:src|href)="(\/web\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(linked.some((path) => path.endsWith('.js'))).toBe(true);
    expect(linked.some((path) => path.endsWith('.css'))).toBe(true);
    for (const path of linked) {
      const asset = await fetch(`${t.origin}${path}`);
      expect(asset.status, path).toBe(200);
      expect(asset.headers.get('content-type'), path).toBe(
        path.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8',
      );
      expect(asset.headers.get('cache-control'), path).toBe('public, max-age=31536000, immutable');
      expect(asset.headers.get('x-content-type-options'), path).toBe('nosniff');
      const body = Buffer.from(await asset.arrayBuffer());
      expect(body.length, path).toBe(Number(asset.headers.get('content-length')));
      expect(body.length, path).toBeGreaterThan(0);
    }

    const head = await fetch(`${t.origin}${linked[0]}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0);
    expect((await head.arrayBuffer()).byteLength).toBe(0);
  });

  it('still answers GraphQL clients at GET and POST /graphql', async () => {
    const query = encodeURIComponent('{ __typename }');
    for (const accept of ['application/json', 'application/graphql-response+json, application/json;q=0.9', '*/*']) {
      const res = await fetch(`${t.url}?query=${query}`, { headers: { accept } });
      expect(res.status, accept).toBe(200);
      expect(await res.json(), accept).toEqual({ data: { __typename: 'Query' } });
    }
    const posted = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: BROWSER_ACCEPT },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await posted.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('refuses asset names it does not have, paths out of the folder, and methods other than GET and HEAD', async () => {
    const missing = await fetch(`${t.origin}/web/assets/nothing-AAAAAAAA.js`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { errors: { message: string }[] }).errors[0]!.message).toContain('npm run build:web');
    for (const path of ['/web/assets/..%2Fgraphiql.html', '/web/assets/.inputs-hash', '/web/graphiql.html', '/web/.inputs-hash']) {
      const res = await fetch(`${t.origin}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).not.toContain('<html');
    }
    const html = await (await fetch(t.url, { headers: { accept: 'text/html' } })).text();
    const script = /src="(\/web\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const posted = await fetch(`${t.origin}${script}`, { method: 'POST' });
    expect(posted.status).toBe(405);
    expect(posted.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('production', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ NODE_ENV: 'production', METRICS_TOKEN: 'webassets-test-metrics-token' });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('has no IDE: a browser at GET /graphql gets the API answer', async () => {
    const res = await fetch(t.url, { headers: { accept: BROWSER_ACCEPT } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.text()).not.toContain('<html');
  });
});

describe('before the IDE is built', () => {
  it('the page at /graphql says how to build it', async () => {
    const web = createWebAssets('/nonexistent/dist/web');
    const server = createServer((_req, res) => void web.serveIde(res));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`);
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-store');
      const html = await res.text();
      expect(html).toContain('<h1>GraphiQL is not built</h1>');
      expect(html).toContain('<code>npm run build:web</code>');
    } finally {
      server.close();
    }
  });
});
