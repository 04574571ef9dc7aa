// The account types: User (a Node) and its sessions. Loading them and User.sessions:
// src/resolvers/viewer.ts; User.wallets: src/resolvers/wallets.ts.
import type { UserRecord } from '../services/accounts/accounts.js';
import type { SessionRecord } from '../services/auth/sessions.js';
import { builder } from './builder.js';
import { resultPayload } from './userErrors.js';

export const RoleEnum = builder.enumType('Role', { values: ['USER', 'ADMIN'] as const });

export const UserRef = builder.objectRef<UserRecord>('User');
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
  fields: (t) => ({
    email: t.exposeString('email'),
    displayName: t.exposeString('displayName'),
    phone: t.exposeString('phone', { nullable: true, description: 'E.164, e.g. "+14155550123".' }),
    roles: t.field({ type: [RoleEnum], resolve: (u) => u.roles }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const AdminSetUserRolesInput = builder.inputType('AdminSetUserRolesInput', {
  fields: (t) => ({
    userId: t.globalID({ required: true, for: UserRef }),
    roles: t.field({ type: [RoleEnum], required: true, description: 'The roles the user should have; USER is always kept.' }),
  }),
});

export const AdminSetUserRolesPayload = resultPayload('AdminSetUserRolesPayload', 'user', UserRef);
