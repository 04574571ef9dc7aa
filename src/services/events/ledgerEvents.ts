// The ledger's outbox event and the subscriber messages it becomes. The posting function writes
// one `ledger.posted` row per call, listing its posted transfers with their user sides (one row
// per call, not one per transfer or per topic, keeps the write path cheap); the publisher fans it
// out here to the topics clients subscribe to. A payment to a merchant likewise writes one
// `merchant.paid` row, which becomes the request's event and the merchant's.
import {
  type MerchantPaymentReceived,
  type NotificationAdded,
  type PaymentRequestChanged,
  type PublishedPayment,
  topics,
  type TransactionChanged,
  type WalletChanged,
} from './topics.js';

/** Outbox kind written by wallet_post_transfers (prisma/functions/wallet_post_transfers.sql). */
export const LEDGER_POSTED = 'ledger.posted';

/**
 * Outbox kind of a payment to a merchant (payPaymentRequest): the row the payment already wrote for
 * its request's checkout screens also carries the payment, so the merchant's live feed costs no
 * write of its own, only one more message when it is published.
 */
export const MERCHANT_PAID = 'merchant.paid';

/**
 * Outbox kind of notifications written (notifications/inbox.ts, and the posting function's one row
 * per call for its own). Payload: { notices: NoticeRef[] }.
 */
export const NOTIFICATIONS_ADDED = 'notifications.added';

/** A notification written, as its outbox row names it. */
export interface NoticeRef {
  id: string;
  userId: string;
}

export interface MerchantPaid {
  request: PaymentRequestChanged;
  payment: PublishedPayment;
}

export interface LedgerPosted {
  transactionId: string;
  status: string;
  currency: string;
  /** The user wallets the transfer changed, as they were right after it. */
  sides: { walletId: string; userId: string; sequence: number | string; postedBalance: string; heldAmount: string }[];
}

export interface Message {
  topic: string;
  payload: unknown;
}

/** The messages one outbox row stands for; rows of any other kind are published as they are. */
export function messagesOf(kind: string, payload: unknown): Message[] {
  if (kind === MERCHANT_PAID) return merchantPaidMessages(payload as MerchantPaid);
  if (kind === NOTIFICATIONS_ADDED) return noticeMessages((payload as { notices: NoticeRef[] }).notices);
  if (kind !== LEDGER_POSTED) return [{ topic: kind, payload }];
  // A call's row lists its transfers; a row written before that (one per transfer) is one of them.
  const batch = payload as { transfers?: LedgerPosted[] };
  return (batch.transfers ?? [payload as LedgerPosted]).flatMap(transferMessages);
}

function noticeMessages(notices: NoticeRef[]): Message[] {
  return notices.map((n) => ({ topic: topics.notifications(n.userId), payload: { notificationId: n.id } satisfies NotificationAdded }));
}

function transferMessages(event: LedgerPosted): Message[] {
  return event.sides.flatMap((side) => [
    {
      topic: topics.wallet(side.walletId),
      payload: {
        walletId: side.walletId,
        sequence: side.sequence,
        transactionId: event.transactionId,
        postedBalance: side.postedBalance,
        heldAmount: side.heldAmount,
        currency: event.currency,
      } satisfies WalletChanged,
    },
    {
      topic: topics.transactions(side.userId),
      payload: { transactionId: event.transactionId, walletId: side.walletId, status: event.status } satisfies TransactionChanged,
    },
  ]);
}

function merchantPaidMessages({ request, payment }: MerchantPaid): Message[] {
  return [
    { topic: topics.paymentRequest(request.requestId), payload: request },
    { topic: topics.merchantPayments(payment.merchantId), payload: { payment } satisfies MerchantPaymentReceived },
  ];
}
