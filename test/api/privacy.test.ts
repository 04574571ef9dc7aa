// GDPR end to end (issue 18, part 6) against a running server: exportMyData's link gives one JSON
// document with every kind of data held about the user and nothing of anyone else's, for the
// session that asked only; deleteMyAccount is refused while money is left, then erases: the
// database (every text, JSON and byte column, as a dump would show it) holds the user's email,
// phone and names nowhere, their live subscription ends, the counterparty's history and retries
// still work, and the ledger still balances.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLedger } from '../../src/services/ledger/audit.js';
import { graphql } from '../gql/index.js';
import { findInDatabase, literally } from '../helpers/databaseScan.js';
import { withClient } from '../helpers/scratchDatabase.js';
import { addVerifiedPhone, credit, signInAdmin, signUpUser, uniquePhone, type TestUser } from '../helpers/people.js';
import { STRONG_PASSWORD, startTestServer, type TestServer } from '../helpers/testServer.js';
import { connectWs } from '../helpers/wsClient.js';

const ADMIN = { email: 'privacy.admin@example.com', password: 'Privacy-Admin-2026!' };
const ERIN_NAME = 'Erin Quinby-Erasable';
const ERIN_LEGAL_NAME = 'Erin Marguerite Quinby-Erasable';
const BOB_NAME = 'Bob Keeps-His-Data';

const PrExport = graphql(`mutation PrExport { exportMyData { downloadUrl expiresAt userErrors { code message } } }`);
const PrDelete = graphql(`
  mutation PrDelete($input: DeleteMyAccountInput!) { deleteMyAccount(input: $input) { erasedAt userErrors { field code message } } }
`);
const PrSend = graphql(`
  mutation PrSend($input: SendMoneyInput!) {
    sendMoney(input: $input) { transfer { id counterparty { displayName email phone } } replayed userErrors { code message } }
  }
`);
const PrAddCard = graphql(
  `mutation PrAddCard($input: AddCardInput!) { addCard(input: $input) { paymentMethod { id } userErrors { code message } } }`,
);
const PrKyc = graphql(
  `mutation PrKyc($input: SubmitKycInput!) { submitKyc(input: $input) { kycCase { id } userErrors { code message } } }`,
);
const PrKycStatus = graphql(`query PrKycStatus { kycStatus { latestCase { status } } }`);
const PrSignIn = graphql(`
  mutation PrSignIn($input: SignInInput!) { signIn(input: $input) { tokens { accessToken } userErrors { code } } }
`);
const PrHistory = graphql(`
  query PrHistory($walletId: ID!) { transactions(walletId: $walletId, first: 20) { edges { node { counterparty { displayName email phone } } } } }
`);
const PrBalance = graphql(`query PrBalance { me { wallets { id balance { available { amount } } } } }`);
const PrWalletUpdated = graphql(`subscription PrWalletUpdated($walletId: ID!) { walletUpdated(walletId: $walletId) { sequence } }`);

let t: TestServer;
let adminToken: string;
let erin: TestUser & { phone: string };
let bob: TestUser & { phone: string };
const bobToErinByEmail = randomUUID();

const send = (from: TestUser, recipient: Record<string, string>, amount: string, idempotencyKey = randomUUID()) =>
  t.query(PrSend, { input: { recipient, amount: { amount, currency: 'USD' }, idempotencyKey } }, { token: from.token });

beforeAll(async () => {
  t = await startTestServer({ BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password });
  adminToken = await signInAdmin(t, ADMIN);
  // Erin: a verified email (which steps her session up) and phone, a card, a KYC case, money in and out.
  erin = { ...(await signUpUser(t, { label: 'erin', displayName: ERIN_NAME, steppedUp: true })), phone: uniquePhone() };
  await addVerifiedPhone(t, erin.token, erin.phone);
  bob = { ...(await signUpUser(t, { label: 'bob', displayName: BOB_NAME, steppedUp: true })), phone: uniquePhone() };
  await addVerifiedPhone(t, bob.token, bob.phone);
  const card = await t.query(
    PrAddCard,
    { input: { number: '4242424242424242', expMonth: 12, expYear: 2031, cvc: '123', holderName: ERIN_LEGAL_NAME } },
    { token: erin.token },
  );
  expect(card.addCard.userErrors).toEqual([]);
  const kyc = await t.query(
    PrKyc,
    {
      input: {
        level: 'TIER_1',
        legalName: ERIN_LEGAL_NAME,
        dateOfBirth: '1988-03-14',
        address: { line1: '7 Forgetting Lane', city: 'Oblivion', postalCode: 'OB1 1GN', country: 'GB' },
      },
    },
    { token: erin.token },
  );
  expect(kyc.submitKyc.userErrors).toEqual([]);
  for (let i = 0; ; i++) {
    if ((await t.query(PrKycStatus, {}, { token: erin.token })).kycStatus.latestCase?.status !== 'PENDING') break;
    if (i > 300) throw new Error('the KYC case stayed PENDING');
    await new Promise((r) => setTimeout(r, 20));
  }
  await credit(t, adminToken, bob.walletId, '100.00');
  // Bob pays Erin by email and by phone (the ledger keeps what he typed), Erin pays Bob by wallet.
  expect((await send(bob, { email: erin.email }, '10.00', bobToErinByEmail)).sendMoney.userErrors).toEqual([]);
  expect((await send(bob, { phone: erin.phone }, '5.00')).sendMoney.userErrors).toEqual([]);
  expect((await send(erin, { walletId: bob.walletId }, '3.00')).sendMoney.userErrors).toEqual([]);
});
afterAll(async () => t?.stop());

describe('exportMyData', () => {
  it('links to one JSON document with every kind of data about the user, and nothing of anyone else', async () => {
    const { exportMyData } = await t.query(PrExport, {}, { token: erin.token });
    expect(exportMyData.userErrors).toEqual([]);
    const url = new URL(exportMyData.downloadUrl!);
    expect(url.origin).toBe(t.origin);
    expect(new Date(exportMyData.expiresAt!).getTime()).toBeGreaterThan(Date.now());

    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="wallet-data-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const text = await res.text();
    const archive = JSON.parse(text);

    expect(archive.format).toBe('wallet-data-export/1');
    expect(archive.profile).toMatchObject({ email: erin.email, displayName: ERIN_NAME, phone: erin.phone, mfa: { enabled: false } });
    expect(archive.wallets).toEqual([expect.objectContaining({ currency: 'USD', postedBalance: '1200' })]);
    const entries = archive.ledgerEntries as { amount: string; counterparty: string; recipientAsEntered: unknown }[];
    expect(entries.map((e) => [e.amount, e.counterparty])).toEqual([
      ['1000', BOB_NAME],
      ['500', BOB_NAME],
      ['-300', BOB_NAME],
    ]);
    expect(archive.paymentMethods).toEqual([expect.objectContaining({ kind: 'CARD', last4: '4242', holderName: ERIN_LEGAL_NAME })]);
    expect(archive.kycCases).toEqual([
      expect.objectContaining({
        level: 'TIER_1',
        identity: expect.objectContaining({ legalName: ERIN_LEGAL_NAME, dateOfBirth: '1988-03-14' }),
        decisions: expect.arrayContaining([expect.objectContaining({ byAdmin: false })]),
      }),
    ]);
    expect(archive.sessions.length).toBeGreaterThanOrEqual(1);
    const kinds = (archive.auditEvents as { kind: string }[]).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['auth.sign_up', 'auth.contact_verified', 'account.data_exported']));
    // Her verification codes went by email and SMS: the messages are listed, their codes are not.
    expect(archive.messagesSent).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channel: 'EMAIL', kind: 'email_verification', status: 'SENT' }),
        expect.objectContaining({ channel: 'SMS', kind: 'phone_verification', status: 'SENT' }),
      ]),
    );
    // Her in-app notifications, with the facts they reported.
    expect(archive.notifications).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'MONEY_RECEIVED', facts: expect.objectContaining({ amount: '1000', counterparty: BOB_NAME }) }),
      ]),
    );
    for (const section of [
      'holds',
      'fundingOperations',
      'debts',
      'devices',
      'merchantMemberships',
      'merchantPayments',
      'riskReviews',
      'pushDevices',
    ])
      expect(Array.isArray(archive[section]), section).toBe(true);
    expect(archive.notIncluded.length).toBeGreaterThan(0);

    // Nothing of Bob's but the name Erin saw; no secret of Erin's either.
    for (const other of [bob.email, bob.phone, bob.userId]) expect(text).not.toContain(other);
    expect(text).not.toMatch(/vt_[A-Za-z0-9_-]{10}|\$argon2|4242424242424242/);
  });

  it('works for the session that asked only: refused once it is signed out, and refused when altered', async () => {
    const session = await t.query(PrSignIn, { input: { email: erin.email, password: STRONG_PASSWORD } });
    const token = session.signIn.tokens!.accessToken;
    // A new session has not proved a second factor yet.
    expect((await t.query(PrExport, {}, { token })).exportMyData.userErrors[0]?.code).toBe('STEP_UP_REQUIRED');

    const { exportMyData } = await t.query(PrExport, {}, { token: erin.token });
    const url = exportMyData.downloadUrl!;
    const altered = url.slice(0, -3) + (url.endsWith('aaa') ? 'bbb' : 'aaa');
    expect((await fetch(altered)).status).toBe(403);
    expect((await fetch(`${t.origin}/downloads/my-data`)).status).toBe(400);
    expect((await fetch(url, { method: 'HEAD' })).status).toBe(200);
  });
});

describe('deleteMyAccount', () => {
  it('is refused without a recent second factor, with the wrong password or with money left, changing nothing', async () => {
    const fresh = (await t.query(PrSignIn, { input: { email: erin.email, password: STRONG_PASSWORD } })).signIn.tokens!.accessToken;
    const unproven = await t.query(PrDelete, { input: { password: STRONG_PASSWORD } }, { token: fresh });
    expect(unproven.deleteMyAccount.userErrors[0]?.code).toBe('STEP_UP_REQUIRED');
    const wrong = await t.query(PrDelete, { input: { password: 'not-the-password-1' } }, { token: erin.token });
    expect(wrong.deleteMyAccount.userErrors).toEqual([
      expect.objectContaining({ code: 'INVALID_CREDENTIALS', field: ['input', 'password'] }),
    ]);
    const withMoney = await t.query(PrDelete, { input: { password: STRONG_PASSWORD } }, { token: erin.token });
    expect(withMoney.deleteMyAccount).toMatchObject({ erasedAt: null, userErrors: [{ code: 'ACCOUNT_NOT_EMPTY' }] });
    expect(withMoney.deleteMyAccount.userErrors[0]!.message).toContain('USD wallet is not empty');
    expect((await t.query(PrBalance, {}, { token: erin.token })).me.wallets[0]!.balance.available.amount).toBe('12.00');
  });

  it('erases: nothing of the user is left in any column, their subscription ends, the ledger and the counterparty are intact', async () => {
    const ws = connectWs(t.wsUrl, `Bearer ${erin.token}`);
    await ws.connected;
    ws.subscribe(PrWalletUpdated, { walletId: erin.walletId });
    expect((await send(erin, { walletId: bob.walletId }, '12.00')).sendMoney.userErrors).toEqual([]);

    // The search finds what is there: before, her email is in users. Not in the ledger's metadata,
    // where Bob's typing of it is sealed (decision 63), which the erasure strips all the same (below).
    const before = (await findInDatabase(t, [literally(erin.email)])).found.map((f) => f.column);
    expect(before).toContain('"public"."users"."email"');
    expect(before).not.toContain('"public"."ledger_transactions"."metadata"');
    const typedFor = async () =>
      withClient(t.server.db.url, async (c) =>
        Number(
          (
            await c.query(
              `SELECT count(*) AS n FROM ledger_transactions t JOIN wallets w ON w.id IN (t.from_wallet_id, t.to_wallet_id)
               WHERE w.user_id = $1::uuid AND t.metadata ? 'recipient'`,
              [erin.userId],
            )
          ).rows[0].n,
        ),
      );
    expect(await typedFor()).toBeGreaterThan(0);

    const { deleteMyAccount } = await t.query(PrDelete, { input: { password: STRONG_PASSWORD } }, { token: erin.token });
    expect(deleteMyAccount.userErrors).toEqual([]);
    expect(new Date(deleteMyAccount.erasedAt!).getTime()).toBeLessThanOrEqual(Date.now());
    expect((await ws.closed).code).toBe(4401);

    // A dump of the database holds none of it: not the email, phone, name, legal name or address.
    const patterns = [erin.email, erin.phone, ERIN_NAME, ERIN_LEGAL_NAME, 'Forgetting Lane'].map(literally);
    const { found, columnsSearched } = await findInDatabase(t, patterns);
    expect(columnsSearched).toBeGreaterThan(20);
    expect(found).toEqual([]);
    expect(await typedFor()).toBe(0);

    // Gone for good: no sign-in, no token.
    const again = await t.query(PrSignIn, { input: { email: erin.email, password: STRONG_PASSWORD } });
    expect(again.signIn.userErrors[0]?.code).toBe('INVALID_CREDENTIALS');
    expect((await t.request(PrBalance, {}, { token: erin.token })).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    // Bob's history keeps the money, under a pseudonym; his retry replays and moves nothing.
    const history = await t.query(PrHistory, { walletId: bob.walletId }, { token: bob.token });
    const names = history.transactions.edges.map((e) => e.node.counterparty?.displayName);
    expect(names).not.toContain(ERIN_NAME);
    expect(names).toContain('Erased user');
    const replay = await send(bob, { email: erin.email }, '10.00', bobToErinByEmail);
    expect(replay.sendMoney.replayed).toBe(true);
    expect(replay.sendMoney.transfer!.counterparty.displayName).toBe('Erased user');
    expect((await t.query(PrBalance, {}, { token: bob.token })).me.wallets[0]!.balance.available.amount).toBe('100.00');

    const audit = await auditLedger(t.server.db.prisma);
    expect(audit.problems).toEqual([]);
    expect(audit.ok).toBe(true);
  });
});

describe('retention', () => {
  it('deletes what has reached its end, oldest first, and keeps the rest', async () => {
    const owner = (text: string, values: unknown[] = []) => withClient(t.server.db.url, async (c) => (await c.query(text, values)).rows);
    // Two ended sessions of Bob's: one ended 500 days ago (SESSION_RETENTION_DAYS is 400), one now.
    const signIn = async () => (await t.query(PrSignIn, { input: { email: bob.email, password: STRONG_PASSWORD } })).signIn;
    expect((await signIn()).userErrors).toEqual([]);
    expect((await signIn()).userErrors).toEqual([]);
    const aged = await owner(
      `UPDATE sessions SET revoked_at = now() - make_interval(days => d.days), created_at = now() - make_interval(days => d.days + 1)
       FROM (SELECT id, row_number() OVER (ORDER BY created_at DESC) AS i FROM sessions WHERE user_id = $1::uuid) s,
            (VALUES (1, 500), (2, 0)) AS d (i, days)
       WHERE sessions.id = s.id AND s.i = d.i RETURNING sessions.id::text, d.days`,
      [bob.userId],
    );
    const old = aged.find((r) => r.days === 500)!;
    const recent = aged.find((r) => r.days === 0)!;
    // Bob's messages (his verification code) sent 100 days ago (MESSAGE_RETENTION_DAYS is 90).
    await owner(`UPDATE notification_messages SET created_at = now() - interval '100 days' WHERE user_id = $1::uuid`, [bob.userId]);
    await owner(`UPDATE sandbox.messages SET received_at = now() - interval '100 days' WHERE recipient = $1`, [bob.email]);
    // Bob's oldest notification (a payment from Erin) made 500 days ago (NOTIFICATION_RETENTION_DAYS is 400).
    const bobsNotifications = (
      await owner('SELECT id::text FROM notifications WHERE user_id = $1::uuid ORDER BY created_at', [bob.userId])
    ).map((r) => r.id as string);
    expect(bobsNotifications.length).toBeGreaterThanOrEqual(2);
    await owner(`UPDATE notifications SET created_at = now() - interval '500 days' WHERE id = $1::uuid`, [bobsNotifications[0]]);
    // Erin's KYC identity, kept sealed after her erasure, reaches its end.
    await owner(`UPDATE vault.secrets SET destroy_after = now() - interval '1 second' WHERE owner_id = $1::uuid`, [erin.userId]);

    const deleted = await t.server.services.retention.run();
    expect(deleted).toMatchObject({
      'ended sessions': expect.any(Number),
      'personal data kept after erasure': 1,
      'sent or abandoned messages': expect.any(Number),
      "the sandbox providers' messages": expect.any(Number),
      'in-app notifications': 1,
    });
    const notificationsLeft = (
      await owner('SELECT id::text FROM notifications WHERE user_id = $1::uuid ORDER BY created_at', [bob.userId])
    ).map((r) => r.id as string);
    expect(notificationsLeft).toEqual(bobsNotifications.slice(1));
    const sessions = (await owner('SELECT id::text FROM sessions WHERE id = ANY($1::uuid[])', [[old.id, recent.id]])).map((r) => r.id);
    expect(sessions).toEqual([recent.id]);
    expect(await owner('SELECT 1 FROM notification_messages WHERE user_id = $1::uuid', [bob.userId])).toEqual([]);
    expect(await owner('SELECT 1 FROM vault.secrets WHERE owner_id = $1::uuid', [erin.userId])).toEqual([]);
    // Her case reads as destroyed, rather than failing to open.
    const [kycCase] = await t.server.db.prisma.kycCase.findMany({ where: { userId: erin.userId } });
    expect(kycCase!.identityToken).toBe('destroyed');
    expect((await t.server.services.kyc.identities([kycCase!]))[0]).toMatchObject({ legalName: 'Erased user', document: null });
    // Nothing left to do: a second run deletes nothing.
    expect(await t.server.services.retention.run()).toEqual({});
  });
});
