import { checkArguments } from '../inputGuard';
import { buildOperationContext } from '@apollo/gateway';
import { operationFromDocument, Supergraph, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type QueryPlan } from '@apollo/query-planner';
import {
  getOperationAST,
  getVariableValues,
  GraphQLError,
  OperationTypeNode,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ParseOptions,
} from 'graphql';
import { ErrorCode } from '../../lib/errors';
import { notASubscription, SubscriptionErrorCode, withCode } from './errors';
import { fingerprint } from './keys';

export type OperationContext = ReturnType<typeof buildOperationContext>;

/**
 * Extra checks every operation must pass (depth, cost, ...), the same as for HTTP queries. The API
 * schema is passed too, for checks written as graphql-js validation rules:
 * `(document, schema) => validate(schema, document, limits.validationRules)`.
 */
export type ValidateDocument = (
  document: DocumentNode,
  schema: GraphQLSchema,
) => readonly GraphQLError[];

/** A check that needs the variables too (the cost of `first: $n`); a refusal or undefined. */
export type CheckOperation = (
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
) => GraphQLError | undefined;

/** One version of the gateway's schema and the planner built from it. */
export interface SchemaSnapshot {
  version: number;
  /** The API schema clients see, as the gateway validates against it. */
  apiSchema: GraphQLSchema;
  /** The same API schema in the federation form `executeQueryPlan` takes. */
  federationApiSchema: Schema;
  supergraphSchema: GraphQLSchema;
  planner: QueryPlanner;
}

export interface SubscriptionRequest {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

/** A subscription validated and planned against one schema snapshot. */
export interface PlannedSubscription {
  snapshot: SchemaSnapshot;
  query: string;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  operationName: string | undefined;
  variables: Record<string, unknown>;
  operationContext: OperationContext;
  /** The fetch to the subgraph that owns the root field: run there as a subscription. */
  primary: FetchNode;
  /** The primary followed by the rest of the plan: what runs for every event. */
  eventPlan: QueryPlan;
  /** What the gateway subscribes to upstream: the primary's operation and its variables. */
  upstream: {
    subgraph: string;
    query: string;
    operationName: string | undefined;
    variables: Record<string, unknown>;
  };
  /** Equal for clients whose operation and variables are the same: they share every event. */
  operationKey: string;
}

export type PlanResult =
  { ok: true; planned: PlannedSubscription } | { ok: false; errors: readonly GraphQLError[] };

interface PreparedDocument {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  operationContext: OperationContext;
  primary: FetchNode;
  eventPlan: QueryPlan;
}

type Prepared =
  { ok: true; prepared: PreparedDocument } | { ok: false; errors: readonly GraphQLError[] };

const MAX_CACHED_DOCUMENTS = 1000;

export interface SubscriptionPlanner {
  /** Takes a new schema from the gateway (`onSchemaLoadOrUpdate`). */
  update(coreSupergraphSdl: string, apiSchema: GraphQLSchema): SchemaSnapshot;
  /** Parses, validates (schema, `validate` hook, variables) and plans, against the current schema. */
  plan(request: SubscriptionRequest): PlanResult;
}

/**
 * Validates subscriptions against the gateway's API schema and plans them with Apollo's own
 * `QueryPlanner`, built from the same supergraph the gateway serves. A subscription's plan is a
 * `SubscriptionNode`: a `primary` fetch to the subgraph owning the root field and the `rest`
 * (entity fetches to the other subgraphs). Plans are cached per document and schema version, so a
 * thousand clients sending the same subscription are planned once.
 */
export function createSubscriptionPlanner(
  validateDocument?: ValidateDocument,
  parseOptions?: ParseOptions,
  checkOperation?: CheckOperation,
): SubscriptionPlanner {
  let snapshot: SchemaSnapshot | undefined;
  let version = 0;
  const cache = new Map<string, Prepared>();

  const prepare = (current: SchemaSnapshot, query: string, operationName?: string): Prepared => {
    const cacheKey = `${operationName ?? ''}\n${query}`;
    const cached = cache.get(cacheKey);
    if (cached) return cached;
    const prepared = prepareDocument(current, query, operationName, validateDocument, parseOptions);
    if (cache.size >= MAX_CACHED_DOCUMENTS) {
      const oldest = cache.keys().next();
      if (!oldest.done) cache.delete(oldest.value);
    }
    cache.set(cacheKey, prepared);
    return prepared;
  };

  return {
    update(coreSupergraphSdl, apiSchema) {
      const supergraph = Supergraph.build(coreSupergraphSdl);
      version += 1;
      snapshot = {
        version,
        apiSchema,
        federationApiSchema: supergraph.apiSchema(),
        supergraphSchema: supergraph.schema.toGraphQLJSSchema(),
        planner: new QueryPlanner(supergraph),
      };
      cache.clear();
      return snapshot;
    },
    plan(request) {
      const current = snapshot;
      if (!current) {
        return {
          ok: false,
          errors: [
            new GraphQLError('the gateway has no schema loaded yet', {
              extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
            }),
          ],
        };
      }
      const operationName = request.operationName ?? undefined;
      const result = prepare(current, request.query, operationName);
      if (!result.ok) return result;
      const { prepared } = result;
      const variables = request.variables ?? {};
      const badInput = checkArguments(current.apiSchema, prepared.document, variables);
      if (badInput) return { ok: false, errors: [badInput] };
      const coerced = getVariableValues(
        current.apiSchema,
        prepared.operation.variableDefinitions ?? [],
        variables,
      );
      if (coerced.errors) {
        return {
          ok: false,
          errors: coerced.errors.map((e) => withCode(e, ErrorCode.BAD_USER_INPUT)),
        };
      }
      const refused = checkOperation?.(
        current.apiSchema,
        prepared.document,
        prepared.operation,
        variables,
      );
      if (refused) {
        return {
          ok: false,
          errors: [withCode(refused, SubscriptionErrorCode.GRAPHQL_VALIDATION_FAILED, true)],
        };
      }
      const upstreamVariables: Record<string, unknown> = {};
      for (const name of prepared.primary.variableUsages ?? []) {
        if (variables[name] !== undefined) upstreamVariables[name] = variables[name];
      }
      return {
        ok: true,
        planned: {
          snapshot: current,
          query: request.query,
          document: prepared.document,
          operation: prepared.operation,
          operationName,
          variables,
          operationContext: prepared.operationContext,
          primary: prepared.primary,
          eventPlan: prepared.eventPlan,
          upstream: {
            subgraph: prepared.primary.serviceName,
            query: prepared.primary.operation,
            operationName: prepared.primary.operationName,
            variables: upstreamVariables,
          },
          operationKey: fingerprint(request.query, operationName ?? null, variables),
        },
      };
    },
  };
}

function prepareDocument(
  snapshot: SchemaSnapshot,
  query: string,
  operationName: string | undefined,
  validateDocument: ValidateDocument | undefined,
  parseOptions: ParseOptions | undefined,
): Prepared {
  let document: DocumentNode;
  try {
    document = parse(query, parseOptions);
  } catch (err) {
    if (!(err instanceof GraphQLError)) throw err;
    return { ok: false, errors: [withCode(err, SubscriptionErrorCode.GRAPHQL_PARSE_FAILED)] };
  }
  const invalid = validate(snapshot.apiSchema, document);
  if (invalid.length > 0) {
    return {
      ok: false,
      errors: invalid.map((e) => withCode(e, SubscriptionErrorCode.GRAPHQL_VALIDATION_FAILED)),
    };
  }
  const refused = validateDocument?.(document, snapshot.apiSchema) ?? [];
  if (refused.length > 0) {
    return {
      ok: false,
      // Over HTTP, Apollo reports these as validation errors whatever code they carry: the same here.
      errors: refused.map((e) =>
        withCode(e, SubscriptionErrorCode.GRAPHQL_VALIDATION_FAILED, true),
      ),
    };
  }

  const operation = getOperationAST(document, operationName);
  if (!operation) {
    const message = operationName
      ? `unknown operation named "${operationName}"`
      : 'the document holds several operations: say which one with operationName';
    return {
      ok: false,
      errors: [new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT } })],
    };
  }
  if (operation.operation !== OperationTypeNode.SUBSCRIPTION) {
    return { ok: false, errors: [notASubscription(operation.operation)] };
  }

  const operationContext = buildOperationContext({
    schema: snapshot.apiSchema,
    operationDocument: document,
    operationName,
  });
  const queryPlan = snapshot.planner.buildQueryPlan(
    operationFromDocument(snapshot.federationApiSchema, document, { operationName }),
  );
  const node = queryPlan.node;
  if (node?.kind !== 'Subscription') {
    throw new Error(`expected a subscription plan, got ${node?.kind ?? 'an empty plan'}`);
  }
  const eventPlan: QueryPlan = {
    kind: 'QueryPlan',
    node: node.rest ? { kind: 'Sequence', nodes: [node.primary, node.rest] } : node.primary,
  };
  return {
    ok: true,
    prepared: { document, operation, operationContext, primary: node.primary, eventPlan },
  };
}
