// statement: the deep-history wallet's statement (1,000,000 lines by default, --history) downloaded
// as CSV and as PDF from a fresh server, through the link Statement.downloadUrl gives, read to the
// last byte by a client that keeps up. Reports the time, the lines per second, the size, the
// server's CPU per line and its resident memory (RSS, sampled every 50 ms from /proc) before and at
// its peak during the download: streamed from a keyset cursor over the ledger, memory should not
// grow with the lines. The server runs without the AML monitor (serverEnv, below).
import { readFileSync } from 'node:fs';
import { cpuBetween, cpuSnapshot } from '../cpuUsage.js';
import { emptyErrors, combineRuns, type PhaseResult } from '../figures.js';
import { globalId } from '../graphql.js';
import type { RunFigures } from '../protocol.js';
import { prepareDeepWallet } from './deepHistory.js';
import type { MeasureContext, Scenario } from './types.js';

interface StatementPlan {
  token: string;
  walletId: string;
  lines: number;
}

const FORMATS = ['CSV', 'PDF'] as const;

const DOWNLOAD_URL = `query BenchStatementLink($walletId: ID!, $period: StatementPeriodInput!, $format: StatementFormat!) {
  statement(walletId: $walletId, period: $period) { statement { lineCount downloadUrl(format: $format) { url } } userErrors { message } }
}`;

/** Resident memory of a process in bytes (VmRSS), or undefined when it cannot be read. */
function residentBytes(pid: number): number | undefined {
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;

async function measureStatement(ctx: MeasureContext, plan: StatementPlan): Promise<PhaseResult[]> {
  const { server, progress } = ctx;
  if (!server) throw new Error('statement needs a server');
  const phases: PhaseResult[] = [];
  for (const format of FORMATS) {
    // The history was written today (or yesterday, near midnight): a two-day range covers it.
    const period = { from: day(new Date(Date.now() - 86_400_000)), to: day(new Date()), timeZone: 'UTC' };
    const linkRes = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${plan.token}` },
      body: JSON.stringify({ query: DOWNLOAD_URL, variables: { walletId: plan.walletId, period, format } }),
    });
    const link = (await linkRes.json()) as {
      data?: { statement: { statement: { lineCount: number; downloadUrl: { url: string } } | null; userErrors: { message: string }[] } };
      errors?: unknown[];
    };
    const statement = link.data?.statement.statement;
    if (!statement) throw new Error(`no statement link: ${JSON.stringify(link.errors ?? link.data?.statement.userErrors)}`);
    if (statement.lineCount !== plan.lines) throw new Error(`the statement has ${statement.lineCount} lines, ${plan.lines} expected`);

    const rssBefore = residentBytes(server.pid) ?? 0;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, residentBytes(server.pid) ?? 0);
    }, 50);
    const before = cpuSnapshot(server.pid);
    const started = performance.now();
    let firstByteMs = 0;
    let bytes = 0;
    try {
      const res = await fetch(statement.downloadUrl.url);
      if (res.status !== 200 || !res.body) throw new Error(`download answered ${res.status}`);
      let lastSaid = 0;
      for await (const chunk of res.body) {
        if (bytes === 0) firstByteMs = performance.now() - started;
        bytes += (chunk as Uint8Array).byteLength;
        if (performance.now() - lastSaid > 1000) {
          lastSaid = performance.now();
          progress.status(
            `  statement ${format}: ${mb(bytes)} MB in ${((lastSaid - started) / 1000).toFixed(0)} s, server RSS ${mb(residentBytes(server.pid) ?? 0)} MB`,
          );
        }
      }
    } finally {
      clearInterval(sampler);
    }
    const seconds = (performance.now() - started) / 1000;
    rssPeak = Math.max(rssPeak, residentBytes(server.pid) ?? 0);
    const cpu = cpuBetween(before, cpuSnapshot(server.pid), plan.lines);
    const run: RunFigures = {
      throughput: plan.lines / seconds,
      sent: 1,
      completed: 1,
      ok: 1,
      durationS: seconds,
      latencyMs: {
        count: 1,
        min: seconds * 1000,
        mean: seconds * 1000,
        p50: seconds * 1000,
        p95: seconds * 1000,
        p99: seconds * 1000,
        max: seconds * 1000,
      },
      errors: emptyErrors(),
      cpu,
      figures: { seconds, bytes, firstByteMs, rssBeforeMB: mb(rssBefore), rssPeakMB: mb(rssPeak), rssGrowthMB: mb(rssPeak - rssBefore) },
    };
    const line = `${format}: ${plan.lines.toLocaleString('en-US')} lines in ${seconds.toFixed(1)} s (${Math.round(plan.lines / seconds).toLocaleString('en-US')} lines/s, first byte ${Math.round(firstByteMs)} ms), ${mb(bytes)} MB; server RSS ${mb(rssBefore)} MB before, peak ${mb(rssPeak)} MB (+${mb(rssPeak - rssBefore)} MB)`;
    progress.say(`  statement ${line}`);
    ctx.notes.push(line);
    phases.push({
      workload: `statement ${format}`,
      kind: 'read',
      mode: 'reference',
      label: `1 download, lines/s`,
      settings: { lines: plan.lines, format },
      runs: [run],
      median: combineRuns([run]),
    });
  }
  return phases;
}

export const statement: Scenario<StatementPlan> = {
  name: 'statement',
  summary: "the deep-history wallet's statement downloaded as CSV and PDF: time, and the server's memory while it streams",
  auditLedger: true,
  needsServer: true,
  // The AML monitor scans the last hours' activity every minute, which here is the million
  // transfers the setup just posted: its memory and CPU are its own, not the statement's.
  serverEnv: { AML_SCHEDULE: 'off' },
  async prepare(ctx) {
    const { owner, token } = await prepareDeepWallet(ctx);
    return { token, walletId: globalId('Wallet', owner.walletId), lines: ctx.settings.historyEntries };
  },
  measure: (ctx, plan) => measureStatement(ctx, plan),
};
