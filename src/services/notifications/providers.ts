// The outside parties that carry messages: an email provider and an SMS provider, each behind this
// interface (as the card and bank gateways are behind theirs). The project ships sandbox ones
// (sandboxProviders.ts); a real one (an email API, an SMS gateway) implements `send` and is chosen
// in src/services/wiring/notifications.ts.
import type { Channel, OutgoingMessage } from './model.js';

export interface MessageProvider {
  readonly channel: Channel;
  /** For logs and metrics: "sandbox", "ses", ... */
  readonly name: string;
  /**
   * Hands the message over; resolves with the provider's id for it. Throws DeliveryRefused when the
   * provider says no, any other error for an outage (both retried, unless `permanent`).
   */
  send(message: OutgoingMessage, signal: AbortSignal): Promise<{ providerRef: string }>;
}

/** The provider refused the message. `permanent`: retrying will not help (an invalid address). */
export class DeliveryRefused extends Error {
  override name = 'DeliveryRefused';
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}
