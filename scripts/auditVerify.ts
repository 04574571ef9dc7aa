// `npm run audit:verify`: recomputes the audit log's HMAC chain from its first row (showing
// progress) and exits 1 naming the first row that does not fit: changed after it was written,
// missing, inserted, or out of order. The key comes from the same settings as the server's
// (VAULT_FINGERPRINT_KEY, or the one generated in DATA_DIR outside production).
import { resolveVaultKeys } from '../src/server/secrets.js';
import { createAuditLog } from '../src/services/audit/auditLog.js';
import { runScript } from './cli.js';

await runScript({ poolSize: 2, migrate: false, prepare: resolveVaultKeys }, async ({ db }, keys) => {
  const audit = createAuditLog({ prisma: db.prisma, fingerprintKey: keys.fingerprintKey });
  const { checked, broken } = await audit.verify((done, total) => {
    if (total > 0n) process.stdout.write(`\rchecked ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} audit events`);
  });
  if (checked) process.stdout.write('\n');
  if (broken) {
    console.error(
      `The audit log is broken at event ${broken.id}: it ${broken.problem}. ${checked.toLocaleString('en-US')} event(s) before it are intact. ` +
        'Keep the database as it is for investigation, and compare with a backup or the log shipped off this machine.',
    );
    process.exitCode = 1;
  } else console.log(`The audit log is intact: ${checked.toLocaleString('en-US')} event(s), every hash chained.`);
});
