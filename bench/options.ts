// `npm run bench -- <flags>`: the command line, turned into one settings object that every
// part of the benchmark reads and that is written into each result file, so a figure can
// always be traced back to exactly how it was measured.
import type { Layout } from './layout.js';
import { parseArgs } from 'node:util';

export const SCENARIO_NAMES = [
  'pgbench',
  'p2p-uniform',
  'hot-wallet-in',
  'hot-wallet-out',
  'reads',
  'deep-history',
  'statement',
  'subscriptions',
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export interface BenchSettings {
  scenarios: ScenarioName[];
  /** Embedded PGlite + in-memory pub/sub instead of PostgreSQL + Redis. */
  embedded: boolean;
  quick: boolean;
  profile: boolean;
  /** shared: every program on every core; split: PostgreSQL and Redis on half the cores, the rest on the other half (layout.ts). */
  layout: Layout;
  /** Seconds per measured run. */
  durationS: number;
  runs: number;
  warmupS: number;
  /** Closed-loop concurrency (and keep-alive connections) for saturation runs. */
  concurrency: number;
  /** Fixed offered loads, as fractions of the measured saturation throughput. */
  loadFractions: number[];
  /** Funded users (each with a session and a USD wallet) shared by the scenarios. */
  wallets: number;
  /** Ledger entries of the deep-history wallet. */
  historyEntries: number;
  subscribers: number;
  subscribersPerWallet: number;
  /** Transfers per second sent to subscribed wallets. */
  subscriptionRate: number;
  pgbenchDurationS: number;
  pgbenchScale: number;
  pgbenchClients: number;
  pgbenchThreads: number;
  /** PostgreSQL server to create the bench database on (an admin connection). */
  postgresUrl: string;
  redisUrl: string;
  /** Extra server settings, KEY=VALUE (override the benchmark's defaults). */
  serverEnv: Record<string, string>;
  /** p2p-uniform with each hot-path feature switched off in turn (bench/costTable.ts), instead of the scenarios. */
  costTable: boolean;
}

export const USAGE = `npm run bench -- [flags]

  --scenario <name>      ${SCENARIO_NAMES.join(', ')} (repeatable or comma list; default all)
  --embedded             run on the embedded database (PGlite, in-memory pub/sub) instead of PostgreSQL + Redis
  --quick                smoke run: 500 wallets, 2 s runs, 1 run, 10,000 history entries, 500 subscribers, pgbench -T 5
  --duration <s>         seconds per measured run (default 10)
  --runs <n>             runs per figure; figures are the median of runs (default 3)
  --warmup <s>           warm-up before each workload's measured runs (default 2)
  --concurrency <n>      closed-loop concurrency and keep-alive connections (default 64)
  --loads <list>         fixed offered loads as % of saturation (default 50,80)
  --wallets <n>          funded users/wallets (default 10000)
  --history <n>          entries of the deep-history wallet (default 1000000)
  --subscribers <n>      WebSocket subscribers (default 10000)
  --subscribers-per-wallet <n>   (default 1)
  --subscription-rate <n>        transfers/s sent to subscribed wallets (default 250)
  --pgbench-duration <s> pgbench -T (default 30)
  --server-env KEY=VALUE extra server setting, e.g. DB_POOL_SIZE=20 (repeatable)
  --profile              start the server with --cpu-prof; profiles go to bench/results/profiles/
  --layout <shared|split>  shared (default): every program on every core; split: PostgreSQL and Redis
                         pinned to half the cores, the server, load and pgbench to the other half (taskset)
  --cost-table           what each hot-path feature costs a transfer: pgbench, then p2p-uniform at saturation
                         with everything on and with each feature off in turn, --runs rounds (PostgreSQL only)
  --help

PostgreSQL and Redis are taken from DATABASE_URL and REDIS_URL when set, else
postgresql://postgres@127.0.0.1:5432/postgres and redis://127.0.0.1:6379.`;

export class UsageError extends Error {
  override name = 'UsageError';
}

export function positiveNumber(name: string, text: string | undefined, fallback: number, { integer = true } = {}): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new UsageError(`--${name} must be a positive ${integer ? 'whole ' : ''}number, got "${text}"`);
  }
  return value;
}

/** Parses the flags; returns null when --help was asked for. Throws UsageError on a bad flag. */
export function parseOptions(argv: string[], env: Record<string, string | undefined> = process.env): BenchSettings | null {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        scenario: { type: 'string', multiple: true },
        embedded: { type: 'boolean', default: false },
        quick: { type: 'boolean', default: false },
        profile: { type: 'boolean', default: false },
        layout: { type: 'string', default: 'shared' },
        duration: { type: 'string' },
        runs: { type: 'string' },
        warmup: { type: 'string' },
        concurrency: { type: 'string' },
        loads: { type: 'string' },
        wallets: { type: 'string' },
        history: { type: 'string' },
        subscribers: { type: 'string' },
        'subscribers-per-wallet': { type: 'string' },
        'subscription-rate': { type: 'string' },
        'pgbench-duration': { type: 'string' },
        'server-env': { type: 'string', multiple: true },
        'cost-table': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n\n${USAGE}`);
  }
  if (values.help) return null;

  const requested = (values.scenario ?? [])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of requested) {
    if (!(SCENARIO_NAMES as readonly string[]).includes(name)) {
      throw new UsageError(`Unknown scenario "${name}". Choose from: ${SCENARIO_NAMES.join(', ')}`);
    }
  }
  const costTable = values['cost-table'];
  if (costTable && (requested.length || values.embedded))
    throw new UsageError('--cost-table measures pgbench and p2p-uniform on PostgreSQL: leave out --scenario and --embedded');
  // Always in the canonical order: pgbench first, so every later figure has its reference.
  const scenarios: ScenarioName[] = costTable
    ? ['pgbench', 'p2p-uniform']
    : requested.length
      ? SCENARIO_NAMES.filter((n) => requested.includes(n))
      : [...SCENARIO_NAMES];

  const quick = values.quick;
  const loads = (values.loads ?? '50,80').split(',').map((s) => {
    const pct = Number(s.trim());
    if (!Number.isFinite(pct) || pct <= 0 || pct > 150)
      throw new UsageError(`--loads takes percentages of saturation like 50,80; got "${s}"`);
    return pct / 100;
  });

  const serverEnv = parseServerEnv(values['server-env']);
  if (values.layout !== 'shared' && values.layout !== 'split') throw new UsageError(`--layout is shared or split, got "${values.layout}"`);

  const subscribersPerWallet = positiveNumber('subscribers-per-wallet', values['subscribers-per-wallet'], 1);
  return {
    scenarios,
    embedded: values.embedded,
    quick,
    profile: values.profile,
    layout: values.layout,
    durationS: positiveNumber('duration', values.duration, quick ? 2 : 10, { integer: false }),
    runs: positiveNumber('runs', values.runs, quick ? 1 : 3),
    warmupS: positiveNumber('warmup', values.warmup, quick ? 1 : 2, { integer: false }),
    concurrency: positiveNumber('concurrency', values.concurrency, 64),
    loadFractions: loads,
    wallets: Math.max(2, positiveNumber('wallets', values.wallets, quick ? 500 : 10_000)),
    historyEntries: Math.max(100, positiveNumber('history', values.history, quick ? 10_000 : 1_000_000)),
    subscribers: positiveNumber('subscribers', values.subscribers, quick ? 500 : 10_000),
    subscribersPerWallet,
    subscriptionRate: positiveNumber('subscription-rate', values['subscription-rate'], quick ? 100 : 250, { integer: false }),
    pgbenchDurationS: positiveNumber('pgbench-duration', values['pgbench-duration'], quick ? 5 : 30),
    pgbenchScale: 10,
    pgbenchClients: 16,
    pgbenchThreads: 2,
    postgresUrl: env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres',
    redisUrl: env.REDIS_URL || 'redis://127.0.0.1:6379',
    serverEnv,
    costTable,
  };
}

/** `--server-env KEY=VALUE` flags (repeatable) as settings. */
export function parseServerEnv(pairs: string[] | undefined): Record<string, string> {
  const serverEnv: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(pair);
    if (!m) throw new UsageError(`--server-env takes KEY=VALUE, got "${pair}"`);
    serverEnv[m[1]!] = m[2]!;
  }
  return serverEnv;
}
