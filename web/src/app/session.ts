// Who is signed in, and the tokens that prove it (docs/web.md, "Tokens"):
//
// - the access token lives in this module's memory only: a reload or a new tab never finds it in
//   storage, so a script that reads storage does not get a token it can use right away;
// - the refresh token is kept in this tab's sessionStorage, so a reload stays signed in. Not
//   localStorage: each refresh token works once (refreshSession rotates it), and two tabs sharing
//   one would race to use it, the loser signed out; a tab's own storage has no such race, and it
//   is gone when the tab closes.
//
// The access token is refreshed at 80% of its life (and on demand when a request finds it about to
// expire), one refresh at a time. Requests and the WebSocket ask freshAccessToken() each time, so
// a reconnecting socket sends the current token.
import { print } from 'graphql';
import { graphql } from '../gql';

const REFRESH_KEY = 'wallet.app.refreshToken';
/** Refresh when less than this is left, whatever the timer says (a tab that slept). */
const MIN_LEFT_MS = 10_000;
const RETRY_AFTER_FAILURE_MS = 5_000;

const RefreshSession = graphql(`
  mutation RefreshSession($input: RefreshSessionInput!) {
    refreshSession(input: $input) {
      tokens { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt }
      userErrors { code message }
    }
  }
`);

export type SessionState = 'restoring' | 'signed-in' | 'signed-out';
interface Tokens {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
}

let access: { token: string; expiresAt: number } | null = null;
let state: SessionState = readRefreshToken() ? 'restoring' : 'signed-out';
let refreshing: Promise<string | null> | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<() => void>();

function readRefreshToken(): string | null {
  try {
    return sessionStorage.getItem(REFRESH_KEY);
  } catch {
    return null; // storage disabled: the session lasts as long as the page
  }
}

function writeRefreshToken(token: string | null): void {
  try {
    if (token) sessionStorage.setItem(REFRESH_KEY, token);
    else sessionStorage.removeItem(REFRESH_KEY);
  } catch {
    // storage disabled: nothing to keep
  }
}

function setState(next: SessionState): void {
  if (state === next) return;
  state = next;
  for (const listener of listeners) listener();
}

function schedule(delayMs: number): void {
  clearTimeout(timer);
  timer = setTimeout(() => void refresh(), Math.max(0, delayMs));
}

/** Keeps the tokens of a signIn, signUp or refreshSession answer. */
export function startSession(tokens: Tokens): void {
  const expiresAt = Date.parse(tokens.accessTokenExpiresAt);
  access = { token: tokens.accessToken, expiresAt };
  writeRefreshToken(tokens.refreshToken);
  schedule((expiresAt - Date.now()) * 0.8);
  setState('signed-in');
}

/** Forgets the tokens (after signOut, or when the server no longer accepts them). */
export function endSession(): void {
  clearTimeout(timer);
  access = null;
  writeRefreshToken(null);
  setState('signed-out');
}

async function refresh(): Promise<string | null> {
  refreshing ??= (async () => {
    const refreshToken = readRefreshToken();
    if (!refreshToken) {
      endSession();
      return null;
    }
    try {
      const response = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: print(RefreshSession), variables: { input: { refreshToken } } }),
      });
      const body = (await response.json()) as {
        data?: { refreshSession: { tokens: Tokens | null; userErrors: { code: string }[] } };
      };
      const tokens = body.data?.refreshSession.tokens;
      if (tokens) {
        startSession(tokens);
        return tokens.accessToken;
      }
      if (body.data) {
        // INVALID_REFRESH_TOKEN: expired, revoked (another device signed this one out) or used.
        endSession();
        return null;
      }
      throw new Error(`refreshSession answered ${response.status}`);
    } catch {
      // Offline or the server is down: keep the refresh token and try again shortly.
      schedule(RETRY_AFTER_FAILURE_MS);
      if (state === 'restoring') setState('signed-out');
      return null;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** The access token to send now, refreshed first when it is (nearly) expired; null when signed out. */
export async function freshAccessToken(): Promise<string | null> {
  if (access && access.expiresAt - Date.now() > MIN_LEFT_MS) return access.token;
  if (!readRefreshToken()) return null;
  return refresh();
}

export const session = {
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  state: (): SessionState => state,
};

// A reload: trade the kept refresh token for a new access token straight away.
if (state === 'restoring') void refresh();
