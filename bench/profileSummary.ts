// `npx tsx bench/profileSummary.ts <file.cpuprofile> [--top N]`: where a server's CPU went, from a
// V8 CPU profile (`npm run bench -- --profile` writes them to bench/results/profiles/): self time
// by package (our src/ by file) and by function, as shares of the busy (non-idle) time.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** What a frame belongs to: an npm package, a file of ours, Node itself, or V8's own work. */
export function categoryOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const src = url.indexOf('/src/');
  if (src >= 0) return url.slice(src + 1).replace(/^file:\/\//, '');
  return path.basename(url);
}

export function summarise(profile: Profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const categories = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  for (const [id, micros] of self) {
    const { callFrame } = byId.get(id)!;
    if (callFrame.functionName === '(idle)') continue;
    busy += micros;
    const category = categoryOf(callFrame.url, callFrame.functionName);
    categories.set(category, (categories.get(category) ?? 0) + micros);
    const fn = `${callFrame.functionName || '(anonymous)'} ${category}${callFrame.url ? `:${callFrame.lineNumber + 1}` : ''}`;
    functions.set(fn, (functions.get(fn) ?? 0) + micros);
  }
  const ranked = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([name, micros]) => ({ name, share: micros / busy }));
  return { busyMs: busy / 1000, categories: ranked(categories), functions: ranked(functions) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({ options: { top: { type: 'string', default: '25' } }, allowPositionals: true });
  if (!positionals[0]) {
    console.error('usage: npx tsx bench/profileSummary.ts <file.cpuprofile> [--top N]');
    process.exit(64);
  }
  const top = Number(values.top);
  const summary = summarise(JSON.parse(readFileSync(positionals[0], 'utf8')) as Profile);
  const pct = (share: number) => `${(100 * share).toFixed(1).padStart(5)} %`;
  console.log(`busy ${summary.busyMs.toFixed(0)} ms of CPU\n\nby package or file (self time):`);
  for (const c of summary.categories.slice(0, top)) console.log(`  ${pct(c.share)}  ${c.name}`);
  console.log('\nby function (self time):');
  for (const f of summary.functions.slice(0, top)) console.log(`  ${pct(f.share)}  ${f.name}`);
}
