// History: a wallet's transactions, newest first, over the keyset `transactions` connection: more
// load as the end of the list scrolls into view (and with a button, for keyboards), filtered by
// direction, type, dates and counterparty (TransactionFilter). A transaction opens its detail.
import { useQuery } from '@apollo/client/react';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link, useSearch } from 'wouter';
import { graphql } from '../../gql';
import type { Direction, TransactionFilter, TransactionType } from '../../gql/graphql';
import { TransactionRow, TYPE_WORDS } from '../activity';
import { SelectField, TextField } from '../forms';

const HistoryWallets = graphql(`query HistoryWallets { me { id wallets { id currency } } }`);

const HistoryPage = graphql(`
  query HistoryPage($walletId: ID!, $first: Int!, $after: String, $filter: TransactionFilter) {
    transactions(walletId: $walletId, first: $first, after: $after, filter: $filter) {
      edges {
        cursor
        node { id amount { amount currency } direction status type note createdAt counterparty { displayName } }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const PAGE_SIZE = 20;

interface FilterForm {
  direction: '' | Direction;
  type: '' | TransactionType;
  from: string;
  to: string;
  counterparty: string;
}
const EMPTY: FilterForm = { direction: '', type: '', from: '', to: '', counterparty: '' };

/** The form as the API's filter: dates are whole local days, `to` included. */
function toFilter(form: FilterForm): TransactionFilter | undefined {
  const filter: TransactionFilter = {};
  if (form.direction) filter.direction = form.direction;
  if (form.type) filter.types = [form.type];
  if (form.from) filter.from = new Date(`${form.from}T00:00`).toISOString();
  if (form.to) {
    const end = new Date(`${form.to}T00:00`);
    end.setDate(end.getDate() + 1);
    filter.to = end.toISOString();
  }
  if (form.counterparty.trim()) filter.counterparty = form.counterparty.trim();
  return Object.keys(filter).length ? filter : undefined;
}

function Transactions({ walletId, filter }: { walletId: string; filter: TransactionFilter | undefined }) {
  const { data, loading, error, fetchMore } = useQuery(HistoryPage, {
    variables: { walletId, first: PAGE_SIZE, filter },
    notifyOnNetworkStatusChange: true,
  });
  const end = useRef<HTMLDivElement>(null);
  const page = data?.transactions;
  const more = page?.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;

  const loadMore = () => {
    if (more && !loading) void fetchMore({ variables: { after: more } });
  };
  const latest = useRef(loadMore);
  latest.current = loadMore;

  useEffect(() => {
    const target = end.current;
    if (!target) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) latest.current();
    });
    observer.observe(target);
    return () => observer.disconnect();
  }, []);

  if (error) return <p role="alert">Your history could not be loaded. Reload the page to try again.</p>;
  return (
    <>
      {page && page.edges.length === 0 && <p className="muted">No transactions match.</p>}
      {page && page.edges.length > 0 && (
        <ul className="transactions" aria-label="Transactions">
          {page.edges.map(({ node }) => (
            <TransactionRow key={node.id} transaction={node} />
          ))}
        </ul>
      )}
      <div ref={end} className="list-end">
        {loading ? (
          <p role="status">Loading…</p>
        ) : more ? (
          <button type="button" onClick={loadMore}>
            Load more
          </button>
        ) : page && page.edges.length > 0 ? (
          <p className="muted">That is everything.</p>
        ) : null}
      </div>
    </>
  );
}

export default function History() {
  const search = new URLSearchParams(useSearch());
  const wallets = useQuery(HistoryWallets);
  const [walletId, setWalletId] = useState(search.get('wallet') ?? '');
  const [form, setForm] = useState<FilterForm>(EMPTY);
  const [applied, setApplied] = useState<TransactionFilter | undefined>();

  const list = wallets.data?.me.wallets ?? [];
  const wallet = list.find((w) => w.id === walletId) ?? list[0];
  const set = (name: keyof FilterForm) => (event: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    setForm({ ...form, [name]: event.target.value });

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setApplied(toFilter(form));
  };

  if (wallets.error) return <p role="alert">Your wallets could not be loaded. Reload the page to try again.</p>;
  if (!wallets.data) return <p role="status">Loading…</p>;
  return (
    <>
      <h1>History</h1>
      <p className="card-actions">
        <Link href={`/history/statements${wallet ? `?wallet=${encodeURIComponent(wallet.id)}` : ''}`} className="button">
          Statements
        </Link>
        <Link href={`/history/insights${wallet ? `?wallet=${encodeURIComponent(wallet.id)}` : ''}`} className="button">
          Spending insights
        </Link>
      </p>
      <section className="card">
        <form onSubmit={apply} aria-label="Filters">
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
            <SelectField label="Direction" value={form.direction} onChange={set('direction')}>
              <option value="">In and out</option>
              <option value="IN">Money in</option>
              <option value="OUT">Money out</option>
            </SelectField>
            <SelectField label="Type" value={form.type} onChange={set('type')}>
              <option value="">Any type</option>
              {Object.entries(TYPE_WORDS).map(([value, words]) => (
                <option key={value} value={value}>
                  {words}
                </option>
              ))}
            </SelectField>
            <TextField label="From" type="date" value={form.from} onChange={set('from')} />
            <TextField label="To" type="date" value={form.to} onChange={set('to')} />
            <TextField label="Person or business" value={form.counterparty} onChange={set('counterparty')} />
          </div>
          <div className="actions">
            <button type="submit" className="primary">
              Apply filters
            </button>
            <button
              type="button"
              onClick={() => {
                setForm(EMPTY);
                setApplied(undefined);
              }}
            >
              Clear
            </button>
          </div>
        </form>
      </section>
      <section className="card">
        {wallet ? <Transactions key={wallet.id} walletId={wallet.id} filter={applied} /> : <p>You have no wallet yet.</p>}
      </section>
    </>
  );
}
