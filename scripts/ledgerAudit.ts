// `npm run ledger:audit`: recomputes every balance and transaction from the ledger entries of
// the configured database; exits 1 on any difference, printing each one.
import { auditLedger } from '../src/services/ledger/audit.js';
import { runScript } from './cli.js';

await runScript({ poolSize: 2, migrate: false }, async ({ config, db }) => {
  console.log(
    `auditing the ledger in ${db.kind === 'embedded' ? `the embedded database in ${config.DATA_DIR}` : 'PostgreSQL at DATABASE_URL'}…`,
  );
  const report = await auditLedger(db.prisma);
  const { wallets, transactions, entries } = report.counts;
  console.log(`checked ${wallets} wallets, ${transactions} transactions, ${entries} entries`);
  if (report.ok) console.log('ledger OK: every balance equals its entries, every transaction sums to zero');
  else {
    for (const p of report.problems) console.error(`PROBLEM ${p}`);
    console.error(`ledger audit FAILED with ${report.problems.length} problem(s)`);
    process.exitCode = 1;
  }
});
