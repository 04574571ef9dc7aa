// The bell in the header of every signed-in screen: a link to /notifications named with the unread
// count ("Notifications, 3 unread"), the count also shown as a badge. It is a link, not a button,
// because it goes to a screen (open in a new tab, say); it only looks like an icon button.
//
// The count is the bell query's `unreadCount` (one place: the list screen reads it from here too).
// It is read again, not counted up, on each `notificationAdded` (delivery is at least once, so a
// resent event must not count twice) and when the socket comes back (apollo.ts onReconnect: what
// arrived while it was away). Each new notification also lands at the top of the loaded list
// (addToLists), so an open list shows it at once, and is read out politely to screen readers.
import type { ApolloCache } from '@apollo/client';
import { useQuery, useSubscription } from '@apollo/client/react';
import { useEffect, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { graphql } from '../gql';
import type { NotificationItemFragment } from '../gql/graphql';
import { onReconnect } from './apollo';

/** What the list shows of a notification (and what the live event brings, so it fits in the list). */
export const NotificationItem = graphql(`
  fragment NotificationItem on Notification {
    id kind title body security createdAt read readAt
    transaction { id }
    wallet { id }
    statement { id month }
  }
`);

export const NotificationBellQuery = graphql(`
  query NotificationBell { notifications(first: 1, unreadOnly: true) { unreadCount } }
`);

const NotificationAdded = graphql(`
  subscription NotificationAdded { notificationAdded { ...NotificationItem } }
`);

/** Puts a new notification at the top of every loaded list of notifications, once. */
function addToLists(cache: ApolloCache, notification: NotificationItemFragment): void {
  cache.modify({
    id: 'ROOT_QUERY',
    fields: {
      notifications(existing, { toReference, readField }) {
        const list = existing as { edges?: { cursor: string; node: unknown }[] } | undefined;
        if (!list?.edges) return existing;
        if (list.edges.some((edge) => readField('id', edge.node as never) === notification.id)) return existing;
        const node = toReference({ __typename: 'Notification', id: notification.id });
        // No cursor: the list goes on from its last loaded edge (pageInfo.endCursor), not this one.
        return { ...list, edges: [{ __typename: 'NotificationEdge', cursor: '', node }, ...list.edges] };
      },
    },
  });
}

/** The unread count (null until it is known). */
export function useUnreadCount(): number | null {
  const { data } = useQuery(NotificationBellQuery);
  return data?.notifications.unreadCount ?? null;
}

/** Sets the bell's count to what the server answered (markNotificationsRead's unreadCount). */
export function setUnreadCount(cache: ApolloCache, unreadCount: number): void {
  cache.updateQuery({ query: NotificationBellQuery }, (data) =>
    data
      ? { notifications: { ...data.notifications, unreadCount } }
      : { notifications: { __typename: 'NotificationConnection', unreadCount } },
  );
}

const BellIcon = () => (
  <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
    <path
      fill="currentColor"
      d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
    />
  </svg>
);

export function NotificationBell() {
  const { data, refetch } = useQuery(NotificationBellQuery, { fetchPolicy: 'cache-and-network' });
  const [location] = useLocation();
  const [announcement, setAnnouncement] = useState('');

  useEffect(() => onReconnect(() => void refetch()), [refetch]);

  useSubscription(NotificationAdded, {
    onData: ({ client, data: event }) => {
      const notification = event.data?.notificationAdded;
      if (!notification) return;
      addToLists(client.cache, notification);
      setAnnouncement(`New notification: ${notification.title}`);
      void refetch();
    },
  });

  const count = data?.notifications.unreadCount ?? 0;
  return (
    <>
      <Link
        href="/notifications"
        className="bell"
        aria-label={count ? `Notifications, ${count} unread` : 'Notifications'}
        aria-current={location === '/notifications' ? 'page' : undefined}
      >
        <BellIcon />
        {count > 0 && (
          <span className="bell-count" aria-hidden="true" data-testid="bell-count">
            {count > 99 ? '99+' : count}
          </span>
        )}
      </Link>
      <span className="visually-hidden" role="status">
        {announcement}
      </span>
    </>
  );
}
