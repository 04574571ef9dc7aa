// TOTP MFA and step-up, end to end over HTTP and WebSocket: enrol (the secret only in the vault),
// confirm with a code computed here from the otpauth URI, sign-in answering MFA_REQUIRED then
// verifyMfa; a code accepted once (replay refused), wrong codes throttled, recovery codes single-use,
// disable; each risky action refused with STEP_UP_REQUIRED on a session without a recent second
// factor (nothing changed, checked in the database) and allowed after stepUp; admin money actions
// need MFA (ADMIN_MFA_REQUIRED).
//
// A TOTP code is accepted once per 30-second step, and only one step either side of now: to use a
// second code without waiting for the clock, a test lets time pass by forgetting the last step used
// (`timePasses`), as the database would look half a minute later.
import { randomUUID } from 'node:crypto';
import { URI, type TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { encodeId } from '../helpers/globalIds.js';
import { signInAdmin, signUpUser, type TestUser } from '../helpers/people.js';
import { asOwner, STRONG_PASSWORD, startTestServer, uniqueEmail, type TestServer } from '../helpers/testServer.js';
import { connectWs } from '../helpers/wsClient.js';

const ADMIN = { email: 'mfa.admin@example.com', password: 'Mfa-Admin-Keeper-2026!' };

const MfSignIn = graphql(`
  mutation MfSignIn($input: SignInInput!) {
    signIn(input: $input) { tokens { accessToken } mfaChallenge { challenge expiresAt } userErrors { code field } }
  }
`);
const MfVerify = graphql(`
  mutation MfVerify($input: VerifyMfaInput!) { verifyMfa(input: $input) { user { id } tokens { accessToken } userErrors { code field message } } }
`);
const MfEnrol = graphql(`mutation MfEnrol { enrolMfa { enrolment { otpauthUri qrCode secret } userErrors { code } } }`);
const MfConfirm = graphql(
  `mutation MfConfirm($input: ConfirmMfaInput!) { confirmMfa(input: $input) { recoveryCodes userErrors { code } } }`,
);
const MfDisable = graphql(`
  mutation MfDisable($input: DisableMfaInput!) { disableMfa(input: $input) { user { mfaEnabled } userErrors { code } } }
`);
const MfStepUp = graphql(`mutation MfStepUp($input: StepUpInput!) { stepUp(input: $input) { validUntil userErrors { code } } }`);
const MfMe = graphql(`query MfMe { me { id email mfaEnabled } }`);
const MfWithdraw = graphql(
  `mutation MfWithdraw($input: WithdrawInput!) { withdraw(input: $input) { funding { id } userErrors { code } } }`,
);
const MfAddCard = graphql(
  `mutation MfAddCard($input: AddCardInput!) { addCard(input: $input) { paymentMethod { id } userErrors { code } } }`,
);
const MfAddBank = graphql(`
  mutation MfAddBank($input: AddBankAccountInput!) { addBankAccount(input: $input) { paymentMethod { id } userErrors { code } } }
`);
const MfMerchant = graphql(`
  mutation MfMerchant($input: RegisterMerchantInput!) { registerMerchant(input: $input) { merchant { id } userErrors { code } } }
`);
const MfCreateKey = graphql(`
  mutation MfCreateKey($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id } key userErrors { code } } }
`);
const MfRevokeKey = graphql(`mutation MfRevokeKey($id: ID!) { revokeApiKey(id: $id) { apiKey { id revokedAt } userErrors { code } } }`);
const MfChangeEmail = graphql(`
  mutation MfChangeEmail($input: ChangeEmailInput!) { changeEmail(input: $input) { user { email } userErrors { code } } }
`);
const MfChangePassword = graphql(`
  mutation MfChangePassword($input: ChangePasswordInput!) { changePassword(input: $input) { revokedSessionCount userErrors { code } } }
`);
const MfFreeze = graphql(`
  mutation MfFreeze($input: AdminSetWalletStatusInput!) { adminSetWalletStatus(input: $input) { wallet { status } userErrors { code } } }
`);
const MfRoles = graphql(`
  mutation MfRoles($input: AdminSetUserRolesInput!) { adminSetUserRoles(input: $input) { user { roles } userErrors { code } } }
`);
const MfDecisions = graphql(`
  mutation MfDecisions($kyc: DecideKycInput!, $aml: DecideAmlCaseInput!, $risk: DecideRiskReviewInput!) {
    decideKyc(input: $kyc) { userErrors { code } }
    decideAmlCase(input: $aml) { userErrors { code } }
    decideRiskReview(input: $risk) { userErrors { code } }
  }
`);
const MfAdjust = graphql(`
  mutation MfAdjust($input: AdminAdjustBalanceInput!) { adminAdjustBalance(input: $input) { transaction { id } userErrors { code } } }
`);

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({
    BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
    BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
    ADMIN_MFA_REQUIRED: 'true',
    // Three wrong codes (or passwords) per user, then RATE_LIMITED; no slow-down to wait through.
    SIGNIN_MAX_FAILURES_PER_EMAIL: '3',
    SIGNIN_SLOWDOWN_MS: '0',
  });
});
afterAll(async () => {
  await t?.stop();
});

/** The code the authenticator app shows now (or `stepsAhead` steps later: accepted one step ahead). */
const code = (totp: TOTP, stepsAhead = 0) => totp.generate({ timestamp: Date.now() + stepsAhead * 30_000 });

/** Half a minute later, as far as replay protection goes: the last step used is forgotten. */
const timePasses = (userId: string) => asOwner(t, `UPDATE user_mfa SET last_used_step = NULL WHERE user_id = '${userId}'`);

/** Enrols and confirms MFA for the token's user; the TOTP generator (from the otpauth URI) and the recovery codes. */
async function enableMfa(token: string) {
  const { enrolMfa } = await t.query(MfEnrol, {}, { token });
  expect(enrolMfa.userErrors).toEqual([]);
  const totp = URI.parse(enrolMfa.enrolment!.otpauthUri) as TOTP;
  const { confirmMfa } = await t.query(MfConfirm, { input: { code: code(totp) } }, { token });
  expect(confirmMfa.userErrors).toEqual([]);
  return { totp, recoveryCodes: confirmMfa.recoveryCodes!, enrolment: enrolMfa.enrolment! };
}

async function signIn(email: string, password = STRONG_PASSWORD) {
  return (await t.query(MfSignIn, { input: { email, password } })).signIn;
}

const audited = async (userId: string, kind: string) =>
  t.server.db.prisma.auditEvent.findMany({ where: { kind, OR: [{ actorId: userId }, { subjectId: userId }] } });

describe('enrolment and sign-in', () => {
  let user: TestUser;
  let totp: TOTP;
  let recoveryCodes: string[];

  it('enrols with an otpauth URI and QR (the secret only in the vault), confirms with a first code, shows ten recovery codes', async () => {
    user = await signUpUser(t, { label: 'mfa' });
    const { enrolMfa } = await t.query(MfEnrol, {}, { token: user.token });
    const enrolment = enrolMfa.enrolment!;
    expect(enrolment.otpauthUri).toMatch(/^otpauth:\/\/totp\/Wallet:.+\?.*secret=[A-Z2-7]+/);
    expect(enrolment.qrCode).toMatch(/^data:image\/png;base64,/);
    totp = URI.parse(enrolment.otpauthUri) as TOTP;
    expect(totp.secret.base32).toBe(enrolment.secret);
    expect((await t.query(MfMe, {}, { token: user.token })).me.mfaEnabled).toBe(false);

    const row = await t.server.db.prisma.userMfa.findUniqueOrThrow({ where: { userId: user.userId } });
    expect(JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).not.toContain(enrolment.secret);
    const [secret] = await t.server.db.sql.query<{ kind: string; ciphertext: Buffer }>(
      'SELECT kind, ciphertext FROM vault.secrets WHERE token = $1',
      [row.vaultToken],
    );
    expect(secret!.kind).toBe('TOTP');
    expect(secret!.ciphertext.toString('utf8')).not.toContain(enrolment.secret);

    const wrong = (await t.query(MfConfirm, { input: { code: code(totp) === '000000' ? '111111' : '000000' } }, { token: user.token }))
      .confirmMfa;
    expect(wrong.userErrors[0]?.code).toBe('INVALID_MFA_CODE');
    const confirmed = (await t.query(MfConfirm, { input: { code: code(totp) } }, { token: user.token })).confirmMfa;
    expect(confirmed.userErrors).toEqual([]);
    recoveryCodes = confirmed.recoveryCodes!;
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    expect((await t.query(MfMe, {}, { token: user.token })).me.mfaEnabled).toBe(true);
    // Stored as keyed hashes only.
    const hashes = await t.server.db.prisma.mfaRecoveryCode.findMany({ where: { userId: user.userId } });
    expect(hashes).toHaveLength(10);
    expect(JSON.stringify(hashes)).not.toContain(recoveryCodes[0]!);
    const [enabled] = await audited(user.userId, 'auth.mfa_enabled');
    expect(enabled).toBeDefined();
    expect(JSON.stringify(enabled!.details)).not.toContain(enrolment.secret);
    // Enrolling again while on is refused (disable first).
    expect((await t.query(MfEnrol, {}, { token: user.token })).enrolMfa.userErrors[0]?.code).toBe('MFA_ALREADY_ENABLED');
  });

  it('sign-in answers MFA_REQUIRED and a challenge, no session; verifyMfa with a code issues the tokens; a replayed code is refused', async () => {
    const sessionsBefore = await t.server.db.prisma.session.count({ where: { userId: user.userId } });
    const first = await signIn(user.email);
    expect(first.tokens).toBeNull();
    expect(first.userErrors).toEqual([{ code: 'MFA_REQUIRED', field: null }]);
    expect(await t.server.db.prisma.session.count({ where: { userId: user.userId } })).toBe(sessionsBefore);
    const challenge = first.mfaChallenge!.challenge;

    // The code of the next step (accepted one step ahead): the confirm used this step's.
    const next = code(totp, 1);
    const verified = (await t.query(MfVerify, { input: { challenge, code: next } })).verifyMfa;
    expect(verified.userErrors).toEqual([]);
    const token = verified.tokens!.accessToken;
    expect((await t.query(MfMe, {}, { token })).me).toMatchObject({ email: user.email, mfaEnabled: true });
    expect(await audited(user.userId, 'auth.sign_in')).toHaveLength(1);

    const replayed = (await t.query(MfVerify, { input: { challenge: (await signIn(user.email)).mfaChallenge!.challenge, code: next } }))
      .verifyMfa;
    expect(replayed.tokens).toBeNull();
    expect(replayed.userErrors[0]).toMatchObject({ code: 'INVALID_MFA_CODE', field: ['input', 'code'] });
    expect(replayed.userErrors[0]!.message).toContain('already used');
    const failed = await audited(user.userId, 'auth.mfa_failed');
    expect(failed.map((e) => e.details)).toContainEqual({ purpose: 'sign_in', replayed: true });
    expect(JSON.stringify(failed.map((e) => e.details))).not.toContain(next);

    // A challenge must be the server's own, unexpired.
    const forged = (await t.query(MfVerify, { input: { challenge: 'not.a.challenge', code: code(totp) } })).verifyMfa;
    expect(forged.userErrors[0]).toMatchObject({ code: 'INVALID_CREDENTIALS', field: ['input', 'challenge'] });
  });

  it('a recovery code signs in once', async () => {
    const recovery = recoveryCodes[0]!;
    const ok = (await t.query(MfVerify, { input: { challenge: (await signIn(user.email)).mfaChallenge!.challenge, code: recovery } }))
      .verifyMfa;
    expect(ok.userErrors).toEqual([]);
    expect(ok.tokens?.accessToken).toBeTruthy();
    const again = (await t.query(MfVerify, { input: { challenge: (await signIn(user.email)).mfaChallenge!.challenge, code: recovery } }))
      .verifyMfa;
    expect(again.userErrors[0]?.code).toBe('INVALID_MFA_CODE');
    const [used] = await audited(user.userId, 'auth.recovery_code_used');
    expect(used!.details).toEqual({ remaining: 9 });
  });

  it('wrong codes are throttled per user: RATE_LIMITED, even for the right code, until the window passes', async () => {
    const victim = await signUpUser(t, { label: 'mfa-guess' });
    const { totp: victimTotp } = await enableMfa(victim.token);
    const challenge = (await signIn(victim.email)).mfaChallenge!.challenge;
    const right = code(victimTotp, 1);
    const wrong = right === '123456' ? '654321' : '123456';
    for (let i = 0; i < 3; i++) {
      expect((await t.query(MfVerify, { input: { challenge, code: wrong } })).verifyMfa.userErrors[0]?.code).toBe('INVALID_MFA_CODE');
    }
    const blocked = await t.request(MfVerify, { input: { challenge, code: right } });
    expect(blocked.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(blocked.body.data?.verifyMfa ?? null).toBeNull();
    // Another user is not affected.
    const other = await signUpUser(t, { label: 'mfa-other' });
    const { totp: otherTotp } = await enableMfa(other.token);
    const otherChallenge = (await signIn(other.email)).mfaChallenge!.challenge;
    expect((await t.query(MfVerify, { input: { challenge: otherChallenge, code: code(otherTotp, 1) } })).verifyMfa.userErrors).toEqual([]);
  });
});

describe('step-up', () => {
  it('each risky action is refused without a recent second factor, changes nothing, and is allowed after stepUp', async () => {
    const user = await signUpUser(t, { label: 'mfa-step' });
    const prisma = t.server.db.prisma;
    const { totp, recoveryCodes } = await enableMfa(user.token); // confirming stepped up the sign-up session
    const merchantId = (
      await t.query(MfMerchant, { input: { name: 'Step Shop', category: 'coffee shop', settlementCurrency: 'USD' } }, { token: user.token })
    ).registerMerchant.merchant!.id;
    const created = (await t.query(MfCreateKey, { input: { merchantId, name: 'kept', scopes: ['PAYMENTS_READ'] } }, { token: user.token }))
      .createApiKey;
    expect(created.userErrors).toEqual([]);

    // A session of the same user that has not proved the second factor: signed in before MFA was
    // on would be one; here the sign-in session's proof is aged past STEP_UP_MINUTES.
    await timePasses(user.userId);
    const signedIn = (
      await t.query(MfVerify, { input: { challenge: (await signIn(user.email)).mfaChallenge!.challenge, code: code(totp) } })
    ).verifyMfa;
    const token = signedIn.tokens!.accessToken;
    await asOwner(
      t,
      `UPDATE sessions SET second_factor_at = now() - interval '${t.config.STEP_UP_MINUTES + 1} minutes'
       WHERE user_id = '${user.userId}' AND id <> (SELECT id FROM sessions WHERE user_id = '${user.userId}' ORDER BY created_at LIMIT 1)`,
    );

    const newEmail = uniqueEmail('mfa-moved');
    const actions = {
      withdraw: async () =>
        (
          await t.query(
            MfWithdraw,
            {
              input: {
                bankAccountId: encodeId('PaymentMethod', randomUUID()),
                amount: { amount: '1.00', currency: 'USD' },
                idempotencyKey: randomUUID(),
              },
            },
            { token },
          )
        ).withdraw.userErrors,
      addCard: async () =>
        (
          await t.query(
            MfAddCard,
            {
              input: {
                number: '4242424242424242',
                expMonth: 12,
                expYear: new Date().getFullYear() + 1,
                cvc: '123',
                holderName: 'Ada Lovelace',
              },
            },
            { token },
          )
        ).addCard.userErrors,
      addBankAccount: async () =>
        (
          await t.query(
            MfAddBank,
            { input: { holderName: 'Ada Lovelace', country: 'US', routingNumber: '110000000', accountNumber: '000123456789' } },
            { token },
          )
        ).addBankAccount.userErrors,
      createApiKey: async () =>
        (await t.query(MfCreateKey, { input: { merchantId, name: 'new', scopes: ['PAYMENTS_READ'] } }, { token })).createApiKey.userErrors,
      revokeApiKey: async () => (await t.query(MfRevokeKey, { id: created.apiKey!.id }, { token })).revokeApiKey.userErrors,
      changeEmail: async () =>
        (await t.query(MfChangeEmail, { input: { newEmail, password: STRONG_PASSWORD } }, { token })).changeEmail.userErrors,
      disableMfa: async () => (await t.query(MfDisable, { input: { code: recoveryCodes[1]! } }, { token })).disableMfa.userErrors,
      changePassword: async () =>
        (
          await t.query(
            MfChangePassword,
            { input: { currentPassword: STRONG_PASSWORD, newPassword: 'another-Horse-battery-7' } },
            { token },
          )
        ).changePassword.userErrors,
    };
    const stateNow = async () => ({
      funding: await prisma.fundingOperation.count({ where: { userId: user.userId } }),
      paymentMethods: await prisma.paymentMethod.count({ where: { userId: user.userId } }),
      apiKeys: await prisma.apiKey.findMany({ where: { createdBy: user.userId }, select: { id: true, revokedAt: true } }),
      user: await prisma.user.findUniqueOrThrow({ where: { id: user.userId }, select: { email: true, passwordHash: true } }),
      mfa: await prisma.userMfa.findUnique({ where: { userId: user.userId }, select: { enabledAt: true } }),
      unusedRecoveryCodes: await prisma.mfaRecoveryCode.count({ where: { userId: user.userId, usedAt: null } }),
    });
    const before = await stateNow();
    for (const [name, run] of Object.entries(actions)) {
      expect([name, (await run())[0]?.code]).toEqual([name, 'STEP_UP_REQUIRED']);
    }
    expect(await stateNow()).toEqual(before);

    // stepUp with a wrong code changes nothing; with the right one, each action goes through.
    expect(
      (await t.query(MfStepUp, { input: { code: '000000' === code(totp) ? '111111' : '000000' } }, { token })).stepUp.userErrors[0]?.code,
    ).toBe('INVALID_MFA_CODE');
    await timePasses(user.userId);
    const stepped = (await t.query(MfStepUp, { input: { code: code(totp) } }, { token })).stepUp;
    expect(stepped.userErrors).toEqual([]);
    expect(new Date(stepped.validUntil!).getTime()).toBeGreaterThan(Date.now() + (t.config.STEP_UP_MINUTES - 1) * 60_000);

    // Past the step-up check: the withdrawal is refused for its own reason (no such bank account).
    expect((await actions.withdraw())[0]?.code).not.toBe('STEP_UP_REQUIRED');
    for (const name of ['addCard', 'addBankAccount', 'createApiKey', 'revokeApiKey', 'changeEmail'] as const) {
      expect([name, await actions[name]()]).toEqual([name, []]);
    }
    const after = await stateNow();
    expect(after.paymentMethods).toBe(2);
    expect(after.apiKeys.find((k) => k.id !== undefined && k.revokedAt !== null)).toBeDefined();
    expect(after.user.email).toBe(newEmail);
    expect(await actions.disableMfa()).toEqual([]);
    expect((await t.query(MfMe, {}, { token })).me.mfaEnabled).toBe(false);
    expect(await audited(user.userId, 'auth.mfa_disabled')).toHaveLength(1);
    // Without MFA the session's proof went with it; with no verified contact to send a code to, the
    // user is asked to verify one first (step-up by code: accountSecurity.test.ts).
    expect((await actions.changePassword())[0]?.code).toBe('CONTACT_VERIFICATION_REQUIRED');
  });

  it('the proof lapses after STEP_UP_MINUTES', async () => {
    const user = await signUpUser(t, { label: 'mfa-lapse' });
    await enableMfa(user.token);
    const add = () =>
      t.query(
        MfAddBank,
        { input: { holderName: 'Ada Lovelace', country: 'US', routingNumber: '110000000', accountNumber: '000123456780' } },
        {
          token: user.token,
        },
      );
    await asOwner(
      t,
      `UPDATE sessions SET second_factor_at = now() - interval '${t.config.STEP_UP_MINUTES + 1} minutes' WHERE user_id = '${user.userId}'`,
    );
    expect((await add()).addBankAccount.userErrors[0]?.code).toBe('STEP_UP_REQUIRED');
    await asOwner(
      t,
      `UPDATE sessions SET second_factor_at = now() - interval '${t.config.STEP_UP_MINUTES - 1} minutes' WHERE user_id = '${user.userId}'`,
    );
    expect((await add()).addBankAccount.userErrors).toEqual([]);
  });

  it('over WebSocket: refused, stepUp, allowed', async () => {
    const user = await signUpUser(t, { label: 'mfa-ws' });
    const { totp } = await enableMfa(user.token);
    const merchantId = (
      await t.query(MfMerchant, { input: { name: 'Socket Shop', category: 'books', settlementCurrency: 'USD' } }, { token: user.token })
    ).registerMerchant.merchant!.id;
    await asOwner(t, `UPDATE sessions SET second_factor_at = NULL WHERE user_id = '${user.userId}'`);
    const ws = connectWs(t.wsUrl, `Bearer ${user.token}`);
    try {
      await ws.connected;
      const createKey = () => ws.subscribe(MfCreateKey, { input: { merchantId, name: 'socket', scopes: ['PAYMENTS_READ'] } }).next();
      expect((await createKey()).createApiKey.userErrors[0]?.code).toBe('STEP_UP_REQUIRED');
      expect(await t.server.db.prisma.apiKey.count({ where: { createdBy: user.userId } })).toBe(0);
      await timePasses(user.userId);
      expect((await ws.subscribe(MfStepUp, { input: { code: code(totp) } }).next()).stepUp.userErrors).toEqual([]);
      const created = (await createKey()).createApiKey;
      expect(created.userErrors).toEqual([]);
      expect(created.key).toMatch(/^wk_/);
    } finally {
      await ws.dispose();
    }
  });
});

describe('admin money actions', () => {
  it('need the admin to have MFA (ADMIN_MFA_REQUIRED), then a recent second factor', async () => {
    const admin = await signInAdmin(t, ADMIN);
    const user = await signUpUser(t, { label: 'mfa-credited' });
    const adjust = async () =>
      (
        await t.query(
          MfAdjust,
          {
            input: {
              walletId: user.walletId,
              amount: { amount: '5.00', currency: 'USD' },
              direction: 'CREDIT',
              reason: 'step-up test',
              idempotencyKey: randomUUID(),
            },
          },
          { token: admin },
        )
      ).adminAdjustBalance;
    const balance = async () => (await t.server.db.prisma.wallet.findFirstOrThrow({ where: { userId: user.userId } })).postedBalance;
    const freeze = async () =>
      (await t.query(MfFreeze, { input: { walletId: user.walletId, status: 'FROZEN' } }, { token: admin })).adminSetWalletStatus;
    const promote = async () =>
      (await t.query(MfRoles, { input: { userId: encodeId('User', user.userId), roles: ['USER', 'ADMIN'] } }, { token: admin }))
        .adminSetUserRoles;
    // Every admin action, not only money: freezing a wallet and granting roles too.
    expect((await adjust()).userErrors[0]?.code).toBe('MFA_ENROLMENT_REQUIRED');
    expect((await freeze()).userErrors[0]?.code).toBe('MFA_ENROLMENT_REQUIRED');
    expect((await promote()).userErrors[0]?.code).toBe('MFA_ENROLMENT_REQUIRED');
    // The decisions too: refused before the case is even looked for.
    const decided = await t.query(
      MfDecisions,
      {
        kyc: { caseId: encodeId('KycCase', randomUUID()), decision: 'APPROVE', reason: 'step-up test' },
        aml: { caseId: encodeId('AmlCase', randomUUID()), decision: 'CLEAR', reason: 'step-up test' },
        risk: { reviewId: encodeId('RiskReview', randomUUID()), decision: 'APPROVE', reason: 'step-up test' },
      },
      { token: admin },
    );
    expect([decided.decideKyc, decided.decideAmlCase, decided.decideRiskReview].map((d) => d.userErrors[0]?.code)).toEqual([
      'MFA_ENROLMENT_REQUIRED',
      'MFA_ENROLMENT_REQUIRED',
      'MFA_ENROLMENT_REQUIRED',
    ]);
    expect(await balance()).toBe(0n);
    const wallet = () => t.server.db.prisma.wallet.findFirstOrThrow({ where: { userId: user.userId } });
    const roles = async () => (await t.server.db.prisma.user.findUniqueOrThrow({ where: { id: user.userId } })).roles;
    expect((await wallet()).status).toBe('ACTIVE');
    expect(await roles()).toEqual(['USER']);
    await enableMfa(admin); // confirming proves the second factor on this session
    expect((await adjust()).userErrors).toEqual([]);
    expect(await balance()).toBe(500n);
    // Once the second factor is older than STEP_UP_MINUTES, each is refused again, changing nothing.
    await asOwner(t, `UPDATE sessions SET second_factor_at = now() - interval '1 day' WHERE second_factor_at IS NOT NULL`);
    expect((await freeze()).userErrors[0]?.code).toBe('STEP_UP_REQUIRED');
    expect((await promote()).userErrors[0]?.code).toBe('STEP_UP_REQUIRED');
    expect((await wallet()).status).toBe('ACTIVE');
    expect(await roles()).toEqual(['USER']);
  });
});
