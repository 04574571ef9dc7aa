// The browser side of the project, bundled by Vite into dist/web/ (`npm run build:web`, run by
// `npm start` and `npm test` when web/ changed: scripts/buildWeb.ts). One HTML entry per page:
//
//   graphiql.html  the GraphQL IDE, served at GET /graphql to browsers in development
//   app.html       the wallet app, served at /app and every path under it (docs/web.md)
//
// Every page's scripts, styles, fonts and workers land in dist/web/assets/ with a content hash
// in their names, served by the server at /web/assets/ (src/server/webAssets.ts) and cached for
// good; nothing is fetched from a CDN.
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const WEB_ROOT = import.meta.dirname;

export default defineConfig({
  root: WEB_ROOT,
  // The URL prefix the server serves dist/web/ under (WEB_ASSETS_PREFIX in src/server/webAssets.ts).
  base: '/web/',
  plugins: [react()],
  // Nothing to copy as is: every file a page uses is imported, so it gets a hashed name.
  publicDir: false,
  build: {
    outDir: path.join(WEB_ROOT, '../dist/web'),
    emptyOutDir: true,
    assetsDir: 'assets',
    // GraphiQL's editor (Monaco) is a few MB and is only ever loaded by developers on their own machine.
    chunkSizeWarningLimit: 6000,
    reportCompressedSize: false,
    rolldownOptions: {
      input: { graphiql: path.join(WEB_ROOT, 'graphiql.html'), app: path.join(WEB_ROOT, 'app.html') },
      // GraphiQL's modules start with React Compiler's "use no memo", which only a compiler reads.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  // Monaco's editor, JSON and GraphQL workers as ES modules (the page's CSP allows workers from 'self' only).
  worker: { format: 'es' },
});
