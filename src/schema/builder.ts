// The Pothos builder: the context type, scalars and plugins, declared once.
import SchemaBuilder from '@pothos/core';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { badUserInput, forbidden, unauthenticated } from '../services/errors.js';
import type { GraphQLContext } from './context.js';

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  AuthScopes: { authenticated: boolean; admin: boolean };
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date };
    Decimal: { Input: string; Output: string };
    CurrencyCode: { Input: string; Output: string };
  };
  DefaultFieldNullability: false;
}>({
  plugins: [ScopeAuthPlugin, RelayPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: (ctx) => ({
      authenticated: ctx.viewer !== null,
      admin: ctx.viewer?.roles.includes('ADMIN') ?? false,
    }),
    // Not signed in: UNAUTHENTICATED. Signed in but not allowed: FORBIDDEN.
    unauthorizedError: (_parent, ctx) => (ctx.viewer ? forbidden() : unauthenticated(ctx.authProblem)),
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    decodeGlobalID: (globalID) => {
      const decoded = globalID.length <= 200 ? Buffer.from(globalID, 'base64').toString('utf8') : '';
      const sep = decoded.indexOf(':');
      if (sep < 1 || !/^[A-Za-z]+$/.test(decoded.slice(0, sep))) throw badUserInput(`"${globalID.slice(0, 60)}" is not a valid ID.`, 'id');
      return { typename: decoded.slice(0, sep), id: decoded.slice(sep + 1) };
    },
  },
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
