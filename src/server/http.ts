// The HTTP front door: health checks, CORS, and GraphQL over HTTP handed to Apollo Server.
// Bodies are read here (not by a framework) so that size, content type and malformed JSON each
// get their proper status (413, 415, 400) with a clear message, and the process never logs a
// stack trace for a client's mistake.
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { GraphQLContext } from '../schema/context.js';
import type { Services } from '../services/index.js';
import { authenticate } from './authenticate.js';
import { createContext, deviceIdOf } from './context.js';
import type { Provider } from '../services/funding/funding.js';
import { SIGNATURE_HEADER } from '../services/webhooks/signature.js';
import { isDatabaseUnavailable } from '../db/sqlErrors.js';
import { INTERNAL_MESSAGE, UNAVAILABLE_MESSAGE, UNAVAILABLE_RETRY_SECONDS } from './formatError.js';
import type { Metrics, RouteKind } from './metrics.js';
import type { Tracing } from './tracing.js';
import { PAY_PATH, servePayPage } from './payPage.js';
import { checkRateLimit, resolveTrustedDocument } from './requestGate.js';
import { receiveWebhook } from './providerWebhooks.js';
import { createStatementDownloads, STATEMENT_PATH } from './statementDownloads.js';
import { APP_PATH, createWebAssets, prefersHtml, WEB_ASSET_PATH } from './webAssets.js';
import { applySecurityHeaders, CORS_ALLOWED_HEADERS } from './securityHeaders.js';
import { DATA_EXPORT_PATH } from '../services/privacy/privacy.js';
import { serveDataExport } from './dataExportDownload.js';

export interface Readiness {
  /** Resolves with each dependency's state; never throws. Ready needs the database only; degraded: something optional is down. */
  check(): Promise<{ ready: boolean; degraded: boolean; up: Record<string, boolean>; checks: Record<string, string> }>;
}

export interface HttpDeps {
  apollo: ApolloServer<GraphQLContext>;
  services: Services;
  config: Config;
  log: Logger;
  readiness: Readiness;
  metrics: Metrics;
  /** Spans for GraphQL requests; null when tracing is off. */
  tracing?: Tracing | null;
  /** True once shutdown has begun: readiness fails and connections are not kept alive. */
  isDraining(): boolean;
}

const GRAPHQL_PATH = '/graphql';
/** What the sandbox email and SMS providers received: development only (SANDBOX_INBOX). */
const SANDBOX_INBOX_PATH = '/sandbox/messages';
const WEBHOOK_PATH = /^\/webhooks\/(card|bank|kyc)$/;
const MAX_WEBHOOK_BYTES = 64 * 1024;
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first.slice(0, 64);
  }
  return req.socket.remoteAddress ?? 'unknown';
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

function sendProblem(res: ServerResponse, problem: HttpProblem) {
  sendJson(res, problem.status, { errors: [{ message: problem.message, extensions: { code: problem.code } }] });
}

/** Reads a body of `type` up to the limit. */
async function readBody(req: IncomingMessage, maxBytes: number, what: string, setting = ''): Promise<Buffer> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new HttpProblem(
      415,
      `Unsupported Content-Type "${type || '(none)'}": send ${what} as application/json.`,
      'UNSUPPORTED_MEDIA_TYPE',
    );
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  const tooLarge = () => new HttpProblem(413, `Request body is larger than the ${maxBytes}-byte limit${setting}.`, 'PAYLOAD_TOO_LARGE');
  if (declared > maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Reads a JSON body up to the limit. */
/** A GET request's parameters as a request object (variables and extensions are JSON in the URL). */
function searchRequest(url: URL): Record<string, unknown> {
  const request: Record<string, unknown> = {};
  for (const [key, value] of url.searchParams) {
    if (key === 'variables' || key === 'extensions') {
      try {
        request[key] = JSON.parse(value);
      } catch {
        throw new HttpProblem(400, `The ${key} parameter is not valid JSON.`, 'BAD_REQUEST');
      }
    } else request[key] = value;
  }
  return request;
}

function toSearch(request: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(request)) {
    if (value !== undefined) params.set(key, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return `?${params}`;
}

async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const text = (await readBody(req, maxBytes, 'GraphQL requests', ' (MAX_BODY_BYTES)')).toString('utf8');
  if (!text.trim()) throw new HttpProblem(400, 'Request body is empty: send {"query": "..."} as JSON.', 'BAD_REQUEST');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new HttpProblem(400, `Malformed JSON body: ${(err as Error).message}`, 'BAD_REQUEST');
  }
}

/** What a path is for, as a metric label: a handful of values, never the raw path. */
function routeKind(pathname: string): RouteKind {
  if (pathname === GRAPHQL_PATH) return 'graphql';
  if (pathname === '/healthz' || pathname === '/readyz') return 'health';
  if (pathname === '/metrics') return 'metrics';
  if (PAY_PATH.test(pathname)) return 'pay';
  if (WEBHOOK_PATH.test(pathname)) return 'webhook';
  if (pathname === STATEMENT_PATH) return 'statement';
  return 'other';
}

/** Answers GET /metrics: Prometheus's text format, behind METRICS_TOKEN when one is set. */
async function serveMetrics(req: IncomingMessage, res: ServerResponse, config: Config, metrics: Metrics) {
  if (config.METRICS_TOKEN) {
    const sent = Buffer.from(req.headers.authorization ?? '');
    const expected = Buffer.from(`Bearer ${config.METRICS_TOKEN}`);
    if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) {
      throw new HttpProblem(401, 'Send the METRICS_TOKEN as "Authorization: Bearer <token>".', 'UNAUTHENTICATED');
    }
  }
  res.writeHead(200, { 'content-type': metrics.registry.contentType });
  res.end(await metrics.registry.metrics());
}

/** The METRICS_PORT listener: /metrics and nothing else. */
export function createMetricsRequestListener(deps: Pick<HttpDeps, 'config' | 'metrics' | 'log'>) {
  return async function onMetricsRequest(req: IncomingMessage, res: ServerResponse) {
    try {
      if (req.url?.split('?')[0] !== '/metrics') throw new HttpProblem(404, 'Only /metrics is served on this port.', 'NOT_FOUND');
      await serveMetrics(req, res, deps.config, deps.metrics);
    } catch (err) {
      if (!(err instanceof HttpProblem)) deps.log.error({ err }, 'metrics scrape failed');
      const problem = err instanceof HttpProblem ? err : new HttpProblem(500, INTERNAL_MESSAGE, 'INTERNAL');
      if (!res.headersSent) sendProblem(res, problem);
      else res.destroy();
    }
  };
}

export function createRequestListener(deps: HttpDeps) {
  const { apollo, services, config, log } = deps;
  const web = createWebAssets();
  const serveStatementDownload = createStatementDownloads(services);
  // The GraphQL IDE (GraphiQL, from dist/web/) for browsers opening /graphql; never in production.
  const serveIde = config.NODE_ENV !== 'production';

  async function handleGraphQL(req: IncomingMessage, res: ServerResponse, url: URL, requestId: string, reqLog: Logger) {
    let body = req.method === 'POST' ? await readJsonBody(req, config.MAX_BODY_BYTES) : undefined;
    let search = url.search;
    const auth = await authenticate(services, req.headers.authorization);
    if (auth.badApiKey) throw new HttpProblem(401, `${auth.problem} Create a new one (createApiKey) if it was revoked.`, 'UNAUTHENTICATED');
    const limited = checkRateLimit(services, auth);
    if (limited) {
      res.setHeader('retry-after', String(limited.retryAfterSeconds));
      sendJson(res, limited.status, {
        errors: [{ message: limited.message, extensions: { code: limited.code, retryAfterSeconds: limited.retryAfterSeconds } }],
      });
      return;
    }
    if (auth.apiKey) {
      // Partners run their trusted documents only (and one operation per request).
      if (Array.isArray(body)) throw new HttpProblem(400, 'Requests with an API key carry one operation, not a batch.', 'BAD_REQUEST');
      const fromSearch = body === undefined;
      const request = fromSearch ? searchRequest(url) : (body as Record<string, unknown>);
      const trusted = await resolveTrustedDocument(services, auth.apiKey, request ?? {});
      if ('problem' in trusted) throw new HttpProblem(trusted.problem.status, trusted.problem.message, trusted.problem.code);
      if (fromSearch) search = toSearch(trusted.request);
      else body = trusted.request;
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method!.toUpperCase(), headers, search, body },
      context: async () =>
        createContext({
          services,
          auth,
          requestId,
          log: reqLog,
          ip: clientIp(req, config.TRUST_PROXY),
          userAgent: req.headers['user-agent'],
          deviceId: deviceIdOf(req.headers['x-device-id']),
        }),
    });
    for (const [key, value] of result.headers) res.setHeader(key, value);
    res.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') {
      res.end(result.body.string);
    } else {
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    }
  }

  /**
   * GET /sandbox/messages[?to=<email or phone>][&limit=<1..100>]: the messages the sandbox email
   * and SMS providers accepted, newest first, codes included (docs/sandbox.md). Not in production.
   */
  async function serveSandboxInbox(req: IncomingMessage, res: ServerResponse, url: URL) {
    if (!config.SANDBOX_INBOX)
      throw new HttpProblem(404, 'The sandbox inbox is not served here (SANDBOX_INBOX is off; never in production).', 'NOT_FOUND');
    if (req.method !== 'GET') {
      res.setHeader('allow', 'GET');
      throw new HttpProblem(405, 'The sandbox inbox is read with GET.', 'METHOD_NOT_ALLOWED');
    }
    const raw = url.searchParams.get('to');
    // An unencoded "+" of a phone number arrives as a space.
    const to = (raw && /^ \d{6,15}$/.test(raw) ? `+${raw.slice(1)}` : raw?.trim()) || null;
    const limit = Number(url.searchParams.get('limit') ?? 20);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      throw new HttpProblem(400, 'limit must be a whole number from 1 to 100.', 'BAD_REQUEST');
    if (to && to.length > 320) throw new HttpProblem(400, 'to is not an email address or phone number.', 'BAD_REQUEST');
    const messages = await services.sandboxInbox.list({ to, limit });
    sendJson(res, 200, { messages }, { 'cache-control': 'no-store' });
  }

  return async function onRequest(req: IncomingMessage, res: ServerResponse) {
    const started = process.hrtime.bigint();
    const incomingId = req.headers['x-request-id'];
    const requestId = typeof incomingId === 'string' && REQUEST_ID.test(incomingId) ? incomingId : randomUUID();
    // The per-request logger is made on first use: most requests log nothing below `info`.
    let child: Logger | undefined;
    const reqLog = new Proxy({} as Logger, {
      get: (_target, key) => {
        child ??= log.child({ reqId: requestId });
        const value = Reflect.get(child, key, child);
        return typeof value === 'function' ? value.bind(child) : value;
      },
    });
    res.setHeader('x-request-id', requestId);
    const corsAllowed = applySecurityHeaders(req, res, config);
    if (deps.isDraining()) res.setHeader('connection', 'close');
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      sendProblem(res, new HttpProblem(400, 'Malformed request URL.', 'BAD_REQUEST'));
      return;
    }
    const route = routeKind(url.pathname);
    const logged = log.isLevelEnabled('info');
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      deps.metrics.httpRequest(route, res.statusCode, seconds);
      if (logged) {
        reqLog.info({ method: req.method, path: url.pathname, status: res.statusCode, ms: Math.round(seconds * 1e4) / 10 }, 'request');
      }
    });

    try {
      if (url.pathname === '/healthz' || url.pathname === '/readyz') {
        // /healthz: the process is alive (always 200), with each dependency's state.
        // /readyz: send traffic here? Only the database is required; Redis down is "degraded".
        const state = await deps.readiness.check();
        const ready = state.ready && !deps.isDraining();
        const status = deps.isDraining() ? 'shutting down' : !state.ready ? 'not ready' : state.degraded ? 'degraded' : 'ready';
        if (url.pathname === '/healthz') sendJson(res, 200, { status: 'ok', ...state.checks });
        else sendJson(res, ready ? 200 : 503, { status, ...state.checks });
      } else if (url.pathname === '/metrics' && config.METRICS_PORT === undefined) {
        // (With METRICS_PORT, /metrics is served on that port only.)
        await serveMetrics(req, res, config, deps.metrics);
      } else if (url.pathname === GRAPHQL_PATH) {
        if (req.method === 'OPTIONS') {
          // A preflight: allowed origins (CORS_ORIGINS) get what they may send; others get nothing,
          // and their browser refuses the request.
          res.writeHead(
            204,
            corsAllowed
              ? {
                  'access-control-allow-methods': 'GET, POST, OPTIONS',
                  'access-control-allow-headers': CORS_ALLOWED_HEADERS,
                  'access-control-max-age': '600',
                }
              : {},
          );
          res.end();
        } else if (req.method === 'GET' && serveIde && prefersHtml(req.headers.accept)) {
          await web.serveIde(res);
        } else if (req.method === 'GET' || req.method === 'POST') {
          if (deps.tracing) await deps.tracing.inRequestSpan(req, res, GRAPHQL_PATH, () => handleGraphQL(req, res, url, requestId, reqLog));
          else await handleGraphQL(req, res, url, requestId, reqLog);
        } else {
          res.setHeader('allow', 'GET, POST, OPTIONS');
          sendProblem(
            res,
            new HttpProblem(405, `Method ${req.method} is not allowed on ${GRAPHQL_PATH}: use GET or POST.`, 'METHOD_NOT_ALLOWED'),
          );
        }
      } else if (PAY_PATH.test(url.pathname)) {
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          res.setHeader('allow', 'GET, HEAD');
          throw new HttpProblem(405, 'The payment page is read with GET.', 'METHOD_NOT_ALLOWED');
        }
        const [, code, format] = PAY_PATH.exec(url.pathname)!;
        await servePayPage(services, res, code!, format);
      } else if (url.pathname === STATEMENT_PATH) {
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          res.setHeader('allow', 'GET, HEAD');
          throw new HttpProblem(405, 'Statements are downloaded with GET.', 'METHOD_NOT_ALLOWED');
        }
        const problem = await serveStatementDownload(req, res, url, reqLog);
        if (problem?.retryAfterSeconds) res.setHeader('retry-after', String(problem.retryAfterSeconds));
        if (problem) throw new HttpProblem(problem.status, problem.message, problem.code);
      } else if (APP_PATH.test(url.pathname)) {
        // The wallet app (every environment): one page for all its routes, which the browser resolves.
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          res.setHeader('allow', 'GET, HEAD');
          throw new HttpProblem(405, 'The wallet app is read with GET.', 'METHOD_NOT_ALLOWED');
        }
        await web.serveApp(res, req.method === 'HEAD');
      } else if (WEB_ASSET_PATH.test(url.pathname)) {
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          res.setHeader('allow', 'GET, HEAD');
          throw new HttpProblem(405, 'Web assets are read with GET.', 'METHOD_NOT_ALLOWED');
        }
        const name = WEB_ASSET_PATH.exec(url.pathname)![1]!;
        if (!(await web.serveAsset(res, name, req.method === 'HEAD'))) {
          throw new HttpProblem(404, `No web asset ${name}: rebuild with npm run build:web and reload the page.`, 'NOT_FOUND');
        }
      } else if (url.pathname === DATA_EXPORT_PATH) {
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          res.setHeader('allow', 'GET, HEAD');
          throw new HttpProblem(405, 'A data download is read with GET.', 'METHOD_NOT_ALLOWED');
        }
        const problem = await serveDataExport(services, req, res, url, reqLog);
        if (problem) throw new HttpProblem(problem.status, problem.message, problem.code);
      } else if (url.pathname === SANDBOX_INBOX_PATH) {
        await serveSandboxInbox(req, res, url);
      } else if (WEBHOOK_PATH.test(url.pathname)) {
        const provider = WEBHOOK_PATH.exec(url.pathname)![1] as Provider | 'kyc';
        if (req.method !== 'POST') {
          res.setHeader('allow', 'POST');
          throw new HttpProblem(405, 'Webhooks are POSTed.', 'METHOD_NOT_ALLOWED');
        }
        const body = await readBody(req, MAX_WEBHOOK_BYTES, 'webhooks');
        const answer = await receiveWebhook({ services, config, log: reqLog }, provider, req.headers[SIGNATURE_HEADER], body);
        sendJson(res, answer.status, answer.body);
      } else {
        sendProblem(res, new HttpProblem(404, `Nothing at ${url.pathname}. The API is at ${GRAPHQL_PATH}.`, 'NOT_FOUND'));
      }
    } catch (err) {
      if (err instanceof HttpProblem) {
        reqLog.warn({ status: err.status, problem: err.message.slice(0, 200) }, 'bad request');
        if (err.status === 413) res.setHeader('connection', 'close');
        if (!res.headersSent) sendProblem(res, err);
        // Stop reading an oversized body: the response is sent, the rest is not wanted.
        if (err.status === 413) res.once('finish', () => req.destroy());
        return;
      }
      if (isDatabaseUnavailable(err)) {
        // Before Apollo (authentication, webhooks): the same retriable answer as inside it.
        deps.metrics.unavailable.inc({ dependency: 'database' });
        reqLog.warn({ err: (err as Error).message }, 'database unavailable');
        if (!res.headersSent) {
          res.setHeader('retry-after', String(UNAVAILABLE_RETRY_SECONDS));
          sendJson(res, 503, {
            errors: [
              { message: UNAVAILABLE_MESSAGE, extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: UNAVAILABLE_RETRY_SECONDS } },
            ],
          });
        } else res.destroy();
        return;
      }
      reqLog.error({ err }, 'unhandled error in HTTP handler');
      if (!res.headersSent) {
        sendJson(res, 500, { errors: [{ message: INTERNAL_MESSAGE, extensions: { code: 'INTERNAL' } }] });
      } else {
        res.destroy();
      }
    }
  };
}
