// An example partner integration: a checkout that asks a customer to pay through the wallet.
// It runs only trusted documents (partners/example/operations.ts, registered by their sha256 id),
// with a merchant's API key:
//
//   WALLET_API_KEY=wk_… [WALLET_URL=https://wallet.example.com] npx tsx partners/example/client.ts [amount] [--wait-seconds N]
//
// WALLET_URL is the wallet server's address (default http://localhost:4000).
// 1. finds the key's merchant, 2. creates a payment request for `amount` (default 9.99) and prints
// its link and QR code, 3. follows it live over WebSocket until it is paid (or the wait ends),
// 4. lists the merchant's latest payments. Every step prints one JSON line, so another program
// (the test in test/api/partners.test.ts) can follow it. Exits 1 with the API's message on an error.
import { randomUUID } from 'node:crypto';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { CheckoutUpdates, CreateCheckout, MyMerchant, RecentPayments } from './operations.js';

const url = (process.env.WALLET_URL ?? 'http://localhost:4000').replace(/\/+$/, '');
const apiKey = process.env.WALLET_API_KEY;
const args = process.argv.slice(2);
const waitIndex = args.indexOf('--wait-seconds');
const waitSeconds = waitIndex >= 0 ? Number(args[waitIndex + 1]) : 120;
const amount = args.find((a, i) => /^\d+(\.\d{1,2})?$/.test(a) && i !== waitIndex + 1) ?? '9.99';

const say = (step: string, data: Record<string, unknown> = {}) => console.log(JSON.stringify({ step, ...data }));

function fail(message: string): never {
  console.error(`partner client: ${message}`);
  process.exit(1);
}

/** The sha256 id codegen gave the document: what the server knows it by. */
function documentId(document: TypedDocumentNode<unknown, unknown>): string {
  const hash = (document as { __meta__?: { hash?: string } }).__meta__?.hash;
  if (!hash) fail('this document has no persisted id: run npm run codegen');
  return hash;
}

/** One operation over HTTP: its id and variables, never its text. */
async function run<R, V>(document: TypedDocumentNode<R, V>, variables: V): Promise<R> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ documentId: documentId(document as TypedDocumentNode<unknown, unknown>), variables }),
  }).catch((err: Error) =>
    fail(
      `cannot reach the wallet server at ${url}/graphql (${(err.cause as Error | undefined)?.message ?? err.message}). ` +
        'Is it running? Set WALLET_URL to its address (default http://localhost:4000).',
    ),
  );
  const body = (await response.json()) as { data?: R; errors?: { message: string; extensions?: { code?: string } }[] };
  if (body.errors?.length) fail(`${body.errors[0]!.extensions?.code ?? response.status}: ${body.errors[0]!.message}`);
  return body.data!;
}

async function main() {
  if (!apiKey) fail('set WALLET_API_KEY to a merchant API key (createApiKey in the API; see docs/partners.md).');

  const merchant = (await run(MyMerchant, {})).myMerchants[0];
  if (!merchant) fail('the key has no merchant');
  say('merchant', { id: merchant.id, name: merchant.name });

  const created = (
    await run(CreateCheckout, {
      input: {
        merchantId: merchant.id,
        amount: { amount, currency: merchant.settlementCurrency },
        reference: `order-${randomUUID().slice(0, 8)}`,
        description: 'Example checkout',
      },
    })
  ).createPaymentRequest;
  if (created.userErrors.length) fail(created.userErrors.map((e) => `${e.code}: ${e.message}`).join('; '));
  const request = created.paymentRequest!;
  say('checkout', { code: request.code, url: request.url, qrCode: request.qrCodePngUrl, amount: request.amount });

  // Subscriptions carry the document id in extensions.persistedQuery, with an empty query. The
  // first event is the request's state when the subscription starts (OPEN: waiting from then on;
  // or already PAID, if the customer was quicker than the subscription), then each change.
  const ws = createClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${apiKey}` },
    retryAttempts: 0,
  });
  const paid = await new Promise<boolean>((resolve, reject) => {
    let settled = false;
    let waiting = false;
    const finish = (update: { status: string; paidCount: number }) => {
      if (settled) return;
      if (update.status === 'OPEN') {
        if (!waiting) say('waiting', { seconds: waitSeconds });
        waiting = true;
        return;
      }
      say('update', update);
      settled = true;
      clearTimeout(timer);
      stop();
      resolve(update.status === 'PAID');
    };
    const timer = setTimeout(() => {
      settled = true;
      stop();
      resolve(false);
    }, waitSeconds * 1000);
    const stop = ws.subscribe<{ paymentRequestUpdated: { status: string; paidCount: number } }>(
      {
        query: '',
        variables: { code: request.code },
        extensions: {
          persistedQuery: {
            version: 1,
            sha256Hash: documentId(CheckoutUpdates as TypedDocumentNode<unknown, unknown>).replace(/^sha256:/, ''),
          },
        },
      },
      {
        next: (result) => {
          if (result.errors?.length) return reject(new Error(result.errors[0]!.message));
          finish(result.data!.paymentRequestUpdated);
        },
        error: (err) => reject(err instanceof Error ? err : new Error(JSON.stringify(err))),
        complete: () => undefined,
      },
    );
  });
  await ws.dispose();
  say(paid ? 'paid' : 'not paid', { code: request.code });

  const payments = (await run(RecentPayments, { merchantId: merchant.id, first: 5 })).merchantPayments.edges.map((e) => e.node);
  say('payments', {
    payments: payments.map((p) => ({
      id: p.id,
      amount: p.amount.amount,
      fee: p.fee.amount,
      net: p.net.amount,
      status: p.status,
      reference: p.reference,
    })),
  });
  process.exit(paid ? 0 : 2);
}

main().catch((err) => fail((err as Error).message));
