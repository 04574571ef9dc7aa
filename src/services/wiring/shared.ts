// What every domain's wiring is handed: the process's connections and logger. Each domain also
// gets its own settings, mapped from Config in its wiring file, and the services it builds on.
import type { PrismaClient } from '../../db/database.js';
import type { SharedRedis } from '../../db/redis.js';
import type { Sql } from '../../db/sql.js';
import type { Logger } from '../../logger.js';
import type { AuditLog } from '../audit/auditLog.js';
import type { OutboxPublisher } from '../events/outbox.js';
import type { PubSub } from '../events/pubsub.js';
import type { ServiceMetrics } from '../telemetry.js';

export interface SharedDeps {
  prisma: PrismaClient;
  sql: Sql;
  pubsub: PubSub;
  /** Shared rate limits and counters; each falls back to its in-process form while Redis is down. */
  redis?: SharedRedis;
  log: Logger;
  /** Counts and timings for operators (src/server/metrics.ts implements it). */
  metrics: ServiceMetrics;
}

/** The shared dependencies once the outbox exists (every domain after events). */
export interface SharedWithOutbox extends SharedDeps {
  outbox: OutboxPublisher;
  /** The audit log: security and admin events are appended where they happen. */
  audit: AuditLog;
}
