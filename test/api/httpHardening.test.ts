// HTTP hardening: every response carries nosniff, no-referrer, DENY framing and a CSP that runs
// nothing (pages keep their own); HSTS only over HTTPS (directly, or as a trusted proxy says);
// CORS only for the origins in CORS_ORIGINS (none by default); and HTTPS served directly from
// TLS_CERT_FILE/TLS_KEY_FILE, including the sandbox processors' webhooks to it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startTestServer, STRONG_PASSWORD, uniqueEmail, type TestServer } from '../helpers/testServer.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ CORS_ORIGINS: 'https://shop.example.com' });
});
afterAll(async () => {
  await t?.stop();
});

const post = (origin: string, headers: Record<string, string> = {}) =>
  fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: '{"query":"{ __typename }"}',
  });

describe('headers on every response', () => {
  it('nosniff, no referrer, no framing and a CSP that runs nothing, on API answers, errors and health; pages keep their own CSP', async () => {
    for (const res of [await post(t.origin), await fetch(`${t.origin}/healthz`), await fetch(`${t.origin}/nowhere`)]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('content-security-policy')).toBe(
        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
      );
      // Plain HTTP: no HSTS (a browser must not pin a host that did not answer over HTTPS).
      expect(res.headers.get('strict-transport-security')).toBeNull();
    }
    const page = await fetch(`${t.origin}/pay/AAAAAAAAAAAA`);
    expect(page.headers.get('content-security-policy')).toContain("img-src 'self'");
  });

  it('HSTS when a trusted proxy says the request came over HTTPS, never on the word of an untrusted one', async () => {
    expect((await post(t.origin, { 'x-forwarded-proto': 'https' })).headers.get('strict-transport-security')).toBeNull();
    const proxied = await startTestServer({ TRUST_PROXY: 'true' });
    try {
      const res = await post(proxied.origin, { 'x-forwarded-proto': 'https' });
      expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
      expect((await post(proxied.origin, { 'x-forwarded-proto': 'http' })).headers.get('strict-transport-security')).toBeNull();
    } finally {
      await proxied.stop();
    }
  });
});

describe('CORS', () => {
  it('lets the listed origin call the API, and no other', async () => {
    const listed = await post(t.origin, { origin: 'https://shop.example.com' });
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
    expect(listed.headers.get('vary')).toContain('origin');
    const preflight = await fetch(`${t.origin}/graphql`, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example.com', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');

    for (const origin of ['https://evil.example.com', 'http://shop.example.com', 'https://shop.example.com.evil.net']) {
      expect((await post(t.origin, { origin })).headers.get('access-control-allow-origin'), origin).toBeNull();
      const refused = await fetch(`${t.origin}/graphql`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
      expect(refused.headers.get('access-control-allow-origin'), origin).toBeNull();
      expect(refused.headers.get('access-control-allow-methods'), origin).toBeNull();
    }
  });

  it('allows no origin by default, and refuses a setting that is not a list of origins', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).CORS_ORIGINS).toEqual([]);
    expect(loadConfig({ NODE_ENV: 'development', CORS_ORIGINS: 'https://a.example, http://localhost:5173' }).CORS_ORIGINS).toEqual([
      'https://a.example',
      'http://localhost:5173',
    ]);
    expect(() => loadConfig({ NODE_ENV: 'development', CORS_ORIGINS: 'https://a.example/' })).toThrow(/CORS_ORIGINS.*is not an origin/);
    expect(() => loadConfig({ NODE_ENV: 'development', CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS/);
  });
});

describe('HTTPS served directly', () => {
  let dir: string;
  let tls: TestServer | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'wallet-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=wallet.test',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    tls = await startTestServer({ TLS_CERT_FILE: path.join(dir, 'cert.pem'), TLS_KEY_FILE: path.join(dir, 'key.pem') });
  });
  afterAll(async () => {
    await tls?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A GraphQL POST over HTTPS to the test server, trusting its self-signed certificate. */
  function graphqlOverTls(query: string, variables: unknown, token?: string) {
    return new Promise<{ status: number; headers: Record<string, unknown>; body: { data?: Record<string, unknown>; errors?: unknown } }>(
      (resolve, reject) => {
        const body = JSON.stringify({ query, variables });
        const req = httpsRequest(
          `https://127.0.0.1:${tls!.server.port}/graphql`,
          {
            method: 'POST',
            ca: execFileSync('cat', [path.join(dir, 'cert.pem')]),
            servername: 'wallet.test',
            checkServerIdentity: () => undefined,
            headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          },
          (res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c));
            res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: JSON.parse(text) }));
          },
        );
        req.on('error', reject);
        req.end(body);
      },
    );
  }

  it('answers over HTTPS with HSTS, and the sandbox processors deliver their webhooks to it', async () => {
    expect(tls!.server.url).toMatch(/^https:\/\//);
    const email = uniqueEmail('tls');
    const signUp = await graphqlOverTls(
      'mutation ($input: SignUpInput!) { signUp(input: $input) { tokens { accessToken } userErrors { code } } }',
      { input: { email, password: STRONG_PASSWORD, displayName: 'Tls' } },
    );
    expect(signUp.status).toBe(200);
    expect(signUp.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    const token = (signUp.body.data!.signUp as { tokens: { accessToken: string } }).tokens.accessToken;
    // Adding a card needs a recent second factor: the email's code (read from the sandbox here) gives one.
    await graphqlOverTls('mutation { requestEmailVerification { userErrors { code } } }', {}, token);
    await tls!.server.services.notifier.flush();
    const [mail] = await tls!.server.services.sandboxInbox.list({ to: email, limit: 1 });
    const verified = await graphqlOverTls(
      'mutation ($code: String!) { verifyEmail(input: { code: $code }) { userErrors { code } } }',
      { code: mail!.code },
      token,
    );
    expect(verified.body.data).toEqual({ verifyEmail: { userErrors: [] } });
    const card = await graphqlOverTls(
      'mutation { addCard(input: { number: "4242424242424242", expMonth: 12, expYear: 2040, cvc: "123", holderName: "Tls" }) { paymentMethod { id } } }',
      {},
      token,
    );
    const cardId = (card.body.data!.addCard as { paymentMethod: { id: string } }).paymentMethod.id;
    const added = await graphqlOverTls(
      'mutation ($card: ID!, $key: String!) { addFunds(input: { paymentMethodId: $card, amount: { amount: "5.00", currency: "USD" }, idempotencyKey: $key }) { funding { id } } }',
      { card: cardId, key: `tls-${Date.now()}` },
      token,
    );
    const fundingId = (added.body.data!.addFunds as { funding: { id: string } }).funding.id;
    // The top-up succeeds only when the sandbox's webhook reached this HTTPS listener.
    const deadline = Date.now() + 15_000;
    for (;;) {
      const status = (
        await graphqlOverTls('query ($id: ID!) { node(id: $id) { ... on FundingOperation { status } } }', { id: fundingId }, token)
      ).body.data!.node as { status: string };
      if (status.status === 'SUCCEEDED') break;
      if (Date.now() > deadline) throw new Error(`top-up stayed ${status.status}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  it('refuses to start with one file of the pair, or a file it cannot read, naming the setting', async () => {
    expect(() => loadConfig({ NODE_ENV: 'development', TLS_CERT_FILE: path.join(dir, 'cert.pem') })).toThrow(
      /TLS_KEY_FILE.*must be set together/,
    );
    await expect(
      startTestServer({ TLS_CERT_FILE: path.join(dir, 'missing.pem'), TLS_KEY_FILE: path.join(dir, 'key.pem') }),
    ).rejects.toThrow(/Cannot read TLS_CERT_FILE .*missing\.pem.*ENOENT/);
    writeFileSync(path.join(dir, 'other.pem'), '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n');
    await expect(startTestServer({ TLS_CERT_FILE: path.join(dir, 'cert.pem'), TLS_KEY_FILE: path.join(dir, 'other.pem') })).rejects.toThrow(
      /do not make a usable certificate/,
    );
  });
});
