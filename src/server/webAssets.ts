// The browser pages built from web/ by Vite (`npm run build:web`, scripts/buildWeb.ts) into
// dist/web/: the GraphQL IDE (GraphiQL), answered at GET /graphql to browsers in development; the
// wallet app, answered at /app and every path under it in every environment (its routes are the
// browser's: a reload of /app/history must get the same page); and the files the pages load, at
// /web/assets/<name>. Everything comes from this server (no CDN), so both work offline.
//
// The asset names carry a content hash (Vite's [name]-[hash]), so they are cached for a year as
// immutable; the page itself is never cached, so a rebuild is seen on the next reload. The IDE's
// Content-Security-Policy lets it run scripts and workers from this origin only and talk to this
// origin only (HTTP and WebSocket); styles may be inline because Monaco, GraphiQL's editor, writes
// its own style elements at run time.
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { PROJECT_ROOT } from '../projectRoot.js';

export const WEB_DIR = path.join(PROJECT_ROOT, 'dist', 'web');
/** /web/assets/<name>: Vite writes every asset into one flat folder. */
export const WEB_ASSET_PATH = /^\/web\/assets\/([A-Za-z0-9_-][A-Za-z0-9._-]{0,200})$/;

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** Vite's content hash before the extension: graphiql-B9q9moFr.js, codicon-DCmgc-ay.ttf. */
const HASHED = /-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

const JSON_TYPES = new Set(['application/json', 'application/graphql-response+json', 'multipart/mixed']);

const IDE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  // 'self' covers ws:/wss: to this host too (CSP Level 3): subscriptions over graphql-ws.
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The wallet app's: as the IDE's, but no inline styles and no workers (it has neither). */
const APP_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-cache',
  'content-security-policy': IDE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const APP_HEADERS = { ...PAGE_HEADERS, 'content-security-policy': APP_CSP };

/** /app, /app/ and every path under it: the app's routes. */
export const APP_PATH = /^\/app(?:\/.*)?$/;

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>GraphiQL is not built</title>
<style>body { font: 16px system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; color: #1d2330; } code { background: #eef0f4; padding: 2px 5px; border-radius: 4px; }</style>
</head>
<body>
<h1>GraphiQL is not built</h1>
<p>The GraphQL IDE is bundled from <code>web/</code> into <code>dist/web/</code>, which is missing.
Run <code>npm run build:web</code> (or restart with <code>npm start</code>, which builds it), then reload this page.</p>
<p>The API itself works: POST GraphQL requests to <code>/graphql</code>.</p>
</body>
</html>
`;

const APP_NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>The wallet app is not built</title>
<style>body { font: 16px system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; color: #1d2330; } code { background: #eef0f4; padding: 2px 5px; border-radius: 4px; }</style>
</head>
<body>
<h1>The wallet app is not built</h1>
<p>The app is bundled from <code>web/</code> into <code>dist/web/</code>, which is missing.
Run <code>npm run build:web</code> (or restart with <code>npm start</code>, which builds it), then reload this page.</p>
</body>
</html>
`;

/**
 * Whether a GET is a browser opening the URL (wants the IDE) rather than a GraphQL client: it
 * names text/html and ranks it above the JSON types (or as high, listed first), as Apollo
 * Server's own landing page rule does. Accepting anything (star/star) asks for JSON.
 */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  let html = { q: 0, at: Number.POSITIVE_INFINITY };
  let json = { q: 0, at: Number.POSITIVE_INFINITY };
  accept.split(',').forEach((range, at) => {
    const [type, ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!(q >= 0 && q <= 1)) return;
    if (type === 'text/html' && q > html.q) html = { q, at };
    else if (JSON_TYPES.has(type!) && q > json.q) json = { q, at };
  });
  return html.q > 0 && (html.q > json.q || (html.q === json.q && html.at < json.at));
}

export function createWebAssets(dir: string = WEB_DIR) {
  return {
    /** The IDE page, or a page saying how to build it. */
    async serveIde(res: ServerResponse): Promise<void> {
      let html: Buffer;
      try {
        html = await readFile(path.join(dir, 'graphiql.html'));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        res.writeHead(503, { ...PAGE_HEADERS, 'cache-control': 'no-store' });
        res.end(NOT_BUILT_PAGE);
        return;
      }
      res.writeHead(200, { ...PAGE_HEADERS, 'content-length': html.length });
      res.end(html);
    },

    /** The wallet app's page (the same for every path under /app), or a page saying how to build it. */
    async serveApp(res: ServerResponse, head: boolean): Promise<void> {
      let html: Buffer;
      try {
        html = await readFile(path.join(dir, 'app.html'));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        // Its own inline style, so this page alone gets a CSP that allows one.
        res.writeHead(503, { ...PAGE_HEADERS, 'cache-control': 'no-store' });
        res.end(head ? undefined : APP_NOT_BUILT_PAGE);
        return;
      }
      res.writeHead(200, { ...APP_HEADERS, 'content-length': html.length });
      res.end(head ? undefined : html);
    },

    /** A file of dist/web/assets/ (the name is checked by WEB_ASSET_PATH: no path separators). False when there is none. */
    async serveAsset(res: ServerResponse, name: string, head: boolean): Promise<boolean> {
      let body: Buffer;
      try {
        body = await readFile(path.join(dir, 'assets', name));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'EISDIR') return false;
        throw err;
      }
      res.writeHead(200, {
        'content-type': CONTENT_TYPES[path.extname(name).toLowerCase()] ?? 'application/octet-stream',
        'content-length': body.length,
        'cache-control': HASHED.test(name) ? 'public, max-age=31536000, immutable' : 'no-cache',
        'x-content-type-options': 'nosniff',
      });
      res.end(head ? undefined : body);
      return true;
    },
  };
}
