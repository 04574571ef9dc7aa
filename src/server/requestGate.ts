// What every GraphQL request passes before it is executed, over HTTP and WebSocket alike:
//   1. the rate limit of its caller (a token bucket per signed-in user and per API key);
//   2. for an API key, the trusted-documents rule: the request names a registered document by its
//      id (documentId, or extensions.persistedQuery.sha256Hash) and sends no query of its own.
// Signed-in app users may send full queries (and use automatic persisted queries).
import type { Services } from '../services/index.js';
import type { ApiKeyPrincipal } from '../services/partners/apiKeys.js';
import type { Authentication } from './authenticate.js';

export interface GateProblem {
  status: number;
  code: string;
  message: string;
  retryAfterSeconds?: number;
}

/** Takes a token from the caller's bucket; the problem when there is none left. */
export function checkRateLimit(services: Services, auth: Authentication): GateProblem | null {
  const wait = auth.apiKey
    ? services.rateLimits.apiKey.take(auth.apiKey.keyId)
    : auth.viewer
      ? services.rateLimits.user.take(auth.viewer.userId)
      : null;
  if (wait === null) return null;
  return {
    status: 429,
    code: 'RATE_LIMITED',
    message: `Too many requests: ${auth.apiKey ? 'this API key' : 'this account'} is over its rate limit. Retry in ${wait} seconds.`,
    retryAfterSeconds: wait,
  };
}

/** The fields of a request (HTTP body or parameters, or a WebSocket subscribe payload) this looks at. */
interface OperationFields {
  query?: unknown;
  documentId?: unknown;
  extensions?: { persistedQuery?: { sha256Hash?: unknown } } & Record<string, unknown>;
}

/**
 * For an API key: the request with its trusted document filled in as `query` (and the id taken
 * out), or why it may not run.
 */
export async function resolveTrustedDocument<T extends object>(
  services: Services,
  apiKey: ApiKeyPrincipal,
  original: T,
): Promise<{ request: T } | { problem: GateProblem }> {
  const request = original as OperationFields;
  if (typeof request.query === 'string' && request.query.trim() !== '') {
    return {
      problem: {
        status: 400,
        code: 'TRUSTED_DOCUMENT_REQUIRED',
        message:
          'Requests with an API key run only registered documents: send documentId (the sha256 id from your persisted-documents.json), not a query.',
      },
    };
  }
  const raw = request.documentId ?? request.extensions?.persistedQuery?.sha256Hash;
  const id = typeof raw === 'string' ? raw.replace(/^sha256:/, '') : '';
  const body = id ? await services.trustedDocuments.find(apiKey.client, id) : null;
  if (!body) {
    return {
      problem: {
        status: 400,
        code: 'TRUSTED_DOCUMENT_NOT_FOUND',
        message: id
          ? `No document with that id is registered for your client (${apiKey.client}). Register it (npm run documents:register) or use an id from your manifest.`
          : 'Send documentId: the sha256 id of one of your registered documents.',
      },
    };
  }
  const { documentId: _id, extensions, ...rest } = request as OperationFields & Record<string, unknown>;
  const { persistedQuery: _pq, ...otherExtensions } = extensions ?? {};
  return { request: { ...rest, query: body, ...(Object.keys(otherExtensions).length ? { extensions: otherExtensions } : {}) } as T };
}
