// Paying a payment request. A payment is one database transaction: the request is locked (so a
// single-use request is paid once, however many payers race), the payment (payer to merchant,
// with the payer's limits and the risk rules, like sendMoney) and the merchant's fee (merchant to
// FEES) are posted by the one posting function, and the payment, the request's new state, their
// events and the merchant's members' PAYMENT_REQUEST_PAID notifications are written with them.
import { createHash } from 'node:crypto';
import type { Logger } from '../../logger.js';
import { failure, refusable, refuse, success, type Outcome } from '../errors.js';
import { viewOfPosted, type TransactionView } from '../history/history.js';
import type { Ledger, TransferRequest, TransferResult } from '../ledger/ledger.js';
import type { Currencies } from '../money/currencies.js';
import { feeFor, type FeeRule } from '../money/fees.js';
import type { RiskEngine } from '../risk/riskEngine.js';
import type { RequestOrigin } from '../transfers/transfers.js';
import { idempotencyKeyProblem, parsePositiveAmount, requestHash, type MoneyInput } from '../transfers/transferInput.js';
import type { MerchantWebhookService } from './merchantWebhooks.js';
import { paymentInclude, toPaymentRecord, type MerchantPaymentRecord } from './model.js';
import { postOrRefuse } from './paymentPosting.js';
import { paidEvent, type PaymentRequestService } from './paymentRequests.js';

/** An internal key beside the payer's own: spaces cannot occur in a client's key, so the two never collide. */
const feeKey = (key: string) => `fee ${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;

export interface PayDeps {
  ledger: Ledger;
  requests: Pick<PaymentRequestService, 'byCode'>;
  currencies: Currencies;
  risk: RiskEngine;
  fee: FeeRule;
  webhooks: Pick<MerchantWebhookService, 'paid' | 'wake'>;
  log: Logger;
}

export function payPaymentRequest(deps: PayDeps) {
  const { log } = deps;
  return async function pay(
    payerId: string,
    input: { code: string; idempotencyKey: string; amount?: MoneyInput | null },
    origin: RequestOrigin = {},
  ): Promise<Outcome<{ payment: MerchantPaymentRecord; transfer: TransactionView; replayed: boolean }>> {
    const keyProblem = idempotencyKeyProblem(input.idempotencyKey);
    if (keyProblem) return { ok: false, errors: [keyProblem] };
    const request = await deps.requests.byCode(input.code);
    if (!request) return failure('NOT_FOUND', 'No payment request has that code.', 'code');
    let amount = request.amount;
    if (input.amount) {
      const parsed = parsePositiveAmount(input.amount, deps.currencies);
      if (!parsed.ok) return { ok: false, errors: [parsed.error] };
      if (parsed.currency !== request.currency)
        return failure('CURRENCY_MISMATCH', `This request is paid in ${request.currency}.`, 'amount.currency');
      if (amount !== null && parsed.amount !== amount)
        return failure('INVALID_AMOUNT', 'This request is for a fixed amount: leave amount out, or send exactly that.', 'amount.amount');
      amount = parsed.amount;
    }
    if (amount === null) return failure('INVALID_AMOUNT', 'This request has no amount: say how much you pay.', 'amount');

    const merchant = { merchantId: request.merchantId };
    const hash = requestHash(['payPaymentRequest', request.code, amount]);
    const payer = {
      userId: payerId,
      key: input.idempotencyKey,
      currency: request.currency,
      amount,
      to: merchant,
      deviceId: origin.deviceId ?? null,
    };
    return deps.risk.assessAndPost(payer, async (assessment) => {
      // A checkout cannot wait for a reviewer: what a send would hold for review is declined here.
      const risk = assessment?.decision === 'REVIEW' ? { ...assessment, decision: 'BLOCK' as const } : assessment;
      // Never more than the payment (a tiny payment with a fixed fee part).
      const ruleFee = feeFor(amount, deps.fee);
      const fee = ruleFee < amount ? ruleFee : amount;
      const requests: TransferRequest[] = [
        {
          userId: payerId,
          key: input.idempotencyKey,
          operation: 'payPaymentRequest',
          hash,
          type: 'PAYMENT',
          currency: request.currency,
          amount,
          from: { userId: payerId },
          to: merchant,
          note: request.description ?? request.merchantName,
          metadata: { paymentRequestId: request.id, code: request.code },
          initiatedBy: payerId,
          limits: true,
          risk,
        },
      ];
      if (fee > 0n) {
        requests.push({
          userId: payerId,
          key: feeKey(input.idempotencyKey),
          operation: 'payPaymentRequest.fee',
          hash,
          type: 'FEE',
          currency: request.currency,
          amount: fee,
          from: merchant,
          to: { system: 'FEES' },
          note: 'Merchant fee',
          metadata: { paymentRequestId: request.id },
          initiatedBy: payerId,
        });
      }

      return refusable(async () => {
        const done = await deps.ledger.transaction(async (ledger, tx) => {
          const [locked] = await tx.$queryRaw<{ status: string; expired: boolean }[]>`
              SELECT status::text, (expires_at IS NOT NULL AND expires_at <= now()) AS expired FROM payment_requests WHERE id = ${request.id}::uuid FOR UPDATE`;
          if (!(await ledger.answered(payerId, input.idempotencyKey))) {
            if (locked!.status === 'OPEN' && locked!.expired)
              refuse('PAYMENT_REQUEST_EXPIRED', 'This payment request has expired. Ask the merchant for a new one.', 'code');
            if (locked!.status !== 'OPEN')
              refuse('PAYMENT_REQUEST_CLOSED', `This payment request is ${locked!.status.toLowerCase()} and cannot be paid.`, 'code');
          }
          const results = await postOrRefuse(ledger, requests, 'payPaymentRequest');
          const paid = results[0] as Extract<TransferResult, { ok: true }>;
          if (paid.replayed) {
            const existing = await tx.merchantPayment.findUniqueOrThrow({
              where: { transactionId: paid.transfer.transactionId },
              include: paymentInclude,
            });
            return { payment: toPaymentRecord(existing), paid, replayed: true };
          }
          const feeResult = results[1];
          if (feeResult && !feeResult.ok) throw new Error(`the merchant fee was refused: ${feeResult.code}`);
          const row = await tx.merchantPayment.create({
            data: {
              merchantId: request.merchantId,
              requestId: request.id,
              payerId,
              transactionId: paid.transfer.transactionId,
              feeTransactionId: feeResult?.ok ? feeResult.transfer.transactionId : null,
              currency: request.currency,
              amount,
              fee,
            },
            include: paymentInclude,
          });
          const updated = await tx.paymentRequest.update({
            where: { id: request.id },
            data: { paidCount: { increment: 1 }, ...(request.singleUse ? { status: 'PAID' } : {}), updatedAt: new Date() },
          });
          const payment = toPaymentRecord(row);
          // One row for the request's checkout screens and the merchant's feed (MERCHANT_PAID), written
          // by the statement that tells the merchant's members they were paid.
          const notice = {
            membersOf: request.merchantId,
            kind: 'PAYMENT_REQUEST_PAID' as const,
            data: {
              merchantId: request.merchantId,
              requestId: request.id,
              paymentId: payment.id,
              amount: amount.toString(),
              currency: request.currency,
              counterparty: request.merchantName,
              note: request.description ?? null,
            },
          };
          await ledger.notify([notice], [paidEvent(updated, payment)]);
          await deps.webhooks.paid(tx, payment);
          return { payment, paid, replayed: false };
        });
        if (!done.replayed) {
          deps.webhooks.wake();
          log.info({ paymentId: done.payment.id, merchantId: request.merchantId }, 'payment request paid');
        }
        return success({ payment: done.payment, transfer: viewOfPosted(done.paid.transfer, 'from'), replayed: done.replayed });
      });
    });
  };
}
