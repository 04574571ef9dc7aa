// One ID form everywhere. The test reads the served schema (graphql-js introspection) for every
// object type with an ID field, builds rich data through the API (a user with wallets, transfers,
// a card, a top-up and its refund, KYC, a merchant with a payment request, a payment, a refund, an
// API key and a webhook event; a payer; an admin with a risk review, an AML case and a KYC review),
// and records every ID value the responses carry, by type and field (each document gets
// `__typename` on every selection set). It then fails naming the type and field of any ID field
// no response reached, and of any value node() (and nodes()) does not resolve, for the viewer
// who got it, to an object of that type with the same id. Then the authorisation: a stranger and
// an anonymous caller get null for all of them, and an admin exactly what admin queries return.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isObjectType,
  Kind,
  parse,
  visit,
  type DocumentNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { encodeId } from '../helpers/globalIds.js';
import { expectLedgerConsistent } from '../helpers/ledger.js';
import { addVerifiedPhone, credit, signInAdmin, signUpUser, type TestUser, uniquePhone } from '../helpers/people.js';
import { startTestServer, STRONG_PASSWORD, uniqueEmail, type TestServer } from '../helpers/testServer.js';

const ADMIN = { email: 'ids.admin@example.com', password: 'Global-Ids-2026!' };

/**
 * ID fields that do not hold an object's id, so node() has nothing to resolve (an idempotency key
 * typed ID would go here). Empty: every ID field in the API is an object's id.
 */
const NOT_OBJECT_IDS = new Set<string>([]);

const GiSignUp = graphql(`
  mutation GiSignUp($input: SignUpInput!) { signUp(input: $input) { user { id } tokens { accessToken } } }
`);
const GiSend = graphql(`
  mutation GiSend($input: SendMoneyInput!) {
    sendMoney(input: $input) { transfer { id status wallet { id } } senderWallet { id } userErrors { code message } }
  }
`);
const GiAdjust = graphql(`
  mutation GiAdjust($input: AdminAdjustBalanceInput!) {
    adminAdjustBalance(input: $input) { transaction { id wallet { id } } userErrors { code message } }
  }
`);
const GiOpenWallet = graphql(
  `mutation GiOpenWallet($input: OpenWalletInput!) { openWallet(input: $input) { wallet { id } userErrors { code } } }`,
);
const GiAddCard = graphql(`
  mutation GiAddCard($input: AddCardInput!) { addCard(input: $input) { paymentMethod { id } userErrors { code message } } }
`);
const GiAddFunds = graphql(`
  mutation GiAddFunds($input: AddFundsInput!) { addFunds(input: $input) { funding { id status } userErrors { code message } } }
`);
const GiRefundDeposit = graphql(`
  mutation GiRefundDeposit($input: AdminRefundDepositInput!) {
    adminRefundDeposit(input: $input) { funding { id refundOf { id } } userErrors { code message } }
  }
`);
const GiSubmitKyc = graphql(`
  mutation GiSubmitKyc($input: SubmitKycInput!) { submitKyc(input: $input) { kycCase { id user { id } } userErrors { code message } } }
`);
const GiKycStatus = graphql(`query GiKycStatus { kycStatus { latestCase { id status } } }`);
const GiRegister = graphql(`
  mutation GiRegister($input: RegisterMerchantInput!) { registerMerchant(input: $input) { merchant { id } userErrors { code message } } }
`);
const GiCreateRequest = graphql(`
  mutation GiCreateRequest($input: CreatePaymentRequestInput!) {
    createPaymentRequest(input: $input) { paymentRequest { code } userErrors { code message } }
  }
`);
const GiPay = graphql(`
  mutation GiPay($input: PayPaymentRequestInput!) {
    payPaymentRequest(input: $input) { payment { id } transaction { id } userErrors { code message } }
  }
`);
const GiRefund = graphql(`
  mutation GiRefund($input: RefundPaymentInput!) {
    refundPayment(input: $input) { refund { id } payment { id } userErrors { code message } }
  }
`);
const GiCreateApiKey = graphql(`
  mutation GiCreateApiKey($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id } userErrors { code message } } }
`);
const GiUser = graphql(`
  query GiUser($walletId: ID!) {
    me { id wallets { id } sessions(first: 5) { edges { node { id } } } }
    transactions(walletId: $walletId, first: 20) { edges { node { id wallet { id } } } }
    paymentMethods { id }
    fundingOperations(first: 10) { edges { node { id paymentMethod { id } transaction { id } refundOf { id } } } }
    kycStatus { latestCase { id user { id } } }
  }
`);
const GiMerchant = graphql(`
  query GiMerchant($merchantId: ID!) {
    myMerchants { id apiKeys { id } webhookEvents(first: 10) { edges { node { id } } } }
    merchantPayments(merchantId: $merchantId, first: 10) { edges { node { id refunds { id } } } }
  }
`);
const GiAdminQueues = graphql(`
  query GiAdminQueues {
    riskReviewQueue(first: 10) {
      edges { node { id user { id } transaction { id wallet { id } } fromWallet { id } toWallet { id } decidedBy { id } } }
    }
    amlCases(first: 10) { edges { node { id user { id } transactions { id } decidedBy { id } } } }
    kycReviewQueue(first: 10) { edges { node { id user { id } decisions { decidedBy { id } } } } }
    users(first: 10) { edges { node { id wallets { id } } } }
    auditEvents(first: 10) { edges { node { id actor { id } subject { id } } } }
  }
`);
const GiDecideRisk = graphql(`
  mutation GiDecideRisk($input: DecideRiskReviewInput!) {
    decideRiskReview(input: $input) { review { id decidedBy { id } transaction { id } } userErrors { code message } }
  }
`);
const GiDecideAml = graphql(`
  mutation GiDecideAml($input: DecideAmlCaseInput!) {
    decideAmlCase(input: $input) { amlCase { id user { id } decidedBy { id } } userErrors { code message } }
  }
`);
const GiDecideKyc = graphql(`
  mutation GiDecideKyc($input: DecideKycInput!) {
    decideKyc(input: $input) { kycCase { id user { id } decisions { decidedBy { id } } } userErrors { code message } }
  }
`);
const GiStatements = graphql(`
  query GiStatements($walletId: ID!, $period: StatementPeriodInput!, $month: String!) {
    statements(walletId: $walletId, first: 5) { edges { node { id statement { wallet { id } } } } }
    statement(walletId: $walletId, period: $period) {
      statement { wallet { id } lines(first: 5) { edges { node { transaction { id } } } } }
      userErrors { code message }
    }
    insights(walletId: $walletId, month: $month) { insights { wallet { id } largestTransactions { id } } userErrors { code message } }
  }
`);
const GiRegisterPush = graphql(`
  mutation GiRegisterPush($input: RegisterPushDeviceInput!) { registerPushDevice(input: $input) { device { id } userErrors { code message } } }
`);
const GiNotifications = graphql(`
  query GiNotifications {
    notifications(first: 20) { edges { node { id wallet { id } transaction { id } statement { id } } } }
    pushDevices { id }
  }
`);
const GiFunding = graphql(`query GiFunding { fundingOperations(first: 10) { edges { node { id status } } } }`);
const GiNode = graphql(`query GiNode($id: ID!) { node(id: $id) { __typename id } }`);
const GiTransaction = graphql(`
  query GiTransaction($id: ID!) { node(id: $id) { __typename id ... on Transaction { direction wallet { id } } } }
`);
const GiNodes = graphql(`query GiNodes($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`);

interface Viewer {
  name: string;
  token: string;
}

/** One ID value a response carried: on which type and field, and for whom. */
interface SeenId {
  type: string;
  field: string;
  id: string;
  viewer: Viewer;
}

let t: TestServer;
let schema: GraphQLSchema;
let hook: Server;
const seen: SeenId[] = [];
let alice: Viewer & { user: TestUser };
let bob: Viewer & { user: TestUser };
let admin: Viewer;
let stranger: Viewer & { user: TestUser };

/** The document with `__typename` on every selection set, so each object in the answer names its type. */
function withTypenames(document: DocumentNode): DocumentNode {
  return visit(document, {
    SelectionSet(node) {
      if (node.selections.some((s) => s.kind === Kind.FIELD && s.name.value === '__typename')) return undefined;
      return { ...node, selections: [...node.selections, { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } }] };
    },
  });
}

/** Every ID value in `value`, by the type and field that hold it. */
function collect(value: unknown, viewer: Viewer): void {
  if (Array.isArray(value)) {
    for (const item of value) collect(item, viewer);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const object = value as Record<string, unknown>;
  const type = typeof object.__typename === 'string' ? schema.getType(object.__typename) : undefined;
  for (const [key, item] of Object.entries(object)) {
    if (key === '__typename') continue;
    const field = isObjectType(type) ? type.getFields()[key] : undefined;
    if (field && getNamedType(field.type).name === 'ID' && item !== null) {
      for (const id of [item].flat()) seen.push({ type: type!.name, field: key, id: id as string, viewer });
    }
    collect(item, viewer);
  }
}

/** Runs a document as `viewer` (no userErrors, no errors) and records the IDs in its answer. */
async function run<R, V>(viewer: Viewer, document: TypedDocumentNode<R, V>, variables: V): Promise<R> {
  const { body } = await t.request(withTypenames(document) as TypedDocumentNode<R, V>, variables, { token: viewer.token });
  if (body.errors?.length) throw new Error(`${viewer.name}: ${JSON.stringify(body.errors)}`);
  collect(body.data, viewer);
  const refused = JSON.stringify(body.data).match(/"userErrors":\[\{[^\]]*\]/);
  if (refused) throw new Error(`${viewer.name}: ${refused[0]}`);
  return body.data!;
}

async function until<T>(check: () => Promise<T | undefined | null | false>, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const usd = (amount: string) => ({ amount, currency: 'USD' });
const viewerOf = (name: string, user: TestUser) => ({ name, token: user.token, user });

beforeAll(async () => {
  t = await startTestServer({
    BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
    BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
    // A large send to someone never paid before is held for review; the small ones here are not.
    RISK_RULES: 'true',
    RISK_LARGE_AMOUNT: '100',
    // Every selection set also asks for __typename.
    MAX_QUERY_COST: '50000',
  });
  const introspection = await t.request(parse(getIntrospectionQuery()) as TypedDocumentNode<IntrospectionQuery, Record<string, never>>);
  schema = buildClientSchema(introspection.body.data!);
  hook = createServer((_req, res) => res.writeHead(200).end('ok'));
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hooks`;

  admin = { name: 'admin', token: await signInAdmin(t, ADMIN) };
  // Alice adds a card and creates an API key: her session is stepped up (her email's code).
  alice = viewerOf('alice', await signUpUser(t, { label: 'ids-alice', displayName: 'Alice Ids', steppedUp: true }));
  bob = viewerOf('bob', await signUpUser(t, { label: 'ids-bob', displayName: 'Bob Ids' }));
  const carol = viewerOf('carol', await signUpUser(t, { label: 'ids-carol', displayName: 'Carol Ids' }));
  stranger = viewerOf('stranger', await signUpUser(t, { label: 'ids-stranger' }));

  // Money, as an admin adjustment (whose answer is the user's transaction), and transfers.
  await run(admin, GiAdjust, {
    input: { walletId: alice.user.walletId, amount: usd('500.00'), direction: 'CREDIT', reason: 'ids test', idempotencyKey: randomUUID() },
  });
  await credit(t, admin.token, bob.user.walletId, '100.00');
  await credit(t, admin.token, carol.user.walletId, '500.00');
  await run(alice, GiSend, { input: { recipient: { email: bob.user.email }, amount: usd('10.00'), idempotencyKey: randomUUID() } });
  await run(alice, GiOpenWallet, { input: { currency: 'EUR' } });

  // A card, a top-up from it, and an admin's refund of the top-up.
  const card = await run(alice, GiAddCard, {
    input: { number: '4242424242424242', expMonth: 12, expYear: new Date().getUTCFullYear() + 2, cvc: '123', holderName: 'Alice Ids' },
  });
  const topUp = await run(alice, GiAddFunds, {
    input: { paymentMethodId: card.addCard.paymentMethod!.id, amount: usd('20.00'), idempotencyKey: randomUUID() },
  });
  const fundingId = topUp.addFunds.funding!.id;
  await until(
    async () =>
      (await t.query(GiFunding, {}, { token: alice.token })).fundingOperations.edges.some(
        (e) => e.node.id === fundingId && e.node.status === 'SUCCEEDED',
      ),
    'the top-up to succeed',
  );
  await run(admin, GiRefundDeposit, { input: { fundingId, amount: usd('5.00'), reason: 'ids test refund', idempotencyKey: randomUUID() } });

  // KYC that the provider refers to the admins (a document number ending in 0003).
  await addVerifiedPhone(t, alice.token, uniquePhone());
  await run(alice, GiSubmitKyc, {
    input: {
      level: 'TIER_2',
      legalName: 'Alice Ids',
      dateOfBirth: '1990-12-10',
      address: { line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' },
      document: { type: 'ID_CARD', number: 'ID-555-0003', country: 'DE' },
      selfieRef: 'selfie-ids',
    },
  });
  await until(
    async () => (await t.query(GiKycStatus, {}, { token: alice.token })).kycStatus.latestCase?.status === 'MANUAL_REVIEW',
    'the KYC referral',
  );

  // A merchant with a webhook URL, a payment request that Bob pays, a refund, an API key.
  const merchantId = (
    await run(alice, GiRegister, { input: { name: 'Ids Coffee', category: 'coffee shop', settlementCurrency: 'USD', webhookUrl: hookUrl } })
  ).registerMerchant.merchant!.id;
  const code = (await run(alice, GiCreateRequest, { input: { merchantId, amount: usd('4.50'), description: 'Flat white' } }))
    .createPaymentRequest.paymentRequest!.code;
  await run(bob, GiPay, { input: { code, idempotencyKey: randomUUID() } });
  const payments = await run(alice, GiMerchant, { merchantId });
  await run(alice, GiRefund, {
    input: { paymentId: payments.merchantPayments.edges[0]!.node.id, amount: usd('1.00'), reason: 'spilled', idempotencyKey: randomUUID() },
  });
  await run(alice, GiCreateApiKey, { input: { merchantId, name: 'ids test', scopes: ['PAYMENTS_READ'] } });
  await run(alice, GiMerchant, { merchantId });

  // The admins' queues: a held transfer, a sanctions hit at sign-up, the KYC referral.
  await run(carol, GiSend, { input: { recipient: { email: bob.user.email }, amount: usd('150.00'), idempotencyKey: randomUUID() } });
  await t.query(GiSignUp, { input: { email: uniqueEmail('ids-sanctioned'), password: STRONG_PASSWORD, displayName: 'SANCTIONOV, Ivan' } });
  const queues = await run(admin, GiAdminQueues, {});

  // Decisions, so that decidedBy is answered too.
  const review = queues.riskReviewQueue.edges.find((e) => e.node.fromWallet.id === carol.user.walletId)!.node;
  await run(admin, GiDecideRisk, { input: { reviewId: review.id, decision: 'APPROVE', reason: 'checked with the sender' } });
  await run(admin, GiDecideAml, {
    input: { caseId: queues.amlCases.edges[0]!.node.id, decision: 'CLEAR', reason: 'not the listed person' },
  });
  await run(admin, GiDecideKyc, {
    input: { caseId: queues.kycReviewQueue.edges[0]!.node.id, decision: 'APPROVE', reason: 'selfie matches' },
  });

  // What each user reads of their own.
  await run(alice, GiUser, { walletId: alice.user.walletId });
  await run(bob, GiUser, { walletId: bob.user.walletId });
  // Bob was paid (notifications) and has a phone for pushes.
  await run(bob, GiRegisterPush, { input: { platform: 'ANDROID', token: `ids-test-${randomUUID()}` } });
  await run(bob, GiNotifications, {});

  // Statements (this month's monthly one, as the job makes it once the month is over) and insights.
  const now = new Date();
  await t.server.services.statements.generateMonthly({ now: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1, 12)) });
  const today = now.toISOString().slice(0, 10);
  await run(alice, GiStatements, { walletId: alice.user.walletId, period: { from: today, to: today }, month: today.slice(0, 7) });
}, 120_000);

afterAll(async () => {
  if (t) await expectLedgerConsistent(t);
  await t?.stop();
  await new Promise((resolve) => hook?.close(resolve));
});

/** Distinct (viewer, id) pairs with the first type and field that carried each. */
function distinctIds(filter: (s: SeenId) => boolean = () => true): SeenId[] {
  const byKey = new Map<string, SeenId>();
  for (const s of seen.filter(filter)) if (!byKey.has(`${s.viewer.name} ${s.id}`)) byKey.set(`${s.viewer.name} ${s.id}`, s);
  return [...byKey.values()];
}

/** The type a node() of this value should answer: the holder for `id`, any type otherwise. */
const expectedType = (s: SeenId) => (s.field === 'id' ? s.type : undefined);

describe('every ID is a global id that node() resolves', () => {
  it('reaches every ID field of every object type in the schema', () => {
    const idFields = Object.values(schema.getTypeMap())
      .filter((type) => isObjectType(type) && !type.name.startsWith('__'))
      .flatMap((type) =>
        Object.values((type as GraphQLObjectType).getFields())
          .filter((field) => getNamedType(field.type).name === 'ID')
          .map((field) => `${type.name}.${field.name}`),
      );
    // The walk must cover the Node types this test knows of, so an empty walk cannot pass.
    expect(idFields.length).toBeGreaterThanOrEqual(15);
    const reached = new Set(seen.map((s) => `${s.type}.${s.field}`));
    const missed = idFields.filter((f) => !reached.has(f) && !NOT_OBJECT_IDS.has(f)).sort();
    expect(missed, `ID fields no query in this test reached (add data and a query for them): ${missed.join(', ')}`).toEqual([]);
  });

  it('node(id) answers each value, for the viewer who got it, with an object of that type and the same id', async () => {
    const failures: string[] = [];
    for (const s of distinctIds()) {
      const { body } = await t.request(GiNode, { id: s.id }, { token: s.viewer.token });
      const node = body.data?.node;
      const type = expectedType(s);
      if (body.errors?.length || !node || node.id !== s.id || (type && node.__typename !== type)) {
        failures.push(`${s.type}.${s.field} (as ${s.viewer.name}): node() answered ${JSON.stringify(body.errors ?? node ?? null)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('nodes(ids) answers them all at once, in order', async () => {
    for (const viewer of [alice, bob, admin]) {
      const mine = distinctIds((s) => s.viewer === viewer);
      for (let i = 0; i < mine.length; i += 100) {
        const batch = mine.slice(i, i + 100);
        const nodes = (await t.query(GiNodes, { ids: batch.map((s) => s.id) }, { token: viewer.token })).nodes;
        expect(
          nodes.map(
            (n, j) =>
              `${batch[j]!.type}.${batch[j]!.field}: ${n?.id === batch[j]!.id && (expectedType(batch[j]!) ?? n.__typename) === n.__typename}`,
          ),
        ).toEqual(batch.map((s) => `${s.type}.${s.field}: true`));
      }
    }
  });
});

describe('node() answers only those allowed to see the object', () => {
  it('answers null to another user and to an anonymous caller, for every id in the walk', async () => {
    // The admin's list of users holds the stranger too: their own user and wallet are theirs to load.
    const own = new Set([encodeId('User', stranger.user.userId), stranger.user.walletId]);
    const ids = [...new Set(seen.map((s) => s.id))].filter((id) => !own.has(id));
    expect(ids.length).toBeGreaterThan(20);
    const answered: string[] = [];
    for (const id of ids) {
      for (const token of [stranger.token, undefined]) {
        const { body } = await t.request(GiNode, { id }, { token });
        if (body.data?.node !== null) answered.push(`${seen.find((s) => s.id === id)!.type} ${token ? 'to a stranger' : 'anonymously'}`);
      }
    }
    expect(answered).toEqual([]);
  });

  it("lets an admin load what admin queries return (a user, their wallets, transactions, top-ups, KYC cases, statements), and nothing else of a user's", async () => {
    const usersIds = seen.filter((s) => s.viewer !== admin && s.field === 'id');
    const byType = new Map<string, string>();
    for (const s of usersIds) if (!byType.has(s.type)) byType.set(s.type, s.id);
    const adminAnswers: Record<string, string | null> = {};
    for (const [type, id] of [...byType].sort()) {
      adminAnswers[type] = (await t.query(GiNode, { id }, { token: admin.token })).node?.__typename ?? null;
    }
    expect(adminAnswers).toEqual({
      // Admin queries return these: users and their wallets (users, adminSetWalletStatus), transactions
      // (reviews, AML cases, a wallet's history), top-ups (adminRefundDeposit), KYC cases (kycReviewQueue).
      FundingOperation: 'FundingOperation',
      KycCase: 'KycCase',
      // Statements of a user wallet, as for the wallet itself.
      MonthlyStatement: 'MonthlyStatement',
      Transaction: 'Transaction',
      User: 'User',
      Wallet: 'Wallet',
      // The rest is the user's or their merchant's alone.
      ApiKey: null,
      Merchant: null,
      MerchantPayment: null,
      MerchantRefund: null,
      Notification: null,
      PaymentMethod: null,
      PaymentReceipt: null,
      PushDevice: null,
      Session: null,
      WebhookEvent: null,
    });
  });

  it("resolves a user's P2P transaction for an admin, seen from the sender's wallet", async () => {
    const transfer = (
      await t.query(
        GiSend,
        { input: { recipient: { email: bob.user.email }, amount: usd('2.00'), idempotencyKey: randomUUID() } },
        { token: alice.token },
      )
    ).sendMoney.transfer!;
    expect((await t.query(GiTransaction, { id: transfer.id }, { token: admin.token })).node).toEqual({
      __typename: 'Transaction',
      id: transfer.id,
      direction: 'OUT',
      wallet: { id: alice.user.walletId },
    });
    expect((await t.query(GiNode, { id: transfer.id }, { token: stranger.token })).node).toBeNull();
  });
});
