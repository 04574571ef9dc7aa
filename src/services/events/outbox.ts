// Delivery of committed events. Events are rows in outbox_events, written in the same database
// transaction as the change they describe, and deleted once published: the table holds only what
// is still to be delivered (and, for up to a relay interval, what was just published). After
// commit they are published at once; the relay publishes any row still there a little later (the
// process died between commit and publish, or Redis was briefly away), so no committed change is
// lost to subscribers. Delivery is at least once: subscribers drop duplicates by their sequence
// numbers. Published rows are not deleted by a statement of their own per commit: the next
// posting call deletes them in its own statement (takePublished), and the relay's pass deletes
// what no call took.
import type { PrismaClient } from '../../db/database.js';
import type { Logger } from '../../logger.js';
import type { ServiceMetrics } from '../telemetry.js';
import { messagesOf } from './ledgerEvents.js';
import type { PubSub } from './pubsub.js';
import { topics } from './topics.js';
import { walletChangesOf } from './walletChanges.js';

export interface OutboxEvent {
  id: number | string;
  topic: string;
  payload: unknown;
}

/**
 * Writes events through `tx`, to be published after it commits (pass the returned rows to
 * publishCommitted); if the process dies first, the relay publishes them.
 */
export async function writeOutbox(
  tx: Pick<PrismaClient, '$queryRaw'>,
  events: { topic: string; payload: unknown }[],
): Promise<OutboxEvent[]> {
  if (!events.length) return [];
  return tx.$queryRaw<OutboxEvent[]>`
    INSERT INTO outbox_events (topic, payload)
    SELECT e->>'topic', e->'payload' FROM jsonb_array_elements(${JSON.stringify(events)}::jsonb) AS e
    RETURNING id::text AS id, topic, payload`;
}

/** A process-local cache kept by committed events (services/wallets/walletCache.ts). */
export interface CommitObserver {
  /** Told of committed events before they are published: in this process, before the caller answers. */
  committed(events: OutboxEvent[]): void;
  /** Whether other processes cache what events change, so a caller must not answer before they are sent (read-your-writes there). */
  othersMustSee(): boolean;
}

export interface OutboxPublisher {
  /**
   * Publishes events of a committed transaction; the relay covers failures. Resolves at once,
   * unless an observer needs other processes to have been sent them before the caller answers:
   * then once they are published (or publishing failed). Callers that answer a client await it.
   */
  publishCommitted(events: OutboxEvent[]): Promise<void>;
  /** Adds a cache kept by committed events. */
  observe(observer: CommitObserver): void;
  /**
   * Ids of published rows still to delete, handed to a statement that deletes them (the posting
   * call); give them back with `untake` if that statement did not commit.
   */
  takePublished(): string[];
  untake(ids: string[]): void;
  /** One relay pass: publishes what is overdue; returns how many. */
  relayOnce(): Promise<number>;
  /** Waits for publishes already started (before the database closes at shutdown). */
  drain(): Promise<void>;
  /** Starts the periodic relay and housekeeping; returns a stop function that waits for a running pass. */
  startRelay(): () => Promise<void>;
  /**
   * What waits to be published, for metrics: how many events and the age of the oldest (0 when
   * none). Rows published here and not yet deleted are not counted.
   */
  backlog(): Promise<{ events: number; oldestAgeSeconds: number }>;
}

export interface OutboxSettings {
  relayIntervalMs: number;
  relayDelayMs: number;
}

const RELAY_BATCH = 500;

export function createOutboxPublisher(deps: {
  prisma: PrismaClient;
  pubsub: PubSub;
  log: Logger;
  metrics: ServiceMetrics;
  settings: OutboxSettings;
}): OutboxPublisher {
  const { prisma, pubsub, log, metrics, settings } = deps;

  const observers: CommitObserver[] = [];

  async function publishAll(events: OutboxEvent[]) {
    const messages = events.flatMap((e) => messagesOf(e.topic, e.payload));
    // Other processes' wallet caches hear of the batch's wallet changes in one message (this
    // process's observers were told directly; with no other process alive nobody else caches).
    const changed = observers.some((o) => o.othersMustSee()) && walletChangesOf(events.filter((e) => e.topic !== topics.walletsChanged));
    if (changed) messages.push({ topic: topics.walletsChanged, payload: changed });
    // All at once, in order: the publishes leave in this order on one connection (one auto-
    // pipelined write for Redis), so a wallet's events arrive in the order they were written.
    // Awaiting each in turn cost a write and a round trip per event.
    await Promise.all(messages.map((m) => pubsub.publish(m.topic, m.payload)));
  }

  /** Removes published events, through `db` (the relay passes its transaction). */
  async function removePublished(ids: (number | string)[], db: Pick<PrismaClient, '$executeRaw'> = prisma) {
    await db.$executeRaw`DELETE FROM outbox_events WHERE id = ANY(${ids.map(String)}::bigint[])`;
  }

  /** Published rows not deleted yet: the next posting call or relay pass deletes them. */
  let published: string[] = [];
  const MAX_TAKEN = 10_000;

  async function removeLeftovers() {
    const ids = published;
    published = [];
    if (!ids.length) return;
    try {
      await removePublished(ids);
    } catch (err) {
      published.push(...ids);
      throw err;
    }
  }

  async function relayOnce(): Promise<number> {
    return prisma.$transaction(
      async (tx) => {
        // SKIP LOCKED: several server processes relay at once without publishing a row twice each.
        const rows = await tx.$queryRaw<OutboxEvent[]>`
          SELECT id::text AS id, topic, payload FROM outbox_events
          WHERE created_at < now() - make_interval(secs => ${settings.relayDelayMs / 1000})
            AND NOT id = ANY(${published}::bigint[])
          ORDER BY id LIMIT ${RELAY_BATCH} FOR UPDATE SKIP LOCKED`;
        if (!rows.length) return 0;
        // Committed by a process that died before publishing them (or could not): this one's caches too.
        for (const observer of observers) observer.committed(rows);
        await publishAll(rows);
        metrics.outboxPublished('relay', rows.length);
        await removePublished(
          rows.map((r) => r.id),
          tx,
        );
        log.info({ count: rows.length }, 'outbox relay published overdue events');
        return rows.length;
      },
      { maxWait: 5_000, timeout: 30_000 },
    );
  }

  async function housekeeping() {
    await prisma.$executeRaw`DELETE FROM idempotency_keys WHERE expires_at < now()`;
  }

  const inFlight = new Set<Promise<void>>();

  return {
    publishCommitted(events) {
      for (const observer of observers) observer.committed(events);
      // Pub/sub down: the rows stay, and the relay publishes them once it is back.
      if (!pubsub.isUp()) return Promise.resolve();
      let sent!: () => void;
      const sentToAll = new Promise<void>((resolve) => (sent = resolve));
      const done: Promise<void> = publishAll(events)
        .finally(() => sent())
        .then(() => {
          metrics.outboxPublished('commit', events.length);
          published.push(...events.map((e) => String(e.id)));
        })
        .catch((err) => log.warn({ err: (err as Error).message }, 'publishing committed events failed; the relay will retry'))
        .finally(() => inFlight.delete(done));
      inFlight.add(done);
      return observers.some((o) => o.othersMustSee()) ? sentToAll : Promise.resolve();
    },
    observe(observer) {
      observers.push(observer);
    },
    takePublished() {
      const taken = published.length > MAX_TAKEN ? published.splice(0, MAX_TAKEN) : published;
      if (taken === published) published = [];
      return taken;
    },
    untake(ids) {
      published.push(...ids);
    },
    async drain() {
      await Promise.all([...inFlight]);
      // Deleted now, so that the next start does not publish them again.
      await removeLeftovers().catch((err) => log.warn({ err: (err as Error).message }, 'deleting published outbox events failed'));
    },
    relayOnce,
    async backlog() {
      // Not counting rows this process published and has yet to delete.
      const [row] = await prisma.$queryRaw<{ n: number; age: number | null }[]>`
        SELECT count(*)::int AS n, extract(epoch FROM now() - min(created_at))::float8 AS age
        FROM outbox_events WHERE NOT id = ANY(${published}::bigint[])`;
      return { events: row?.n ?? 0, oldestAgeSeconds: Math.max(0, row?.age ?? 0) };
    },
    startRelay() {
      let running: Promise<unknown> = Promise.resolve();
      let passes = 0;
      let failing = false;
      const pass = () => {
        running = running
          .then(async () => {
            // What no posting call took since the last pass.
            await removeLeftovers();
            // While the pub/sub is away the events wait here; nothing to try.
            if (pubsub.isUp()) await relayOnce();
            // Housekeeping about once an hour.
            if (++passes % Math.max(1, Math.round(3_600_000 / settings.relayIntervalMs)) === 0) await housekeeping();
            if (failing) log.info('outbox relay working again');
            failing = false;
            metrics.relayPass('ok');
          })
          .catch((err) => {
            metrics.relayPass('failed');
            // One line per outage (e.g. the database restarting), not one per pass.
            if (!failing) log.warn({ err: (err as Error).message }, 'outbox relay pass failed; retrying every pass');
            failing = true;
          });
      };
      const timer = setInterval(pass, settings.relayIntervalMs);
      timer.unref();
      // Back after an outage: publish what waited at once, not at the next tick.
      const stopListening = pubsub.onStateChange((up) => up && pass());
      return async () => {
        clearInterval(timer);
        stopListening();
        await running;
      };
    },
  };
}
