// What a user owes: when a deposit is taken back (a chargeback, a bank return) after its money was
// spent, the shortfall is advanced from the RECOVERY system wallet so the wallet never goes
// negative, and recorded in user_debts (fundingPostings.ts). Later deposits repay it first, as
// their own transactions (wallet → RECOVERY). These are the reads behind Wallet.amountOwed and
// Wallet.debts; nothing here writes.
import type { PrismaClient } from '../../generated/prisma/client.js';

export interface WalletDebt {
  id: string;
  walletId: string;
  currency: string;
  /** Advanced, in minor units. */
  amount: bigint;
  /** Still owed, in minor units. */
  outstanding: bigint;
  reason: string;
  createdAt: Date;
  /** The advance (RECOVERY → wallet). */
  advanceId: string;
  /** The repayments (wallet → RECOVERY), oldest first. */
  repaymentIds: string[];
}

export interface DebtService {
  /** Per wallet id, what its owner owes in its currency (0 when nothing; missing wallets too). */
  amountOwed(walletIds: readonly string[]): Promise<bigint[]>;
  /** A wallet's debts, newest first (at most `limit`), repaid ones included. */
  ofWallet(walletId: string, limit: number): Promise<WalletDebt[]>;
}

export function createDebtService(deps: { prisma: PrismaClient }): DebtService {
  const { prisma } = deps;
  return {
    async amountOwed(walletIds) {
      if (!walletIds.length) return [];
      const rows = await prisma.$queryRaw<{ id: string; owed: bigint }[]>`
        SELECT w.id::text, coalesce(sum(d.outstanding), 0)::bigint AS owed
        FROM wallets w JOIN user_debts d ON d.user_id = w.user_id AND d.currency = w.currency AND d.outstanding > 0
        WHERE w.id = ANY (${walletIds as string[]}::uuid[])
        GROUP BY w.id`;
      const owed = new Map(rows.map((r) => [r.id, r.owed]));
      return walletIds.map((id) => owed.get(id) ?? 0n);
    },

    async ofWallet(walletId, limit) {
      // A repayment's idempotency key names its debt (funding:<deposit>:repay:<debt>).
      const rows = await prisma.$queryRaw<
        {
          id: string;
          currency: string;
          amount: bigint;
          outstanding: bigint;
          reason: string;
          created_at: Date;
          advance_id: string;
          repayment_ids: string[];
        }[]
      >`
        SELECT d.id::text, d.currency, d.amount, d.outstanding, d.reason, d.created_at, d.transaction_id::text AS advance_id,
               coalesce((SELECT array_agg(t.id::text ORDER BY t.created_at, t.id) FROM ledger_transactions t
                          WHERE t.from_wallet_id = w.id AND t.type = 'ADJUSTMENT'
                            AND t.idempotency_key LIKE 'funding:%:repay:' || d.id::text), '{}') AS repayment_ids
        FROM wallets w JOIN user_debts d ON d.user_id = w.user_id AND d.currency = w.currency
        WHERE w.id = ${walletId}::uuid
        ORDER BY d.created_at DESC, d.id DESC
        LIMIT ${limit}`;
      return rows.map((r) => ({
        id: r.id,
        walletId,
        currency: r.currency,
        amount: r.amount,
        outstanding: r.outstanding,
        reason: r.reason,
        createdAt: r.created_at,
        advanceId: r.advance_id,
        repaymentIds: r.repayment_ids,
      }));
    },
  };
}
