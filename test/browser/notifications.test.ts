// Notifications in the wallet app (one Chromium for the file): the header's bell counts what is
// unread, live: user A has the app open, user B sends A money through the API, and A's bell says
// "1 unread" without a reload. The list shows "You received …" on top of older ones (more with
// "Load more"), "Mark all read" clears the bell, and an item leads to its transaction. Settings
// under Profile: a channel switched and quiet hours set are kept across a reload, a quiet-hours
// error is shown beside its field, and a security notice's locked channel cannot be switched off.
// Each new screen is checked at phone and desktop widths (fits, axe-core WCAG 2 A/AA; pictures
// with UPDATE_SCREENSHOTS=1).
//
// Older notifications are written straight into A's list (as the services do, with writeNotices)
// and published before A opens the app, so only B's send arrives live.
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { writeNotices } from '../../src/services/notifications/inbox.js';
import type { Notice } from '../../src/services/notifications/notices.js';
import { graphql } from '../gql/index.js';
import {
  capture,
  expectClean,
  expectFieldError,
  markNotReloaded,
  openApp,
  signInHere,
  waitForText,
  wasNotReloaded,
} from '../helpers/appPage.js';
import { DESKTOP, haveChromium } from '../helpers/browser.js';
import { browserSuite } from '../helpers/browserSuite.js';
import { decodeId } from '../helpers/globalIds.js';
import { credit, signInAdmin, signUpUser } from '../helpers/people.js';
import { STRONG_PASSWORD, type TestServer } from '../helpers/testServer.js';

const ADMIN = { email: 'notifications.admin@example.com', password: 'Notifications-Admin-2026!' };

const NbSend = graphql(`
  mutation NbSend($input: SendMoneyInput!) { sendMoney(input: $input) { transfer { id } userErrors { code message } } }
`);
const NbMarkAllRead = graphql(`mutation NbMarkAllRead { markNotificationsRead { unreadCount userErrors { code } } }`);
const NbPreferences = graphql(`
  query NbPreferences {
    notifications(first: 1) { unreadCount }
    notificationPreferences { kinds { kind channels { channel enabled locked } } quietHours { start end } }
  }
`);

let t: TestServer;
let browser: Browser;
browserSuite({ admin: ADMIN }, (suite) => ({ t, browser } = suite));

/** Writes notifications as a service does, and publishes them at once (nobody is listening yet). */
async function writeNotifications(notices: Notice[]): Promise<void> {
  const events = await t.server.db.prisma.$transaction((tx) => writeNotices(tx, notices));
  await t.server.services.outbox.publishCommitted(events);
}

describe.runIf(haveChromium)('notifications in the wallet app', () => {
  it('counts a received payment live on the bell, lists it, marks all read, and keeps changed settings', async () => {
    // A signs up from this browser (its user agent, this network), so signing in there later is not
    // a new device: the bell starts at zero.
    const probe = await browser.newPage();
    const userAgent = (await probe.evaluate('navigator.userAgent')) as string;
    await probe.close();
    const a = await signUpUser(t, { label: 'nt.alice', displayName: 'Ada Notified', headers: { 'user-agent': userAgent } });
    const b = await signUpUser(t, { label: 'nt.bob', displayName: 'Bo Sender' });
    await credit(t, await signInAdmin(t, ADMIN), b.walletId, '40.00');

    // 21 older notifications, all read: 20 top-ups, then a sign-in from a new device (one at a
    // time, so each is newer than the last: rows of one statement may share a millisecond).
    const wallet = decodeId(a.walletId);
    for (let i = 0; i < 20; i++) {
      await writeNotifications([
        {
          userId: a.userId,
          kind: 'TOP_UP_SUCCEEDED',
          data: { walletId: wallet, amount: String(1000 + 100 * i), currency: 'USD', method: 'Visa ending 4242' },
        },
      ]);
    }
    await writeNotifications([{ userId: a.userId, kind: 'NEW_DEVICE_SIGN_IN', data: { device: 'Firefox on Linux', ip: '203.0.113.7' } }]);
    expect((await t.query(NbMarkAllRead, {}, { token: a.token })).markNotificationsRead.unreadCount).toBe(0);

    const app = await openApp(browser, t, '/app', DESKTOP);
    const { page } = app;
    try {
      await signInHere(page, { email: a.email, password: STRONG_PASSWORD });
      await page.getByRole('heading', { name: 'Hello, Ada Notified' }).waitFor();
      const bell = page.getByRole('banner').getByRole('link', { name: /^Notifications/ });
      await expect.poll(() => bell.getAttribute('aria-label')).toBe('Notifications');
      await markNotReloaded(page);

      // B sends A money through the API: A's bell counts it without a reload, and says it.
      const sent = await t.query(
        NbSend,
        {
          input: {
            recipient: { email: a.email },
            amount: { amount: '12.50', currency: 'USD' },
            note: 'Lunch',
            idempotencyKey: randomUUID(),
          },
        },
        { token: b.token },
      );
      expect(sent.sendMoney.userErrors).toEqual([]);
      await expect.poll(() => bell.getAttribute('aria-label')).toBe('Notifications, 1 unread');
      expect(await page.getByTestId('bell-count').textContent()).toBe('1');
      await waitForText(page, '[role=status]', 'New notification: You received 12.50 USD');
      expect(await wasNotReloaded(page)).toBe(true);

      // The list: newest first, the new one unread (in words), 20 a page and "Load more".
      await bell.click();
      await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
      const items = page.getByRole('list', { name: 'Notifications' }).getByRole('listitem');
      await expect.poll(() => items.count()).toBe(20);
      const newest = items.first();
      expect(await newest.textContent()).toMatch(/^UnreadYou received 12\.50 USDFrom Bo Sender: "Lunch"\./);
      expect(await page.getByText('Unread', { exact: true }).count()).toBe(1);
      expect(await page.getByTestId('unread-summary').textContent()).toBe('1 unread');
      expect(await bell.getAttribute('aria-current')).toBe('page');
      await capture(page, 'notifications');
      const signIn = items.nth(1);
      expect(await signIn.textContent()).toMatch(/^SecurityNew sign-in to your accountFrom Firefox on Linux, IP address 203\.0\.113\.7/);
      expect(await signIn.getByRole('link').getAttribute('href')).toBe('/app/sessions');
      await page.getByRole('button', { name: 'Load more' }).click();
      await expect.poll(() => items.count()).toBe(22);
      expect(await items.last().textContent()).toMatch(/^10\.00 USD added to your walletFrom Visa ending 4242\./);
      expect(await items.last().getByRole('link').getAttribute('href')).toBe(`/app/history?wallet=${encodeURIComponent(a.walletId)}`);

      // Mark all read: the bell clears, nothing is marked unread, and the server agrees.
      await page.getByRole('button', { name: 'Mark all read' }).click();
      await waitForText(page, '[role=status]', 'All notifications are marked read.');
      await expect.poll(() => bell.getAttribute('aria-label')).toBe('Notifications');
      expect(await page.getByTestId('bell-count').count()).toBe(0);
      expect(await page.getByText('Unread', { exact: true }).count()).toBe(0);
      expect((await t.query(NbPreferences, {}, { token: a.token })).notifications.unreadCount).toBe(0);

      // The payment's notification leads to its transaction.
      await newest.getByRole('link', { name: /See the transaction/ }).click();
      await page.getByRole('heading', { name: 'Transfer from Bo Sender' }).waitFor();

      // Settings under Profile: Money received by email, not by push; quiet hours 22:00 to 07:00.
      await page.getByRole('link', { name: 'Profile' }).click();
      await page.getByRole('link', { name: 'Notification settings' }).click();
      await page.getByRole('heading', { name: 'Notification settings', level: 1 }).waitFor();
      await capture(page, 'notification-settings');
      const moneyByPush = page.getByRole('checkbox', { name: 'Money received: Push' });
      const moneyByEmail = page.getByRole('checkbox', { name: 'Money received: Email' });
      expect(await moneyByPush.isChecked()).toBe(true);
      expect(await moneyByEmail.isChecked()).toBe(false);
      await moneyByPush.uncheck();
      await moneyByEmail.check();

      // A missing end, then a start equal to the end, are refused beside the field; nothing is saved.
      await page.getByLabel('Quiet from').fill('22:00');
      await page.getByRole('button', { name: 'Save' }).click();
      await expectFieldError(page, 'Quiet until', 'Give a time as HH:MM (24-hour), e.g. 22:00.');
      await page.getByLabel('Quiet until').fill('22:00');
      await page.getByRole('button', { name: 'Save' }).click();
      // The field is still invalid from the last answer: wait for this one's words.
      await waitForText(page, '.field-error', 'Start and end must differ.');
      await expectFieldError(page, 'Quiet until', 'Start and end must differ.');
      const unsaved = (await t.query(NbPreferences, {}, { token: a.token })).notificationPreferences;
      expect(unsaved.quietHours).toBeNull();
      const pushStill = unsaved.kinds.find((k) => k.kind === 'MONEY_RECEIVED')!.channels.find((c) => c.channel === 'PUSH')!;
      expect(pushStill.enabled).toBe(true);

      await page.getByLabel('Quiet until').fill('07:00');
      await page.getByRole('button', { name: 'Save' }).click();
      await waitForText(page, '[role=status]', 'Saved.');
      expect(await page.getByLabel('Quiet until').getAttribute('aria-invalid')).toBeNull();

      // Kept across a reload.
      await page.reload();
      await page.getByRole('heading', { name: 'Notification settings', level: 1 }).waitFor();
      await expect.poll(() => page.getByLabel('Quiet from').inputValue()).toBe('22:00');
      expect(await page.getByLabel('Quiet until').inputValue()).toBe('07:00');
      expect(await page.getByRole('checkbox', { name: 'Money received: Push' }).isChecked()).toBe(false);
      expect(await page.getByRole('checkbox', { name: 'Money received: Email' }).isChecked()).toBe(true);
      const saved = (await t.query(NbPreferences, {}, { token: a.token })).notificationPreferences;
      expect(saved.quietHours).toEqual({ start: '22:00', end: '07:00' });
      const money = saved.kinds.find((k) => k.kind === 'MONEY_RECEIVED')!.channels;
      expect(money.find((c) => c.channel === 'PUSH')!.enabled).toBe(false);
      expect(money.find((c) => c.channel === 'EMAIL')!.enabled).toBe(true);

      // A security notice's email is locked on: ticked, disabled, the reason beside it; a click changes nothing.
      const locked = page.getByRole('checkbox', { name: 'Sign-in from a new device: Email' });
      expect(await locked.isChecked()).toBe(true);
      expect(await locked.isDisabled()).toBe(true);
      await page.getByText('Security notice: email and push always on').waitFor();
      const reason = await page.locator(`[id="${await locked.getAttribute('aria-describedby')}"]`).textContent();
      expect(reason).toBe('Security notice: email and push always on');
      await locked.click({ force: true });
      expect(await locked.isChecked()).toBe(true);
      await page.getByRole('button', { name: 'Save' }).click();
      await waitForText(page, '[role=status]', 'Saved.');
      const still = (await t.query(NbPreferences, {}, { token: a.token })).notificationPreferences;
      const device = still.kinds.find((k) => k.kind === 'NEW_DEVICE_SIGN_IN')!.channels.find((c) => c.channel === 'EMAIL')!;
      expect(device).toEqual({ channel: 'EMAIL', enabled: true, locked: true });

      // Clearing quiet hours.
      await page.getByRole('button', { name: 'Clear quiet hours' }).click();
      await waitForText(page, '[role=status]', 'Quiet hours cleared.');
      expect((await t.query(NbPreferences, {}, { token: a.token })).notificationPreferences.quietHours).toBeNull();
      await expectClean(app);
    } finally {
      await app.close();
    }
  }, 120_000);
});
