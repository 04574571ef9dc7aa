// The error catalogue. Two kinds, kept apart on purpose:
// - AppError: a request that cannot be served (not signed in, not allowed, rate limited...).
//   Thrown; the API reports it in `errors[]` with `extensions.code`.
// - UserError: an expected domain outcome of a mutation (email taken, weak password...).
//   Returned as a value; the API puts it in the payload's `userErrors`, nothing is thrown.
import type { z } from 'zod';

export type AppErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'BAD_USER_INPUT' | 'NOT_FOUND' | 'RATE_LIMITED' | 'INTERNAL';

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const unauthenticated = (message = 'Sign in required: send a valid access token as "Authorization: Bearer <token>".') =>
  new AppError('UNAUTHENTICATED', message);
export const forbidden = (message = 'You are not allowed to do this.') => new AppError('FORBIDDEN', message);
export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found.`);
export const badUserInput = (message: string, argument?: string) => new AppError('BAD_USER_INPUT', message, argument ? { argument } : {});
export const rateLimited = (message: string, retryAfterSeconds: number) => new AppError('RATE_LIMITED', message, { retryAfterSeconds });

/** Every code a userError can carry (the API's UserErrorCode enum is built from this list). */
export const USER_ERROR_CODES = [
  'INVALID_INPUT',
  'INVALID_EMAIL',
  'INVALID_PHONE',
  'WEAK_PASSWORD',
  'EMAIL_TAKEN',
  'PHONE_TAKEN',
  'INVALID_CREDENTIALS',
  'INVALID_REFRESH_TOKEN',
  'NOT_FOUND',
  'UNSUPPORTED_CURRENCY',
  'WALLET_EXISTS',
  'INVALID_AMOUNT',
  'INSUFFICIENT_FUNDS',
  'RECIPIENT_NOT_FOUND',
  'RECIPIENT_HAS_NO_WALLET_IN_CURRENCY',
  'NO_WALLET_IN_CURRENCY',
  'SELF_TRANSFER',
  'CURRENCY_MISMATCH',
  'WALLET_FROZEN',
  'IDEMPOTENCY_KEY_REUSED',
  'IDEMPOTENCY_IN_PROGRESS',
  'CARD_DECLINED',
  'PAYMENT_METHOD_UNUSABLE',
  'VERIFICATION_FAILED',
  'VERIFICATION_LOCKED',
  'LIMIT_EXCEEDED',
  'TRANSFER_DECLINED',
  'PAYMENT_REQUEST_CLOSED',
  'PAYMENT_REQUEST_EXPIRED',
  'REFUND_EXCEEDS_PAYMENT',
  'TRY_AGAIN',
  'MFA_REQUIRED',
  'INVALID_MFA_CODE',
  'MFA_NOT_ENABLED',
  'MFA_ALREADY_ENABLED',
  'STEP_UP_REQUIRED',
  'MFA_ENROLMENT_REQUIRED',
  'ACCOUNT_NOT_EMPTY',
  'ACCOUNT_UNDER_REVIEW',
  'INVALID_CODE',
  'ALREADY_VERIFIED',
  'CONTACT_VERIFICATION_REQUIRED',
  'PHONE_NOT_VERIFIED',
  'INVALID_TIME_ZONE',
  'INVALID_PERIOD',
  'NOTIFICATION_LOCKED',
] as const;

export type UserErrorCode = (typeof USER_ERROR_CODES)[number];

export interface UserError {
  /** Path to the offending input field, e.g. ["input", "email"]; null when not about one field. */
  field: string[] | null;
  code: UserErrorCode;
  message: string;
}

/** Result of an operation whose expected failures are values. */
/** A service's answer: its value, or why not. `replayed`: a refusal answered again from its idempotency key. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; errors: UserError[]; replayed?: boolean };

export const success = <T>(value: T): Outcome<T> => ({ ok: true, value });

/** The userError path of an input field written with dots ("amount.currency" → ["input", "amount", "currency"]). */
export const inputPath = (field: string): string[] => ['input', ...field.split('.')];
/** Why an admin's reason (already trimmed) is refused: they must say why in 3 to 500 characters. */
export function reasonProblem(reason: string): UserError | null {
  return reason.length >= 3 && reason.length <= 500
    ? null
    : { field: inputPath('reason'), code: 'INVALID_INPUT', message: 'reason must be 3 to 500 characters: say why.' };
}

/**
 * A refusal naming what was wrong: a field of the mutation's `input` ("amount.currency"), or, as
 * `{ argument }`, one of its top-level arguments (mutations that take no input object).
 */
export const failure = (code: UserErrorCode, message: string, field?: string | { argument: string }): Outcome<never> => ({
  ok: false,
  errors: [{ code, message, field: field === undefined ? null : typeof field === 'string' ? inputPath(field) : [field.argument] }],
});

/** Thrown inside a database transaction to refuse the operation: everything rolls back, and the caller answers with the userError. */
export class Refusal extends Error {
  constructor(readonly userError: UserError) {
    super(userError.message);
  }
}

export const refuse = (code: UserErrorCode, message: string, field?: string): never => {
  throw new Refusal({ code, message, field: field ? inputPath(field) : null });
};

/** Runs `work`; a Refusal thrown inside becomes the failed Outcome. */
export async function refusable<T>(work: () => Promise<Outcome<T>>): Promise<Outcome<T>> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof Refusal) return { ok: false, errors: [err.userError] };
    throw err;
  }
}

/**
 * Validates input with a zod schema; every issue becomes a UserError naming its field.
 * Issues may carry their own code via `params: { code }` (e.g. WEAK_PASSWORD).
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): Outcome<z.output<S>> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return success(parsed.data);
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) => {
      const params = (issue as { params?: { code?: UserErrorCode } }).params;
      return {
        field: ['input', ...issue.path.map(String)],
        code: params?.code ?? 'INVALID_INPUT',
        message: `${issue.path.join('.') || 'input'}: ${issue.message}`,
      };
    }),
  };
}
