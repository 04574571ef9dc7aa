// `npm run build:web`: bundles the browser pages in web/ (web/vite.config.ts) into dist/web/,
// which the server serves (src/server/webAssets.ts). Nobody has to remember it:
//
//   npm run build:web                 always builds
//   tsx scripts/buildWeb.ts --if-changed
//                                     builds only when web/'s inputs changed since the last build
//                                     (run by `npm run build`, so by `npm start`, and by `npm test`)
//
// The inputs are every file under web/ (but node_modules/ and dist/), package-lock.json (the
// versions of Vite, React and GraphiQL) and this script; their hash is written to
// dist/web/.inputs-hash after a build, so a second run with nothing changed costs one hash.
// The build goes to a temporary folder that replaces dist/web/ whole, so a running server never
// serves a page whose assets are half written.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_FIRST_LOAD_BUDGET, kib, measureFirstLoad } from './webBudget.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WEB_DIR = path.join(ROOT, 'web');
export const WEB_OUT_DIR = path.join(ROOT, 'dist', 'web');
const HASH_FILE = '.inputs-hash';
/** Pages every build must produce (the server answers with them). */
const PAGES = ['graphiql.html', 'app.html'];

function inputFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...inputFiles(full));
    else if (entry.isFile()) files.push(full);
  }
  return files;
}

/** The hash of everything a build of web/ depends on. */
export function webInputsHash(): string {
  const hash = createHash('sha256');
  const files = [...inputFiles(WEB_DIR), path.join(ROOT, 'package-lock.json'), fileURLToPath(import.meta.url)];
  for (const file of files.map((f) => path.relative(ROOT, f)).sort()) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(path.join(ROOT, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** 'missing' (never built), 'stale' (web/ changed since) or 'fresh'. */
export function webBuildState(): 'missing' | 'stale' | 'fresh' {
  if (!PAGES.every((page) => existsSync(path.join(WEB_OUT_DIR, page)))) return 'missing';
  const built = existsSync(path.join(WEB_OUT_DIR, HASH_FILE)) ? readFileSync(path.join(WEB_OUT_DIR, HASH_FILE), 'utf8').trim() : '';
  return built === webInputsHash() ? 'fresh' : 'stale';
}

export async function buildWeb(): Promise<void> {
  const inputsHash = webInputsHash();
  const temporary = `${WEB_OUT_DIR}.${process.pid}.tmp`;
  const previous = `${WEB_OUT_DIR}.${process.pid}.old.tmp`;
  const { build } = await import('vite');
  try {
    await build({
      configFile: path.join(WEB_DIR, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: temporary, emptyOutDir: true },
    });
    for (const page of PAGES) {
      if (!existsSync(path.join(temporary, page))) throw new Error(`The web build wrote no ${page}: check web/vite.config.ts's inputs.`);
    }
    writeFileSync(path.join(temporary, HASH_FILE), `${inputsHash}\n`);
    if (existsSync(WEB_OUT_DIR)) renameSync(WEB_OUT_DIR, previous);
    renameSync(temporary, WEB_OUT_DIR);
  } finally {
    rmSync(temporary, { recursive: true, force: true });
    rmSync(previous, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = performance.now();
  const relative = path.relative(process.cwd(), WEB_OUT_DIR);
  if (process.argv.includes('--if-changed') && webBuildState() === 'fresh') {
    console.log(`web: ${relative}/ is up to date with web/`);
  } else {
    await buildWeb();
    console.log(`built web/ into ${relative}/ in ${Math.round(performance.now() - started)} ms`);
    const firstLoad = measureFirstLoad(WEB_OUT_DIR).gzipBytes;
    const over = firstLoad > APP_FIRST_LOAD_BUDGET;
    (over ? console.warn : console.log)(
      `web app first load: ${kib(firstLoad)} gzipped (budget ${kib(APP_FIRST_LOAD_BUDGET)}${over ? ', OVER: see docs/performance.md' : ''})`,
    );
  }
}
