// Statements: a wallet's money over a calendar month or a range of days, from `statement(walletId,
// period)`: opening balance, money in, out and fees, closing balance and every posted line (30 at a
// time). CSV and PDF downloads are links the server signs for a few minutes only, so the link is
// asked for when the person clicks "Get CSV" and then offered as a plain link. Below, the monthly statements
// the server made after each month ended (`statements(walletId)`), each opening that month here.
// Months and days are the holder's time zone (User.timeZone; docs/statements.md).
import { useApolloClient, useQuery } from '@apollo/client/react';
import { type FormEvent, useState } from 'react';
import { useSearch } from 'wouter';
import { graphql } from '../../gql';
import type { StatementFormat, StatementPeriodInput } from '../../gql/graphql';
import { FormProblems, NETWORK_PROBLEM, SelectField, TextField } from '../forms';
import { formatMoney } from '../money';
import { currentMonth, monthName } from '../months';
import { describeUserError } from '../userErrors';

const StatementWallets = graphql(`query StatementWallets { me { id timeZone wallets { id currency } } }`);

const StatementQuery = graphql(`
  query StatementView($walletId: ID!, $period: StatementPeriodInput!) {
    statement(walletId: $walletId, period: $period) {
      statement {
        period { month from to timeZone }
        openingBalance { amount currency }
        closingBalance { amount currency }
        totalIn { amount currency }
        totalOut { amount currency }
        totalFees { amount currency }
        lineCount
      }
      userErrors { field code message }
    }
  }
`);

// The lines on their own, with as few fields as they need: with the totals in one query, or with their type
// and sequence, they go over the server's cost limit (MAX_QUERY_COST, 5000).
const StatementLinesQuery = graphql(`
  query StatementLines($walletId: ID!, $period: StatementPeriodInput!, $after: String) {
    statement(walletId: $walletId, period: $period) {
      statement {
        lines(first: 30, after: $after) {
          edges { node { date counterparty note amount { amount } balanceAfter { amount } } }
          pageInfo { hasNextPage endCursor }
        }
      }
    }
  }
`);

const StatementDownloadQuery = graphql(`
  query StatementDownload($walletId: ID!, $period: StatementPeriodInput!, $format: StatementFormat!) {
    statement(walletId: $walletId, period: $period) {
      statement { downloadUrl(format: $format) { url expiresAt } }
      userErrors { code message }
    }
  }
`);

const MonthlyStatements = graphql(`
  query MonthlyStatements($walletId: ID!) {
    statements(walletId: $walletId, first: 24) {
      edges { node { id month statement { closingBalance { amount currency } lineCount } } }
    }
  }
`);

const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function periodWords(period: { month?: string | null; from: string; to: string }): string {
  return period.month ? monthName(period.month) : `${period.from} to ${period.to}`;
}

function Download({ walletId, period, format }: { walletId: string; period: StatementPeriodInput; format: StatementFormat }) {
  const client = useApolloClient();
  const [busy, setBusy] = useState(false);
  const [link, setLink] = useState<string | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  // The link works for a few minutes only: it is asked for on the click, then offered as a plain link.
  const prepare = async () => {
    setBusy(true);
    setProblems([]);
    setLink(null);
    try {
      const { data } = await client.query({
        query: StatementDownloadQuery,
        variables: { walletId, period, format },
        fetchPolicy: 'no-cache',
      });
      const answer = data!.statement;
      const url = answer.statement?.downloadUrl.url;
      if (!url) return setProblems(answer.userErrors.map(describeUserError));
      setLink(url);
    } catch {
      setProblems([NETWORK_PROBLEM]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="download">
      <button type="button" onClick={() => void prepare()} disabled={busy}>
        {busy ? 'Preparing…' : `Get ${format}`}
      </button>
      {link && (
        <>
          <a href={link} download className="button primary" data-testid={`download-${format}`}>
            Download {format}
          </a>
          <span className="muted">(the link works for a few minutes)</span>
        </>
      )}
      <FormProblems messages={problems} />
    </span>
  );
}

function StatementView({ walletId, period }: { walletId: string; period: StatementPeriodInput }) {
  const { data, error } = useQuery(StatementQuery, { variables: { walletId, period }, fetchPolicy: 'cache-and-network' });
  if (error) return <p role="alert">The statement could not be loaded. Reload the page to try again.</p>;
  if (!data) return <p role="status">Loading the statement…</p>;
  const { statement, userErrors } = data.statement;
  if (!statement) return <FormProblems messages={userErrors.map(describeUserError)} />;
  return (
    <section className="card" aria-labelledby="statement-title">
      <h2 id="statement-title">Statement for {periodWords(statement.period)}</h2>
      <p className="muted">Days in {statement.period.timeZone}.</p>
      <dl className="statement-totals">
        <div>
          <dt>Opening balance</dt>
          <dd data-testid="opening-balance">{formatMoney(statement.openingBalance)}</dd>
        </div>
        <div>
          <dt>Money in</dt>
          <dd data-testid="total-in">{formatMoney(statement.totalIn)}</dd>
        </div>
        <div>
          <dt>Money out</dt>
          <dd data-testid="total-out">{formatMoney(statement.totalOut)}</dd>
        </div>
        <div>
          <dt>Fees</dt>
          <dd data-testid="total-fees">{formatMoney(statement.totalFees)}</dd>
        </div>
        <div>
          <dt>Closing balance</dt>
          <dd data-testid="closing-balance">
            <strong>{formatMoney(statement.closingBalance)}</strong>
          </dd>
        </div>
      </dl>
      <p className="card-actions">
        <Download walletId={walletId} period={period} format="CSV" />
        <Download walletId={walletId} period={period} format="PDF" />
      </p>
      <h3>
        {statement.lineCount} transaction{statement.lineCount === 1 ? '' : 's'}
      </h3>
      {statement.lineCount > 0 && <StatementLines walletId={walletId} period={period} currency={statement.closingBalance.currency} />}
    </section>
  );
}

function StatementLines({ walletId, period, currency }: { walletId: string; period: StatementPeriodInput; currency: string }) {
  const { data, error, loading, fetchMore } = useQuery(StatementLinesQuery, {
    variables: { walletId, period },
    // A period that includes today gains lines: read again on every visit.
    fetchPolicy: 'cache-and-network',
    notifyOnNetworkStatusChange: true,
  });
  if (error) return <p role="alert">The lines could not be loaded. Reload the page to try again.</p>;
  const lines = data?.statement.statement?.lines;
  if (!lines) return <p role="status">Loading the lines…</p>;
  // The lines' amounts come without their currency (the query stays under the cost limit): the wallet's.
  const more = lines.pageInfo.hasNextPage ? lines.pageInfo.endCursor : null;
  return (
    <>
      {lines.edges.length > 0 && (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls sideways must be reachable by keyboard.
        <section className="table-scroll" aria-label="Statement lines" tabIndex={0}>
          <table className="statement-lines">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">What</th>
                <th scope="col">Amount</th>
                <th scope="col">Balance</th>
              </tr>
            </thead>
            <tbody>
              {lines.edges.map(({ node }, index) => (
                // Lines only ever append: their place is their key.
                // biome-ignore lint/suspicious/noArrayIndexKey: see above.
                <tr key={index}>
                  <td>
                    <time dateTime={node.date}>{dayFormat.format(new Date(node.date))}</time>
                  </td>
                  <td>
                    {node.counterparty}
                    {node.note && <span className="muted"> · {node.note}</span>}
                  </td>
                  <td className="number">{formatMoney({ amount: node.amount.amount, currency })}</td>
                  <td className="number">{formatMoney({ amount: node.balanceAfter.amount, currency })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {more && (
        <p>
          <button type="button" disabled={loading} onClick={() => void fetchMore({ variables: { after: more } })}>
            {loading ? 'Loading…' : 'More lines'}
          </button>
        </p>
      )}
    </>
  );
}

function MonthlyList({ walletId, onPick }: { walletId: string; onPick: (month: string) => void }) {
  const { data, error } = useQuery(MonthlyStatements, { variables: { walletId } });
  if (error) return <p role="alert">Your monthly statements could not be loaded.</p>;
  if (!data) return <p role="status">Loading…</p>;
  const edges = data.statements.edges;
  if (!edges.length) return <p className="muted">No monthly statements yet: one is made after each month ends.</p>;
  return (
    <ul className="monthly-statements">
      {edges.map(({ node }) => (
        <li key={node.id}>
          <button type="button" className="link-button" onClick={() => onPick(node.month)}>
            {monthName(node.month)}
          </button>{' '}
          <span className="muted">
            closing {formatMoney(node.statement.closingBalance)} · {node.statement.lineCount} transactions
          </span>
        </li>
      ))}
    </ul>
  );
}

type Mode = 'month' | 'range';

export default function Statements() {
  const search = new URLSearchParams(useSearch());
  const wallets = useQuery(StatementWallets);
  const [walletId, setWalletId] = useState(search.get('wallet') ?? '');
  const [mode, setMode] = useState<Mode>('month');
  const [month, setMonth] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  // ?month=YYYY-MM opens that month (a "statement ready" notification links here).
  const [period, setPeriod] = useState<StatementPeriodInput | null>(() => {
    const month = search.get('month');
    return month && /^\d{4}-\d{2}$/.test(month) ? { month } : null;
  });
  const [formError, setFormError] = useState<string[]>([]);

  if (wallets.error) return <p role="alert">Your wallets could not be loaded. Reload the page to try again.</p>;
  if (!wallets.data) return <p role="status">Loading…</p>;
  const { me } = wallets.data;
  const list = me.wallets;
  const wallet = list.find((w) => w.id === walletId) ?? list[0];
  const thisMonth = currentMonth(me.timeZone);
  const shown: StatementPeriodInput = period ?? { month: thisMonth };

  const show = (event: FormEvent) => {
    event.preventDefault();
    if (mode === 'month') {
      if (!/^\d{4}-\d{2}$/.test(month)) return setFormError(['Choose a month.']);
      setFormError([]);
      setPeriod({ month });
    } else {
      if (!from || !to) return setFormError(['Choose the first and the last day.']);
      setFormError([]);
      setPeriod({ from, to });
    }
  };

  return (
    <>
      <h1>Statements</h1>
      <section className="card">
        <form onSubmit={show} aria-label="Statement period">
          <div className="filters">
            {list.length > 1 && (
              <SelectField label="Wallet" value={wallet?.id} onChange={(e) => setWalletId(e.target.value)}>
                {list.map((w) => (
                  <option key={w.id} value={w.id}>
                    {w.currency}
                  </option>
                ))}
              </SelectField>
            )}
            <SelectField label="Period" value={mode} onChange={(e) => setMode(e.target.value as Mode)}>
              <option value="month">A month</option>
              <option value="range">A range of days</option>
            </SelectField>
            {mode === 'month' ? (
              <TextField
                label="Month"
                type="month"
                max={thisMonth}
                placeholder="YYYY-MM"
                value={month}
                onChange={(e) => setMonth(e.target.value)}
              />
            ) : (
              <>
                <TextField label="First day" type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
                <TextField label="Last day" type="date" value={to} onChange={(e) => setTo(e.target.value)} />
              </>
            )}
          </div>
          <FormProblems messages={formError} />
          <div className="actions">
            <button type="submit" className="primary">
              Show statement
            </button>
          </div>
        </form>
      </section>
      {wallet ? (
        <>
          <StatementView key={`${wallet.id}:${JSON.stringify(shown)}`} walletId={wallet.id} period={shown} />
          <section className="card" aria-labelledby="monthly-title">
            <h2 id="monthly-title">Monthly statements</h2>
            <MonthlyList walletId={wallet.id} onPick={(m) => setPeriod({ month: m })} />
          </section>
        </>
      ) : (
        <p>You have no wallet yet.</p>
      )}
    </>
  );
}
