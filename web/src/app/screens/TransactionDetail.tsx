// One transaction, its status kept live by transactionUpdated: the subscription's transactions
// land in Apollo's cache by id, so this page changes when its transaction does (a review decided,
// a deposit settled).
import { useQuery, useSubscription } from '@apollo/client/react';
import { Link, useParams } from 'wouter';
import { graphql } from '../../gql';
import { formatDate, STATUS_WORDS, signedAmount, TYPE_WORDS } from '../activity';
import { formatMoney } from '../money';

const TransactionQuery = graphql(`
  query TransactionDetail($id: ID!) {
    node(id: $id) {
      __typename
      ... on Transaction {
        id amount { amount currency } direction status type note createdAt sequence
        balanceAfter { amount currency }
        counterparty { displayName email phone isMerchant }
        wallet { id currency }
      }
    }
  }
`);

const TransactionUpdated = graphql(`
  subscription TransactionDetailUpdated {
    transactionUpdated { id status balanceAfter { amount currency } sequence }
  }
`);

export default function TransactionDetail() {
  const { id = '' } = useParams<{ id: string }>();
  const { data, error } = useQuery(TransactionQuery, { variables: { id } });
  useSubscription(TransactionUpdated);

  if (error) return <p role="alert">This transaction could not be loaded. Reload the page to try again.</p>;
  if (!data) return <p role="status">Loading…</p>;
  const t = data.node?.__typename === 'Transaction' ? data.node : null;
  if (!t) {
    return (
      <section className="card narrow">
        <h1>Transaction not found</h1>
        <p>
          It is not one of yours, or the link is wrong. <Link href="/history">Back to your history</Link>
        </p>
      </section>
    );
  }
  const who = t.counterparty.email ?? t.counterparty.phone;
  return (
    <section className="card narrow">
      <h1>
        {TYPE_WORDS[t.type]} {t.direction === 'IN' ? 'from' : 'to'} {t.counterparty.displayName}
      </h1>
      <p className={`transaction-amount ${t.direction === 'IN' ? 'in' : 'out'} big-amount`}>{signedAmount(t)}</p>
      <dl className="summary">
        <div>
          <dt>Status</dt>
          <dd>
            <span className={`status status-${t.status.toLowerCase()}`} data-testid="transaction-status" role="status">
              {STATUS_WORDS[t.status]}
            </span>
          </dd>
        </div>
        <div>
          <dt>When</dt>
          <dd>
            <time dateTime={t.createdAt}>{formatDate(t.createdAt)}</time>
          </dd>
        </div>
        {who && (
          <div>
            <dt>{t.counterparty.email ? 'Email' : 'Phone'}</dt>
            <dd>{who}</dd>
          </div>
        )}
        {t.note && (
          <div>
            <dt>Note</dt>
            <dd>{t.note}</dd>
          </div>
        )}
        {t.balanceAfter && (
          <div>
            <dt>Balance after</dt>
            <dd>{formatMoney(t.balanceAfter)}</dd>
          </div>
        )}
        <div>
          <dt>Reference</dt>
          <dd className="reference">{t.id}</dd>
        </div>
      </dl>
      <Link href="/history">Back to your history</Link>
    </section>
  );
}
