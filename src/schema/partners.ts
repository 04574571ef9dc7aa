// API keys of a merchant, for partner integrations (OWNER only). Loading one: src/resolvers/partners.ts.
import type { UserError } from '../services/errors.js';
import type { API_SCOPES, ApiKeyRecord } from '../services/partners/apiKeys.js';
import { builder } from './builder.js';
import { MerchantRef } from './merchants.js';
import { userErrorsField } from './userErrors.js';

export const ApiScopeEnum = builder.enumType('ApiScope', {
  values: {
    PAYMENTS_READ: {
      value: 'payments:read',
      description: 'Read payment requests, payments and the merchant; subscribe to checkout updates.',
    },
    PAYMENTS_WRITE: { value: 'payments:write', description: 'Create and cancel payment requests.' },
    REFUNDS_WRITE: { value: 'refunds:write', description: 'Refund payments.' },
  } as const satisfies Record<string, { value: (typeof API_SCOPES)[number]; description: string }>,
});

export const ApiKeyRef = builder.objectRef<ApiKeyRecord>('ApiKey');
builder.node(ApiKeyRef, {
  description: "A merchant's key for a partner (its OWNERs only). The key itself is shown once, when it is created; this is what is kept.",
  id: { resolve: (k) => k.id },
  fields: (t) => ({
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix', { description: 'The start of the key ("wk_…"), to tell keys apart.' }),
    scopes: t.field({ type: [ApiScopeEnum], resolve: (k) => k.scopes }),
    client: t.exposeString('client', { description: 'The partner client whose trusted documents the key runs.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true, description: 'To the minute.' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});

export const CreateApiKeyInput = builder.inputType('CreateApiKeyInput', {
  fields: (t) => ({
    merchantId: t.globalID({ required: true, for: MerchantRef }),
    name: t.string({ required: true, description: 'What it is for, 1 to 100 characters.' }),
    scopes: t.field({ type: [ApiScopeEnum], required: true }),
    client: t.string({
      required: false,
      description: 'The partner client whose registered documents it runs (default DEFAULT_PARTNER_CLIENT).',
    }),
  }),
});

export const CreateApiKeyPayload = builder
  .objectRef<{ apiKey?: ApiKeyRecord | null; key?: string | null; userErrors: UserError[] }>('CreateApiKeyPayload')
  .implement({
    fields: (t) => ({
      apiKey: t.field({ type: ApiKeyRef, nullable: true, resolve: (p) => p.apiKey ?? null }),
      key: t.string({
        nullable: true,
        description: 'The key, shown this once: store it now. Send it as "Authorization: Bearer <key>".',
        resolve: (p) => p.key ?? null,
      }),
      userErrors: t.field({ ...userErrorsField, resolve: (p) => p.userErrors }),
    }),
  });

export const RevokeApiKeyPayload = builder
  .objectRef<{ apiKey?: ApiKeyRecord | null; userErrors: UserError[] }>('RevokeApiKeyPayload')
  .implement({
    fields: (t) => ({
      apiKey: t.field({ type: ApiKeyRef, nullable: true, resolve: (p) => p.apiKey ?? null }),
      userErrors: t.field({ ...userErrorsField, resolve: (p) => p.userErrors }),
    }),
  });
