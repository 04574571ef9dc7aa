// Refunding a merchant payment. A refund is a new REFUND transaction (merchant to payer) linked to
// the payment, under a lock on the payment, so partial refunds never add up to more than was paid
// (the database checks that too).
import type { PrismaClient } from '../../db/database.js';
import type { Logger } from '../../logger.js';
import { failure, reasonProblem, refusable, refuse, success, type Outcome } from '../errors.js';
import { isUuid } from '../ids.js';
import type { Ledger, TransferRequest, TransferResult } from '../ledger/ledger.js';
import type { Currencies } from '../money/currencies.js';
import { formatAmount } from '../money/money.js';
import { idempotencyKeyProblem, parsePositiveAmount, requestHash, type MoneyInput } from '../transfers/transferInput.js';
import type { MerchantWebhookService } from './merchantWebhooks.js';
import { actingUser, type MerchantActor, type MerchantService } from './merchants.js';
import { paymentInclude, refundInclude, toPaymentRecord, toRefundRecord, type MerchantPaymentRecord, type RefundRecord } from './model.js';
import { postOrRefuse } from './paymentPosting.js';

export interface RefundDeps {
  prisma: PrismaClient;
  ledger: Ledger;
  merchants: Pick<MerchantService, 'forActor'>;
  currencies: Currencies;
  webhooks: Pick<MerchantWebhookService, 'refunded' | 'wake'>;
  log: Logger;
}

export function refundPayment(deps: RefundDeps) {
  const { prisma, log } = deps;
  return async function refund(
    actor: MerchantActor,
    input: { paymentId: string; amount?: MoneyInput | null; reason: string; idempotencyKey: string },
  ): Promise<Outcome<{ refund: RefundRecord; payment: MerchantPaymentRecord; replayed: boolean }>> {
    const reason = input.reason.trim();
    const problems = [reasonProblem(reason), idempotencyKeyProblem(input.idempotencyKey)].filter((p) => p !== null);
    if (problems.length) return { ok: false, errors: problems };
    const found = isUuid(input.paymentId)
      ? await prisma.merchantPayment.findUnique({
          where: { id: input.paymentId },
          include: { ...paymentInclude, transaction: { select: { fromWalletId: true } } },
        })
      : null;
    if (!found || !(await deps.merchants.forActor(actor, found.merchantId)))
      return failure('NOT_FOUND', 'No payment of your merchant has that id.', 'paymentId');
    const { userId, key } = actingUser(actor, input.idempotencyKey);
    let amount = found.amount - found.refunded;
    if (input.amount) {
      const parsed = parsePositiveAmount(input.amount, deps.currencies);
      if (!parsed.ok) return { ok: false, errors: [parsed.error] };
      if (parsed.currency !== found.currency)
        return failure('CURRENCY_MISMATCH', `This payment was made in ${found.currency}.`, 'amount.currency');
      amount = parsed.amount;
    }
    const request: TransferRequest = {
      userId,
      key,
      operation: 'refundPayment',
      hash: requestHash(['refundPayment', found.id, amount, reason]),
      type: 'REFUND',
      currency: found.currency,
      amount,
      from: { merchantId: found.merchantId },
      to: { walletId: found.transaction.fromWalletId },
      note: `Refund: ${reason}`.slice(0, 280),
      metadata: {
        paymentId: found.id,
        refundOf: found.transactionId,
        reason,
        ...(actor.kind === 'apiKey' ? { apiKeyId: actor.keyId } : {}),
      },
      initiatedBy: userId,
    };
    return refusable(async () => {
      const done = await deps.ledger.transaction(async (ledger, tx) => {
        const [locked] = await tx.$queryRaw<{ amount: bigint; refunded: bigint }[]>`
            SELECT amount, refunded FROM merchant_payments WHERE id = ${found.id}::uuid FOR UPDATE`;
        if (!(await ledger.answered(userId, key))) {
          const left = locked!.amount - locked!.refunded;
          if (left === 0n) refuse('REFUND_EXCEEDS_PAYMENT', 'This payment is already refunded in full.', 'paymentId');
          if (amount === 0n || amount > left) {
            const major = formatAmount(left, found.currency);
            refuse('REFUND_EXCEEDS_PAYMENT', `At most ${major} ${found.currency} of this payment can still be refunded.`, 'amount');
          }
        }
        const results = await postOrRefuse(ledger, [request], 'refundPayment');
        const refunded = results[0] as Extract<TransferResult, { ok: true }>;
        if (refunded.replayed) {
          const existing = await tx.merchantRefund.findUniqueOrThrow({
            where: { transactionId: refunded.transfer.transactionId },
            include: refundInclude,
          });
          const payment = await tx.merchantPayment.findUniqueOrThrow({ where: { id: found.id }, include: paymentInclude });
          return { refund: toRefundRecord(existing), payment: toPaymentRecord(payment), replayed: true };
        }
        const refund = toRefundRecord(
          await tx.merchantRefund.create({
            data: { paymentId: found.id, transactionId: refunded.transfer.transactionId, amount, reason, createdBy: userId },
            include: refundInclude,
          }),
        );
        const payment = toPaymentRecord(
          await tx.merchantPayment.update({
            where: { id: found.id },
            data: { refunded: { increment: amount }, updatedAt: new Date() },
            include: paymentInclude,
          }),
        );
        await deps.webhooks.refunded(tx, refund, payment);
        return { refund, payment, replayed: false };
      });
      if (!done.replayed) {
        deps.webhooks.wake();
        log.info({ paymentId: found.id, refundId: done.refund.id }, 'payment refunded');
      }
      return success({ refund: done.refund, payment: done.payment, replayed: done.replayed });
    });
  };
}
