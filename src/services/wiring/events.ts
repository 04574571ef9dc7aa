// Events wiring: the outbox publisher every domain writes its events through.
import type { Config } from '../../config.js';
import { createOutboxPublisher, type OutboxPublisher } from '../events/outbox.js';
import type { SharedDeps } from './shared.js';

export const eventSettings = (config: Config) => ({
  relayIntervalMs: config.OUTBOX_RELAY_INTERVAL_MS,
  relayDelayMs: config.OUTBOX_RELAY_DELAY_MS,
});

export function wireEvents(
  { prisma, pubsub, log, metrics }: SharedDeps,
  settings: ReturnType<typeof eventSettings>,
): { outbox: OutboxPublisher } {
  return { outbox: createOutboxPublisher({ prisma, pubsub, log, metrics, settings }) };
}
