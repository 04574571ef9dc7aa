// The user's rights over their data (GDPR): a copy of it, and erasure. Resolvers: src/resolvers/privacy.ts.
import type { UserError } from '../services/errors.js';
import { builder } from './builder.js';
import { userErrorsField } from './userErrors.js';

export const ExportMyDataPayload = builder
  .objectRef<{ downloadUrl?: string; expiresAt?: Date; userErrors: UserError[] }>('ExportMyDataPayload')
  .implement({
    fields: (t) => ({
      downloadUrl: t.string({
        nullable: true,
        description:
          'GET it (a browser download) for one JSON document with everything held about you. It works for this session only, until expiresAt.',
        resolve: (p) => p.downloadUrl ?? null,
      }),
      expiresAt: t.field({ type: 'DateTime', nullable: true, resolve: (p) => p.expiresAt ?? null }),
      userErrors: t.field({ ...userErrorsField, resolve: (p) => p.userErrors }),
    }),
  });

export const DeleteMyAccountInput = builder.inputType('DeleteMyAccountInput', {
  fields: (t) => ({
    password: t.string({ required: true, description: 'Your password, once more.' }),
  }),
});

export const DeleteMyAccountPayload = builder.objectRef<{ erasedAt?: Date; userErrors: UserError[] }>('DeleteMyAccountPayload').implement({
  fields: (t) => ({
    erasedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the account was erased: you are signed out everywhere, and it cannot be undone.',
      resolve: (p) => p.erasedAt ?? null,
    }),
    userErrors: t.field({ ...userErrorsField, resolve: (p) => p.userErrors }),
  }),
});
