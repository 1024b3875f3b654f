import { executeQueryPlan, type GraphQLDataSource } from '@apollo/gateway';
import type { ExecutionResult } from 'graphql';
import type { GatewayContext } from '../dataSource';
import type { PlannedSubscription } from './planner';
import type { UpstreamEvent } from './upstream';

type RequestContext = Parameters<typeof executeQueryPlan>[2];
type DataSourceResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;

/** Subscriptions never cache subgraph responses: every event is new data. */
const NO_CACHE: RequestContext['cache'] = {
  get: () => Promise.resolve(undefined),
  set: () => Promise.resolve(),
  delete: () => Promise.resolve(true),
};

/**
 * Runs a subscription's plan for one event with Apollo's own `executeQueryPlan`: the plan is the
 * primary fetch followed by the rest, and the primary fetch is answered with the event the
 * subgraph pushed instead of being sent again. The rest (entity fetches to the other subgraphs)
 * goes through the gateway's data sources with `context`, so each request carries the caller's
 * signed scope and a request id; `executeQueryPlan` then shapes the result to the client's
 * selection (aliases, fragments, `__typename`), exactly as for a query.
 */
export function executeEvent(
  planned: PlannedSubscription,
  event: UpstreamEvent,
  dataSources: Record<string, GraphQLDataSource>,
  context: GatewayContext,
): Promise<ExecutionResult> {
  const { primary, snapshot } = planned;
  const owner = dataSources[primary.serviceName];
  // Each execution merges entity data into the event's objects: give it its own copy.
  const response: DataSourceResponse = {
    data: event.data ? structuredClone(event.data) : event.data,
    ...(event.errors ? { errors: event.errors } : {}),
  };
  const eventSource: GraphQLDataSource = {
    process: (request) => {
      if (request.request.query === primary.operation) return Promise.resolve(response);
      if (!owner) return Promise.reject(new Error(`no data source for "${primary.serviceName}"`));
      return owner.process(request);
    },
  };
  const requestContext: RequestContext = {
    request: {
      query: planned.query,
      operationName: planned.operationName,
      variables: planned.variables,
    },
    logger: context.logger,
    schema: snapshot.apiSchema,
    schemaHash: String(snapshot.version) as RequestContext['schemaHash'],
    context,
    cache: NO_CACHE,
    queryHash: planned.operationKey,
    document: planned.document,
    source: planned.query,
    operationName: planned.operationName ?? null,
    operation: planned.operation,
    metrics: {},
    overallCachePolicy: undefined,
  };
  return executeQueryPlan(
    planned.eventPlan,
    { ...dataSources, [primary.serviceName]: eventSource },
    requestContext,
    planned.operationContext,
    snapshot.supergraphSchema,
    snapshot.federationApiSchema,
  );
}
