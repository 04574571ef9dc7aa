// What a scenario is: data it prepares (in the orchestrator, with SQL, before its server starts),
// how it measures (against that server, through the load process), and, for HTTP scenarios,
// how the load process builds each request. One file per scenario implements this.
import type pg from 'pg';
import type { PhaseResult } from '../figures.js';
import type { RequestMaker } from '../httpLoad.js';
import type { LoadProcess } from '../loadProcess.js';
import type { BenchSettings, ScenarioName } from '../options.js';
import type { Progress } from '../progress.js';
import type { HttpRunCommand, NotifyCommand, RunFigures, WorkloadSpec } from '../protocol.js';
import type { Seeder } from '../seed.js';
import type { BenchServer } from '../server.js';
import type { BenchTarget } from '../target.js';

export interface PrepareContext {
  settings: BenchSettings;
  /** The bench database; no server is running while a scenario prepares. */
  sql: pg.Client;
  seeder: Seeder;
  progress: Progress;
  /** The secret the server verifies access tokens with. */
  jwtSecret: string;
  notes: string[];
}

export interface MeasureContext {
  settings: BenchSettings;
  target: BenchTarget;
  /** The scenario's freshly started server (absent for pgbench). */
  server?: BenchServer;
  load?: LoadProcess;
  progress: Progress;
  notes: string[];
  /** Runs one load command with the server's and the machine's CPU accounted around it. */
  measureRun(command: HttpRunCommand | NotifyCommand, label: string): Promise<RunFigures>;
}

export interface Scenario<Plan = unknown> {
  name: ScenarioName;
  summary: string;
  /** Moves money (in its setup or under load): the ledger audit runs after it and its verdict is reported. */
  auditLedger: boolean;
  /** Runs against the wallet server (pgbench does not). */
  needsServer: boolean;
  /** Server settings this scenario needs besides the benchmark's (--server-env still wins). */
  serverEnv?: Record<string, string>;
  prepare(ctx: PrepareContext): Promise<Plan>;
  measure(ctx: MeasureContext, plan: Plan): Promise<PhaseResult[]>;
}

/** A workload of an HTTP scenario: its JSON parameters travel to the load process. */
export interface HttpWorkload<P = unknown> extends WorkloadSpec {
  params: P;
  /** transfer (moves money) or read. */
  kind: 'transfer' | 'read';
}

/** An HTTP scenario: its workloads are measured by bench/httpPhases.ts. */
export interface HttpScenario<P = unknown> extends Scenario<HttpWorkload<P>[]> {
  /** Load-process side: makes the requests of one workload from its parameters. */
  requests(workload: HttpWorkload<P>): RequestMaker;
  /**
   * Checks the `data` of one probe response before the workload is measured: returns what is
   * wrong, or null. (GraphQL errors and userErrors are refused before this is asked.)
   */
  check(workload: HttpWorkload<P>, data: Record<string, unknown>): string | null;
}

/** A uniformly random index below n other than `not` (n ≥ 2). */
export function randomIndexExcept(n: number, not: number): number {
  const i = Math.floor(Math.random() * (n - 1));
  return i >= not ? i + 1 : i;
}
