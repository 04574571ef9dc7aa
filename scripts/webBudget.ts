// The wallet app's first-load size: what a browser fetches before it can show the first screen
// (app.html's script, its modulepreloads and stylesheet; screens loaded later by React.lazy are
// not in it), gzipped as a server or CDN would send them. Budget and measured figure:
// docs/performance.md. Printed by the web build; test/api/webApp.test.ts fails when it is over.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/** Bytes, gzipped, the app's first load may weigh. */
export const APP_FIRST_LOAD_BUDGET = 150 * 1024;

export interface FirstLoad {
  files: { name: string; bytes: number; gzipBytes: number }[];
  gzipBytes: number;
}

/** Measures the first load of a page built into `dir` (dist/web). */
export function measureFirstLoad(dir: string, page = 'app.html'): FirstLoad {
  const html = readFileSync(path.join(dir, page), 'utf8');
  const names = [...html.matchAll(/(?:src|href)="\/web\/assets\/([^"]+)"/g)].map((m) => m[1]!);
  const files = names.map((name) => {
    const body = readFileSync(path.join(dir, 'assets', name));
    return { name, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length };
  });
  return { files, gzipBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0) };
}

export const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
