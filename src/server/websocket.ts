// GraphQL subscriptions over WebSocket (graphql-ws protocol) on the same port and path as HTTP.
// The connection is authenticated once in onConnect (bad or missing token or API key: close
// 4403), and every operation re-checks that the token has not expired and the session is still
// live, passes the caller's rate limit and, for an API key, the trusted-documents rule (the
// operation names a registered document and sends no query), and the same parse/validation
// limits as HTTP.
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { GraphQLError, parse, specifiedRules, validate, getOperationAST, type GraphQLSchema, type DocumentNode } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Viewer } from '../schema/context.js';
import type { Services } from '../services/index.js';
import type { ApiKeyPrincipal } from '../services/partners/apiKeys.js';
import { authenticate } from './authenticate.js';
import { createContext, deviceIdOf } from './context.js';
import { formatError } from './formatError.js';
import { clientIp } from './http.js';
import type { OperationLimits } from './operationLimits.js';
import { checkRateLimit, resolveTrustedDocument } from './requestGate.js';

type ConnectionState = {
  viewer?: Viewer;
  apiKey?: ApiKeyPrincipal;
  connectionId?: string;
};

export interface WebSocketDeps {
  httpServer: Server;
  schema: GraphQLSchema;
  services: Services;
  config: Config;
  log: Logger;
  limits: OperationLimits;
}

export function attachWebSocketServer(deps: WebSocketDeps) {
  const { schema, services, config, log, limits } = deps;
  const wss = new WebSocketServer({ server: deps.httpServer, path: '/graphql', maxPayload: config.MAX_BODY_BYTES });
  const rules = [...specifiedRules, ...limits.validationRules];
  const documents = new Map<string, DocumentNode>();

  const fail = (message: string, code: string) => [new GraphQLError(message, { extensions: { code } })];

  const server = useServer<Record<string, unknown>, ConnectionState>(
    {
      schema,
      onConnect: async (ctx) => {
        const { viewer, apiKey } = await authenticate(services, ctx.connectionParams?.authorization);
        if (!viewer && !apiKey) return false; // graphql-ws closes with 4403 Forbidden
        if (viewer) ctx.extra.viewer = viewer;
        if (apiKey) ctx.extra.apiKey = apiKey;
        ctx.extra.connectionId = randomUUID();
        return true;
      },
      onSubscribe: async (ctx, _id, payload) => {
        const { viewer, apiKey } = ctx.extra;
        // graphql-ws has already registered this operation in ctx.subscriptions.
        if (Object.keys(ctx.subscriptions).length > config.MAX_SUBSCRIPTIONS_PER_CONNECTION) {
          return fail(
            `This connection already has ${config.MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions (MAX_SUBSCRIPTIONS_PER_CONNECTION). Close some or open another connection.`,
            'RATE_LIMITED',
          );
        }
        if (viewer && viewer.tokenExpiresAt * 1000 <= Date.now()) {
          return fail('The access token has expired. Reconnect with a fresh token.', 'UNAUTHENTICATED');
        }
        if (viewer && !(await services.sessions.isActive(viewer.sessionId))) {
          return fail('This session has been signed out. Sign in again.', 'UNAUTHENTICATED');
        }
        // The key is checked again (from the cache) so that a revocation ends its next operation.
        if (apiKey && !(await authenticate(services, ctx.connectionParams?.authorization)).apiKey) {
          return fail('This API key has been revoked.', 'UNAUTHENTICATED');
        }
        const limited = await checkRateLimit(services, { viewer: viewer ?? null, apiKey });
        if (limited) return [new GraphQLError(limited.message, { extensions: { code: limited.code, retryAfterSeconds: limited.retryAfterSeconds } })];
        if (apiKey) {
          const trusted = await resolveTrustedDocument(services, apiKey, payload);
          if ('problem' in trusted) return fail(trusted.problem.message, trusted.problem.code);
          payload = trusted.request;
        }
        let document = documents.get(payload.query);
        if (!document) {
          try {
            document = parse(payload.query, limits.parseOptions);
          } catch (err) {
            return fail((err as Error).message, 'GRAPHQL_PARSE_FAILED');
          }
          const errors = validate(schema, document, rules);
          if (errors.length) {
            return errors.map((e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
          }
          if (documents.size > 1000) documents.clear();
          documents.set(payload.query, document);
        }
        if (!getOperationAST(document, payload.operationName ?? undefined)) {
          return fail('Could not determine which operation to run: name it with operationName.', 'OPERATION_RESOLUTION_FAILURE');
        }
        const requestId = randomUUID();
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: createContext({
            services,
            auth: { viewer: viewer ?? null, apiKey },
            requestId,
            log: log.child({ reqId: requestId, connectionId: ctx.extra.connectionId }),
            ip: clientIp(ctx.extra.request, config.TRUST_PROXY),
            userAgent: ctx.extra.request.headers['user-agent'],
            deviceId: deviceIdOf(ctx.connectionParams?.deviceId ?? ctx.extra.request.headers['x-device-id']),
          }),
        };
      },
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map((e) => formatError(e.toJSON(), e)) } : undefined,
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatError(e.toJSON(), e)),
    },
    wss,
  );

  return {
    wss,
    /** Closes every socket with 1001 (going away) and stops accepting new ones. */
    async close() {
      await server.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
