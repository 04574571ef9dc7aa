// What paying and refunding share inside their database transaction: whether the payer's key was
// already answered (a retry, replayed by the posting function), and posting through the one
// posting function with its refusal named by the caller's own input field.
import type { Prisma } from '../../generated/prisma/client.js';
import { refuse } from '../errors.js';
import type { OutboxEvent } from '../events/outbox.js';
import { postThrough, type TransferRequest, type TransferResult } from '../ledger/postTransfers.js';

/** The key's first answer exists: this request is a retry, to be replayed by the posting function. */
export async function keyUsed(tx: Prisma.TransactionClient, userId: string, key: string) {
  const rows = await tx.$queryRaw<unknown[]>`SELECT 1 FROM idempotency_keys WHERE user_id = ${userId}::uuid AND key = ${key}`;
  return rows.length > 0;
}

/**
 * Posts the requests; a refusal of the first is thrown (for `refusable`) with the posting
 * function's field renamed by `fields` (it names the fields of sendMoney's input).
 */
export async function postOrRefuse(
  tx: Prisma.TransactionClient,
  requests: TransferRequest[],
  fields: Record<string, string>,
  idempotencyTtlHours: number,
): Promise<{ results: TransferResult[]; events: OutboxEvent[] }> {
  const posted = await postThrough(tx, requests, idempotencyTtlHours);
  const first = posted.results[0]!;
  if (!first.ok) refuse(first.code, first.message, first.field ? (fields[first.field] ?? first.field) : undefined);
  return posted;
}
