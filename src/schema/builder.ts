// The Pothos builder: the context type, scalars and plugins, declared once.
import SchemaBuilder from '@pothos/core';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { badUserInput, forbidden, unauthenticated } from '../services/errors.js';
import { parseGlobalId } from '../services/ids.js';
import type { ApiScope } from '../services/partners/apiKeys.js';
import type { GraphQLContext } from './context.js';
import GlobalIdArgumentsPlugin from './globalIdArguments.js';

/** Most IDs one nodes(ids:) call may look up (inputs are bounded like pages). */
const MAX_NODES = 100;

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  /** authenticated/admin: a signed-in user (an admin); apiScope: an API key with that scope. */
  AuthScopes: { authenticated: boolean; admin: boolean; apiScope: ApiScope };
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date };
    Decimal: { Input: string; Output: string };
    CurrencyCode: { Input: string; Output: string };
    BigInt: { Input: bigint; Output: bigint | string };
  };
  DefaultFieldNullability: false;
}>({
  // GlobalIdArgumentsPlugin checks id arguments (naming the argument) before relay decodes them.
  plugins: [ScopeAuthPlugin, RelayPlugin, GlobalIdArgumentsPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: (ctx) => ({
      authenticated: ctx.viewer !== null,
      admin: ctx.viewer?.roles.includes('ADMIN') ?? false,
      apiScope: (scope) => ctx.apiKey?.scopes.includes(scope) ?? false,
    }),
    // Not signed in: UNAUTHENTICATED. Signed in (or an API key) but not allowed: FORBIDDEN.
    unauthorizedError: (_parent, ctx) =>
      ctx.viewer
        ? forbidden()
        : ctx.apiKey
          ? forbidden('This API key may not do this: it lacks the scope, or the field is for signed-in users.')
          : unauthenticated(ctx.authProblem),
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodesQueryOptions: {
      description: `Up to ${MAX_NODES} objects by ID; null for each one you may not see.`,
      resolve: (_root, { ids }, _ctx, _info, resolveNodes) => {
        if (ids.length > MAX_NODES) throw badUserInput(`ids may hold at most ${MAX_NODES} IDs, got ${ids.length}.`, 'ids');
        return resolveNodes(ids);
      },
    },
    // Every id in this API is "<Type>:<uuid>" in base64 (src/services/ids.ts). Id arguments were
    // already checked, by name and type, in globalIdArguments.ts; this is the backstop for any
    // other id relay decodes, refused before it can reach the database as a malformed uuid.
    decodeGlobalID: (globalID) => {
      const decoded = parseGlobalId(globalID);
      if (!decoded) throw badUserInput('Not an ID of this API.');
      return decoded;
    },
  },
});

/** The builder's type parameters, for helpers that take refs of this schema. */
export type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer Types> ? Types : never;

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
