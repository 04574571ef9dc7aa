// The sandbox email and SMS providers: instead of sending, they keep every message they are given
// in sandbox.messages, where a developer (GET /sandbox/messages, outside production) or a test
// reads it, codes included. Like the sandbox processors, they take the message's id as their
// idempotency key (a repeat of an accepted message is answered with the first answer and stored
// once) and let failures be provoked by test values (docs/sandbox.md):
//
// | Address                                | Outcome                                            |
// |----------------------------------------|----------------------------------------------------|
// | email ending `+fail@…`, phone `…0002`  | every attempt refused (retried until given up)     |
// | email ending `+retry@…`, phone `…0003` | the first attempt refused, the next accepted       |
// | email ending `+bounce@…`, phone `…0005`| refused for good (an invalid address): not retried |
import type { Sql } from '../../db/sql.js';
import type { Channel, OutgoingMessage } from './model.js';
import { DeliveryRefused, type MessageProvider } from './providers.js';

type Outcome = 'accept' | 'fail' | 'fail_once' | 'bounce';

/** What the sandbox does with a message to `to` (docs/sandbox.md). */
export function sandboxOutcome(channel: Channel, to: string): Outcome {
  if (channel === 'EMAIL') {
    const local = to.slice(0, to.lastIndexOf('@'));
    if (local.endsWith('+fail')) return 'fail';
    if (local.endsWith('+retry')) return 'fail_once';
    if (local.endsWith('+bounce')) return 'bounce';
    return 'accept';
  }
  if (channel === 'PUSH') {
    if (to.endsWith('-fail')) return 'fail';
    if (to.endsWith('-retry')) return 'fail_once';
    if (to.endsWith('-bounce')) return 'bounce';
    return 'accept';
  }
  if (to.endsWith('0002')) return 'fail';
  if (to.endsWith('0003')) return 'fail_once';
  if (to.endsWith('0005')) return 'bounce';
  return 'accept';
}

export interface SandboxMessage {
  id: string;
  messageId: string;
  channel: Channel;
  to: string;
  subject: string | null;
  text: string;
  /** The one-time code or link token the message carries, if any (also in its text). */
  code: string | null;
  receivedAt: Date;
}

export interface SandboxInbox {
  /** Messages the sandbox providers accepted, newest first; to one address when `to` is given. */
  list(filter: { to?: string | null; limit: number }): Promise<SandboxMessage[]>;
  /** Deletes what was delivered to these addresses (an erased user's; a real provider's deletion request). */
  forget(addresses: string[]): Promise<void>;
}

export function createSandboxMessageProvider(sql: Sql, channel: Channel): MessageProvider {
  return {
    channel,
    name: 'sandbox',
    async send(message: OutgoingMessage) {
      const earlier = await sql.query<{ id: string; accepted: boolean }>(
        'SELECT m.id::text, m.accepted FROM sandbox.messages m WHERE m.message_id = $1::uuid ORDER BY m.id',
        [message.id],
      );
      const firstAccepted = earlier.find((m) => m.accepted);
      if (firstAccepted) return { providerRef: `sbx_msg_${firstAccepted.id}` };
      const outcome = sandboxOutcome(channel, message.to);
      const accepted = outcome === 'accept' || (outcome === 'fail_once' && earlier.length > 0);
      const [row] = await sql.query<{ id: string }>(
        `INSERT INTO sandbox.messages (message_id, channel, recipient, subject, text, code, accepted)
         VALUES ($1::uuid, $2, $3, $4, $5, $6, $7) RETURNING id::text`,
        [message.id, channel, message.to, message.subject, message.text, message.code ?? null, accepted],
      );
      if (!accepted) {
        throw new DeliveryRefused(
          outcome === 'bounce' ? 'sandbox: the address does not exist' : 'sandbox: the provider is unavailable',
          outcome === 'bounce',
        );
      }
      return { providerRef: `sbx_msg_${row!.id}` };
    },
  };
}

export function createSandboxInbox(sql: Sql): SandboxInbox {
  return {
    async forget(addresses) {
      await sql.query('DELETE FROM sandbox.messages WHERE recipient = ANY($1::text[])', [addresses]);
    },

    async list({ to, limit }) {
      const rows = await sql.query<{
        id: string;
        message_id: string;
        channel: Channel;
        recipient: string;
        subject: string | null;
        text: string;
        code: string | null;
        received_at: Date;
      }>(
        // (m.id: a bare `id` in ORDER BY would sort the text column of the same name.)
        `SELECT m.id::text, m.message_id::text, m.channel, m.recipient, m.subject, m.text, m.code, m.received_at FROM sandbox.messages m
         WHERE m.accepted AND ($1::text IS NULL OR lower(m.recipient) = lower($1)) ORDER BY m.id DESC LIMIT $2`,
        [to ?? null, limit],
      );
      return rows.map((r) => ({
        id: r.id,
        messageId: r.message_id,
        channel: r.channel,
        to: r.recipient,
        subject: r.subject,
        text: r.text,
        code: r.code,
        receivedAt: r.received_at,
      }));
    },
  };
}
