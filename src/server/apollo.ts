// Apollo Server: schema, limits, error masking and error logging (no landing page: see webAssets.ts).
import { ApolloServer, type ApolloServerPlugin, type GraphQLRequestListener } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { isDatabaseUnavailable } from '../db/sqlErrors.js';
import type { GraphQLContext } from '../schema/context.js';
import { formatError, isInternalError, withoutInputValues } from './formatError.js';
import { createRedisApqCache } from './apqCache.js';
import type { OperationLimits } from './operationLimits.js';

/**
 * The per-request hooks, in one plugin whose listener is made once (not per request):
 * - each failed operation is logged once: internal errors at error level with their cause, the
 *   rest at debug;
 * - an answer that failed only because the database was unreachable says so in HTTP too: 503
 *   with Retry-After (no data), or Retry-After beside partial data, so plain HTTP clients and
 *   proxies retry.
 */
function requestHooks(onUnavailable: () => void): ApolloServerPlugin<GraphQLContext> {
  const listener: GraphQLRequestListener<GraphQLContext> = {
    async didEncounterErrors({ contextValue, errors, operationName }) {
      for (const error of errors) {
        if (isDatabaseUnavailable(error.originalError)) {
          contextValue.log.warn({ err: error.originalError?.message, path: error.path, operationName }, 'database unavailable');
        } else if (isInternalError(error)) {
          contextValue.log.error({ err: error.originalError ?? error, path: error.path, operationName }, 'internal error');
        } else {
          contextValue.log.debug(
            { message: withoutInputValues(error.message, error.originalError?.message), code: error.extensions?.code, operationName },
            'request error',
          );
        }
      }
    },
    async willSendResponse({ response }) {
      if (response.body.kind !== 'single') return;
      const { errors, data } = response.body.singleResult;
      const unavailable = errors?.find((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE');
      if (!unavailable) return;
      onUnavailable();
      response.http.headers.set('retry-after', String(unavailable.extensions?.retryAfterSeconds ?? 1));
      if (data == null) response.http.status = 503;
    },
  };
  return { requestDidStart: async () => listener };
}

/** How long a registered APQ query is kept (refreshed whenever it is registered again). */
const APQ_TTL_SECONDS = 24 * 3600;

export function createApollo(
  schema: GraphQLSchema,
  config: Config,
  limits: OperationLimits,
  options: { redis?: Redis; onUnavailable?: () => void; plugins?: ApolloServerPlugin<GraphQLContext>[] } = {},
) {
  const { redis } = options;
  return new ApolloServer<GraphQLContext>({
    schema,
    // Automatic persisted queries for app frontends (partners' API keys use trusted documents instead).
    persistedQueries: { ttl: APQ_TTL_SECONDS, ...(redis ? { cache: createRedisApqCache(redis, config.REDIS_PREFIX) } : {}) },
    introspection: config.INTROSPECTION,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: config.ALLOW_BATCHING,
    // Credentials travel in the Authorization header, which browsers never attach to a
    // cross-site request, and POST requires application/json: see docs/decisions.md.
    csrfPrevention: false,
    stopOnTerminationSignals: false,
    parseOptions: limits.parseOptions,
    validationRules: limits.validationRules,
    formatError,
    plugins: [
      requestHooks(options.onUnavailable ?? (() => {})),
      // Metrics and traces of each operation (operationTelemetry.ts).
      ...(options.plugins ?? []),
      // No HTTP caching of this API's answers; without the plugin Apollo does not wrap every
      // field resolver to track cache hints (measurable per request).
      ApolloServerPluginCacheControlDisabled(),
      // Apollo's own landing page loads its sandbox from Apollo's CDN; browsers opening /graphql in
      // development get GraphiQL from this server instead (http.ts, webAssets.ts).
      ApolloServerPluginLandingPageDisabled(),
    ],
  });
}
