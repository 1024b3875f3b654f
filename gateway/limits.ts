import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloServerPlugin } from '@apollo/server';
import {
  getNamedType,
  GraphQLError,
  isInputType,
  isInterfaceType,
  isObjectType,
  Kind,
  OperationTypeNode,
  typeFromAST,
  valueFromAST,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ParseOptions,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';

/** The largest `first` any list takes (a page of zones, hubs, trips). */
const MAX_PAGE_SIZE = 500;

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxCost: number;
  maxDirectives: number;
}

/** The cost of an operation given its variables, or the refusal when it is over the limit. */
export type CheckCost = (
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
) => GraphQLError | undefined;

/**
 * Depth, alias, token, directive and cost limits: a refused operation never reaches a subgraph.
 * Depth, aliases and directives are graphql-armor validation rules; tokens are counted by
 * graphql-js's parser; cost needs the variables (`first: $n`), so it is checked once the
 * operation is known: by a plugin for HTTP (`plugins`) and by `checkCost` for subscriptions.
 * Each refusal names the limit, and the value found (`Query depth limit of 12 exceeded, found 14.`).
 */
export function createQueryLimits(limits: QueryLimits): {
  plugins: ApolloServerPlugin[];
  validationRules: ValidationRule[];
  parseOptions: ParseOptions;
  checkCost: CheckCost;
} {
  const { plugins, validationRules } = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, exposeLimits: true, flattenFragments: true },
    maxAliases: { n: limits.maxAliases, exposeLimits: true },
    // Counted by graphql-js's own parser instead (parseOptions below): armor's token plugin throws
    // from a parsing hook whose errors Apollo Server 5 does not surface.
    maxTokens: { enabled: false },
    maxDirectives: { n: limits.maxDirectives, exposeLimits: true },
    // Armor's cost rule is a validation rule: it never sees variables, so `first: $n` cost 1.
    costLimit: { enabled: false },
    // Field suggestions stay on: they help third parties, and introspection is configurable anyway.
    blockFieldSuggestion: { enabled: false },
  }).protect();
  const checkCost: CheckCost = (schema, document, operation, variables) => {
    const cost = operationCost(schema, document, operation, variables);
    return cost > limits.maxCost ? costError(limits.maxCost, cost) : undefined;
  };
  return {
    plugins: [...plugins, costLimitPlugin(checkCost)],
    validationRules,
    parseOptions: { maxTokens: limits.maxTokens },
    checkCost,
  };
}

function costLimitPlugin(checkCost: CheckCost): ApolloServerPlugin {
  return {
    requestDidStart: () =>
      Promise.resolve({
        didResolveOperation({ schema, document, operation, request }) {
          const error =
            operation && checkCost(schema, document, operation, request.variables ?? {});
          if (error) {
            error.extensions.http = { status: 400 };
            throw error;
          }
          return Promise.resolve();
        },
      }),
  };
}

const SCALAR_COST = 1;
const OBJECT_COST = 2;
const DEPTH_FACTOR = 1.5;

/**
 * Every field costs 1 (2 with a selection), its selection counts 1.5 times per level, and a field
 * with `first` (or `last`) counts that many times: the literal, the variable's value, the
 * variable's default or the argument's default in the schema, whichever applies. Fragments count
 * as if written out where they are spread.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    }
  }
  const values: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (variables[name] !== undefined) values[name] = variables[name];
    else if (definition.defaultValue) {
      const type = typeFromAST(schema, definition.type);
      if (type && isInputType(type)) values[name] = valueFromAST(definition.defaultValue, type);
    }
  }

  const multiplier = (value: unknown): number =>
    typeof value === 'number' && Number.isFinite(value) ? Math.max(1, value) : 1;

  const selectionCost = (
    selectionSet: SelectionSetNode,
    parent: GraphQLNamedType | undefined,
    spreading: ReadonlySet<string>,
  ): number => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition
          ? schema.getType(selection.typeCondition.name.value)
          : parent;
        cost += selectionCost(selection.selectionSet, type ?? undefined, spreading);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // Validation refuses cycles and unknown fragments; never loop on them anyway.
        if (!fragment || spreading.has(name)) continue;
        const type = schema.getType(fragment.typeCondition.name.value) ?? undefined;
        cost += selectionCost(fragment.selectionSet, type, new Set([...spreading, name]));
        continue;
      }
      const field =
        parent && (isObjectType(parent) || isInterfaceType(parent))
          ? parent.getFields()[selection.name.value]
          : undefined;
      if (!selection.selectionSet) {
        cost += SCALAR_COST;
        continue;
      }
      let times = 1;
      for (const name of ['first', 'last']) {
        const argument = selection.arguments?.find((a) => a.name.value === name);
        if (argument?.value.kind === Kind.INT) times = multiplier(Number(argument.value.value));
        else if (argument?.value.kind === Kind.VARIABLE) {
          times = multiplier(values[argument.value.name.value]);
        } else if (!argument) {
          const fallback = field?.args.find((a) => a.name === name)?.defaultValue;
          if (fallback !== undefined) times = multiplier(fallback);
        }
        if (times > 1) break;
      }
      const type = field ? getNamedType(field.type) : undefined;
      cost +=
        times *
        (OBJECT_COST + DEPTH_FACTOR * selectionCost(selection.selectionSet, type, spreading));
    }
    return cost;
  };

  const root =
    operation.operation === OperationTypeNode.QUERY
      ? schema.getQueryType()
      : operation.operation === OperationTypeNode.MUTATION
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  return selectionCost(operation.selectionSet, root ?? undefined, new Set());
}

function costError(maxCost: number, cost: number): GraphQLError {
  return new GraphQLError(
    `query too expensive: cost ${Math.round(cost)}, over the limit of ${maxCost} (LIMIT_MAX_COST). ` +
      `Every field costs 1 (2 with a selection), times 1.5 per level, times a list's \`first\` ` +
      `(at most ${MAX_PAGE_SIZE}), whether a literal or a variable; ask for fewer fields or a ` +
      `smaller \`first\`, and page with \`after\``,
    // A validation error, as Apollo reports the other limits (HTTP 200 for application/json).
    { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: maxCost } },
  );
}
