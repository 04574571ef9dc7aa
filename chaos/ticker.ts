// The live line while the suite runs: phase, transfers and reads answered per second, failures
// per second by code, subscribers connected, transfers in flight (first attempt or retrying).
// Rewritten in place on a terminal (bench/progress.ts); in a log, a line every 5 s and every
// second in which something failed.
import type { Progress } from '../bench/progress.js';
import { countBy, formatCounts } from './checks.js';
import type { Subscriber } from './subscribers.js';
import type { Workload } from './workload.js';

export interface Ticker {
  phase(name: string): void;
  stop(): void;
}

export function startTicker(options: { workload: Workload; subscribers: Subscriber[]; progress: Progress; tty: boolean }): Ticker {
  const { workload, subscribers, progress, tty } = options;
  let phase = 'setup';
  let phaseStarted = Date.now();
  let seen = workload.attempts.length;
  let ticks = 0;
  const timer = setInterval(() => {
    ticks += 1;
    const fresh = workload.attempts.slice(seen);
    seen = workload.attempts.length;
    const transfers = fresh.filter((a) => a.op === 'transfer' && a.ok).length;
    const reads = fresh.filter((a) => a.op === 'read' && a.ok).length;
    const failures = fresh.filter((a) => !a.ok);
    const connected = subscribers.filter((s) => s.connected).length;
    const text =
      `[${phase} ${Math.round((Date.now() - phaseStarted) / 1000)} s] ${transfers} transfers/s, ${reads} reads/s` +
      `, failures/s: ${failures.length ? formatCounts(countBy(failures.map((a) => a.code ?? '?'))) : '0'}` +
      `; subscribers ${connected}/${subscribers.length}; transfers in flight ${workload.inFlight}`;
    if (tty) progress.status(text);
    else if (failures.length || ticks % 5 === 0) progress.say(`  ${text}`);
  }, 1000);
  timer.unref();
  return {
    phase(name) {
      phase = name;
      phaseStarted = Date.now();
    },
    stop: () => clearInterval(timer),
  };
}
