// The pure parts of notifications: each kind's words from its facts (never an account number),
// channels from defaults and preferences (security notices locked on), quiet hours across midnight
// and time zones, and the messages the dispatcher makes of one notification for one user.
import { describe, expect, it } from 'vitest';
import { messagesFor, quietUntil } from '../../src/services/notifications/dispatcher.js';
import {
  channelEnabled,
  KINDS,
  messageOf,
  NOTIFICATION_KINDS,
  type NoticeData,
  OUTBOUND_CHANNELS,
  wordsOf,
} from '../../src/services/notifications/notices.js';
import { describePreferences, inQuietHours, minutesOf } from '../../src/services/notifications/preferences.js';
import { accountNumberIn } from '../../src/services/notifications/templates.js';

const facts: NoticeData = {
  transactionId: '00000000-0000-4000-8000-000000000001',
  walletId: '00000000-0000-4000-8000-000000000002',
  amount: '123456',
  currency: 'USD',
  counterparty: 'Ada Lovelace',
  note: 'rent',
  method: 'Visa ending 4242',
  reason: 'insufficient funds',
  decision: 'APPROVED',
  tier: 'TIER_1',
  limit: 'MONTHLY_SEND',
  used: '41000',
  max: '50000',
  month: '2026-11',
  device: 'Firefox on Linux',
  ip: '203.0.113.7',
  at: '2026-12-04T10:00:00Z',
};

describe('words', () => {
  it('every kind has a title and a body, in every channel, with no account number', () => {
    for (const kind of NOTIFICATION_KINDS) {
      const words = wordsOf(kind, facts);
      expect(words.title.length, kind).toBeGreaterThan(5);
      expect(words.body.length, kind).toBeGreaterThan(5);
      for (const channel of OUTBOUND_CHANNELS) {
        const m = messageOf(channel, words);
        expect(accountNumberIn(`${m.subject ?? ''} ${m.text}`), `${kind} ${channel}`).toBeNull();
      }
    }
  });

  it('formats amounts in the currency exponent and says who and what', () => {
    expect(wordsOf('MONEY_RECEIVED', facts)).toEqual({ title: 'You received 1234.56 USD', body: 'From Ada Lovelace: "rent".' });
    expect(wordsOf('MONEY_RECEIVED', { ...facts, amount: '1500', currency: 'JPY', note: null }).title).toBe('You received 1500 JPY');
    expect(wordsOf('LIMIT_NEARLY_REACHED', facts)).toEqual({
      title: 'You have used most of your monthly sending limit',
      body: '410.00 of 500.00 USD sent. Verify your identity to raise it.',
    });
    expect(wordsOf('KYC_DECIDED', { decision: 'REJECTED', reason: 'document unreadable' }).body).toContain('document unreadable');
  });

  it('hides a card number that reached the facts through client-supplied text', () => {
    const leaked = wordsOf('NEW_DEVICE_SIGN_IN', { ...facts, device: 'Phone 4111 1111 1111 1111' });
    expect(leaked.body).not.toMatch(/4111/);
    expect(leaked.body).toContain('[hidden]');
  });
});

describe('channels and quiet hours', () => {
  it('uses defaults unless overridden; security notices stay on', () => {
    expect(channelEnabled({}, 'MONEY_RECEIVED', 'PUSH')).toBe(true);
    expect(channelEnabled({}, 'MONEY_RECEIVED', 'EMAIL')).toBe(false);
    expect(channelEnabled({ MONEY_RECEIVED: { EMAIL: true, PUSH: false } }, 'MONEY_RECEIVED', 'EMAIL')).toBe(true);
    expect(channelEnabled({ MONEY_RECEIVED: { EMAIL: true, PUSH: false } }, 'MONEY_RECEIVED', 'PUSH')).toBe(false);
    expect(channelEnabled({ NEW_DEVICE_SIGN_IN: { EMAIL: false } }, 'NEW_DEVICE_SIGN_IN', 'EMAIL')).toBe(true);
    const described = describePreferences({}, null, 'UTC');
    expect(described.kinds.filter((k) => k.channels.some((c) => c.locked)).map((k) => k.kind)).toEqual(['NEW_DEVICE_SIGN_IN']);
    expect(Object.values(KINDS).every((k) => !k.defaults.SMS)).toBe(true);
  });

  it('parses HH:MM and spans midnight', () => {
    expect([minutesOf('00:00'), minutesOf('22:30'), minutesOf('23:59')]).toEqual([0, 1350, 1439]);
    expect([minutesOf('24:00'), minutesOf('7:00'), minutesOf('07:60'), minutesOf('')]).toEqual([null, null, null, null]);
    const night = { start: 22 * 60, end: 7 * 60 };
    expect([21 * 60 + 59, 22 * 60, 0, 6 * 60 + 59, 7 * 60].map((m) => inQuietHours(night, m))).toEqual([false, true, true, true, false]);
    const lunch = { start: 12 * 60, end: 13 * 60 };
    expect([11 * 60 + 59, 12 * 60, 13 * 60].map((m) => inQuietHours(lunch, m))).toEqual([false, true, false]);
  });

  it("holds a push until quiet hours end in the user's time zone", () => {
    const night = { start: 22 * 60, end: 7 * 60 };
    // 23:30 in New York (UTC-5 in December) is 04:30 UTC: the push waits until 07:00 New York, 12:00 UTC.
    expect(quietUntil(night, 'America/New_York', new Date('2026-12-04T04:30:00Z'))).toEqual(new Date('2026-12-04T12:00:00Z'));
    expect(quietUntil(night, 'America/New_York', new Date('2026-12-04T15:00:00Z'))).toBeNull();
    expect(quietUntil(night, 'Asia/Kolkata', new Date('2026-12-04T18:00:00Z'))).toEqual(new Date('2026-12-05T01:30:00Z'));
    expect(quietUntil(null, 'UTC', new Date())).toBeNull();
  });
});

describe('the messages of one notification', () => {
  const row = {
    id: 'n1',
    user_id: 'u1',
    kind: 'MONEY_RECEIVED' as const,
    data: facts,
    email: 'ada@example.com',
    email_verified: true,
    phone_sealed: null,
    legacy_phone: '+15550100',
    phone_verified: true,
    time_zone: 'UTC',
    erased: false,
    channels: { MONEY_RECEIVED: { EMAIL: true, SMS: true } },
    quiet_start: 22 * 60,
    quiet_end: 7 * 60,
    push_tokens: ['token-a', 'token-b'],
  };
  const phoneOf = (r: { legacyPhone: string | null }) => r.legacyPhone;
  const noon = new Date('2026-12-04T12:00:00Z');

  it('one per chosen channel and device, to verified addresses', () => {
    const out = messagesFor(row, phoneOf, noon);
    expect(out.map((m) => [m.channel, m.to, m.kind, m.notBefore ?? null])).toEqual([
      ['EMAIL', 'ada@example.com', 'money_received', null],
      ['SMS', '+15550100', 'money_received', null],
      ['PUSH', 'token-a', 'money_received', null],
      ['PUSH', 'token-b', 'money_received', null],
    ]);
    expect(out[0]!.content.subject).toBe('Wallet: You received 1234.56 USD');
  });

  it('skips unverified addresses, except a security notice to the email on file; none for an erased user', () => {
    const unverified = { ...row, email_verified: false, phone_verified: false };
    expect(messagesFor(unverified, phoneOf, noon).map((m) => m.channel)).toEqual(['PUSH', 'PUSH']);
    const security = { ...unverified, kind: 'NEW_DEVICE_SIGN_IN' as const, channels: {} };
    expect(messagesFor(security, phoneOf, noon).map((m) => m.channel)).toEqual(['EMAIL', 'PUSH', 'PUSH']);
    expect(messagesFor({ ...row, erased: true }, phoneOf, noon)).toEqual([]);
  });

  it('holds pushes in quiet hours, but not urgent ones, and never email or SMS', () => {
    const night = new Date('2026-12-04T23:00:00Z');
    const held = messagesFor(row, phoneOf, night);
    expect(held.filter((m) => m.notBefore).map((m) => [m.channel, m.notBefore])).toEqual([
      ['PUSH', new Date('2026-12-05T07:00:00Z')],
      ['PUSH', new Date('2026-12-05T07:00:00Z')],
    ]);
    const urgent = messagesFor({ ...row, kind: 'CHARGEBACK' }, phoneOf, night);
    expect(urgent.some((m) => m.notBefore)).toBe(false);
  });
});
