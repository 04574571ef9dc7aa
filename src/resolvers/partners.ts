// API keys: created and revoked by a merchant's OWNER, signed in (never with an API key).
import { builder } from '../schema/builder.js';
import { CreateApiKeyInput, CreateApiKeyPayload, RevokeApiKeyPayload } from '../schema/partners.js';
import { payload } from './payload.js';

builder.mutationField('createApiKey', (t) =>
  t.field({
    type: CreateApiKeyPayload,
    description: 'OWNER only: a new API key with the given scopes. The key is in this answer only.',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: CreateApiKeyInput, required: true }) },
    resolve: async (_root, { input }, ctx) =>
      payload(await ctx.services.apiKeys.create(ctx.viewer!.userId, { ...input, merchantId: input.merchantId.id }), (v) => v),
  }),
);

builder.mutationField('revokeApiKey', (t) =>
  t.field({
    type: RevokeApiKeyPayload,
    description: 'OWNER only: the key stops working at once, on every server.',
    authScopes: { authenticated: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => payload(await ctx.services.apiKeys.revoke(ctx.viewer!.userId, id), (apiKey) => ({ apiKey })),
  }),
);
