// `npm run chaos -- <flags>`: the command line, turned into one settings object that every part
// of the fault suite reads and that is written into the result file, so a result can always be
// traced back to how it was produced. Two forms: the default (longer, for people) and --short
// (for CI: fewer users, shorter phases, every fault).
import { parseArgs } from 'node:util';
import { parseServerEnv, positiveNumber, UsageError } from '../bench/options.js';

export { UsageError };

export const FAULT_NAMES = ['redis', 'postgres-restart', 'postgres-crash', 'server-kill', 'proxy'] as const;
export type FaultName = (typeof FAULT_NAMES)[number];

export interface ChaosSettings {
  form: 'short' | 'default';
  faults: FaultName[];
  /** Users signed up and funded through the API. */
  users: number;
  /** Concurrent workload clients (each sends one request at a time). */
  clients: number;
  /** Users whose wallet is watched by a walletUpdated subscriber. */
  subscribers: number;
  /** Each user's funding, in cents (USD). */
  fundingCents: number;
  /** Largest transfer, in cents (each transfer is 0.01 … this). */
  maxTransferCents: number;
  /** Share of workload operations that are balance reads instead of transfers. */
  readShare: number;
  /** Workload before each fault (baseline), and after it (quiet period), in ms. */
  warmMs: number;
  quietMs: number;
  /** Redis stopped for this long. */
  redisDownMs: number;
  /** The proxy adds latency for this long, then drops every connection and refuses new ones for refuseMs. */
  latencyMs: number;
  latencyMinMs: number;
  latencyMaxMs: number;
  refuseMs: number;
  /** A transfer is retried (same key) until a definite answer or this long after its first attempt. */
  retryDeadlineMs: number;
  /** One HTTP request without an answer for this long counts as a hang (TIMEOUT). */
  requestTimeoutMs: number;
  /** After a fault: how long subscribers may take to catch up with their wallets before the checks. */
  settleTimeoutMs: number;
  /** The API must answer again within this long after the fault is lifted. */
  recoveryLimitMs: number;
  pgPort: number;
  redisPort: number;
  proxyPort: number;
  /** Keep the temporary cluster folder (and logs) after the run. */
  keep: boolean;
  /** Extra server settings, KEY=VALUE (override the suite's). */
  serverEnv: Record<string, string>;
}

export const USAGE = `npm run chaos -- [flags]

Starts its own PostgreSQL 15 cluster, Redis and a TCP proxy on their own ports, runs the server
as a child process behind the proxy with a bank workload and WebSocket subscribers, injects one
fault after another and checks the ledger, idempotency and live updates after each.

  --short                 the CI form: 8 users, 4 clients, 4 subscribers, short phases (~2 min)
  --fault <name>          ${FAULT_NAMES.join(', ')} (repeatable or comma list; default all, in this order)
  --users <n>             users signed up and funded (default 20; short 8)
  --clients <n>           concurrent workload clients (default 8; short 4)
  --subscribers <n>       users watched by a walletUpdated subscriber (default 6; short 4)
  --fault-seconds <s>     how long Redis stays down and the proxy adds latency (default 10; short 5)
  --quiet-seconds <s>     workload after each fault before the checks (default 15; short 3)
  --pg-port <port>        the suite's PostgreSQL (default 55432; a free one if taken)
  --redis-port <port>     the suite's Redis (default 56379; a free one if taken)
  --proxy-port <port>     the proxy between the server and PostgreSQL (default 55433; a free one if taken)
  --server-env KEY=VALUE  extra server setting, e.g. DB_POOL_SIZE=5 (repeatable)
  --keep                  keep the temporary cluster folder and logs
  --help

Writes chaos/results/<timestamp>.json and exits 1 naming each failed check.`;

function port(name: string, text: string | undefined, fallback: number): number {
  const value = positiveNumber(name, text, fallback);
  if (value > 65535) throw new UsageError(`--${name} must be a TCP port (1–65535), got "${text}"`);
  return value;
}

/** Parses the flags; returns null when --help was asked for. Throws UsageError on a bad flag. */
export function parseOptions(argv: string[]): ChaosSettings | null {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        short: { type: 'boolean', default: false },
        fault: { type: 'string', multiple: true },
        users: { type: 'string' },
        clients: { type: 'string' },
        subscribers: { type: 'string' },
        'fault-seconds': { type: 'string' },
        'quiet-seconds': { type: 'string' },
        'pg-port': { type: 'string' },
        'redis-port': { type: 'string' },
        'proxy-port': { type: 'string' },
        'server-env': { type: 'string', multiple: true },
        keep: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n\n${USAGE}`);
  }
  if (values.help) return null;

  const requested = (values.fault ?? [])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of requested) {
    if (!(FAULT_NAMES as readonly string[]).includes(name))
      throw new UsageError(`Unknown fault "${name}". Choose from: ${FAULT_NAMES.join(', ')}`);
  }
  const faults = requested.length ? FAULT_NAMES.filter((n) => requested.includes(n)) : [...FAULT_NAMES];

  const serverEnv = parseServerEnv(values['server-env']);

  const short = values.short;
  const users = positiveNumber('users', values.users, short ? 8 : 20);
  if (users < 2) throw new UsageError('--users must be at least 2 (transfers need two people)');
  const subscribers = Math.min(users, positiveNumber('subscribers', values.subscribers, short ? 4 : 6));
  const faultMs = positiveNumber('fault-seconds', values['fault-seconds'], short ? 5 : 10, { integer: false }) * 1000;
  return {
    form: short ? 'short' : 'default',
    faults,
    users,
    clients: positiveNumber('clients', values.clients, short ? 4 : 8),
    subscribers,
    fundingCents: 100_000,
    maxTransferCents: 2_000,
    readShare: 0.2,
    warmMs: short ? 2_000 : 8_000,
    quietMs: positiveNumber('quiet-seconds', values['quiet-seconds'], short ? 3 : 15, { integer: false }) * 1000,
    redisDownMs: faultMs,
    latencyMs: faultMs,
    latencyMinMs: 50,
    latencyMaxMs: 200,
    refuseMs: short ? 2_000 : 3_000,
    retryDeadlineMs: 60_000,
    requestTimeoutMs: 15_000,
    settleTimeoutMs: 20_000,
    recoveryLimitMs: 15_000,
    pgPort: port('pg-port', values['pg-port'], 55432),
    redisPort: port('redis-port', values['redis-port'], 56379),
    proxyPort: port('proxy-port', values['proxy-port'], 55433),
    keep: values.keep,
    serverEnv,
  };
}
