// What each phase (the baseline, then one per fault) amounted to, from the workload's own
// records: requests answered and failed by code, how long the API was degraded (first failed
// request to the first success after the last failure), how long it took to recover after the
// fault was lifted; the checks that use those records; the table printed at the end; and the
// JSON written to chaos/results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { countBy, formatCounts, type Check } from './checks.js';
import type { ChaosSettings, FaultName } from './options.js';
import type { ReadinessProbe } from './readiness.js';
import type { Subscriber } from './subscribers.js';
import type { Attempt, TransferOutcome } from './workload.js';

export interface PhaseTimes {
  /** The workload resumed. */
  startedAt: number;
  injectedAt: number | null;
  liftedAt: number | null;
  /** The quiet period ended (the workload was asked to pause). */
  quietEndedAt: number;
  /** The workload was paused and idle (its retries settled). */
  endedAt: number;
}

export interface PhaseSummary {
  fault: FaultName | 'baseline';
  title: string;
  injected: string;
  /** Fault injected → dependency back, seconds. */
  faultSeconds: number | null;
  /** First failed request → first success after the last failure, seconds (0: nothing failed; null: never recovered). */
  degradedSeconds: number | null;
  /** Fault lifted → first success after the last failure, seconds. */
  recoverySeconds: number | null;
  transfers: {
    started: number;
    acked: number;
    refused: number;
    unresolved: number;
    attempts: number;
    failedAttempts: number;
    /** Acknowledged per second over the phase, and over its last 5 s (after recovery). */
    perSecond: number;
    perSecondAtEnd: number;
  };
  reads: { ok: number; failed: number };
  /** Failed requests (transfers' attempts and reads) by what the client saw. */
  failuresByCode: Record<string, number>;
  /** /readyz answers during the phase, by status (0: no answer within 3 s), and the bodies seen while not plain "ready". */
  readyz: { byStatus: Record<string, number>; bodies: string[] };
  subscribers: { events: number; incidents: Record<string, number> };
  checks: Check[];
  ok: boolean;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'UND_ERR_CLOSED', 'ETIMEDOUT']);

/** Is this failure what the expected behaviour allows: a clear, retriable answer? */
function clearAndRetriable(a: Attempt, fault: FaultName | 'baseline'): boolean {
  const code = a.code ?? '';
  if (code === 'IDEMPOTENCY_IN_PROGRESS') return true;
  if (code.includes('SERVICE_UNAVAILABLE')) return Boolean(a.retryHint);
  if (code.startsWith('HTTP 503')) return true;
  // A killed process answers nothing: connections refused or reset until it is back.
  if (fault === 'server-kill') return NETWORK_CODES.has(code);
  return false;
}

const round1 = (ms: number) => Math.round(ms / 100) / 10;

export function summarizePhase(input: {
  fault: FaultName | 'baseline';
  title: string;
  injected: string;
  times: PhaseTimes;
  attempts: Attempt[];
  outcomes: TransferOutcome[];
  subscribers: Subscriber[];
  readiness: ReadinessProbe;
  settings: ChaosSettings;
  unexpectedExits: { at: number; code: number | null; signal: string | null }[];
  /** The checks on the ledger, subscribers, audit (and the harness's own trouble), appended. */
  stateChecks: Check[];
}): PhaseSummary {
  const { times, fault, settings } = input;
  const inPhase = (at: number) => at >= times.startedAt && at <= times.endedAt;
  const attempts = input.attempts.filter((a) => inPhase(a.at));
  const failures = attempts.filter((a) => !a.ok);
  const outcomes = input.outcomes.filter((o) => o.startedAt >= times.startedAt && o.startedAt <= times.endedAt);

  // Degraded: first failure → first success after the last failure.
  let degradedMs: number | null = 0;
  let recoveryMs: number | null = 0;
  if (failures.length) {
    const first = Math.min(...failures.map((a) => a.at));
    const last = Math.max(...failures.map((a) => a.at));
    const recovered = attempts.filter((a) => a.ok && a.at > last).reduce((m, a) => Math.min(m, a.at), Infinity);
    degradedMs = Number.isFinite(recovered) ? recovered - first : null;
    recoveryMs = Number.isFinite(recovered) ? Math.max(0, recovered - (times.liftedAt ?? first)) : null;
  }

  const transfers = attempts.filter((a) => a.op === 'transfer');
  const reads = attempts.filter((a) => a.op === 'read');
  const seconds = Math.max(1, (times.endedAt - times.startedAt) / 1000);
  const probes = input.readiness.between(times.startedAt, times.endedAt);
  const incidents = input.subscribers.flatMap((s) => s.incidents.filter((i) => inPhase(i.at)));
  const events = input.subscribers.reduce((sum, s) => sum + s.events.filter((e) => inPhase(e.at)).length, 0);

  const checks: Check[] = [];
  const add = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });

  const internal = failures.filter((a) => /INTERNAL|^HTTP 500/.test(a.code ?? ''));
  const internalSubs = incidents.filter((i) => i.what.includes('INTERNAL'));
  add(
    'no INTERNAL answers',
    internal.length + internalSubs.length === 0,
    internal.length + internalSubs.length === 0
      ? 'none over HTTP or WebSocket'
      : `${internal.length} HTTP answer(s) (${formatCounts(countBy(internal.map((a) => `${a.op} ${a.code}`)))})${internalSubs.length ? `, ${internalSubs.length} subscription error(s)` : ''}`,
  );
  const hung = failures.filter((a) => a.code === 'TIMEOUT');
  add(
    'no hung request',
    hung.length === 0,
    hung.length
      ? `${hung.length} request(s) unanswered after ${settings.requestTimeoutMs / 1000} s`
      : `every request answered within ${settings.requestTimeoutMs / 1000} s`,
  );
  const unclear = failures.filter((a) => !clearAndRetriable(a, fault));
  add(
    fault === 'baseline' ? 'no failures without a fault' : 'failures were clear and retriable',
    unclear.length === 0,
    unclear.length
      ? `${unclear.length} failure(s) that are not 503 / SERVICE_UNAVAILABLE with retryAfterSeconds${fault === 'server-kill' ? ' / a refused or reset connection' : ''}: ${formatCounts(countBy(unclear.map((a) => `${a.code}${a.code?.includes('SERVICE_UNAVAILABLE') && !a.retryHint ? ' (no retry hint)' : ''}`)))}`
      : failures.length
        ? `all ${failures.length} failure(s) were ${formatCounts(countBy(failures.map((a) => a.code ?? '?')))}`
        : 'no failed request',
  );
  if (fault !== 'baseline') {
    add(
      `API recovered within ${settings.recoveryLimitMs / 1000} s`,
      recoveryMs !== null && recoveryMs <= settings.recoveryLimitMs,
      recoveryMs === null
        ? 'requests were still failing when the phase ended'
        : `first success after the last failure ${round1(recoveryMs)} s after the fault was lifted`,
    );
  }
  if (fault === 'redis' && times.injectedAt && times.liftedAt) {
    const during = attempts.filter((a) => !a.ok && a.at >= times.injectedAt! && a.at <= times.liftedAt! + 2_000);
    add(
      'served while Redis was down',
      during.length === 0,
      during.length
        ? `${during.length} failed request(s) while Redis was down or reconnecting: ${formatCounts(countBy(during.map((a) => a.code ?? '?')))}`
        : 'no request failed while Redis was down',
    );
    const down = input.readiness.between(times.injectedAt, times.liftedAt);
    const not200 = down.filter((p) => p.status !== 200);
    const degraded = down.some((p) => /degraded|unreachable|down/i.test(p.body));
    add(
      '/readyz 200 while Redis was down (reporting it degraded)',
      down.length > 0 && not200.length === 0 && degraded,
      `${down.length} probe(s): ${formatCounts(countBy(down.map((p) => String(p.status))))}; ${degraded ? 'Redis reported degraded' : 'Redis not reported degraded'}${not200[0] ? `; e.g. ${not200[0].status} ${not200[0].body}` : ''}`,
    );
  }
  const exits = input.unexpectedExits.filter((e) => inPhase(e.at));
  add(
    'server did not exit on its own',
    exits.length === 0,
    exits.length ? exits.map((e) => `exit code ${e.code} signal ${e.signal}`).join('; ') : 'no unexpected exit',
  );
  checks.push(...input.stateChecks);

  const bodies = [
    ...new Set(probes.filter((p) => p.status !== 200 || !/^\{"status":"ready"/.test(p.body)).map((p) => `${p.status} ${p.body}`)),
  ].slice(0, 4);
  return {
    fault,
    title: input.title,
    injected: input.injected,
    faultSeconds: times.injectedAt && times.liftedAt ? round1(times.liftedAt - times.injectedAt) : null,
    degradedSeconds: degradedMs === null ? null : round1(degradedMs),
    recoverySeconds: recoveryMs === null ? null : round1(recoveryMs),
    transfers: {
      started: outcomes.length,
      acked: outcomes.filter((o) => o.status === 'acked').length,
      refused: outcomes.filter((o) => o.status === 'refused').length,
      unresolved: outcomes.filter((o) => o.status === 'unresolved').length,
      attempts: transfers.length,
      failedAttempts: transfers.filter((a) => !a.ok).length,
      perSecond: Math.round((outcomes.filter((o) => o.status === 'acked').length / seconds) * 10) / 10,
      perSecondAtEnd:
        Math.round(
          (transfers.filter((a) => a.ok && !a.code && a.at > times.quietEndedAt - 5_000 && a.at <= times.quietEndedAt).length / 5) * 10,
        ) / 10,
    },
    reads: { ok: reads.filter((a) => a.ok).length, failed: reads.filter((a) => !a.ok).length },
    failuresByCode: countBy(failures.map((a) => a.code ?? '?')),
    readyz: { byStatus: countBy(probes.map((p) => String(p.status))), bodies },
    subscribers: { events, incidents: countBy(incidents.map((i) => i.what)) },
    checks,
    ok: checks.every((c) => c.ok),
  };
}

const pad = (s: string, w: number) => (s.length >= w ? s : s + ' '.repeat(w - s.length));
const sec = (v: number | null) => (v === null ? 'never' : `${v.toFixed(1)} s`);

/** The table printed at the end: one row per phase, then what was injected and every failed check. */
export function formatTable(phases: PhaseSummary[]): string {
  const header = [
    'fault',
    'for',
    'degraded',
    'recovery',
    'transfers/s (end)',
    'transfers ok/failed',
    'reads ok/failed',
    'failed requests by code',
    'checks',
  ];
  const rows = phases.map((p) => [
    p.title,
    p.faultSeconds === null ? '–' : `${p.faultSeconds.toFixed(1)} s`,
    sec(p.degradedSeconds),
    p.fault === 'baseline' ? '–' : sec(p.recoverySeconds),
    `${Math.round(p.transfers.perSecond)} (${Math.round(p.transfers.perSecondAtEnd)})`,
    `${p.transfers.acked + p.transfers.refused}/${p.transfers.failedAttempts}`,
    `${p.reads.ok}/${p.reads.failed}`,
    formatCounts(p.failuresByCode).slice(0, 70),
    p.ok ? `all ${p.checks.length} passed` : `${p.checks.filter((c) => !c.ok).length} of ${p.checks.length} FAILED`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i]!)).join('  ');
  const out = [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line), ''];
  for (const p of phases) {
    out.push(`${p.title}: ${p.injected}`);
    for (const c of p.checks.filter((c) => !c.ok)) out.push(`  ✗ ${c.name}: ${c.detail}`);
  }
  return out.join('\n');
}

export interface ResultFile {
  suite: 'chaos';
  form: ChaosSettings['form'];
  startedAt: string;
  durationSeconds: number;
  ok: boolean;
  failedChecks: string[];
  machine: { cores: number; node: string; postgres: string; redis: string };
  git: { commit: string | null; dirty: boolean | null };
  server: { command: string; settings: Record<string, string> };
  /** Access tokens renewed by the workload and subscribers (refreshSession, or a new sign-in). */
  tokenRenewals: number;
  settings: Omit<ChaosSettings, 'serverEnv' | 'keep'>;
  phases: PhaseSummary[];
}

/** chaos/results/<timestamp>.json; returns its path. */
export function writeResult(dir: string, result: ResultFile): string {
  mkdirSync(dir, { recursive: true });
  const stamp = result.startedAt.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  const file = path.join(dir, `${stamp}${result.form === 'short' ? '-short' : ''}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}
