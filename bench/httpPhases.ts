// The measurement plan every HTTP workload follows, so all HTTP figures mean the same thing:
// a warm-up (discarded), then N saturation runs (closed loop, C in flight), then N runs at each
// fixed offered load (open loop at a fraction of the median saturation throughput).
import { combineRuns, errorTotal, type PhaseResult } from './figures.js';
import type { HttpRunCommand, ProbeResult, RunFigures } from './protocol.js';
import type { HttpScenario, HttpWorkload, MeasureContext } from './scenarios/types.js';

const MAX_REQUESTS_PER_RUN = 5_000_000;

function describeRun(r: RunFigures): string {
  const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '–');
  return `${Math.round(r.throughput).toLocaleString('en-US')}/s  p50 ${ms(r.latencyMs.p50)} ms  p99 ${ms(r.latencyMs.p99)} ms  errors ${errorTotal(r.errors)}`;
}

/** What is wrong with a probe's answer, or null: errors, userErrors, then the scenario's own check. */
function probeProblem<P>(scenario: HttpScenario<P>, workload: HttpWorkload<P>, probe: ProbeResult): string | null {
  const body = probe.body as { data?: Record<string, unknown>; errors?: { message?: string }[] } | string;
  if (typeof body === 'string') return `HTTP ${probe.status}, body not JSON: ${body.slice(0, 200)}`;
  if (body.errors?.length) return `HTTP ${probe.status}, GraphQL errors: ${JSON.stringify(body.errors).slice(0, 300)}`;
  if (probe.status !== 200 || !body.data) return `HTTP ${probe.status} without data`;
  for (const value of Object.values(body.data)) {
    const userErrors = (value as { userErrors?: unknown[] } | null)?.userErrors;
    if (userErrors?.length) return `userErrors: ${JSON.stringify(userErrors)}`;
  }
  return scenario.check(workload, body.data);
}

export async function measureHttpWorkloads<P>(
  ctx: MeasureContext,
  httpScenario: HttpScenario<P>,
  workloads: HttpWorkload<P>[],
): Promise<PhaseResult[]> {
  const { settings, server, progress, load } = ctx;
  const scenario = httpScenario.name;
  if (!server || !load) throw new Error(`${scenario} needs a server`);
  const phases: PhaseResult[] = [];
  const durationMs = settings.durationS * 1000;
  const base = (pacing: HttpRunCommand['pacing'], workload: HttpWorkload<P>): HttpRunCommand => ({
    type: 'http',
    origin: server.origin,
    scenario,
    workload: { name: workload.name, params: workload.params },
    connections: settings.concurrency,
    pacing,
    drainMs: 15_000,
    progress: true,
  });

  for (const workload of workloads) {
    // A benchmark of a request that fails, or answers something else, measures nothing.
    const probed = await load.run<ProbeResult>({
      type: 'probe',
      origin: server.origin,
      scenario,
      workload: { name: workload.name, params: workload.params },
    });
    const problem = probeProblem(httpScenario, workload, probed);
    if (problem) throw new Error(`${workload.name}: the first request was not answered as expected, so nothing was measured: ${problem}`);
    progress.say(`  ${workload.name}: answer checked; warming up ${settings.warmupS} s`);
    await ctx.measureRun(
      base(
        { mode: 'closed', concurrency: settings.concurrency, durationMs: settings.warmupS * 1000, maxRequests: MAX_REQUESTS_PER_RUN },
        workload,
      ),
      `${workload.name} warm-up`,
    );

    const saturation: RunFigures[] = [];
    for (let i = 1; i <= settings.runs; i++) {
      const label = `${workload.name} saturation c=${settings.concurrency} run ${i}/${settings.runs}`;
      const run = await ctx.measureRun(
        base({ mode: 'closed', concurrency: settings.concurrency, durationMs, maxRequests: MAX_REQUESTS_PER_RUN }, workload),
        label,
      );
      progress.say(`  ${label}: ${describeRun(run)}`);
      saturation.push(run);
    }
    const satMedian = combineRuns(saturation);
    phases.push({
      workload: workload.name,
      kind: workload.kind,
      mode: 'saturation',
      label: `c=${settings.concurrency}`,
      settings: { concurrency: settings.concurrency, connections: settings.concurrency, durationS: settings.durationS },
      runs: saturation,
      median: satMedian,
    });

    for (const fraction of settings.loadFractions) {
      const rate = Math.floor(satMedian.throughput * fraction);
      const pct = Math.round(fraction * 100);
      if (rate < 1) {
        ctx.notes.push(`${workload.name}: no fixed-load run at ${pct}% (saturation throughput was ${satMedian.throughput.toFixed(1)}/s)`);
        continue;
      }
      const runs: RunFigures[] = [];
      for (let i = 1; i <= settings.runs; i++) {
        const label = `${workload.name} fixed ${pct}% = ${rate.toLocaleString('en-US')}/s run ${i}/${settings.runs}`;
        const run = await ctx.measureRun(
          base({ mode: 'open', rate, durationMs, maxRequests: MAX_REQUESTS_PER_RUN, maxBacklog: settings.concurrency * 50 }, workload),
          label,
        );
        progress.say(`  ${label}: ${describeRun(run)}`);
        runs.push(run);
      }
      phases.push({
        workload: workload.name,
        kind: workload.kind,
        mode: 'fixed',
        label: `${pct}% = ${rate.toLocaleString('en-US')}/s`,
        settings: { rate, fractionOfSaturation: fraction, connections: settings.concurrency, durationS: settings.durationS },
        runs,
        median: combineRuns(runs),
      });
    }
  }
  return phases;
}
