// The ledger's integrity proof: sealed entries are verified, the seals and digests cannot be
// edited (WL005), and an entry changed, removed or inserted behind the application's back (a
// superuser with the triggers off) is named by verify and by `npm run ledger:verify` (exit 1).
// Entries newer than the margin are left for the next run, never sealed early.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credit, signInAdmin, signUpUser } from '../helpers/people.js';
import { usingPostgres } from '../helpers/testDatabase.js';
import { asOwner, startTestServer, TEST_VAULT_FINGERPRINT_KEY, type TestServer } from '../helpers/testServer.js';

const ADMIN = { email: 'seals.admin@example.com', password: 'Seal-Keeper-2026!' };

let t: TestServer;
let admin: string;
beforeAll(async () => {
  t = await startTestServer({ BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password });
  admin = await signInAdmin(t, ADMIN);
});
afterAll(async () => {
  await t?.stop();
});

const seals = () => t.server.services.ledgerSeals;
const entryIds = async () =>
  (await t.server.db.prisma.$queryRaw<{ id: bigint }[]>`SELECT id FROM ledger_entries ORDER BY id`).map((r) => r.id);
/** As a superuser would: with the ledger's triggers off. */
const behindItsBack = (sql: string) =>
  asOwner(t, `ALTER TABLE ledger_entries DISABLE TRIGGER USER; ${sql}; ALTER TABLE ledger_entries ENABLE TRIGGER USER`);

async function someEntries(n: number) {
  const user = await signUpUser(t, { label: 'seal' });
  for (let i = 0; i < n; i++) await credit(t, admin, user.walletId, `${i + 1}.00`);
}

describe('sealing', () => {
  it('seals entries older than the margin only, in batches, and verify finds them intact', async () => {
    await someEntries(3);
    expect(await seals().seal({ olderThanSeconds: 3600 })).toBe(0);
    const before = await entryIds();
    expect(await seals().seal({ olderThanSeconds: 0, batch: 2 })).toBe(before.length);
    expect((await t.server.db.prisma.ledgerSeal.findMany()).length).toBe(Math.ceil(before.length / 2));
    await someEntries(1);
    expect(await seals().verify()).toEqual({ checked: before.length, unsealed: 2, broken: null });
    expect(await seals().seal({ olderThanSeconds: 0 })).toBe(2);
    expect((await seals().verify()).broken).toBeNull();
  });

  it('refuses any edit of a seal or a digest (WL005)', async () => {
    for (const statement of ['UPDATE ledger_seals SET entries = 0', 'DELETE FROM ledger_entry_digests', 'TRUNCATE ledger_seals']) {
      await expect(asOwner(t, statement), statement).rejects.toMatchObject({ code: 'WL005' });
    }
  });
});

describe('tampering behind the application', () => {
  it('names an entry changed, removed or inserted after it was sealed', async () => {
    await someEntries(3);
    // A gap in the ids (as a rolled-back posting leaves): the place a forged entry would go.
    await asOwner(t, "SELECT setval('ledger_entries_id_seq', (SELECT max(id) FROM ledger_entries) + 5)");
    await someEntries(2);
    await seals().seal({ olderThanSeconds: 0 });
    expect((await seals().verify()).broken).toBeNull();
    const ids = await entryIds();
    const victim = ids[ids.length - 6]!;

    await behindItsBack(`UPDATE ledger_entries SET amount = amount + 100, balance_after = balance_after + 100 WHERE id = ${victim}`);
    expect((await seals().verify()).broken).toEqual({ entryId: victim, problem: expect.stringContaining('was changed') });
    if (usingPostgres) {
      const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/ledgerVerify.ts'], {
        env: { ...process.env, DATABASE_URL: t.server.db.url, VAULT_FINGERPRINT_KEY: TEST_VAULT_FINGERPRINT_KEY },
      }).then(
        () => ({ code: 0, stderr: '' }),
        (err: { code: number; stderr: string }) => err,
      );
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`The ledger was altered at entry ${victim}: it was changed after it was sealed`);
    }
    await behindItsBack(`UPDATE ledger_entries SET amount = amount - 100, balance_after = balance_after - 100 WHERE id = ${victim}`);
    expect((await seals().verify()).broken).toBeNull();

    // Removed: the row goes, and the rows after it are left as they were.
    const removed = await t.server.db.prisma.$queryRaw<Record<string, unknown>[]>`SELECT * FROM ledger_entries WHERE id = ${victim}`;
    await behindItsBack(`DELETE FROM ledger_entries WHERE id = ${victim}`);
    expect((await seals().verify()).broken).toEqual({ entryId: victim, problem: 'was removed after it was sealed' });
    const r = removed[0]!;
    await behindItsBack(
      `INSERT INTO ledger_entries (id, transaction_id, wallet_id, currency, amount, balance_after, sequence, created_at)
       VALUES (${victim}, '${r.transaction_id}', '${r.wallet_id}', '${String(r.currency).trim()}', ${r.amount}, ${r.balance_after}, ${r.sequence}, '${(r.created_at as Date).toISOString()}')`,
    );
    expect((await seals().verify()).broken).toBeNull();

    // Inserted into the gap, a range already sealed.
    const gap = ids.find((id, i) => i > 0 && id - ids[i - 1]! > 1n)! - 1n;
    await behindItsBack(
      `INSERT INTO ledger_entries (id, transaction_id, wallet_id, currency, amount, balance_after, sequence, created_at)
       SELECT ${gap}, transaction_id, wallet_id, currency, 1, balance_after, sequence + 1000, created_at FROM ledger_entries WHERE id = ${victim}`,
    );
    expect((await seals().verify()).broken).toEqual({ entryId: gap, problem: 'was inserted after its range was sealed' });
  });
});
