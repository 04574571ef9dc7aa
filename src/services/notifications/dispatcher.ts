// The dispatcher: after a notification commits, decides where else it goes (email, SMS, push: the
// kind's defaults and the user's preferences, verified addresses, quiet hours) and queues those
// messages with the notifier. Each batch is one database transaction that claims notifications
// still to fan out (SKIP LOCKED: processes never share one), writes their messages and clears
// `fanout_pending`: a notification is fanned out exactly once, and one that committed while no
// process ran is fanned out by the next pass (a timer). It is woken by the outbox publisher when a
// committed batch of events carries notifications, so the request that caused one never waits.
import type { PrismaClient } from '../../db/database.js';
import type { Logger } from '../../logger.js';
import type { PhoneRow } from '../accounts/phones.js';
import { createDeliveryLoop } from '../delivery/deliveryLoop.js';
import { NOTIFICATIONS_ADDED } from '../events/ledgerEvents.js';
import type { CommitObserver } from '../events/outbox.js';
import { wallClock } from '../time/timeZones.js';
import type { NotificationRequest } from './model.js';
import { type ChannelOverrides, channelEnabled, KINDS, messageOf, type NoticeData, type NotificationKind, wordsOf } from './notices.js';
import type { Notifier } from './notifier.js';
import { inQuietHours, type QuietHours } from './preferences.js';

export interface Dispatcher {
  /** Fans out what is pending soon. */
  wake(): void;
  /** Fans out everything pending now; how many notifications (tests, jobs). */
  flush(): Promise<number>;
  /** Starts the catch-up timer; returns a stop function. */
  start(): () => Promise<void>;
  /** Wakes the dispatcher when committed events carry notifications (register with the outbox publisher). */
  observer: CommitObserver;
}

interface PendingRow {
  id: string;
  user_id: string;
  kind: NotificationKind;
  data: NoticeData;
  email: string;
  email_verified: boolean;
  phone_sealed: string | null;
  legacy_phone: string | null;
  phone_verified: boolean;
  time_zone: string;
  erased: boolean;
  channels: ChannelOverrides | null;
  quiet_start: number | null;
  quiet_end: number | null;
  push_tokens: string[];
}

const BATCH = 100;

/** When a push held for quiet hours may go: the end of the quiet hours now running, or null when they are not. */
export function quietUntil(quiet: QuietHours | null, timeZone: string, now: Date): Date | null {
  if (!quiet) return null;
  const local = wallClock(timeZone)(now.getTime());
  const minutes = Math.floor((local % 86_400_000) / 60_000);
  if (!inQuietHours(quiet, minutes)) return null;
  const wait = (quiet.end - minutes + 1440) % 1440;
  return new Date(now.getTime() + wait * 60_000 - (local % 60_000));
}

/** The messages one notification becomes, for the user as the row describes them. */
export function messagesFor(row: PendingRow, phoneOf: (row: PhoneRow) => string | null, now: Date): NotificationRequest[] {
  if (row.erased) return [];
  const info = KINDS[row.kind];
  const overrides = row.channels ?? {};
  const words = wordsOf(row.kind, row.data);
  const kind = row.kind.toLowerCase();
  const out: NotificationRequest[] = [];
  // Security notices go to the address on file; anything else only to a verified one.
  if (channelEnabled(overrides, row.kind, 'EMAIL') && (row.email_verified || info.security)) {
    out.push({ userId: row.user_id, channel: 'EMAIL', to: row.email, kind, content: messageOf('EMAIL', words) });
  }
  if (channelEnabled(overrides, row.kind, 'SMS') && row.phone_verified) {
    const phone = phoneOf({ id: row.user_id, phoneSealed: row.phone_sealed, legacyPhone: row.legacy_phone });
    if (phone) out.push({ userId: row.user_id, channel: 'SMS', to: phone, kind, content: messageOf('SMS', words) });
  }
  if (channelEnabled(overrides, row.kind, 'PUSH') && row.push_tokens.length) {
    const quiet = row.quiet_start == null || row.quiet_end == null ? null : { start: row.quiet_start, end: row.quiet_end };
    const notBefore = info.urgent ? null : quietUntil(quiet, row.time_zone, now);
    for (const token of row.push_tokens) {
      out.push({
        userId: row.user_id,
        channel: 'PUSH',
        to: token,
        kind,
        content: messageOf('PUSH', words),
        ...(notBefore ? { notBefore } : {}),
      });
    }
  }
  return out;
}

export function createDispatcher(deps: {
  prisma: PrismaClient;
  notifier: Pick<Notifier, 'enqueue' | 'wake'>;
  phoneOf: (row: PhoneRow) => string | null;
  pollMs: number;
  log: Logger;
}): Dispatcher {
  const { prisma, notifier, phoneOf, log } = deps;

  /** One batch, one transaction: claim, queue the messages, clear the flag. */
  async function fanOut(limit: number): Promise<string[]> {
    const { ids, queued } = await prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<PendingRow[]>`
        WITH due AS (
          SELECT id FROM notifications WHERE fanout_pending ORDER BY created_at LIMIT ${limit} FOR UPDATE SKIP LOCKED
        ), done AS (
          UPDATE notifications n SET fanout_pending = false FROM due WHERE n.id = due.id
          RETURNING n.id, n.user_id, n.kind, n.data)
        SELECT d.id::text, d.user_id::text, d.kind::text AS kind, d.data,
               u.email, u.email_verified_at IS NOT NULL AS email_verified, u.phone_sealed, u.legacy_phone,
               u.phone_verified_at IS NOT NULL AS phone_verified, u.time_zone, u.erased_at IS NOT NULL AS erased,
               p.channels, p.quiet_start, p.quiet_end,
               coalesce((SELECT array_agg(t.token ORDER BY t.created_at) FROM push_devices t WHERE t.user_id = d.user_id), '{}') AS push_tokens
        FROM done d JOIN users u ON u.id = d.user_id LEFT JOIN notification_preferences p ON p.user_id = d.user_id`;
      const now = new Date();
      const requests = rows.flatMap((row) => messagesFor(row, phoneOf, now));
      await notifier.enqueue(tx, requests);
      return { ids: rows.map((r) => r.id), queued: requests.length };
    });
    if (queued) notifier.wake();
    if (ids.length) log.debug({ notifications: ids.length, messages: queued }, 'notifications fanned out');
    return ids;
  }

  // The delivery loop's passes, wake-ups and flushes, with a batch's fan-out as its claim: the
  // messages it queues are delivered by the notifier, so there is nothing to do per item here.
  const loop = createDeliveryLoop<string>({ name: 'notification fan-out', batch: BATCH, log, claim: fanOut, deliver: async () => {} });

  return {
    wake: loop.wake,
    flush: loop.flush,
    start: () => loop.start(deps.pollMs),
    observer: {
      committed(events) {
        if (events.some((e) => e.topic === NOTIFICATIONS_ADDED)) loop.wake();
      },
      othersMustSee: () => false,
    },
  };
}
