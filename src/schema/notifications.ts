// Notifications on the API: the in-app list, preferences and push devices. Loading them and the
// subscription: src/resolvers/notifications.ts.
import type { UserError } from '../services/errors.js';
import type { Notification } from '../services/notifications/inbox.js';
import { KINDS, NOTIFICATION_KINDS, OUTBOUND_CHANNELS, PUSH_PLATFORMS } from '../services/notifications/notices.js';
import type { KindPreference, NotificationPreferences } from '../services/notifications/preferences.js';
import type { PushDevice } from '../services/notifications/pushDevices.js';
import { builder } from './builder.js';
import { resultPayload, userErrorsField } from './userErrors.js';

export const NotificationKindEnum = builder.enumType('NotificationKind', {
  description: 'What a notification reports.',
  values: Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, { description: KINDS[k].label }])) as Record<
    (typeof NOTIFICATION_KINDS)[number],
    { description: string }
  >,
});

export const NotificationChannelEnum = builder.enumType('NotificationChannel', {
  description: 'Where a notification goes besides the in-app list, which always has it.',
  values: OUTBOUND_CHANNELS,
});

export const PushPlatformEnum = builder.enumType('PushPlatform', { values: PUSH_PLATFORMS });

export const NotificationRef = builder.objectRef<Notification>('Notification');
builder.node(NotificationRef, {
  description:
    'Something that happened to your account, written in the same transaction as what it reports. The words are made from its facts; ' +
    'the linked transaction, wallet or statement (when there is one) has the details. Never carries a full card or account number.',
  id: { resolve: (n) => n.id },
  fields: (t) => ({
    kind: t.field({ type: NotificationKindEnum, resolve: (n) => n.kind }),
    title: t.exposeString('title', { description: 'One line, e.g. "You received 12.50 USD".' }),
    body: t.exposeString('body', { description: 'A sentence or two.' }),
    security: t.boolean({ description: 'A security notice (cannot be switched off).', resolve: (n) => KINDS[n.kind].security }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    readAt: t.expose('readAt', { type: 'DateTime', nullable: true }),
    read: t.boolean({ resolve: (n) => n.readAt !== null }),
  }),
});

export const NotificationChannelPreferenceRef = builder
  .objectRef<KindPreference['channels'][number]>('NotificationChannelPreference')
  .implement({
    fields: (t) => ({
      channel: t.field({ type: NotificationChannelEnum, resolve: (c) => c.channel }),
      enabled: t.exposeBoolean('enabled'),
      locked: t.exposeBoolean('locked', { description: 'On for a security notice, and cannot be switched off.' }),
    }),
  });

export const NotificationKindPreferenceRef = builder.objectRef<KindPreference>('NotificationKindPreference').implement({
  fields: (t) => ({
    kind: t.field({ type: NotificationKindEnum, resolve: (k) => k.kind }),
    label: t.exposeString('label', { description: 'What to call it in a settings screen.' }),
    security: t.exposeBoolean('security'),
    channels: t.field({ type: [NotificationChannelPreferenceRef], resolve: (k) => k.channels }),
  }),
});

export const QuietHoursRef = builder.objectRef<NonNullable<NotificationPreferences['quietHours']>>('QuietHours').implement({
  description: 'Pushes that are not urgent wait until quiet hours end. Times are "HH:MM" in timeZone; start after end spans midnight.',
  fields: (t) => ({
    start: t.exposeString('start'),
    end: t.exposeString('end'),
    timeZone: t.exposeString('timeZone', { description: "Your profile's time zone (User.timeZone)." }),
  }),
});

export const NotificationPreferencesRef = builder.objectRef<NotificationPreferences>('NotificationPreferences').implement({
  fields: (t) => ({
    kinds: t.field({ type: [NotificationKindPreferenceRef], resolve: (p) => p.kinds }),
    quietHours: t.field({ type: QuietHoursRef, nullable: true, resolve: (p) => p.quietHours }),
  }),
});

export const PushDeviceRef = builder.objectRef<PushDevice>('PushDevice');
builder.node(PushDeviceRef, {
  description: 'A device your pushes go to.',
  id: { resolve: (d) => d.id },
  fields: (t) => ({
    platform: t.field({ type: PushPlatformEnum, resolve: (d) => d.platform }),
    tokenHint: t.exposeString('tokenHint', { description: "The token's last characters, to tell devices apart." }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const MarkNotificationsReadInput = builder.inputType('MarkNotificationsReadInput', {
  fields: (t) => ({
    ids: t.globalIDList({ required: false, for: NotificationRef, description: 'At most 100; leave out to mark every notification read.' }),
  }),
});

export const MarkNotificationsReadPayload = builder
  .objectRef<{ unreadCount?: number; userErrors: UserError[] }>('MarkNotificationsReadPayload')
  .implement({
    fields: (t) => ({
      unreadCount: t.int({ nullable: true, description: 'Unread notifications left.', resolve: (p) => p.unreadCount ?? null }),
      userErrors: t.field({ ...userErrorsField, resolve: (p) => p.userErrors }),
    }),
  });

export const NotificationChannelChangeInput = builder.inputType('NotificationChannelChangeInput', {
  fields: (t) => ({
    kind: t.field({ type: NotificationKindEnum, required: true }),
    channel: t.field({ type: NotificationChannelEnum, required: true }),
    enabled: t.boolean({ required: true }),
  }),
});

export const QuietHoursInput = builder.inputType('QuietHoursInput', {
  fields: (t) => ({
    start: t.string({ required: true, description: '"HH:MM", 24-hour, in your time zone.' }),
    end: t.string({ required: true }),
  }),
});

export const UpdateNotificationPreferencesInput = builder.inputType('UpdateNotificationPreferencesInput', {
  fields: (t) => ({
    channels: t.field({ type: [NotificationChannelChangeInput], required: false }),
    quietHours: t.field({ type: QuietHoursInput, required: false, description: 'Sets quiet hours.' }),
    clearQuietHours: t.boolean({ required: false, description: 'Removes quiet hours.' }),
  }),
});

export const UpdateNotificationPreferencesPayload = resultPayload(
  'UpdateNotificationPreferencesPayload',
  'preferences',
  NotificationPreferencesRef,
);

export const RegisterPushDeviceInput = builder.inputType('RegisterPushDeviceInput', {
  fields: (t) => ({
    platform: t.field({ type: PushPlatformEnum, required: true }),
    token: t.string({ required: true, description: "The token the platform's push service gave the app." }),
  }),
});

export const RegisterPushDevicePayload = resultPayload('RegisterPushDevicePayload', 'device', PushDeviceRef);

export const RemovePushDeviceInput = builder.inputType('RemovePushDeviceInput', {
  fields: (t) => ({ deviceId: t.globalID({ required: true, for: PushDeviceRef }) }),
});

export const RemovePushDevicePayload = builder
  .objectRef<{ removed: boolean; userErrors: UserError[] }>('RemovePushDevicePayload')
  .implement({
    fields: (t) => ({
      removed: t.exposeBoolean('removed'),
      userErrors: t.field({ ...userErrorsField, resolve: (p) => p.userErrors }),
    }),
  });
