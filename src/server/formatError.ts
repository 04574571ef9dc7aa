// What clients see of an error. Typed errors keep their code and message; anything unexpected
// becomes INTERNAL with a fixed message (no stack, no SQL) and is logged with the request id.
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { isDatabaseUnavailable } from '../db/sqlErrors.js';
import { AppError } from '../services/errors.js';
import { raiseWith } from './operationLimits.js';

/** Codes that graphql-js, Apollo Server or our scalars raise for the client's own mistakes. */
const CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'RATE_LIMITED',
  'TRUSTED_DOCUMENT_REQUIRED',
  'TRUSTED_DOCUMENT_NOT_FOUND',
  'SERVICE_UNAVAILABLE',
]);

/** The error behind `error`: a resolver's, or the one graphql-ws wraps (without a path) when a subscription's stream fails. */
function originalOf(error: unknown): unknown {
  const unwrapped = unwrapResolverError(error);
  return unwrapped instanceof GraphQLError && unwrapped.originalError instanceof AppError ? unwrapped.originalError : unwrapped;
}

export const INTERNAL_MESSAGE = 'Internal server error. The request id in the x-request-id header identifies it in the logs.';

/** A dependency the request needs (the database) could not be reached: retry, with the same idempotency key. */
export const UNAVAILABLE_RETRY_SECONDS = 2;
export const UNAVAILABLE_MESSAGE = `The service is briefly unavailable (database unreachable). Retry in ${UNAVAILABLE_RETRY_SECONDS} seconds; retry money movements with the same idempotencyKey, which never moves money twice.`;

/**
 * True when the error is a bug or an outage rather than the client's doing. Client mistakes are
 * raised with a code (AppError, our scalars, Apollo's parse/validation/variable errors, the check
 * of id arguments in src/schema/globalIdArguments.ts), or are graphql-js's own words about the
 * request. Anything else, such as a library's error class without a code (Pothos'
 * PothosValidationError, which quotes the values it refused), is unexpected: INTERNAL.
 */
export function isInternalError(error: unknown): boolean {
  const original = originalOf(error);
  if (original instanceof AppError) return original.code === 'INTERNAL';
  if (original instanceof GraphQLError) {
    const code = original.extensions?.code;
    if (typeof code === 'string' && CLIENT_CODES.has(code)) return false;
    // Apollo marks its own refusals of a request (e.g. an APQ hash that does not match) with a 4xx status.
    const status = (original.extensions?.http as { status?: number } | undefined)?.status;
    if (status !== undefined && status >= 400 && status < 500) return false;
    if (Object.getPrototypeOf(original) !== GraphQLError.prototype) return true;
    // graphql-js's own errors about the request (a variable it could not coerce, over WebSocket
    // where Apollo gives no code; an argument that must not be null) point at the request's
    // nodes; what it raises about a result (a value a scalar cannot serialize) points at none.
    if (!original.nodes?.length) return true;
    return original.originalError !== undefined && !(original.originalError instanceof GraphQLError);
  }
  return true;
}

/**
 * graphql-js quotes the offending input in its messages ("Variable "$input" got invalid value
 * { number: "4242…", … }; Field "cvc" … was not provided.", "Value "4242…" does not exist in
 * "Direction" enum."). Inputs may be card numbers, CVCs or passwords, so client error messages
 * keep the path and the reason but never the value, both in responses and in logs. `reason` is
 * the message of the error the value raised (the part after "; "), when there is one.
 */
export function withoutInputValues(message: string, reason?: string): string {
  if (reason && reason !== message && message.endsWith(`; ${reason}`)) {
    const head = message.slice(0, message.length - reason.length - 2);
    const variable = /^(Variable "\$[^"]+" got) invalid value [\s\S]*?( at "[^"]+")?$/.exec(head);
    return `${variable ? `${variable[1]} an invalid value${variable[2] ?? ''}` : withoutInputValues(head)}; ${withoutInputValues(reason)}`;
  }
  return message
    .replace(/(Variable "\$[^"]+" got) invalid value [\s\S]*$/, '$1 an invalid value.')
    .replace(/(Expected value of type "[^"]+"), found [\s\S]*?(?=;|$)/, '$1, found an invalid value')
    .replace(/(cannot represent[^:]*): [\s\S]*$/, '$1.')
    .replace(/Value "[\s\S]*" does not exist in "(\w+)" enum\./, 'The value is not one of the "$1" enum.');
}

/** graphql-js's parse error for a document over MAX_QUERY_TOKENS ("more that", sic). */
const TOO_MANY_TOKENS = /^Syntax Error: Document contains more th[ae]t? \d+ tokens/;

export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = originalOf(error);
  const { path, locations } = formatted;
  if (isDatabaseUnavailable(original)) {
    return {
      message: UNAVAILABLE_MESSAGE,
      path,
      locations,
      extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: UNAVAILABLE_RETRY_SECONDS },
    };
  }
  if (original instanceof AppError) {
    return { message: original.message, path, locations, extensions: { code: original.code, ...original.extensions } };
  }
  if (isInternalError(error)) {
    return { message: INTERNAL_MESSAGE, path, locations, extensions: { code: 'INTERNAL' } };
  }
  const { stacktrace: _drop, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
  // Apollo's own wording tells clients how to configure the server; they only need the fact.
  const message = formatted.message.startsWith('GraphQL introspection is not allowed')
    ? 'Introspection is disabled on this server (INTROSPECTION=false). Use the published schema.graphql.'
    : TOO_MANY_TOKENS.test(formatted.message)
      ? `${formatted.message} ${raiseWith('MAX_QUERY_TOKENS')}`
      : withoutInputValues(formatted.message, original instanceof GraphQLError ? original.originalError?.message : undefined);
  // Apollo marks an error raised without a code INTERNAL_SERVER_ERROR; it is not internal (see
  // isInternalError), so it is graphql-js's word about the request: the client's input.
  const code = extensions.code === undefined || extensions.code === 'INTERNAL_SERVER_ERROR' ? 'BAD_USER_INPUT' : extensions.code;
  return { ...formatted, message, extensions: { ...extensions, code } };
}
