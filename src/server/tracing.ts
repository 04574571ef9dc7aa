// OpenTelemetry traces, off by default: with no OTLP endpoint configured (and OTEL_TRACES_EXPORTER
// not `otlp`) the SDK is never loaded and the API stays the no-op it is out of the box, so spans
// cost nothing. When on, spans are exported as OTLP over HTTP (JSON) in batches:
//
//   <type> <name>            the GraphQL operation over HTTP (a SERVER span: its parent is the
//                            caller's W3C traceparent header when it sends one; errors recorded)
//     <service>.<method>     the resolver's call into a service (transfers.sendMoney, …)
//       ledger batch         a posting call: child of its first transfer's span, linked to every
//                            transfer's span (one batch carries many transfers, of many traces)
//         SELECT wallet_post_transfers   the database call
//
// The batch and database spans are made in src/services (through the API, src/services/telemetry.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services/index.js';

const TRACER = 'wallet-server';

/** Incubating OpenTelemetry attribute names (copied, as the conventions advise, not imported). */
export const GRAPHQL_OPERATION_TYPE = 'graphql.operation.type';
export const GRAPHQL_OPERATION_NAME = 'graphql.operation.name';

/** Where traces go, or null when tracing is off. */
export function tracesUrl(config: Config): string | null {
  if (config.OTEL_SDK_DISABLED || config.OTEL_TRACES_EXPORTER === 'none') return null;
  if (config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const base = config.OTEL_EXPORTER_OTLP_ENDPOINT ?? (config.OTEL_TRACES_EXPORTER === 'otlp' ? 'http://localhost:4318' : null);
  return base && `${base.replace(/\/+$/, '')}/v1/traces`;
}

export interface Tracing {
  /** Runs `handle` in a SERVER span continuing the caller's traceparent; the operation names it. */
  inRequestSpan(req: IncomingMessage, res: ServerResponse, route: string, handle: () => Promise<void>): Promise<void>;
  /** Sends the spans not sent yet and turns tracing off (at shutdown). */
  shutdown(): Promise<void>;
}

/** Starts the SDK when traces are configured; null (nothing loaded) when they are not. */
export async function startTracing(config: Config, log: Logger): Promise<Tracing | null> {
  const url = tracesUrl(config);
  if (!url) return null;
  // Loaded only now: with tracing off none of the SDK is in the process.
  const [{ NodeTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { defaultResource, resourceFromAttributes }, semconv] =
    await Promise.all([
      import('@opentelemetry/sdk-trace-node'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/resources'),
      import('@opentelemetry/semantic-conventions'),
    ]);
  const exporter = new OTLPTraceExporter({
    url,
    headers: { ...config.OTEL_EXPORTER_OTLP_HEADERS, ...config.OTEL_EXPORTER_OTLP_TRACES_HEADERS },
  });
  const provider = new NodeTracerProvider({
    resource: defaultResource().merge(resourceFromAttributes({ [semconv.ATTR_SERVICE_NAME]: config.OTEL_SERVICE_NAME })),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  // The global tracer, AsyncLocalStorage context and W3C trace-context propagation.
  provider.register();
  log.info({ url, service: config.OTEL_SERVICE_NAME }, 'tracing on: exporting spans as OTLP over HTTP');
  return {
    inRequestSpan(req, res, route, handle) {
      const parent = propagation.extract(ROOT_CONTEXT, req.headers);
      const span = trace.getTracer(TRACER).startSpan(
        `${req.method} ${route}`,
        {
          kind: SpanKind.SERVER,
          attributes: {
            [semconv.ATTR_HTTP_REQUEST_METHOD]: req.method ?? 'GET',
            [semconv.ATTR_HTTP_ROUTE]: route,
            [semconv.ATTR_URL_PATH]: route,
          },
        },
        parent,
      );
      return context.with(trace.setSpan(parent, span), async () => {
        try {
          await handle();
        } catch (err) {
          span.recordException(err as Error);
          span.setStatus({ code: SpanStatusCode.ERROR });
          throw err;
        } finally {
          span.setAttribute(semconv.ATTR_HTTP_RESPONSE_STATUS_CODE, res.statusCode);
          if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        }
      });
    },
    async shutdown() {
      try {
        await provider.shutdown();
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'sending the last spans failed');
      }
      // Back to the no-op API, so a later server in this process starts untraced.
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/** The services the API layer calls, each call a span `<service>.<method>` (the rest are infrastructure). */
const TRACED_SERVICES = [
  'accounts',
  'wallets',
  'history',
  'transfers',
  'paymentMethods',
  'funding',
  'limits',
  'kyc',
  'aml',
  'riskReviews',
  'merchants',
  'paymentRequests',
  'merchantPayments',
  'merchantWebhooks',
  'apiKeys',
] as const satisfies readonly (keyof Services)[];

/**
 * The services as the API layer sees them when tracing is on: each method call of a domain
 * service in a span of its own. A refusal (an Outcome with userErrors) is an answer, not an
 * error: its codes are an attribute; a thrown error is recorded and marks the span failed.
 */
export function tracedServices(services: Services): Services {
  const traced = { ...services };
  for (const name of TRACED_SERVICES) (traced as Record<string, unknown>)[name] = tracedService(name, services[name]);
  return traced;
}

function tracedService<T extends object>(service: string, target: T): T {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get(object, key, receiver) {
      const value = Reflect.get(object, key, receiver);
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      let fn = wrapped.get(key);
      if (!fn) {
        const spanName = `${service}.${key}`;
        fn = function (this: unknown, ...args: unknown[]) {
          return trace.getTracer(TRACER).startActiveSpan(spanName, (span) => {
            try {
              const result = value.apply(this === receiver ? object : this, args);
              if (result instanceof Promise) {
                return result.then(
                  (answer) => ended(span, answer),
                  (err) => {
                    failed(span, err);
                    throw err;
                  },
                );
              }
              return ended(span, result);
            } catch (err) {
              failed(span, err);
              throw err;
            }
          });
        };
        wrapped.set(key, fn);
      }
      return fn;
    },
  });
}

function ended<T>(span: Span, answer: T): T {
  const outcome = answer as { ok?: unknown; errors?: { code?: string }[] } | null;
  if (outcome && typeof outcome === 'object' && outcome.ok === false && Array.isArray(outcome.errors)) {
    span.setAttribute(
      'wallet.user_errors',
      outcome.errors.map((e) => String(e.code)),
    );
  }
  span.end();
  return answer;
}

function failed(span: Span, err: unknown) {
  span.recordException(err as Error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
  span.end();
}
