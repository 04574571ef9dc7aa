// The notifier: email and SMS that are never lost and never sent for something that rolled back.
// A message is a row of notification_messages written through the caller's transaction (`enqueue`),
// so it exists exactly when what it reports committed. After commit the caller
// wakes the delivery loop (../delivery/deliveryLoop.ts, shared with merchant webhooks), which hands
// each due message to its channel's provider with a timeout, and records the outcome: sent, or
// retried with exponential backoff until its give-up time (a code's expiry; NOTIFY_RETRY_FOR_HOURS
// for notices), or failed for good when the provider says the address is wrong. A timer catches
// what a process that died after commit did not deliver.
//
// What a message says and to whom is sealed (envelope.ts) while it waits and erased once it is
// sent or given up; logs carry its id, kind and channel, never its text, code or address.
// Issue 19's notification service (in-app notifications, preferences, push) puts its email and SMS
// through `enqueue` in the transaction of the event it reports.
import { randomUUID } from 'node:crypto';
import type { Prisma } from '../../generated/prisma/client.js';
import type { Sql } from '../../db/sql.js';
import type { Logger } from '../../logger.js';
import { backoffDelayMs, createDeliveryLoop } from '../delivery/deliveryLoop.js';
import type { ServiceMetrics } from '../telemetry.js';
import type { Envelopes } from './envelope.js';
import type { Channel, MessageContent, NotificationRequest } from './model.js';
import { DeliveryRefused, type MessageProvider } from './providers.js';
import { accountNumberIn } from './templates.js';

export interface NotifierSettings {
  /** First retry after this long; each later one waits twice as long (at most an hour). */
  retryBaseMs: number;
  /** How long a message without its own give-up time is retried. */
  retryForMs: number;
  /** A provider call not answered within this long counts as failed (and is retried). */
  timeoutMs: number;
  /** How often the loop looks for due messages (it is also woken after each commit that adds one); 0: only when woken. */
  pollMs: number;
}

/** A message as a row: the columns of notification_messages. */
interface PreparedMessage {
  id: string;
  userId: string | null;
  channel: Channel;
  kind: string;
  envelope: Buffer;
  notBefore: Date | null;
  giveUpAt: Date;
}

export interface Notifier {
  /**
   * Writes messages through `tx`: sent once it commits (call `wake` then), never if it rolls back.
   * Returns their ids. Throws, writing nothing, if a message would carry an account number.
   */
  enqueue(tx: Pick<Prisma.TransactionClient, '$executeRaw'>, requests: NotificationRequest[]): Promise<string[]>;
  /** Delivers what is due soon: call after the transaction that enqueued commits. */
  wake(): void;
  /** Delivers everything due now, after any pass in progress; how many were attempted (tests, jobs). */
  flush(): Promise<number>;
  /** Starts the delivery loop's timer; returns a stop function that waits for a running pass. */
  start(): () => Promise<void>;
}

interface DueMessage {
  id: string;
  user_id: string | null;
  channel: Channel;
  kind: string;
  envelope: Uint8Array;
  attempts: number;
  give_up_at: Date;
}

/** How the sealed part of a message looks. */
interface Sealed extends MessageContent {
  to: string;
}

const LEASE_SECONDS = 60;
const BATCH = 20;

export function createNotifier(deps: {
  sql: Sql;
  envelopes: Envelopes;
  providers: Record<Channel, MessageProvider>;
  settings: NotifierSettings;
  log: Logger;
  metrics: ServiceMetrics;
}): Notifier {
  const { sql, envelopes, providers, settings, log, metrics } = deps;

  function prepare(request: NotificationRequest): PreparedMessage {
    // A bug, not a user's mistake: a template must never put a card or account number in a message.
    for (const part of [request.content.subject ?? '', request.content.text]) {
      if (accountNumberIn(part)) throw new Error(`a ${request.kind} message would carry an account number; refused`);
    }
    const id = randomUUID();
    const sealed: Sealed = { to: request.to, ...request.content };
    return {
      id,
      userId: request.userId,
      channel: request.channel,
      kind: request.kind,
      envelope: envelopes.seal(id, sealed),
      notBefore: request.notBefore ?? null,
      giveUpAt: request.giveUpAt ?? new Date((request.notBefore?.getTime() ?? Date.now()) + settings.retryForMs),
    };
  }

  /** Records an attempt: sent, retried later, or given up (the envelope erased when it is over). */
  async function record(m: DueMessage, outcome: { providerRef: string } | { error: string; permanent: boolean }, seconds: number) {
    const attempt = m.attempts + 1;
    if ('providerRef' in outcome) {
      await sql.query(
        `UPDATE notification_messages SET status = 'SENT', attempts = $2, sent_at = now(), provider_ref = $3, envelope = NULL, last_error = NULL
         WHERE id = $1::uuid`,
        [m.id, attempt, outcome.providerRef],
      );
      metrics.notificationDelivery(m.channel, 'sent', attempt > 1, seconds);
      return;
    }
    const delayMs = backoffDelayMs(attempt, settings.retryBaseMs);
    const giveUp = outcome.permanent || Date.now() + delayMs > m.give_up_at.getTime();
    await sql.query(
      `UPDATE notification_messages SET attempts = $2, last_error = $3,
         status = CASE WHEN $4::boolean THEN 'FAILED' ELSE 'PENDING' END::"NotificationStatus",
         envelope = CASE WHEN $4::boolean THEN NULL ELSE envelope END,
         next_attempt_at = now() + make_interval(secs => $5::float8 / 1000)
       WHERE id = $1::uuid`,
      [m.id, attempt, outcome.error.slice(0, 300), giveUp, giveUp ? 0 : delayMs],
    );
    metrics.notificationDelivery(m.channel, giveUp ? 'gave_up' : 'failed', attempt > 1, seconds);
    log.info({ messageId: m.id, kind: m.kind, channel: m.channel, attempt, error: outcome.error, giveUp }, 'message not delivered');
  }

  async function deliver(m: DueMessage) {
    const started = Date.now();
    let outcome: { providerRef: string } | { error: string; permanent: boolean };
    try {
      const sealed = envelopes.open(m.id, m.envelope) as Sealed;
      const provider = providers[m.channel];
      const signal = AbortSignal.timeout(settings.timeoutMs);
      const sent = await Promise.race([
        provider.send(
          { id: m.id, channel: m.channel, to: sealed.to, subject: sealed.subject, text: sealed.text, code: sealed.code },
          signal,
        ),
        new Promise<never>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true })),
      ]);
      outcome = { providerRef: sent.providerRef };
    } catch (err) {
      const e = err as Error;
      outcome = {
        error: e.name === 'TimeoutError' ? `no answer within ${settings.timeoutMs} ms` : e.message,
        permanent: err instanceof DeliveryRefused && err.permanent,
      };
    }
    await record(m, outcome, (Date.now() - started) / 1000);
  }

  const loop = createDeliveryLoop<DueMessage>({
    name: 'notification',
    batch: BATCH,
    log,
    // Due messages get a lease, so no other server process sends them meanwhile.
    claim: (limit) =>
      sql.query<DueMessage>(
        `UPDATE notification_messages SET next_attempt_at = now() + make_interval(secs => $1)
         WHERE id IN (SELECT id FROM notification_messages WHERE status = 'PENDING' AND next_attempt_at <= now()
                      ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING id::text, user_id::text, channel::text AS channel, kind, envelope, attempts, give_up_at`,
        [LEASE_SECONDS, limit],
      ),
    deliver,
  });

  return {
    async enqueue(tx, requests) {
      if (!requests.length) return [];
      const rows = requests.map(prepare);
      await tx.$executeRaw`
        INSERT INTO notification_messages (id, user_id, channel, kind, envelope, next_attempt_at, give_up_at)
        SELECT r.id, r."userId", r.channel::"NotificationChannel", r.kind, decode(r.envelope, 'base64'), coalesce(r."notBefore", now()), r."giveUpAt"
        FROM jsonb_to_recordset(${JSON.stringify(rows.map((r) => ({ ...r, envelope: r.envelope.toString('base64') })))}::jsonb)
          AS r(id UUID, "userId" UUID, channel TEXT, kind TEXT, envelope TEXT, "notBefore" TIMESTAMPTZ, "giveUpAt" TIMESTAMPTZ)`;
      return rows.map((r) => r.id);
    },
    wake: loop.wake,
    flush: loop.flush,
    start: () => loop.start(settings.pollMs),
  };
}
