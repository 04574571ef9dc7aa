// One phase of the suite: the workload runs, the fault is injected (none in the baseline), the
// workload keeps running for a quiet period, then pauses until every transfer being retried has
// its answer; the subscribers get (bounded) time to catch up and the outbox to empty; then every
// check runs and the phase is summarised.
import { sleep } from './api.js';
import { ledgerAudit, ledgerChecks, settled, type Check, type SubscriberMark } from './checks.js';
import { FAULTS, type FaultContext } from './faults.js';
import type { FaultName } from './options.js';
import type { Person } from './people.js';
import type { ReadinessProbe } from './readiness.js';
import { summarizePhase, type PhaseSummary, type PhaseTimes } from './report.js';
import type { Subscriber } from './subscribers.js';
import type { Ticker } from './ticker.js';
import type { Workload } from './workload.js';

export interface PhaseContext extends FaultContext {
  repoRoot: string;
  workload: Workload;
  subscribers: Subscriber[];
  readiness: ReadinessProbe;
  people: Person[];
  /** What the admin credited in all (cents). */
  fundedCents: bigint;
  /** Where each subscriber was checked up to (carried from phase to phase). */
  marks: Map<Subscriber, SubscriberMark>;
  ticker: Ticker;
}

export async function runPhase(ctx: PhaseContext, fault: FaultName | 'baseline'): Promise<PhaseSummary> {
  const { settings, server, workload, say } = ctx;
  const title = fault === 'baseline' ? 'baseline' : FAULTS[fault].title;
  say(`\n▶ ${title}${fault === 'baseline' ? ': the workload with nothing injected' : ''}`);
  ctx.ticker.phase(title);
  if (!server.running()) {
    say('  the server is not running (it exited on its own): starting it again');
    await server.start().catch((err) => say(`  it did not start: ${(err as Error).message}`));
  }

  const times: PhaseTimes = { startedAt: Date.now(), injectedAt: null, liftedAt: null, quietEndedAt: 0, endedAt: 0 };
  const harness: Check[] = [];
  let injected = 'nothing';
  workload.resume();
  await sleep(settings.warmMs);
  if (fault !== 'baseline') {
    try {
      const run = await FAULTS[fault].inject(ctx);
      Object.assign(times, { injectedAt: run.injectedAt, liftedAt: run.liftedAt });
      injected = run.injected;
    } catch (err) {
      harness.push({ name: 'fault injected and lifted', ok: false, detail: (err as Error).message.split('\n')[0]! });
      say(`  the fault could not be injected or lifted: ${(err as Error).message}`);
    }
  }
  await sleep(settings.quietMs);
  times.quietEndedAt = Date.now();
  ctx.ticker.phase(`${title}: settling`);
  await workload.pause();
  times.endedAt = Date.now();

  // Subscribers catch up and the outbox empties (bounded); the checks say what did not.
  const settleStarted = Date.now();
  let state = { done: false, behind: 0, outbox: 0 };
  while (Date.now() - settleStarted < settings.settleTimeoutMs) {
    state = await settled(ctx.postgres, ctx.subscribers).catch(() => ({ done: false, behind: -1, outbox: -1 }));
    if (state.done) break;
    await sleep(250);
  }
  say(
    state.done
      ? `  settled in ${((Date.now() - settleStarted) / 1000).toFixed(1)} s (subscribers caught up, outbox empty); checking…`
      : `  not settled after ${settings.settleTimeoutMs / 1000} s (${state.behind} subscriber(s) behind, ${state.outbox} event(s) in the outbox); checking…`,
  );

  let checks: Check[];
  try {
    checks = await ledgerChecks({
      postgres: ctx.postgres,
      url: server.url,
      people: ctx.people,
      fundedCents: ctx.fundedCents,
      outcomes: workload.outcomes,
      subscribers: ctx.subscribers,
      marks: ctx.marks,
    });
  } catch (err) {
    checks = [{ name: 'checks ran', ok: false, detail: (err as Error).message }];
  }
  checks.push(await ledgerAudit(ctx.repoRoot, ctx.postgres.url));

  const summary = summarizePhase({
    fault,
    title,
    injected,
    times,
    attempts: workload.attempts,
    outcomes: workload.outcomes,
    subscribers: ctx.subscribers,
    readiness: ctx.readiness,
    settings,
    unexpectedExits: server.unexpectedExits,
    stateChecks: [...harness, ...checks],
  });
  for (const c of summary.checks) say(`  ${c.ok ? '✓' : '✗'} ${c.name}: ${c.detail}`);
  return summary;
}
