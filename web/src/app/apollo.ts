// The app's one Apollo Client: queries and mutations over HTTP POST, subscriptions over graphql-ws,
// both at /graphql on this server (the page's CSP allows no other host). Every request and every
// (re)connection of the socket asks the session for a fresh access token, so a socket the server
// closes when its token expires (4403) reconnects with the refreshed one.
//
// Screens import `client` only through ApolloProvider (main.tsx); `onReconnect` tells live views
// that the socket came back, so they resume where they stopped (walletUpdated's afterSequence).
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { relayStylePagination } from '@apollo/client/utilities';
import { OperationTypeNode } from 'graphql';
import { createClient } from 'graphql-ws';
import { endSession, freshAccessToken } from './session';
import { stepUpLink } from './stepUp';

const endpoint = new URL('/graphql', window.location.href);
const socketEndpoint = new URL(endpoint);
socketEndpoint.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';

/** The server ends a socket with 4401 when its session was revoked or signed out. */
const CLOSE_SESSION_ENDED = 4401;

const reconnectListeners = new Set<() => void>();

export const socket = createClient({
  url: socketEndpoint.href,
  // Asked again on every connection, retries included: the token of the moment.
  connectionParams: async () => {
    const token = await freshAccessToken();
    return token ? { authorization: `Bearer ${token}` } : {};
  },
  // A wallet app stays open for hours: keep trying (with graphql-ws's randomised backoff).
  retryAttempts: Number.POSITIVE_INFINITY,
  on: {
    connected: (_socket, _payload, wasRetry) => {
      if (wasRetry) for (const listener of reconnectListeners) listener();
    },
    closed: (event) => {
      if ((event as CloseEvent | undefined)?.code === CLOSE_SESSION_ENDED) endSession();
    },
  },
});

/** Calls `listener` each time the socket connects again after losing its connection. */
export function onReconnect(listener: () => void): () => void {
  reconnectListeners.add(listener);
  return () => reconnectListeners.delete(listener);
}

const withToken = new SetContextLink(async (previous) => {
  const token = await freshAccessToken();
  return token ? { headers: { ...previous.headers, authorization: `Bearer ${token}` } } : {};
});

// A mutation refused with STEP_UP_REQUIRED is sent again once the person has stepped up (stepUp.ts).
const http = ApolloLink.from([stepUpLink, withToken, new HttpLink({ uri: endpoint.pathname })]);

export const client = new ApolloClient({
  // Screens read again when a live event says something changed. A read deduplicated into one
  // already in flight (sent before the change committed) would answer the stale state for good.
  queryDeduplication: false,
  link: ApolloLink.split((operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION, new GraphQLWsLink(socket), http),
  cache: new InMemoryCache({
    typePolicies: {
      // History pages are one list per wallet and filter, grown by fetchMore (keyset cursors).
      // Notifications: one list (and the bell's unread-only count), grown by "Load more"; the bell
      // puts live ones at its top (notificationBell.tsx).
      Query: {
        fields: {
          transactions: relayStylePagination(['walletId', 'filter']),
          notifications: relayStylePagination(['unreadOnly']),
        },
      },
      // Balances and money have no id of their own: they belong to their wallet or transaction.
      WalletBalance: { merge: true },
      // A payment request is known by its code: paymentRequestUpdated lands on the screens showing it.
      PaymentRequest: { keyFields: ['code'] },
      // A statement has no id: its totals and its lines (two queries, for the cost limit) are one
      // object under statement(walletId, period), and "More lines" appends to its lines.
      StatementPayload: { merge: true },
      Statement: { merge: true, fields: { lines: relayStylePagination([]) } },
    },
  }),
});

/** After sign-out: nothing of the last user stays in memory. */
export async function forgetEverything(): Promise<void> {
  await client.clearStore();
}
