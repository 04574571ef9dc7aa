// Spending insights: a month of a wallet's money from `insights(walletId, month)`, in plain tables
// (no chart): money in, out and net; each category against the month before and the average of the
// three before; the top counterparties; the largest transactions. Months are the holder's time zone.
import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { useSearch } from 'wouter';
import { graphql } from '../../gql';
import type { SpendingCategory } from '../../gql/graphql';
import { TransactionRow } from '../activity';
import { FormProblems, SelectField, TextField } from '../forms';
import { formatMoney, type MoneyValue } from '../money';
import { currentMonth, monthName } from '../months';
import { describeUserError } from '../userErrors';

const InsightWallets = graphql(`query InsightWallets { me { id timeZone wallets { id currency } } }`);

const InsightsQuery = graphql(`
  query InsightsView($walletId: ID!, $month: String!) {
    insights(walletId: $walletId, month: $month) {
      insights {
        month
        complete
        timeZone
        moneyIn { amount currency }
        moneyOut { amount currency }
        net { amount currency }
        previousMonth { month moneyIn { amount currency } moneyOut { amount currency } }
        threeMonthAverage { moneyIn { amount currency } moneyOut { amount currency } }
        categories { category transactions moneyIn { amount } moneyOut { amount } previousMonthOut { amount } threeMonthAverageOut { amount } }
        topCounterparties { displayName category transactions moneyIn { amount } moneyOut { amount } }
        largestTransactions {
          id amount { amount currency } direction status type note createdAt counterparty { displayName }
        }
      }
      userErrors { field code message }
    }
  }
`);

export const CATEGORY_WORDS: Record<SpendingCategory, string> = {
  ADJUSTMENTS: 'Adjustments',
  CARDS_AND_BANKS: 'Cards and banks',
  DINING: 'Dining',
  EDUCATION: 'Education',
  ENTERTAINMENT: 'Entertainment',
  FEES: 'Fees',
  FINANCIAL: 'Financial',
  GOVERNMENT: 'Government',
  GROCERIES: 'Groceries',
  HEALTH: 'Health',
  OTHER: 'Other',
  P2P: 'People',
  SERVICES: 'Services',
  SHOPPING: 'Shopping',
  TRANSPORT: 'Transport',
  TRAVEL: 'Travel',
  UTILITIES: 'Utilities',
};

/** "+$4.00 more" / "$4.00 less" / "same": `now` against `before`, both decimal strings of one currency. */
function change(now: MoneyValue, before: MoneyValue): string {
  const decimals = (now.amount.split('.')[1] ?? '').length;
  const minor = (m: MoneyValue) => BigInt(m.amount.replace('.', '').replace(/^(-?)0+(?=\d)/, '$1'));
  const difference = minor(now) - minor(before);
  if (difference === 0n) return 'same';
  const abs = difference < 0n ? -difference : difference;
  const text = abs.toString().padStart(decimals + 1, '0');
  const amount = decimals ? `${text.slice(0, -decimals)}.${text.slice(-decimals)}` : text;
  return `${formatMoney({ amount, currency: now.currency })} ${difference > 0n ? 'more' : 'less'}`;
}

/** "$4.00 more than" / "the same as", before a month's name. */
const against = (difference: string) => (difference === 'same' ? 'the same as' : `${difference} than`);

function InsightsView({ walletId, month }: { walletId: string; month: string }) {
  const { data, error } = useQuery(InsightsQuery, { variables: { walletId, month }, fetchPolicy: 'cache-and-network' });
  if (error) return <p role="alert">The insights could not be loaded. Reload the page to try again.</p>;
  if (!data) return <p role="status">Loading insights…</p>;
  const { insights, userErrors } = data.insights;
  if (!insights) return <FormProblems messages={userErrors.map(describeUserError)} />;
  // Categories' and counterparties' amounts come without their currency (the query stays under the server's cost limit).
  const inWallet = (money: { amount: string }): MoneyValue => ({ amount: money.amount, currency: insights.moneyIn.currency });
  return (
    <>
      <section className="card" aria-labelledby="insights-title">
        <h2 id="insights-title">{monthName(insights.month)}</h2>
        {!insights.complete && <p className="muted">This month is not over yet: the figures are so far.</p>}
        <dl className="statement-totals">
          <div>
            <dt>Money in</dt>
            <dd data-testid="insights-in">{formatMoney(insights.moneyIn)}</dd>
          </div>
          <div>
            <dt>Money out (with fees)</dt>
            <dd data-testid="insights-out">{formatMoney(insights.moneyOut)}</dd>
          </div>
          <div>
            <dt>Net</dt>
            <dd data-testid="insights-net">
              <strong>{formatMoney(insights.net)}</strong>
            </dd>
          </div>
        </dl>
        <p className="muted">
          Money out {against(change(insights.moneyOut, insights.previousMonth.moneyOut))}{' '}
          {monthName(insights.previousMonth.month ?? insights.month)}; average of the three months before:{' '}
          {formatMoney(insights.threeMonthAverage.moneyOut)} out, {formatMoney(insights.threeMonthAverage.moneyIn)} in.
        </p>
      </section>
      <section className="card" aria-labelledby="categories-title">
        <h2 id="categories-title">By category</h2>
        {insights.categories.length ? (
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls sideways must be reachable by keyboard.
          <section className="table-scroll" aria-label="Categories" tabIndex={0}>
            <table className="statement-lines">
              <thead>
                <tr>
                  <th scope="col">Category</th>
                  <th scope="col">Out</th>
                  <th scope="col">In</th>
                  <th scope="col">Against last month</th>
                  <th scope="col">3-month average out</th>
                </tr>
              </thead>
              <tbody>
                {insights.categories.map((c) => (
                  <tr key={c.category}>
                    <th scope="row">
                      {CATEGORY_WORDS[c.category]}
                      <span className="muted">
                        {' '}
                        · {c.transactions} transaction{c.transactions === 1 ? '' : 's'}
                      </span>
                    </th>
                    <td className="number">{formatMoney(inWallet(c.moneyOut))}</td>
                    <td className="number">{formatMoney(inWallet(c.moneyIn))}</td>
                    <td>{change(inWallet(c.moneyOut), inWallet(c.previousMonthOut))}</td>
                    <td className="number">{formatMoney(inWallet(c.threeMonthAverageOut))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ) : (
          <p className="muted">No money moved this month.</p>
        )}
      </section>
      <section className="card" aria-labelledby="counterparties-title">
        <h2 id="counterparties-title">Top counterparties</h2>
        {insights.topCounterparties.length ? (
          <ol className="counterparties">
            {insights.topCounterparties.map((c) => (
              <li key={`${c.displayName}:${c.category}`}>
                <strong>{c.displayName}</strong> <span className="muted">({CATEGORY_WORDS[c.category]})</span>:{' '}
                {formatMoney(inWallet(c.moneyOut))} out, {formatMoney(inWallet(c.moneyIn))} in, {c.transactions} transaction
                {c.transactions === 1 ? '' : 's'}
              </li>
            ))}
          </ol>
        ) : (
          <p className="muted">Nobody yet this month.</p>
        )}
      </section>
      <section className="card" aria-labelledby="largest-title">
        <h2 id="largest-title">Largest transactions</h2>
        {insights.largestTransactions.length ? (
          <ul className="transactions" aria-label="Largest transactions">
            {insights.largestTransactions.map((t) => (
              <TransactionRow key={t.id} transaction={t} />
            ))}
          </ul>
        ) : (
          <p className="muted">None yet this month.</p>
        )}
      </section>
    </>
  );
}

export default function Insights() {
  const search = new URLSearchParams(useSearch());
  const wallets = useQuery(InsightWallets);
  const [walletId, setWalletId] = useState(search.get('wallet') ?? '');
  const [month, setMonth] = useState('');
  if (wallets.error) return <p role="alert">Your wallets could not be loaded. Reload the page to try again.</p>;
  if (!wallets.data) return <p role="status">Loading…</p>;
  const { me } = wallets.data;
  const wallet = me.wallets.find((w) => w.id === walletId) ?? me.wallets[0];
  const thisMonth = currentMonth(me.timeZone);
  const shown = /^\d{4}-\d{2}$/.test(month) ? month : thisMonth;
  return (
    <>
      <h1>Spending insights</h1>
      <section className="card">
        <div className="filters">
          {me.wallets.length > 1 && (
            <SelectField label="Wallet" value={wallet?.id} onChange={(e) => setWalletId(e.target.value)}>
              {me.wallets.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.currency}
                </option>
              ))}
            </SelectField>
          )}
          <TextField
            label="Month"
            type="month"
            max={thisMonth}
            placeholder="YYYY-MM"
            value={month || thisMonth}
            onChange={(e) => setMonth(e.target.value)}
          />
        </div>
      </section>
      {wallet ? <InsightsView key={`${wallet.id}:${shown}`} walletId={wallet.id} month={shown} /> : <p>You have no wallet yet.</p>}
    </>
  );
}
