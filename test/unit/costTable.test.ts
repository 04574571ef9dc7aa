// The benchmark's cost table (bench/costTable.ts): a feature's cost is the median, over pairs of
// runs, of the CPU per transfer with everything on minus the same with the feature off; the
// options refuse what the table cannot measure.
import { describe, expect, it } from 'vitest';
import { COST_VARIANTS, costRows, formatCostTable } from '../../bench/costTable.js';
import { emptyErrors } from '../../bench/figures.js';
import { parseOptions, UsageError } from '../../bench/options.js';
import type { RunFigures } from '../../bench/protocol.js';
import { summarize } from '../../bench/stats.js';

const run = (throughput: number, server: number, database: number): RunFigures => ({
  throughput,
  sent: throughput,
  completed: throughput,
  ok: throughput,
  durationS: 1,
  latencyMs: summarize([1, 2, 3]),
  errors: emptyErrors(),
  cpu: { serverMicrosPerOp: server, databaseMicrosPerOp: database },
});

describe('the cost table', () => {
  it('starts with everything on, then switches one feature off per variant, each saying what it removes', () => {
    expect(COST_VARIANTS[0]!.feature).toBe('everything on');
    expect(COST_VARIANTS[0]!.serverEnv ?? COST_VARIANTS[0]!.off).toBeUndefined();
    for (const v of COST_VARIANTS.slice(1)) {
      expect(v.serverEnv ?? v.off).toBeDefined();
      // What the bench switches off in the database it switches back on.
      expect(Boolean(v.off)).toBe(Boolean(v.on));
      expect(v.work.length).toBeGreaterThan(10);
    }
  });

  it('costs a feature as the median difference between each of its runs and the everything-on run just before it', () => {
    const [base, off] = [COST_VARIANTS[0]!, COST_VARIANTS[1]!];
    // The box drifts between pairs (1,600 → 1,900 µs with everything on); each pair's difference holds.
    const rows = costRows(base, [
      {
        variant: off,
        baseline: [run(500, 1_600, 1_200), run(480, 1_900, 1_500), run(520, 1_700, 1_250)],
        runs: [run(600, 1_300, 1_000), run(590, 1_550, 1_300), run(610, 1_400, 1_100)],
      },
    ]);
    expect(rows[0]).toMatchObject({ feature: 'everything on', throughput: 500, serverMicrosPerOp: 1_700, databaseMicrosPerOp: 1_250 });
    expect(rows[0]!.serverCost).toBeNaN();
    expect(rows[1]).toMatchObject({
      throughput: 600,
      serverMicrosPerOp: 1_400,
      databaseMicrosPerOp: 1_100,
      serverCost: 300,
      databaseCost: 200,
    });
    const table = formatCostTable(rows, 2_000);
    expect(table).toContain(`| ${off.feature} | 600 | 1,400 | 1,100 | +300 | +200 |`);
    expect(table).toContain('pgbench TPC-B in the same run: 2,000 TPS');
  });

  it('is measured on PostgreSQL against pgbench, not on a chosen scenario or the embedded database', () => {
    expect(parseOptions(['--cost-table'], {})).toMatchObject({ costTable: true, scenarios: ['pgbench', 'p2p-uniform'] });
    expect(() => parseOptions(['--cost-table', '--embedded'], {})).toThrow(UsageError);
    expect(() => parseOptions(['--cost-table', '--scenario', 'reads'], {})).toThrow(UsageError);
  });
});
