// The notifier and what goes through it (issue 18, part 3), end to end over HTTP and WebSocket:
// messages written with what they report (a rollback leaves none), sealed while they wait and
// erased once sent, retried after a provider failure; verified email and phone (single-use,
// expiring codes, throttled sends and guesses), a changed address unverified; step-up by an
// emailed code for users without MFA (bound to its session; over WebSocket too); password reset
// answering known and unknown addresses alike, single-use and expiring, MFA when enrolled, every
// session and live subscription ended; new-device sign-in notices. Codes are read from the
// sandbox inbox (GET /sandbox/messages); the delivery loop is driven directly (notifier.flush).
import { randomUUID } from 'node:crypto';
import { URI, type TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { captureLog, type CapturedLog } from '../helpers/logCapture.js';
import { sandboxCode, sandboxMessages, signUpUser, type TestUser, verifyEmail } from '../helpers/people.js';
import { asOwner, STRONG_PASSWORD, startTestServer, uniqueEmail, type TestServer } from '../helpers/testServer.js';
import { connectWs } from '../helpers/wsClient.js';

const AsMe = graphql(`query AsMe { me { email phone emailVerified phoneVerified } }`);
const AsRequestEmail = graphql(`
  mutation AsRequestEmail { requestEmailVerification { channel sentTo expiresAt userErrors { code field message } } }
`);
const AsVerifyEmail = graphql(`
  mutation AsVerifyEmail($input: VerifyContactInput!) { verifyEmail(input: $input) { user { emailVerified } userErrors { code field message } } }
`);
const AsRequestPhone = graphql(`mutation AsRequestPhone { requestPhoneVerification { sentTo userErrors { code message } } }`);
const AsVerifyPhone = graphql(`
  mutation AsVerifyPhone($input: VerifyContactInput!) { verifyPhone(input: $input) { user { phoneVerified } userErrors { code message } } }
`);
const AsProfile = graphql(`
  mutation AsProfile($input: UpdateProfileInput!) { updateProfile(input: $input) { user { phone phoneVerified } userErrors { code message } } }
`);
const AsChangeEmail = graphql(`
  mutation AsChangeEmail($input: ChangeEmailInput!) { changeEmail(input: $input) { user { email emailVerified } userErrors { code } } }
`);
const AsKyc = graphql(
  `mutation AsKyc($input: SubmitKycInput!) { submitKyc(input: $input) { kycCase { status } userErrors { code field } } }`,
);
const AsAddCard = graphql(
  `mutation AsAddCard($input: AddCardInput!) { addCard(input: $input) { paymentMethod { id } userErrors { code } } }`,
);
const AsRequestStepUp = graphql(`
  mutation AsRequestStepUp($input: RequestStepUpCodeInput) {
    requestStepUpCode(input: $input) { channel sentTo expiresAt userErrors { code field message } }
  }
`);
const AsStepUp = graphql(
  `mutation AsStepUp($input: StepUpInput!) { stepUp(input: $input) { validUntil userErrors { code field message } } }`,
);
const AsSignIn = graphql(`
  mutation AsSignIn($input: SignInInput!) { signIn(input: $input) { tokens { accessToken } mfaChallenge { challenge } userErrors { code } } }
`);
const AsRequestReset = graphql(`
  mutation AsRequestReset($input: RequestPasswordResetInput!) { requestPasswordReset(input: $input) { message userErrors { code field message } } }
`);
const AsReset = graphql(`
  mutation AsReset($input: ResetPasswordInput!) { resetPassword(input: $input) { revokedSessionCount userErrors { code field message } } }
`);
const AsEnrolMfa = graphql(`mutation AsEnrolMfa { enrolMfa { enrolment { otpauthUri } } }`);
const AsConfirmMfa = graphql(`mutation AsConfirmMfa($input: ConfirmMfaInput!) { confirmMfa(input: $input) { userErrors { code } } }`);
const AsMeUpdated = graphql(`subscription AsMeUpdated { meUpdated { displayName } }`);

const KYC_TIER_1 = {
  level: 'TIER_1' as const,
  legalName: 'Ada Lovelace',
  dateOfBirth: '1990-12-10',
  address: { line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' },
};
const card = () => ({
  number: '4242424242424242',
  expMonth: 12,
  expYear: new Date().getFullYear() + 2,
  cvc: '123',
  holderName: 'Ada Lovelace',
});

let t: TestServer;
let log: CapturedLog;
/** Every code and token delivered in this file: none may appear in a log line. */
const delivered: string[] = [];

beforeAll(async () => {
  log = captureLog('account-security', 'debug');
  t = await startTestServer(
    {
      // Per-IP limits are tested from addresses given in X-Forwarded-For.
      TRUST_PROXY: 'true',
      CODE_SENDS_PER_ADDRESS: '3',
      CODE_SENDS_PER_IP: '60',
      // Seven wrong codes per user, then RATE_LIMITED; no slow-down to wait through.
      SIGNIN_MAX_FAILURES_PER_EMAIL: '7',
      SIGNIN_SLOWDOWN_MS: '0',
    },
    { log: log.logger },
  );
});
afterAll(async () => {
  await t?.stop();
});

const prisma = () => t.server.db.prisma;
const code = async (to: string) => {
  const c = await sandboxCode(t, to);
  delivered.push(c);
  return c;
};
const audited = (userId: string, kind: string) =>
  prisma().auditEvent.findMany({ where: { kind, OR: [{ actorId: userId }, { subjectId: userId }] }, orderBy: { id: 'asc' } });
const wrongCode = (right: string) => (right === '000000' ? '111111' : '000000');
/** The session of `token` last proved a second factor longer ago than STEP_UP_MINUTES. */
const ageStepUp = (userId: string) =>
  asOwner(
    t,
    `UPDATE sessions SET second_factor_at = now() - interval '${t.config.STEP_UP_MINUTES + 1} minutes' WHERE user_id = '${userId}'`,
  );
async function signIn(email: string, password = STRONG_PASSWORD, headers: Record<string, string> = {}) {
  return (await t.query(AsSignIn, { input: { email, password } }, { headers })).signIn;
}

describe('the notifier', () => {
  it('writes a message with what it reports: a transaction that rolls back leaves none, one that commits is delivered', async () => {
    const user = await signUpUser(t, { label: 'notify-tx' });
    const { notifier } = t.server.services;
    const message = (text: string) => ({
      userId: user.userId,
      channel: 'EMAIL' as const,
      to: user.email,
      kind: 'test_notice',
      content: { subject: 'Test', text },
    });
    await expect(
      prisma().$transaction(async (tx) => {
        await notifier.enqueue(tx, [message('rolled back')]);
        throw new Error('the change fails');
      }),
    ).rejects.toThrow('the change fails');
    expect(await prisma().notificationMessage.count({ where: { userId: user.userId, kind: 'test_notice' } })).toBe(0);

    await prisma().$transaction((tx) => notifier.enqueue(tx, [message('committed')]));
    notifier.wake();
    const inbox = await sandboxMessages(t, user.email);
    expect(inbox.map((m) => m.text)).toEqual(['committed']);
    expect(
      await prisma().notificationMessage.findMany({ where: { userId: user.userId, kind: 'test_notice' }, select: { status: true } }),
    ).toEqual([{ status: 'SENT' }]);
  });

  it('keeps what a waiting message says sealed, and erases it once sent', async () => {
    const user = await signUpUser(t, { label: 'notify-sealed' });
    const [id] = await prisma().$transaction((tx) =>
      t.server.services.notifier.enqueue(tx, [
        {
          userId: user.userId,
          channel: 'EMAIL',
          to: user.email,
          kind: 'test_code',
          content: { subject: 'Code', text: 'Your code is 424242', code: '424242' },
        },
      ]),
    );
    const waiting = await prisma().notificationMessage.findUniqueOrThrow({ where: { id: id! } });
    const stored = Buffer.from(waiting.envelope!).toString('latin1');
    for (const secret of ['424242', user.email, 'Your code']) expect(stored).not.toContain(secret);
    expect(JSON.stringify(waiting)).not.toContain(user.email);
    await t.server.services.notifier.flush();
    const sent = await prisma().notificationMessage.findUniqueOrThrow({ where: { id: id! } });
    expect(sent).toMatchObject({ status: 'SENT', attempts: 1, envelope: null });
    expect(sent.providerRef).toMatch(/^sbx_msg_/);
    // A card number is never sent: the notifier refuses a message that carries one.
    await expect(
      prisma().$transaction((tx) =>
        t.server.services.notifier.enqueue(tx, [
          {
            userId: null,
            channel: 'SMS',
            to: '+14155550123',
            kind: 'test_card',
            content: { subject: null, text: 'Paid with 4242 4242 4242 4242' },
          },
        ]),
      ),
    ).rejects.toThrow(/account number/);
  });

  it('retries after a provider failure (backoff), gives up at the give-up time, and does not retry a bounce', async () => {
    const base = uniqueEmail('notify-retry').split('@');
    const to = (tag: string) => `${base[0]}+${tag}@${base[1]}`;
    const ids = await prisma().$transaction((tx) =>
      t.server.services.notifier.enqueue(
        tx,
        ['retry', 'fail', 'bounce'].map((tag) => ({
          userId: null,
          channel: 'EMAIL' as const,
          to: to(tag),
          kind: 'test_retry',
          content: { subject: tag, text: tag },
        })),
      ),
    );
    const row = (i: number) => prisma().notificationMessage.findUniqueOrThrow({ where: { id: ids[i]! } });
    await t.server.services.notifier.flush();
    const [retry, fail, bounce] = [await row(0), await row(1), await row(2)];
    expect(retry).toMatchObject({ status: 'PENDING', attempts: 1, lastError: 'sandbox: the provider is unavailable' });
    expect(retry.envelope).not.toBeNull();
    // The first retry waits NOTIFY_RETRY_BASE_MS.
    expect(retry.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + t.config.NOTIFY_RETRY_BASE_MS - 1_000);
    expect(fail).toMatchObject({ status: 'PENDING', attempts: 1 });
    expect(bounce).toMatchObject({ status: 'FAILED', attempts: 1, envelope: null, lastError: 'sandbox: the address does not exist' });

    // Time passes: both are due again; the failing one's give-up time has come too.
    // One statement: a delivery pass running meanwhile (woken by another test's notification) sees both changes or neither.
    await asOwner(
      t,
      `UPDATE notification_messages SET next_attempt_at = now(), give_up_at = CASE WHEN id = '${ids[1]}' THEN now() ELSE give_up_at END
       WHERE id IN ('${ids[0]}', '${ids[1]}')`,
    );
    await t.server.services.notifier.flush();
    expect(await row(0)).toMatchObject({ status: 'SENT', attempts: 2, envelope: null, lastError: null });
    expect(await row(1)).toMatchObject({ status: 'FAILED', attempts: 2, envelope: null });
    expect((await sandboxMessages(t, to('retry'))).map((m) => m.text)).toEqual(['retry']);
    expect(await sandboxMessages(t, to('bounce'))).toEqual([]);
    // Every attempt reached the provider once: two refused and one accepted for "retry".
    const attempts = await t.server.db.sql.query<{ accepted: boolean }>(
      'SELECT accepted FROM sandbox.messages WHERE message_id = $1::uuid ORDER BY id',
      [ids[0]],
    );
    expect(attempts.map((a) => a.accepted)).toEqual([false, true]);
  });

  it('serves the sandbox inbox with GET only, and checks its parameters', async () => {
    expect((await fetch(`${t.origin}/sandbox/messages?limit=0`)).status).toBe(400);
    expect((await fetch(`${t.origin}/sandbox/messages`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${t.origin}/sandbox/messages?limit=1`)).status).toBe(200);
  });
});

describe('verified email and phone', () => {
  it('verifies the email with its code once; a wrong code and a reused one are refused; a changed email is unverified', async () => {
    const user = await signUpUser(t, { label: 'verify-email' });
    expect((await t.query(AsMe, {}, { token: user.token })).me).toMatchObject({ emailVerified: false, phoneVerified: false });
    const sent = (await t.query(AsRequestEmail, {}, { token: user.token })).requestEmailVerification;
    expect(sent.userErrors).toEqual([]);
    expect(sent).toMatchObject({ channel: 'EMAIL', sentTo: `${user.email[0]}•••@example.com` });
    expect(new Date(sent.expiresAt!).getTime()).toBeGreaterThan(Date.now() + (t.config.ONE_TIME_CODE_MINUTES - 1) * 60_000);
    const right = await code(user.email);
    expect((await sandboxMessages(t, user.email))[0]!.text).toContain(right);

    const wrong = (await t.query(AsVerifyEmail, { input: { code: wrongCode(right) } }, { token: user.token })).verifyEmail;
    expect(wrong.userErrors[0]).toMatchObject({ code: 'INVALID_CODE', field: ['input', 'code'] });
    const ok = (await t.query(AsVerifyEmail, { input: { code: right } }, { token: user.token })).verifyEmail;
    expect(ok).toEqual({ user: { emailVerified: true }, userErrors: [] });
    const again = (await t.query(AsVerifyEmail, { input: { code: right } }, { token: user.token })).verifyEmail;
    expect(again.userErrors[0]).toMatchObject({ code: 'INVALID_CODE' });
    expect(again.userErrors[0]!.message).toContain('already used');
    expect((await t.query(AsRequestEmail, {}, { token: user.token })).requestEmailVerification.userErrors[0]?.code).toBe(
      'ALREADY_VERIFIED',
    );

    // Stored as keyed hashes only.
    const stored = JSON.stringify(await prisma().oneTimeCode.findMany({ where: { userId: user.userId } }));
    expect(stored).not.toContain(right);
    expect(stored).not.toContain(user.email);
    expect((await audited(user.userId, 'auth.code_sent')).map((e) => e.details)).toEqual([
      { purpose: 'EMAIL_VERIFICATION', channel: 'EMAIL' },
    ]);
    expect((await audited(user.userId, 'auth.code_failed')).map((e) => e.details)).toEqual([
      { purpose: 'EMAIL_VERIFICATION', reason: 'WRONG' },
      { purpose: 'EMAIL_VERIFICATION', reason: 'USED' },
    ]);
    expect((await audited(user.userId, 'auth.contact_verified')).map((e) => e.details)).toEqual([{ channel: 'EMAIL' }]);

    // Verifying stepped this session up, so the email may change now; the new one is not verified.
    const moved = (
      await t.query(AsChangeEmail, { input: { newEmail: uniqueEmail('verify-moved'), password: STRONG_PASSWORD } }, { token: user.token })
    ).changeEmail;
    expect(moved.userErrors).toEqual([]);
    expect(moved.user!.emailVerified).toBe(false);
  });

  it('verifies the phone by SMS, which TIER_1 needs; changing the phone unverifies it, and needs a step-up once there is a verified contact', async () => {
    const user = await signUpUser(t, { label: 'verify-phone' });
    // Without a phone there is nothing to text.
    expect((await t.query(AsRequestPhone, {}, { token: user.token })).requestPhoneVerification.userErrors[0]?.code).toBe('INVALID_INPUT');
    // A first phone needs no step-up: the user has no verified contact yet.
    expect((await t.query(AsProfile, { input: { phone: '+14155550142' } }, { token: user.token })).updateProfile.userErrors).toEqual([]);
    expect((await t.query(AsKyc, { input: KYC_TIER_1 }, { token: user.token })).submitKyc.userErrors).toEqual([
      { code: 'PHONE_NOT_VERIFIED', field: ['input', 'level'] },
    ]);
    const sent = (await t.query(AsRequestPhone, {}, { token: user.token })).requestPhoneVerification;
    expect(sent).toEqual({ sentTo: '••••••••0142', userErrors: [] });
    const [sms] = await sandboxMessages(t, '+14155550142');
    expect(sms).toMatchObject({ channel: 'SMS', subject: null });
    delivered.push(sms!.code!);
    expect((await t.query(AsVerifyPhone, { input: { code: sms!.code! } }, { token: user.token })).verifyPhone).toEqual({
      user: { phoneVerified: true },
      userErrors: [],
    });
    expect((await t.query(AsKyc, { input: KYC_TIER_1 }, { token: user.token })).submitKyc.userErrors).toEqual([]);

    // The phone is a verified contact now: changing it needs a recent second factor.
    await ageStepUp(user.userId);
    const refused = (await t.query(AsProfile, { input: { phone: '+14155550143' } }, { token: user.token })).updateProfile;
    expect(refused.userErrors[0]?.code).toBe('STEP_UP_REQUIRED');
    expect((await t.query(AsMe, {}, { token: user.token })).me.phone).toBe('+14155550142');
    // A code texted to the verified phone steps the session up; the new phone is not verified.
    expect((await t.query(AsRequestStepUp, { input: { channel: 'SMS' } }, { token: user.token })).requestStepUpCode).toMatchObject({
      channel: 'SMS',
      userErrors: [],
    });
    const stepCode = await code('+14155550142');
    expect((await t.query(AsStepUp, { input: { code: stepCode } }, { token: user.token })).stepUp.userErrors).toEqual([]);
    const changed = (await t.query(AsProfile, { input: { phone: '+14155550143' } }, { token: user.token })).updateProfile;
    expect(changed).toEqual({ user: { phone: '+14155550143', phoneVerified: false }, userErrors: [] });
    // A display name needs nothing.
    expect((await t.query(AsProfile, { input: { displayName: 'Renamed' } }, { token: user.token })).updateProfile.userErrors).toEqual([]);
  });

  it('refuses an expired code', async () => {
    const user = await signUpUser(t, { label: 'verify-expired' });
    await t.query(AsRequestEmail, {}, { token: user.token });
    const right = await code(user.email);
    await asOwner(t, `UPDATE one_time_codes SET expires_at = now() - interval '1 second' WHERE user_id = '${user.userId}'`);
    const expired = (await t.query(AsVerifyEmail, { input: { code: right } }, { token: user.token })).verifyEmail.userErrors[0];
    expect(expired).toMatchObject({ code: 'INVALID_CODE' });
    expect(expired!.message).toContain('expired');
  });

  it('throttles guesses: five wrong ones use a code up, and too many per user answer RATE_LIMITED', async () => {
    const user = await signUpUser(t, { label: 'verify-guess' });
    await t.query(AsRequestEmail, {}, { token: user.token });
    const first = await code(user.email);
    for (let i = 0; i < 5; i++) {
      expect(
        (await t.query(AsVerifyEmail, { input: { code: wrongCode(first) } }, { token: user.token })).verifyEmail.userErrors[0]?.code,
      ).toBe('INVALID_CODE');
    }
    // Used up by the guesses: the right code no longer works (the sixth failure).
    expect((await t.query(AsVerifyEmail, { input: { code: first } }, { token: user.token })).verifyEmail.userErrors[0]?.message).toContain(
      'tried too often',
    );
    await t.query(AsRequestEmail, {}, { token: user.token });
    const second = await code(user.email);
    expect(
      (await t.query(AsVerifyEmail, { input: { code: wrongCode(second) } }, { token: user.token })).verifyEmail.userErrors[0]?.code,
    ).toBe('INVALID_CODE');
    // Seven failures: even the right code is refused until the window passes.
    const blocked = await t.request(AsVerifyEmail, { input: { code: second } }, { token: user.token });
    expect(blocked.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect((await t.query(AsMe, {}, { token: user.token })).me.emailVerified).toBe(false);
  });

  it('throttles sends per address', async () => {
    const user = await signUpUser(t, { label: 'verify-sends' });
    for (let i = 0; i < 3; i++)
      expect((await t.query(AsRequestEmail, {}, { token: user.token })).requestEmailVerification.userErrors).toEqual([]);
    const fourth = await t.request(AsRequestEmail, {}, { token: user.token });
    expect(fourth.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    // Each request voided the code before it: of the three delivered (in whatever order the provider
    // got them), exactly one works.
    const messages = await sandboxMessages(t, user.email);
    expect(messages).toHaveLength(3);
    const codes = [...new Set(messages.map((m) => m.code!))];
    delivered.push(...codes);
    const answers = [];
    for (const c of codes)
      answers.push((await t.query(AsVerifyEmail, { input: { code: c } }, { token: user.token })).verifyEmail.userErrors);
    expect(answers.filter((errors) => errors.length === 0)).toHaveLength(1);
  });
});

describe('step-up without MFA', () => {
  it('needs a verified contact, then a code sent to it, bound to the session that asked', async () => {
    const user = await signUpUser(t, { label: 'stepup-code' });
    const cards = () => prisma().paymentMethod.count({ where: { userId: user.userId } });
    // No MFA, no verified contact: nothing to send a code to.
    expect((await t.query(AsAddCard, { input: card() }, { token: user.token })).addCard.userErrors).toEqual([
      { code: 'CONTACT_VERIFICATION_REQUIRED' },
    ]);
    expect((await t.query(AsRequestStepUp, {}, { token: user.token })).requestStepUpCode.userErrors[0]?.code).toBe(
      'CONTACT_VERIFICATION_REQUIRED',
    );
    expect(await cards()).toBe(0);

    // Verifying the email is a proof of its own (the session is stepped up).
    await verifyEmail(t, user);
    expect((await t.query(AsAddCard, { input: card() }, { token: user.token })).addCard.userErrors).toEqual([]);
    await ageStepUp(user.userId);
    expect((await t.query(AsAddCard, { input: card() }, { token: user.token })).addCard.userErrors).toEqual([{ code: 'STEP_UP_REQUIRED' }]);
    expect(await cards()).toBe(1);

    // No verified phone to text; the email it is.
    expect(
      (await t.query(AsRequestStepUp, { input: { channel: 'SMS' } }, { token: user.token })).requestStepUpCode.userErrors[0],
    ).toMatchObject({
      code: 'CONTACT_VERIFICATION_REQUIRED',
      field: ['channel'],
    });
    const asked = (await t.query(AsRequestStepUp, {}, { token: user.token })).requestStepUpCode;
    expect(asked).toMatchObject({ channel: 'EMAIL', userErrors: [] });
    const stepCode = await code(user.email);
    // Another session of the same user cannot use it.
    const other = (await signIn(user.email)).tokens!.accessToken;
    expect((await t.query(AsStepUp, { input: { code: stepCode } }, { token: other })).stepUp.userErrors[0]?.code).toBe('INVALID_CODE');
    const stepped = (await t.query(AsStepUp, { input: { code: stepCode } }, { token: user.token })).stepUp;
    expect(stepped.userErrors).toEqual([]);
    expect(new Date(stepped.validUntil!).getTime()).toBeGreaterThan(Date.now() + (t.config.STEP_UP_MINUTES - 1) * 60_000);
    expect((await t.query(AsAddCard, { input: card() }, { token: user.token })).addCard.userErrors).toEqual([]);
    expect((await t.query(AsStepUp, { input: { code: stepCode } }, { token: user.token })).stepUp.userErrors[0]?.code).toBe('INVALID_CODE');
    expect((await audited(user.userId, 'auth.stepped_up')).map((e) => e.details)).toEqual([{ method: 'ONE_TIME_CODE' }]);
  });

  it('over WebSocket: refused, a code asked for and sent back on the socket, allowed', async () => {
    const user = await signUpUser(t, { label: 'stepup-ws', steppedUp: true });
    await ageStepUp(user.userId);
    const ws = connectWs(t.wsUrl, `Bearer ${user.token}`);
    try {
      await ws.connected;
      const addCard = async () => (await ws.subscribe(AsAddCard, { input: card() }).next()).addCard.userErrors;
      expect(await addCard()).toEqual([{ code: 'STEP_UP_REQUIRED' }]);
      expect((await ws.subscribe(AsRequestStepUp, {}).next()).requestStepUpCode.userErrors).toEqual([]);
      const stepCode = await code(user.email);
      expect((await ws.subscribe(AsStepUp, { input: { code: stepCode } }).next()).stepUp.userErrors).toEqual([]);
      expect(await addCard()).toEqual([]);
    } finally {
      await ws.dispose();
    }
  });
});

describe('password reset', () => {
  /** What a client sees of an answer: status, the headers that are not per request, the body. */
  const seen = async (email: string, ip: string) => {
    const res = await t.request(AsRequestReset, { input: { email } }, { headers: { 'x-forwarded-for': ip } });
    const headers = Object.fromEntries([...res.headers].filter(([name]) => !['date', 'x-request-id', 'content-length'].includes(name)));
    return { status: res.status, headers, body: res.body };
  };

  it('answers known and unknown addresses alike; only a known one gets a link', async () => {
    const user = await signUpUser(t, { label: 'reset-known' });
    const unknown = uniqueEmail('reset-nobody');
    const known = await seen(user.email, '198.51.100.10');
    const nobody = await seen(unknown, '198.51.100.10');
    expect(nobody).toEqual(known);
    expect(known.body).toEqual({
      data: { requestPasswordReset: { message: expect.stringContaining('If an account uses'), userErrors: [] } },
    });
    await t.server.services.passwordReset.settled();
    const [mail] = await sandboxMessages(t, user.email);
    expect(mail!.text).toContain(`${t.origin}/app/reset-password#token=${mail!.code}`);
    expect(await sandboxMessages(t, unknown)).toEqual([]);
    const requested = await prisma().auditEvent.findMany({
      where: { kind: 'auth.password_reset_requested', ip: '198.51.100.10' },
      orderBy: { id: 'asc' },
    });
    // Each request is handled after its answer, so the two may be recorded in either order.
    expect(requested.map((e) => [e.subjectId, (e.details as { knownUser: boolean }).knownUser])).toEqual(
      expect.arrayContaining([
        [user.userId, true],
        [null, false],
      ]),
    );
    expect(requested).toHaveLength(2);
    expect(JSON.stringify(requested.map((e) => e.details))).not.toContain(unknown);
    // A malformed address is the one answer that differs (it says nothing about accounts).
    expect((await seen('not an address', '198.51.100.10')).body.data?.requestPasswordReset.userErrors[0]?.code).toBe('INVALID_EMAIL');
  });

  it('sets the password once with the token, signs out every session and ends their live subscriptions', async () => {
    const user = await signUpUser(t, { label: 'reset-use' });
    const second = (await signIn(user.email)).tokens!.accessToken;
    const ws = connectWs(t.wsUrl, `Bearer ${second}`);
    await ws.connected;
    const live = ws.subscribe(AsMeUpdated);
    await t.query(AsProfile, { input: { displayName: 'Before Reset' } }, { token: user.token });
    await live.next((d) => d.meUpdated.displayName === 'Before Reset');

    await t.query(AsRequestReset, { input: { email: user.email } });
    await t.server.services.passwordReset.settled();
    const token = await code(user.email);
    const reset = (input: { token: string; newPassword: string }) => t.query(AsReset, { input }).then((r) => r.resetPassword);
    // A weak password is refused and the token kept.
    expect((await reset({ token, newPassword: 'password123' })).userErrors[0]).toMatchObject({
      code: 'WEAK_PASSWORD',
      field: ['input', 'newPassword'],
    });
    expect((await reset({ token: 'x'.repeat(43), newPassword: 'reset-Horse-battery-5' })).userErrors[0]).toMatchObject({
      code: 'INVALID_CODE',
      field: ['input', 'token'],
    });
    expect(await reset({ token, newPassword: 'reset-Horse-battery-5' })).toEqual({ revokedSessionCount: 2, userErrors: [] });
    expect(await ws.closed).toEqual({ code: 4401, reason: 'Session ended: sign in again' });
    expect((await t.request(AsMe, {}, { token: user.token })).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await signIn(user.email)).userErrors).toEqual([{ code: 'INVALID_CREDENTIALS' }]);
    const fresh = await signIn(user.email, 'reset-Horse-battery-5');
    expect(fresh.userErrors).toEqual([]);
    // Reading the link proved the mailbox: the email counts as verified.
    expect((await t.query(AsMe, {}, { token: fresh.tokens!.accessToken })).me.emailVerified).toBe(true);
    // Once only.
    expect((await reset({ token, newPassword: 'another-Horse-battery-6' })).userErrors[0]?.code).toBe('INVALID_CODE');
    const [notice] = await sandboxMessages(t, user.email);
    expect(notice!.subject).toContain('your password was reset');
    expect((await audited(user.userId, 'auth.password_reset')).map((e) => e.details)).toEqual([{ revokedSessionCount: 2, mfa: false }]);
    expect((await audited(user.userId, 'auth.sessions_revoked')).map((e) => e.details)).toContainEqual({
      reason: 'PASSWORD_RESET',
      count: 2,
    });
  });

  it('refuses an expired token', async () => {
    const user = await signUpUser(t, { label: 'reset-expired' });
    await t.query(AsRequestReset, { input: { email: user.email } });
    await t.server.services.passwordReset.settled();
    const token = await code(user.email);
    await asOwner(t, `UPDATE one_time_codes SET expires_at = now() - interval '1 second' WHERE user_id = '${user.userId}'`);
    expect((await t.query(AsReset, { input: { token, newPassword: 'reset-Horse-battery-5' } })).resetPassword.userErrors[0]?.code).toBe(
      'INVALID_CODE',
    );
  });

  it('needs an MFA code as well for an account with MFA', async () => {
    const user = await signUpUser(t, { label: 'reset-mfa' });
    const totp = URI.parse((await t.query(AsEnrolMfa, {}, { token: user.token })).enrolMfa.enrolment!.otpauthUri) as TOTP;
    expect((await t.query(AsConfirmMfa, { input: { code: totp.generate() } }, { token: user.token })).confirmMfa.userErrors).toEqual([]);
    await t.query(AsRequestReset, { input: { email: user.email } });
    await t.server.services.passwordReset.settled();
    const token = await code(user.email);
    const reset = (mfaCode?: string) =>
      t.query(AsReset, { input: { token, newPassword: 'reset-Horse-battery-5', mfaCode } }).then((r) => r.resetPassword.userErrors);
    expect(await reset()).toEqual([expect.objectContaining({ code: 'MFA_REQUIRED', field: ['input', 'mfaCode'] })]);
    const next = totp.generate({ timestamp: Date.now() + 30_000 });
    expect(await reset(wrongCode(next))).toEqual([expect.objectContaining({ code: 'INVALID_MFA_CODE', field: ['input', 'mfaCode'] })]);
    expect(await reset(next)).toEqual([]);
    expect((await audited(user.userId, 'auth.password_reset')).map((e) => e.details)).toEqual([{ revokedSessionCount: 1, mfa: true }]);
  });

  it('throttles per address (known or not, the same answer) and per IP', async () => {
    const user = await signUpUser(t, { label: 'reset-throttle' });
    const unknown = uniqueEmail('reset-throttle-nobody');
    for (let i = 0; i < 3; i++) {
      expect((await seen(user.email, '198.51.100.20')).status).toBe(200);
      expect((await seen(unknown, '198.51.100.20')).status).toBe(200);
    }
    const [known, nobody] = [await seen(user.email, '198.51.100.21'), await seen(unknown, '198.51.100.21')];
    expect(known.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    // The same but for the seconds to wait, which the two counters may round apart.
    const withoutNumbers = (answer: unknown) => JSON.stringify(answer).replace(/\d+/g, 'N');
    expect(withoutNumbers(nobody)).toBe(withoutNumbers(known));
    // Per IP: CODE_SENDS_PER_IP requests from one address, then none.
    for (let i = 0; i < t.config.CODE_SENDS_PER_IP; i++)
      expect((await seen(uniqueEmail('reset-ip'), '203.0.113.7')).body.errors).toBeUndefined();
    expect((await seen(uniqueEmail('reset-ip'), '203.0.113.7')).body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect((await seen(uniqueEmail('reset-ip'), '203.0.113.8')).body.errors).toBeUndefined();
    await t.server.services.passwordReset.settled();
    delivered.push(...(await sandboxMessages(t, user.email)).map((m) => m.code!));
  });
});

describe('new-device sign-in notice', () => {
  const agent = (name: string) => ({ 'user-agent': name });
  const notices = async (user: TestUser) =>
    (await sandboxMessages(t, user.email)).filter((m) => /new sign-in/i.test(m.subject ?? '')).map((m) => m.text);

  it('emails the user when a device they never used signs in, once per device', async () => {
    const user = await signUpUser(t, { label: 'device', headers: agent('WalletTest/1.0 (first laptop)') });
    // The device of the sign-up, on the same network: nothing to tell.
    expect((await signIn(user.email, STRONG_PASSWORD, agent('WalletTest/1.0 (first laptop)'))).userErrors).toEqual([]);
    expect(await notices(user)).toEqual([]);

    expect((await signIn(user.email, STRONG_PASSWORD, agent('OtherBrowser/2.0'))).userErrors).toEqual([]);
    const [notice] = await notices(user);
    expect(notice).toContain('OtherBrowser/2.0');
    expect(notice).toContain('IP address 127.0.0.1');
    await signIn(user.email, STRONG_PASSWORD, agent('OtherBrowser/2.0'));
    expect(await notices(user)).toHaveLength(1);

    // An app's own device id is the device, whatever its user agent.
    await signIn(user.email, STRONG_PASSWORD, { ...agent('App/3'), 'x-device-id': `phone-${randomUUID()}` });
    expect(await notices(user)).toHaveLength(2);
    // The same browser on another network is another device (the rule errs toward telling).
    await signIn(user.email, STRONG_PASSWORD, { ...agent('OtherBrowser/2.0'), 'x-forwarded-for': '192.0.2.44' });
    expect(await notices(user)).toHaveLength(3);
    expect((await audited(user.userId, 'auth.new_device')).map((e) => e.details)).toEqual([
      { deviceIdSent: false },
      { deviceIdSent: true },
      { deviceIdSent: false },
    ]);
    // A user agent that looks like it carries a card number is not repeated.
    await signIn(user.email, STRONG_PASSWORD, agent('Evil 4242424242424242'));
    expect((await notices(user))[0]).toContain('Evil [hidden]');
  });
});

describe('logs', () => {
  it('never carry a code or a reset token', () => {
    expect(delivered.length).toBeGreaterThan(10);
    const text = JSON.stringify(log.lines);
    // Not counting a code's digits inside a hex id or a longer number.
    for (const secret of delivered) expect(text).not.toMatch(new RegExp(`(?<![0-9a-f])${secret.replace(/[-_]/g, '\\$&')}(?![0-9a-f])`));
    expect(log.errors()).toEqual([]);
  });
});
