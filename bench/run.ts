// `npm run bench`: the benchmark suite's orchestration. Creates a fresh database (PostgreSQL +
// Redis, or embedded with --embedded), then for each scenario: prepares its data with SQL,
// starts a fresh server process and a separate load process, measures, stops both, audits the
// ledger; finally prints the table, writes bench/results/*.json and removes the database.
// See bench/README.md.
import { fileURLToPath } from 'node:url';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  COST_VARIANTS,
  costRows,
  formatCostTable,
  saturationRuns,
  SETTLE_SQL,
  switchVariant,
  type CostMeasurement,
  type CostVariant,
} from './costTable.js';
import { cpuBetween, cpuSnapshot } from './cpuUsage.js';
import type { ScenarioResult } from './figures.js';
import { applyLayout, type CoreLayout } from './layout.js';
import { startLoadProcess, type LoadProcess } from './loadProcess.js';
import { describeGit, describeMachine } from './machine.js';
import { parseOptions, UsageError, USAGE, type BenchSettings } from './options.js';
import { createProgress, type Progress } from './progress.js';
import type { RunFigures } from './protocol.js';
import { formatTable, pgbenchReference, resultFileName, writeResult, type RunContext } from './report.js';
import { scenarios } from './scenarios/index.js';
import type { MeasureContext, Scenario } from './scenarios/types.js';
import { Seeder } from './seed.js';
import { BENCH_JWT_SECRET, startServer, type BenchServer } from './server.js';
import { openTarget, TargetUnavailable, type BenchTarget } from './target.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const resultsDir = path.join(repoRoot, 'bench', 'results');
const profileDir = path.join(resultsDir, 'profiles');

/** Things to stop if the run is interrupted (Ctrl-C): children first, then the database. */
const cleanups = new Set<() => Promise<unknown>>();
/** Set on SIGINT/SIGTERM: nothing new is started once it is. */
let interruptedAt = 0;

class Interrupted extends Error {}
const checkInterrupted = () => {
  if (interruptedAt) throw new Interrupted('interrupted');
};
let cleaning: Promise<void> | undefined;
/** Runs every cleanup once, newest first, even when asked twice (a signal and the main flow). */
function cleanUpAll(): Promise<void> {
  cleaning ??= (async () => {
    for (const fn of [...cleanups].reverse()) await fn().catch(() => {});
    cleanups.clear();
  })();
  return cleaning;
}

const seconds = (since: number) => (Date.now() - since) / 1000;

async function runScenario(
  scenario: Scenario<unknown>,
  settings: BenchSettings,
  target: BenchTarget,
  seeder: Seeder,
  progress: Progress,
  onServer: (s: BenchServer) => void,
): Promise<ScenarioResult> {
  const started = Date.now();
  const notes: string[] = [];
  const result: ScenarioResult = {
    scenario: scenario.name,
    summary: scenario.summary,
    startedAt: new Date().toISOString(),
    seconds: 0,
    setupSeconds: 0,
    phases: [],
    notes,
  };
  progress.say(`\n▶ ${scenario.name}: ${scenario.summary}`);
  let server: BenchServer | undefined;
  let load: LoadProcess | undefined;
  try {
    const plan = await target.withSql((sql) => scenario.prepare({ settings, sql, seeder, progress, jwtSecret: BENCH_JWT_SECRET, notes }));
    result.setupSeconds = seconds(started);

    if (scenario.needsServer) {
      checkInterrupted();
      progress.say(`  starting the server (node --import tsx src/main.ts${settings.profile ? ' --cpu-prof' : ''})…`);
      server = await startServer({
        repoRoot,
        env: { ...target.serverEnv, ...scenario.serverEnv, ...settings.serverEnv },
        profileDir: settings.profile ? profileDir : undefined,
        onLine: (line) => progress.say(`  ${line}`),
      });
      onServer(server);
      cleanups.add(server.stop);
      checkInterrupted();
      load = await startLoadProcess(repoRoot);
      cleanups.add(load.stop);
    }

    const running = server;
    const loadProcess = load;
    // Every load command races the server's exit, so a crash ends the scenario at once.
    const guardedLoad: LoadProcess | undefined =
      loadProcess && running
        ? {
            ...loadProcess,
            run: <T>(...args: Parameters<LoadProcess['run']>) => Promise.race([loadProcess.run<T>(...args), running.crashed]),
          }
        : undefined;
    const ctx: MeasureContext = {
      settings,
      target,
      server: running,
      load: guardedLoad,
      progress,
      notes,
      async measureRun(command, label) {
        if (!guardedLoad || !running) throw new Error(`${scenario.name} has no server to measure`);
        const servers = target.kind === 'postgres';
        const before = cpuSnapshot(running.pid, { servers });
        const figures = await guardedLoad.run<RunFigures>(command, (p) =>
          progress.status(`${label}: ${p.elapsedS.toFixed(0)} s, ${p.ok.toLocaleString('en-US')} ok`),
        );
        const cpu = cpuBetween(before, cpuSnapshot(running.pid, { servers }), figures.ok);
        return { ...figures, cpu: { ...figures.cpu, ...cpu } };
      },
    };
    result.phases = await scenario.measure(ctx, plan);
  } catch (err) {
    if (err instanceof TargetUnavailable && scenario.name === 'pgbench' && settings.embedded) {
      result.skipped = true;
      result.error = `skipped: ${err.message}`;
      progress.say(`  ${result.error}`);
    } else {
      result.error = err instanceof Error ? err.message : String(err);
      progress.say(`  FAILED: ${result.error}`);
    }
  } finally {
    if (load) {
      await load.stop();
      cleanups.delete(load.stop);
    }
    if (server) {
      const stopped = await server.stop();
      cleanups.delete(server.stop);
      if (stopped.warnings > 0) notes.push(`the server logged ${stopped.warnings} warning/error line(s)`);
      if (stopped.profiles.length) {
        result.profiles = stopped.profiles.map((p) => path.relative(repoRoot, p));
        for (const p of result.profiles) progress.say(`  CPU profile written: ${p}`);
      } else if (settings.profile) {
        notes.push('no CPU profile was written (did the server exit gracefully?)');
      }
    }
  }

  if (scenario.auditLedger && !result.skipped && !interruptedAt) {
    progress.say('  auditing the ledger…');
    const auditStarted = Date.now();
    try {
      const report = await target.audit();
      result.audit = { ok: report.ok, problems: report.problems, counts: report.counts, seconds: seconds(auditStarted) };
      const { wallets, transactions, entries } = report.counts;
      progress.say(
        `  ledger audit ${report.ok ? 'OK' : 'FAILED'}: ${wallets.toLocaleString('en-US')} wallets, ${transactions.toLocaleString('en-US')} transactions, ${entries.toLocaleString('en-US')} entries (${result.audit.seconds.toFixed(1)} s)`,
      );
      for (const problem of report.problems) progress.say(`    PROBLEM ${problem}`);
    } catch (err) {
      result.audit = {
        ok: false,
        problems: [`the audit could not run: ${(err as Error).message}`],
        counts: { wallets: 0, transactions: 0, entries: 0 },
        seconds: seconds(auditStarted),
      };
      progress.say(`  ledger audit could not run: ${(err as Error).message}`);
    }
  }
  result.seconds = seconds(started);
  return result;
}

/**
 * --cost-table: pgbench, then --runs rounds of p2p-uniform at saturation: in each round, every
 * variant of bench/costTable.ts once, right after a run with everything on; prints the cost table
 * and writes it with every run's figures.
 */
async function costTable(settings: BenchSettings, target: BenchTarget, seeder: Seeder, progress: Progress, context: RunContext) {
  const reference = await runScenario(scenarios.pgbench, settings, target, seeder, progress, () => {});
  const once = { ...settings, runs: 1, loadFractions: [] };
  const [everything, ...variants] = COST_VARIANTS;
  const measured: CostMeasurement[] = variants.map((variant) => ({ variant, runs: [], baseline: [] }));
  const failures: string[] = [];
  /** One saturation run of p2p-uniform with `variant` switched off (its server setting and SQL). */
  async function measure(variant: CostVariant, label: string): Promise<RunFigures | undefined> {
    progress.say(`\n■ cost table, ${label}`);
    await target.withSql(async (sql) => {
      await switchVariant(sql, variant, 'off');
      for (const statement of SETTLE_SQL) await sql.query(statement);
    });
    try {
      const result = await runScenario(
        scenarios['p2p-uniform'],
        { ...once, serverEnv: { ...settings.serverEnv, ...variant.serverEnv } },
        target,
        seeder,
        progress,
        (s) => (context.serverSettings = s.settings),
      );
      if (result.error) failures.push(`${variant.feature}: ${result.error}`);
      if (result.audit && !result.audit.ok) failures.push(`${variant.feature}: ledger audit: ${result.audit.problems.join('; ')}`);
      return saturationRuns([result])[0];
    } finally {
      await target.withSql((sql) => switchVariant(sql, variant, 'on'));
    }
  }
  for (let round = 1; round <= settings.runs && !interruptedAt; round++) {
    for (const [i, m] of measured.entries()) {
      const at = `round ${round}/${settings.runs}, ${i + 1}/${measured.length}`;
      const base = await measure(everything!, `${at}: everything on, before ${m.variant.feature} off`);
      if (interruptedAt) break;
      const off = await measure(m.variant, `${at}: ${m.variant.feature} switched off`);
      if (base && off) {
        m.baseline.push(base);
        m.runs.push(off);
      }
      if (interruptedAt) break;
    }
  }
  const rows = costRows(everything!, measured);
  const pgbenchTps = pgbenchReference([reference]);
  const table = formatCostTable(rows, pgbenchTps);
  progress.say(`\n${table}`);
  for (const f of failures) progress.say(`FAILED ${f}`);
  const file = path.join(resultsDir, resultFileName('cost-table', settings));
  const { git, machine, cores } = context;
  const body = {
    startedAt: reference.startedAt,
    machine,
    git,
    cores,
    settings: { ...settings, postgresUrl: undefined, redisUrl: undefined },
  };
  const json = JSON.stringify(
    { ...body, pgbenchTps, rows, failures, markdown: table },
    (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v),
    2,
  );
  writeFileSync(file, `${json}\n`);
  progress.say(`figures in ${path.relative(repoRoot, file)}`);
  return failures.length || (reference.error && !reference.skipped) ? 1 : 0;
}

async function main(): Promise<number> {
  let settings: BenchSettings | null;
  try {
    settings = parseOptions(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(err.message);
      return 64;
    }
    throw err;
  }
  if (!settings) {
    console.log(USAGE);
    return 0;
  }
  const progress = createProgress();
  const began = Date.now();
  progress.say(
    `wallet benchmark: ${settings.scenarios.join(', ')} on ${settings.embedded ? 'the embedded database' : 'PostgreSQL + Redis'}` +
      `${settings.quick ? ' (quick)' : ''}; ${settings.runs} run(s) of ${settings.durationS} s per figure`,
  );

  let target: BenchTarget;
  try {
    target = await openTarget(settings);
  } catch (err) {
    if (err instanceof TargetUnavailable) {
      console.error(err.message);
      return 69; // EX_UNAVAILABLE
    }
    throw err;
  }
  cleanups.add(() => target.cleanup());
  progress.say(`target: ${target.description}`);
  let cores: CoreLayout;
  try {
    cores = applyLayout(settings.layout, settings.embedded);
  } catch (err) {
    await cleanUpAll();
    if (err instanceof UsageError) {
      console.error(err.message);
      return 64;
    }
    throw err;
  }
  cleanups.add(async () => cores.restore());
  if (cores.databaseCores)
    progress.say(`layout: PostgreSQL and Redis on cores ${cores.databaseCores}; server, load and pgbench on ${cores.appCores}`);

  let exitCode = 0;
  try {
    const machine = await describeMachine(target);
    const git = describeGit(repoRoot);
    progress.say(
      `machine: ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, load average ${machine.loadAverageAtStart.join(' ')}; ` +
        `commit ${git.commit?.slice(0, 10) ?? 'unknown'}${git.dirty ? ' (dirty)' : ''}`,
    );
    const context: RunContext = {
      machine,
      git,
      settings,
      database: target.kind,
      cores: { database: cores.databaseCores, app: cores.appCores },
    };
    const seeder = new Seeder(progress, settings.wallets);
    const results: ScenarioResult[] = [];
    if (settings.costTable) return await costTable(settings, target, seeder, progress, context);
    for (const name of settings.scenarios) {
      if (interruptedAt) break;
      const result = await runScenario(scenarios[name], settings, target, seeder, progress, (s) => (context.serverSettings = s.settings));
      results.push(result);
      if (interruptedAt) break; // an interrupted scenario's figures are not written
      const file = writeResult(resultsDir, result, context, results);
      progress.say(`  ${result.scenario} done in ${result.seconds.toFixed(0)} s; figures in ${path.relative(repoRoot, file)}`);
      if ((result.error && !result.skipped) || (result.audit && !result.audit.ok)) exitCode = 1;
    }
    progress.say(`\n${formatTable(results)}`);
    progress.say(`\nbenchmark finished in ${seconds(began).toFixed(0)} s${exitCode ? ' WITH FAILURES' : ''}`);
  } finally {
    progress.say(target.kind === 'postgres' ? 'dropping the benchmark database…' : 'removing the embedded data folder…');
    await cleanUpAll();
  }
  return exitCode;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    // npm and tsx pass a Ctrl-C on to this process as well: repeats within a few seconds are the
    // same interrupt. A later one means "now", database or not.
    if (interruptedAt) {
      if (Date.now() - interruptedAt > 5000) process.exit(130);
      return;
    }
    interruptedAt = Date.now();
    console.error(`\n${signal}: stopping the server and load, removing the benchmark database…`);
    setTimeout(() => process.exit(130), 90_000).unref();
    void cleanUpAll().finally(() => process.exit(130));
  });
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    void cleanUpAll().finally(() => process.exit(1));
  },
);
