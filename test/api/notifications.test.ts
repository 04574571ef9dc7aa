// Notifications over the API: what the posting function writes in the transfer's own transaction
// (money received, a send held for review, a sending limit nearly reached), the list with its
// unread count and marking read, the live feed over WebSocket, preferences (a security notice's
// channels stay on; quiet hours hold pushes that are not urgent), push devices, and the fan-out
// to email and push through the sandbox providers. Another user's notifications are never seen.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { expectLedgerConsistent } from '../helpers/ledger.js';
import { credit, sandboxMessages, signInAdmin, signUpUser, type TestUser } from '../helpers/people.js';
import { createDispatcher } from '../../src/services/notifications/dispatcher.js';
import { captureLog } from '../helpers/logCapture.js';
import { asOwner, startTestServer, type TestServer } from '../helpers/testServer.js';
import { connectWs } from '../helpers/wsClient.js';

const ADMIN = { email: 'notify-admin@example.com', password: 'bell-Ringer-password-7' };

const NtSend = graphql(`
  mutation NtSend($input: SendMoneyInput!) {
    sendMoney(input: $input) { transfer { id status } userErrors { code message } }
  }
`);
const NtList = graphql(`
  query NtList($first: Int, $after: String, $unreadOnly: Boolean) {
    notifications(first: $first, after: $after, unreadOnly: $unreadOnly) {
      unreadCount
      pageInfo { hasNextPage endCursor }
      edges { node { id kind title body security read readAt createdAt wallet { id } transaction { id } } }
    }
  }
`);
const NtMarkRead = graphql(`
  mutation NtMarkRead($input: MarkNotificationsReadInput) {
    markNotificationsRead(input: $input) { unreadCount userErrors { field code message } }
  }
`);
const NtNode = graphql(`query NtNode($id: ID!) { node(id: $id) { id ... on Notification { title } } }`);
const NtAdded = graphql(`subscription NtAdded { notificationAdded { id kind title body } }`);
const NtPreferences = graphql(`
  query NtPreferences {
    notificationPreferences { kinds { kind label security channels { channel enabled locked } } quietHours { start end timeZone } }
  }
`);
const NtUpdatePreferences = graphql(`
  mutation NtUpdatePreferences($input: UpdateNotificationPreferencesInput!) {
    updateNotificationPreferences(input: $input) {
      preferences { kinds { kind channels { channel enabled locked } } quietHours { start end } }
      userErrors { field code message }
    }
  }
`);
const NtRegisterPush = graphql(`
  mutation NtRegisterPush($input: RegisterPushDeviceInput!) {
    registerPushDevice(input: $input) { device { id platform tokenHint } userErrors { field code message } }
  }
`);
const NtRemovePush = graphql(`
  mutation NtRemovePush($input: RemovePushDeviceInput!) { removePushDevice(input: $input) { removed userErrors { code } } }
`);
const NtPushDevices = graphql(`query NtPushDevices { pushDevices { id platform tokenHint } }`);

let t: TestServer;
let admin: string;

beforeAll(async () => {
  t = await startTestServer({
    BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
    BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
    // TIER_0: 50 a send, 100 a day: the third send of 30 + 30 + 25 crosses 80 % of the day's limit.
    KYC_LIMITS_FILE: 'config/kyc-limits.json',
    RISK_RULES: 'true',
    // A first send above 40 (no history to compare with) is held for review.
    RISK_HISTORY_FLOOR: '40',
    RISK_LARGE_AMOUNT: '10000',
    STEP_UP_NEW_RECIPIENT_AMOUNT: '10000',
  });
  admin = await signInAdmin(t, ADMIN);
});
afterAll(async () => {
  if (t) await expectLedgerConsistent(t);
  await t?.stop();
});

const usd = (amount: string) => ({ amount, currency: 'USD' });

async function send(from: TestUser, to: TestUser, amount: string, note?: string) {
  const sent = await t.query(
    NtSend,
    { input: { recipient: { email: to.email }, amount: usd(amount), idempotencyKey: randomUUID(), note } },
    { token: from.token },
  );
  expect(sent.sendMoney.userErrors).toEqual([]);
  return sent.sendMoney.transfer!;
}

const list = async (user: TestUser, variables: { first?: number; after?: string; unreadOnly?: boolean } = {}) =>
  (await t.query(NtList, variables, { token: user.token })).notifications;

async function person(label: string, funds?: string, displayName = `${label} Person`) {
  const user = await signUpUser(t, { label, displayName, steppedUp: true });
  if (funds) await credit(t, admin, user.walletId, funds);
  return user;
}

describe('notifications written by the posting function', () => {
  it('money received: the recipient is told who sent what, with the note; the sender is not', async () => {
    const [ada, bob] = await Promise.all([person('nt-ada', '100.00', 'Ada Lovelace'), person('nt-bob')]);
    const transfer = await send(ada, bob, '12.50', 'lunch');

    const bobs = await list(bob);
    expect(bobs.unreadCount).toBe(1);
    expect(bobs.edges.map((e) => e.node)).toEqual([
      expect.objectContaining({
        kind: 'MONEY_RECEIVED',
        title: 'You received 12.50 USD',
        body: 'From Ada Lovelace: "lunch".',
        security: false,
        read: false,
        readAt: null,
        wallet: { id: bob.walletId },
        transaction: { id: transfer.id },
      }),
    ]);
    expect((await list(ada)).edges.filter((e) => e.node.kind === 'MONEY_RECEIVED')).toEqual([]);
    // Someone else's notification is not found by id.
    const node = await t.query(NtNode, { id: bobs.edges[0]!.node.id }, { token: ada.token });
    expect(node.node).toBeNull();
  });

  it('a refused send writes no notification', async () => {
    const [cat, dan] = await Promise.all([person('nt-cat', '5.00'), person('nt-dan')]);
    const refused = await t.query(
      NtSend,
      { input: { recipient: { email: dan.email }, amount: usd('9.00'), idempotencyKey: randomUUID() } },
      { token: cat.token },
    );
    expect(refused.sendMoney.userErrors.map((e) => e.code)).toEqual(['INSUFFICIENT_FUNDS']);
    expect((await list(dan)).edges).toEqual([]);
    expect((await list(cat)).edges).toEqual([]);
  });

  it('a retried send (same idempotency key) notifies once', async () => {
    const [eve, fay] = await Promise.all([person('nt-eve', '50.00'), person('nt-fay')]);
    const input = { recipient: { email: fay.email }, amount: usd('3.00'), idempotencyKey: randomUUID() };
    await Promise.all([1, 2, 3].map(() => t.request(NtSend, { input }, { token: eve.token })));
    await t.query(NtSend, { input }, { token: eve.token });
    expect((await list(fay)).edges.map((e) => e.node.kind)).toEqual(['MONEY_RECEIVED']);
  });

  it('a send held for review tells the sender it is being reviewed; the recipient hears nothing yet', async () => {
    const [gus, hal] = await Promise.all([person('nt-gus', '100.00'), person('nt-hal', undefined, 'Hal Recipient')]);
    const held = await send(gus, hal, '45.00');
    expect(held.status).toBe('IN_REVIEW');
    const gusList = (await list(gus)).edges.map((e) => e.node);
    expect(gusList).toEqual([
      expect.objectContaining({
        kind: 'SEND_HELD_FOR_REVIEW',
        title: 'Your send of 45.00 USD is being reviewed',
        transaction: { id: held.id },
      }),
    ]);
    expect(gusList[0]!.body).toContain('Hal Recipient');
    expect((await list(hal)).edges).toEqual([]);
  });

  it("a send that crosses 80 % of the day's sending limit tells the sender once", async () => {
    const [ivy, jon] = await Promise.all([person('nt-ivy', '150.00'), person('nt-jon')]);
    await send(ivy, jon, '30.00');
    await send(ivy, jon, '30.00');
    expect((await list(ivy)).edges).toEqual([]);
    await send(ivy, jon, '25.00');
    await send(ivy, jon, '5.00');
    const near = (await list(ivy)).edges.map((e) => e.node);
    expect(near).toHaveLength(1);
    expect(near[0]).toMatchObject({ kind: 'LIMIT_NEARLY_REACHED', title: 'You have used most of your daily sending limit' });
    expect(near[0]!.body).toBe('85.00 of 100.00 USD sent. Verify your identity to raise it.');
  });
});

describe('the list, marking read and the live feed', () => {
  it('pages newest first, filters unread, and marks read by id or all at once (only your own)', async () => {
    const [kim, lee] = await Promise.all([person('nt-kim', '100.00'), person('nt-lee', '10.00')]);
    for (const amount of ['1.00', '2.00', '3.00']) await send(kim, lee, amount);
    await send(lee, kim, '1.00');
    const first = await list(lee, { first: 2 });
    expect(first.edges.map((e) => e.node.title)).toEqual(['You received 3.00 USD', 'You received 2.00 USD']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = await list(lee, { first: 2, after: first.pageInfo.endCursor! });
    expect(rest.edges.map((e) => e.node.title)).toEqual(['You received 1.00 USD']);
    expect(rest.pageInfo.hasNextPage).toBe(false);

    const kims = await list(kim);
    const newest = first.edges[0]!.node.id;
    // Kim's notification id in Lee's request changes nothing of Kim's.
    const marked = await t.query(NtMarkRead, { input: { ids: [newest, kims.edges[0]!.node.id] } }, { token: lee.token });
    expect(marked.markNotificationsRead).toEqual({ unreadCount: 2, userErrors: [] });
    expect((await list(kim)).unreadCount).toBe(1);
    expect((await list(lee, { unreadOnly: true })).edges.map((e) => e.node.title)).toEqual([
      'You received 2.00 USD',
      'You received 1.00 USD',
    ]);
    expect((await t.query(NtMarkRead, {}, { token: lee.token })).markNotificationsRead.unreadCount).toBe(0);
    const after = await list(lee);
    expect(after.edges.every((e) => e.node.read && e.node.readAt)).toBe(true);
  });

  it('notificationAdded delivers a new notification once it has committed, to its user only', async () => {
    const [max, ned] = await Promise.all([person('nt-max', '20.00', 'Max Sender'), person('nt-ned')]);
    const nedWs = connectWs(t.wsUrl, `Bearer ${ned.token}`);
    const maxWs = connectWs(t.wsUrl, `Bearer ${max.token}`);
    try {
      await Promise.all([nedWs.connected, maxWs.connected]);
      const nedFeed = nedWs.subscribe(NtAdded, {});
      const maxFeed = maxWs.subscribe(NtAdded, {});
      // Subscriptions are registered when the server has answered an operation after them.
      await t.query(NtList, {}, { token: ned.token });
      await new Promise((r) => setTimeout(r, 200));
      await send(max, ned, '7.25', 'tickets');
      const added = await nedFeed.next((d) => d.notificationAdded.kind === 'MONEY_RECEIVED');
      expect(added.notificationAdded).toMatchObject({ title: 'You received 7.25 USD', body: 'From Max Sender: "tickets".' });
      await new Promise((r) => setTimeout(r, 300));
      expect(maxFeed.results).toEqual([]);
      expect(nedFeed.results).toHaveLength(1);
    } finally {
      await Promise.all([nedWs.dispose(), maxWs.dispose()]);
    }
  });
});

describe('preferences, push devices and the fan-out', () => {
  it('lists every kind with its channels; a security notice cannot be switched off; bad quiet hours name the field', async () => {
    const oli = await person('nt-oli');
    const prefs = (await t.query(NtPreferences, {}, { token: oli.token })).notificationPreferences;
    expect(prefs.kinds).toHaveLength(14);
    expect(prefs.quietHours).toBeNull();
    const newDevice = prefs.kinds.find((k) => k.kind === 'NEW_DEVICE_SIGN_IN')!;
    expect(newDevice.security).toBe(true);
    expect(newDevice.channels.find((c) => c.channel === 'EMAIL')).toEqual({ channel: 'EMAIL', enabled: true, locked: true });

    const locked = await t.query(
      NtUpdatePreferences,
      {
        input: {
          channels: [{ kind: 'NEW_DEVICE_SIGN_IN', channel: 'EMAIL', enabled: false }],
          quietHours: { start: '25:00', end: '07:00' },
        },
      },
      { token: oli.token },
    );
    expect(locked.updateNotificationPreferences.preferences).toBeNull();
    expect(locked.updateNotificationPreferences.userErrors).toEqual([
      expect.objectContaining({ code: 'NOTIFICATION_LOCKED', field: ['input', 'channels', '0', 'enabled'] }),
      expect.objectContaining({ code: 'INVALID_INPUT', field: ['input', 'quietHours', 'start'] }),
    ]);
    // Nothing changed.
    expect((await t.query(NtPreferences, {}, { token: oli.token })).notificationPreferences).toEqual(prefs);

    const saved = await t.query(
      NtUpdatePreferences,
      { input: { channels: [{ kind: 'MONEY_RECEIVED', channel: 'EMAIL', enabled: true }], quietHours: { start: '22:00', end: '07:30' } } },
      { token: oli.token },
    );
    expect(saved.updateNotificationPreferences.userErrors).toEqual([]);
    const money = saved.updateNotificationPreferences.preferences!.kinds.find((k) => k.kind === 'MONEY_RECEIVED')!;
    expect(money.channels.map((c) => [c.channel, c.enabled])).toEqual([
      ['EMAIL', true],
      ['SMS', false],
      ['PUSH', true],
    ]);
    expect(saved.updateNotificationPreferences.preferences!.quietHours).toEqual({ start: '22:00', end: '07:30' });
    // A later change of another kind keeps this one; clearing quiet hours clears them.
    const later = await t.query(
      NtUpdatePreferences,
      { input: { channels: [{ kind: 'MONEY_RECEIVED', channel: 'PUSH', enabled: false }], clearQuietHours: true } },
      { token: oli.token },
    );
    const after = later.updateNotificationPreferences.preferences!;
    expect(after.kinds.find((k) => k.kind === 'MONEY_RECEIVED')!.channels.map((c) => c.enabled)).toEqual([true, false, false]);
    expect(after.quietHours).toBeNull();
  });

  it('money received goes out by push and, when chosen, by email; quiet hours hold the push until they end', async () => {
    const [pam, quin] = await Promise.all([person('nt-pam', '100.00', 'Pam Payer'), person('nt-quin')]);
    const token = `sandbox-push-${randomUUID()}`;
    const registered = await t.query(NtRegisterPush, { input: { platform: 'IOS', token } }, { token: quin.token });
    expect(registered.registerPushDevice.userErrors).toEqual([]);
    expect(registered.registerPushDevice.device!.tokenHint).toBe(`…${token.slice(-6)}`);
    await t.query(
      NtUpdatePreferences,
      { input: { channels: [{ kind: 'MONEY_RECEIVED', channel: 'EMAIL', enabled: true }] } },
      { token: quin.token },
    );

    await send(pam, quin, '4.00', 'coffee');
    const pushes = await sandboxMessages(t, token);
    expect(pushes.map((m) => [m.channel, m.subject, m.text])).toEqual([['PUSH', 'You received 4.00 USD', 'From Pam Payer: "coffee".']]);
    const emails = (await sandboxMessages(t, quin.email)).filter((m) => m.subject?.includes('received'));
    expect(emails.map((m) => m.subject)).toEqual(['Wallet: You received 4.00 USD']);

    // Quiet hours around now (the user's time zone is UTC): the next push waits for their end.
    const now = new Date();
    const hhmm = (d: Date) => `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
    const end = new Date(now.getTime() + 60 * 60_000);
    await t.query(
      NtUpdatePreferences,
      { input: { quietHours: { start: hhmm(new Date(now.getTime() - 60 * 60_000)), end: hhmm(end) } } },
      { token: quin.token },
    );
    await send(pam, quin, '5.00');
    expect(await sandboxMessages(t, token)).toHaveLength(1);
    const waiting = (await asOwner(
      t,
      `SELECT next_attempt_at FROM notification_messages WHERE user_id = '${quin.userId}' AND channel = 'PUSH' AND status = 'PENDING'`,
    )) as { rows: { next_attempt_at: Date }[] };
    expect(waiting.rows).toHaveLength(1);
    expect(Math.abs(new Date(waiting.rows[0]!.next_attempt_at).getTime() - end.getTime())).toBeLessThan(61_000);
    // The in-app list has both at once.
    expect((await list(quin)).edges.map((e) => e.node.title)).toEqual(['You received 5.00 USD', 'You received 4.00 USD']);
  });

  it('push devices: registered, listed by hint, moved when another account registers the token, removed', async () => {
    const [ray, sue] = await Promise.all([person('nt-ray'), person('nt-sue')]);
    const token = `sandbox-push-${randomUUID()}`;
    const mine = (await t.query(NtRegisterPush, { input: { platform: 'ANDROID', token } }, { token: ray.token })).registerPushDevice;
    const bad = await t.query(NtRegisterPush, { input: { platform: 'WEB', token: 'short' } }, { token: ray.token });
    expect(bad.registerPushDevice.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_INPUT', field: ['input', 'token'] })]);
    expect((await t.query(NtPushDevices, {}, { token: ray.token })).pushDevices.map((d) => d.id)).toEqual([mine.device!.id]);
    // The phone changed hands: the token now pushes to Sue only.
    await t.query(NtRegisterPush, { input: { platform: 'ANDROID', token } }, { token: sue.token });
    expect((await t.query(NtPushDevices, {}, { token: ray.token })).pushDevices).toEqual([]);
    const sues = (await t.query(NtPushDevices, {}, { token: sue.token })).pushDevices;
    expect((await t.query(NtRemovePush, { input: { deviceId: sues[0]!.id } }, { token: ray.token })).removePushDevice).toEqual({
      removed: false,
      userErrors: [{ code: 'NOT_FOUND' }],
    });
    expect((await t.query(NtRemovePush, { input: { deviceId: sues[0]!.id } }, { token: sue.token })).removePushDevice.removed).toBe(true);
    expect((await t.query(NtPushDevices, {}, { token: sue.token })).pushDevices).toEqual([]);
  });
});

describe('the dispatcher', () => {
  it('fans out what committed while no process ran, once, even with two processes passing at the same moment', async () => {
    const tom = await person('nt-tom');
    const token = `sandbox-push-${randomUUID()}`;
    await t.query(NtRegisterPush, { input: { platform: 'IOS', token } }, { token: tom.token });
    // Committed, never woken for: as if the process died right after the commit.
    await asOwner(
      t,
      `INSERT INTO notifications (user_id, kind, data)
       SELECT '${tom.userId}', 'MONEY_RECEIVED', jsonb_build_object('amount', (100 * n)::text, 'currency', 'USD', 'counterparty', 'Crash Test')
       FROM generate_series(1, 90) AS n`,
    );
    // A second process's dispatcher over the same database, racing this one's.
    const other = createDispatcher({
      prisma: t.server.db.prisma,
      notifier: t.server.services.notifier,
      phoneOf: (row) => t.server.services.phones.of(row),
      pollMs: 0,
      log: captureLog().logger,
    });
    const [a, b] = await Promise.all([other.flush(), t.server.services.notifications.dispatcher.flush()]);
    expect(a + b).toBeGreaterThanOrEqual(90);
    await t.server.services.notifications.flush();
    const res = await fetch(`${t.origin}/sandbox/messages?to=${encodeURIComponent(token)}&limit=100`);
    const pushes = ((await res.json()) as { messages: { subject: string }[] }).messages;
    expect(pushes).toHaveLength(90);
    expect(new Set(pushes.map((m) => m.subject)).size).toBe(90);
    const pending = (await asOwner(
      t,
      `SELECT count(*)::int AS n FROM notifications WHERE user_id = '${tom.userId}' AND fanout_pending`,
    )) as {
      rows: { n: number }[];
    };
    expect(pending.rows[0]!.n).toBe(0);
  });
});
