// `userErrors` in mutation payloads: expected failures as data, Shopify-style.
import type { ObjectRef } from '@pothos/core';
import { USER_ERROR_CODES, type UserError } from '../services/errors.js';
import { builder, type BuilderTypes } from './builder.js';

export const UserErrorCodeEnum = builder.enumType('UserErrorCode', {
  description: 'Why a mutation did not do what was asked.',
  values: USER_ERROR_CODES,
});

export const UserErrorRef = builder.objectRef<UserError>('UserError').implement({
  description: 'An expected failure of a mutation. Nothing was changed.',
  fields: (t) => ({
    field: t.stringList({
      nullable: true,
      description:
        'Path to the input field at fault, e.g. ["input", "email"] (or ["merchantId"] for a top-level argument); null when not about one field.',
      resolve: (e) => e.field,
    }),
    code: t.field({ type: UserErrorCodeEnum, resolve: (e) => e.code }),
    message: t.exposeString('message'),
  }),
});

/**
 * The `replayed` field of every payload of a mutation that takes an idempotencyKey (resolve it
 * with `(p) => p.replayed ?? false`).
 */
export const replayedField = {
  description:
    'True when this is the stored answer to an earlier request with the same idempotencyKey (its result or its userErrors, as they were then); nothing was done again.',
};

/** The `userErrors` field's type, for payloads defined elsewhere. */
export const userErrorsField = { type: [UserErrorRef] as [typeof UserErrorRef] };

/** A `<Name>Payload` whose one result field is null when there are userErrors. */
export function resultPayload<Field extends string, T>(name: string, field: Field, type: ObjectRef<BuilderTypes, T>) {
  type Shape = { [K in Field]?: T | null } & { userErrors: UserError[] };
  return builder.objectRef<Shape>(name).implement({
    fields: (t) => ({
      // (Pothos cannot check a generic result type; the Shape above is the contract.)
      [field]: t.field({ type, nullable: true, resolve: (p) => ((p[field] as T | null | undefined) ?? null) as never }),
      userErrors: t.field({ ...userErrorsField, resolve: (p) => p.userErrors }),
    }),
  });
}
