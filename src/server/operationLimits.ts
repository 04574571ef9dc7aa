// Bounds on what one GraphQL operation may ask for, applied identically over HTTP and WebSocket:
// tokens (at parse time), depth, aliases, directives and cost. Introspection has its own depth
// allowance: exactly as deep as graphql-js's standard introspection query (what codegen, GraphiQL
// and Apollo's tools send), so those tools work with the default settings while ordinary fields
// keep MAX_QUERY_DEPTH and nothing deeper than the standard shape is answered. Every refusal
// names the setting that raises it.
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  type ASTVisitor,
  type FragmentDefinitionNode,
  getIntrospectionQuery,
  GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  parse,
  type ParseOptions,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { Config } from '../config.js';

export interface OperationLimits {
  parseOptions: ParseOptions;
  validationRules: ValidationRule[];
}

/** The hint added to a limit's refusal, naming the setting that raises it. */
export const raiseWith = (setting: string) => `Set ${setting} to change the limit.`;

/**
 * graphql-armor's rules throw their error by default, and graphql-js's validate() does not catch
 * it, so Apollo answered 500 INTERNAL. Instead each refusal is reported as a validation error
 * (400 GRAPHQL_VALIDATION_FAILED), without armor's misleading "Syntax Error: " prefix, and with
 * the setting that raises the limit.
 */
const reportAsValidationError = (setting: string) => ({
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) =>
      context?.reportError(new GraphQLError(`${error.message.replace(/^Syntax Error: /, '')} ${raiseWith(setting)}`)),
  ],
});

const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

/** How many fields deep `selectionSet` goes, fragments flattened (a leaf field counts 1). */
function depthOf(
  selectionSet: SelectionSetNode,
  fragment: (name: string) => FragmentDefinitionNode | undefined | null,
  seen = new Set<string>(),
): number {
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      deepest = Math.max(deepest, 1 + (selection.selectionSet ? depthOf(selection.selectionSet, fragment, seen) : 0));
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, depthOf(selection.selectionSet, fragment, seen));
    } else if (!seen.has(selection.name.value)) {
      // A fragment that spreads itself is refused by graphql-js's own rules; here it ends the walk.
      const definition = fragment(selection.name.value);
      if (definition) deepest = Math.max(deepest, depthOf(definition.selectionSet, fragment, new Set(seen).add(selection.name.value)));
    }
  }
  return deepest;
}

/** The depth of graphql-js's introspection query with every option on: the introspection allowance. */
export const INTROSPECTION_DEPTH = (() => {
  const document = parse(
    getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
      oneOf: true,
    }),
  );
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION)!;
  return depthOf(operation.selectionSet, (name) => fragments.get(name));
})();

/** Refuses introspection (`__schema`, `__type`) deeper than the standard introspection query. */
function introspectionDepthRule(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(operation) {
      for (const selection of operation.selectionSet.selections) {
        if (selection.kind !== Kind.FIELD || !INTROSPECTION_ROOTS.has(selection.name.value)) continue;
        const depth = depthOf({ kind: Kind.SELECTION_SET, selections: [selection] }, (name) => context.getFragment(name));
        if (depth > INTROSPECTION_DEPTH) {
          context.reportError(
            new GraphQLError(
              `Introspection depth limit of ${INTROSPECTION_DEPTH} exceeded, found ${depth}: deeper than the standard introspection query. ` +
                'This limit is fixed; introspection can be switched off with INTROSPECTION=false.',
              { nodes: [selection] },
            ),
          );
        }
      }
    },
  };
}

export function operationLimits(config: Config): OperationLimits {
  const rules: ValidationRule[] = [
    // Ordinary fields; `__schema` is left to introspectionDepthRule.
    maxDepthRule({
      n: config.MAX_QUERY_DEPTH,
      ignoreIntrospection: true,
      flattenFragments: true,
      exposeLimits: true,
      ...reportAsValidationError('MAX_QUERY_DEPTH'),
    }),
    introspectionDepthRule,
    maxAliasesRule({ n: config.MAX_QUERY_ALIASES, exposeLimits: true, ...reportAsValidationError('MAX_QUERY_ALIASES') }),
    maxDirectivesRule({ n: config.MAX_QUERY_DIRECTIVES, exposeLimits: true, ...reportAsValidationError('MAX_QUERY_DIRECTIVES') }),
    // Introspection is bounded by its depth and can be switched off; cost is about data queries.
    costLimitRule({
      maxCost: config.MAX_QUERY_COST,
      ignoreIntrospection: true,
      exposeLimits: true,
      ...reportAsValidationError('MAX_QUERY_COST'),
    }),
  ] as ValidationRule[];
  if (!config.INTROSPECTION) rules.push(NoSchemaIntrospectionCustomRule);
  return { parseOptions: { maxTokens: config.MAX_QUERY_TOKENS }, validationRules: rules };
}
