// Notification preferences: per kind and outbound channel (email, SMS, push), over each kind's
// defaults (notices.ts), and quiet hours in the user's time zone. The in-app list always has
// every notification; a security notice's default channels cannot be switched off. Stored as one
// row per user holding only what differs from the defaults, so a new kind or a changed default
// reaches everyone who did not choose otherwise.
import type { Sql } from '../../db/sql.js';
import { failure, success, type Outcome, type UserError } from '../errors.js';
import {
  type ChannelOverrides,
  channelEnabled,
  KINDS,
  lockedOn,
  NOTIFICATION_KINDS,
  type NotificationKind,
  OUTBOUND_CHANNELS,
  type OutboundChannel,
} from './notices.js';

/** Minutes after local midnight; `start` after `end` spans midnight (22:00–07:00). */
export interface QuietHours {
  start: number;
  end: number;
}

export interface KindPreference {
  kind: NotificationKind;
  label: string;
  security: boolean;
  channels: { channel: OutboundChannel; enabled: boolean; locked: boolean }[];
}

export interface NotificationPreferences {
  kinds: KindPreference[];
  /** As "HH:MM" in `timeZone`. */
  quietHours: { start: string; end: string; timeZone: string } | null;
}

export interface PreferenceChanges {
  channels?: { kind: NotificationKind; channel: OutboundChannel; enabled: boolean }[];
  /** "HH:MM" in the user's time zone; null clears quiet hours; absent leaves them. */
  quietHours?: { start: string; end: string } | null;
}

/** "22:30" → 1350; null when it is not a time of day. */
export function minutesOf(time: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

export const timeOfDay = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** Whether `localMinutes` (minutes after local midnight) falls in quiet hours. */
export function inQuietHours(quiet: QuietHours, localMinutes: number): boolean {
  if (quiet.start === quiet.end) return false;
  return quiet.start < quiet.end
    ? localMinutes >= quiet.start && localMinutes < quiet.end
    : localMinutes >= quiet.start || localMinutes < quiet.end;
}

export function describePreferences(overrides: ChannelOverrides, quietHours: QuietHours | null, timeZone: string): NotificationPreferences {
  return {
    kinds: NOTIFICATION_KINDS.map((kind) => ({
      kind,
      label: KINDS[kind].label,
      security: KINDS[kind].security,
      channels: OUTBOUND_CHANNELS.map((channel) => ({
        channel,
        enabled: channelEnabled(overrides, kind, channel),
        locked: lockedOn(kind, channel),
      })),
    })),
    quietHours: quietHours && { start: timeOfDay(quietHours.start), end: timeOfDay(quietHours.end), timeZone },
  };
}

export interface PreferenceService {
  get(userId: string): Promise<NotificationPreferences>;
  update(userId: string, changes: PreferenceChanges): Promise<Outcome<NotificationPreferences>>;
}

interface PreferenceRow {
  channels: ChannelOverrides | null;
  quiet_start: number | null;
  quiet_end: number | null;
  time_zone: string;
}

const MAX_CHANGES = NOTIFICATION_KINDS.length * OUTBOUND_CHANNELS.length;

export function createPreferenceService(sql: Sql): PreferenceService {
  async function read(userId: string) {
    const [row] = await sql.query<PreferenceRow>(
      `SELECT p.channels, p.quiet_start, p.quiet_end, u.time_zone
       FROM users u LEFT JOIN notification_preferences p ON p.user_id = u.id WHERE u.id = $1::uuid`,
      [userId],
    );
    return row!;
  }
  const described = (row: PreferenceRow) =>
    describePreferences(
      row.channels ?? {},
      row.quiet_start == null || row.quiet_end == null ? null : { start: row.quiet_start, end: row.quiet_end },
      row.time_zone,
    );

  return {
    get: async (userId) => described(await read(userId)),

    async update(userId, changes) {
      const problems: UserError[] = [];
      const channelChanges = changes.channels ?? [];
      if (channelChanges.length > MAX_CHANGES) {
        return failure('INVALID_INPUT', `At most ${MAX_CHANGES} channel changes at once.`, 'channels');
      }
      channelChanges.forEach((c, i) => {
        if (lockedOn(c.kind, c.channel) && !c.enabled) {
          problems.push({
            field: ['input', 'channels', String(i), 'enabled'],
            code: 'NOTIFICATION_LOCKED',
            message: `${KINDS[c.kind].label} is a security notice: its ${c.channel.toLowerCase()} cannot be switched off.`,
          });
        }
      });
      let quiet: QuietHours | null | undefined;
      if (changes.quietHours === null) quiet = null;
      else if (changes.quietHours) {
        const start = minutesOf(changes.quietHours.start);
        const end = minutesOf(changes.quietHours.end);
        for (const [name, value] of [
          ['start', start],
          ['end', end],
        ] as const) {
          if (value === null) {
            problems.push({
              field: ['input', 'quietHours', name],
              code: 'INVALID_INPUT',
              message: `quietHours.${name}: give a time as HH:MM (24-hour), e.g. 22:00.`,
            });
          }
        }
        if (start !== null && end !== null && start === end) {
          problems.push({
            field: ['input', 'quietHours', 'end'],
            code: 'INVALID_INPUT',
            message: 'quietHours: start and end must differ.',
          });
        }
        quiet = start !== null && end !== null ? { start, end } : undefined;
      }
      if (problems.length) return { ok: false, errors: problems };

      const overrides: ChannelOverrides = {};
      for (const c of channelChanges) overrides[c.kind] = { ...overrides[c.kind], [c.channel]: c.enabled };
      // One statement: the overrides merged per kind into what is stored, quiet hours set, cleared or kept.
      const [row] = await sql.query<PreferenceRow>(
        `WITH saved AS (
           INSERT INTO notification_preferences AS p (user_id, channels, quiet_start, quiet_end)
           VALUES ($1::uuid, $2::jsonb, CASE WHEN $3::boolean THEN $4::smallint END, CASE WHEN $3::boolean THEN $5::smallint END)
           ON CONFLICT (user_id) DO UPDATE SET
             channels = (SELECT coalesce(jsonb_object_agg(k, coalesce(p.channels->k, '{}') || coalesce($2::jsonb->k, '{}')), '{}')
                         FROM (SELECT jsonb_object_keys(p.channels) UNION SELECT jsonb_object_keys($2::jsonb)) AS ks (k)),
             quiet_start = CASE WHEN $3::boolean THEN $4::smallint ELSE p.quiet_start END,
             quiet_end = CASE WHEN $3::boolean THEN $5::smallint ELSE p.quiet_end END,
             updated_at = now()
           RETURNING channels, quiet_start, quiet_end)
         SELECT s.channels, s.quiet_start, s.quiet_end, u.time_zone FROM saved s, users u WHERE u.id = $1::uuid`,
        [userId, JSON.stringify(overrides), quiet !== undefined, quiet?.start ?? null, quiet?.end ?? null],
      );
      return success(described(row!));
    },
  };
}
