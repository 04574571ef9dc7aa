// What funding posts to the ledger once a processor has answered: a deposit (with its fee and any
// debt repaid from it), a payout settled from its hold, and the linked reversals of either. Each
// runs inside the transaction that records the processor's event (processorEvents.ts).
import type { Prisma } from '../../generated/prisma/client.js';
import { postThrough, type SystemWallet, type TransferRequest } from '../ledger/postTransfers.js';
import { endHold } from '../ledger/holds.js';
import type { FundingRecord, Provider } from './fundingModel.js';

const SETTLEMENT: Record<Provider, SystemWallet> = { card: 'SETTLEMENT_CARD', bank: 'SETTLEMENT_BANK' };

export function createFundingPostings(deps: { idempotencyTtlHours: number }) {
  /** Posts through the ledger inside `tx`; any refusal rolls the whole step back. */
  async function post(tx: Prisma.TransactionClient, requests: TransferRequest[]) {
    const { results, events } = await postThrough(tx, requests, deps.idempotencyTtlHours);
    const refused = results.find((r) => !r.ok);
    if (refused && !refused.ok) throw new Error(`ledger refused a funding step: ${refused.code} ${refused.message}`);
    return { ids: results.map((r) => (r.ok ? r.transfer.transactionId : '')), events };
  }

  const transfer = (op: FundingRecord, step: string, fields: Pick<TransferRequest, 'type' | 'amount' | 'from' | 'to' | 'note'>): TransferRequest => ({
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
  async function postDeposit(tx: Prisma.TransactionClient, op: FundingRecord) {
    const settlement = { system: SETTLEMENT[op.provider as Provider] };
    const wallet = { walletId: op.walletId };
    const requests = [
      transfer(op, 'post', { type: 'DEPOSIT', amount: op.amount, from: settlement, to: wallet, note: op.provider === 'card' ? 'Card top-up' : 'Bank transfer in' }),
    ];
    if (op.fee > 0n) requests.push(transfer(op, 'fee', { type: 'FEE', amount: op.fee, from: wallet, to: { system: 'FEES' }, note: 'Top-up fee' }));
    // Money owed from an earlier chargeback is repaid first, oldest debt first.
    const debts = await tx.userDebt.findMany({ where: { userId: op.userId, currency: op.currency, outstanding: { gt: 0n } }, orderBy: { createdAt: 'asc' } });
    let left = op.amount - op.fee;
    const repaid: { id: string; amount: bigint }[] = [];
    for (const debt of debts) {
      const amount = debt.outstanding < left ? debt.outstanding : left;
      if (amount <= 0n) break;
      left -= amount;
      repaid.push({ id: debt.id, amount });
      requests.push(transfer(op, `repay:${debt.id}`, { type: 'ADJUSTMENT', amount, from: wallet, to: { system: 'RECOVERY' }, note: 'Repayment of an amount owed' }));
    }
    const { ids, events } = await post(tx, requests);
    for (const r of repaid) {
      await tx.userDebt.update({ where: { id: r.id }, data: { outstanding: { decrement: r.amount }, updatedAt: new Date() } });
    }
    return { transactionId: ids[0]!, events };
  }

  /**
   * Takes the deposit back (chargeback, bank return, failure after success) as a new linked
   * transaction. What the wallet cannot cover is advanced from RECOVERY and recorded as a debt;
   * history is never edited.
   */
  async function reverseDeposit(tx: Prisma.TransactionClient, op: FundingRecord, transactionId: string, reason: string) {
    const [wallet] = await tx.$queryRaw<{ available: bigint }[]>`
      SELECT posted_balance - held_amount AS available FROM wallets WHERE id = ${op.walletId}::uuid FOR UPDATE`;
    const shortfall = op.amount > wallet!.available ? op.amount - wallet!.available : 0n;
    const requests: TransferRequest[] = [];
    if (shortfall > 0n) {
      requests.push(transfer(op, 'advance', { type: 'ADJUSTMENT', amount: shortfall, from: { system: 'RECOVERY' }, to: { walletId: op.walletId }, note: 'Advance to cover a reversal' }));
    }
    requests.push(transfer(op, 'reverse', { type: 'REVERSAL', amount: op.amount, from: { walletId: op.walletId }, to: { system: SETTLEMENT[op.provider as Provider] }, note: reason }));
    const { ids, events } = await post(tx, requests);
    const reversalId = ids.at(-1)!;
    await linkReversal(tx, reversalId, transactionId);
    if (shortfall > 0n) {
      await tx.userDebt.create({
        data: { userId: op.userId, currency: op.currency, amount: shortfall, outstanding: shortfall, reason, fundingOperationId: op.id, transactionId: ids[0]! },
      });
    }
    return { reversalId, events };
  }

  /** The processor paid out: the hold becomes the posted withdrawal (or card refund), in one transaction. */
  async function postWithdrawal(tx: Prisma.TransactionClient, op: FundingRecord) {
    await endHold(tx, { id: op.holdId!, walletId: op.walletId, amount: op.amount }, 'CAPTURED');
    const to = { system: SETTLEMENT[op.provider as Provider] };
    const { ids, events } = await post(tx, [
      op.refundOfId
        ? transfer(op, 'post', { type: 'REFUND', amount: op.amount, from: { walletId: op.walletId }, to, note: 'Refund to card' })
        : transfer(op, 'post', { type: 'WITHDRAWAL', amount: op.amount, from: { walletId: op.walletId }, to, note: 'Withdrawal to bank' }),
    ]);
    await tx.hold.update({ where: { id: op.holdId! }, data: { transactionId: ids[0]! } });
    return { transactionId: ids[0]!, events };
  }

  /** A payout came back (returned, or failed after settling): the money returns, as a linked transaction. */
  async function reverseWithdrawal(tx: Prisma.TransactionClient, op: FundingRecord, transactionId: string, reason: string) {
    const { ids, events } = await post(tx, [
      transfer(op, 'reverse', { type: 'REVERSAL', amount: op.amount, from: { system: SETTLEMENT[op.provider as Provider] }, to: { walletId: op.walletId }, note: reason }),
    ]);
    await linkReversal(tx, ids[0]!, transactionId);
    return { reversalId: ids[0]!, events };
  }

  /** A payout the processor refused: its hold is released and the money is available again. */
  async function releasePayout(tx: Prisma.TransactionClient, op: FundingRecord) {
    await endHold(tx, { id: op.holdId!, walletId: op.walletId, amount: op.amount }, 'RELEASED');
  }

  return { postDeposit, reverseDeposit, postWithdrawal, reverseWithdrawal, releasePayout };
}

/** Links the reversal to the transaction it takes back, and marks that one REVERSED. */
async function linkReversal(tx: Prisma.TransactionClient, reversalId: string, transactionId: string) {
  await tx.$executeRaw`UPDATE ledger_transactions SET reverses_id = ${transactionId}::uuid, updated_at = now() WHERE id = ${reversalId}::uuid`;
  await tx.$executeRaw`UPDATE ledger_transactions SET status = 'REVERSED', updated_at = now() WHERE id = ${transactionId}::uuid`;
}
