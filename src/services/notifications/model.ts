// What the notifier sends: a message on a channel to an address, written by a template. Shared by
// the notifier, its providers and whoever asks for a message (verification, step-up, password
// reset, new-device notices; issue 19's notification service).

/** Where a one-time code can go: a contact the user verifies. */
export type ContactChannel = 'EMAIL' | 'SMS';
/** PUSH goes to a device's push token (push_devices). */
export type Channel = ContactChannel | 'PUSH';

/** What a message says. `code` is the one-time code (or link token) it exists to carry, if any: also in its text. */
export interface MessageContent {
  /** Email only; SMS has none. */
  subject: string | null;
  text: string;
  code?: string;
}

/** A message to send after the transaction that asks for it commits. */
export interface NotificationRequest {
  /** Whom it is about (null for none): kept in the clear for operators, unlike the address. */
  userId: string | null;
  channel: Channel;
  /** The email address or E.164 phone number. */
  to: string;
  /** The template that wrote it (email_verification, password_reset, ...): kept in the clear. */
  kind: string;
  content: MessageContent;
  /** Not sent before then (quiet hours). Default: at once. */
  notBefore?: Date;
  /** Not delivered by then: given up. Default: NOTIFY_RETRY_FOR_HOURS after now. A code's message gives up when the code expires. */
  giveUpAt?: Date;
}

/** One message as a provider gets it. `id` is the same on every attempt: providers deduplicate by it. */
export interface OutgoingMessage extends MessageContent {
  id: string;
  channel: Channel;
  to: string;
}
