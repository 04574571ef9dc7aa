// Home: every wallet with its available and posted balance, kept live by walletUpdated, and its
// last few transactions (fetched again when the wallet changes).
import { useQuery } from '@apollo/client/react';
import { Link } from 'wouter';
import { graphql } from '../../gql';
import type { HomeQuery } from '../../gql/graphql';
import { TransactionRow } from '../activity';
import { LiveBalances } from '../balances';

const HomeData = graphql(`
  query Home {
    me {
      id
      displayName
      wallets {
        id
        currency
        status
        sequence
        balance { available { amount currency } posted { amount currency } held { amount currency } }
      }
    }
  }
`);

const RecentActivity = graphql(`
  query RecentActivity($walletId: ID!) {
    transactions(walletId: $walletId, first: 5) {
      edges {
        node { id amount { amount currency } direction status type note createdAt counterparty { displayName } }
      }
    }
  }
`);

type HomeWallet = HomeQuery['me']['wallets'][number];

function WalletCard({ wallet }: { wallet: HomeWallet }) {
  // Not cached: the list is read again whenever the wallet changes.
  const recent = useQuery(RecentActivity, { variables: { walletId: wallet.id }, fetchPolicy: 'no-cache' });
  const edges = recent.data?.transactions.edges ?? [];
  return (
    <section className="card wallet" aria-labelledby={`wallet-${wallet.id}`}>
      <h2 id={`wallet-${wallet.id}`}>{wallet.currency} wallet</h2>
      {wallet.status !== 'ACTIVE' && (
        <p className="notice">This wallet is {wallet.status.toLowerCase()}: it cannot send or receive money.</p>
      )}
      <LiveBalances wallet={wallet} onChange={() => void recent.refetch()} />
      <h3>Recent activity</h3>
      {recent.loading && !recent.data ? (
        <p role="status">Loading activity…</p>
      ) : edges.length ? (
        <ul className="transactions">
          {edges.map(({ node }) => (
            <TransactionRow key={node.id} transaction={node} />
          ))}
        </ul>
      ) : (
        <p className="muted">No transactions yet.</p>
      )}
      <p className="card-actions">
        <Link href={`/send?currency=${wallet.currency}`} className="button primary">
          Send {wallet.currency}
        </Link>
        <Link href={`/history?wallet=${encodeURIComponent(wallet.id)}`} className="button">
          All activity
        </Link>
      </p>
    </section>
  );
}

export default function Home() {
  const { data, error } = useQuery(HomeData);
  if (error) return <p role="alert">Your wallets could not be loaded. Reload the page to try again.</p>;
  if (!data) return <p role="status">Loading your wallets…</p>;
  return (
    <>
      <h1>Hello, {data.me.displayName}</h1>
      <div className="wallets">
        {data.me.wallets.map((wallet) => (
          <WalletCard key={wallet.id} wallet={wallet} />
        ))}
      </div>
    </>
  );
}
