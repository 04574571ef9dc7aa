// What clients see of an error. Typed errors keep their code and message; anything unexpected
// becomes INTERNAL with a fixed message (no stack, no SQL) and is logged with the request id.
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { AppError } from '../services/errors.js';

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
]);

export const INTERNAL_MESSAGE = 'Internal server error. The request id in the x-request-id header identifies it in the logs.';

/** True when the error is a bug or an outage rather than the client's doing. */
export function isInternalError(error: unknown): boolean {
  const original = unwrapResolverError(error);
  if (original instanceof AppError) return original.code === 'INTERNAL';
  if (original instanceof GraphQLError) {
    const code = original.extensions?.code;
    if (typeof code === 'string' && CLIENT_CODES.has(code)) return false;
    // A GraphQLError without an original error and without a code is graphql-js's own
    // validation/execution message about the request (e.g. a non-null variable missing).
    return original.originalError !== undefined && !(original.originalError instanceof GraphQLError);
  }
  return true;
}

/**
 * graphql-js quotes the offending input in its messages ("Variable "$input" got invalid value
 * { number: "4242…", … }; Field "cvc" … was not provided."). Inputs may be card numbers, CVCs or
 * passwords, so client error messages keep the path and the reason but never the value, both in
 * responses and in logs.
 */
export function withoutInputValues(message: string, reason?: string): string {
  const variable = /^Variable "(\$[^"]+)" got invalid value /.exec(message);
  if (variable && reason && message.endsWith(`; ${reason}`)) {
    const head = message.slice(0, message.length - reason.length - 2);
    const at = / at "([^"]+)"$/.exec(head);
    return `Variable "${variable[1]}" got an invalid value${at ? ` at "${at[1]}"` : ''}; ${withoutInputValues(reason)}`;
  }
  return message
    .replace(/(Variable "\$[^"]+" got) invalid value [\s\S]*$/, '$1 an invalid value.')
    .replace(/(Expected value of type "[^"]+"), found [\s\S]*?(?=;|$)/, '$1, found an invalid value')
    .replace(/(cannot represent[^:]*): [\s\S]*$/, '$1.');
}

export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const { path, locations } = formatted;
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
    : withoutInputValues(formatted.message, original instanceof GraphQLError ? original.originalError?.message : undefined);
  return { ...formatted, message, extensions: { ...extensions, code: extensions.code ?? 'BAD_USER_INPUT' } };
}
