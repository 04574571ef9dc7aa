// Scheduled work inside the server process (croner). Reconciliation is idempotent (lookups,
// resubmissions under the same reference, results applied under fixed event ids), so several
// server processes running it at the same moment is harmless, only redundant.
import { Cron } from 'croner';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services/index.js';

export function startJobs(deps: { services: Services; config: Config; log: Logger }): () => Promise<void> {
  const { services, config, log } = deps;
  if (config.RECONCILE_SCHEDULE === 'off') return async () => {};
  let running: Promise<void> = Promise.resolve();
  const job = new Cron(config.RECONCILE_SCHEDULE, { timezone: 'UTC', protect: true, unref: true }, () => {
    running = services.funding
      .reconcile({ olderThanSeconds: config.RECONCILE_PENDING_AFTER_SECONDS })
      .then((report) => {
        const { checked, resolved, resubmitted, mismatches } = report;
        if (checked || mismatches.length) log.info({ checked, resolved: resolved.length, resubmitted: resubmitted.length, mismatches: mismatches.length }, 'reconciliation ran');
        for (const m of mismatches) log.warn({ ...m, day: report.day }, 'reconciliation mismatch');
      })
      .catch((err) => log.warn({ err: (err as Error).message }, 'reconciliation failed; it runs again at the next schedule'));
    return running;
  });
  return async () => {
    job.stop();
    await running;
  };
}
