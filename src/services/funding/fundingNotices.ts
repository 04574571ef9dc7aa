// What a funding operation's final state tells its user, written with that state in the
// processor event's transaction (processorEvents.ts): a top-up added or failed, a withdrawal paid
// out or back, a top-up charged back. The payment method is named by its last four digits, read
// by the statement that writes the notice. A card refund (an admin's) has no notice of its own.
import type { WebhookEvent } from '../gateways/gateways.js';
import type { NoticeToWrite } from '../notifications/inbox.js';
import type { NotificationKind } from '../notifications/notices.js';
import { redactAccountNumbers } from '../notifications/templates.js';
import type { FundingRecord } from './fundingModel.js';
import type { Step } from './fundingStates.js';

function kindOf(op: FundingRecord, step: Step, event: WebhookEvent): NotificationKind | null {
  if (op.kind === 'DEPOSIT') {
    if (step === 'post') return 'TOP_UP_SUCCEEDED';
    if (step === 'fail') return 'TOP_UP_FAILED';
    // A reversed deposit: disputed by the card holder (a chargeback), or the money did not come after all.
    if (step === 'reverse' || step === 'post-and-reverse') return event.type.endsWith('.disputed') ? 'CHARGEBACK' : 'TOP_UP_FAILED';
    return null;
  }
  if (op.refundOfId) return null;
  if (step === 'post') return 'WITHDRAWAL_SETTLED';
  if (step === 'fail' || step === 'reverse' || step === 'post-and-reverse') return 'WITHDRAWAL_RETURNED';
  return null;
}

/** The notice a step of `op` gives its user, if any. */
export function fundingNotice(op: FundingRecord, step: Step, event: WebhookEvent, transactionId: string | null): NoticeToWrite | null {
  const kind = kindOf(op, step, event);
  if (!kind) return null;
  const failed = step !== 'post';
  return {
    userId: op.userId,
    kind,
    methodOf: op.paymentMethodId,
    data: {
      fundingId: op.id,
      walletId: op.walletId,
      ...(transactionId ? { transactionId } : {}),
      amount: op.amount.toString(),
      currency: op.currency,
      // The processor's words, kept clear of anything like an account number.
      ...(failed ? { reason: event.data.failureMessage ? redactAccountNumbers(event.data.failureMessage.slice(0, 200)) : null } : {}),
    },
  };
}
