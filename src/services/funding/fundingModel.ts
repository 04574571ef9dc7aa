// The shapes funding works with, apart from the service itself (funding.ts): the parts of the
// service import them from here, so none of them imports funding.ts back.
import type { Prisma } from '../../generated/prisma/client.js';
import type { MovementState } from '../gateways/gateways.js';
import type { MoneyInput } from '../transfers/transferInput.js';
import type { WebhookOutcome as RecordedOutcome } from '../webhooks/receivedEvents.js';

export type FundingRecord = Prisma.FundingOperationGetPayload<object>;
export type Provider = 'card' | 'bank';

export interface AddFundsInput {
  paymentMethodId: string;
  amount: MoneyInput;
  idempotencyKey: string;
}

export interface RefundDepositInput {
  fundingId: string;
  /** Default: everything not refunded yet. */
  amount?: MoneyInput | null;
  reason: string;
  idempotencyKey: string;
}

export interface WithdrawInput {
  bankAccountId: string;
  amount: MoneyInput;
  idempotencyKey: string;
}

export type WebhookOutcome = RecordedOutcome | 'DUPLICATE';

export interface Mismatch {
  provider: Provider;
  reference: string;
  problem: 'UNKNOWN_TO_LEDGER' | 'AMOUNT_DIFFERS' | 'NOT_YET_POSTED' | 'LEDGER_SAYS_FAILED' | 'NOT_SETTLED_BY_PROCESSOR';
  detail: string;
}

export interface ReconcileReport {
  /** The settlement day compared (YYYY-MM-DD, UTC). */
  day: string;
  /** Differences between the processors' settlement reports for the day and our records. */
  mismatches: Mismatch[];
  /** Operations pending long enough to ask the processor about. */
  checked: number;
  /** Resolved from the processor's answer (applied like the webhook that never came). */
  resolved: { id: string; state: MovementState }[];
  /** Never reached the processor: submitted again under the same reference. */
  resubmitted: string[];
  /** Still pending at the processor too. */
  stillPending: string[];
}

/** What an operation that creates a funding row answers: the row, and whether it already existed. */
export type Created = { operation: FundingRecord; replayed: boolean };
