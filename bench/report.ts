// The benchmark's output: one table for people at the end of a run, and one JSON file per
// scenario (bench/results/<date>-<scenario>.json) with every run's figures, the medians, the
// machine, the commit and the settings, for comparing runs later.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { errorTotal, type PhaseResult, type ScenarioResult } from './figures.js';
import type { GitInfo, MachineInfo } from './machine.js';
import type { BenchSettings } from './options.js';
import type { ErrorCounts } from './protocol.js';
import { safeUrl } from './target.js';

export interface RunContext {
  machine: MachineInfo;
  git: GitInfo;
  settings: BenchSettings;
  database: 'postgres' | 'embedded';
  /** The cores PostgreSQL and Redis, and the server and load, were pinned to (--layout split); null when shared. */
  cores: { database: string | null; app: string | null };
  serverSettings?: Record<string, string>;
}

/** Median pgbench TPS of this run, if it was measured. */
export function pgbenchReference(results: ScenarioResult[]): number | null {
  const phase = results.find((r) => r.scenario === 'pgbench' && !r.error)?.phases[0];
  return phase && Number.isFinite(phase.median.throughput) && phase.median.throughput > 0 ? phase.median.throughput : null;
}

const fmtRate = (v: number) => (Number.isFinite(v) ? (v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1)) : '–');
const fmtMs = (v: number) => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)) : '–');

function describeErrors(e: ErrorCounts, counts: Record<string, number>): string {
  const sum = (m: Record<string, number>) => Object.values(m).reduce((a, b) => a + b, 0);
  const parts: string[] = [];
  const add = (label: string, n: number) => n > 0 && parts.push(`${label} ${n.toLocaleString('en-US')}`);
  add('gql', sum(e.graphql));
  add('user', sum(e.user));
  add('http', sum(e.http));
  add('net', sum(e.transport));
  add('dropped', e.dropped);
  add('timeout', e.timedOut);
  if (counts.lostEvents !== undefined) parts.push(`lost ${counts.lostEvents}`);
  add('dup', counts.duplicateEvents ?? 0);
  add('unexpected', counts.unexpectedEvents ?? 0);
  add('sub-err', counts.subscriptionErrors ?? 0);
  return parts.length ? parts.join(' ') : '0';
}

function modeLabel(p: PhaseResult): string {
  switch (p.mode) {
    case 'saturation':
      return `saturation ${p.label}`;
    case 'fixed':
      return `fixed ${p.label}`;
    case 'connect':
      return `connect ${p.label}`;
    case 'reference':
      return `reference ${p.label}`;
  }
}

function cpuLabel(p: PhaseResult): string {
  const c = p.median.cpu;
  const known = (n: number | undefined): n is number => n !== undefined && Number.isFinite(n);
  const db = known(c.databaseMicrosPerOp) ? `db ${Math.round(c.databaseMicrosPerOp)}µs ` : '';
  const box = known(c.machineBusyPercent) ? `box ${Math.round(c.machineBusyPercent)}%` : '';
  if (!known(c.serverPercent)) return `${db}${box}`.trim() || '–';
  const perOp = known(c.serverMicrosPerOp) ? ` ${Math.round(c.serverMicrosPerOp)}µs/op` : '';
  return `${Math.round(c.serverPercent)}%${perOp} ${db}${box}`;
}

/** The table printed at the end of a run. */
export function formatTable(results: ScenarioResult[]): string {
  const reference = pgbenchReference(results);
  const header = ['scenario', 'workload', 'mode', 'ops/s', '× pgbench', 'p50 ms', 'p95 ms', 'p99 ms', 'errors', 'server cpu', 'ledger'];
  const rows: string[][] = [];
  for (const r of results) {
    const ledger = r.audit ? (r.audit.ok ? 'OK' : `FAILED (${r.audit.problems.length})`) : '–';
    if (r.error || !r.phases.length) {
      rows.push([
        r.scenario,
        r.skipped ? 'skipped' : 'FAILED',
        (r.error ?? 'no figures').split('\n')[0]!.slice(0, 70),
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        ledger,
      ]);
      if (!r.phases.length) continue;
    }
    r.phases.forEach((p, i) => {
      const m = p.median;
      const ratio = p.kind === 'reference' ? '1.00' : p.kind === 'transfer' && reference ? (m.throughput / reference).toFixed(2) : '–';
      const latency =
        p.kind === 'reference'
          ? ['–', '–', `avg ${fmtMs(m.latencyMs.mean)}`]
          : [fmtMs(m.latencyMs.p50), fmtMs(m.latencyMs.p95), fmtMs(m.latencyMs.p99)];
      rows.push([
        i === 0 && !r.error ? r.scenario : '',
        p.workload,
        modeLabel(p),
        fmtRate(m.throughput),
        ratio,
        ...latency,
        describeErrors(m.errors, m.counts),
        cpuLabel(p),
        i === 0 ? ledger : '',
      ]);
    });
  }
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const numeric = new Set([3, 4, 5, 6, 7]);
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (numeric.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  const out = [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)];
  const notes = results.flatMap((r) => r.notes.map((n) => `  ${r.scenario}: ${n}`));
  const ref = reference
    ? `× pgbench: throughput divided by pgbench's ${Math.round(reference).toLocaleString('en-US')} TPS measured in this run.`
    : '× pgbench: – (pgbench was not measured in this run; add --scenario pgbench).';
  return [
    ...out,
    '',
    "Figures are medians of each phase's runs; errors are totals over the runs (gql: GraphQL errors, user: userErrors, net: socket errors).",
    ref,
    "Fixed loads: open loop, latency counted from each request's scheduled send time. server cpu: % of one core and µs of server CPU per op; db: µs of PostgreSQL CPU per op (every postgres process on the machine); box: whole machine busy.",
    ...(notes.length ? ['', 'Notes:', ...notes] : []),
  ].join('\n');
}

/** bench/results/<YYYY-MM-DD>-<scenario>[-embedded][-quick].json */
export function resultFileName(scenario: string, settings: BenchSettings, date = new Date()): string {
  const day = date.toISOString().slice(0, 10);
  return `${day}-${scenario}${settings.embedded ? '-embedded' : ''}${settings.layout === 'split' ? '-split' : ''}${settings.quick ? '-quick' : ''}.json`;
}

export function writeResult(dir: string, result: ScenarioResult, ctx: RunContext, all: ScenarioResult[]): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, resultFileName(result.scenario, ctx.settings));
  const reference = pgbenchReference(all);
  const settings = { ...ctx.settings, postgresUrl: safeUrl(ctx.settings.postgresUrl), redisUrl: safeUrl(ctx.settings.redisUrl) };
  const body = {
    scenario: result.scenario,
    summary: result.summary,
    startedAt: result.startedAt,
    seconds: result.seconds,
    setupSeconds: result.setupSeconds,
    database: ctx.database,
    cores: ctx.cores,
    machine: ctx.machine,
    git: ctx.git,
    settings,
    server: ctx.serverSettings ?? null,
    reference: { pgbenchTps: reference, note: 'median pgbench TPS of the same benchmark run (null if not measured)' },
    phases: result.phases.map((p) => ({
      ...p,
      ratioToPgbench: reference && (p.kind === 'transfer' || p.kind === 'reference') ? p.median.throughput / reference : null,
      errorTotal: errorTotal(p.median.errors),
    })),
    audit: result.audit ?? null,
    notes: result.notes,
    error: result.error ?? null,
    skipped: result.skipped ?? false,
    profiles: result.profiles ?? [],
  };
  // NaN (a percentile of nothing) is written as null.
  writeFileSync(file, `${JSON.stringify(body, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);
  return file;
}
