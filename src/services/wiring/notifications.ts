// Notifications wiring: the notifier with its email and SMS providers (the sandbox ones: the only
// ones there are; a real provider is chosen here), and the sandbox's inbox for development.
import type { Config } from '../../config.js';
import { createEnvelopes } from '../notifications/envelope.js';
import { createNotifier } from '../notifications/notifier.js';
import { createSandboxInbox, createSandboxMessageProvider } from '../notifications/sandboxProviders.js';
import type { SharedDeps } from './shared.js';

export const notificationSettings = (config: Config) => ({
  retryBaseMs: config.NOTIFY_RETRY_BASE_MS,
  retryForMs: config.NOTIFY_RETRY_FOR_HOURS * 3_600_000,
  timeoutMs: config.NOTIFY_TIMEOUT_MS,
  pollMs: config.NOTIFY_POLL_MS,
});

export function wireNotifications(
  { sql, log, metrics }: SharedDeps,
  settings: ReturnType<typeof notificationSettings>,
  needs: { fingerprintKey: Buffer },
) {
  const notifier = createNotifier({
    sql,
    envelopes: createEnvelopes(needs.fingerprintKey),
    providers: { EMAIL: createSandboxMessageProvider(sql, 'EMAIL'), SMS: createSandboxMessageProvider(sql, 'SMS') },
    settings,
    log,
    metrics,
  });
  return { notifier, sandboxInbox: createSandboxInbox(sql) };
}
