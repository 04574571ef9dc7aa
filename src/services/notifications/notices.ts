// What each kind of notification is: its default channels, whether it is a security notice (its
// channels cannot be switched off) or urgent (a push not held for quiet hours), and its words,
// made from the facts the notification row keeps. One place for the in-app text, the email, the
// SMS and the push, so they always say the same thing. A notice names a card or bank account by
// its last four digits at most: the notifier refuses any message carrying a full number.
import { formatAmount } from '../money/money.js';
import type { Channel } from './model.js';
import { formatWhen, redactAccountNumbers } from './templates.js';

export const NOTIFICATION_KINDS = [
  'MONEY_RECEIVED',
  'SEND_HELD_FOR_REVIEW',
  'SEND_REVIEW_APPROVED',
  'SEND_REVIEW_DECLINED',
  'TOP_UP_SUCCEEDED',
  'TOP_UP_FAILED',
  'WITHDRAWAL_SETTLED',
  'WITHDRAWAL_RETURNED',
  'CHARGEBACK',
  'KYC_DECIDED',
  'LIMIT_NEARLY_REACHED',
  'NEW_DEVICE_SIGN_IN',
  'STATEMENT_READY',
  'PAYMENT_REQUEST_PAID',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** The channels a notification may go out on besides the in-app list (which always has it). */
export const OUTBOUND_CHANNELS = ['EMAIL', 'SMS', 'PUSH'] as const satisfies readonly Channel[];
export type OutboundChannel = (typeof OUTBOUND_CHANNELS)[number];

/** The platforms a push device can be on. */
export const PUSH_PLATFORMS = ['IOS', 'ANDROID', 'WEB'] as const;
export type PushPlatform = (typeof PUSH_PLATFORMS)[number];

/** Facts a notification keeps (amounts in minor units, as strings). Each kind uses some. */
export interface NoticeData {
  transactionId?: string;
  walletId?: string;
  fundingId?: string;
  caseId?: string;
  statementId?: string;
  merchantId?: string;
  requestId?: string;
  paymentId?: string;
  amount?: string;
  currency?: string;
  /** Who sent the money, or whom it went to, or the merchant: a display name. */
  counterparty?: string;
  note?: string | null;
  /** "Visa ending 4242", "bank account ending 6789". */
  method?: string;
  reason?: string | null;
  decision?: string;
  tier?: string;
  /** DAILY_SEND or MONTHLY_SEND, with what was used of it and its maximum (minor units). */
  limit?: string;
  used?: string;
  max?: string;
  month?: string;
  device?: string;
  ip?: string;
  at?: string;
}

/** A notification to write: whom it is for, what kind, and the facts it reports. */
export interface Notice {
  userId: string;
  kind: NotificationKind;
  data: NoticeData;
}

interface KindInfo {
  /** What users see in their preferences. */
  label: string;
  /** A security notice: its channels that are on by default cannot be switched off. */
  security: boolean;
  /** Pushed even in quiet hours. */
  urgent: boolean;
  /** Default for each outbound channel. */
  defaults: Record<OutboundChannel, boolean>;
}

const on = (email: boolean, sms: boolean, push: boolean) => ({ EMAIL: email, SMS: sms, PUSH: push });

export const KINDS: Record<NotificationKind, KindInfo> = {
  MONEY_RECEIVED: { label: 'Money received', security: false, urgent: false, defaults: on(false, false, true) },
  SEND_HELD_FOR_REVIEW: { label: 'A send held for review', security: false, urgent: false, defaults: on(true, false, true) },
  SEND_REVIEW_APPROVED: { label: 'A held send approved', security: false, urgent: false, defaults: on(true, false, true) },
  SEND_REVIEW_DECLINED: { label: 'A held send declined', security: false, urgent: false, defaults: on(true, false, true) },
  TOP_UP_SUCCEEDED: { label: 'Money added', security: false, urgent: false, defaults: on(false, false, true) },
  TOP_UP_FAILED: { label: 'Adding money failed', security: false, urgent: false, defaults: on(true, false, true) },
  WITHDRAWAL_SETTLED: { label: 'Withdrawal arrived', security: false, urgent: false, defaults: on(true, false, true) },
  WITHDRAWAL_RETURNED: { label: 'Withdrawal returned', security: false, urgent: false, defaults: on(true, false, true) },
  CHARGEBACK: { label: 'Top-up disputed (chargeback)', security: false, urgent: true, defaults: on(true, false, true) },
  KYC_DECIDED: { label: 'Identity check decided', security: false, urgent: false, defaults: on(true, false, true) },
  LIMIT_NEARLY_REACHED: { label: 'Sending limit nearly reached', security: false, urgent: false, defaults: on(false, false, true) },
  NEW_DEVICE_SIGN_IN: { label: 'Sign-in from a new device', security: true, urgent: true, defaults: on(true, false, true) },
  STATEMENT_READY: { label: 'Monthly statement ready', security: false, urgent: false, defaults: on(true, false, false) },
  PAYMENT_REQUEST_PAID: { label: 'Payment request paid (merchants)', security: false, urgent: false, defaults: on(false, false, true) },
};

/** Overrides of the defaults, as stored: {KIND: {CHANNEL: enabled}}. */
export type ChannelOverrides = Partial<Record<NotificationKind, Partial<Record<OutboundChannel, boolean>>>>;

/** Whether a channel is locked on (a security notice's default channel). */
export const lockedOn = (kind: NotificationKind, channel: OutboundChannel) => KINDS[kind].security && KINDS[kind].defaults[channel];

/** Whether `kind` goes out on `channel` for a user with these overrides. */
export function channelEnabled(overrides: ChannelOverrides, kind: NotificationKind, channel: OutboundChannel): boolean {
  if (lockedOn(kind, channel)) return true;
  return overrides[kind]?.[channel] ?? KINDS[kind].defaults[channel];
}

/** What a notification says: a title and one or two sentences. */
export interface NoticeWords {
  title: string;
  body: string;
}

const PRODUCT = 'Wallet';

function money(d: NoticeData): string {
  if (d.amount == null || !d.currency) return 'money';
  return `${formatAmount(BigInt(d.amount), d.currency)} ${d.currency}`;
}

const quoted = (note: string | null | undefined) => (note ? `: "${note.slice(0, 80)}"` : '');
const because = (reason: string | null | undefined) => (reason ? ` (${reason})` : '');
const limitName = (limit: string | undefined) => (limit === 'MONTHLY_SEND' ? 'monthly' : 'daily');

/** The words of a notification, from its kind and facts. Client-supplied text is cleared of anything like an account number. */
export function wordsOf(kind: NotificationKind, d: NoticeData): NoticeWords {
  const words = rawWords(kind, d);
  return { title: redactAccountNumbers(words.title), body: redactAccountNumbers(words.body) };
}

function rawWords(kind: NotificationKind, d: NoticeData): NoticeWords {
  switch (kind) {
    case 'MONEY_RECEIVED':
      return { title: `You received ${money(d)}`, body: `From ${d.counterparty ?? 'someone'}${quoted(d.note)}.` };
    case 'SEND_HELD_FOR_REVIEW':
      return {
        title: `Your send of ${money(d)} is being reviewed`,
        body: `We are checking your payment to ${d.counterparty ?? 'the recipient'}. The money is held and you will hear when it is decided.`,
      };
    case 'SEND_REVIEW_APPROVED':
      return {
        title: `Your send of ${money(d)} went through`,
        body: `The payment to ${d.counterparty ?? 'the recipient'} was approved and sent.`,
      };
    case 'SEND_REVIEW_DECLINED':
      return {
        title: `Your send of ${money(d)} was declined`,
        body: `The payment to ${d.counterparty ?? 'the recipient'} was not sent; the held money is available again.`,
      };
    case 'TOP_UP_SUCCEEDED':
      return { title: `${money(d)} added to your wallet`, body: `From ${d.method ?? 'your payment method'}.` };
    case 'TOP_UP_FAILED':
      return { title: `Adding ${money(d)} failed`, body: `${d.method ?? 'Your payment method'} was not charged${because(d.reason)}.` };
    case 'WITHDRAWAL_SETTLED':
      return { title: `Your withdrawal of ${money(d)} arrived`, body: `It was paid to ${d.method ?? 'your account'}.` };
    case 'WITHDRAWAL_RETURNED':
      return {
        title: `Your withdrawal of ${money(d)} came back`,
        body: `${d.method ?? 'Your account'} returned it${because(d.reason)}; the money is back in your wallet.`,
      };
    case 'CHARGEBACK':
      return {
        title: `A top-up of ${money(d)} was disputed`,
        body: `The payment from ${d.method ?? 'your card'} was charged back; the amount was taken from your wallet. Contact support if this is wrong.`,
      };
    case 'KYC_DECIDED':
      return d.decision === 'APPROVED'
        ? { title: 'Your identity is verified', body: `Your account is now ${d.tier ?? 'at a higher tier'}, with its higher limits.` }
        : {
            title: 'We could not verify your identity',
            body: `Your account stays at its current tier${because(d.reason)}. You can try again.`,
          };
    case 'LIMIT_NEARLY_REACHED':
      return {
        title: `You have used most of your ${limitName(d.limit)} sending limit`,
        body:
          d.used && d.max && d.currency
            ? `${formatAmount(BigInt(d.used), d.currency)} of ${formatAmount(BigInt(d.max), d.currency)} ${d.currency} sent. Verify your identity to raise it.`
            : 'Verify your identity to raise it.',
      };
    case 'NEW_DEVICE_SIGN_IN':
      return {
        title: 'New sign-in to your account',
        body:
          `From ${(d.device ?? 'an unknown device').slice(0, 160)}, IP address ${(d.ip ?? 'unknown').slice(0, 64)}` +
          `${d.at ? `, on ${formatWhen(new Date(d.at))}` : ''}. If this was not you, reset your password now: that signs out every device.`,
      };
    case 'STATEMENT_READY':
      return {
        title: `Your statement for ${d.month ?? 'last month'} is ready`,
        body: 'Open Statements in the app to read or download it.',
      };
    case 'PAYMENT_REQUEST_PAID':
      return {
        title: `${d.counterparty ?? 'Your shop'} was paid ${money(d)}`,
        body: d.note ? `For "${d.note.slice(0, 80)}".` : 'A payment request was paid.',
      };
  }
}

/** The message a notification becomes on an outbound channel. */
export function messageOf(channel: OutboundChannel, words: NoticeWords) {
  if (channel === 'EMAIL') return { subject: `${PRODUCT}: ${words.title}`, text: `${words.title}.\n\n${words.body}\n` };
  // SMS and push: one short line.
  return {
    subject: channel === 'PUSH' ? words.title : null,
    text: channel === 'PUSH' ? words.body : `${PRODUCT}: ${words.title}. ${words.body}`.slice(0, 320),
  };
}
