// Adding funds from a card or bank account. A deposit is a row in funding_operations that a
// processor's webhooks move along (fundingStates.ts); money moves only in the ledger, in the same
// database transaction that records the webhook event, so a replayed or concurrent event can
// never post twice and a crash between receiving and applying loses nothing (the processor
// retries, and the event is applied or found already applied).
//
// The processor is asked only after the deposit row is committed, never inside a database
// transaction. If the process dies in between, the deposit stays PENDING without a processor
// reference; a retry of addFunds with the same key, or reconciliation, submits it again under the
// same reference, which the processor treats as the same charge.
//
// The service is assembled from its operations: fundingRequests.ts (addFunds, withdraw,
// refundDeposit), processorEvents.ts (webhook events) with fundingPostings.ts (what they post),
// and fundingReconciliation.ts (the reconcile job); fundingContext.ts holds what they share.
import type { WebhookEvent } from '../gateways/gateways.js';
import { isUuid } from '../ids.js';
import type { Outcome } from '../errors.js';
import { keysetOrder, keysetWhere, encodeCursor, toPage, type Page, type PageRequest } from '../pagination.js';
import { createFundingContext, type FundingDeps } from './fundingContext.js';
import type {
  AddFundsInput,
  FundingRecord,
  Provider,
  ReconcileReport,
  RefundDepositInput,
  WebhookOutcome,
  WithdrawInput,
} from './fundingModel.js';
import { createFundingReconciliation } from './fundingReconciliation.js';
import { createFundingRequests } from './fundingRequests.js';
import { createProcessorEvents } from './processorEvents.js';

export type { FundingDeps } from './fundingContext.js';
export type {
  AddFundsInput,
  FundingRecord,
  Mismatch,
  Provider,
  ReconcileReport,
  RefundDepositInput,
  WebhookOutcome,
  WithdrawInput,
} from './fundingModel.js';

export interface FundingService {
  addFunds(userId: string, input: AddFundsInput): Promise<Outcome<{ operation: FundingRecord; replayed: boolean }>>;
  /** Holds the amount at once and pays it out to a verified bank account. */
  withdraw(userId: string, input: WithdrawInput): Promise<Outcome<{ operation: FundingRecord; replayed: boolean }>>;
  /** An admin pays (part of) a card top-up back to its card: held at once, posted when the processor confirms. */
  refundDeposit(adminId: string, input: RefundDepositInput): Promise<Outcome<{ operation: FundingRecord; replayed: boolean }>>;
  get(userId: string, id: string): Promise<FundingRecord | null>;
  /** The operation if it is the viewer's, or any for an admin (who starts refunds of users' top-ups). */
  getVisible(viewer: { userId: string; isAdmin: boolean }, id: string): Promise<FundingRecord | null>;
  list(userId: string, page: PageRequest): Promise<Page<FundingRecord>>;
  /** Applies one verified webhook event; safe to call any number of times with the same event. */
  handleWebhook(provider: Provider, event: WebhookEvent): Promise<WebhookOutcome>;
  /**
   * Asks the processors about operations pending longer than `olderThanSeconds` and settles what
   * they know, then compares their settlement reports for `day` (default today, UTC) with ours.
   */
  reconcile(options: { olderThanSeconds: number; day?: string }): Promise<ReconcileReport>;
}

export function createFundingService(deps: FundingDeps): FundingService {
  const { prisma } = deps;
  const ctx = createFundingContext(deps);
  const { addFunds, withdraw, refundDeposit } = createFundingRequests(ctx);
  const { handleWebhook } = createProcessorEvents(ctx);
  const { reconcile } = createFundingReconciliation(ctx, handleWebhook);
  return {
    addFunds,
    withdraw,
    refundDeposit,
    get: (userId, id) => (isUuid(id) ? prisma.fundingOperation.findFirst({ where: { id, userId } }) : Promise.resolve(null)),
    getVisible: (viewer, id) =>
      isUuid(id)
        ? prisma.fundingOperation.findFirst({ where: { id, ...(viewer.isAdmin ? {} : { userId: viewer.userId }) } })
        : Promise.resolve(null),
    async list(userId, page) {
      const rows = await prisma.fundingOperation.findMany({
        where: { userId, ...keysetWhere(page) },
        orderBy: keysetOrder(page),
        take: page.limit + 1,
      });
      return toPage(rows, page, (r) => encodeCursor({ at: r.createdAt, id: r.id }));
    },
    handleWebhook,
    reconcile,
  };
}
