// The notification service as the API uses it: the in-app list, preferences, push devices, and
// a flush for jobs and tests (fan out what is pending, then deliver what is due). Services that
// report something write it with `writeNotices` (inbox.ts) in their own transaction.
import type { Dispatcher } from './dispatcher.js';
import type { Inbox } from './inbox.js';
import type { Notifier } from './notifier.js';
import type { PreferenceService } from './preferences.js';
import type { PushDeviceService } from './pushDevices.js';

export interface NotificationService {
  inbox: Inbox;
  preferences: PreferenceService;
  pushDevices: PushDeviceService;
  dispatcher: Dispatcher;
  /** Fans out every pending notification, then delivers every message due now. */
  flush(): Promise<void>;
}

export function createNotificationService(
  parts: Omit<NotificationService, 'flush'> & { notifier: Pick<Notifier, 'flush'> },
): NotificationService {
  const { notifier, ...service } = parts;
  return {
    ...service,
    async flush() {
      await service.dispatcher.flush();
      await notifier.flush();
    },
  };
}
