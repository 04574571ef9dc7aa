// The account types: User (a Node) and its sessions. Loading them, User's profile fields and
// User.sessions: src/resolvers/viewer.ts; User.wallets: src/resolvers/wallets.ts.
import type { UserRecord } from '../services/accounts/accounts.js';
import type { SessionRecord } from '../services/auth/sessions.js';
import { builder } from './builder.js';
import { resultPayload } from './userErrors.js';

export const RoleEnum = builder.enumType('Role', { values: ['USER', 'ADMIN'] as const });

/**
 * A User as resolvers pass it: the whole record, or only its id (`me`), so that
 * `me { wallets { … } }`, the hottest read, costs one query instead of two. The profile fields
 * (src/resolvers/viewer.ts) load the record, batched per request, when they are asked for.
 */
export type UserParent = Pick<UserRecord, 'id'> & Partial<UserRecord>;
export const UserRef = builder.objectRef<UserParent>('User');
export const SessionRef = builder.objectRef<SessionRecord>('Session');

builder.node(SessionRef, {
  description: 'A signed-in device. Revoking it signs that device out.',
  id: { resolve: (s) => s.id },
  authScopes: (s, ctx) => ctx.viewer?.userId === s.userId,
  fields: (t) => ({
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', description: 'Last sign-in or token refresh.' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
    userAgent: t.exposeString('userAgent', { nullable: true }),
    ip: t.exposeString('ip', { nullable: true }),
    current: t.boolean({
      description: 'Whether this is the session making the request.',
      resolve: (s, _args, ctx) => s.id === ctx.viewer?.sessionId,
    }),
  }),
});

builder.node(UserRef, {
  description: 'An account holder. Visible to the user themself and to admins.',
  id: { resolve: (u) => u.id },
  authScopes: (u, ctx) => ctx.viewer?.userId === u.id || (ctx.viewer?.roles.includes('ADMIN') ?? false),
  fields: () => ({}),
});

export const AdminSetUserRolesInput = builder.inputType('AdminSetUserRolesInput', {
  fields: (t) => ({
    userId: t.globalID({ required: true, for: UserRef }),
    roles: t.field({ type: [RoleEnum], required: true, description: 'The roles the user should have; USER is always kept.' }),
  }),
});

export const AdminSetUserRolesPayload = resultPayload('AdminSetUserRolesPayload', 'user', UserRef);
