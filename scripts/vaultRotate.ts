// `npm run vault:rotate`: re-encrypts every vaulted number and personal detail under the newest
// key in VAULT_KEYS (the last one), showing progress. Add the new key at the end of VAULT_KEYS,
// restart the servers, run this, and only then remove the old key. Safe to run again or while
// servers run. It first seals any KYC identity still in plain columns (cases from before
// personal data was encrypted at rest) into the vault.
import { resolveVaultKeys } from '../src/server/secrets.js';
import { createAuditLog } from '../src/services/audit/auditLog.js';
import { sealLegacyIdentities } from '../src/services/compliance/kycIdentity.js';
import { createVault } from '../src/services/vault/vault.js';
import { runScript } from './cli.js';

await runScript(
  { poolSize: 2, migrate: true, prepare: resolveVaultKeys },
  async ({ db }, keys) => {
    const newest = keys.dataKeys[keys.dataKeys.length - 1]!.id;
    const vault = createVault({ sql: db.sql, keys });
    let last = 0;
    const sealed = await sealLegacyIdentities(db.sql, vault, {
      onProgress(done) {
        if (Date.now() - last > 500) {
          last = Date.now();
          process.stdout.write(`\rsealing KYC identities kept in the clear: ${done.toLocaleString('en-US')}`);
        }
      },
    });
    if (sealed)
      console.log(`\rsealed ${sealed.toLocaleString('en-US')} KYC identit${sealed === 1 ? 'y' : 'ies'} kept in the clear into the vault.`);
    const { rotated } = await vault.rotate({
      onProgress(done, total) {
        if (total === 0) return;
        if (done === total || Date.now() - last > 500) {
          last = Date.now();
          process.stdout.write(`\rre-encrypting under key "${newest}": ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}`);
        }
      },
    });
    await createAuditLog({ prisma: db.prisma, fingerprintKey: keys.fingerprintKey }).record({
      kind: 'vault.rotated',
      details: { key: newest, rotated, sealed },
    });
    console.log(
      rotated
        ? `\n${rotated.toLocaleString('en-US')} record(s) now under key "${newest}".`
        : `Every record is already under key "${newest}".`,
    );
  },
  () => console.error('Records already re-encrypted stay so; fix VAULT_KEYS (list every key still in use, newest last) and run again.'),
);
