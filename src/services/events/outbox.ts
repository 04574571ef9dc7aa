// Delivery of committed events. Events are rows in outbox_events, written in the same database
// transaction as the change they describe. After commit they are published at once; the relay
// republishes any row still unpublished a little later (the process died between commit and
// publish, or Redis was briefly away), so no committed change is lost to subscribers.
// Delivery is at least once: subscribers drop duplicates by their sequence numbers.
import type { PrismaClient } from '../../db/database.js';
import type { Logger } from '../../logger.js';
import type { PubSub } from './pubsub.js';

export interface OutboxEvent {
  id: number | string;
  topic: string;
  payload: unknown;
}

export interface OutboxPublisher {
  /** Publishes events of a committed transaction (fire and forget; the relay covers failures). */
  publishCommitted(events: OutboxEvent[]): void;
  /** One relay pass: publishes what is overdue; returns how many. */
  relayOnce(): Promise<number>;
  /** Waits for publishes already started (before the database closes at shutdown). */
  drain(): Promise<void>;
  /** Starts the periodic relay and housekeeping; returns a stop function that waits for a running pass. */
  startRelay(): () => Promise<void>;
}

export interface OutboxSettings {
  relayIntervalMs: number;
  relayDelayMs: number;
  /** Published events older than this are deleted; so are expired idempotency keys. */
  retentionHours: number;
}

const RELAY_BATCH = 500;

export function createOutboxPublisher(deps: { prisma: PrismaClient; pubsub: PubSub; log: Logger; settings: OutboxSettings }): OutboxPublisher {
  const { prisma, pubsub, log, settings } = deps;

  async function publishAll(events: OutboxEvent[]) {
    // In order: a wallet's events are published in the order they were written.
    for (const e of events) await pubsub.publish(e.topic, e.payload);
  }

  /** Marks events published, through `db` (the relay passes its transaction). */
  async function markPublished(ids: (number | string)[], db: Pick<PrismaClient, '$executeRaw'> = prisma) {
    await db.$executeRaw`UPDATE outbox_events SET published_at = now() WHERE id = ANY(${ids.map(String)}::bigint[])`;
  }

  async function relayOnce(): Promise<number> {
    return prisma.$transaction(
      async (tx) => {
        // SKIP LOCKED: several server processes relay at once without publishing a row twice each.
        const rows = await tx.$queryRaw<OutboxEvent[]>`
          SELECT id::text AS id, topic, payload FROM outbox_events
          WHERE published_at IS NULL AND created_at < now() - make_interval(secs => ${settings.relayDelayMs / 1000})
          ORDER BY id LIMIT ${RELAY_BATCH} FOR UPDATE SKIP LOCKED`;
        if (!rows.length) return 0;
        await publishAll(rows);
        await markPublished(rows.map((r) => r.id), tx);
        log.info({ count: rows.length }, 'outbox relay published overdue events');
        return rows.length;
      },
      { maxWait: 5_000, timeout: 30_000 },
    );
  }

  async function housekeeping() {
    const hours = settings.retentionHours;
    await prisma.$executeRaw`DELETE FROM outbox_events WHERE published_at < now() - make_interval(hours => ${hours})`;
    await prisma.$executeRaw`DELETE FROM idempotency_keys WHERE expires_at < now()`;
  }

  const inFlight = new Set<Promise<void>>();

  return {
    publishCommitted(events) {
      const done: Promise<void> = publishAll(events)
        .then(() => markPublished(events.map((e) => e.id)))
        .catch((err) => log.warn({ err: (err as Error).message }, 'publishing committed events failed; the relay will retry'))
        .finally(() => inFlight.delete(done));
      inFlight.add(done);
    },
    async drain() {
      await Promise.all([...inFlight]);
    },
    relayOnce,
    startRelay() {
      let running: Promise<unknown> = Promise.resolve();
      let passes = 0;
      const timer = setInterval(() => {
        running = running
          .then(async () => {
            await relayOnce();
            // Housekeeping about once an hour.
            if (++passes % Math.max(1, Math.round(3_600_000 / settings.relayIntervalMs)) === 0) await housekeeping();
          })
          .catch((err) => log.warn({ err: (err as Error).message }, 'outbox relay pass failed'));
      }, settings.relayIntervalMs);
      timer.unref();
      return async () => {
        clearInterval(timer);
        await running;
      };
    },
  };
}
