// Merchant payments: paying a payment request (payPaymentRequest.ts), refunding a payment
// (refundPayment.ts) and reading payments and settlement (paymentQueries.ts), put together as one
// service. The records live in model.ts and are re-exported here for the GraphQL layer.
import type { PrismaClient } from '../../db/database.js';
import type { Logger } from '../../logger.js';
import type { Outcome } from '../errors.js';
import type { TransactionView } from '../history/history.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Currencies } from '../money/currencies.js';
import type { FeeRule } from '../money/fees.js';
import type { Page, PageRequest } from '../pagination.js';
import type { RiskEngine } from '../risk/riskEngine.js';
import type { RequestOrigin } from '../transfers/transfers.js';
import type { MoneyInput } from '../transfers/transferInput.js';
import type { MerchantWebhookService } from './merchantWebhooks.js';
import type { MerchantActor, MerchantService } from './merchants.js';
import type { MerchantPaymentRecord, PaymentFilter, RefundRecord, SettlementLine } from './model.js';
import { payPaymentRequest } from './payPaymentRequest.js';
import { merchantPaymentQueries } from './paymentQueries.js';
import type { PaymentRequestService } from './paymentRequests.js';
import { refundPayment } from './refundPayment.js';

export type { MerchantPaymentRecord, PaymentFilter, PaymentStatus, RefundRecord, SettlementLine } from './model.js';

export interface MerchantPaymentService {
  pay(
    payerId: string,
    input: { code: string; idempotencyKey: string; amount?: MoneyInput | null },
    origin?: RequestOrigin,
  ): Promise<Outcome<{ payment: MerchantPaymentRecord; transfer: TransactionView; replayed: boolean }>>;
  refund(
    actor: MerchantActor,
    input: { paymentId: string; amount?: MoneyInput | null; reason: string; idempotencyKey: string },
  ): Promise<Outcome<{ refund: RefundRecord; payment: MerchantPaymentRecord; replayed: boolean }>>;
  get(paymentId: string): Promise<MerchantPaymentRecord | null>;
  list(merchantId: string, page: PageRequest, filter?: PaymentFilter): Promise<Page<MerchantPaymentRecord>>;
  /** One refund (with its merchant, for the caller to authorise); null if there is none. */
  getRefund(refundId: string): Promise<RefundRecord | null>;
  refundsOf(paymentId: string): Promise<RefundRecord[]>;
  /** Per currency, what one UTC day (YYYY-MM-DD) brought the merchant. */
  settlement(merchantId: string, day: string): Promise<SettlementLine[]>;
}

export function createMerchantPaymentService(deps: {
  prisma: PrismaClient;
  ledger: Ledger;
  merchants: MerchantService;
  requests: PaymentRequestService;
  currencies: Currencies;
  risk: RiskEngine;
  fee: FeeRule;
  /** Merchant webhook events for a payment or refund, written in its transaction. */
  webhooks: Pick<MerchantWebhookService, 'paid' | 'refunded' | 'wake'>;
  log: Logger;
}): MerchantPaymentService {
  return {
    pay: payPaymentRequest(deps),
    refund: refundPayment(deps),
    ...merchantPaymentQueries(deps),
  };
}
