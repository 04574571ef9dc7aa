// The token vault against a real database: encryption round trip, fingerprints, rotation to a
// new key with records under old and new keys (also through `npm run vault:rotate`), and failing
// closed on a missing key, a tampered ciphertext or a ciphertext moved to another record.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.js';
import { createSql, type Sql } from '../../src/db/sql.js';
import { createVault, VaultError, type VaultKey } from '../../src/services/vault/vault.js';
import { openRecipient, sealRecipient } from '../../src/services/history/sentRecipients.js';
import { createSealedValues } from '../../src/services/vault/sealedValues.js';
import { openScratchDatabase, type ScratchDatabase } from '../helpers/scratchDatabase.js';

const key = (id: string): VaultKey => ({ id, key: randomBytes(32) });
const fingerprintKey = randomBytes(32);
const OLD = key('old');
const NEW = key('new');
const PAN = '4242424242424242';

let db: ScratchDatabase;
let pool: pg.Pool;
let sql: Sql;

beforeAll(async () => {
  db = await openScratchDatabase();
  await migrate(db.url);
  pool = new pg.Pool({ connectionString: db.url, max: 1 });
  sql = createSql(pool, { named: false });
});
afterAll(async () => {
  await pool?.end();
  await db?.close();
});

const rowOf = async (token: string) =>
  (
    await sql.query<{ key_id: string; ciphertext: Buffer; iv: Buffer }>(
      'SELECT key_id, ciphertext, iv FROM vault.secrets WHERE token = $1',
      [token],
    )
  )[0]!;

describe('vault', () => {
  it('stores only ciphertext and gives the number back to whoever holds the token', async () => {
    const vault = createVault({ sql, keys: { dataKeys: [OLD], fingerprintKey } });
    const { token, fingerprint } = await vault.store('PAN', PAN);
    expect(token).toMatch(/^vt_[A-Za-z0-9_-]{24}$/);
    const row = await rowOf(token);
    expect(row.key_id).toBe('old');
    expect(row.ciphertext.toString('latin1')).not.toContain(PAN);
    expect(await vault.reveal(token, 'PAN')).toBe(PAN);
    // The same number always has the same fingerprint (keyed: not a plain hash of the number), another number another.
    expect(vault.fingerprint('PAN', PAN)).toBe(fingerprint);
    expect(fingerprint).not.toContain(PAN);
    expect(vault.fingerprint('PAN', '5555555555554444')).not.toBe(fingerprint);
    expect(vault.fingerprint('BANK_ACCOUNT', PAN)).not.toBe(fingerprint);
    // Two stores of one number are two records with different ciphertexts (random IVs).
    const second = await vault.store('PAN', PAN);
    expect((await rowOf(second.token)).ciphertext.equals(row.ciphertext)).toBe(false);
    // The token of one kind does not reveal as another.
    await expect(vault.reveal(token, 'BANK_ACCOUNT')).rejects.toBeInstanceOf(VaultError);
    await expect(vault.reveal('vt_unknownunknownunknown00', 'PAN')).rejects.toBeInstanceOf(VaultError);
  });

  it('rotates records under old keys to the newest, and reads both kinds meanwhile', async () => {
    const before = createVault({ sql, keys: { dataKeys: [OLD], fingerprintKey } });
    const olds = await Promise.all(Array.from({ length: 7 }, (_, i) => before.store('PAN', `400000000000${String(i).padStart(4, '0')}`)));
    const during = createVault({ sql, keys: { dataKeys: [OLD, NEW], fingerprintKey } });
    const fresh = await during.store('BANK_ACCOUNT', '000123456789');
    expect((await rowOf(fresh.token)).key_id).toBe('new');
    expect(await during.reveal(olds[0]!.token, 'PAN')).toBe('4000000000000000');

    const progress: [number, number][] = [];
    const { rotated } = await during.rotate({ batchSize: 3, onProgress: (done, total) => progress.push([done, total]) });
    expect(rotated).toBeGreaterThanOrEqual(7);
    expect(progress[0]).toEqual([0, rotated]);
    expect(progress.at(-1)).toEqual([rotated, rotated]);
    const [left] = await sql.query<{ n: string }>("SELECT count(*) AS n FROM vault.secrets WHERE key_id <> 'new'", []);
    expect(Number(left!.n)).toBe(0);
    // The old key can go now: everything reads under the new one alone, fingerprints unchanged.
    const after = createVault({ sql, keys: { dataKeys: [NEW], fingerprintKey } });
    for (const [i, o] of olds.entries()) expect(await after.reveal(o.token, 'PAN')).toBe(`400000000000${String(i).padStart(4, '0')}`);
    expect(after.fingerprint('PAN', '4000000000000000')).toBe(olds[0]!.fingerprint);
    expect((await after.rotate()).rotated).toBe(0);
  });

  it('fails closed: a missing key, a wrong key, a tampered or moved ciphertext', async () => {
    const vault = createVault({ sql, keys: { dataKeys: [NEW], fingerprintKey } });
    const a = await vault.store('PAN', PAN);
    const b = await vault.store('PAN', '5555555555554444');
    await expect(createVault({ sql, keys: { dataKeys: [key('other')], fingerprintKey } }).reveal(a.token, 'PAN')).rejects.toThrow(
      /not in VAULT_KEYS/,
    );
    await expect(
      createVault({ sql, keys: { dataKeys: [{ id: 'new', key: randomBytes(32) }], fingerprintKey } }).reveal(a.token, 'PAN'),
    ).rejects.toThrow(/failed authentication/);
    // One flipped bit in the ciphertext.
    await sql.query('UPDATE vault.secrets SET ciphertext = set_byte(ciphertext, 0, get_byte(ciphertext, 0) # 1) WHERE token = $1', [
      a.token,
    ]);
    await expect(vault.reveal(a.token, 'PAN')).rejects.toThrow(/failed authentication/);
    // B's ciphertext, IV and tag copied onto A's record: bound to B's token, so refused.
    await sql.query(
      `UPDATE vault.secrets a SET iv = b.iv, ciphertext = b.ciphertext, auth_tag = b.auth_tag FROM vault.secrets b WHERE a.token = $1 AND b.token = $2`,
      [a.token, b.token],
    );
    await expect(vault.reveal(a.token, 'PAN')).rejects.toThrow(/failed authentication/);
    const failure = await vault.reveal(a.token, 'PAN').catch((e: Error) => e.message);
    expect(failure).not.toContain(PAN);
    // Rotation stops on a record it cannot read, before writing anything of its batch.
    const rotating = createVault({ sql, keys: { dataKeys: [NEW, key('newer')], fingerprintKey } });
    await expect(rotating.rotate()).rejects.toBeInstanceOf(VaultError);
  });

  it('reveals many records of one kind in one call, and fails closed if one is missing or of another kind', async () => {
    const vault = createVault({ sql, keys: { dataKeys: [OLD, NEW], fingerprintKey } });
    const a = await vault.store('PERSONAL', '{"legalName":"A"}', { ownerId: '00000000-0000-4000-8000-00000000000a' });
    const b = await vault.store('PERSONAL', '{"legalName":"B"}');
    const pan = await vault.store('PAN', PAN);
    const opened = await vault.revealMany([a.token, b.token, a.token], 'PERSONAL');
    expect(opened.size).toBe(2);
    expect(opened.get(a.token)).toBe('{"legalName":"A"}');
    expect(opened.get(b.token)).toBe('{"legalName":"B"}');
    expect((await vault.revealMany([], 'PERSONAL')).size).toBe(0);
    await expect(vault.revealMany([a.token, pan.token], 'PERSONAL')).rejects.toBeInstanceOf(VaultError);
    const [owner] = await sql.query<{ owner_id: string | null }>('SELECT owner_id::text FROM vault.secrets WHERE token = $1', [a.token]);
    expect(owner!.owner_id).toBe('00000000-0000-4000-8000-00000000000a');
  });

  it('`npm run vault:rotate` re-encrypts under the newest key and shows its progress', { timeout: 60_000 }, async () => {
    await sql.query('DELETE FROM vault.secrets', []);
    await createVault({ sql, keys: { dataKeys: [OLD], fingerprintKey } }).store('PAN', PAN);
    const keys = [OLD, NEW].map((k) => `${k.id}:${k.key.toString('base64')}`).join(',');
    const env = {
      ...process.env,
      DATABASE_URL: db.url,
      VAULT_KEYS: keys,
      VAULT_FINGERPRINT_KEY: fingerprintKey.toString('base64'),
      LOG_LEVEL: 'warn',
    };
    // A KYC case from before identities were sealed: its details in plain columns.
    const [user] = await sql.query<{ id: string }>(
      `INSERT INTO users (email, password_hash, display_name) VALUES ('legacy@example.com', 'x', 'Legacy') RETURNING id::text`,
      [],
    );
    const [legacy] = await sql.query<{ id: string }>(
      `INSERT INTO kyc_cases (user_id, level, legal_name, date_of_birth, address, document_type, document_country, document_last4, document_token)
       VALUES ($1::uuid, 'TIER_1', 'Grace Legacy Hopper', '1986-12-09', '{"line1":"1 Navy Yard","city":"Arlington","postalCode":"22202","country":"US"}',
               'PASSPORT', 'US', '0042', 'vt_legacy_document')
       RETURNING id::text`,
      [user!.id],
    );
    // A phone number and the recipients a sender typed, from before they were sealed (decision 63),
    // and one recipient sealed under the old key.
    await sql.query(`UPDATE users SET legacy_phone = '+14155550177' WHERE id = $1::uuid`, [user!.id]);
    await sql.query(`UPDATE users SET phone_verified_at = now() WHERE id = $1::uuid`, [user!.id]);
    const [other] = await sql.query<{ id: string }>(
      `INSERT INTO users (email, password_hash, display_name) VALUES ('other@example.com', 'x', 'Other') RETURNING id::text`,
      [],
    );
    const wallets = await sql.query<{ id: string }>(
      `INSERT INTO wallets (kind, user_id, currency) VALUES ('USER', $1::uuid, 'USD'), ('USER', $2::uuid, 'USD') RETURNING id::text`,
      [user!.id, other!.id],
    );
    const transaction = async (metadata: unknown) =>
      (
        await sql.query<{ id: string }>(
          `INSERT INTO ledger_transactions (type, status, currency, amount, from_wallet_id, to_wallet_id, initiated_by, metadata)
           VALUES ('P2P_TRANSFER', 'POSTED', 'USD', 100, $1::uuid, $2::uuid, $3::uuid, $4::jsonb) RETURNING id::text`,
          [wallets[0]!.id, wallets[1]!.id, user!.id, JSON.stringify(metadata)],
        )
      )[0]!.id;
    const typedPhone = await transaction({ recipient: { phone: '+14155550178' } });
    const typedEmail = await transaction({ recipient: { email: 'other@example.com' } });
    const sealedOld = await transaction({
      recipient: sealRecipient(createSealedValues({ dataKeys: [OLD] }), user!.id, { email: 'sealed.before@example.com' }),
    });

    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/vaultRotate.ts'], { env });
    expect(stdout).toContain('sealed 1 KYC identity kept in the clear into the vault.');
    expect(stdout).toContain('sealed 1 phone number(s) kept in the clear.');
    expect(stdout).toContain('sealed 2 recipient(s) senders typed, kept in the clear.');
    expect(stdout).toContain('1 value(s) sealed in rows now under key "new".');
    const [phoneRow] = await sql.query<Record<string, unknown>>('SELECT * FROM users WHERE id = $1::uuid', [user!.id]);
    expect(JSON.stringify(phoneRow)).not.toContain('4155550177');
    expect(phoneRow!.phone_sealed).toMatch(/^sv1\.new\./);
    expect(phoneRow!.phone_verified_at).not.toBeNull();
    const latest = createSealedValues({ dataKeys: [NEW] });
    const typed = await sql.query<{ id: string; metadata: { recipient: string }; text: string }>(
      'SELECT id::text, metadata, metadata::text AS text FROM ledger_transactions WHERE id = ANY($1::uuid[])',
      [[typedPhone, typedEmail, sealedOld]],
    );
    expect(typed.map((r) => r.text).join()).not.toMatch(/4155550178|other@example\.com|sealed\.before/);
    expect(Object.fromEntries(typed.map((r) => [r.id, openRecipient(latest, user!.id, r.metadata.recipient)]))).toEqual({
      [typedPhone]: { phone: '+14155550178' },
      [typedEmail]: { email: 'other@example.com' },
      [sealedOld]: { email: 'sealed.before@example.com' },
    });
    expect(stdout).toContain('re-encrypting under key "new": 1/1');
    expect(stdout).toContain('1 record(s) now under key "new".');
    const [sealed] = await sql.query<Record<string, unknown>>('SELECT * FROM kyc_cases WHERE id = $1::uuid', [legacy!.id]);
    expect(JSON.stringify(sealed)).not.toMatch(/Hopper|1986|Navy Yard|0042/);
    const identity = JSON.parse(
      await createVault({ sql, keys: { dataKeys: [OLD, NEW], fingerprintKey } }).reveal(sealed!.identity_token as string, 'PERSONAL'),
    );
    expect(identity).toEqual({
      legalName: 'Grace Legacy Hopper',
      dateOfBirth: '1986-12-09',
      address: { line1: '1 Navy Yard', city: 'Arlington', postalCode: '22202', country: 'US' },
      document: { type: 'PASSPORT', country: 'US', last4: '0042' },
    });
    const [secret] = await sql.query<{ owner_id: string; key_id: string }>(
      'SELECT owner_id::text, key_id FROM vault.secrets WHERE token = $1',
      [sealed!.identity_token],
    );
    expect(secret).toEqual({ owner_id: user!.id, key_id: 'new' });
    const again = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/vaultRotate.ts'], { env });
    expect(again.stdout).toContain('Every record is already under key "new".');
    expect(again.stdout).not.toContain('sealed');
    const [audit] = await sql.query<{ details: Record<string, unknown> }>(
      `SELECT details FROM audit_events WHERE kind = 'vault.rotated' ORDER BY id LIMIT 1`,
      [],
    );
    expect(audit!.details).toMatchObject({ phonesSealed: 1, phonesRotated: 0, recipientsSealed: 2, recipientsRotated: 1 });
  });
});
