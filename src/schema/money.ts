// Money on the API: amounts as exact decimal strings with their currency.
import { formatAmount, type Money } from '../services/money/money.js';
import { builder } from './builder.js';

export const MoneyRef = builder.objectRef<Money>('Money').implement({
  description: "An amount of money. `amount` is exact, with the currency's number of decimals.",
  fields: (t) => ({
    amount: t.field({ type: 'Decimal', resolve: (m) => formatAmount(m.amount, m.currency) }),
    currency: t.field({ type: 'CurrencyCode', resolve: (m) => m.currency }),
  }),
});

export const MoneyInput = builder.inputType('MoneyInput', {
  description: 'An amount as a decimal string ("12.50") and its ISO 4217 currency.',
  fields: (t) => ({
    amount: t.field({ type: 'Decimal', required: true }),
    currency: t.field({ type: 'CurrencyCode', required: true }),
  }),
});
