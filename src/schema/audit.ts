// The audit log, for admins (src/services/audit/auditLog.ts). Loading events and the list:
// src/resolvers/audit.ts.
import type { AuditEvent } from '../services/audit/auditLog.js';
import { builder } from './builder.js';
import { UserRef } from './user.js';

const AuditDetailRef = builder.objectRef<{ name: string; value: string }>('AuditDetail').implement({
  description: 'One fact of an audit event: ids, counts, decisions; never personal data.',
  fields: (t) => ({ name: t.exposeString('name'), value: t.exposeString('value') }),
});

export const AuditEventRef = builder.objectRef<AuditEvent>('AuditEvent');
builder.node(AuditEventRef, {
  description:
    'A security or admin event, from the append-only audit log whose rows are chained by an HMAC (npm run audit:verify). Admins only.',
  id: { resolve: (e) => e.id.toString() },
  authScopes: { admin: true },
  fields: (t) => ({
    kind: t.exposeString('kind', {
      description: 'What happened, e.g. auth.sign_in, admin.balance_adjusted, api_key.revoked (docs/security.md).',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    actor: t.field({
      type: UserRef,
      nullable: true,
      description: 'Who did it (an admin for admin actions); null for the system or an unknown caller.',
      resolve: (e) => (e.actorId ? { id: e.actorId } : null),
    }),
    subject: t.field({
      type: UserRef,
      nullable: true,
      description: 'Whom it concerns, when not the actor.',
      resolve: (e) => (e.subjectId ? { id: e.subjectId } : null),
    }),
    ip: t.exposeString('ip', { nullable: true }),
    details: t.field({
      type: [AuditDetailRef],
      resolve: (e) => Object.entries(e.details).map(([name, value]) => ({ name, value: String(value) })),
    }),
  }),
});

export const AuditEventFilter = builder.inputType('AuditEventFilter', {
  fields: (t) => ({
    kind: t.string({ description: 'One kind, e.g. auth.sign_in_failed.' }),
    actorId: t.globalID({ for: UserRef }),
    subjectId: t.globalID({ for: UserRef }),
    since: t.field({ type: 'DateTime', description: 'Events at or after this moment.' }),
    until: t.field({ type: 'DateTime', description: 'Events before this moment.' }),
  }),
});
