// Notifications: your in-app list (with what each links to), marking read, the live feed,
// preferences and push devices. Everything here is the viewer's own: another user's notification
// id is NOT_FOUND.
import { builder } from '../schema/builder.js';
import {
  MarkNotificationsReadInput,
  MarkNotificationsReadPayload,
  NotificationPreferencesRef,
  NotificationRef,
  PushDeviceRef,
  RegisterPushDeviceInput,
  RegisterPushDevicePayload,
  RemovePushDeviceInput,
  RemovePushDevicePayload,
  UpdateNotificationPreferencesInput,
  UpdateNotificationPreferencesPayload,
} from '../schema/notifications.js';
import { MonthlyStatementRef } from '../schema/statements.js';
import { TransactionRef, WalletRef } from '../schema/wallet.js';
import { failure } from '../services/errors.js';
import type { NotificationAdded } from '../services/events/topics.js';
import { topics } from '../services/events/topics.js';
import { viewerOf } from './actors.js';
import { loadNodeWith } from './nodes.js';
import { pageRequest, toConnection } from './pagination.js';
import { payload } from './payload.js';

const MAX_MARKED = 100;

loadNodeWith(NotificationRef, (id, ctx) => (ctx.viewer ? ctx.services.notifications.inbox.get(ctx.viewer.userId, id) : null));
loadNodeWith(PushDeviceRef, (id, ctx) => (ctx.viewer ? ctx.services.notifications.pushDevices.get(ctx.viewer.userId, id) : null));

builder.objectFields(NotificationRef, (t) => ({
  wallet: t.field({
    type: WalletRef,
    nullable: true,
    description: 'The wallet it is about, if any (and still yours to see).',
    resolve: async (n, _args, ctx) => (n.data.walletId ? ctx.services.wallets.getVisible(viewerOf(ctx.viewer!), n.data.walletId) : null),
  }),
  transaction: t.field({
    type: TransactionRef,
    nullable: true,
    description: 'The transaction it is about, if any.',
    resolve: async (n, _args, ctx) =>
      n.data.walletId && n.data.transactionId ? ctx.services.history.view(n.data.walletId, n.data.transactionId, ctx.viewer!.userId) : null,
  }),
  statement: t.field({
    type: MonthlyStatementRef,
    nullable: true,
    description: 'The statement that is ready (STATEMENT_READY).',
    resolve: async (n, _args, ctx) => (n.data.statementId ? ctx.services.statements.monthlyById(n.data.statementId) : null),
  }),
}));

builder.queryField('notifications', (t) =>
  t.connection(
    {
      type: NotificationRef,
      description: 'Your notifications, newest first.',
      authScopes: { authenticated: true },
      args: { unreadOnly: t.arg.boolean({ required: false, description: 'Only those not read yet.' }) },
      resolve: async (_root, args, ctx) =>
        toConnection(
          await ctx.services.notifications.inbox.page(ctx.viewer!.userId, pageRequest(args), { unreadOnly: args.unreadOnly ?? false }),
        ),
    },
    {
      name: 'NotificationConnection',
      fields: (c) => ({
        unreadCount: c.int({
          description: 'How many of your notifications are not read (all of them, not only this page).',
          resolve: (_conn, _args, ctx) => ctx.services.notifications.inbox.unreadCount(ctx.viewer!.userId),
        }),
      }),
    },
    { name: 'NotificationEdge' },
  ),
);

builder.mutationField('markNotificationsRead', (t) =>
  t.field({
    type: MarkNotificationsReadPayload,
    description: 'Marks notifications read: the ones named, or all of yours. Ids that are not yours are ignored.',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: MarkNotificationsReadInput, required: false }) },
    resolve: async (_root, { input }, ctx) => {
      const ids = input?.ids?.map((g) => g.id) ?? null;
      if (ids && ids.length > MAX_MARKED) return payload(failure('INVALID_INPUT', `At most ${MAX_MARKED} ids at once.`, 'ids'), () => ({}));
      return { unreadCount: await ctx.services.notifications.inbox.markRead(ctx.viewer!.userId, ids), userErrors: [] };
    },
  }),
);

builder.subscriptionField('notificationAdded', (t) =>
  t.field({
    type: NotificationRef,
    description: 'Each new notification of yours, once what it reports has committed. Ends when your session does.',
    authScopes: { authenticated: true },
    subscribe: (_root, _args, ctx) => ctx.services.pubsub.subscribe<NotificationAdded>(topics.notifications(ctx.viewer!.userId)),
    resolve: async (event: NotificationAdded, _args, ctx) => {
      // Read from the table, not the event: what the client gets is what the list will show.
      const notification = await ctx.services.notifications.inbox.get(ctx.viewer!.userId, event.notificationId);
      if (!notification) throw new Error('notification not found');
      return notification;
    },
  }),
);

builder.queryField('notificationPreferences', (t) =>
  t.field({
    type: NotificationPreferencesRef,
    description: 'Where each kind of notification goes, and your quiet hours.',
    authScopes: { authenticated: true },
    resolve: (_root, _args, ctx) => ctx.services.notifications.preferences.get(ctx.viewer!.userId),
  }),
);

builder.mutationField('updateNotificationPreferences', (t) =>
  t.field({
    type: UpdateNotificationPreferencesPayload,
    description:
      'Switches channels on or off per kind (NOTIFICATION_LOCKED for a security notice), and sets or clears quiet hours. Changes what is fanned out from now on.',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: UpdateNotificationPreferencesInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      if (input.quietHours && input.clearQuietHours) {
        return payload(failure('INVALID_INPUT', 'Set quietHours or clearQuietHours, not both.', 'clearQuietHours'), () => ({}));
      }
      const quietHours = input.clearQuietHours ? null : (input.quietHours ?? undefined);
      return payload(
        await ctx.services.notifications.preferences.update(ctx.viewer!.userId, {
          channels: input.channels ?? [],
          ...(quietHours !== undefined ? { quietHours } : {}),
        }),
        (preferences) => ({ preferences }),
      );
    },
  }),
);

builder.queryField('pushDevices', (t) =>
  t.field({
    type: [PushDeviceRef],
    description: 'The devices your pushes go to.',
    authScopes: { authenticated: true },
    resolve: (_root, _args, ctx) => ctx.services.notifications.pushDevices.list(ctx.viewer!.userId),
  }),
);

builder.mutationField('registerPushDevice', (t) =>
  t.field({
    type: RegisterPushDevicePayload,
    description:
      "Sends your pushes to this device's token (at most 10 devices: the oldest is dropped). A token registered by another account moves here.",
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: RegisterPushDeviceInput, required: true }) },
    resolve: async (_root, { input }, ctx) =>
      payload(await ctx.services.notifications.pushDevices.register(ctx.viewer!.userId, input), (device) => ({ device })),
  }),
);

builder.mutationField('removePushDevice', (t) =>
  t.field({
    type: RemovePushDevicePayload,
    description: 'Stops pushes to one of your devices.',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: RemovePushDeviceInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const removed = await ctx.services.notifications.pushDevices.remove(ctx.viewer!.userId, input.deviceId.id);
      return removed
        ? { removed, userErrors: [] }
        : { removed: false, ...payload(failure('NOT_FOUND', 'No such device of yours.', 'deviceId'), () => ({})) };
    },
  }),
);
