import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { ApolloGateway } from '@apollo/gateway';
import {
  GraphQLError,
  type ExecutionArgs,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
  type ParseOptions,
} from 'graphql';
import { CloseCode, makeServer, type Context } from 'graphql-ws';
import { WebSocketServer } from 'ws';
import type { Scope } from '../../lib/auth/scope';
import { assertNever, createFormatError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import { SECOND } from '../../lib/units';
import type { ClientSocket } from './clientStream';
import type { DataSourceRegistry } from './dataSources';
import { internalError, SubscriptionErrorCode, tooManySubscriptions } from './errors';
import { createSubscriptionFanOut, type SubscriptionStats } from './fanOut';
import {
  createSubscriptionPlanner,
  type PlannedSubscription,
  type ValidateDocument,
} from './planner';
import { serveGraphqlWs, type ConnectionExtra } from './webSocketTransport';

export interface SubscriptionSettings {
  /** Subscriptions one connection may run at once; one more is refused with an `error` message. */
  maxSubscriptionsPerConnection: number;
  /**
   * Subscriptions one authenticated principal (user, API key, service) may run at once over all
   * its connections to this replica; one more is refused with an `error` message. Anonymous
   * callers are limited per connection only (they share the load balancer's address).
   */
  maxSubscriptionsPerClient: number;
  /**
   * Bytes a client may leave unread in its socket's send buffer; an event past that ends the
   * subscription with SLOW_CONSUMER instead of growing the gateway's memory.
   */
  maxBufferedBytes: number;
  /** Largest WebSocket message a client may send; a larger one closes the socket (1009). */
  maxMessageBytes: number;
  /** A connection that sends no `connection_init` within this is closed with 4408. */
  connectionInitTimeoutMs: number;
  /** Ping period towards clients; a client missing a pong for as long is dropped. */
  keepAliveMs: number;
  /** Reconnect attempts in a row to a subgraph whose stream dropped, before giving up. */
  upstreamRetryAttempts: number;
  upstreamRetryInitialDelayMs: number;
  upstreamRetryMaxDelayMs: number;
  /** Ping period towards subgraphs; an upstream socket missing a pong for as long is reconnected. */
  upstreamKeepAliveMs: number;
  /**
   * `stop()` waits at most this long, in all, for `complete` and the close frames to reach the
   * clients; keep it below the process's SHUTDOWN_TIMEOUT_MS.
   */
  shutdownTimeoutMs: number;
  /** The same depth/cost checks as HTTP queries; refusals are sent as the `error` message. */
  validate?: ValidateDocument;
  /** Parser limits (`maxTokens`), the same as for HTTP queries. */
  parseOptions?: ParseOptions;
}

export const DEFAULT_SUBSCRIPTION_SETTINGS: SubscriptionSettings = {
  maxSubscriptionsPerConnection: 100,
  maxSubscriptionsPerClient: 500,
  maxBufferedBytes: 4 * 1024 * 1024,
  maxMessageBytes: 1024 * 1024,
  connectionInitTimeoutMs: 3 * SECOND,
  keepAliveMs: 12 * SECOND,
  upstreamRetryAttempts: 5,
  upstreamRetryInitialDelayMs: 500,
  upstreamRetryMaxDelayMs: 10 * SECOND,
  upstreamKeepAliveMs: 15 * SECOND,
  shutdownTimeoutMs: 5 * SECOND,
};

export interface SubscriptionServerOptions {
  httpServer: Server;
  path: string;
  gateway: Pick<ApolloGateway, 'onSchemaLoadOrUpdate'>;
  dataSources: DataSourceRegistry;
  /** The gateway's own: resolves credentials to a scope or throws a GraphQLError. */
  authenticate(headers: IncomingHttpHeaders): Promise<Scope>;
  scopeSecret: string;
  scopeTtlMs: number;
  /** Upgrade and `connection_ack` timeout towards subgraphs. */
  subgraphTimeoutMs: number;
  logger: Logger;
  maskInternalErrors: boolean;
  /** Introspection is off: error messages must not suggest field or type names. */
  hideSuggestions?: boolean;
  settings?: Partial<SubscriptionSettings>;
}

export interface SubscriptionServer {
  /** Completes every subscription, closes every socket (1001) and every upstream. Idempotent. */
  stop(): Promise<void>;
  stats(): SubscriptionStats & { connections: number };
}

/** Fields of `connection_init`'s payload taken as credentials, like the HTTP headers they name. */
const CREDENTIAL_FIELDS = new Set(['authorization', 'x-api-key']);
const POLL_MS = 10;
/** WebSocket 1001: clients reconnect, to another replica behind the load balancer. */
const GOING_AWAY = 1001;

type ConnectionContext = Context<Record<string, unknown> | undefined, ConnectionExtra>;

interface Connection {
  id: string;
  scope: Scope;
  /** Who the per-client limit counts against; undefined for anonymous callers. */
  clientKey: string | undefined;
  active: number;
  logger: Logger;
}

/**
 * GraphQL over WebSocket (`graphql-transport-ws`) on the gateway's HTTP server and path. The
 * protocol (close codes 4400/4401/4403/4406/4408/4409/4429, ping/pong, complete in both
 * directions) is graphql-ws's own `makeServer`, run on `ws` by webSocketTransport.ts; this adds
 * what a federated gateway needs:
 *
 * - `connection_init` authenticates: its `authorization` / `x-api-key` fields are passed to the
 *   gateway's `authenticate` as headers (over the upgrade request's own); refused -> 4403.
 * - `subscribe` is validated against the gateway's API schema and the `validate` hook, counted
 *   against the limits, planned with Apollo's query planner, and attached to a shared upstream
 *   stream (see fanOut.ts); refusals are `error` messages, the connection stays open.
 * - A schema reload re-plans running subscriptions; those no longer valid end with SCHEMA_CHANGED.
 * - `stop()` sends `complete` for every subscription, then closes the sockets with 1001.
 */
export function createSubscriptionServer(options: SubscriptionServerOptions): SubscriptionServer {
  const settings: SubscriptionSettings = { ...DEFAULT_SUBSCRIPTION_SETTINGS, ...options.settings };
  const logger = options.logger.child({ component: 'subscriptions' });
  const formatError = createFormatError(logger, {
    maskInternal: options.maskInternalErrors,
    hideSuggestions: options.hideSuggestions ?? false,
  });
  const planner = createSubscriptionPlanner(settings.validate, settings.parseOptions);
  const fanOut = createSubscriptionFanOut({
    dataSources: options.dataSources,
    scopeSecret: options.scopeSecret,
    scopeTtlMs: options.scopeTtlMs,
    upstreamConnectTimeoutMs: options.subgraphTimeoutMs,
    upstreamKeepAliveMs: settings.upstreamKeepAliveMs,
    upstreamRetry: {
      attempts: settings.upstreamRetryAttempts,
      initialDelayMs: settings.upstreamRetryInitialDelayMs,
      maxDelayMs: settings.upstreamRetryMaxDelayMs,
      healthyAfterMs: settings.upstreamRetryMaxDelayMs,
    },
    maxBufferedBytes: settings.maxBufferedBytes,
    formatResult: (result) => formatResult(result),
    logger,
  });

  const unsubscribeSchema = options.gateway.onSchemaLoadOrUpdate(
    ({ coreSupergraphSdl, apiSchema }) => {
      try {
        planner.update(coreSupergraphSdl, apiSchema);
        fanOut.replan((request) => planner.plan(request));
      } catch (err) {
        logger.error({ err }, 'could not load the new schema for subscriptions');
      }
    },
  );

  const connections = new Map<ConnectionContext, Connection>();
  const perClient = new Map<string, number>();
  const prepared = new WeakMap<
    ExecutionArgs,
    { planned: PlannedSubscription; connection: Connection; socket: ClientSocket; id: string }
  >();
  let stopping: Promise<void> | undefined;

  const release = (connection: Connection): void => {
    connection.active -= 1;
    if (connection.clientKey === undefined) return;
    const count = (perClient.get(connection.clientKey) ?? 1) - 1;
    if (count > 0) perClient.set(connection.clientKey, count);
    else perClient.delete(connection.clientKey);
  };

  const refuse = (connection: Connection): GraphQLError | undefined => {
    if (stopping) {
      return new GraphQLError('the gateway is shutting down: subscribe again to another replica', {
        extensions: { code: SubscriptionErrorCode.SERVICE_UNAVAILABLE },
      });
    }
    if (connection.active >= settings.maxSubscriptionsPerConnection) {
      return tooManySubscriptions('connection', settings.maxSubscriptionsPerConnection);
    }
    const { clientKey } = connection;
    if (
      clientKey !== undefined &&
      (perClient.get(clientKey) ?? 0) >= settings.maxSubscriptionsPerClient
    ) {
      return tooManySubscriptions('client', settings.maxSubscriptionsPerClient);
    }
    return undefined;
  };

  function formatResult(result: ExecutionResult): FormattedExecutionResult {
    return {
      ...(result.errors ? { errors: formatErrors(result.errors) } : {}),
      ...(result.data !== undefined ? { data: result.data } : {}),
      ...(result.extensions ? { extensions: result.extensions } : {}),
    };
  }

  const formatErrors = (errors: readonly GraphQLError[]): GraphQLFormattedError[] =>
    errors.map((error) => formatError(error.toJSON(), error));

  const wsServer = new WebSocketServer({
    server: options.httpServer,
    path: options.path,
    maxPayload: settings.maxMessageBytes,
  });

  const protocol = makeServer<Record<string, unknown> | undefined, ConnectionExtra>({
    connectionInitWaitTimeout: settings.connectionInitTimeoutMs,
    onConnect: async (ctx) => {
      if (stopping) {
        ctx.extra.socket.close(GOING_AWAY, 'the gateway is shutting down');
        return false;
      }
      const headers = connectionHeaders(ctx.extra.request.headers, ctx.connectionParams);
      const id = randomUUID();
      try {
        const scope = await options.authenticate(headers);
        connections.set(ctx, {
          id,
          scope,
          clientKey: clientKeyOf(scope),
          active: 0,
          logger: logger.child({ connectionId: id }),
        });
        return true;
      } catch (err) {
        if (err instanceof GraphQLError) {
          logger.info({ connectionId: id, reason: err.message }, 'WebSocket connection refused');
          return false;
        }
        logger.error({ err, connectionId: id }, 'authentication failed unexpectedly');
        ctx.extra.socket.close(CloseCode.InternalServerError, 'Internal server error');
        return false;
      }
    },
    onSubscribe: (ctx, id, payload) => {
      const connection = connections.get(ctx);
      if (!connection) return [internalError('the connection is not initialised')];
      const refusal = refuse(connection);
      if (refusal) return [refusal];
      let result: ReturnType<typeof planner.plan>;
      try {
        result = planner.plan(payload);
      } catch (err) {
        connection.logger.error({ err }, 'could not plan a subscription');
        return [internalError('the gateway could not plan this subscription')];
      }
      if (!result.ok) return result.errors;
      const { planned } = result;
      connection.active += 1;
      if (connection.clientKey !== undefined) {
        perClient.set(connection.clientKey, (perClient.get(connection.clientKey) ?? 0) + 1);
      }
      const args: ExecutionArgs = {
        schema: planned.snapshot.apiSchema,
        document: planned.document,
        operationName: planned.operationName,
        variableValues: planned.variables,
        contextValue: undefined,
      };
      prepared.set(args, { planned, connection, socket: ctx.extra.socket, id });
      return args;
    },
    subscribe: (args) => {
      const entry = prepared.get(args);
      if (!entry) return { errors: [internalError('the subscription was not prepared')] };
      prepared.delete(args);
      const { planned, connection, socket, id } = entry;
      return fanOut.subscribe(planned, connection.scope, { socket, id }, () => release(connection));
    },
    onError: (_ctx, _id, _payload, errors) => formatErrors(errors),
    onClose: (ctx) => {
      connections.delete(ctx);
    },
  });
  serveGraphqlWs(protocol, wsServer, settings.keepAliveMs, logger);

  const drain = async (): Promise<void> => {
    const stats = fanOut.stats();
    const deadline = Date.now() + settings.shutdownTimeoutMs;
    // Every client stream ends: graphql-ws sends `complete` and forgets the subscription.
    fanOut.close();
    await waitUntil(
      () => [...connections.keys()].every((ctx) => Object.keys(ctx.subscriptions).length === 0),
      deadline,
    );
    for (const socket of wsServer.clients) socket.close(GOING_AWAY, 'the gateway is shutting down');
    await waitUntil(() => wsServer.clients.size === 0, deadline);
    // Whoever did not answer the close frame in time is cut off.
    for (const socket of wsServer.clients) socket.terminate();
    await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    unsubscribeSchema();
    logger.info(
      { subscriptions: stats.clients, upstreams: stats.upstreams },
      'subscriptions completed',
    );
  };

  return {
    stop() {
      stopping ??= drain();
      return stopping;
    },
    stats: () => ({ ...fanOut.stats(), connections: connections.size }),
  };
}

/** The upgrade request's headers, with the credentials `connection_init` carries on top. */
export function connectionHeaders(
  upgradeHeaders: IncomingHttpHeaders,
  payload: Readonly<Record<string, unknown>> | undefined,
): IncomingHttpHeaders {
  const headers: IncomingHttpHeaders = { ...upgradeHeaders };
  for (const [name, value] of Object.entries(payload ?? {})) {
    const header = name.toLowerCase();
    if (CREDENTIAL_FIELDS.has(header) && typeof value === 'string') headers[header] = value;
  }
  return headers;
}

function clientKeyOf(scope: Scope): string | undefined {
  const { principal } = scope;
  switch (principal.type) {
    case 'ANONYMOUS':
      return undefined;
    case 'USER':
      return `user:${principal.userId}`;
    case 'API_KEY':
      return `api-key:${principal.apiKeyId}`;
    case 'SERVICE':
      return `service:${principal.name}`;
    default:
      return assertNever(principal);
  }
}

async function waitUntil(condition: () => boolean, deadline: number): Promise<void> {
  while (!condition() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
