// `npm run vault:rotate`: re-encrypts every vaulted number and personal detail under the newest
// key in VAULT_KEYS (the last one), showing progress. Add the new key at the end of VAULT_KEYS,
// restart the servers, run this, and only then remove the old key. Safe to run again or while
// servers run. It first seals what is still in the clear from before personal data was encrypted
// at rest: KYC identities (into the vault), users' phone numbers and the recipients senders typed
// (in their rows, decision 63). Then it re-encrypts the vault's records, and the values sealed in
// rows (users.phone_sealed, ledger_transactions.metadata.recipient), under the newest key.
import { resolveVaultKeys } from '../src/server/secrets.js';
import { createPhones } from '../src/services/accounts/phones.js';
import { createAuditLog } from '../src/services/audit/auditLog.js';
import { resealRecipients } from '../src/services/history/sentRecipients.js';
import { createSealedValues } from '../src/services/vault/sealedValues.js';
import { sealLegacyIdentities } from '../src/services/compliance/kycIdentity.js';
import { createVault } from '../src/services/vault/vault.js';
import { runScript } from './cli.js';

await runScript(
  { poolSize: 2, migrate: true, prepare: resolveVaultKeys },
  async ({ db, log }, keys) => {
    const newest = keys.dataKeys[keys.dataKeys.length - 1]!.id;
    const vault = createVault({ sql: db.sql, keys });
    const sealedValues = createSealedValues(keys);
    const phones = createPhones({ prisma: db.prisma, sql: db.sql, sealed: sealedValues, fingerprintKey: keys.fingerprintKey, log });
    let last = 0;
    const every = (label: string) => (done: number) => {
      if (Date.now() - last > 500) {
        last = Date.now();
        process.stdout.write(`\r${label}: ${done.toLocaleString('en-US')}`);
      }
    };
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
    const legacyPhones = await phones.sealLegacy({ onProgress: every('sealing phone numbers kept in the clear') });
    if (legacyPhones.sealed) console.log(`\rsealed ${legacyPhones.sealed.toLocaleString('en-US')} phone number(s) kept in the clear.`);
    if (legacyPhones.skipped)
      console.log(
        `${legacyPhones.skipped.toLocaleString('en-US')} phone number(s) kept in the clear are now another account's too: left as they are (users.legacy_phone).`,
      );
    const rotatedPhones = await phones.rotate({ onProgress: every('re-encrypting phone numbers') });
    const recipients = await resealRecipients(db.sql, sealedValues, {
      onProgress: every('sealing and re-encrypting recipients senders typed'),
    });
    if (recipients.sealed)
      console.log(`\rsealed ${recipients.sealed.toLocaleString('en-US')} recipient(s) senders typed, kept in the clear.`);
    const inRows = rotatedPhones + recipients.rotated;
    if (inRows) console.log(`\r${inRows.toLocaleString('en-US')} value(s) sealed in rows now under key "${newest}".`);
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
      details: {
        key: newest,
        rotated,
        sealed,
        phonesSealed: legacyPhones.sealed,
        phonesRotated: rotatedPhones,
        recipientsSealed: recipients.sealed,
        recipientsRotated: recipients.rotated,
      },
    });
    console.log(
      rotated
        ? `\n${rotated.toLocaleString('en-US')} record(s) now under key "${newest}".`
        : `Every record is already under key "${newest}".`,
    );
  },
  () => console.error('Records already re-encrypted stay so; fix VAULT_KEYS (list every key still in use, newest last) and run again.'),
);
