// `npm run reconcile [-- --day YYYY-MM-DD] [--pending-after SECONDS]`: settles deposits and
// withdrawals stuck in PENDING by asking the processors, then compares the processors' settlement
// reports for the day (default today, UTC) with the ledger and lists every mismatch. Exits 1 when
// there are mismatches, so a scheduler can alert. Safe to run at any time, also next to servers.
import { parseArgs } from 'node:util';
import { runScript, scriptServices } from './cli.js';

const { values } = parseArgs({ options: { day: { type: 'string' }, 'pending-after': { type: 'string' } } });

await runScript(
  {
    poolSize: 4,
    migrate: true,
    prepare(config) {
      const day = values.day ?? new Date().toISOString().slice(0, 10);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(day))) throw new Error('--day must be a date like 2026-11-26');
      const olderThanSeconds =
        values['pending-after'] === undefined ? config.RECONCILE_PENDING_AFTER_SECONDS : Number(values['pending-after']);
      if (!Number.isInteger(olderThanSeconds) || olderThanSeconds < 0) throw new Error('--pending-after must be a whole number of seconds');
      return { day, olderThanSeconds };
    },
  },
  async (ctx, { day, olderThanSeconds }) => {
    const services = await scriptServices(ctx);
    console.log(`reconciling: operations pending over ${olderThanSeconds} s, and the settlement reports of ${day}…`);
    const report = await services.funding.reconcile({ olderThanSeconds, day });
    services.sandbox.stop();
    console.log(`pending operations checked: ${report.checked}`);
    for (const r of report.resolved) console.log(`  settled from the processor: ${r.id} → ${r.state}`);
    for (const id of report.resubmitted) console.log(`  never reached the processor, submitted again: ${id}`);
    for (const id of report.stillPending) console.log(`  still pending at the processor: ${id}`);
    if (report.mismatches.length === 0) console.log(`settlement reports of ${day} match the ledger`);
    else {
      for (const m of report.mismatches) console.error(`MISMATCH ${m.provider} ${m.reference} ${m.problem}: ${m.detail}`);
      console.error(`${report.mismatches.length} mismatch(es): investigate each before the next settlement.`);
      process.exitCode = 1;
    }
  },
);
