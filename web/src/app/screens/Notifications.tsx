// Your notifications, newest first, over the `notifications` connection ("Load more", and more as
// the end of the list scrolls into view, as History does). New ones arrive at the top live (the
// bell's subscription puts them in this list: notificationBell.tsx).
//
// Opening this screen marks nothing read: the person marks them, with "Mark all read", or one by
// following its link (to the transaction, wallet, statement or screen it concerns). Marking on
// view would clear the bell before anyone had read a word, and a list scrolled past is not read.
// Unread ones say "Unread" in words (not only in colour), so screen readers hear it too.
import { useMutation, useQuery } from '@apollo/client/react';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'wouter';
import { graphql } from '../../gql';
import type { NotificationItemFragment } from '../../gql/graphql';
import { formatDate } from '../activity';
import { FormProblems, NETWORK_PROBLEM } from '../forms';
import { setUnreadCount, useUnreadCount } from '../notificationBell';
import { describeUserError } from '../userErrors';

const NotificationsPage = graphql(`
  query NotificationsPage($first: Int!, $after: String) {
    notifications(first: $first, after: $after) {
      edges { cursor node { ...NotificationItem } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const MarkRead = graphql(`
  mutation MarkNotificationsRead($input: MarkNotificationsReadInput) {
    markNotificationsRead(input: $input) { unreadCount userErrors { code message field } }
  }
`);

const PAGE_SIZE = 20;

/** Where a notification leads: what it is about, when the app has a screen for it. */
function targetOf(n: NotificationItemFragment): { href: string; label: string } | null {
  if (n.transaction) return { href: `/history/${encodeURIComponent(n.transaction.id)}`, label: 'See the transaction' };
  if (n.statement) {
    const wallet = n.wallet ? `wallet=${encodeURIComponent(n.wallet.id)}&` : '';
    return { href: `/history/statements?${wallet}month=${n.statement.month}`, label: 'Open the statement' };
  }
  if (n.wallet) return { href: `/history?wallet=${encodeURIComponent(n.wallet.id)}`, label: "See the wallet's history" };
  switch (n.kind) {
    case 'NEW_DEVICE_SIGN_IN':
      return { href: '/sessions', label: 'See signed-in devices' };
    case 'KYC_DECIDED':
    case 'LIMIT_NEARLY_REACHED':
      return { href: '/verify', label: 'See your limits' };
    case 'PAYMENT_REQUEST_PAID':
      return { href: '/merchant', label: 'Open your business' };
    case 'TOP_UP_FAILED':
    case 'TOP_UP_SUCCEEDED':
      return { href: '/money', label: 'Add money' };
    default:
      return null;
  }
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "just now", "5 minutes ago", "3 hours ago" within a day; the local date and time after that. */
function when(iso: string, now = Date.now()): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  if (seconds > -60) return 'just now';
  if (seconds > -3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (seconds > -86_400) return relative.format(Math.round(seconds / 3600), 'hour');
  return formatDate(iso);
}

function NotificationRow({ notification: n, onOpen }: { notification: NotificationItemFragment; onOpen: (id: string) => void }) {
  const target = targetOf(n);
  return (
    <li className={n.read ? 'notification' : 'notification unread'}>
      <p className="notification-title">
        {!n.read && <span className="status unread-mark">Unread</span>}
        {n.security && <span className="status status-security">Security</span>}
        <strong>{n.title}</strong>
      </p>
      <p className="notification-body">{n.body}</p>
      <p className="notification-meta">
        <time dateTime={n.createdAt} title={formatDate(n.createdAt)}>
          {when(n.createdAt)}
        </time>
        {target && (
          <>
            {' · '}
            <Link href={target.href} onClick={() => !n.read && onOpen(n.id)}>
              {target.label}
              <span className="visually-hidden">: {n.title}</span>
            </Link>
          </>
        )}
      </p>
    </li>
  );
}

export default function Notifications() {
  const { data, loading, error, fetchMore } = useQuery(NotificationsPage, {
    variables: { first: PAGE_SIZE },
    fetchPolicy: 'cache-and-network',
    notifyOnNetworkStatusChange: true,
  });
  const unread = useUnreadCount();
  const [markRead, marking] = useMutation(MarkRead);
  const [problems, setProblems] = useState<string[]>([]);
  const [done, setDone] = useState('');
  const end = useRef<HTMLDivElement>(null);
  const page = data?.notifications;
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

  /** Marks these read (all when `ids` is null), in the list and on the bell. */
  const mark = async (ids: string[] | null) => {
    setProblems([]);
    setDone('');
    try {
      const { data: answer } = await markRead({
        variables: { input: ids ? { ids } : null },
        update(cache, { data: result }) {
          const payload = result?.markNotificationsRead;
          if (!payload || payload.userErrors.length || payload.unreadCount == null) return;
          const readAt = new Date().toISOString();
          const marked = ids ?? (page?.edges ?? []).map((e) => e.node.id);
          for (const id of marked) {
            cache.modify({
              id: cache.identify({ __typename: 'Notification', id }),
              fields: { read: () => true, readAt: (at) => at ?? readAt },
            });
          }
          setUnreadCount(cache, payload.unreadCount);
        },
      });
      const errors = answer?.markNotificationsRead.userErrors ?? [];
      if (errors.length) setProblems(errors.map(describeUserError));
      else if (!ids) setDone('All notifications are marked read.');
    } catch {
      if (!ids) setProblems([NETWORK_PROBLEM]);
    }
  };

  if (error && !data) return <p role="alert">Your notifications could not be loaded. Reload the page to try again.</p>;
  return (
    <section className="card" aria-labelledby="notifications-title">
      <div className="card-heading">
        <h1 id="notifications-title">Notifications</h1>
        <p className="card-actions">
          <button type="button" onClick={() => void mark(null)} disabled={!unread || marking.loading}>
            {marking.loading ? 'Marking…' : 'Mark all read'}
          </button>
          <Link href="/profile/notifications" className="button">
            Settings
          </Link>
        </p>
      </div>
      <p className="muted" data-testid="unread-summary">
        {unread == null ? '' : unread ? `${unread} unread` : 'Nothing unread.'}
      </p>
      <FormProblems messages={problems} />
      {done && (
        <p className="success" role="status">
          {done}
        </p>
      )}
      {page && page.edges.length === 0 && (
        <p className="muted">No notifications yet. We tell you here when money arrives or something changes.</p>
      )}
      {page && page.edges.length > 0 && (
        <ul className="notifications" aria-label="Notifications">
          {page.edges.map(({ node }) => (
            <NotificationRow key={node.id} notification={node} onOpen={(id) => void mark([id])} />
          ))}
        </ul>
      )}
      <div ref={end} className="list-end">
        {loading && !page ? (
          <p role="status">Loading…</p>
        ) : more ? (
          <button type="button" onClick={loadMore} disabled={loading}>
            {loading ? 'Loading…' : 'Load more'}
          </button>
        ) : page && page.edges.length > 0 ? (
          <p className="muted">That is everything.</p>
        ) : null}
      </div>
    </section>
  );
}
