import { randomUUID } from 'node:crypto';
import {
  RemoteGraphQLDataSource,
  type GraphQLDataSource,
  type ServiceEndpointDefinition,
} from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { serviceScope, type Scope } from '../lib/auth/scope';
import { SCOPE_HEADER, signScope } from '../lib/auth/scopeHeader';
import { ErrorCode } from '../lib/errors';
import type { Logger } from '../lib/logger';
import { injectTraceContext, tracingEnabled } from '../lib/observability/tracing';
import { timedFetcher } from './metrics';
import { REQUEST_ID_HEADER, type AccessRecord } from './requestLog';

export interface GatewayContext {
  requestId: string;
  logger: Logger;
  /** The caller's scope, signed into every subgraph request. */
  scope: Scope;
  /** What the request's access log line will say. */
  access: AccessRecord;
}

export interface DataSourceOptions {
  subgraphUrls: Record<string, string>;
  timeoutMs: number;
  logger: Logger;
  scopeSecret: string;
  scopeTtlMs: number;
}

type Fetcher = RemoteGraphQLDataSource['fetcher'];

/** Requests the gateway makes on its own behalf (not a client's). */
const GATEWAY_SCOPE = serviceScope('gateway');

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
    fetcher: timedFetcher(name, timeoutFetcher(options.timeoutMs)),
    willSendRequest(request) {
      const incoming = 'incomingRequestContext' in request;
      const requestId = incoming ? request.context.requestId : randomUUID();
      const scope = incoming ? request.context.scope : GATEWAY_SCOPE;
      request.request.http?.headers.set(REQUEST_ID_HEADER, requestId);
      // Runs inside Apollo's `gateway.fetch` span: the subgraph's span becomes its child.
      if (tracingEnabled() && request.request.http)
        injectTraceContext(request.request.http.headers);
      request.request.http?.headers.set(
        SCOPE_HEADER,
        signScope(scope, options.scopeSecret, options.scopeTtlMs),
      );
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
