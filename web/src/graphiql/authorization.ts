// How the IDE authenticates: the access token typed in the page's token field is kept in this
// tab's sessionStorage (gone when the tab closes) and sent as `authorization: Bearer <token>`,
// over HTTP as a header and over WebSocket as the graphql-ws connection_init payload, which is
// where the server reads it (src/server/websocket.ts). An `authorization` typed in GraphiQL's own
// headers editor wins over the field.

const STORAGE_KEY = 'wallet.graphiql.accessToken';

export function storedToken(): string {
  try {
    return sessionStorage.getItem(STORAGE_KEY) ?? '';
  } catch {
    return ''; // storage disabled: the token lives as long as the page
  }
}

export function storeToken(token: string): void {
  try {
    if (token) sessionStorage.setItem(STORAGE_KEY, token);
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // storage disabled: nothing to keep
  }
}

/** Accepts a bare token or one pasted with its "Bearer " prefix (or inside quotes). */
export function normaliseToken(input: string): string {
  return input
    .trim()
    .replace(/^["']|["']$/g, '')
    .replace(/^Bearer\s+/i, '')
    .trim();
}

/**
 * The headers a request is sent with: the token's authorization, then the headers editor's, all
 * with lower-case names (HTTP does not care, but graphql-ws connection params are a plain object
 * and the server reads `authorization`).
 */
export function requestHeaders(token: string, editorHeaders: Record<string, unknown> | undefined): Record<string, string> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  for (const [name, value] of Object.entries(editorHeaders ?? {})) {
    if (value !== undefined && value !== null) headers[name.toLowerCase()] = String(value);
  }
  return headers;
}

/**
 * The access token in an answer, if it has one (signUp, signIn and refreshSession answer
 * `tokens { accessToken }`), so the page can offer to use it.
 */
export function accessTokenIn(value: unknown, depth = 0): string | undefined {
  if (depth > 4 || typeof value !== 'object' || value === null) return undefined;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'accessToken' && typeof child === 'string' && child) return child;
    const found = accessTokenIn(child, depth + 1);
    if (found) return found;
  }
  return undefined;
}
