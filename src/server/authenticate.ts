// Who is calling: a verified access token of a session that is still live.
import type { Viewer } from '../schema/context.js';
import type { Services } from '../services/index.js';

export type Authentication = { viewer: Viewer | null; problem?: string };

/** Accepts "Bearer <token>" (or the bare token, as WebSocket clients often send). */
export async function authenticate(services: Services, authorization: unknown): Promise<Authentication> {
  if (authorization === undefined || authorization === null || authorization === '') return { viewer: null };
  if (typeof authorization !== 'string') return { viewer: null, problem: 'authorization must be a string' };
  const token = authorization.replace(/^Bearer\s+/i, '').trim();
  const claims = await services.accessTokens.verify(token);
  if (!claims) return { viewer: null, problem: 'The access token is invalid or expired. Refresh it or sign in again.' };
  if (!(await services.sessions.isActive(claims.sessionId))) {
    return { viewer: null, problem: 'This session has been signed out. Sign in again.' };
  }
  return {
    viewer: { userId: claims.userId, sessionId: claims.sessionId, roles: claims.roles, tokenExpiresAt: claims.expiresAt },
  };
}
