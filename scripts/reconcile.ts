// `npm run reconcile [-- --day YYYY-MM-DD] [--pending-after SECONDS]`: settles deposits and
// withdrawals stuck in PENDING by asking the processors, then compares the processors' settlement
// reports for the day (default today, UTC) with the ledger and lists every mismatch. Exits 1 when
// there are mismatches, so a scheduler can alert. Safe to run at any time, also next to servers.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { createLogger } from '../src/logger.js';
import { createMemoryPubSub } from '../src/services/events/pubsub.js';
import { createServices } from '../src/services/index.js';
import { resolveJwtSecret, resolveVaultKeys, resolveWebhookSecrets } from '../src/server/secrets.js';

const { values } = parseArgs({ options: { day: { type: 'string' }, 'pending-after': { type: 'string' } } });

try {
  const config = loadConfig();
  const day = values.day ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(day))) throw new Error('--day must be a date like 2026-11-26');
  const olderThanSeconds = values['pending-after'] === undefined ? config.RECONCILE_PENDING_AFTER_SECONDS : Number(values['pending-after']);
  if (!Number.isInteger(olderThanSeconds) || olderThanSeconds < 0) throw new Error('--pending-after must be a whole number of seconds');
  const log = createLogger({ level: 'warn' });
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: 4, migrateOnStart: true, log });
  try {
    // Pub/sub is in memory here: running servers pick committed changes up through their outbox relay.
    const services = await createServices({
      config, log, prisma: db.prisma, sql: db.sql, pubsub: createMemoryPubSub(),
      jwtSecret: resolveJwtSecret(config), vaultKeys: resolveVaultKeys(config), webhookSecrets: resolveWebhookSecrets(config),
    });
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
  } finally {
    await db.close();
  }
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = err instanceof ConfigError ? 78 : 2;
}
