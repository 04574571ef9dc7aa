// What a user owes on a wallet: an amount advanced to cover a reversal of money already spent,
// and how it is being repaid (docs/payments.md). Fields that load transactions: src/resolvers/debts.ts.
import type { WalletDebt } from '../services/funding/debts.js';
import { builder } from './builder.js';
import { MoneyRef } from './money.js';

export const WalletDebtRef = builder.objectRef<WalletDebt>('WalletDebt');

WalletDebtRef.implement({
  description:
    'An amount advanced to this wallet when a deposit was taken back (a chargeback or a bank return) after its money was spent. ' +
    'Your next deposits repay it first, oldest first.',
  fields: (t) => ({
    amount: t.field({ type: MoneyRef, description: 'What was advanced.', resolve: (d) => ({ amount: d.amount, currency: d.currency }) }),
    outstanding: t.field({
      type: MoneyRef,
      description: 'What is still owed (0 once repaid).',
      resolve: (d) => ({ amount: d.outstanding, currency: d.currency }),
    }),
    reason: t.exposeString('reason', { description: 'Why the deposit was taken back.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});
