// `userErrors` in mutation payloads: expected failures as data, Shopify-style.
import { USER_ERROR_CODES, type UserError } from '../services/errors.js';
import { builder } from './builder.js';

export const UserErrorCodeEnum = builder.enumType('UserErrorCode', {
  description: 'Why a mutation did not do what was asked.',
  values: USER_ERROR_CODES,
});

export const UserErrorRef = builder.objectRef<UserError>('UserError').implement({
  description: 'An expected failure of a mutation. Nothing was changed.',
  fields: (t) => ({
    field: t.stringList({
      nullable: true,
      description: 'Path to the input field at fault, e.g. ["input", "email"]; null when not about one field.',
      resolve: (e) => e.field,
    }),
    code: t.field({ type: UserErrorCodeEnum, resolve: (e) => e.code }),
    message: t.exposeString('message'),
  }),
});
