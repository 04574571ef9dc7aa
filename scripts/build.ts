// `npm run build` (after `prisma generate`): bundles the server into dist/ with esbuild, so a
// production process starts with `node --enable-source-maps dist/main.js` and compiles nothing.
//
//   dist/main.js     the server (src/main.ts)
//   dist/migrate.js  `node dist/migrate.js`: apply pending migrations, as `npm run migrate` does
//   dist/web/        not from here: the browser pages, by scripts/buildWeb.ts (`npm run build` runs both)
//
// Our own code (src/, with the generated Prisma client and its `./x.ts` imports) is bundled into
// one ESM file per entry; every npm package stays external and is loaded from node_modules, so
// native and WASM packages (argon2, PGlite) work as they are. Source maps point stack traces at
// src/. Files that ship beside the code are found from src/projectRoot.ts, which is one folder
// below the project root both in src/ and in dist/.
//
// Files are written to a temporary name and renamed into place, so a process starting from dist/
// while another build runs never reads half a file; outputs of earlier builds that this one did
// not write are removed.
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT_DIR = path.join(ROOT, 'dist');

const ENTRIES = {
  main: 'src/main.ts',
  migrate: 'src/db/migrateCli.ts',
};

const started = performance.now();
const result = await build({
  absWorkingDir: ROOT,
  entryPoints: ENTRIES,
  outdir: OUT_DIR,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  // The maps only need to point at src/ lines; the sources themselves stay out (smaller, faster
  // to load with --enable-source-maps).
  sourcesContent: false,
  // Bundling renames clashing top-level names (two modules' `parse` become parse and parse2);
  // keepNames keeps `fn.name` and `constructor.name`, which logs show (pino's err.type).
  keepNames: true,
  write: false,
  metafile: true,
  logLevel: 'warning',
  banner: { js: '// Built by scripts/build.ts from src/; do not edit.' },
});
const compiledMs = performance.now() - started;

mkdirSync(OUT_DIR, { recursive: true });
const written = new Set<string>();
for (const file of result.outputFiles) {
  const temporary = `${file.path}.${process.pid}.tmp`;
  writeFileSync(temporary, file.contents);
  renameSync(temporary, file.path);
  written.add(path.basename(file.path));
}
for (const name of readdirSync(OUT_DIR)) {
  // Leftovers of earlier builds (entries since removed); another build's .tmp files are its own, and
  // dist/web/ is scripts/buildWeb.ts's.
  if (!written.has(name) && !name.endsWith('.tmp') && name !== 'web') rmSync(path.join(OUT_DIR, name), { recursive: true, force: true });
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} kB`;
for (const file of [...result.outputFiles].sort((a, b) => a.path.localeCompare(b.path))) {
  const meta = result.metafile.outputs[path.relative(ROOT, file.path)];
  const modules = meta ? Object.keys(meta.inputs).length : 0;
  console.log(
    `  ${path.relative(ROOT, file.path).padEnd(22)} ${kb(file.contents.length).padStart(8)}${modules ? `  (${modules} modules)` : ''}`,
  );
}
console.log(
  `built ${Object.keys(ENTRIES).length} entries into ${path.relative(process.cwd(), OUT_DIR) || '.'}/ in ${Math.round(performance.now() - started)} ms (esbuild ${Math.round(compiledMs)} ms)`,
);
