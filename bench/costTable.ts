// `npm run bench -- --cost-table`: what each hot-path feature costs a transfer. p2p-uniform is
// measured with one feature switched off at a time, each run right after a run with everything
// on, in rounds; a feature's cost is the median, over its pairs of runs, of the server and
// PostgreSQL CPU per transfer with everything on minus the same with it off. Pairs, because this
// box drifts by more than most features cost (and a run leaves the database busier for the next:
// dead rows, checkpoints), so every run starts after a VACUUM of the hot tables and a CHECKPOINT.
// Features are switched off either by a server setting or, for work the posting function does in
// the database, by SQL on the benchmark database while no server runs (a trigger that skips a
// row's write, or triggers disabled): the product has no switch for those, nor should it.
import type pg from 'pg';
import { combineRuns, type ScenarioResult } from './figures.js';
import type { RunFigures } from './protocol.js';
import { median } from './stats.js';

export interface CostVariant {
  /** What is switched off ("everything on" for the baseline). */
  feature: string;
  /** What that work is, per transfer. */
  work: string;
  serverEnv?: Record<string, string>;
  /** SQL that switches the feature off, and SQL that switches it back on. */
  off?: string;
  on?: string;
}

/** A BEFORE trigger that skips `event`s on `table` (the row is not written), and its removal. */
function skipWrites(table: string, event: 'INSERT' | 'UPDATE'): Pick<CostVariant, 'off' | 'on'> {
  const fn = `bench_skip_${table}_${event.toLowerCase()}`;
  return {
    off: `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
          CREATE TRIGGER ${fn} BEFORE ${event} ON ${table} FOR EACH ROW EXECUTE FUNCTION ${fn}();`,
    on: `DROP TRIGGER ${fn} ON ${table}; DROP FUNCTION ${fn}();`,
  };
}

/** Every foreign key's checking triggers (PostgreSQL's internal RI triggers), off or on. */
const foreignKeyTriggers = (action: 'DISABLE' | 'ENABLE') => `
  DO $$ DECLARE t record; BEGIN
    FOR t IN SELECT tg.tgname, tg.tgrelid::regclass AS rel FROM pg_trigger tg JOIN pg_constraint c ON c.oid = tg.tgconstraint
             WHERE tg.tgisinternal AND c.contype = 'f' LOOP
      EXECUTE format('ALTER TABLE %s ${action} TRIGGER %I', t.rel, t.tgname);
    END LOOP;
  END $$;`;

export const COST_VARIANTS: CostVariant[] = [
  { feature: 'everything on', work: 'the product as shipped' },
  {
    feature: 'risk rules',
    work: 'the facts query (batched), six rules, the evaluation sent to and stored by the posting call, velocity counts',
    serverEnv: { RISK_RULES: 'false' },
  },
  {
    feature: 'risk evaluation row',
    work: 'one risk_evaluations row (rules and inputs as JSON)',
    ...skipWrites('risk_evaluations', 'INSERT'),
  },
  {
    feature: 'notifications',
    work: "the money-received row of each P2P transfer (one INSERT per posting call), its outbox row, and the dispatcher's fan-out of it after commit",
    ...skipWrites('notifications', 'INSERT'),
  },
  {
    feature: 'outbox row and publish',
    work: "the call's ledger.posted row, its publish to Redis and its deletion",
    ...skipWrites('outbox_events', 'INSERT'),
  },
  {
    feature: 'ledger triggers',
    work: 'zero-sum (deferred, per entry) and append-only checks on ledger_entries',
    off: 'ALTER TABLE ledger_entries DISABLE TRIGGER USER;',
    on: 'ALTER TABLE ledger_entries ENABLE TRIGGER USER;',
  },
  {
    feature: 'foreign-key checks',
    work: 'referential checks of every row written (transactions, entries, keys, evaluations)',
    off: foreignKeyTriggers('DISABLE'),
    on: foreignKeyTriggers('ENABLE'),
  },
  {
    feature: 'group commit',
    work: 'one posting call per transfer instead of batches (a negative cost: what batching saves)',
    serverEnv: { LEDGER_BATCH_MAX: '1' },
  },
];

/** Run before every measured run, one statement at a time (VACUUM cannot run in a transaction): the same starting state for each (no dead rows, no checkpoint due). */
export const SETTLE_SQL = [
  'VACUUM (ANALYZE) wallets, ledger_transactions, ledger_entries, idempotency_keys, risk_evaluations, outbox_events',
  'CHECKPOINT',
];

/** A variant's runs, each paired with the everything-on run measured just before it. */
export interface CostMeasurement {
  variant: CostVariant;
  runs: RunFigures[];
  baseline: RunFigures[];
}

export interface CostRow {
  feature: string;
  work: string;
  runs: RunFigures[];
  throughput: number;
  serverMicrosPerOp: number;
  databaseMicrosPerOp: number;
  /** Everything on minus this variant: what the feature costs a transfer (NaN for the baseline). */
  serverCost: number;
  databaseCost: number;
}

/** Switches a variant's database part off (before its server starts) or back on (after it stops). */
export async function switchVariant(sql: pg.Client, variant: CostVariant, state: 'off' | 'on'): Promise<void> {
  const statement = variant[state];
  if (statement) await sql.query(statement);
}

/** The saturation run of each scenario result of a variant. */
export function saturationRuns(results: ScenarioResult[]): RunFigures[] {
  return results.flatMap((r) => r.phases.filter((p) => p.mode === 'saturation').flatMap((p) => p.runs));
}

const server = (r: RunFigures) => r.cpu.serverMicrosPerOp ?? Number.NaN;
const database = (r: RunFigures) => r.cpu.databaseMicrosPerOp ?? Number.NaN;

function row(variant: CostVariant, runs: RunFigures[], costs?: { server: number; database: number }): CostRow {
  const m = combineRuns(runs);
  return {
    feature: variant.feature,
    work: variant.work,
    runs,
    throughput: m.throughput,
    serverMicrosPerOp: m.cpu.serverMicrosPerOp ?? Number.NaN,
    databaseMicrosPerOp: m.cpu.databaseMicrosPerOp ?? Number.NaN,
    serverCost: costs?.server ?? Number.NaN,
    databaseCost: costs?.database ?? Number.NaN,
  };
}

/** The baseline row (every everything-on run), then one row per variant with its paired cost. */
export function costRows(baselineVariant: CostVariant, measured: CostMeasurement[]): CostRow[] {
  const paired = (of: (r: RunFigures) => number, m: CostMeasurement) => median(m.runs.map((r, i) => of(m.baseline[i]!) - of(r)));
  return [
    row(
      baselineVariant,
      measured.flatMap((m) => m.baseline),
    ),
    ...measured.map((m) => row(m.variant, m.runs, { server: paired(server, m), database: paired(database, m) })),
  ];
}

const n = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '–');
const signed = (v: number) => (Number.isFinite(v) ? `${v >= 0 ? '+' : '−'}${Math.abs(Math.round(v)).toLocaleString('en-US')}` : '–');

/** The cost table as Markdown, ready for docs/performance.md. */
export function formatCostTable(rows: CostRow[], pgbenchTps: number | null): string {
  const lines = [
    '| switched off | P2P/s | server µs/transfer | PostgreSQL µs/transfer | cost: server µs | cost: PostgreSQL µs | the work |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) =>
      [
        r.feature,
        n(r.throughput),
        n(r.serverMicrosPerOp),
        n(r.databaseMicrosPerOp),
        signed(r.serverCost),
        signed(r.databaseCost),
        r.work,
      ].join(' | '),
    ),
  ].map((l) => (l.startsWith('|') ? l : `| ${l} |`));
  const reference = pgbenchTps ? `pgbench TPC-B in the same run: ${n(pgbenchTps)} TPS.` : 'pgbench was not measured.';
  return [
    ...lines,
    '',
    `Cost = CPU per transfer with everything on minus with that feature off: the median over ${rows[1]?.runs.length ?? 0} pair(s) of runs, each variant's run right after one with everything on (that row: all ${rows[0]?.runs.length ?? 0} of those). ${reference}`,
  ].join('\n');
}
