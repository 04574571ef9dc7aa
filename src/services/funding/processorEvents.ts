// Applying a processor's webhook event to its operation. The event is claimed, the operation
// locked, the step chosen by the state machine (fundingStates.ts) and the money posted
// (fundingPostings.ts), with the user's notification of a final state (fundingNotices.ts), all in
// one database transaction: a replayed or concurrent event finds the claim taken and changes nothing.
import type { Prisma } from '../../generated/prisma/client.js';
import type { WebhookEvent } from '../gateways/gateways.js';
import { isUuid } from '../ids.js';
import type { LedgerTransaction } from '../ledger/ledger.js';
import { claimWebhookEvent, recordWebhookOutcome, type WebhookOutcome as RecordedOutcome } from '../webhooks/receivedEvents.js';
import type { FundingContext } from './fundingContext.js';
import type { FundingRecord, Provider, WebhookOutcome } from './fundingModel.js';
import { createFundingPostings } from './fundingPostings.js';
import { stepFor, type Step } from './fundingStates.js';
import { fundingNotice } from './fundingNotices.js';

export function createProcessorEvents(ctx: FundingContext) {
  const { log } = ctx;
  const postings = createFundingPostings();

  async function apply(ledger: LedgerTransaction, tx: Prisma.TransactionClient, op: FundingRecord, step: Step, event: WebhookEvent) {
    const data: Prisma.FundingOperationUncheckedUpdateInput = {
      updatedAt: new Date(),
      providerRef: op.providerRef ?? event.data.providerRef,
    };
    let transactionId = op.transactionId;
    const withdrawal = op.kind === 'WITHDRAWAL';
    if (step === 'post' || step === 'post-and-reverse') {
      transactionId = withdrawal ? await postings.postWithdrawal(ledger, op) : await postings.postDeposit(ledger, tx, op);
      Object.assign(data, { status: 'SUCCEEDED', transactionId });
    }
    if (step === 'reverse' || step === 'post-and-reverse') {
      const reason = event.data.failureMessage ?? 'Reversed by the processor.';
      const reversalId = withdrawal
        ? await postings.reverseWithdrawal(ledger, op, transactionId!, reason)
        : await postings.reverseDeposit(ledger, tx, op, transactionId!, reason);
      Object.assign(data, {
        status: 'REVERSED',
        reversalTransactionId: reversalId,
        failureCode: event.data.failureCode ?? null,
        failureMessage: reason,
      });
    }
    if (step === 'fail') {
      if (withdrawal) await postings.releasePayout(ledger, op);
      Object.assign(data, {
        status: 'FAILED',
        failureCode: event.data.failureCode ?? 'failed',
        failureMessage: event.data.failureMessage ?? 'The processor refused the payment.',
      });
    }
    const notice = fundingNotice(op, step, event, transactionId);
    if (notice) await ledger.notify([notice]);
    return tx.fundingOperation.update({ where: { id: op.id }, data });
  }

  /** Applies one verified webhook event; safe to call any number of times with the same event. */
  async function handleWebhook(provider: Provider, event: WebhookEvent): Promise<WebhookOutcome> {
    const result = await ctx.ledger.transaction(
      async (ledger, tx) => {
        if (!(await claimWebhookEvent(tx, provider, event))) return { outcome: 'DUPLICATE' as const };
        const reference = event.data.reference;
        const locked = isUuid(reference)
          ? await tx.$queryRaw<
              { id: string }[]
            >`SELECT id::text FROM funding_operations WHERE id = ${reference}::uuid AND provider = ${provider} FOR UPDATE`
          : [];
        const op = locked.length ? await tx.fundingOperation.findUniqueOrThrow({ where: { id: reference } }) : null;
        const step: Step = !op
          ? 'unmatched'
          : event.data.amount !== op.amount.toString() || event.data.currency !== op.currency
            ? 'ignore'
            : stepFor(op.status, event.type);
        if (op && step === 'ignore' && event.data.amount !== op.amount.toString()) {
          log.warn(
            { fundingId: op.id, eventId: event.id },
            'webhook amount or currency differs from the deposit; ignored for reconciliation',
          );
        }
        const outcome: RecordedOutcome = step === 'unmatched' ? 'UNMATCHED' : step === 'ignore' ? 'IGNORED' : 'APPLIED';
        const applied = op && outcome === 'APPLIED' ? await apply(ledger, tx, op, step, event) : null;
        await recordWebhookOutcome(tx, provider, event.id, outcome, { fundingOperationId: op?.id ?? null });
        return { outcome, applied };
      },
      { timeoutMs: 15_000 },
    );
    if ('applied' in result && result.applied) ctx.notify(result.applied);
    return result.outcome;
  }

  return { handleWebhook };
}
