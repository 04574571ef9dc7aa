// The one record of received webhook events (webhook_events), shared by every provider's handler.
// An event id is claimed first, in the transaction that applies it: a concurrent copy waits on the
// claim and then finds it taken, and a rolled-back attempt leaves no claim, so a redelivery applies it.
import type { Prisma } from '../../generated/prisma/client.js';

export type WebhookOutcome = 'APPLIED' | 'IGNORED' | 'UNMATCHED';

/** Claims `event` for this transaction; false when it was already received (a duplicate). */
export async function claimWebhookEvent(
  tx: Prisma.TransactionClient,
  provider: string,
  event: { id: string; type: string },
): Promise<boolean> {
  const claimed = await tx.$executeRaw`
    INSERT INTO webhook_events (provider, event_id, type, payload, outcome)
    VALUES (${provider}, ${event.id}, ${event.type}, ${JSON.stringify(event)}::jsonb, 'IGNORED')
    ON CONFLICT DO NOTHING`;
  return claimed > 0;
}

/** Records what a claimed event did, and what it was about. */
export async function recordWebhookOutcome(
  tx: Prisma.TransactionClient,
  provider: string,
  eventId: string,
  outcome: WebhookOutcome,
  about: { fundingOperationId?: string | null; kycCaseId?: string | null },
): Promise<void> {
  await tx.webhookEvent.update({ where: { provider_eventId: { provider, eventId } }, data: { outcome, ...about } });
}
