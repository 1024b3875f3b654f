import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../lib/errors';

/**
 * Codes of the errors a subscription can end with, on top of the ones queries share
 * (`BAD_USER_INPUT`, `FORBIDDEN`, `INTERNAL_SERVER_ERROR`, ...).
 */
export const SubscriptionErrorCode = {
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  /** A query or mutation sent over WebSocket: those go over HTTP. */
  OPERATION_NOT_SUPPORTED: 'OPERATION_NOT_SUPPORTED',
  /** Over the per-connection or per-client subscription limit. */
  TOO_MANY_SUBSCRIPTIONS: 'TOO_MANY_SUBSCRIPTIONS',
  /** The owning subgraph's stream was lost and could not be re-established. */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** The supergraph was reloaded and the operation is no longer valid against it. */
  SCHEMA_CHANGED: 'SCHEMA_CHANGED',
  /**
   * The connection's credentials now see something else (a grant was revoked or given, the
   * user's organisation or privileges changed): subscribe again to get events for the new scope.
   */
  SCOPE_CHANGED: 'SCOPE_CHANGED',
  /** The client read events slower than they came and its send buffer overflowed. */
  SLOW_CONSUMER: 'SLOW_CONSUMER',
} as const;

/** The error with `code`, unless it has a code already (or `replace`, as Apollo does). */
export function withCode(error: GraphQLError, code: string, replace = false): GraphQLError {
  if (typeof error.extensions.code === 'string' && !replace) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code },
  });
}

export function tooManySubscriptions(
  scope: 'connection' | 'client' | 'address',
  limit: number,
): GraphQLError {
  const where = {
    connection: 'on this connection',
    client: 'for this client',
    address: 'for anonymous callers from this address (sign in for more)',
  }[scope];
  return new GraphQLError(
    `too many subscriptions ${where}: at most ${limit} may run at once; complete one first`,
    {
      extensions: { code: SubscriptionErrorCode.TOO_MANY_SUBSCRIPTIONS, limit, per: scope },
    },
  );
}

export function notASubscription(operation: string): GraphQLError {
  return new GraphQLError(
    `only subscriptions are served over WebSocket; send this ${operation} over HTTP (POST /graphql)`,
    { extensions: { code: SubscriptionErrorCode.OPERATION_NOT_SUPPORTED } },
  );
}

export function upstreamLost(subgraph: string, attempts: number, reason: string): GraphQLError {
  return new GraphQLError(
    `subgraph "${subgraph}" stopped streaming this subscription and did not come back after ${attempts} attempts (${reason}); subscribe again later`,
    { extensions: { code: SubscriptionErrorCode.SERVICE_UNAVAILABLE, serviceName: subgraph } },
  );
}

export function schemaChanged(reason: string): GraphQLError {
  return new GraphQLError(
    `the gateway's schema changed and this subscription is no longer valid: ${reason}`,
    { extensions: { code: SubscriptionErrorCode.SCHEMA_CHANGED } },
  );
}

export function scopeChanged(): GraphQLError {
  return new GraphQLError(
    "the access of this connection's credentials changed (a grant, the user or the API key was changed); subscribe again to continue with what they may see now",
    { extensions: { code: SubscriptionErrorCode.SCOPE_CHANGED } },
  );
}

export function slowConsumer(bufferedBytes: number): GraphQLError {
  return new GraphQLError(
    `this client fell behind (${bufferedBytes} bytes not yet read) and its subscription was ended; subscribe again`,
    { extensions: { code: SubscriptionErrorCode.SLOW_CONSUMER } },
  );
}

export function internalError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } });
}
