// Wallet.amountOwed and Wallet.debts: what the wallet's owner owes after a reversal of spent money,
// and the transactions that advanced and repaid it (src/services/funding/debts.ts).
import { builder } from '../schema/builder.js';
import { WalletDebtRef } from '../schema/debts.js';
import { MoneyRef } from '../schema/money.js';
import { TransactionRef, WalletRef } from '../schema/wallet.js';
import type { TransactionView } from '../services/history/history.js';

/** How many debts Wallet.debts lists (newest first); in practice a wallet has one or none. */
const MAX_DEBTS = 50;

builder.objectFields(WalletRef, (t) => ({
  amountOwed: t.field({
    type: MoneyRef,
    description:
      "What the wallet's owner owes in its currency: money advanced when a deposit was taken back after it was spent, " +
      'not yet repaid (0 when nothing is owed). Repaid from the next deposits first; see debts.',
    resolve: async (w, _args, ctx) => ({ amount: await ctx.loaders.amountOwed.load(w.id), currency: w.currency }),
  }),
  debts: t.field({
    type: [WalletDebtRef],
    description: `Every amount advanced to this wallet, newest first (at most ${MAX_DEBTS}), with what is left of it.`,
    resolve: (w, _args, ctx) => ctx.services.debts.ofWallet(w.id, MAX_DEBTS),
  }),
}));

builder.objectFields(WalletDebtRef, (t) => ({
  advance: t.field({
    type: TransactionRef,
    description: 'The advance into the wallet (an ADJUSTMENT).',
    resolve: async (d, _args, ctx) => (await ctx.services.history.view(d.walletId, d.advanceId, ctx.viewer!.userId))!,
  }),
  repayments: t.field({
    type: [TransactionRef],
    description: 'The repayments out of the wallet (ADJUSTMENTs), oldest first.',
    resolve: async (d, _args, ctx) => {
      const views = await Promise.all(d.repaymentIds.map((id) => ctx.services.history.view(d.walletId, id, ctx.viewer!.userId)));
      return views.filter((v): v is TransactionView => v !== null);
    },
  }),
}));
