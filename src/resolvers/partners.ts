// API keys: listed, created and revoked by a merchant's OWNER, signed in (never with an API key).
import { builder } from '../schema/builder.js';
import { MerchantRef } from '../schema/merchants.js';
import { ApiKeyRef, CreateApiKeyInput, CreateApiKeyPayload, RevokeApiKeyPayload } from '../schema/partners.js';
import { loadNodeWith } from './nodes.js';
import { payload } from './payload.js';
import { stepUpRequired } from './stepUp.js';

// A key is loaded for an OWNER of its merchant, signed in (an API key never sees keys).
loadNodeWith(ApiKeyRef, (id, ctx) => (ctx.viewer ? ctx.services.apiKeys.getForOwner(ctx.viewer.userId, id) : null));

builder.objectField(MerchantRef, 'apiKeys', (t) =>
  t.field({
    type: [ApiKeyRef],
    description: 'OWNER only (empty otherwise), newest first.',
    resolve: (m, _a, ctx) => (m.role === 'OWNER' ? ctx.services.apiKeys.list(m.id) : []),
  }),
);

builder.mutationField('createApiKey', (t) =>
  t.field({
    type: CreateApiKeyPayload,
    description: 'OWNER only: a new API key with the given scopes. The key is in this answer only.',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: CreateApiKeyInput, required: true }) },
    resolve: stepUpRequired('USER', async (_root, { input }, ctx) =>
      payload(await ctx.services.apiKeys.create(ctx.viewer!.userId, { ...input, merchantId: input.merchantId.id }), (v) => v),
    ),
  }),
);

builder.mutationField('revokeApiKey', (t) =>
  t.field({
    type: RevokeApiKeyPayload,
    description: 'OWNER only: the key stops working at once, on every server.',
    authScopes: { authenticated: true },
    args: { id: t.arg.globalID({ required: true, for: ApiKeyRef }) },
    resolve: stepUpRequired('USER', async (_root, { id }, ctx) =>
      payload(await ctx.services.apiKeys.revoke(ctx.viewer!.userId, id.id), (apiKey) => ({ apiKey })),
    ),
  }),
);
