// pgbench: the same-machine reference. TPC-B-like pgbench on a scratch database of the same
// PostgreSQL, measured in the same benchmark run: a transfer figure means little alone on a
// shared 2-core machine, but its ratio to what PostgreSQL itself does here, measured minutes
// apart, carries over between days and machines.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import pg from 'pg';
import { cpuBetween, cpuSnapshot } from '../cpuUsage.js';
import { combineRuns, emptyErrors, type PhaseResult } from '../figures.js';
import type { RunFigures } from '../protocol.js';
import { checkPostgres } from '../target.js';
import type { Scenario } from './types.js';

const run = promisify(execFile);

/** pgbench on PATH, or the newest one installed with PostgreSQL under /usr/lib/postgresql. */
export function findPgbench(): string | null {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(`${dir}/pgbench`)) return `${dir}/pgbench`;
  }
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) if (existsSync(`${root}/${v}/bin/pgbench`)) return `${root}/${v}/bin/pgbench`;
  return null;
}

/** Figures from pgbench's summary. */
export function parsePgbenchOutput(text: string): { tps: number; latencyMs: number; failed: number; transactions: number } {
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(text) ?? /tps = ([\d.]+)/.exec(text);
  if (!tps) throw new Error(`could not find "tps = …" in pgbench's output:\n${text.slice(-1000)}`);
  return {
    tps: Number(tps[1]),
    latencyMs: Number(/latency average = ([\d.]+) ms/.exec(text)?.[1] ?? Number.NaN),
    failed: Number(/number of failed transactions: (\d+)/.exec(text)?.[1] ?? 0),
    transactions: Number(/number of transactions actually processed: (\d+)/.exec(text)?.[1] ?? 0),
  };
}

async function withAdmin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

interface PgbenchPlan {
  binary: string;
}

export const pgbench: Scenario<PgbenchPlan | null> = {
  name: 'pgbench',
  summary: `PostgreSQL's own TPC-B-like benchmark on the same machine: the reference for every transfer figure`,
  auditLedger: false,
  needsServer: false,
  async prepare() {
    const binary = findPgbench();
    if (!binary)
      throw new Error(
        'pgbench not found on PATH or under /usr/lib/postgresql/*/bin: install the PostgreSQL client tools (e.g. apt-get install postgresql-client).',
      );
    return { binary };
  },
  async measure(ctx, plan) {
    const { settings, progress } = ctx;
    // On the embedded database too, pgbench measures the machine on PostgreSQL when there is one.
    await checkPostgres(settings.postgresUrl, 'pgbench needs a PostgreSQL server to measure the machine; start one');
    const name = `wallet_bench_pgbench_${Date.now().toString(36)}`;
    const url = new URL(settings.postgresUrl);
    url.pathname = `/${name}`;
    await withAdmin(settings.postgresUrl, (c) => c.query(`CREATE DATABASE ${name}`));
    try {
      progress.say(`  initialising pgbench -i -s ${settings.pgbenchScale} in ${name}…`);
      await run(plan!.binary, ['-i', '-q', '-s', String(settings.pgbenchScale), url.toString()], { maxBuffer: 16 * 1024 * 1024 });
      const runs: RunFigures[] = [];
      const args = [
        '-c',
        String(settings.pgbenchClients),
        '-j',
        String(settings.pgbenchThreads),
        '-T',
        String(settings.pgbenchDurationS),
        '-b',
        'tpcb-like',
      ];
      for (let i = 1; i <= settings.runs; i++) {
        progress.status(`pgbench ${args.join(' ')} run ${i}/${settings.runs}…`);
        const before = cpuSnapshot(undefined, { servers: true });
        const { stdout } = await run(plan!.binary, [...args, url.toString()], { maxBuffer: 16 * 1024 * 1024 });
        const after = cpuSnapshot(undefined, { servers: true });
        const figures = parsePgbenchOutput(stdout);
        const errors = emptyErrors();
        if (figures.failed) errors.graphql.FAILED_TRANSACTIONS = figures.failed;
        runs.push({
          throughput: figures.tps,
          sent: figures.transactions,
          completed: figures.transactions,
          ok: figures.transactions - figures.failed,
          durationS: settings.pgbenchDurationS,
          // pgbench reports the mean only (percentiles would need per-transaction logging).
          latencyMs: {
            count: figures.transactions,
            min: Number.NaN,
            mean: figures.latencyMs,
            p50: Number.NaN,
            p95: Number.NaN,
            p99: Number.NaN,
            max: Number.NaN,
          },
          errors,
          cpu: (({ machineBusyPercent, databaseMicrosPerOp }) => ({ machineBusyPercent, databaseMicrosPerOp }))(
            cpuBetween(before, after, figures.transactions),
          ),
        });
        progress.say(
          `  pgbench run ${i}/${settings.runs}: ${figures.tps.toFixed(0)} TPS, latency average ${figures.latencyMs.toFixed(2)} ms`,
        );
      }
      const phase: PhaseResult = {
        workload: 'tpcb-like',
        kind: 'reference',
        mode: 'reference',
        label: `-c ${settings.pgbenchClients} -j ${settings.pgbenchThreads} -s ${settings.pgbenchScale}`,
        settings: {
          scale: settings.pgbenchScale,
          clients: settings.pgbenchClients,
          threads: settings.pgbenchThreads,
          durationS: settings.pgbenchDurationS,
        },
        runs,
        median: combineRuns(runs),
        note: "throughput is TPS; latency is pgbench's average only",
      };
      return [phase];
    } finally {
      await withAdmin(settings.postgresUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    }
  },
};
