// The tamper-evident audit log: security and admin events are recorded where they happen (with
// ids, never personal data), admins read them with filters and users cannot, the database refuses
// to change a row (WL004; the server's role may not even try), and a row changed, removed or
// inserted behind the application's back (a superuser disabling the triggers) breaks the HMAC
// chain where it happened: verify and `npm run audit:verify` name that row.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { decodeId } from '../helpers/globalIds.js';
import { credit, signInAdmin, signUpUser } from '../helpers/people.js';
import { withClient } from '../helpers/scratchDatabase.js';
import { usingPostgres } from '../helpers/testDatabase.js';
import { asOwner, startTestServer, TEST_VAULT_FINGERPRINT_KEY, type TestServer } from '../helpers/testServer.js';

const ADMIN = { email: 'audit.admin@example.com', password: 'Audit-Keeper-2026!' };

const AuEvents = graphql(`
  query AuEvents($filter: AuditEventFilter, $first: Int, $after: String) {
    auditEvents(filter: $filter, first: $first, after: $after) {
      edges { cursor node { id kind createdAt ip actor { id } subject { id } details { name value } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);
const AuNode = graphql(`query AuNode($id: ID!) { node(id: $id) { ... on AuditEvent { id kind } } }`);
const AuSignIn = graphql(`mutation AuSignIn($input: SignInInput!) { signIn(input: $input) { userErrors { code } } }`);
const AuFreeze = graphql(`
  mutation AuFreeze($input: AdminSetWalletStatusInput!) { adminSetWalletStatus(input: $input) { userErrors { code } } }
`);

let t: TestServer;
let admin: string;
beforeAll(async () => {
  t = await startTestServer({ BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password });
  admin = await signInAdmin(t, ADMIN);
});
afterAll(async () => {
  await t?.stop();
});

const events = async (filter: Record<string, unknown>, first = 50) =>
  (await t.query(AuEvents, { filter, first }, { token: admin })).auditEvents.edges.map((e) => e.node);
const detailsOf = (e: { details: { name: string; value: string }[] }) => Object.fromEntries(e.details.map((d) => [d.name, d.value]));

describe('what is recorded', () => {
  it('sign-up, sign-in and failed sign-ins (the address only as a keyed hash), admin actions, with actor and subject', async () => {
    const user = await signUpUser(t, { label: 'au' });
    const userGid = (await t.query(AuEvents, { filter: { kind: 'auth.sign_up' }, first: 1 }, { token: admin })).auditEvents.edges[0]!.node
      .actor!.id;
    expect(decodeId(userGid)).toBe(user.userId);
    expect((await t.query(AuSignIn, { input: { email: user.email, password: 'not-the-password-1' } })).signIn.userErrors[0]?.code).toBe(
      'INVALID_CREDENTIALS',
    );
    const unknown = `nobody-${randomUUID()}@example.com`;
    await t.query(AuSignIn, { input: { email: unknown, password: 'whatever-it-is-1' } });
    await credit(t, admin, user.walletId, '12.34');
    await t.query(AuFreeze, { input: { walletId: user.walletId, status: 'FROZEN' } }, { token: admin });

    const mine = await events({ subjectId: userGid });
    expect(mine.map((e) => e.kind)).toEqual(['admin.wallet_status_set', 'admin.balance_adjusted', 'auth.sign_in_failed']);
    const [frozen, adjusted, failed] = mine;
    expect(detailsOf(frozen!)).toEqual({ walletId: decodeId(user.walletId), status: 'FROZEN' });
    expect(detailsOf(adjusted!)).toMatchObject({ direction: 'CREDIT', amount: '1234', currency: 'USD' });
    expect(adjusted!.actor!.id).not.toBe(userGid);
    expect(detailsOf(failed!)).toMatchObject({ knownUser: 'true', email: expect.stringMatching(/^[0-9a-f]{32}$/) });
    // A failed sign-in for an address nobody has: no subject, the address never stored as such.
    const [anonymous] = await events({ kind: 'auth.sign_in_failed' }, 1);
    expect(anonymous!.subject).toBeNull();
    expect(detailsOf(anonymous!).knownUser).toBe('false');
    const everything = JSON.stringify(await t.server.db.prisma.auditEvent.findMany({ select: { kind: true, ip: true, details: true } }));
    expect(everything).not.toContain(unknown);
    expect(everything).not.toContain(user.email);
    // Filters and pages.
    const signIns = await events({ kind: 'auth.sign_in' });
    expect(signIns.length).toBeGreaterThan(0);
    expect(signIns.every((e) => e.kind === 'auth.sign_in')).toBe(true);
    const page = (await t.query(AuEvents, { first: 2 }, { token: admin })).auditEvents;
    const next = (await t.query(AuEvents, { first: 2, after: page.pageInfo.endCursor }, { token: admin })).auditEvents;
    expect(BigInt(decodeId(next.edges[0]!.node.id))).toBeLessThan(BigInt(decodeId(page.edges[1]!.node.id)));
    // An admin loads one by id; a user neither lists nor loads them.
    expect((await t.query(AuNode, { id: frozen!.id }, { token: admin })).node).toEqual({ id: frozen!.id, kind: 'admin.wallet_status_set' });
    expect((await t.query(AuNode, { id: frozen!.id }, { token: user.token })).node).toBeNull();
    const refused = await t.request(AuEvents, { first: 1 }, { token: user.token });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('tampering', () => {
  it('the database refuses to change, delete or truncate an event (WL004)', async () => {
    await signUpUser(t, { label: 'au-tamper' });
    for (const statement of [
      "UPDATE audit_events SET kind = 'x' WHERE id = 1",
      'DELETE FROM audit_events WHERE id = 1',
      'TRUNCATE audit_events',
    ]) {
      await expect(asOwner(t, statement), statement).rejects.toMatchObject({ code: 'WL004' });
    }
  });

  it.runIf(usingPostgres)('the server role may not even try to change or delete one (42501)', async () => {
    const asApp = (text: string) =>
      withClient(`${t.server.db.url}${t.server.db.url.includes('?') ? '&' : '?'}options=-c%20role%3Dwallet_app`, (c) => c.query(text));
    for (const statement of ["UPDATE audit_events SET kind = 'x' WHERE id = 1", 'DELETE FROM audit_events WHERE id = 1']) {
      await expect(asApp(statement), statement).rejects.toMatchObject({ code: '42501' });
    }
  });

  it('an event changed, removed or inserted behind its back breaks the chain there, and verify names it', async () => {
    for (let i = 0; i < 3; i++) await signUpUser(t, { label: 'au-chain' });
    expect(await t.server.services.audit.verify()).toMatchObject({ broken: null });
    const [{ max }] = (await t.server.db.prisma.$queryRaw<{ max: bigint }[]>`SELECT max(id) AS max FROM audit_events`) as [{ max: bigint }];
    const victim = max - 2n;
    // A superuser with the triggers off, as the application could not.
    const behindItsBack = (sql: string) =>
      asOwner(t, `ALTER TABLE audit_events DISABLE TRIGGER USER; ${sql}; ALTER TABLE audit_events ENABLE TRIGGER USER`);

    await behindItsBack(`UPDATE audit_events SET ip = '10.9.9.9' WHERE id = ${victim}`);
    expect((await t.server.services.audit.verify()).broken).toEqual({ id: victim, problem: expect.stringContaining('was changed') });
    if (usingPostgres) {
      // The script says the same and exits 1.
      const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/auditVerify.ts'], {
        env: { ...process.env, DATABASE_URL: t.server.db.url, VAULT_FINGERPRINT_KEY: TEST_VAULT_FINGERPRINT_KEY, LOG_LEVEL: 'silent' },
      }).then(
        () => ({ code: 0, stderr: '' }),
        (err: { code: number; stderr: string }) => err,
      );
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`The audit log is broken at event ${victim}: it was changed after it was written`);
    }

    await behindItsBack(`DELETE FROM audit_events WHERE id = ${victim}`);
    expect((await t.server.services.audit.verify()).broken).toEqual({ id: victim, problem: expect.stringContaining('is missing') });

    // Put back as a forgery: without the key, its hash cannot fit.
    await behindItsBack(
      `INSERT INTO audit_events SELECT ${victim}, now(), 'auth.sign_in', NULL, NULL, NULL, '{}', hash, sha256(hash) FROM audit_events WHERE id = ${victim - 1n}`,
    );
    expect((await t.server.services.audit.verify()).broken).toEqual({ id: victim, problem: expect.stringContaining('was changed') });
  });
});
