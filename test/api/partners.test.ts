// Partners end to end: API keys (owner only, shown once, stored hashed, scopes per field,
// revocation at once, last use recorded), trusted documents (API keys run registered documents by
// id only, over HTTP and WebSocket; another client's documents are not theirs), automatic
// persisted queries for app users, rate limits per user and per key that trigger and recover,
// and the runnable example client (partners/example/client.ts) doing a whole checkout.
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { graphql } from '../gql/index.js';
import { decodeId } from '../helpers/globalIds.js';
import { expectLedgerConsistent } from '../helpers/ledger.js';
import { credit, signInAdmin, signUpUser } from '../helpers/people.js';
import { usingPostgres } from '../helpers/testDatabase.js';
import { asOwner, startTestServer, type TestServer } from '../helpers/testServer.js';
import { connectWs } from '../helpers/wsClient.js';
import manifest from '../../partners/example/gql/persisted-documents.json' with { type: 'json' };

const ADMIN = { email: 'partners.admin@example.com', password: 'Partner-Keeper-2026!' };
const WAIT_MS = usingPostgres ? 15_000 : 40_000;

const PtRegister = graphql(`mutation PtRegister($input: RegisterMerchantInput!) { registerMerchant(input: $input) { merchant { id } } }`);
const PtAddMember = graphql(
  `mutation PtAddMember($input: AddMerchantMemberInput!) { addMerchantMember(input: $input) { userErrors { code } } }`,
);
const PtCreateKey = graphql(`
  mutation PtCreateKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) { key apiKey { id prefix scopes client lastUsedAt revokedAt } userErrors { field code message } }
  }
`);
const PtRevokeKey = graphql(`mutation PtRevokeKey($id: ID!) { revokeApiKey(id: $id) { apiKey { revokedAt } userErrors { code field } } }`);
const PtKeys = graphql(`query PtKeys($id: ID!) { node(id: $id) { ... on Merchant { apiKeys { id prefix lastUsedAt } } } }`);
const PtPay = graphql(
  `mutation PtPay($input: PayPaymentRequestInput!) { payPaymentRequest(input: $input) { payment { id } userErrors { code message } } }`,
);
const PtMe = graphql(`query PtMe { me { email } }`);

/** The example client's documents by operation name: { id, text }. */
const documents = Object.fromEntries(
  Object.entries(manifest as Record<string, string>).map(([id, text]) => [/^\w+ (\w+)/.exec(text)![1]!, { id, text }]),
) as Record<string, { id: string; text: string }>;

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

/** `steppedUp`: may create and revoke API keys (the email verified, which steps the session up). */
const user = (steppedUp = false) => signUpUser(t, { label: 'pt', steppedUp });

async function merchantWithKey(
  scopes: ('PAYMENTS_READ' | 'PAYMENTS_WRITE' | 'REFUNDS_WRITE')[] = ['PAYMENTS_READ', 'PAYMENTS_WRITE', 'REFUNDS_WRITE'],
) {
  const owner = await user(true);
  const merchantId = (
    await t.query(
      PtRegister,
      { input: { name: 'Partner Shop', category: 'online store', settlementCurrency: 'USD' } },
      { token: owner.token },
    )
  ).registerMerchant.merchant!.id;
  const created = (await t.query(PtCreateKey, { input: { merchantId, name: 'checkout', scopes } }, { token: owner.token })).createApiKey;
  expect(created.userErrors).toEqual([]);
  return { owner, merchantId, key: created.key!, apiKey: created.apiKey! };
}

/** A raw request with an API key (or any token): the body as given. */
async function call(token: string, body: Record<string, unknown>) {
  const res = await fetch(`${t.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string; extensions?: Record<string, unknown> }[] },
  };
}

const byId = (name: string, variables: Record<string, unknown> = {}) => ({ documentId: documents[name]!.id, variables });

describe('API keys', () => {
  it('are created by an OWNER, shown once, stored only as a hash, and listed by prefix', async () => {
    const { owner, merchantId, key, apiKey } = await merchantWithKey(['PAYMENTS_READ']);
    expect(key).toMatch(/^wk_[A-Za-z0-9]{12}_[A-Za-z0-9]{32}$/);
    expect(key.startsWith(apiKey.prefix)).toBe(true);
    expect(apiKey).toMatchObject({ scopes: ['PAYMENTS_READ'], client: 'example', revokedAt: null });
    const row = await t.server.db.prisma.apiKey.findUniqueOrThrow({ where: { id: decodeId(apiKey.id, 'ApiKey') } });
    expect(row.secretHash).toBe(createHash('sha256').update(key).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(key);
    const listed = (await t.query(PtKeys, { id: merchantId }, { token: owner.token })).node as { apiKeys: { prefix: string }[] };
    expect(listed.apiKeys.map((k) => k.prefix)).toEqual([apiKey.prefix]);
  });

  it('merchant staff cannot create API keys, nor see them', async () => {
    const { owner, merchantId } = await merchantWithKey();
    const staff = await user(true);
    await t.query(PtAddMember, { input: { merchantId, email: staff.email, role: 'STAFF' } }, { token: owner.token });
    const refused = (await t.query(PtCreateKey, { input: { merchantId, name: 'mine', scopes: ['PAYMENTS_READ'] } }, { token: staff.token }))
      .createApiKey;
    expect(refused.key).toBeNull();
    expect(refused.userErrors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'merchantId'] });
    expect(((await t.query(PtKeys, { id: merchantId }, { token: staff.token })).node as { apiKeys: unknown[] }).apiKeys).toEqual([]);
  });

  it('scopes are checked per field', async () => {
    const { key, merchantId } = await merchantWithKey(['PAYMENTS_READ']);
    const read = await call(key, byId('PartnerMyMerchant'));
    expect(read.body.data).toEqual({ myMerchants: [{ id: merchantId, name: 'Partner Shop', settlementCurrency: 'USD' }] });
    const write = await call(key, byId('PartnerCreateCheckout', { input: { merchantId, amount: { amount: '1.00', currency: 'USD' } } }));
    expect(write.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const { key: writer } = await merchantWithKey(['PAYMENTS_WRITE']);
    const noRead = await call(writer, byId('PartnerMyMerchant'));
    expect(noRead.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('act for their own merchant only, and record their last use', async () => {
    const a = await merchantWithKey();
    const b = await merchantWithKey();
    const other = await call(
      a.key,
      byId('PartnerCreateCheckout', { input: { merchantId: b.merchantId, amount: { amount: '1.00', currency: 'USD' } } }),
    );
    expect((other.body.data!.createPaymentRequest as { userErrors: { code: string }[] }).userErrors[0]?.code).toBe('NOT_FOUND');
    // Last use is written beside the request, not in its path: wait (bounded) for it.
    let lastUsedAt: string | null = null;
    for (let i = 0; i < 100 && lastUsedAt === null; i++) {
      if (i) await new Promise((resolve) => setTimeout(resolve, 50));
      lastUsedAt = (
        (await t.query(PtKeys, { id: a.merchantId }, { token: a.owner.token })).node as { apiKeys: { lastUsedAt: string | null }[] }
      ).apiKeys[0]!.lastUsedAt;
    }
    expect(lastUsedAt).not.toBeNull();
  });

  it('a revoked key is refused at once, over HTTP and WebSocket, and its open connection closed', async () => {
    const { owner, key, apiKey } = await merchantWithKey();
    expect((await call(key, byId('PartnerMyMerchant'))).status).toBe(200);
    const ws = connectWs(t.wsUrl, `Bearer ${key}`);
    await ws.connected;
    const revoked = (await t.query(PtRevokeKey, { id: apiKey.id }, { token: owner.token })).revokeApiKey;
    expect(revoked.apiKey?.revokedAt).not.toBeNull();
    const after = await call(key, byId('PartnerMyMerchant'));
    expect(after.status).toBe(401);
    expect(after.body.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(after.body.errors?.[0]?.message).toContain('unknown or revoked');
    // The open connection was authorised by the key: it is closed (4401), not left running.
    expect(await ws.closed).toEqual({ code: 4401, reason: 'API key revoked' });
    await ws.dispose();
    const reconnect = connectWs(t.wsUrl, `Bearer ${key}`);
    expect((await reconnect.closed).code).toBe(4403);
    // Another owner cannot revoke it either way: NOT_FOUND.
    const stranger = await user(true);
    expect((await t.query(PtRevokeKey, { id: apiKey.id }, { token: stranger.token })).revokeApiKey.userErrors[0]).toMatchObject({
      code: 'NOT_FOUND',
      field: ['id'],
    });
    // The key's id is a global id: its raw uuid is refused, naming the argument and not quoting it.
    const rawId = decodeId(apiKey.id, 'ApiKey');
    const raw = await t.request(PtRevokeKey, { id: rawId }, { token: owner.token });
    expect(raw.body.errors?.[0]).toMatchObject({ message: 'Argument "id" must be an ApiKey ID.', extensions: { code: 'BAD_USER_INPUT' } });
    expect(JSON.stringify(raw.body)).not.toContain(rawId);
  });
});

const PtAnyUpdates = graphql(`subscription PtAnyUpdates($code: String!) { paymentRequestUpdated(code: $code) { status } }`);

describe('trusted documents', () => {
  it('an API key runs registered documents by id and nothing else, over HTTP', async () => {
    const { key } = await merchantWithKey();
    const text = await call(key, { query: documents.PartnerMyMerchant!.text });
    expect(text.status).toBe(400);
    expect(text.body.errors?.[0]?.extensions?.code).toBe('TRUSTED_DOCUMENT_REQUIRED');
    const arbitrary = await call(key, { query: '{ me { email } }' });
    expect(arbitrary.body.errors?.[0]?.extensions?.code).toBe('TRUSTED_DOCUMENT_REQUIRED');
    const unknown = await call(key, { documentId: `sha256:${'0'.repeat(64)}` });
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('TRUSTED_DOCUMENT_NOT_FOUND');
    expect((await call(key, {})).body.errors?.[0]?.extensions?.code).toBe('TRUSTED_DOCUMENT_NOT_FOUND');
    // The APQ form of the id works too, and GET as well.
    const apqForm = await call(key, {
      extensions: { persistedQuery: { version: 1, sha256Hash: documents.PartnerMyMerchant!.id.replace('sha256:', '') } },
    });
    expect(apqForm.body.data?.myMerchants).toHaveLength(1);
    const get = await fetch(`${t.origin}/graphql?documentId=${encodeURIComponent(documents.PartnerMyMerchant!.id)}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(((await get.json()) as { data: { myMerchants: unknown[] } }).data.myMerchants).toHaveLength(1);
  });

  it("another client's documents are not in this key's safelist", async () => {
    const { key } = await merchantWithKey();
    const other = 'query OtherClientOnly { myMerchants { id } }';
    const id = createHash('sha256').update(other).digest('hex');
    await t.server.services.trustedDocuments.register('other-partner', { [`sha256:${id}`]: other });
    expect((await call(key, { documentId: id })).body.errors?.[0]?.extensions?.code).toBe('TRUSTED_DOCUMENT_NOT_FOUND');
    await expect(t.server.services.trustedDocuments.register('other-partner', { [`sha256:${'1'.repeat(64)}`]: other })).rejects.toThrow(
      /not the sha256 of its text/,
    );
  });

  it('the safelist applies over WebSocket: registered ids subscribe, query texts and unknown ids are refused', async () => {
    const { key, merchantId } = await merchantWithKey();
    const ws = connectWs(t.wsUrl, `Bearer ${key}`);
    try {
      await ws.connected;
      const created = await call(
        key,
        byId('PartnerCreateCheckout', { input: { merchantId, amount: { amount: '2.00', currency: 'USD' } } }),
      );
      const code = (created.body.data!.createPaymentRequest as { paymentRequest: { code: string } }).paymentRequest.code;
      const live = ws.client.iterate<{ paymentRequestUpdated: { code: string; status: string; paidCount: number } }>({
        query: '',
        variables: { code },
        extensions: { persistedQuery: { version: 1, sha256Hash: documents.PartnerCheckoutUpdates!.id.replace('sha256:', '') } },
      });
      // The first event is the state when the subscription went live.
      expect((await live.next()).value).toEqual({ data: { paymentRequestUpdated: { code, status: 'OPEN', paidCount: 0 } } });
      const payer = await user();
      await credit(t, admin, payer.walletId, '2.00');
      expect(
        (await t.query(PtPay, { input: { code, idempotencyKey: randomUUID() } }, { token: payer.token })).payPaymentRequest.userErrors,
      ).toEqual([]);
      expect((await live.next()).value).toEqual({ data: { paymentRequestUpdated: { code, status: 'PAID', paidCount: 1 } } });
      await live.return?.();

      const byText = ws.subscribe(PtAnyUpdates, { code: 'AAAAAAAAAAAA' });
      expect((await byText.errors(WAIT_MS))[0]).toMatchObject({ extensions: { code: 'TRUSTED_DOCUMENT_REQUIRED' } });
      const unknown = ws.client.iterate({ query: '', extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } } });
      await expect(unknown.next()).rejects.toMatchObject([{ extensions: { code: 'TRUSTED_DOCUMENT_NOT_FOUND' } }]);
    } finally {
      await ws.dispose();
    }
  });

  it('an API key follows merchantPaymentReceived for its own merchant only (a registered document, over WebSocket)', async () => {
    const { key, merchantId } = await merchantWithKey();
    const other = await merchantWithKey();
    const text =
      'subscription PartnerPaymentsLive($merchantId: ID!) { merchantPaymentReceived(merchantId: $merchantId) { amount { amount } requestCode } }';
    const id = createHash('sha256').update(text).digest('hex');
    await t.server.services.trustedDocuments.register(t.config.DEFAULT_PARTNER_CLIENT, { [`sha256:${id}`]: text });
    const subscribe = (forMerchant: string) =>
      ws.client.iterate<{ merchantPaymentReceived: { amount: { amount: string }; requestCode: string } }>({
        query: '',
        variables: { merchantId: forMerchant },
        extensions: { persistedQuery: { version: 1, sha256Hash: id } },
      });
    const ws = connectWs(t.wsUrl, `Bearer ${key}`);
    try {
      await ws.connected;
      // Another merchant's payments: as if it did not exist.
      const foreign = await subscribe(other.merchantId).next();
      expect((foreign.value as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      const before = t.server.pubsub.subscriptionCount();
      const own = subscribe(merchantId);
      const first = own.next();
      await vi.waitFor(() => expect(t.server.pubsub.subscriptionCount()).toBeGreaterThan(before), { timeout: 10_000, interval: 20 });
      const created = await call(
        key,
        byId('PartnerCreateCheckout', { input: { merchantId, amount: { amount: '2.00', currency: 'USD' } } }),
      );
      const code = (created.body.data!.createPaymentRequest as { paymentRequest: { code: string } }).paymentRequest.code;
      const payer = await user();
      await credit(t, admin, payer.walletId, '2.00');
      expect(
        (await t.query(PtPay, { input: { code, idempotencyKey: randomUUID() } }, { token: payer.token })).payPaymentRequest.userErrors,
      ).toEqual([]);
      expect((await first).value).toEqual({ data: { merchantPaymentReceived: { amount: { amount: '2.00' }, requestCode: code } } });
      await own.return?.();
    } finally {
      await ws.dispose();
    }
  });

  it('signed-in app users still send full queries', async () => {
    const someone = await user();
    expect((await t.query(PtMe, {}, { token: someone.token })).me.email).toBe(someone.email);
  });
});

describe('automatic persisted queries (app users)', () => {
  it('hash unknown → PersistedQueryNotFound; hash with the text registers it; then the hash alone runs it', async () => {
    const someone = await user();
    const query = `query PtApq { me { email } } # ${randomUUID()}`;
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    const first = await call(someone.token, { extensions });
    expect(first.body.errors?.[0]).toMatchObject({ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } });
    const register = await call(someone.token, { query, extensions });
    expect(register.body.data).toEqual({ me: { email: someone.email } });
    const again = await call(someone.token, { extensions });
    expect(again.body.data).toEqual({ me: { email: someone.email } });
    const get = await fetch(`${t.origin}/graphql?extensions=${encodeURIComponent(JSON.stringify(extensions))}`, {
      headers: { authorization: `Bearer ${someone.token}` },
    });
    expect(((await get.json()) as { data: unknown }).data).toEqual({ me: { email: someone.email } });
    const wrong = await call(someone.token, { query: '{ me { id } }', extensions });
    expect(wrong.body.errors?.[0]?.message).toBe('provided sha does not match query');
  });
});

describe('rate limits', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startTestServer({
      RATE_LIMIT_USER: '2/3',
      RATE_LIMIT_API_KEY: '2/3',
      BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
      BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
    });
  });
  afterAll(async () => {
    await limited?.stop();
  });

  /** Sends `n` requests at once; returns the statuses and the last refusal. */
  async function burst(token: string, body: Record<string, unknown>, n: number) {
    const responses = await Promise.all(
      Array.from({ length: n }, () =>
        fetch(`${limited.origin}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(body),
        }),
      ),
    );
    const refused = responses.find((r) => r.status === 429);
    return {
      statuses: responses.map((r) => r.status),
      retryAfter: refused?.headers.get('retry-after') ?? null,
      refusal: refused ? ((await refused.json()) as { errors: { extensions: Record<string, unknown> }[] }).errors[0] : null,
    };
  }

  it('per user: a burst over the bucket is RATE_LIMITED with when to retry, and recovers as it refills', async () => {
    const { token } = await signUpUser(limited, { label: 'rl' });
    // The helper's own request took a token: let the bucket fill up again (3 at 2 per second).
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    const first = await burst(token, { query: '{ me { email } }' }, 5);
    expect(first.statuses.filter((s) => s === 200)).toHaveLength(3);
    expect(first.statuses.filter((s) => s === 429)).toHaveLength(2);
    expect(first.refusal).toMatchObject({ extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 1 } });
    expect(first.retryAfter).toBe('1');
    // Other users have their own bucket.
    const other = (await signUpUser(limited, { label: 'rl' })).token;
    expect((await burst(other, { query: '{ me { email } }' }, 1)).statuses).toEqual([200]);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await burst(token, { query: '{ me { email } }' }, 2)).statuses).toEqual([200, 200]);
  });

  it('per API key, the same', async () => {
    const person = await signUpUser(limited, { label: 'rl' });
    const owner = person.token;
    // Creating a key needs a recent second factor; given here directly, so the bucket is not spent on it.
    await asOwner(limited, `UPDATE sessions SET second_factor_at = now() WHERE user_id = '${person.userId}'`);
    const merchantId = (
      await limited.query(PtRegister, { input: { name: 'Limited Shop', category: 'shop', settlementCurrency: 'USD' } }, { token: owner })
    ).registerMerchant.merchant!.id;
    const key = (await limited.query(PtCreateKey, { input: { merchantId, name: 'k', scopes: ['PAYMENTS_READ'] } }, { token: owner }))
      .createApiKey.key!;
    const first = await burst(key, byId('PartnerMyMerchant'), 5);
    expect(first.statuses.filter((s) => s === 429)).toHaveLength(2);
    expect(first.refusal).toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await burst(key, byId('PartnerMyMerchant'), 2)).statuses).toEqual([200, 200]);
  });
});

describe('the example partner client (partners/example/client.ts)', () => {
  it('creates a checkout, follows it live until a customer pays, and lists the payment', async () => {
    const { key } = await merchantWithKey();
    const payer = await user();
    await credit(t, admin, payer.walletId, '50.00');

    const child = spawn(process.execPath, ['--import', 'tsx', 'partners/example/client.ts', '12.34', '--wait-seconds', '60'], {
      env: { ...process.env, WALLET_URL: t.origin, WALLET_API_KEY: key },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const steps: Record<string, unknown>[] = [];
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    for await (const line of createInterface({ input: child.stdout })) {
      const step = JSON.parse(line) as { step: string; code?: string };
      steps.push(step);
      if (step.step === 'waiting') {
        const code = (steps.find((s) => s.step === 'checkout') as { code: string }).code;
        const paid = (await t.query(PtPay, { input: { code, idempotencyKey: randomUUID() } }, { token: payer.token })).payPaymentRequest;
        expect(paid.userErrors).toEqual([]);
      }
    }
    expect(await exited, stderr).toBe(0);
    expect(steps.map((s) => s.step)).toEqual(['merchant', 'checkout', 'waiting', 'update', 'paid', 'payments']);
    expect(steps[1]).toMatchObject({ amount: { amount: '12.34', currency: 'USD' } });
    expect((steps[5] as { payments: { amount: string; fee: string; status: string }[] }).payments[0]).toMatchObject({
      amount: '12.34',
      fee: '0.66',
      status: 'PAID',
    });
  }, 90_000);

  it('says which URL it tried, and what to check, when no server answers there', async () => {
    // A port that was just free: nothing listens on it.
    const free = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const child = spawn(process.execPath, ['--import', 'tsx', 'partners/example/client.ts'], {
      env: { ...process.env, WALLET_URL: `http://127.0.0.1:${free}`, WALLET_API_KEY: 'wk_test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(1);
    expect(stderr).toContain(`cannot reach the wallet server at http://127.0.0.1:${free}/graphql`);
    expect(stderr).toContain('Set WALLET_URL');
  }, 30_000);
});
