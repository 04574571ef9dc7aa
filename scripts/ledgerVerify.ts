// `npm run ledger:verify`: recomputes the ledger's integrity proof (every sealed entry's keyed
// digest and every seal's HMAC chain; src/services/integrity/ledgerSeals.ts), showing progress,
// and exits 1 naming the first entry changed, removed or inserted behind the application's back.
// `npm run ledger:audit` checks that the ledger adds up; this checks that nobody rewrote it.
import { resolveVaultKeys } from '../src/server/secrets.js';
import { createLedgerSeals } from '../src/services/integrity/ledgerSeals.js';
import { runScript } from './cli.js';

await runScript({ poolSize: 2, migrate: false, prepare: resolveVaultKeys }, async ({ db }, keys) => {
  const seals = createLedgerSeals({ prisma: db.prisma, fingerprintKey: keys.fingerprintKey });
  const { checked, unsealed, broken } = await seals.verify((done) =>
    process.stdout.write(`\rchecked ${done.toLocaleString('en-US')} sealed entries`),
  );
  if (checked) process.stdout.write('\n');
  if (broken) {
    console.error(
      `The ledger was altered at entry ${broken.entryId}: it ${broken.problem}. ${checked.toLocaleString('en-US')} sealed entries before it are intact. ` +
        'Keep the database as it is for investigation; compare with a backup.',
    );
    process.exitCode = 1;
  } else {
    console.log(
      `The ledger is as sealed: ${checked.toLocaleString('en-US')} entries verified` +
        (unsealed
          ? `; ${unsealed.toLocaleString('en-US')} newer entries are not sealed yet (the server seals them after LEDGER_SEAL_AFTER_SECONDS).`
          : '.'),
    );
  }
});
