// Notifications wiring: the notifier with its email, SMS and push providers (the sandbox ones: the
// only ones there are; a real provider is chosen here), the sandbox's inbox for development, and
// the in-app notifications with their dispatcher, which the outbox publisher wakes.
import type { Config } from '../../config.js';
import { createEnvelopes } from '../notifications/envelope.js';
import type { PhoneRow } from '../accounts/phones.js';
import type { OutboxPublisher } from '../events/outbox.js';
import { createDispatcher } from '../notifications/dispatcher.js';
import { createInbox } from '../notifications/inbox.js';
import { createNotificationService } from '../notifications/notifications.js';
import { createNotifier } from '../notifications/notifier.js';
import { createPreferenceService } from '../notifications/preferences.js';
import { createPushDevices } from '../notifications/pushDevices.js';
import { createSandboxInbox, createSandboxMessageProvider } from '../notifications/sandboxProviders.js';
import type { SharedDeps } from './shared.js';

export const notificationSettings = (config: Config) => ({
  retryBaseMs: config.NOTIFY_RETRY_BASE_MS,
  retryForMs: config.NOTIFY_RETRY_FOR_HOURS * 3_600_000,
  timeoutMs: config.NOTIFY_TIMEOUT_MS,
  pollMs: config.NOTIFY_POLL_MS,
});

export function wireNotifications(
  { prisma, sql, log, metrics }: SharedDeps,
  settings: ReturnType<typeof notificationSettings>,
  needs: { fingerprintKey: Buffer; outbox: Pick<OutboxPublisher, 'observe'>; phoneOf: (row: PhoneRow) => string | null },
) {
  const notifier = createNotifier({
    sql,
    envelopes: createEnvelopes(needs.fingerprintKey),
    providers: {
      EMAIL: createSandboxMessageProvider(sql, 'EMAIL'),
      SMS: createSandboxMessageProvider(sql, 'SMS'),
      PUSH: createSandboxMessageProvider(sql, 'PUSH'),
    },
    settings,
    log,
    metrics,
  });
  const dispatcher = createDispatcher({ prisma, notifier, phoneOf: needs.phoneOf, pollMs: settings.pollMs, log });
  needs.outbox.observe(dispatcher.observer);
  const notifications = createNotificationService({
    inbox: createInbox(sql),
    preferences: createPreferenceService(sql),
    pushDevices: createPushDevices(sql),
    dispatcher,
    notifier,
  });
  return { notifier, notifications, sandboxInbox: createSandboxInbox(sql) };
}
