// What funding posts to the ledger once a processor has answered: a deposit (with its fee and any
// debt repaid from it), a payout settled from its hold, and the linked reversals of either. Each
// runs inside the ledger transaction that records the processor's event (processorEvents.ts).
import type { Prisma } from '../../generated/prisma/client.js';
import type { LedgerTransaction, SystemWallet, TransferRequest, TransferResult } from '../ledger/ledger.js';
import type { FundingRecord, Provider } from './fundingModel.js';

const SETTLEMENT: Record<Provider, SystemWallet> = { card: 'SETTLEMENT_CARD', bank: 'SETTLEMENT_BANK' };

/** The transactions posted for a funding step; any refusal is thrown and rolls the whole step back. */
function postedIds(results: TransferResult[]): string[] {
  return results.map((r) => {
    if (!r.ok) throw new Error(`ledger refused a funding step: ${r.code} (${r.part ?? 'request'})`);
    return r.transfer.transactionId;
  });
}

/** The payout's hold, as the ledger knows it. */
const holdOf = (op: FundingRecord) => ({ id: op.holdId!, walletId: op.walletId, amount: op.amount });

export function createFundingPostings() {
  const transfer = (
    op: FundingRecord,
    step: string,
    fields: Pick<TransferRequest, 'type' | 'amount' | 'from' | 'to' | 'note'>,
  ): TransferRequest => ({
    userId: op.userId,
    key: `funding:${op.id}:${step}`,
    operation: `funding.${step}`,
    hash: op.id,
    currency: op.currency,
    metadata: { fundingId: op.id },
    initiatedBy: op.userId,
    ...fields,
  });

  /** The deposit's money into the wallet, its fee out, and any debt repaid from it. */
  async function postDeposit(ledger: LedgerTransaction, tx: Prisma.TransactionClient, op: FundingRecord) {
    const settlement = { system: SETTLEMENT[op.provider as Provider] };
    const wallet = { walletId: op.walletId };
    const requests = [
      transfer(op, 'post', {
        type: 'DEPOSIT',
        amount: op.amount,
        from: settlement,
        to: wallet,
        note: op.provider === 'card' ? 'Card top-up' : 'Bank transfer in',
      }),
    ];
    if (op.fee > 0n)
      requests.push(transfer(op, 'fee', { type: 'FEE', amount: op.fee, from: wallet, to: { system: 'FEES' }, note: 'Top-up fee' }));
    // Money owed from an earlier chargeback is repaid first, oldest debt first.
    const debts = await tx.userDebt.findMany({
      where: { userId: op.userId, currency: op.currency, outstanding: { gt: 0n } },
      orderBy: { createdAt: 'asc' },
    });
    let left = op.amount - op.fee;
    const repaid: { id: string; amount: bigint }[] = [];
    for (const debt of debts) {
      const amount = debt.outstanding < left ? debt.outstanding : left;
      if (amount <= 0n) break;
      left -= amount;
      repaid.push({ id: debt.id, amount });
      requests.push(
        transfer(op, `repay:${debt.id}`, {
          type: 'ADJUSTMENT',
          amount,
          from: wallet,
          to: { system: 'RECOVERY' },
          note: 'Repayment of an amount owed',
        }),
      );
    }
    const ids = postedIds(await ledger.post(requests));
    for (const r of repaid) {
      await tx.userDebt.update({ where: { id: r.id }, data: { outstanding: { decrement: r.amount }, updatedAt: new Date() } });
    }
    return ids[0]!;
  }

  /**
   * Takes the deposit back (chargeback, bank return, failure after success) as a new linked
   * transaction. What the wallet cannot cover is advanced from RECOVERY and recorded as a debt;
   * history is never edited.
   */
  async function reverseDeposit(
    ledger: LedgerTransaction,
    tx: Prisma.TransactionClient,
    op: FundingRecord,
    transactionId: string,
    reason: string,
  ) {
    const available = await ledger.lockAvailable(op.walletId);
    const shortfall = op.amount > available ? op.amount - available : 0n;
    const requests: TransferRequest[] = [];
    if (shortfall > 0n) {
      requests.push(
        transfer(op, 'advance', {
          type: 'ADJUSTMENT',
          amount: shortfall,
          from: { system: 'RECOVERY' },
          to: { walletId: op.walletId },
          note: 'Advance to cover a reversal',
        }),
      );
    }
    requests.push(
      transfer(op, 'reverse', {
        type: 'REVERSAL',
        amount: op.amount,
        from: { walletId: op.walletId },
        to: { system: SETTLEMENT[op.provider as Provider] },
        note: reason,
      }),
    );
    const ids = postedIds(await ledger.reverse(transactionId, requests));
    const reversalId = ids.at(-1)!;
    if (shortfall > 0n) {
      await tx.userDebt.create({
        data: {
          userId: op.userId,
          currency: op.currency,
          amount: shortfall,
          outstanding: shortfall,
          reason,
          fundingOperationId: op.id,
          transactionId: ids[0]!,
        },
      });
    }
    return reversalId;
  }

  /** The processor paid out: the hold becomes the posted withdrawal (or card refund), in one transaction. */
  async function postWithdrawal(ledger: LedgerTransaction, op: FundingRecord) {
    const to = { system: SETTLEMENT[op.provider as Provider] };
    const result = await ledger.captureHold(
      holdOf(op),
      op.refundOfId
        ? transfer(op, 'post', { type: 'REFUND', amount: op.amount, from: { walletId: op.walletId }, to, note: 'Refund to card' })
        : transfer(op, 'post', { type: 'WITHDRAWAL', amount: op.amount, from: { walletId: op.walletId }, to, note: 'Withdrawal to bank' }),
    );
    return postedIds([result])[0]!;
  }

  /** A payout came back (returned, or failed after settling): the money returns, as a linked transaction. */
  async function reverseWithdrawal(ledger: LedgerTransaction, op: FundingRecord, transactionId: string, reason: string) {
    const results = await ledger.reverse(transactionId, [
      transfer(op, 'reverse', {
        type: 'REVERSAL',
        amount: op.amount,
        from: { system: SETTLEMENT[op.provider as Provider] },
        to: { walletId: op.walletId },
        note: reason,
      }),
    ]);
    return postedIds(results)[0]!;
  }

  /** A payout the processor refused: its hold is released and the money is available again. */
  const releasePayout = (ledger: LedgerTransaction, op: FundingRecord) => ledger.releaseHold(holdOf(op));

  return { postDeposit, reverseDeposit, postWithdrawal, reverseWithdrawal, releasePayout };
}
