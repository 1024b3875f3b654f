import {
  RemoteGraphQLDataSource,
  type GraphQLDataSource,
  type ServiceEndpointDefinition,
} from '@apollo/gateway';

type BuildService = (definition: ServiceEndpointDefinition) => GraphQLDataSource;

/**
 * The data sources the gateway uses, by subgraph name. The gateway keeps its own map private, so
 * this wraps its `buildService` and remembers what it builds: subscriptions then send their entity
 * fetches through exactly the data sources queries use (same URL overrides, timeout, request id
 * and signed scope header), and open their upstream WebSocket at the same URL.
 */
export interface DataSourceRegistry {
  wrap(buildService: BuildService): BuildService;
  get(name: string): GraphQLDataSource | undefined;
  /** The HTTP URL of a subgraph's data source, if it is a remote one. */
  url(name: string): string | undefined;
  /** Every data source, as `executeQueryPlan` takes them. */
  all(): Record<string, GraphQLDataSource>;
}

export function createDataSourceRegistry(): DataSourceRegistry {
  const sources = new Map<string, GraphQLDataSource>();
  return {
    wrap: (buildService) => (definition) => {
      const source = buildService(definition);
      sources.set(definition.name, source);
      return source;
    },
    get: (name) => sources.get(name),
    url: (name) => {
      const source = sources.get(name);
      return source instanceof RemoteGraphQLDataSource ? source.url : undefined;
    },
    all: () => Object.fromEntries(sources),
  };
}
