// GraphQL subscriptions over WebSocket (graphql-ws protocol) on the same port and path as HTTP.
// The connection is authenticated in onConnect (bad or missing token or API key: close 4403),
// and every operation authenticates again (token not expired, session or key still live, the
// user's current roles), passes the caller's rate limit and, for an API key, the
// trusted-documents rule (the operation names a registered document and sends no query), and the
// same parse/validation limits as HTTP. Running subscriptions end with their connection when what
// authorised it ends, on any process (liveConnections.ts: close codes 4401 and 4403).
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import { GraphQLError, parse, specifiedRules, validate, getOperationAST, Kind, type GraphQLSchema, type DocumentNode } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services/index.js';
import { authenticate } from './authenticate.js';
import { createContext, deviceIdOf } from './context.js';
import { isDatabaseUnavailable } from '../db/sqlErrors.js';
import { formatError, isInternalError } from './formatError.js';
import { clientIp } from './http.js';
import { createLiveConnections, type LiveConnection } from './liveConnections.js';
import type { Metrics } from './metrics.js';
import type { OperationLimits } from './operationLimits.js';
import { checkRateLimit, resolveTrustedDocument } from './requestGate.js';

type ConnectionState = {
  connectionId?: string;
  /** What authorised the connection, registered so that its end closes the socket. */
  live?: LiveConnection;
  /** Running subscriptions by operation id: their field, for the metrics. */
  running?: Map<string, string>;
};

/** While the broadcast channel is down, open connections are re-checked against the database this often. */
const RECHECK_WHILE_DOWN_MS = 5_000;

export interface WebSocketDeps {
  httpServer: Server | HttpsServer;
  schema: GraphQLSchema;
  services: Services;
  config: Config;
  log: Logger;
  limits: OperationLimits;
  metrics: Pick<Metrics, 'subscriptionStarted' | 'subscriptionEnded' | 'service'>;
}

export function attachWebSocketServer(deps: WebSocketDeps) {
  const { schema, services, config, log, limits } = deps;
  const wss = new WebSocketServer({ server: deps.httpServer, path: '/graphql', maxPayload: config.MAX_BODY_BYTES });
  const rules = [...specifiedRules, ...limits.validationRules];
  const documents = new Map<string, DocumentNode>();

  const fail = (message: string, code: string) => [new GraphQLError(message, { extensions: { code } })];

  /** Operation errors over WebSocket are logged as over HTTP: bugs at error, outages at warn. */
  const logErrors = (connectionId: string | undefined, operationName: string | null | undefined, errors: readonly GraphQLError[]) => {
    for (const error of errors) {
      if (isDatabaseUnavailable(error.originalError)) log.warn({ connectionId, operationName, path: error.path }, 'database unavailable');
      else if (isInternalError(error))
        log.error({ err: error.originalError ?? error, connectionId, operationName, path: error.path }, 'internal error');
    }
  };

  const live = createLiveConnections(
    { liveSessions: (ids) => services.sessions.liveAmong(ids), liveKeys: (ids) => services.apiKeys.liveAmong(ids) },
    log,
  );
  const stopListening = [
    services.sessions.onChange((change) => {
      if (change.kind === 'sessionsEnded') live.endSessions(change.sessionIds);
      else if (change.kind === 'usersChanged') live.endUsers(change.userIds, 'Your roles changed: reconnect');
      else void live.recheck();
    }),
    services.apiKeys.onRevoked((keyIds) => (keyIds === 'recheck' ? void live.recheck() : live.endKeys(keyIds))),
  ];
  const recheckTimer = setInterval(() => {
    if (!services.pubsub.isUp()) void live.recheck();
  }, RECHECK_WHILE_DOWN_MS);
  recheckTimer.unref();

  // biome-ignore lint/correctness/useHookAtTopLevel: graphql-ws's useServer is not a React hook (Biome's React rules apply since web/ uses React).
  const server = useServer<Record<string, unknown>, ConnectionState>(
    {
      schema,
      onConnect: async (ctx) => {
        const { viewer, apiKey } = await authenticate(services, ctx.connectionParams?.authorization);
        if (!viewer && !apiKey) return false; // graphql-ws closes with 4403 Forbidden
        ctx.extra.connectionId = randomUUID();
        const connection: LiveConnection = { socket: ctx.extra.socket, viewer: viewer ?? undefined, apiKey: apiKey ?? undefined };
        ctx.extra.live = connection;
        live.add(connection);
        return true;
      },
      onClose: (ctx) => {
        if (ctx.extra.live) live.remove(ctx.extra.live);
      },
      onSubscribe: async (ctx, _id, payload) => {
        // graphql-ws has already registered this operation in ctx.subscriptions.
        if (Object.keys(ctx.subscriptions).length > config.MAX_SUBSCRIPTIONS_PER_CONNECTION) {
          deps.metrics.service.rateLimited('subscriptions_per_connection');
          return fail(
            `This connection already has ${config.MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions (MAX_SUBSCRIPTIONS_PER_CONNECTION). Close some or open another connection.`,
            'RATE_LIMITED',
          );
        }
        // Authenticated again (from the caches): expiry, revocation and the user's current roles.
        const { viewer, apiKey, problem } = await authenticate(services, ctx.connectionParams?.authorization);
        if (!viewer && !apiKey) return fail(problem ?? 'Sign in again.', 'UNAUTHENTICATED');
        const limited = checkRateLimit(services, { viewer, apiKey });
        if (limited)
          return [new GraphQLError(limited.message, { extensions: { code: limited.code, retryAfterSeconds: limited.retryAfterSeconds } })];
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
            auth: { viewer, apiKey },
            requestId,
            log: log.child({ reqId: requestId, connectionId: ctx.extra.connectionId }),
            ip: clientIp(ctx.extra.request, config.TRUST_PROXY),
            userAgent: ctx.extra.request.headers['user-agent'],
            deviceId: deviceIdOf(ctx.connectionParams?.deviceId ?? ctx.extra.request.headers['x-device-id']),
          }),
        };
      },
      onOperation: (ctx, id, _payload, args, result) => {
        // A subscription that started (its stream is running): counted by field until it completes.
        if (!(Symbol.asyncIterator in result)) return;
        const root = getOperationAST(args.document, args.operationName)?.selectionSet.selections[0];
        const field = root?.kind === Kind.FIELD ? root.name.value : 'other';
        ctx.extra.running ??= new Map();
        ctx.extra.running.set(id, field);
        deps.metrics.subscriptionStarted(field);
      },
      onComplete: (ctx, id) => {
        // Also called when the socket closes (graphql-ws ends each running stream first).
        const field = ctx.extra.running?.get(id);
        if (field === undefined) return;
        ctx.extra.running!.delete(id);
        deps.metrics.subscriptionEnded(field);
      },
      onNext: (ctx, id, payload, _args, result) => {
        if (!result.errors) return undefined;
        const unavailable = result.errors.find((e) => isDatabaseUnavailable(e.originalError));
        // An event of a running subscription that could not be read whole (the database went
        // away) is not sent with holes: throwing here, inside graphql-ws's loop over the stream,
        // ends the operation with an `error` SERVICE_UNAVAILABLE, and the client resubscribes
        // (walletUpdated with afterSequence: the missed change is replayed, not lost). A single
        // result (a query, or a subscription refused at its start) is sent as it is.
        if (unavailable && ctx.subscriptions[id]) throw unavailable.originalError;
        logErrors(ctx.extra.connectionId, payload.operationName, result.errors);
        return { ...result, errors: result.errors.map((e) => formatError(e.toJSON(), e)) };
      },
      onError: (ctx, _id, payload, errors) => {
        logErrors(ctx.extra.connectionId, payload.operationName, errors);
        return errors.map((e) => formatError(e.toJSON(), e));
      },
    },
    wss,
  );

  return {
    wss,
    /** Open connections in this process. */
    connectionCount: () => live.size(),
    /** Closes every socket with 1001 (going away) and stops accepting new ones. */
    async close() {
      clearInterval(recheckTimer);
      for (const stop of stopListening) stop();
      live.close();
      await server.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
