// KYC end to end: submitKyc → the sandbox KYC provider → its signed webhook → the tier (and so the
// limits) change; rejections, referrals to the admins' review queue and their decisions; one open
// case at a time; under-18s refused; nobody reads another's case; document numbers never stored
// in the clear, logged or returned; the KYC webhook signed and deduplicated like the processors'.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { signPayload } from '../../src/services/webhooks/signature.js';
import { graphql } from '../gql/index.js';
import { startTestServer, STRONG_PASSWORD, TEST_WEBHOOK_SECRETS, uniqueEmail, type TestServer } from '../helpers/testServer.js';
import { addVerifiedPhone, uniquePhone } from '../helpers/people.js';
import { connectWs } from '../helpers/wsClient.js';
import { decodeId } from '../helpers/globalIds.js';
import { withClient } from '../helpers/scratchDatabase.js';

const ADMIN = { email: 'kyc.admin@example.com', password: 'Kyc-Reviewer-2026!' };

const KySignUp = graphql(`
  mutation KySignUp($input: SignUpInput!) { signUp(input: $input) { tokens { accessToken } } }
`);
const KySignIn = graphql(`
  mutation KySignIn($input: SignInInput!) { signIn(input: $input) { user { id } tokens { accessToken } } }
`);
const KyProfile = graphql(`
  mutation KyProfile($input: UpdateProfileInput!) { updateProfile(input: $input) { userErrors { code } } }
`);
const KySubmit = graphql(`
  mutation KySubmit($input: SubmitKycInput!) {
    submitKyc(input: $input) {
      kycCase { id level status legalName dateOfBirth reason document { type country last4 } address { city country } }
      userErrors { field code message }
    }
  }
`);
const KyStatus = graphql(`query KyStatus { kycStatus { tier latestCase { id status reason } } myLimits { tier } }`);
const KyNode = graphql(`query KyNode($id: ID!) { node(id: $id) { ... on KycCase { id status } } }`);
const KyQueue = graphql(`query KyQueue { kycReviewQueue(first: 50) { edges { node { id status reason legalName } } } }`);
const KyDecide = graphql(`
  mutation KyDecide($input: DecideKycInput!) {
    decideKyc(input: $input) {
      kycCase { id status reason user { id } decisions { decision decidedBy { id } reason } }
      userErrors { field code message }
    }
  }
`);
const KyUpdated = graphql(`subscription KyUpdated { kycUpdated { id status } }`);

const logLines: string[] = [];
const responses: string[] = [];
let t: TestServer;
let admin: { token: string; id: string };

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  t = await startTestServer(
    { BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password },
    { log: createLogger({ level: 'trace', destination: sink }) },
  );
  const signIn = (await t.query(KySignIn, { input: ADMIN })).signIn;
  admin = { token: signIn.tokens!.accessToken, id: signIn.user!.id };
});
afterAll(async () => t?.stop());

/** A new user with a verified phone (TIER_1 needs one), an unverified one, or none. */
async function person(phone: 'verified' | 'unverified' | 'none' = 'verified') {
  const token = (await t.query(KySignUp, { input: { email: uniqueEmail('kyc'), password: STRONG_PASSWORD, displayName: 'Kyc' } })).signUp
    .tokens!.accessToken;
  if (phone === 'verified') await addVerifiedPhone(t, token, uniquePhone());
  if (phone === 'unverified') await t.query(KyProfile, { input: { phone: uniquePhone() } }, { token });
  return token;
}

const details = (extra: Record<string, unknown> = {}) => ({
  level: 'TIER_1' as const,
  legalName: 'Ada King Lovelace',
  dateOfBirth: '1990-12-10',
  address: { line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4JH', country: 'gb' },
  ...extra,
});

async function submit(token: string, input: Record<string, unknown>) {
  const res = await t.request(KySubmit, { input } as never, { token });
  responses.push(JSON.stringify(res.body));
  return res.body.data!.submitKyc;
}

async function until(token: string, status: string) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const s = (await t.query(KyStatus, {}, { token })).kycStatus;
    if (s.latestCase?.status === status) return s;
    if (Date.now() > deadline) throw new Error(`case stayed ${s.latestCase?.status}, expected ${status}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('submitKyc', () => {
  it('raises the tier when the provider approves, and says so live', async () => {
    const token = await person();
    const ws = connectWs(t.wsUrl, `Bearer ${token}`);
    await ws.connected;
    const updates = ws.subscribe(KyUpdated, {});
    await new Promise((r) => setTimeout(r, 100));
    try {
      const submitted = await submit(token, details());
      expect(submitted.userErrors).toEqual([]);
      expect(submitted.kycCase).toMatchObject({
        level: 'TIER_1',
        legalName: 'Ada King Lovelace',
        dateOfBirth: '1990-12-10',
        document: null,
        address: { city: 'London', country: 'GB' },
      });
      // Sealed at rest: the case row holds a vault token, none of the details (issue 18, part 7).
      const [row] = await withClient(
        t.server.db.url,
        async (c) =>
          (await c.query('SELECT row_to_json(k)::text AS json FROM kyc_cases k WHERE id = $1::uuid', [decodeId(submitted.kycCase!.id)]))
            .rows,
      );
      expect(row.json).toContain('"identity_token":"vt_');
      expect(row.json).not.toMatch(/Lovelace|1990-12-10|St James|London/);
      // PENDING when answered, unless the sandbox provider (30 ms) was quicker than the answer.
      expect(['PENDING', 'APPROVED']).toContain(submitted.kycCase!.status);
      const done = await until(token, 'APPROVED');
      expect(done.tier).toBe('TIER_1');
      expect((await t.query(KyStatus, {}, { token })).myLimits.tier).toBe('TIER_1');
      await updates.next((d) => d.kycUpdated.status === 'APPROVED', 15_000);
      // Two changes, two events, each read fresh when delivered (the first may already show APPROVED).
      for (let i = 0; i < 200 && updates.results.length < 2; i++) await new Promise((r) => setTimeout(r, 25));
      const statuses = updates.results.map((r) => r.data?.kycUpdated.status);
      expect(statuses).toHaveLength(2);
      expect(statuses[1]).toBe('APPROVED');
      expect(['PENDING', 'APPROVED']).toContain(statuses[0]);
      expect((await submit(token, details())).userErrors[0]).toMatchObject({ code: 'INVALID_INPUT', field: ['input', 'level'] });
    } finally {
      await ws.dispose();
    }
  });

  it('refuses under-18s, missing or unverified phone numbers and incomplete TIER_2 requests, storing nothing', async () => {
    const before = await t.server.db.prisma.kycCase.count();
    const token = await person();
    const underage = new Date();
    underage.setUTCFullYear(underage.getUTCFullYear() - 17);
    expect((await submit(token, details({ dateOfBirth: underage.toISOString().slice(0, 10) }))).userErrors[0]).toMatchObject({
      code: 'INVALID_INPUT',
      field: ['input', 'dateOfBirth'],
      message: 'You must be 18 or older to verify your identity.',
    });
    expect((await submit(token, details({ dateOfBirth: '1990-02-30' }))).userErrors[0]).toMatchObject({ field: ['input', 'dateOfBirth'] });
    expect((await submit(token, details({ level: 'TIER_2', selfieRef: 'selfie-1' }))).userErrors[0]).toMatchObject({
      field: ['input', 'document'],
    });
    expect((await submit(await person('none'), details())).userErrors[0]!.message).toContain('phone');
    expect((await submit(await person('unverified'), details())).userErrors[0]).toMatchObject({
      code: 'PHONE_NOT_VERIFIED',
      field: ['input', 'level'],
    });
    expect(await t.server.db.prisma.kycCase.count()).toBe(before);
  });

  it("rejects with the provider's reason, and allows one open case at a time", async () => {
    const token = await person();
    const doc = { type: 'PASSPORT', number: 'K1230002', country: 'GB' };
    expect((await submit(token, details({ level: 'TIER_2', document: doc, selfieRef: 'selfie-2' }))).kycCase).toMatchObject({
      document: { type: 'PASSPORT', country: 'GB', last4: '0002' },
    });
    const rejected = await until(token, 'REJECTED');
    expect(rejected).toMatchObject({ tier: 'TIER_0', latestCase: { reason: 'The document has expired.' } });
    // The provider never answers for ...0004: the case stays open, and a second one is refused.
    expect(
      (await submit(token, details({ level: 'TIER_2', document: { ...doc, number: 'K1230004' }, selfieRef: 'selfie-3' }))).userErrors,
    ).toEqual([]);
    expect((await submit(token, details())).userErrors[0]!.message).toContain('already have a verification in progress');
  });

  it("puts referred cases in the admins' queue; an admin's decision is recorded with who and why", async () => {
    const token = await person();
    const other = await person();
    const submitted = await submit(
      token,
      details({ level: 'TIER_2', document: { type: 'ID_CARD', number: 'ID-555-0003', country: 'DE' }, selfieRef: 'selfie-4' }),
    );
    const caseId = submitted.kycCase!.id;
    await until(token, 'MANUAL_REVIEW');
    const queue = (await t.query(KyQueue, {}, { token: admin.token })).kycReviewQueue.edges.map((e) => e.node);
    expect(queue).toContainEqual({
      id: caseId,
      status: 'MANUAL_REVIEW',
      reason: 'The selfie could not be matched automatically.',
      legalName: 'Ada King Lovelace',
    });
    // Not for users: the queue, decisions, and other people's cases.
    expect((await t.request(KyQueue, {}, { token })).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(
      (await t.request(KyDecide, { input: { caseId, decision: 'APPROVE', reason: 'looks fine' } }, { token })).body.errors?.[0]?.extensions
        ?.code,
    ).toBe('FORBIDDEN');
    expect((await t.query(KyNode, { id: caseId }, { token: other })).node ?? null).toBeNull();
    expect((await t.query(KyNode, { id: caseId }, { token })).node).toEqual({ id: caseId, status: 'MANUAL_REVIEW' });

    expect(
      (await t.query(KyDecide, { input: { caseId, decision: 'APPROVE', reason: 'x' } }, { token: admin.token })).decideKyc.userErrors[0],
    ).toMatchObject({ field: ['input', 'reason'] });
    const decided = (
      await t.query(KyDecide, { input: { caseId, decision: 'APPROVE', reason: 'Selfie matches the ID photo.' } }, { token: admin.token })
    ).decideKyc;
    expect(decided.kycCase).toMatchObject({
      status: 'APPROVED',
      decisions: [
        { decision: 'MANUAL_REVIEW', decidedBy: null, reason: 'The selfie could not be matched automatically.' },
        { decision: 'APPROVED', decidedBy: { id: admin.id }, reason: 'Selfie matches the ID photo.' },
      ],
    });
    expect((await t.query(KyStatus, {}, { token })).kycStatus.tier).toBe('TIER_2');
    expect(
      (await t.query(KyDecide, { input: { caseId, decision: 'REJECT', reason: 'changed my mind' } }, { token: admin.token })).decideKyc
        .userErrors[0]!.message,
    ).toContain('not waiting for review');
  });
});

describe('the KYC webhook', () => {
  it("is signed and deduplicated like the processors' webhooks", async () => {
    const token = await person();
    const submitted = await submit(
      token,
      details({ level: 'TIER_2', document: { type: 'PASSPORT', number: 'P9990004', country: 'FR' }, selfieRef: 'selfie-5' }),
    );
    const reference = decodeId(submitted.kycCase!.id);
    const body = JSON.stringify({
      id: `evt_${randomUUID()}`,
      type: 'kyc.approved',
      created: Math.floor(Date.now() / 1000),
      data: { reference, providerRef: 'kyc_test' },
    });
    const post = (signature: string) =>
      fetch(`${t.origin}/webhooks/kyc`, { method: 'POST', headers: { 'content-type': 'application/json', signature }, body }).then(
        async (r) => ({ status: r.status, body: await r.json() }),
      );
    const now = Math.floor(Date.now() / 1000);
    expect(await post(signPayload(TEST_WEBHOOK_SECRETS.card, body, now))).toMatchObject({
      status: 400,
      body: { error: { code: 'SIGNATURE_MISMATCH' } },
    });
    expect(await post(signPayload(TEST_WEBHOOK_SECRETS.kyc, body, now - 301))).toMatchObject({
      status: 400,
      body: { error: { code: 'SIGNATURE_STALE' } },
    });
    expect((await t.query(KyStatus, {}, { token })).kycStatus).toMatchObject({ tier: 'TIER_0', latestCase: { status: 'PENDING' } });
    expect(await post(signPayload(TEST_WEBHOOK_SECRETS.kyc, body, now))).toEqual({
      status: 200,
      body: { received: true, outcome: 'APPLIED' },
    });
    expect(await post(signPayload(TEST_WEBHOOK_SECRETS.kyc, body, now))).toEqual({
      status: 200,
      body: { received: true, outcome: 'DUPLICATE' },
    });
    expect((await t.query(KyStatus, {}, { token })).kycStatus).toMatchObject({ tier: 'TIER_2', latestCase: { status: 'APPROVED' } });
  });
});

describe('document numbers', () => {
  it('are in no column, log line or response: only the vault holds them, encrypted', async () => {
    await new Promise((r) => setTimeout(r, 100));
    const numbers = ['K1230002', 'K1230004', 'ID5550003', 'P9990004'];
    const columns = await t.server.db.prisma.$queryRaw<{ schema: string; table: string; column: string; type: string }[]>`
      SELECT table_schema AS schema, table_name AS table, column_name AS column, data_type AS type FROM information_schema.columns
      WHERE table_schema IN ('public', 'vault', 'sandbox') AND data_type IN ('text', 'character varying', 'character', 'jsonb', 'json', 'bytea')`;
    for (const c of columns) {
      const asText = c.type === 'bytea' ? `encode("${c.column}", 'escape')` : `"${c.column}"::text`;
      for (const n of numbers) {
        const [row] = await t.server.db.prisma.$queryRawUnsafe<{ n: bigint }[]>(
          `SELECT count(*) AS n FROM "${c.schema}"."${c.table}" WHERE ${asText} ILIKE $1`,
          `%${n}%`,
        );
        expect(Number(row!.n), `${n} in ${c.schema}.${c.table}.${c.column}`).toBe(0);
      }
    }
    const everything = [...logLines, ...responses].join('\n');
    for (const n of [...numbers, 'ID-555-0003']) expect(everything.includes(n), `${n} in logs or responses`).toBe(false);
  });
});
