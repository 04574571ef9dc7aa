// The figures a scenario produces, and how several runs of one phase become the figure that is
// reported: the median of each measure across runs, while counts of things that went wrong
// (errors, lost events) are added up, so one bad run can never hide behind two good ones.
import type { CpuFigures, ErrorCounts, RunFigures } from './protocol.js';
import { median, medianSummary, type LatencySummary } from './stats.js';

/** What a phase measures, which decides how the report shows it. */
export type PhaseKind = 'transfer' | 'read' | 'event' | 'connect' | 'reference';

export interface MedianFigures {
  throughput: number;
  latencyMs: LatencySummary;
  /** Added up over the runs. */
  errors: ErrorCounts;
  cpu: CpuFigures;
  /** Added up over the runs. */
  counts: Record<string, number>;
  /** Median over the runs. */
  figures: Record<string, number>;
}

export interface PhaseResult {
  workload: string;
  kind: PhaseKind;
  mode: 'saturation' | 'fixed' | 'connect' | 'reference';
  /** How the load was offered, e.g. "c=64" or "80% = 1,234/s". */
  label: string;
  settings: Record<string, unknown>;
  runs: RunFigures[];
  median: MedianFigures;
  note?: string;
}

export interface AuditFigures {
  ok: boolean;
  problems: string[];
  counts: { wallets: number; transactions: number; entries: number };
  seconds: number;
}

export interface ScenarioResult {
  scenario: string;
  summary: string;
  startedAt: string;
  seconds: number;
  setupSeconds: number;
  phases: PhaseResult[];
  /** Set for scenarios that moved money. */
  audit?: AuditFigures;
  notes: string[];
  /** Why the scenario failed or was skipped, if it did not complete. */
  error?: string;
  skipped?: boolean;
  profiles?: string[];
}

export function emptyErrors(): ErrorCounts {
  return { graphql: {}, user: {}, http: {}, transport: {}, dropped: 0, timedOut: 0 };
}

export function addCount(map: Record<string, number>, key: string, n = 1): void {
  map[key] = (map[key] ?? 0) + n;
}

export function errorTotal(e: ErrorCounts): number {
  const sum = (m: Record<string, number>) => Object.values(m).reduce((a, b) => a + b, 0);
  return sum(e.graphql) + sum(e.user) + sum(e.http) + sum(e.transport) + e.dropped + e.timedOut;
}

function sumErrors(list: ErrorCounts[]): ErrorCounts {
  const total = emptyErrors();
  for (const e of list) {
    for (const kind of ['graphql', 'user', 'http', 'transport'] as const) {
      for (const [code, n] of Object.entries(e[kind])) addCount(total[kind], code, n);
    }
    total.dropped += e.dropped;
    total.timedOut += e.timedOut;
  }
  return total;
}

function medianOfKeys<T extends object>(list: T[]): Record<string, number> {
  const keys = new Set(list.flatMap((o) => Object.keys(o)));
  return Object.fromEntries([...keys].map((k) => [k, median(list.map((o) => (o as Record<string, number>)[k] ?? Number.NaN))]));
}

export function combineRuns(runs: RunFigures[]): MedianFigures {
  const counts: Record<string, number> = {};
  for (const r of runs) for (const [k, v] of Object.entries(r.counts ?? {})) addCount(counts, k, v);
  return {
    throughput: median(runs.map((r) => r.throughput)),
    latencyMs: medianSummary(runs.map((r) => r.latencyMs)),
    errors: sumErrors(runs.map((r) => r.errors)),
    cpu: medianOfKeys(runs.map((r) => r.cpu)),
    counts,
    figures: medianOfKeys(runs.map((r) => r.figures ?? {})),
  };
}
