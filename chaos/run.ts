// `npm run chaos`: the fault suite. Starts its own PostgreSQL cluster, Redis and a TCP proxy on
// their own ports, the server as a child process behind the proxy, a bank workload and live
// subscribers; then a baseline and one phase per fault: workload, fault, quiet period, pause
// (in-flight retries settle), subscribers catch up, checks. Prints a table, writes
// chaos/results/<timestamp>.json, removes everything it started (also on Ctrl-C or failure) and
// exits 1 naming each failed check. See docs/reliability.md.
import { chmodSync, copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeGit } from '../bench/machine.js';
import { createProgress } from '../bench/progress.js';
import { sleep } from './api.js';
import { parseOptions, UsageError, USAGE, type ChaosSettings } from './options.js';
import { fund, signInAdmin, signUpPeople } from './people.js';
import { tail } from './postgres.js';
import { ReadinessProbe } from './readiness.js';
import { runPhase, type PhaseContext } from './phase.js';
import { formatTable, writeResult, type PhaseSummary } from './report.js';
import { ADMIN } from './server.js';
import { startServices } from './services.js';
import { startSubscribers, type Subscriber } from './subscribers.js';
import { startTicker } from './ticker.js';
import { Workload } from './workload.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const resultsDir = path.join(repoRoot, 'chaos', 'results');
const progress = createProgress();
/** The server's log file, printed if the suite itself fails. */
let serverLog: string | undefined;
const say = (text: string) => progress.say(text);

class Interrupted extends Error {
  override message = 'interrupted';
}

/** Things to stop at the end, on failure and on Ctrl-C, newest first. */
const cleanups: (() => unknown)[] = [];
let cleaning: Promise<void> | undefined;
function cleanUpAll(): Promise<void> {
  cleaning ??= (async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch {
        // best effort: the next one still runs
      }
    }
    cleanups.length = 0;
  })();
  return cleaning;
}

// `on`, not `once`: the same Ctrl-C may arrive more than once (npm and tsx relay it), and with no
// listener left tsx would end the process in the middle of the clean-up.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (cleaning !== undefined) return;
    say(`\n${signal}: stopping the server, Redis, the proxy and PostgreSQL…`);
    void cleanUpAll().then(() => process.exit(130));
  });
}

async function main(): Promise<number> {
  let settings: ChaosSettings | null;
  try {
    settings = parseOptions(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  if (!settings) {
    console.log(USAGE);
    return 0;
  }
  const started = new Date();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wallet-chaos-'));
  chmodSync(dir, 0o755);
  const keepDir = settings.keep;
  cleanups.push(() => !keepDir && rmSync(dir, { recursive: true, force: true }));
  say(
    `▶ fault suite (${settings.form} form): ${settings.users} users, ${settings.clients} clients, ${settings.subscribers} subscribers; faults: ${settings.faults.join(', ')}`,
  );
  say(`  working folder ${dir}`);

  const { postgres, redis, proxy, server, env } = await startServices({
    settings,
    dir,
    repoRoot,
    say,
    onCleanup: (fn) => cleanups.push(fn),
    onServerLog: (file) => (serverLog = file),
  });
  const readiness = new ReadinessProbe(server.origin);
  readiness.start();
  cleanups.push(() => readiness.stop());

  // People, money and subscribers.
  const setupStarted = Date.now();
  const people = await signUpPeople(server.url, settings.users);
  const adminToken = await signInAdmin(server.url, ADMIN);
  const subscribers: Subscriber[] = startSubscribers(server.wsUrl, people.slice(0, settings.subscribers), 0);
  cleanups.push(() => Promise.all(subscribers.map((s) => s.stop())));
  for (let waited = 0; subscribers.some((s) => !s.connected) && waited < 15_000; waited += 50) await sleep(50);
  await fund(server.url, adminToken, people, settings.fundingCents);
  const fundedCents = BigInt(settings.fundingCents) * BigInt(people.length);
  say(
    `  ${people.length} users signed up and funded with ${(settings.fundingCents / 100).toFixed(2)} USD each; ${subscribers.filter((s) => s.connected).length}/${subscribers.length} subscribers connected (${((Date.now() - setupStarted) / 1000).toFixed(1)} s)`,
  );

  const workload = new Workload({
    url: server.url,
    people,
    clients: settings.clients,
    readShare: settings.readShare,
    maxTransferCents: settings.maxTransferCents,
    retryDeadlineMs: settings.retryDeadlineMs,
    requestTimeoutMs: settings.requestTimeoutMs,
  });
  workload.start();
  cleanups.push(() => workload.stop());
  const ticker = startTicker({ workload, subscribers, progress, tty: Boolean(process.stdout.isTTY) });
  cleanups.push(() => ticker.stop());

  const ctx: PhaseContext = {
    settings,
    postgres,
    redis,
    proxy,
    server,
    say,
    repoRoot,
    workload,
    subscribers,
    readiness,
    people,
    fundedCents,
    marks: new Map(),
    ticker,
  };
  const phases: PhaseSummary[] = [];
  for (const fault of ['baseline', ...settings.faults] as const) {
    if (cleaning !== undefined) throw new Interrupted();
    phases.push(await runPhase(ctx, fault));
  }

  ticker.stop();
  await workload.stop();
  await Promise.all(subscribers.map((s) => s.stop()));
  readiness.stop();
  await server.stop();

  const failed = phases.flatMap((p) => p.checks.filter((c) => !c.ok).map((c) => `${p.title}: ${c.name}`));
  say(`\n${formatTable(phases)}`);
  const git = describeGit(repoRoot);
  const file = writeResult(resultsDir, {
    suite: 'chaos',
    form: settings.form,
    startedAt: started.toISOString(),
    durationSeconds: Math.round((Date.now() - started.getTime()) / 1000),
    ok: failed.length === 0,
    failedChecks: failed,
    machine: { cores: os.cpus().length, node: process.version, postgres: postgres.version, redis: redis.version },
    git: { commit: git.commit, dirty: git.dirty },
    server: {
      command: server.command,
      settings: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, /SECRET|PASSWORD|VAULT_|JWT/.test(k) ? '***' : v])),
    },
    tokenRenewals: people.reduce((sum, p) => sum + p.renewals, 0),
    settings: (({ serverEnv: _e, keep: _k, ...rest }) => rest)(settings),
    phases,
  });
  say(`\nresults: ${path.relative(process.cwd(), file)} (${Math.round((Date.now() - started.getTime()) / 1000)} s in all)`);

  if (failed.length) {
    say(`\nserver log (last 40 lines):\n${server.tail(40)}`);
    const stamp = path.basename(file, '.json');
    for (const [name, from] of [
      ['server', server.logFile],
      ['postgres', postgres.logFile],
      ['redis', redis.logFile],
    ] as const) {
      if (existsSync(from)) copyFileSync(from, path.join(resultsDir, `${stamp}-${name}.log`));
    }
    say(`logs kept as chaos/results/${stamp}-{server,postgres,redis}.log`);
    say(`\nFAILED checks (${failed.length}):\n${failed.map((f) => `  ✗ ${f}`).join('\n')}`);
    return 1;
  }
  say('\nall checks passed');
  return 0;
}

let code = 1;
try {
  code = await main();
} catch (err) {
  // Interrupted: the signal's clean-up is running and exits when done.
  if (err instanceof Interrupted || cleaning !== undefined) await new Promise(() => {});
  console.error(`\nthe fault suite stopped: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  if (serverLog && existsSync(serverLog)) console.error(`\nserver log (last 40 lines):\n${tail(serverLog, 40)}`);
  code = 1;
} finally {
  await cleanUpAll();
}
process.exit(code);
