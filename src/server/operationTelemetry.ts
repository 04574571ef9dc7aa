// What each GraphQL operation tells operators:
// - its latency, by type and name (an Apollo plugin, for operations over HTTP; a persisted or
//   trusted document is named by its own operation, whatever the request carried);
// - its span, when tracing is on: the request's span (src/server/tracing.ts) is named after the
//   operation ("mutation SendMoney") and carries its errors;
// - the userErrors each mutation answered, by code, counted at the mutation's root field (so the
//   count does not depend on what the client selected), for HTTP and WebSocket alike.
import type { ApolloServerPlugin, GraphQLRequestContext, GraphQLRequestListener } from '@apollo/server';
import { defaultFieldResolver, GraphQLObjectType, GraphQLSchema, type GraphQLFieldResolver } from 'graphql';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { GraphQLContext } from '../schema/context.js';
import { formatError, isInternalError } from './formatError.js';
import type { Metrics } from './metrics.js';
import { GRAPHQL_OPERATION_NAME, GRAPHQL_OPERATION_TYPE } from './tracing.js';

/** The Apollo plugin: operation latency, and the operation's name and errors on the request's span. */
export function operationTelemetry(metrics: Pick<Metrics, 'graphqlOperation'>): ApolloServerPlugin<GraphQLContext> {
  // One listener for every request (as in apollo.ts); each request's start is kept by its context object.
  const started = new WeakMap<GraphQLRequestContext<GraphQLContext>, number>();
  const listener: GraphQLRequestListener<GraphQLContext> = {
    async didResolveOperation({ operation, operationName }) {
      const span = trace.getActiveSpan();
      if (!span?.isRecording() || !operation) return;
      span.updateName(operationName ? `${operation.operation} ${operationName}` : operation.operation);
      span.setAttribute(GRAPHQL_OPERATION_TYPE, operation.operation);
      if (operationName) span.setAttribute(GRAPHQL_OPERATION_NAME, operationName);
    },
    async didEncounterErrors({ errors }) {
      const span = trace.getActiveSpan();
      if (!span?.isRecording()) return;
      for (const error of errors) {
        // As the client saw it (code and message, input values left out), and an internal error with its cause.
        const seen = formatError(error.toJSON(), error);
        span.recordException({ name: String(seen.extensions?.code ?? 'INTERNAL'), message: seen.message });
        if (isInternalError(error)) span.recordException((error.originalError ?? error) as Error);
      }
      span.setStatus({ code: SpanStatusCode.ERROR });
    },
    async willSendResponse(requestContext) {
      const start = started.get(requestContext);
      if (start === undefined) return;
      const { operation, operationName } = requestContext;
      metrics.graphqlOperation(operation?.operation, operation ? (operationName ?? null) : undefined, (performance.now() - start) / 1000);
    },
  };
  return {
    async requestDidStart(requestContext) {
      started.set(requestContext, performance.now());
      return listener;
    },
  };
}

/**
 * The schema as served: the same types, with each mutation's root resolver also counting the
 * userErrors of its answer. (A copy: the assembled schema itself stays as it is, for the printer
 * and the tests.)
 */
export function countingUserErrors(schema: GraphQLSchema, count: Metrics['userErrors']): GraphQLSchema {
  const mutation = schema.getMutationType();
  if (!mutation) return schema;
  const config = mutation.toConfig();
  const fields = Object.fromEntries(
    Object.entries(config.fields).map(([name, field]) => [
      name,
      { ...field, resolve: counted(name, field.resolve ?? defaultFieldResolver, count) },
    ]),
  );
  const served = new GraphQLObjectType({ ...config, fields });
  const schemaConfig = schema.toConfig();
  return new GraphQLSchema({ ...schemaConfig, mutation: served, types: schemaConfig.types.filter((t) => t !== mutation) });
}

function counted(
  mutation: string,
  resolve: GraphQLFieldResolver<unknown, unknown>,
  count: Metrics['userErrors'],
): GraphQLFieldResolver<unknown, unknown> {
  const tally = (answer: unknown) => {
    const errors = (answer as { userErrors?: { code: string }[] } | null)?.userErrors;
    if (errors?.length)
      count(
        mutation,
        errors.map((e) => e.code),
      );
    return answer;
  };
  return (source, args, contextValue, info) => {
    const answer = resolve(source, args, contextValue, info);
    return answer instanceof Promise ? answer.then(tally) : tally(answer);
  };
}
