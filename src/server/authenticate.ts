// Who is calling: a verified access token of a session that is still live and belongs to the
// token's subject, or a merchant's API key ("wk_…") that is not revoked. The caller's roles are
// the user's roles now (read with the session, cached with it), not the ones the token was issued
// with: removing a role takes effect on the next request.
import type { Viewer } from '../schema/context.js';
import type { Services } from '../services/index.js';
import { isApiKey, type ApiKeyPrincipal } from '../services/partners/apiKeys.js';

export type Authentication = {
  viewer: Viewer | null;
  apiKey?: ApiKeyPrincipal | null;
  problem?: string;
  /** An API key was sent and is unknown or revoked: the request is refused outright (its body is only a document id). */
  badApiKey?: boolean;
};

/** Accepts "Bearer <token>" (or the bare token, as WebSocket clients often send). */
export async function authenticate(services: Services, authorization: unknown): Promise<Authentication> {
  if (authorization === undefined || authorization === null || authorization === '') return { viewer: null };
  if (typeof authorization !== 'string') return { viewer: null, problem: 'authorization must be a string' };
  const token = authorization.replace(/^Bearer\s+/i, '').trim();
  if (isApiKey(token)) {
    const apiKey = await services.apiKeys.authenticate(token);
    return apiKey ? { viewer: null, apiKey } : { viewer: null, problem: 'The API key is unknown or revoked.', badApiKey: true };
  }
  const claims = await services.accessTokens.verify(token);
  if (!claims) return { viewer: null, problem: 'The access token is invalid or expired. Refresh it or sign in again.' };
  const session = await services.sessions.principal(claims.sessionId);
  // A session of another user is treated like none: only a forged or mixed-up token has one.
  if (!session || session.userId !== claims.userId || !session.active) {
    return { viewer: null, problem: 'This session has been signed out. Sign in again.' };
  }
  return {
    viewer: { userId: claims.userId, sessionId: claims.sessionId, roles: session.roles, tokenExpiresAt: claims.expiresAt },
  };
}
