// OpenTelemetry traces against the running server, exported to a local OTLP receiver (HTTP, JSON
// bodies, as a collector receives them on port 4318): a sendMoney sent with a W3C traceparent is
// one trace under the caller's span, from the operation through the service call to the ledger's
// posting batch (linked to the transfer's span) and its database call; a refusal is an attribute,
// not an error; a failed operation records its error. The server's shutdown sends what is left
// and turns tracing off again.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { credit, signInAdmin, signUpUser } from '../helpers/people.js';
import { startTestServer, type TestServer } from '../helpers/testServer.js';

const ADMIN = { email: 'tracing.admin@example.com', password: 'Trace-Keeper-2026!' };

const TraceSend = graphql(`
  mutation TraceSend($input: SendMoneyInput!) { sendMoney(input: $input) { transfer { id } userErrors { code } } }
`);
const TraceMe = graphql(`query TraceMe { me { id } }`);

/** A span as OTLP/JSON carries it (ids in hex). */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: { key: string; value: Record<string, unknown> }[];
  events?: { name: string; attributes?: OtlpSpan['attributes'] }[];
  links?: { traceId: string; spanId: string }[];
  status?: { code?: number };
}

const SPAN_KIND_SERVER = 2;
const STATUS_ERROR = 2;

/** An attribute's value, whatever its OTLP type. */
function attribute(span: { attributes?: OtlpSpan['attributes'] }, key: string): unknown {
  const value = span.attributes?.find((a) => a.key === key)?.value;
  if (!value) return undefined;
  if ('arrayValue' in value) return ((value.arrayValue as { values?: { stringValue: string }[] }).values ?? []).map((v) => v.stringValue);
  const [raw] = Object.values(value);
  return typeof raw === 'string' && 'intValue' in value ? Number(raw) : raw;
}

/** An OTLP/HTTP receiver: records the spans POSTed to /v1/traces, and the content types. */
async function otlpReceiver() {
  const spans: OtlpSpan[] = [];
  const contentTypes: string[] = [];
  const resources: unknown[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      contentTypes.push(String(req.headers['content-type']));
      if (req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      const request = JSON.parse(body) as {
        resourceSpans: { resource: unknown; scopeSpans: { spans: OtlpSpan[] }[] }[];
      };
      for (const rs of request.resourceSpans) {
        resources.push(rs.resource);
        for (const ss of rs.scopeSpans) spans.push(...ss.spans);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    contentTypes,
    resources,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

describe('traces exported as OTLP over HTTP', () => {
  let receiver: Awaited<ReturnType<typeof otlpReceiver>>;
  let t: TestServer;
  let stopped = false;

  beforeAll(async () => {
    receiver = await otlpReceiver();
    t = await startTestServer({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'wallet-under-test',
      BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
      BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
    });
  });
  afterAll(async () => {
    if (!stopped) await t?.stop();
    await receiver?.close();
  });

  it('follow a send from the operation through the service to the posting batch and its database call, in the caller’s trace', async () => {
    const admin = await signInAdmin(t, ADMIN);
    const alice = await signUpUser(t, { label: 'trace-alice' });
    const bob = await signUpUser(t, { label: 'trace-bob' });
    await credit(t, admin, alice.walletId, '20.00');

    const send = async (amount: string, traceId: string, callerSpan: string) => {
      const { status, body } = await t.request(
        TraceSend,
        { input: { recipient: { email: bob.email }, amount: { amount, currency: 'USD' }, idempotencyKey: randomUUID() } },
        { token: alice.token, headers: { traceparent: `00-${traceId}-${callerSpan}-01` } },
      );
      expect(status).toBe(200);
      return body.data!.sendMoney;
    };
    const sent = { traceId: hex(16), caller: hex(8) };
    expect((await send('5.00', sent.traceId, sent.caller)).userErrors).toEqual([]);
    const refused = { traceId: hex(16), caller: hex(8) };
    expect((await send('500.00', refused.traceId, refused.caller)).userErrors.map((e) => e.code)).toEqual(['INSUFFICIENT_FUNDS']);
    const failed = { traceId: hex(16), caller: hex(8) };
    const unauthenticated = await t.request(TraceMe, {}, { headers: { traceparent: `00-${failed.traceId}-${failed.caller}-01` } });
    expect(unauthenticated.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    // Shutdown sends the spans still waiting in the batch processor, then turns tracing off.
    stopped = true;
    await t.stop();
    expect(trace.getTracer('probe').startSpan('probe').isRecording()).toBe(false);
    expect(new Set(receiver.contentTypes)).toEqual(new Set(['application/json']));
    expect(JSON.stringify(receiver.resources)).toContain('wallet-under-test');

    // The send: every span in the caller's trace.
    const inTrace = receiver.spans.filter((s) => s.traceId === sent.traceId);
    const one = (name: string) => {
      const found = inTrace.filter((s) => s.name === name);
      expect(
        found.map((s) => s.name),
        `spans named ${name} in ${inTrace.map((s) => s.name).join(', ')}`,
      ).toEqual([name]);
      return found[0]!;
    };
    const operation = one('mutation TraceSend');
    expect(operation.parentSpanId).toBe(sent.caller);
    expect(operation.kind).toBe(SPAN_KIND_SERVER);
    expect(attribute(operation, 'graphql.operation.type')).toBe('mutation');
    expect(attribute(operation, 'graphql.operation.name')).toBe('TraceSend');
    expect(attribute(operation, 'http.request.method')).toBe('POST');
    expect(attribute(operation, 'http.response.status_code')).toBe(200);
    expect(operation.status?.code ?? 0).not.toBe(STATUS_ERROR);

    const service = one('transfers.sendMoney');
    expect(service.parentSpanId).toBe(operation.spanId);
    expect(attribute(service, 'wallet.user_errors')).toBeUndefined();

    // The batch serves many transfers: it is linked to each one's span (and parented on the first).
    const batch = one('ledger batch');
    expect(batch.links?.map((l) => [l.traceId, l.spanId])).toEqual([[sent.traceId, service.spanId]]);
    expect(batch.parentSpanId).toBe(service.spanId);
    expect(attribute(batch, 'wallet.batch.size')).toBe(1);

    const database = one('SELECT wallet_post_transfers');
    expect(database.parentSpanId).toBe(batch.spanId);
    expect(attribute(database, 'db.system.name')).toBe('postgresql');
    expect(attribute(database, 'wallet.transfers')).toBe(1);

    // The refusal is the service's answer (an attribute), not an error of the operation.
    const refusedSpans = receiver.spans.filter((s) => s.traceId === refused.traceId);
    const refusedService = refusedSpans.find((s) => s.name === 'transfers.sendMoney')!;
    expect(attribute(refusedService, 'wallet.user_errors')).toEqual(['INSUFFICIENT_FUNDS']);
    expect(refusedSpans.find((s) => s.name === 'mutation TraceSend')!.status?.code ?? 0).not.toBe(STATUS_ERROR);

    // A failed operation records its error: the code, and the message as the client saw it.
    const failedOperation = receiver.spans.find((s) => s.traceId === failed.traceId && s.name === 'query TraceMe')!;
    expect(failedOperation.parentSpanId).toBe(failed.caller);
    expect(failedOperation.status?.code).toBe(STATUS_ERROR);
    const exception = failedOperation.events?.find((e) => e.name === 'exception');
    expect(exception && attribute(exception, 'exception.type')).toBe('UNAUTHENTICATED');
  });
});
