// What the orchestrator (bench/run.ts) and the load process (bench/load.ts) say to each other
// over their IPC channel, and the shape of one measured run. Both sides import these types, so
// a change to a message is a type error on both ends rather than a silent mismatch.
import type { LatencySummary } from './stats.js';

/** How requests are offered: closed loop (saturation) or open loop at a fixed rate. */
export type Pacing =
  | { mode: 'closed'; concurrency: number; durationMs: number; maxRequests: number }
  | { mode: 'open'; rate: number; durationMs: number; maxRequests: number; maxBacklog: number };

/** What went wrong, by kind; each map counts occurrences by code (or status, or message). */
export interface ErrorCounts {
  /** Top-level GraphQL `errors` (by extensions.code). */
  graphql: Record<string, number>;
  /** Payload `userErrors` of a mutation (by code): the request was refused, nothing changed. */
  user: Record<string, number>;
  /** Non-200 responses without GraphQL errors, and unreadable bodies (by status). */
  http: Record<string, number>;
  /** Socket-level failures (by message). */
  transport: Record<string, number>;
  /** Open loop only: scheduled requests not sent because the backlog bound was reached. */
  dropped: number;
  /** Requests still unanswered when the run's drain time ran out. */
  timedOut: number;
}

export interface CpuFigures {
  /** Server process CPU, in % of one core (200 % = both cores of this machine). */
  serverPercent?: number;
  /** Server CPU time per successful operation, in microseconds. */
  serverMicrosPerOp?: number;
  /** PostgreSQL's CPU time per successful operation (every postgres process, and the backends that
   * ended, counted in the postmaster), in microseconds; undefined on the embedded database. */
  databaseMicrosPerOp?: number;
  /** Redis's CPU time per successful operation, in microseconds. */
  redisMicrosPerOp?: number;
  /** Load process CPU, in % of one core. */
  loadPercent?: number;
  /** Whole machine, % of all cores busy (includes PostgreSQL, Redis and anything else running). */
  machineBusyPercent?: number;
}

/** One measured run of one workload. */
export interface RunFigures {
  /** Successful operations per second. */
  throughput: number;
  sent: number;
  completed: number;
  ok: number;
  durationS: number;
  /** Milliseconds; for open loops measured from each request's scheduled send time. */
  latencyMs: LatencySummary;
  errors: ErrorCounts;
  cpu: CpuFigures;
  /** Scenario-specific counts, added up across runs (events expected, received, lost, …). */
  counts?: Record<string, number>;
  /** Scenario-specific figures, whose median across runs is reported (latency from send, …). */
  figures?: Record<string, number>;
}

export interface HttpRunCommand {
  type: 'http';
  origin: string;
  scenario: string;
  workload: WorkloadSpec;
  /** Keep-alive connections in the pool. */
  connections: number;
  pacing: Pacing;
  /** How long to wait for requests still in flight once the run's time is up. */
  drainMs: number;
  /** Send a progress message about once a second. */
  progress: boolean;
}

/** One workload of a scenario as the load process needs it: a name and JSON parameters. */
export interface WorkloadSpec {
  name: string;
  params: unknown;
}

export interface Subscriber {
  token: string;
  /** Global ID of the wallet. */
  walletId: string;
  /** The wallet's sequence when the plan was made: the feed replays anything after it. */
  afterSequence: string;
}

export interface SubscribeCommand {
  type: 'subscribe';
  wsUrl: string;
  subscribers: Subscriber[];
  /** Connections being opened at once. */
  concurrency: number;
  /** Source addresses (127.x.y.z) the sockets are spread over. */
  localAddresses: string[];
  timeoutMs: number;
}

export interface SubscribeResult {
  requested: number;
  connected: number;
  failed: Record<string, number>;
  seconds: number;
  /** Time from opening a socket to the server's connection_ack, in ms. */
  connectMs: LatencySummary;
}

export interface NotifyCommand {
  type: 'notify';
  origin: string;
  connections: number;
  /** Tokens of the senders (not subscribed). */
  senders: string[];
  /** Global IDs of subscribed wallets, with how many subscribers each has. */
  targets: { walletId: string; subscribers: number }[];
  rate: number;
  durationMs: number;
  /** How long to wait for outstanding events after the last response. */
  graceMs: number;
}

/** Sends one request of a workload and returns the response, so the orchestrator can check it. */
export interface ProbeCommand {
  type: 'probe';
  origin: string;
  scenario: string;
  workload: WorkloadSpec;
}

export interface ProbeResult {
  status: number;
  body: unknown;
}

export interface UnsubscribeCommand {
  type: 'unsubscribe';
}

export type LoadCommand = HttpRunCommand | ProbeCommand | SubscribeCommand | NotifyCommand | UnsubscribeCommand;

/** From the load process: a command's answer, a failure, or progress of the running command. */
export type LoadMessage =
  | { kind: 'ready' }
  | { kind: 'result'; id: number; result: unknown }
  | { kind: 'error'; id: number; message: string }
  | { kind: 'progress'; id: number; elapsedS: number; completed: number; ok: number };

/** The command envelope sent to the load process. */
export interface LoadRequest {
  id: number;
  command: LoadCommand;
}
