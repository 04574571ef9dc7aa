// `npm run bench -- --cost-table`: what each hot-path feature costs a transfer. p2p-uniform is
// measured with everything on, then with one feature switched off at a time, in rounds (every
// variant once per round, so the box's drift falls on all of them alike); a feature's cost is
// the median server and PostgreSQL CPU per transfer with everything on minus the same with it off.
// Features are switched off either by a server setting or, for work the posting function does in
// the database, by SQL on the benchmark database while no server runs (a trigger that skips a
// row's write, or triggers disabled): the product has no switch for those, nor should it.
import type pg from 'pg';
import { combineRuns, type ScenarioResult } from './figures.js';
import type { RunFigures } from './protocol.js';

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
    feature: 'idempotency answer update',
    work: 'the UPDATE that stores the answer on the key claimed at the start of the call',
    ...skipWrites('idempotency_keys', 'UPDATE'),
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

export function costRows(measured: { variant: CostVariant; runs: RunFigures[] }[]): CostRow[] {
  const rows = measured.map(({ variant, runs }) => {
    const m = combineRuns(runs);
    return {
      feature: variant.feature,
      work: variant.work,
      runs,
      throughput: m.throughput,
      serverMicrosPerOp: m.cpu.serverMicrosPerOp ?? Number.NaN,
      databaseMicrosPerOp: m.cpu.databaseMicrosPerOp ?? Number.NaN,
      serverCost: Number.NaN,
      databaseCost: Number.NaN,
    };
  });
  const base = rows[0];
  if (!base) return rows;
  for (const row of rows.slice(1)) {
    row.serverCost = base.serverMicrosPerOp - row.serverMicrosPerOp;
    row.databaseCost = base.databaseMicrosPerOp - row.databaseMicrosPerOp;
  }
  return rows;
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
    `Cost = CPU per transfer with everything on minus with that feature off (medians of ${rows[0]?.runs.length ?? 0} run(s) each, taken in turns). ${reference}`,
  ].join('\n');
}
