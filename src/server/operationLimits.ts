// Bounds on what one GraphQL operation may ask for, applied identically over HTTP and WebSocket:
// tokens (at parse time), depth (introspection included), aliases, directives and cost.
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { NoSchemaIntrospectionCustomRule, type ParseOptions, type ValidationRule } from 'graphql';
import type { Config } from '../config.js';

export interface OperationLimits {
  parseOptions: ParseOptions;
  validationRules: ValidationRule[];
}

export function operationLimits(config: Config): OperationLimits {
  const rules: ValidationRule[] = [
    maxDepthRule({ n: config.MAX_QUERY_DEPTH, ignoreIntrospection: false, flattenFragments: true, exposeLimits: true }),
    maxAliasesRule({ n: config.MAX_QUERY_ALIASES, exposeLimits: true }),
    maxDirectivesRule({ n: config.MAX_QUERY_DIRECTIVES, exposeLimits: true }),
    // Introspection is bounded by depth and can be switched off; cost is about data queries.
    costLimitRule({ maxCost: config.MAX_QUERY_COST, ignoreIntrospection: true, exposeLimits: true }),
  ] as ValidationRule[];
  if (!config.INTROSPECTION) rules.push(NoSchemaIntrospectionCustomRule);
  return { parseOptions: { maxTokens: config.MAX_QUERY_TOKENS }, validationRules: rules };
}
