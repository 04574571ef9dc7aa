// Phone numbers and the recipients senders typed, sealed at rest (decision 63), against a real
// database as the server's role (wallet_app, which may write users' phone columns and reseal
// recipients only through ledger_reseal_recipients): a row as stored holds no number; lookups go by
// keyed hash; numbers from before sealing are found meanwhile and sealed keeping their
// verification; a change of number clears it; rotation re-encrypts; values fail closed when moved.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.js';
import { createLogger } from '../../src/logger.js';
import { createPhones } from '../../src/services/accounts/phones.js';
import { openRecipient, resealRecipients, sealRecipient } from '../../src/services/history/sentRecipients.js';
import { createSealedValues } from '../../src/services/vault/sealedValues.js';
import { VaultError, type VaultKey } from '../../src/services/vault/vault.js';
import { withClient } from '../helpers/scratchDatabase.js';
import { createTestDatabase, usingPostgres, type TestDatabase } from '../helpers/testDatabase.js';

const log = createLogger({ level: 'silent' });
const key = (id: string): VaultKey => ({ id, key: randomBytes(32) });
const OLD = key('old');
const NEW = key('new');
const fingerprintKey = randomBytes(32);

let tdb: TestDatabase;
let db: Database;

const owner = <T>(text: string, values: unknown[] = []) =>
  withClient(db.url, async (client) => (await client.query(text, values)).rows as T[]);

const phonesUnder = (keys: VaultKey[]) =>
  createPhones({ prisma: db.prisma, sql: db.sql, sealed: createSealedValues({ dataKeys: keys }), fingerprintKey, log });

async function userWithWallet(label: string, columns: Record<string, unknown> = {}) {
  const id = (columns.id as string | undefined) ?? randomUUID();
  await db.prisma.user.create({
    data: { id, email: `${label}.${id.slice(0, 8)}@example.com`, passwordHash: 'x', displayName: label, ...columns },
  });
  const wallet = await db.prisma.wallet.create({ data: { kind: 'USER', userId: id, currency: 'USD' } });
  return { id, walletId: wallet.id };
}

const resolve = async (party: unknown) =>
  (
    await db.sql.query<{ wallet_id: string | null; problem: string | null }>(
      'SELECT wallet_id::text, problem FROM wallet_resolve_party($1::jsonb, $2)',
      [JSON.stringify(party), 'USD'],
    )
  )[0]!;

const rawUser = async (id: string) => (await owner<Record<string, unknown>>('SELECT * FROM users WHERE id = $1::uuid', [id]))[0]!;

beforeAll(async () => {
  tdb = await createTestDatabase({ migrated: true });
  db = await openDatabase({
    role: 'application',
    databaseUrl: tdb.env.DATABASE_URL,
    dataDir: tdb.env.DATA_DIR!,
    poolSize: 4,
    migrateOnStart: true,
    log,
  });
}, 120_000);
afterAll(async () => {
  await db?.close();
  await tdb?.drop();
});

describe('phone numbers at rest', () => {
  it('stores a keyed hash and a sealed number, never the number; finds the user by the hash', async () => {
    const phones = phonesUnder([OLD]);
    const phone = '+14155550101';
    const id = randomUUID();
    const { walletId } = await userWithWallet('sealed', { id, ...phones.columns(id, phone) });
    const row = await rawUser(id);
    expect(JSON.stringify(row)).not.toContain('4155550101');
    expect(row.legacy_phone).toBeNull();
    expect(row.phone_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.phone_hash).toBe(phones.digest(phone));
    expect(row.phone_sealed).toMatch(/^sv1\.old\./);
    expect(phones.of({ id, phoneSealed: row.phone_sealed as string, legacyPhone: null })).toBe(phone);
    // Keyed: another fingerprint key gives another hash (a dictionary of numbers is no use without the key).
    const other = createPhones({
      prisma: db.prisma,
      sql: db.sql,
      sealed: createSealedValues({ dataKeys: [OLD] }),
      fingerprintKey: randomBytes(32),
      log,
    });
    expect(other.digest(phone)).not.toBe(phones.digest(phone));

    await phones.sealLegacyInBackground(); // none left: parties carry the hash alone from now on
    expect(phones.party(phone)).toEqual({ phoneHash: phones.digest(phone) });
    expect(await resolve(phones.party(phone))).toEqual({ wallet_id: walletId, problem: null });
    expect(await resolve(phones.party('+14155550102'))).toEqual({ wallet_id: null, problem: 'USER_NOT_FOUND' });
    // The number itself names no one any more.
    expect(await resolve({ phone })).toEqual({ wallet_id: null, problem: 'USER_NOT_FOUND' });

    // Unique by hash: a second account with the number is refused by the index.
    const second = randomUUID();
    await expect(
      db.prisma.user.create({
        data: { id: second, email: `dup.${second}@example.com`, passwordHash: 'x', displayName: 'Dup', ...phones.columns(second, phone) },
      }),
    ).rejects.toMatchObject({ code: 'P2002' });

    // Bound to its user: another user's sealed number copied onto this row does not open.
    const b = randomUUID();
    await userWithWallet('b', { id: b, ...phones.columns(b, '+14155550103') });
    const moved = (await rawUser(b)).phone_sealed as string;
    expect(() => phones.of({ id, phoneSealed: moved, legacyPhone: null })).toThrow(VaultError);
    // A key the server does not have: fails closed, naming the key, never the number.
    expect(() => phonesUnder([NEW]).of({ id, phoneSealed: row.phone_sealed as string, legacyPhone: null })).toThrow(/key "old"/);
  });

  it('finds numbers from before sealing meanwhile, seals them keeping their verification, and a change clears it', async () => {
    const phone = '+14155550111';
    const legacy = randomUUID();
    const { walletId } = await userWithWallet('legacy', { id: legacy });
    // As the migration left it: the number in the clear, verified.
    await owner(`UPDATE users SET legacy_phone = $2 WHERE id = $1::uuid`, [legacy, phone]);
    await owner(`UPDATE users SET phone_verified_at = now() WHERE id = $1::uuid`, [legacy]);
    const phones = phonesUnder([OLD]);
    expect(phones.party(phone)).toEqual({ phoneHash: phones.digest(phone), phone });
    expect(await resolve(phones.party(phone))).toEqual({ wallet_id: walletId, problem: null });
    expect(await phones.takenInClear(phone)).toBe(true);
    expect(await phones.takenInClear(phone, legacy)).toBe(false);

    const progress: number[] = [];
    expect(await phones.sealLegacy({ batchSize: 1, onProgress: (n) => progress.push(n) })).toEqual({ sealed: 1, skipped: 0 });
    expect(progress.at(-1)).toBe(1);
    const row = await rawUser(legacy);
    expect(JSON.stringify(row)).not.toContain('4155550111');
    expect(row.phone_hash).toBe(phones.digest(phone));
    expect(row.phone_verified_at).not.toBeNull(); // the same number, still verified
    expect(phones.party(phone)).toEqual({ phoneHash: phones.digest(phone) });
    expect(await resolve(phones.party(phone))).toEqual({ wallet_id: walletId, problem: null });
    expect(await phones.takenInClear(phone)).toBe(false);
    expect(await phones.sealLegacy()).toEqual({ sealed: 0, skipped: 0 });

    // A new number is not verified (the trigger, whoever writes it)...
    await db.prisma.user.update({ where: { id: legacy }, data: phones.columns(legacy, '+14155550112') });
    expect((await rawUser(legacy)).phone_verified_at).toBeNull();
    // ...nor is a number moved from the clear to a hash by anything but the sealing (no marker).
    const other = randomUUID();
    await userWithWallet('other', { id: other });
    await owner(`UPDATE users SET legacy_phone = '+14155550113' WHERE id = $1::uuid`, [other]);
    await owner(`UPDATE users SET phone_verified_at = now() WHERE id = $1::uuid`, [other]);
    const columns = phones.columns(other, '+14155550114');
    await owner(`UPDATE users SET legacy_phone = NULL, phone_hash = $2, phone_sealed = $3 WHERE id = $1::uuid`, [
      other,
      columns.phoneHash,
      columns.phoneSealed,
    ]);
    expect((await rawUser(other)).phone_verified_at).toBeNull();
  });

  it('re-encrypts sealed numbers under the newest key; the hash stays', async () => {
    const before = phonesUnder([OLD]);
    const id = randomUUID();
    await userWithWallet('rotating', { id, ...before.columns(id, '+14155550121') });
    const after = phonesUnder([OLD, NEW]);
    expect(await after.rotate({ batchSize: 2 })).toBeGreaterThanOrEqual(1);
    const row = await rawUser(id);
    expect(row.phone_sealed).toMatch(/^sv1\.new\./);
    expect(row.phone_hash).toBe(before.digest('+14155550121'));
    expect(phonesUnder([NEW]).of({ id, phoneSealed: row.phone_sealed as string, legacyPhone: null })).toBe('+14155550121');
    expect(await after.rotate()).toBe(0);
  });
});

describe('recipients senders typed, at rest', () => {
  it('seals those kept in the clear and re-encrypts older ones, through the ledger function only', async () => {
    const sender = await userWithWallet('sender');
    const recipient = await userWithWallet('recipient');
    const old = createSealedValues({ dataKeys: [OLD] });
    const insert = async (metadata: unknown) =>
      (
        await owner<{ id: string }>(
          `INSERT INTO ledger_transactions (type, status, currency, amount, from_wallet_id, to_wallet_id, initiated_by, metadata)
           VALUES ('P2P_TRANSFER', 'POSTED', 'USD', 100, $1::uuid, $2::uuid, $3::uuid, $4::jsonb) RETURNING id::text`,
          [sender.walletId, recipient.walletId, sender.id, JSON.stringify(metadata)],
        )
      )[0]!.id;
    const clear = await insert({ recipient: { phone: '+14155550131' } });
    const sealedOld = await insert({ recipient: sealRecipient(old, sender.id, { email: 'typed@example.com' }) });
    const none = await insert({ reason: 'nothing typed' });

    // The server's role may not write the ledger's rows itself (on PostgreSQL: the embedded database
    // serves every connection as its login user, database.ts).
    if (usingPostgres)
      await expect(db.sql.query(`UPDATE ledger_transactions SET metadata = '{}' WHERE id = $1::uuid`, [clear])).rejects.toThrow(
        /permission denied/,
      );

    const both = createSealedValues({ dataKeys: [OLD, NEW] });
    const counts = await resealRecipients(db.sql, both, { batchSize: 1 });
    expect(counts).toEqual({ sealed: 1, rotated: 1 });
    const rows = await owner<{ id: string; metadata: { recipient?: unknown }; text: string }>(
      'SELECT id::text, metadata, metadata::text AS text FROM ledger_transactions WHERE id = ANY($1::uuid[])',
      [[clear, sealedOld, none]],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(clear)!.text).not.toContain('4155550131');
    expect(byId.get(sealedOld)!.text).not.toContain('typed@example.com');
    expect(byId.get(clear)!.metadata.recipient).toMatch(/^sv1\.new\./);
    expect(byId.get(sealedOld)!.metadata.recipient).toMatch(/^sv1\.new\./);
    expect(byId.get(none)!.metadata).toEqual({ reason: 'nothing typed' });
    const latest = createSealedValues({ dataKeys: [NEW] });
    expect(openRecipient(latest, sender.id, byId.get(clear)!.metadata.recipient)).toEqual({ phone: '+14155550131' });
    expect(openRecipient(latest, sender.id, byId.get(sealedOld)!.metadata.recipient)).toEqual({ email: 'typed@example.com' });
    // Bound to the sender: opened for anyone else it fails.
    expect(() => openRecipient(latest, recipient.id, byId.get(clear)!.metadata.recipient)).toThrow(VaultError);
    expect(await resealRecipients(db.sql, both)).toEqual({ sealed: 0, rotated: 0 });
    // The function replaces a recipient only by a sealed value.
    await expect(
      db.sql.query('SELECT ledger_reseal_recipients($1::uuid[], $2::jsonb[], $3::text[])', [[none], ['null'], ['in the clear']]),
    ).rejects.toThrow(/only sealed values/);
  });
});
