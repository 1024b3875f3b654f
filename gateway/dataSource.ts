import { randomUUID } from 'node:crypto';
import {
  RemoteGraphQLDataSource,
  type GraphQLDataSource,
  type ServiceEndpointDefinition,
} from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../lib/errors';
import type { Logger } from '../lib/logger';

export interface GatewayContext {
  requestId: string;
  logger: Logger;
}

export interface DataSourceOptions {
  subgraphUrls: Record<string, string>;
  timeoutMs: number;
  logger: Logger;
}

export const REQUEST_ID_HEADER = 'x-request-id';

type Fetcher = RemoteGraphQLDataSource['fetcher'];

/**
 * The gateway's `buildService`: one data source per subgraph, at the overriding URL if one is
 * configured, that forwards the request id and gives up after `timeoutMs`.
 */
export function createBuildService(
  options: DataSourceOptions,
): (definition: ServiceEndpointDefinition) => GraphQLDataSource {
  return ({ name, url }) => {
    const target = options.subgraphUrls[name] ?? url;
    if (!target) throw new Error(`subgraph "${name}" has no URL in the supergraph`);
    return createSubgraphDataSource(name, target, options);
  };
}

function createSubgraphDataSource(
  name: string,
  url: string,
  options: DataSourceOptions,
): RemoteGraphQLDataSource<GatewayContext> {
  const logger = options.logger.child({ subgraph: name, url });
  return new RemoteGraphQLDataSource<GatewayContext>({
    url,
    fetcher: timeoutFetcher(options.timeoutMs),
    willSendRequest(request) {
      const requestId =
        'incomingRequestContext' in request ? request.context.requestId : randomUUID();
      request.request.http?.headers.set(REQUEST_ID_HEADER, requestId);
    },
    didEncounterError(error, _fetchRequest, _fetchResponse, context) {
      const requestId = context?.requestId;
      logger.error({ err: error, requestId }, 'subgraph fetch failed');
      throw toSubgraphError(name, error, options.timeoutMs);
    },
  });
}

/** Node's fetch (undici): unlike the default fetcher it takes an `AbortSignal.timeout`. */
function timeoutFetcher(timeoutMs: number): Fetcher {
  return (url, init) => fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
}

/** Errors the subgraph answered with (non-2xx) pass through; transport failures get a message. */
function toSubgraphError(name: string, error: Error, timeoutMs: number): GraphQLError {
  if (error instanceof GraphQLError) return error;
  const message =
    error.name === 'TimeoutError'
      ? `subgraph "${name}" did not answer within ${timeoutMs} ms`
      : `subgraph "${name}" is unreachable`;
  return new GraphQLError(message, {
    originalError: error,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, serviceName: name },
  });
}
