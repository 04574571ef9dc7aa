// Bounds on what one GraphQL operation may ask for, applied identically over HTTP and WebSocket:
// tokens (at parse time), depth (introspection included), aliases, directives and cost.
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { GraphQLError, NoSchemaIntrospectionCustomRule, type ParseOptions, type ValidationContext, type ValidationRule } from 'graphql';
import type { Config } from '../config.js';

export interface OperationLimits {
  parseOptions: ParseOptions;
  validationRules: ValidationRule[];
}

/**
 * graphql-armor's rules throw their error by default, and graphql-js's validate() does not catch
 * it, so Apollo answered 500 INTERNAL. Instead each refusal is reported as a validation error
 * (400 GRAPHQL_VALIDATION_FAILED), without armor's misleading "Syntax Error: " prefix.
 */
const reportAsValidationError = {
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) =>
      context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''))),
  ],
};

export function operationLimits(config: Config): OperationLimits {
  const rules: ValidationRule[] = [
    maxDepthRule({
      n: config.MAX_QUERY_DEPTH,
      ignoreIntrospection: false,
      flattenFragments: true,
      exposeLimits: true,
      ...reportAsValidationError,
    }),
    maxAliasesRule({ n: config.MAX_QUERY_ALIASES, exposeLimits: true, ...reportAsValidationError }),
    maxDirectivesRule({ n: config.MAX_QUERY_DIRECTIVES, exposeLimits: true, ...reportAsValidationError }),
    // Introspection is bounded by depth and can be switched off; cost is about data queries.
    costLimitRule({ maxCost: config.MAX_QUERY_COST, ignoreIntrospection: true, exposeLimits: true, ...reportAsValidationError }),
  ] as ValidationRule[];
  if (!config.INTROSPECTION) rules.push(NoSchemaIntrospectionCustomRule);
  return { parseOptions: { maxTokens: config.MAX_QUERY_TOKENS }, validationRules: rules };
}
