// Scheduled work inside the server process (croner): reconciliation, the AML monitor, the
// expiry of payment requests, retention, monthly statements and the sealing of ledger entries (one process at a time: a lock). All are idempotent (reconciliation: lookups, resubmissions under
// the same reference, results applied under fixed event ids; the monitor: one open case per user
// and pattern; expiry: rows locked with SKIP LOCKED; statements: one per wallet and month, stored
// with ON CONFLICT DO NOTHING), so several server processes running them at the same moment is
// harmless, only redundant.
import { Cron } from 'croner';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services/index.js';

export function startJobs(deps: { services: Services; config: Config; log: Logger }): () => Promise<void> {
  const { services, config, log } = deps;
  const running = new Set<Promise<void>>();
  const jobs: Cron[] = [];

  /** Runs `work` on `schedule` ("off" disables), never two at once, logging failures. */
  function every(schedule: string, name: string, work: () => Promise<void>) {
    if (schedule === 'off') return;
    jobs.push(
      // utcOffset rather than timezone: 'UTC' (the same schedule) spares loading time-zone data at start.
      new Cron(schedule, { utcOffset: 0, protect: true, unref: true }, () => {
        const run = work().catch((err) => log.warn({ err: (err as Error).message }, `${name} failed; it runs again at the next schedule`));
        running.add(run);
        return run.finally(() => running.delete(run));
      }),
    );
  }

  every(config.RECONCILE_SCHEDULE, 'reconciliation', async () => {
    const report = await services.funding.reconcile({ olderThanSeconds: config.RECONCILE_PENDING_AFTER_SECONDS });
    const { checked, resolved, resubmitted, mismatches } = report;
    if (checked || mismatches.length)
      log.info(
        { checked, resolved: resolved.length, resubmitted: resubmitted.length, mismatches: mismatches.length },
        'reconciliation ran',
      );
    for (const m of mismatches) log.warn({ ...m, day: report.day }, 'reconciliation mismatch');
  });
  every(config.AML_SCHEDULE, 'AML monitor', async () => {
    await services.amlMonitor.run();
  });
  every(config.PAYMENT_REQUEST_EXPIRY_SCHEDULE, 'payment request expiry', async () => {
    await services.paymentRequests.expireDue();
  });
  every(config.RETENTION_SCHEDULE, 'retention', async () => {
    const deleted = await services.retention.run();
    if (Object.keys(deleted).length) log.info({ deleted }, 'retention: deleted what had reached its end');
  });
  every(config.STATEMENT_SCHEDULE, 'monthly statements', async () => {
    await services.statements.generateMonthly();
  });
  every(config.LEDGER_SEAL_SCHEDULE, 'ledger sealing', async () => {
    const sealed = await services.ledgerSeals.seal({ olderThanSeconds: config.LEDGER_SEAL_AFTER_SECONDS });
    if (sealed) log.debug({ sealed }, 'ledger entries sealed');
  });

  return async () => {
    for (const job of jobs) job.stop();
    await Promise.all([...running]);
  };
}
