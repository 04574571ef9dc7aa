// POST /webhooks/<provider> over real HTTP, in isolation from the sandbox processors (their own
// webhooks are due only after ten minutes, so every event here is one the test sent): signature
// checks that refuse before anything is read, exactly-once application of an event, the deposit
// state machine when events arrive late or out of order, unmatched events kept for
// reconciliation, secret rolling, and concurrent deliveries of one event.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPayload } from '../../src/services/webhooks/signature.js';
import { graphql } from '../gql/index.js';
import { expectLedgerConsistent } from '../helpers/ledger.js';
import { startTestServer, STRONG_PASSWORD, TEST_WEBHOOK_SECRETS, uniqueEmail, type TestServer } from '../helpers/testServer.js';
import { verifyEmail } from '../helpers/people.js';
import { decodeId } from '../helpers/globalIds.js';

const WhSignUp = graphql(`
  mutation WhSignUp($input: SignUpInput!) { signUp(input: $input) { tokens { accessToken } userErrors { code message } } }
`);
const WhAddCard = graphql(`
  mutation WhAddCard($input: AddCardInput!) { addCard(input: $input) { paymentMethod { id status } userErrors { code message } } }
`);
const WhMyWallets = graphql(`
  query WhMyWallets { me { wallets { currency balance { posted { amount } } } } }
`);

const WhAddFunds = graphql(`
  mutation WhAddFunds($input: AddFundsInput!) {
    addFunds(input: $input) { funding { id status transaction { id type } } userErrors { field code message } }
  }
`);
const WhFundingNode = graphql(`
  query WhFundingNode($id: ID!) { node(id: $id) { __typename id ... on FundingOperation { status transaction { id type } } } }
`);

type WhFunding = { status: string; transaction: { id: string; type: string } | null };

const CARD = '4242424242424242';
const nextYear = new Date().getUTCFullYear() + 1;
/** The sandbox's own webhooks are due only after ten minutes: every event a test sees, it sent. */
const ISOLATED = { SANDBOX_WEBHOOK_DELAY_MS: '600000' };
const NEW_CARD_SECRET = 'whsec-card-rolled-secret-0123456789abcde';

interface Customer {
  s: TestServer;
  token: string;
  paymentMethodId: string;
}

interface Deposit {
  customer: Customer;
  /** Global id (for GraphQL). */
  gid: string;
  /** Database id: the processor's reference. */
  id: string;
}

type WebhookType = 'charge.succeeded' | 'charge.failed' | 'charge.pending' | 'charge.disputed';

const now = () => Math.floor(Date.now() / 1000);
const eventId = () => `evt_test_${randomBytes(12).toString('hex')}`;

async function newCustomer(s: TestServer, label: string): Promise<Customer> {
  const email = uniqueEmail(label);
  const { signUp } = await s.query(WhSignUp, { input: { email, password: STRONG_PASSWORD, displayName: label } });
  expect(signUp.userErrors).toEqual([]);
  const token = signUp.tokens!.accessToken;
  // Adding a card needs a recent second factor: the email's code gives one.
  await verifyEmail(s, { email, token });
  const { addCard } = await s.query(
    WhAddCard,
    { input: { number: CARD, expMonth: 12, expYear: nextYear, cvc: '123', holderName: 'Ada Lovelace' } },
    { token },
  );
  expect(addCard.userErrors).toEqual([]);
  return { s, token, paymentMethodId: addCard.paymentMethod!.id };
}

async function newDeposit(customer: Customer): Promise<Deposit> {
  const { addFunds } = await customer.s.query(
    WhAddFunds,
    { input: { paymentMethodId: customer.paymentMethodId, amount: { amount: '25.00', currency: 'USD' }, idempotencyKey: randomUUID() } },
    { token: customer.token },
  );
  expect(addFunds.userErrors).toEqual([]);
  const funding = addFunds.funding!;
  expect(funding.status).toBe('PENDING');
  return { customer, gid: funding.id, id: decodeId(funding.id, 'FundingOperation') };
}

function eventFor(deposit: Deposit, type: WebhookType, id = eventId()) {
  return {
    id,
    type,
    created: now(),
    data: {
      reference: deposit.id,
      providerRef: `ch_test_${deposit.id.slice(0, 8)}`,
      amount: '2500',
      currency: 'USD',
      ...(type === 'charge.failed' || type === 'charge.disputed'
        ? { failureCode: 'card_declined', failureMessage: 'The card was declined.' }
        : {}),
    },
  };
}

const sign = (body: string, options: { secret?: string; t?: number } = {}) =>
  signPayload(options.secret ?? TEST_WEBHOOK_SECRETS.card, body, options.t ?? now());

interface WebhookAnswer {
  status: number;
  body: { received?: boolean; outcome?: string; error?: { code: string; message: string } };
}

async function post(
  s: TestServer,
  body: string,
  signature: string | undefined,
  provider: 'card' | 'bank' = 'card',
): Promise<WebhookAnswer> {
  const res = await fetch(`${s.origin}/webhooks/${provider}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature === undefined ? {} : { signature }) },
    body,
  });
  return { status: res.status, body: (await res.json()) as WebhookAnswer['body'] };
}

/** Signs `event` now with the card secret and POSTs it to /webhooks/card. */
async function deliver(s: TestServer, event: object, secret?: string): Promise<WebhookAnswer> {
  const body = JSON.stringify(event);
  return post(s, body, sign(body, { secret }));
}

/** Posted USD balance in minor units. */
async function postedCents(customer: Customer): Promise<number> {
  const { me } = await customer.s.query(WhMyWallets, {}, { token: customer.token });
  const usd = me.wallets.find((w) => w.currency === 'USD')!;
  return Math.round(Number(usd.balance.posted.amount) * 100);
}

async function fundingNode(deposit: Deposit): Promise<WhFunding> {
  const { node } = await deposit.customer.s.query(WhFundingNode, { id: deposit.gid }, { token: deposit.customer.token });
  if (node?.__typename !== 'FundingOperation') throw new Error(`expected a FundingOperation, got ${node?.__typename ?? 'null'}`);
  return { status: node.status, transaction: node.transaction ?? null };
}

async function count(s: TestServer, table: 'ledger_transactions' | 'webhook_events'): Promise<number> {
  const rows =
    table === 'ledger_transactions'
      ? await s.server.db.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM ledger_transactions`
      : await s.server.db.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM webhook_events`;
  return rows[0]!.n;
}

/** Everything a webhook could change, as seen from outside. */
async function snapshot(deposit: Deposit) {
  const s = deposit.customer.s;
  const node = await fundingNode(deposit);
  return {
    status: node.status,
    transaction: node.transaction,
    posted: await postedCents(deposit.customer),
    ledgerTransactions: await count(s, 'ledger_transactions'),
    webhookEvents: await count(s, 'webhook_events'),
  };
}

async function ledgerRowsFor(s: TestServer, fundingId: string) {
  return s.server.db.prisma.$queryRaw<{ id: string; type: string; status: string; amount: bigint; reverses_id: string | null }[]>`
    SELECT id::text, type::text, status::text, amount, reverses_id::text FROM ledger_transactions
    WHERE metadata->>'fundingId' = ${fundingId} ORDER BY created_at, id`;
}

let t: TestServer;
let alice: Customer;

beforeAll(async () => {
  t = await startTestServer(ISOLATED);
  alice = await newCustomer(t, 'wh-alice');
});
afterAll(async () => t?.stop());

describe('a correctly signed event', () => {
  it('is applied once: the deposit succeeds, 25.00 is posted in one DEPOSIT; a redelivery is DUPLICATE, a second succeeded IGNORED', async () => {
    const deposit = await newDeposit(alice);
    const before = await snapshot(deposit);
    expect(before.status).toBe('PENDING');
    expect(before.transaction).toBeNull();

    const event = eventFor(deposit, 'charge.succeeded');
    const body = JSON.stringify(event);
    const first = await post(t, body, sign(body));
    expect(first).toEqual({ status: 200, body: { received: true, outcome: 'APPLIED' } });

    const after = await snapshot(deposit);
    expect(after.status).toBe('SUCCEEDED');
    expect(after.transaction?.type).toBe('DEPOSIT');
    expect(after.posted - before.posted).toBe(2500);
    expect(after.ledgerTransactions - before.ledgerTransactions).toBe(1);
    expect(after.webhookEvents - before.webhookEvents).toBe(1);
    const rows = await ledgerRowsFor(t, deposit.id);
    expect(rows.map((r) => [r.type, r.status, r.amount])).toEqual([['DEPOSIT', 'POSTED', 2500n]]);
    const [stored] = await t.server.db.prisma.$queryRaw<{ outcome: string; funding_operation_id: string | null }[]>`
      SELECT outcome, funding_operation_id::text FROM webhook_events WHERE provider = 'card' AND event_id = ${event.id}`;
    expect(stored).toEqual({ outcome: 'APPLIED', funding_operation_id: deposit.id });

    // The processor retries the very same event later: a fresh signature, the same id.
    const again = await post(t, body, sign(body, { t: now() + 1 }));
    expect(again).toEqual({ status: 200, body: { received: true, outcome: 'DUPLICATE' } });
    expect(await snapshot(deposit)).toEqual(after);

    // Another succeeded event for the same deposit: already succeeded, nothing to do.
    const other = await deliver(t, eventFor(deposit, 'charge.succeeded'));
    expect(other).toEqual({ status: 200, body: { received: true, outcome: 'IGNORED' } });
    expect(await snapshot(deposit)).toEqual({ ...after, webhookEvents: after.webhookEvents + 1 });
    expect(await ledgerRowsFor(t, deposit.id)).toHaveLength(1);
  });
});

describe('a refused webhook changes nothing', () => {
  let deposit: Deposit;
  let body: string;
  beforeAll(async () => {
    deposit = await newDeposit(alice);
    body = JSON.stringify(eventFor(deposit, 'charge.succeeded'));
  });

  const randomHex = () => randomBytes(32).toString('hex');
  const cases: [string, () => { body: string; signature: string | undefined }, string][] = [
    ['a signature of random hex', () => ({ body, signature: `t=${now()},v1=${randomHex()}` }), 'SIGNATURE_MISMATCH'],
    ['no signature header', () => ({ body, signature: undefined }), 'SIGNATURE_MISSING'],
    ['a header without v1', () => ({ body, signature: `t=${now()}` }), 'SIGNATURE_MALFORMED'],
    ['a timestamp 301 s old', () => ({ body, signature: sign(body, { t: now() - 301 }) }), 'SIGNATURE_STALE'],
    // 303, not 301: the server reads its clock after the test does, and a second that ticks over in between
    // brings a future timestamp one second closer (301 then lands on the 300 s boundary and is accepted).
    ['a timestamp 303 s in the future', () => ({ body, signature: sign(body, { t: now() + 303 }) }), 'SIGNATURE_FUTURE'],
    [
      'a body changed by one byte after signing',
      () => {
        const changed = body.replace('"amount":"2500"', '"amount":"9500"');
        expect(changed).not.toBe(body);
        expect(Buffer.byteLength(changed)).toBe(Buffer.byteLength(body));
        return { body: changed, signature: sign(body) };
      },
      'SIGNATURE_MISMATCH',
    ],
    [
      'a body signed with a wrong secret',
      () => ({ body, signature: sign(body, { secret: 'whsec-card-wrong-secret-0123456789abcdef' }) }),
      'SIGNATURE_MISMATCH',
    ],
    [
      'a correctly signed body that is no event (no data.reference)',
      () => {
        const event = eventFor(deposit, 'charge.succeeded');
        const { reference: _dropped, ...data } = event.data;
        const invalid = JSON.stringify({ ...event, data });
        return { body: invalid, signature: sign(invalid) };
      },
      'MALFORMED_EVENT',
    ],
  ];

  it.each(cases)('refuses %s with 400', async (_name, make, code) => {
    const before = await snapshot(deposit);
    expect(before.status).toBe('PENDING');
    const request = make();
    const answer = await post(t, request.body, request.signature);
    expect(answer.status).toBe(400);
    expect(answer.body.error?.code).toBe(code);
    expect(answer.body.received).toBeUndefined();
    expect(await snapshot(deposit)).toEqual(before);
  });

  it('does not take a card-signed event at /webhooks/bank', async () => {
    const before = await snapshot(deposit);
    const answer = await post(t, body, sign(body), 'bank');
    expect(answer.status).toBe(400);
    expect(answer.body.error?.code).toBe('SIGNATURE_MISMATCH');
    expect(await snapshot(deposit)).toEqual(before);
    expect(before.status).toBe('PENDING');
  });
});

describe('a rolled secret', () => {
  let t2: TestServer;
  beforeAll(async () => {
    expect(NEW_CARD_SECRET).toHaveLength(40);
    t2 = await startTestServer({ ...ISOLATED, WEBHOOK_SECRET_CARD: `${NEW_CARD_SECRET},${TEST_WEBHOOK_SECRETS.card}` });
  });
  afterAll(async () => t2?.stop());

  it('accepts events signed with the old secret and with the new one while both are configured', async () => {
    const bob = await newCustomer(t2, 'wh-rolled');
    const start = await postedCents(bob);
    const old = await newDeposit(bob);
    expect(await deliver(t2, eventFor(old, 'charge.succeeded'), TEST_WEBHOOK_SECRETS.card)).toEqual({
      status: 200,
      body: { received: true, outcome: 'APPLIED' },
    });
    const fresh = await newDeposit(bob);
    expect(await deliver(t2, eventFor(fresh, 'charge.succeeded'), NEW_CARD_SECRET)).toEqual({
      status: 200,
      body: { received: true, outcome: 'APPLIED' },
    });
    expect((await fundingNode(old)).status).toBe('SUCCEEDED');
    expect((await fundingNode(fresh)).status).toBe('SUCCEEDED');
    expect((await postedCents(bob)) - start).toBe(5000);
    await expectLedgerConsistent(t2);
  });

  it('is not known to a server configured with the old secret only', async () => {
    const deposit = await newDeposit(alice);
    const before = await snapshot(deposit);
    const answer = await deliver(t, eventFor(deposit, 'charge.succeeded'), NEW_CARD_SECRET);
    expect(answer.status).toBe(400);
    expect(answer.body.error?.code).toBe('SIGNATURE_MISMATCH');
    expect(await snapshot(deposit)).toEqual(before);
  });
});

describe('an event for no known deposit', () => {
  it('is acknowledged as UNMATCHED and kept for reconciliation, moving no money', async () => {
    const ledgerBefore = await count(t, 'ledger_transactions');
    const eventsBefore = await count(t, 'webhook_events');
    const reference = randomUUID();
    const event = {
      id: eventId(),
      type: 'charge.succeeded',
      created: now(),
      data: { reference, providerRef: 'ch_test_unknown', amount: '2500', currency: 'USD' },
    };
    expect(await deliver(t, event)).toEqual({ status: 200, body: { received: true, outcome: 'UNMATCHED' } });
    const stored = await t.server.db.prisma.$queryRaw<
      { outcome: string; type: string; funding_operation_id: string | null; reference: string }[]
    >`
      SELECT outcome, type, funding_operation_id::text, payload->'data'->>'reference' AS reference
      FROM webhook_events WHERE provider = 'card' AND event_id = ${event.id}`;
    expect(stored).toEqual([{ outcome: 'UNMATCHED', type: 'charge.succeeded', funding_operation_id: null, reference }]);
    expect(await count(t, 'webhook_events')).toBe(eventsBefore + 1);
    expect(await count(t, 'ledger_transactions')).toBe(ledgerBefore);
  });
});

describe('events out of order', () => {
  it('keeps a failed deposit failed: a late pending and a later succeeded are IGNORED', async () => {
    const deposit = await newDeposit(alice);
    const before = await snapshot(deposit);

    expect(await deliver(t, eventFor(deposit, 'charge.failed'))).toEqual({ status: 200, body: { received: true, outcome: 'APPLIED' } });
    const failed = await snapshot(deposit);
    expect(failed).toEqual({ ...before, status: 'FAILED', webhookEvents: before.webhookEvents + 1 });

    expect(await deliver(t, eventFor(deposit, 'charge.pending'))).toEqual({ status: 200, body: { received: true, outcome: 'IGNORED' } });
    expect(await deliver(t, eventFor(deposit, 'charge.succeeded'))).toEqual({ status: 200, body: { received: true, outcome: 'IGNORED' } });
    expect(await snapshot(deposit)).toEqual({ ...failed, webhookEvents: failed.webhookEvents + 2 });
    expect(await ledgerRowsFor(t, deposit.id)).toEqual([]);
  });

  it('reverses a succeeded deposit on a later failed event, as a new linked REVERSAL transaction', async () => {
    const deposit = await newDeposit(alice);
    const before = await snapshot(deposit);

    expect(await deliver(t, eventFor(deposit, 'charge.succeeded'))).toEqual({ status: 200, body: { received: true, outcome: 'APPLIED' } });
    const succeeded = await snapshot(deposit);
    expect(succeeded.status).toBe('SUCCEEDED');
    expect(succeeded.posted - before.posted).toBe(2500);
    const [original] = await ledgerRowsFor(t, deposit.id);

    expect(await deliver(t, eventFor(deposit, 'charge.failed'))).toEqual({ status: 200, body: { received: true, outcome: 'APPLIED' } });
    const reversed = await snapshot(deposit);
    expect(reversed.status).toBe('REVERSED');
    expect(reversed.posted).toBe(before.posted);
    expect(reversed.ledgerTransactions - before.ledgerTransactions).toBe(2);
    // The deposit still points at what posted the money, which is now marked REVERSED.
    expect(reversed.transaction?.type).toBe('DEPOSIT');

    const rows = await ledgerRowsFor(t, deposit.id);
    expect(rows.map((r) => [r.type, r.status, r.amount])).toEqual([
      ['DEPOSIT', 'REVERSED', 2500n],
      ['REVERSAL', 'POSTED', 2500n],
    ]);
    expect(rows[0]!.id).toBe(original!.id);
    const reversals = await t.server.db.prisma.$queryRaw<{ id: string; reverses_id: string }[]>`
      SELECT id::text, reverses_id::text FROM ledger_transactions WHERE type = 'REVERSAL' AND reverses_id = ${original!.id}::uuid`;
    expect(reversals).toEqual([{ id: rows[1]!.id, reverses_id: original!.id }]);
    const [op] = await t.server.db.prisma.$queryRaw<{ transaction_id: string; reversal_transaction_id: string }[]>`
      SELECT transaction_id::text, reversal_transaction_id::text FROM funding_operations WHERE id = ${deposit.id}::uuid`;
    expect(op).toEqual({ transaction_id: original!.id, reversal_transaction_id: rows[1]!.id });
  });
});

describe('a chargeback that arrives before the success it reverses', () => {
  it('posts and reverses at once; the late succeeded changes nothing', async () => {
    const deposit = await newDeposit(alice);
    const before = await snapshot(deposit);
    expect(await deliver(t, eventFor(deposit, 'charge.disputed'))).toEqual({ status: 200, body: { received: true, outcome: 'APPLIED' } });
    const reversed = await snapshot(deposit);
    expect(reversed.status).toBe('REVERSED');
    expect(reversed.posted).toBe(before.posted);
    expect((await ledgerRowsFor(t, deposit.id)).map((r) => [r.type, r.status])).toEqual([
      ['DEPOSIT', 'REVERSED'],
      ['REVERSAL', 'POSTED'],
    ]);
    expect(await deliver(t, eventFor(deposit, 'charge.succeeded'))).toEqual({ status: 200, body: { received: true, outcome: 'IGNORED' } });
    expect(await snapshot(deposit)).toEqual({ ...reversed, webhookEvents: reversed.webhookEvents + 1 });
  });
});

describe('concurrent deliveries of one event', () => {
  it('applies it exactly once: one APPLIED, nine DUPLICATE, money posted once', async () => {
    const deposit = await newDeposit(alice);
    const before = await snapshot(deposit);
    const body = JSON.stringify(eventFor(deposit, 'charge.succeeded'));
    const signature = sign(body);
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(t, body, signature)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    const outcomes = answers.map((a) => a.body.outcome).sort();
    expect(outcomes).toEqual(['APPLIED', ...Array<string>(9).fill('DUPLICATE')]);
    const after = await snapshot(deposit);
    expect(after.status).toBe('SUCCEEDED');
    expect(after.posted - before.posted).toBe(2500);
    expect(after.ledgerTransactions - before.ledgerTransactions).toBe(1);
    expect(after.webhookEvents - before.webhookEvents).toBe(1);
    expect((await ledgerRowsFor(t, deposit.id)).map((r) => r.type)).toEqual(['DEPOSIT']);
  });
});

describe('the ledger', () => {
  it('is consistent after all of the above', async () => {
    await expectLedgerConsistent(t);
  });
});
