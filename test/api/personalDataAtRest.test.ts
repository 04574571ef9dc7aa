// Phone numbers and the recipients senders typed, encrypted at rest (issue 18, part 7; decision
// 63), end to end over HTTP: the users row and the ledger row as stored hold no phone or email in
// the clear (read raw, as the tables' owner); sending by phone, PHONE_TAKEN and phone verification
// work through the keyed hash; history shows the sender (only) what they typed; and a number from
// before sealing is sealed by the server's start, keeping its verification.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { decodeId } from '../helpers/globalIds.js';
import { addVerifiedPhone, credit, signInAdmin, signUpUser, uniquePhone, type TestUser } from '../helpers/people.js';
import { asOwner, STRONG_PASSWORD, startTestServer, uniqueEmail, type TestServer } from '../helpers/testServer.js';

const ADMIN = { email: 'admin.at-rest@example.com', password: 'admin-Password-at-rest-1' };

const AtRestSignUp = graphql(`
  mutation AtRestSignUp($input: SignUpInput!) {
    signUp(input: $input) { user { id phone } tokens { accessToken } userErrors { field code } }
  }
`);
const AtRestProfile = graphql(`
  mutation AtRestProfile($input: UpdateProfileInput!) { updateProfile(input: $input) { user { phone } userErrors { field code } } }
`);
const AtRestSignIn = graphql(`mutation AtRestSignIn($input: SignInInput!) { signIn(input: $input) { tokens { accessToken } } }`);
const AtRestMe = graphql(`query AtRestMe { me { id phone phoneVerified } }`);
const AtRestSend = graphql(`
  mutation AtRestSend($input: SendMoneyInput!) {
    sendMoney(input: $input) { transfer { id counterparty { displayName email phone } } userErrors { field code message } }
  }
`);
const AtRestHistory = graphql(`
  query AtRestHistory($walletId: ID!) {
    transactions(walletId: $walletId, first: 10) { edges { node { id direction counterparty { displayName email phone } } } }
  }
`);

let t: TestServer;
let adminToken: string;

const rows = async <T = Record<string, unknown>>(text: string) => (await asOwner(t, text)) as { rows: T[] };
const rawUser = async (userId: string) => (await rows(`SELECT * FROM users WHERE id = '${userId}'`)).rows[0]!;
const rawTransaction = async (id: string) => (await rows(`SELECT * FROM ledger_transactions WHERE id = '${id}'`)).rows[0]!;
const uuidOf = decodeId;

async function phoneUser(label: string, phone: string): Promise<TestUser> {
  const user = await signUpUser(t, { label, displayName: `${label} Person` });
  expect((await t.query(AtRestProfile, { input: { phone } }, { token: user.token })).updateProfile.userErrors).toEqual([]);
  return user;
}

beforeAll(async () => {
  t = await startTestServer({ BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password });
  adminToken = await signInAdmin(t, ADMIN);
}, 60_000);
afterAll(async () => {
  await t?.stop();
});

describe('personal data at rest', () => {
  it('keeps a phone only as a keyed hash and a sealed value, shows it to its owner, and refuses it twice', async () => {
    const phone = uniquePhone();
    const digits = phone.slice(2);
    const email = uniqueEmail('ada');
    const signUp = (await t.query(AtRestSignUp, { input: { email, password: STRONG_PASSWORD, displayName: 'Ada', phone } })).signUp;
    expect(signUp.userErrors).toEqual([]);
    expect(signUp.user!.phone).toBe(phone);
    const token = signUp.tokens!.accessToken;
    const row = await rawUser(uuidOf(signUp.user!.id));
    expect(JSON.stringify(row)).not.toContain(digits);
    expect(row).toMatchObject({ legacy_phone: null, phone_hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(row.phone_sealed).toMatch(/^sv1\./);
    expect((await t.query(AtRestMe, {}, { token })).me.phone).toBe(phone);

    // Unique through the hash: at sign-up and on a profile change.
    const again = (
      await t.query(AtRestSignUp, { input: { email: uniqueEmail('copy'), password: STRONG_PASSWORD, displayName: 'Copy', phone } })
    ).signUp;
    expect(again.userErrors).toEqual([{ field: ['input', 'phone'], code: 'PHONE_TAKEN' }]);
    const other = await signUpUser(t, { label: 'other' });
    expect((await t.query(AtRestProfile, { input: { phone } }, { token: other.token })).updateProfile.userErrors).toEqual([
      { field: ['input', 'phone'], code: 'PHONE_TAKEN' },
    ]);
  });

  it('verifies a phone by its code, and a new number is not verified', async () => {
    const user = await signUpUser(t, { label: 'verify' });
    const phone = uniquePhone();
    await addVerifiedPhone(t, user.token, phone);
    expect((await t.query(AtRestMe, {}, { token: user.token })).me).toMatchObject({ phone, phoneVerified: true });
    const row = await rawUser(user.userId);
    expect(row.phone_verified_at).not.toBeNull();
    expect(JSON.stringify(row)).not.toContain(phone.slice(2));
    // The verification code made the session stepped up, so the number may change; then it is not verified.
    const next = uniquePhone();
    expect((await t.query(AtRestProfile, { input: { phone: next } }, { token: user.token })).updateProfile.userErrors).toEqual([]);
    expect((await t.query(AtRestMe, {}, { token: user.token })).me).toMatchObject({ phone: next, phoneVerified: false });
  });

  it('sends by phone and by email; the ledger row keeps what was typed sealed, and history shows it to the sender only', async () => {
    const sender = await signUpUser(t, { label: 'sender' });
    await credit(t, adminToken, sender.walletId, '100.00');
    const phone = uniquePhone();
    const recipient = await phoneUser('recipient', phone);

    const send = async (to: { phone?: string; email?: string }) => {
      const sent = (
        await t.query(
          AtRestSend,
          { input: { recipient: to, amount: { amount: '1.25', currency: 'USD' }, idempotencyKey: randomUUID() } },
          { token: sender.token },
        )
      ).sendMoney;
      expect(sent.userErrors).toEqual([]);
      return sent.transfer!;
    };
    const byPhone = await send({ phone });
    expect(byPhone.counterparty).toEqual({ displayName: 'recipient Person', email: null, phone });
    const byEmail = await send({ email: recipient.email.toUpperCase() });
    expect(byEmail.counterparty).toEqual({ displayName: 'recipient Person', email: recipient.email, phone: null });

    for (const [transfer, typed] of [
      [byPhone, phone.slice(2)],
      [byEmail, recipient.email],
    ] as const) {
      const row = await rawTransaction(uuidOf(transfer.id));
      expect(JSON.stringify(row)).not.toContain(typed);
      expect((row.metadata as { recipient: string }).recipient).toMatch(/^sv1\./);
    }

    // The sender sees what they typed; the recipient sees neither.
    const mine = (await t.query(AtRestHistory, { walletId: sender.walletId }, { token: sender.token })).transactions.edges.map(
      (e) => e.node,
    );
    expect(mine.find((n) => n.id === byPhone.id)!.counterparty).toEqual({ displayName: 'recipient Person', email: null, phone });
    expect(mine.find((n) => n.id === byEmail.id)!.counterparty).toEqual({
      displayName: 'recipient Person',
      email: recipient.email,
      phone: null,
    });
    const theirs = (await t.query(AtRestHistory, { walletId: recipient.walletId }, { token: recipient.token })).transactions.edges.map(
      (e) => e.node,
    );
    expect(theirs.filter((n) => n.direction === 'IN').map((n) => n.counterparty)).toEqual([
      { displayName: 'Test User', email: null, phone: null },
      { displayName: 'Test User', email: null, phone: null },
    ]);

    // A number nobody has: not found, as before.
    const nobody = (
      await t.query(
        AtRestSend,
        { input: { recipient: { phone: uniquePhone() }, amount: { amount: '1.00', currency: 'USD' }, idempotencyKey: randomUUID() } },
        { token: sender.token },
      )
    ).sendMoney;
    expect(nobody.userErrors.map((e) => e.code)).toEqual(['RECIPIENT_NOT_FOUND']);
  });

  it('seals at start a number kept in the clear from before, keeping its verification; sending to it works throughout', async () => {
    const phone = uniquePhone();
    const legacy = await signUpUser(t, { label: 'legacy' });
    // As the migration left a number written before: in the clear, verified.
    await asOwner(t, `UPDATE users SET legacy_phone = '${phone}' WHERE id = '${legacy.userId}'`);
    await asOwner(t, `UPDATE users SET phone_verified_at = now() WHERE id = '${legacy.userId}'`);
    expect((await t.query(AtRestMe, {}, { token: legacy.token })).me).toMatchObject({ phone, phoneVerified: true });

    // A restart on the same database seals it in the background.
    await t.server.stop();
    t = await startTestServer({ BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password }, { db: t.db });
    adminToken = await signInAdmin(t, ADMIN);
    let row = await rawUser(legacy.userId);
    for (let waited = 0; row.legacy_phone !== null && waited < 5000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      row = await rawUser(legacy.userId);
    }
    expect(JSON.stringify(row)).not.toContain(phone.slice(2));
    expect(row.phone_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.phone_verified_at).not.toBeNull();
    const token = (await t.query(AtRestSignIn, { input: { email: legacy.email, password: STRONG_PASSWORD } })).signIn.tokens!.accessToken;
    expect((await t.query(AtRestMe, {}, { token })).me).toMatchObject({ phone, phoneVerified: true });

    const sender = await signUpUser(t, { label: 'late-sender' });
    await credit(t, adminToken, sender.walletId, '5.00');
    const sent = (
      await t.query(
        AtRestSend,
        { input: { recipient: { phone }, amount: { amount: '2.00', currency: 'USD' }, idempotencyKey: randomUUID() } },
        { token: sender.token },
      )
    ).sendMoney;
    expect(sent.userErrors).toEqual([]);
    expect(sent.transfer!.counterparty.phone).toBe(phone);
  });
});
