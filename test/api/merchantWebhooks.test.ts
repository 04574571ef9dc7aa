// Outgoing webhooks to merchants, against a local receiver that fails the first deliveries:
// exactly what arrives (the same body and event id on every attempt, retried with backoff until a
// 2xx), signatures verifiable with the documented recipe (HMAC-SHA256 over "<t>.<body>"), both
// signatures while a rolled secret overlaps, the delivery log, manual redelivery, giving up after
// the retry period, and that only the OWNER manages any of it.
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { decodeId } from '../helpers/globalIds.js';
import { expectLedgerConsistent } from '../helpers/ledger.js';
import { credit, signInAdmin, signUpUser } from '../helpers/people.js';
import { startTestServer, type TestServer } from '../helpers/testServer.js';

const ADMIN = { email: 'hooks.admin@example.com', password: 'Hook-Keeper-2026!' };

const MwhRegister = graphql(`
  mutation MwhRegister($input: RegisterMerchantInput!) { registerMerchant(input: $input) { merchant { id } webhookSecret userErrors { message } } }
`);
const MwhAddMember = graphql(
  `mutation MwhAddMember($input: AddMerchantMemberInput!) { addMerchantMember(input: $input) { userErrors { code } } }`,
);
const MwhCreate = graphql(`
  mutation MwhCreate($input: CreatePaymentRequestInput!) { createPaymentRequest(input: $input) { paymentRequest { code } userErrors { message } } }
`);
const MwhPay = graphql(
  `mutation MwhPay($input: PayPaymentRequestInput!) { payPaymentRequest(input: $input) { payment { id } userErrors { code message } } }`,
);
const MwhPayments = graphql(
  `query MwhPayments($merchantId: ID!) { merchantPayments(merchantId: $merchantId, first: 5) { edges { node { id } } } }`,
);
const MwhRefund = graphql(
  `mutation MwhRefund($input: RefundPaymentInput!) { refundPayment(input: $input) { refund { id } userErrors { code message } } }`,
);
const MwhNode = graphql(`query MwhNode($id: ID!) { node(id: $id) { __typename id } }`);
const MwhEvents = graphql(`
  query MwhEvents($id: ID!) {
    node(id: $id) {
      ... on Merchant {
        webhookEvents(first: 10) { edges { node { id type status attempts lastError data deliveries { attempt statusCode error url } } } }
      }
    }
  }
`);
const MwhRoll = graphql(
  `mutation MwhRoll($merchantId: ID!, $overlapHours: Int) { rollWebhookSecret(merchantId: $merchantId, overlapHours: $overlapHours) { secret userErrors { code field } } }`,
);
const MwhRedeliver = graphql(
  `mutation MwhRedeliver($eventId: ID!) { redeliverWebhookEvent(eventId: $eventId) { event { id status } userErrors { code field } } }`,
);
const MwhSetUrl = graphql(
  `mutation MwhSetUrl($merchantId: ID!, $url: String) { setMerchantWebhookUrl(merchantId: $merchantId, webhookUrl: $url) { webhookUrl userErrors { code field } } }`,
);

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  status: number;
}

/** A merchant's endpoint: answers 500 to the first `failFirst` deliveries, then 200; records all. */
function receiver(failFirst: number) {
  const received: Received[] = [];
  let server!: Server;
  const ready = new Promise<string>((resolve) => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += String(chunk)));
      req.on('end', () => {
        const status = received.length < failFirst ? 500 : 200;
        received.push({ headers: req.headers, body, status });
        res.writeHead(status).end(status === 200 ? 'ok' : 'try again');
      });
    });
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`));
  });
  return { received, ready, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The documented recipe: split the header, HMAC-SHA256(secret, "<t>.<raw body>"), compare with each v1. */
function signedBy(header: string, body: string, secret: string): boolean {
  const parts = header.split(',').map((p) => p.split('=') as [string, string]);
  const t = parts.find(([k]) => k === 't')![1];
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return parts.some(([k, v]) => k === 'v1' && v === expected);
}

async function until<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

let t: TestServer;
let admin: string;
beforeAll(async () => {
  t = await startTestServer({ BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password });
  admin = await signInAdmin(t, ADMIN);
});
afterAll(async () => {
  if (t) await expectLedgerConsistent(t);
  await t?.stop();
});

const signUp = () => signUpUser(t, { label: 'wh' });

async function setup(failFirst: number) {
  const hook = receiver(failFirst);
  const url = await hook.ready;
  const owner = await signUp();
  const registered = (
    await t.query(
      MwhRegister,
      { input: { name: 'Hook Shop', category: 'shop', settlementCurrency: 'USD', webhookUrl: url } },
      { token: owner.token },
    )
  ).registerMerchant;
  const merchantId = registered.merchant!.id;
  const payer = await signUp();
  await credit(t, admin, payer.walletId, '100.00');
  const pay = async (amount: string, extra: Record<string, unknown> = {}) => {
    const code = (
      await t.query(
        MwhCreate,
        { input: { merchantId, amount: { amount, currency: 'USD' }, reference: 'order-7', ...extra } },
        { token: owner.token },
      )
    ).createPaymentRequest.paymentRequest!.code;
    expect(
      (await t.query(MwhPay, { input: { code, idempotencyKey: randomUUID() } }, { token: payer.token })).payPaymentRequest.userErrors,
    ).toEqual([]);
    return code;
  };
  const events = async () =>
    (
      (await t.query(MwhEvents, { id: merchantId }, { token: owner.token })).node as {
        webhookEvents: { edges: { node: WebhookEventView }[] };
      }
    ).webhookEvents.edges.map((e) => e.node);
  return { hook, url, owner, merchantId, secret: registered.webhookSecret!, payer, pay, events };
}

interface WebhookEventView {
  id: string;
  type: string;
  status: string;
  attempts: number;
  lastError: string | null;
  data: string;
  deliveries: { attempt: number; statusCode: number | null; error: string | null; url: string }[];
}

describe('outgoing merchant webhooks', () => {
  it('retries a failing receiver with backoff until it answers 2xx; every attempt is the same signed body with the same event id', async () => {
    const s = await setup(2);
    try {
      await s.pay('25.00');
      await until(() => s.hook.received.length >= 3 && s.hook.received, 'three deliveries');
      const [first, second, third] = s.hook.received;
      expect([first!.status, second!.status, third!.status]).toEqual([500, 500, 200]);
      expect(second!.body).toBe(first!.body);
      expect(third!.body).toBe(first!.body);
      const body = JSON.parse(first!.body) as { id: string; type: string; merchantId: string; data: Record<string, unknown> };
      expect(body).toMatchObject({
        type: 'payment.succeeded',
        // The API's ids: the Merchant.id the owner registered, the payment's MerchantPayment.id.
        merchantId: s.merchantId,
        data: {
          amount: { amount: '25.00', currency: 'USD' },
          fee: { amount: '1.03', currency: 'USD' },
          net: { amount: '23.97', currency: 'USD' },
          reference: 'order-7',
          status: 'PAID',
        },
      });
      for (const r of s.hook.received) {
        expect(r.headers['wallet-event-id']).toBe(body.id);
        expect(r.headers['content-type']).toBe('application/json');
        expect(signedBy(r.headers['wallet-signature'] as string, r.body, s.secret)).toBe(true);
        expect(signedBy(r.headers['wallet-signature'] as string, r.body, 'whsec_wrong')).toBe(false);
      }
      // Nothing more arrives once delivered.
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(s.hook.received).toHaveLength(3);

      const [event] = await s.events();
      expect(event).toMatchObject({ id: body.id, type: 'payment.succeeded', status: 'DELIVERED', attempts: 3, lastError: null });
      // Every id in the body is one node() resolves for the owner: the event, the merchant, the payment.
      for (const [id, typename] of [
        [body.id, 'WebhookEvent'],
        [body.merchantId, 'Merchant'],
        [body.data.paymentId as string, 'MerchantPayment'],
      ] as const) {
        expect((await t.query(MwhNode, { id }, { token: s.owner.token })).node).toEqual({ __typename: typename, id });
      }
      expect(event!.deliveries.map((d) => [d.attempt, d.statusCode, d.error])).toEqual([
        [1, 500, 'HTTP 500'],
        [2, 500, 'HTTP 500'],
        [3, 200, null],
      ]);
    } finally {
      await s.hook.close();
    }
  });

  it('sends payment.refunded and payment_request.expired', async () => {
    const s = await setup(0);
    try {
      await s.pay('10.00');
      const paymentId = (await t.query(MwhPayments, { merchantId: s.merchantId }, { token: s.owner.token })).merchantPayments.edges[0]!.node
        .id;
      const refunded = (
        await t.query(
          MwhRefund,
          { input: { paymentId, amount: { amount: '4.00', currency: 'USD' }, reason: 'damaged', idempotencyKey: randomUUID() } },
          { token: s.owner.token },
        )
      ).refundPayment;
      expect(refunded.userErrors).toEqual([]);
      const expiring = (
        await t.query(
          MwhCreate,
          {
            input: {
              merchantId: s.merchantId,
              amount: { amount: '3.00', currency: 'USD' },
              expiresAt: new Date(Date.now() + 500).toISOString(),
            },
          },
          { token: s.owner.token },
        )
      ).createPaymentRequest.paymentRequest!.code;
      await new Promise((resolve) => setTimeout(resolve, 700));
      await t.server.services.paymentRequests.expireDue();
      const bodies = await until(
        () =>
          s.hook.received.length >= 3 && s.hook.received.map((r) => JSON.parse(r.body) as { type: string; data: Record<string, unknown> }),
        'three events',
      );
      expect(bodies.map((b) => b.type)).toEqual(['payment.succeeded', 'payment.refunded', 'payment_request.expired']);
      expect(bodies[1]!.data).toMatchObject({
        refundId: refunded.refund!.id,
        refundAmount: { amount: '4.00', currency: 'USD' },
        reason: 'damaged',
        payment: { paymentId, status: 'PARTIALLY_REFUNDED', refunded: { amount: '4.00' } },
      });
      expect(bodies[2]!.data).toMatchObject({ code: expiring, amount: { amount: '3.00', currency: 'USD' } });
      // Ids are distinct per event.
      expect(new Set(s.hook.received.map((r) => r.headers['wallet-event-id'])).size).toBe(3);
    } finally {
      await s.hook.close();
    }
  });

  it('a rolled secret: both signatures during the overlap, only the new one without', async () => {
    const s = await setup(0);
    try {
      const rolled = (await t.query(MwhRoll, { merchantId: s.merchantId, overlapHours: 24 }, { token: s.owner.token })).rollWebhookSecret;
      expect(rolled.userErrors).toEqual([]);
      const fresh = rolled.secret!;
      expect(fresh).toMatch(/^whsec_/);
      await s.pay('1.00');
      const overlapping = await until(() => s.hook.received[0], 'a delivery');
      expect(signedBy(overlapping.headers['wallet-signature'] as string, overlapping.body, s.secret)).toBe(true);
      expect(signedBy(overlapping.headers['wallet-signature'] as string, overlapping.body, fresh)).toBe(true);
      const newest = (await t.query(MwhRoll, { merchantId: s.merchantId, overlapHours: 0 }, { token: s.owner.token })).rollWebhookSecret
        .secret!;
      await s.pay('1.00');
      const after = await until(() => s.hook.received[1], 'a second delivery');
      expect(signedBy(after.headers['wallet-signature'] as string, after.body, newest)).toBe(true);
      expect(signedBy(after.headers['wallet-signature'] as string, after.body, fresh)).toBe(false);
      expect(signedBy(after.headers['wallet-signature'] as string, after.body, s.secret)).toBe(false);
    } finally {
      await s.hook.close();
    }
  });

  it('redelivers on request with the same id and body; gives up after the retry period', async () => {
    const s = await setup(0);
    try {
      await s.pay('2.00');
      await until(() => s.hook.received.length === 1, 'the delivery');
      const [event] = await s.events();
      const again = (await t.query(MwhRedeliver, { eventId: event!.id }, { token: s.owner.token })).redeliverWebhookEvent;
      expect(again.userErrors).toEqual([]);
      await until(() => s.hook.received.length === 2, 'the redelivery');
      expect(s.hook.received[1]!.body).toBe(s.hook.received[0]!.body);
      expect(s.hook.received[1]!.headers['wallet-event-id']).toBe(event!.id);
      // The attempt is recorded after the receiver answers: wait for the record, not just the request.
      const recorded = await until(async () => {
        const deliveries = (await s.events())[0]!.deliveries;
        return deliveries.length === 2 && deliveries;
      }, 'the redelivery to be recorded');
      expect(recorded.map((d) => d.statusCode)).toEqual([200, 200]);
    } finally {
      await s.hook.close();
    }
    // The receiver is gone: an event older than the retry period fails for good after its attempt.
    await s.pay('3.00');
    const pending = (await s.events())[0]!;
    expect(pending.type).toBe('payment.succeeded');
    await t.server.db.prisma.merchantWebhookEvent.update({
      where: { id: decodeId(pending.id, 'WebhookEvent') },
      data: { createdAt: new Date(Date.now() - 73 * 3_600_000), nextAttemptAt: new Date() },
    });
    let failed: WebhookEventView | undefined;
    for (let i = 0; i < 200 && failed?.status !== 'FAILED'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      failed = (await s.events()).find((e) => e.id === pending.id);
    }
    expect(failed).toMatchObject({ status: 'FAILED' });
    expect(failed!.deliveries.at(-1)).toMatchObject({ statusCode: null });
    expect(failed!.lastError).toBeTruthy();
  });

  it('only the OWNER sees the log and manages secrets and the URL', async () => {
    const s = await setup(0);
    try {
      const staff = await signUp();
      await t.query(MwhAddMember, { input: { merchantId: s.merchantId, email: staff.email, role: 'STAFF' } }, { token: s.owner.token });
      await s.pay('1.00');
      await until(() => s.hook.received.length === 1, 'the delivery');
      const asStaff = (await t.query(MwhEvents, { id: s.merchantId }, { token: staff.token })).node as {
        webhookEvents: { edges: unknown[] };
      };
      expect(asStaff.webhookEvents.edges).toEqual([]);
      // These mutations take arguments, not an input object: the error names the argument.
      expect((await t.query(MwhRoll, { merchantId: s.merchantId }, { token: staff.token })).rollWebhookSecret.userErrors[0]).toMatchObject({
        code: 'NOT_FOUND',
        field: ['merchantId'],
      });
      expect(
        (await t.query(MwhSetUrl, { merchantId: s.merchantId, url: 'https://evil.example/hook' }, { token: staff.token }))
          .setMerchantWebhookUrl.userErrors[0],
      ).toMatchObject({ code: 'NOT_FOUND', field: ['merchantId'] });
      const [event] = await s.events();
      const staffRedeliver = (await t.query(MwhRedeliver, { eventId: event!.id }, { token: staff.token })).redeliverWebhookEvent;
      expect(staffRedeliver.userErrors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['eventId'] });
      expect((await t.query(MwhNode, { id: event!.id }, { token: staff.token })).node).toBeNull();
      // The event's raw uuid is not an id of this API: refused naming the argument, never quoting it.
      const rawId = decodeId(event!.id, 'WebhookEvent');
      const raw = await t.request(MwhRedeliver, { eventId: rawId }, { token: s.owner.token });
      expect(raw.body.errors?.[0]).toMatchObject({
        message: 'Argument "eventId" must be a WebhookEvent ID.',
        extensions: { code: 'BAD_USER_INPUT' },
      });
      expect(JSON.stringify(raw.body)).not.toContain(rawId);
      expect(
        (await t.query(MwhSetUrl, { merchantId: s.merchantId, url: 'http://example.com/hook' }, { token: s.owner.token }))
          .setMerchantWebhookUrl.userErrors[0],
      ).toMatchObject({ code: 'INVALID_INPUT', field: ['webhookUrl'] });
      // Without a URL, no events are written.
      expect(
        (await t.query(MwhSetUrl, { merchantId: s.merchantId, url: null }, { token: s.owner.token })).setMerchantWebhookUrl.webhookUrl,
      ).toBeNull();
      await s.pay('1.00');
      expect(await s.events()).toHaveLength(1);
    } finally {
      await s.hook.close();
    }
  });
});
