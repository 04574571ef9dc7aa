// What services tell operators, without knowing how it is collected or shipped:
// - counts and timings through ServiceMetrics, an interface the server implements with
//   prom-client (src/server/metrics.ts); a service calls a method, in process, with no I/O;
// - trace spans through the OpenTelemetry API, which does nothing until the server registers the
//   SDK (src/server/tracing.ts, off unless an OTLP endpoint is configured). Spans are made only
//   inside a recording span (an operation being traced), so with tracing off a call costs a
//   context lookup and nothing else.
import { context, trace, SpanStatusCode, type Attributes, type Context, type Link, type Span } from '@opentelemetry/api';

export type WebhookOutcome = 'delivered' | 'failed' | 'gave_up';
export type NotificationOutcome = 'sent' | 'failed' | 'gave_up';

export interface ServiceMetrics {
  /** A batch of `what` (ledger postings, risk fact reads) ran: its size and how long it took. */
  batch(what: string, size: number, seconds: number): void;
  /** Outbox events published: right after their commit, or by the relay (overdue). */
  outboxPublished(by: 'commit' | 'relay', events: number): void;
  /** A relay pass ended: ok, or failed (it retries on the next pass). */
  relayPass(outcome: 'ok' | 'failed'): void;
  /** One delivery attempt of a merchant webhook: its outcome, whether it was a retry, and how long it took. */
  webhookDelivery(outcome: WebhookOutcome, retry: boolean, seconds: number): void;
  /** One delivery attempt of an email or SMS (the notifier): its outcome, whether it was a retry, and how long the provider took. */
  notificationDelivery(channel: 'EMAIL' | 'SMS' | 'PUSH', outcome: NotificationOutcome, retry: boolean, seconds: number): void;
  /** A request refused by a rate limiter (user, api_key, sign_in, sign_up). */
  rateLimited(limiter: string): void;
}

/** For scripts, jobs and tests that build services without a server. */
export const noServiceMetrics: ServiceMetrics = {
  batch() {},
  outboxPublished() {},
  relayPass() {},
  webhookDelivery() {},
  notificationDelivery() {},
  rateLimited() {},
};

const TRACER = 'wallet-server';

/** The active context when it carries a span being recorded (an operation being traced), else undefined. */
export function tracedContext(): Context | undefined {
  const active = context.active();
  return trace.getSpan(active)?.isRecording() ? active : undefined;
}

/**
 * Runs `work` in a span named `name`: a child of `parent` (default: the active context), with
 * `links` to other spans (a batch links each item's span). Thrown errors are recorded on it.
 */
export async function inSpan<T>(
  name: string,
  options: { attributes?: Attributes; links?: Link[]; parent?: Context },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const tracer = trace.getTracer(TRACER);
  return tracer.startActiveSpan(
    name,
    { attributes: options.attributes, links: options.links },
    options.parent ?? context.active(),
    async (span) => {
      try {
        return await work(span);
      } catch (err) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
        throw err;
      } finally {
        span.end();
      }
    },
  );
}

/** `work` in a child span when an operation is being traced; otherwise just `work`. */
export function inChildSpan<T>(name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  return tracedContext() ? inSpan(name, { attributes }, work) : work();
}
