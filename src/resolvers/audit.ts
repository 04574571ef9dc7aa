// The audit log for admins: one event by id, and the newest-first list with filters.
import { AuditEventFilter, AuditEventRef } from '../schema/audit.js';
import { builder } from '../schema/builder.js';
import { badUserInput } from '../services/errors.js';
import { loadNodeWith } from './nodes.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './pagination.js';

loadNodeWith(AuditEventRef, (id, ctx) =>
  ctx.viewer?.roles.includes('ADMIN') && /^\d{1,18}$/.test(id) ? ctx.services.audit.get(BigInt(id)) : null,
);

/** A position in the list: the event id, opaque to clients. */
const cursorOf = (id: bigint) => Buffer.from(`audit|${id}`, 'utf8').toString('base64url');
function idOfCursor(cursor: string): bigint {
  const match = /^audit\|(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw badUserInput('after is not a cursor from this list.', 'after');
  return BigInt(match[1]!);
}

builder.queryField('auditEvents', (t) =>
  t.connection(
    {
      type: AuditEventRef,
      description: 'Admins: the audit log, newest first (forward pages: first and after).',
      authScopes: { admin: true },
      args: { filter: t.arg({ type: AuditEventFilter, required: false }) },
      resolve: async (_root, args, ctx) => {
        if (args.last != null || args.before != null) throw badUserInput('The audit log pages forward only: use first and after.', 'last');
        const limit = args.first ?? DEFAULT_PAGE_SIZE;
        if (limit < 1 || limit > MAX_PAGE_SIZE) throw badUserInput(`first must be between 1 and ${MAX_PAGE_SIZE}.`, 'first');
        const f = args.filter;
        const rows = await ctx.services.audit.list(
          {
            kind: f?.kind ?? null,
            actorId: f?.actorId?.id ?? null,
            subjectId: f?.subjectId?.id ?? null,
            since: f?.since ?? null,
            until: f?.until ?? null,
          },
          { limit: limit + 1, before: args.after ? idOfCursor(args.after) : null },
        );
        const edges = rows.slice(0, limit).map((node) => ({ node, cursor: cursorOf(node.id) }));
        return {
          edges,
          pageInfo: {
            hasNextPage: rows.length > limit,
            hasPreviousPage: false,
            startCursor: edges[0]?.cursor ?? null,
            endCursor: edges.at(-1)?.cursor ?? null,
          },
        };
      },
    },
    { name: 'AuditEventConnection' },
    { name: 'AuditEventEdge' },
  ),
);
