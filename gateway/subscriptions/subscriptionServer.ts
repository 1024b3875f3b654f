import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, Server } from 'node:http';
import type { ApolloGateway } from '@apollo/gateway';
import {
  GraphQLError,
  type ExecutionArgs,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
  type ParseOptions,
} from 'graphql';
import { CloseCode, makeServer, type Context, type SubscribePayload } from 'graphql-ws';
import { decodeJwt } from 'jose';
import { WebSocketServer } from 'ws';
import type { Scope } from '../../lib/auth/scope';
import { assertNever, createFormatError, ErrorCode } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import { SECOND } from '../../lib/units';
import { unauthenticated } from '../auth/authenticate';
import { CLOCK_TOLERANCE_SECONDS } from '../auth/jwt';
import type { ClientSocket, ClientStream } from './clientStream';
import type { DataSourceRegistry } from './dataSources';
import { internalError, scopeChanged, SubscriptionErrorCode, tooManySubscriptions } from './errors';
import { createSubscriptionFanOut, type SubscriptionStats } from './fanOut';
import { fingerprint } from './keys';
import {
  createSubscriptionPlanner,
  type PlannedSubscription,
  type CheckOperation,
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
  /** Checks that need the variables (cost), the same as for HTTP queries. */
  checkOperation?: CheckOperation;
  /** WebSocket connections one IP address may open per minute; one more is closed with 4429. */
  connectsPerMinutePerIp: number;
  /** Open anonymous connections per IP address; one more is closed with 4429. */
  maxAnonymousConnectionsPerIp: number;
  /** Subscriptions all anonymous connections of one IP address may run at once. */
  maxAnonymousSubscriptionsPerIp: number;
  /**
   * Every this often, each authenticated connection's credentials are checked again (as well as
   * at once when scopes are invalidated, and when its token expires): refused credentials close
   * the socket with 4403, a changed scope ends its subscriptions with SCOPE_CHANGED.
   */
  scopeRecheckMs: number;
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
  connectsPerMinutePerIp: 60,
  maxAnonymousConnectionsPerIp: 20,
  maxAnonymousSubscriptionsPerIp: 100,
  scopeRecheckMs: 5 * SECOND,
};

export interface SubscriptionServerOptions {
  httpServer: Server;
  path: string;
  gateway: Pick<ApolloGateway, 'onSchemaLoadOrUpdate'>;
  dataSources: DataSourceRegistry;
  /**
   * The gateway's own: resolves credentials to a scope or throws a GraphQLError, counting
   * refusals against the caller's IP address.
   */
  authenticate(headers: IncomingHttpHeaders, ip: string): Promise<Scope>;
  /** The same check, uncounted: an open connection's credentials checked again. */
  recheck(headers: IncomingHttpHeaders): Promise<Scope>;
  /** Subscribes a listener to scope invalidations (users, grants, keys changed). */
  onScopeInvalidated?: ((listener: () => void) => () => void) | undefined;
  /** Take the client's address from X-Forwarded-For (behind a trusted load balancer). */
  trustProxy: boolean;
  scopeSecret: string;
  scopeTtlMs: number;
  /** Upgrade and `connection_ack` timeout towards subgraphs. */
  subgraphTimeoutMs: number;
  logger: Logger;
  maskInternalErrors: boolean;
  /** Introspection is off: error messages must not suggest field or type names. */
  hideSuggestions?: boolean;
  settings?: Partial<SubscriptionSettings>;
  /**
   * Before planning: the operation to run for this payload and caller (trusted documents), or a
   * GraphQLError refusing it.
   */
  resolveOperation?: (payload: SubscribePayload, scope: Scope) => SubscribePayload;
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
/** A close frame's reason holds at most 123 bytes. */
const MAX_CLOSE_REASON_BYTES = 123;
/** Timers longer than this overflow (about 24.8 days); the periodic re-check covers those. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const CONNECT_WINDOW_MS = 60 * SECOND;

type ConnectionContext = Context<Record<string, unknown> | undefined, ConnectionExtra>;

interface Connection {
  id: string;
  ctx: ConnectionContext;
  ip: string;
  /** The credential headers the connection signed in with; undefined for anonymous callers. */
  credentials: IncomingHttpHeaders | undefined;
  scope: Scope;
  scopeKey: string;
  /** Who the per-client limit counts against (anonymous callers: their IP address). */
  clientKey: string;
  active: number;
  streams: Set<ClientStream>;
  expiryTimer: NodeJS.Timeout | undefined;
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
  const planner = createSubscriptionPlanner(
    settings.validate,
    settings.parseOptions,
    settings.checkOperation,
  );
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

  const anonymousPerIp = new Map<string, number>();
  const connects = new Map<string, { windowStart: number; count: number }>();

  const release = (connection: Connection): void => {
    connection.active -= 1;
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
    const anonymous = connection.credentials === undefined;
    const limit = anonymous
      ? settings.maxAnonymousSubscriptionsPerIp
      : settings.maxSubscriptionsPerClient;
    if ((perClient.get(connection.clientKey) ?? 0) >= limit) {
      return tooManySubscriptions(anonymous ? 'address' : 'client', limit);
    }
    return undefined;
  };

  const closeConnection = (connection: Connection, code: number, reason: string): void => {
    connection.ctx.extra.socket.close(code, closeReason(reason));
  };

  const forget = (connection: Connection): void => {
    clearTimeout(connection.expiryTimer);
    if (connection.credentials !== undefined) return;
    const count = (anonymousPerIp.get(connection.ip) ?? 1) - 1;
    if (count > 0) anonymousPerIp.set(connection.ip, count);
    else anonymousPerIp.delete(connection.ip);
  };

  /**
   * Checks the credentials of these connections again (once per distinct credentials): refused
   * ones close the socket with 4403 and the reason; a changed scope ends every subscription of
   * the connection with SCOPE_CHANGED (the client subscribes again, with what it may see now).
   */
  const recheck = async (targets: Connection[]): Promise<void> => {
    const byCredentials = new Map<string, Connection[]>();
    for (const connection of targets) {
      if (!connection.credentials) continue;
      const key = fingerprint(connection.credentials);
      byCredentials.set(key, [...(byCredentials.get(key) ?? []), connection]);
    }
    await Promise.all(
      [...byCredentials.values()].map(async (group) => {
        const [first] = group;
        if (!first?.credentials) return;
        let scope: Scope;
        try {
          scope = await options.recheck(first.credentials);
        } catch (err) {
          if (err instanceof GraphQLError && err.extensions.code === ErrorCode.UNAUTHENTICATED) {
            for (const connection of group) {
              connection.logger.info({ reason: err.message }, 'credentials no longer valid');
              closeConnection(connection, CloseCode.Forbidden, err.message);
            }
            return;
          }
          // The users subgraph is unreachable: keep the connections, try again next time.
          logger.warn({ err }, 'could not re-check the credentials of WebSocket connections');
          return;
        }
        const scopeKey = fingerprint(scope);
        for (const connection of group) {
          if (connection.scopeKey === scopeKey || !connections.has(connection.ctx)) continue;
          connection.scope = scope;
          connection.scopeKey = scopeKey;
          connection.logger.info('scope changed: ending its subscriptions');
          const error = scopeChanged();
          for (const stream of [...connection.streams]) stream.fail(error);
        }
      }),
    );
  };

  const recheckAll = (): void => {
    void recheck([...connections.values()]).catch((err: unknown) =>
      logger.error({ err }, 'WebSocket credential re-check failed'),
    );
  };
  const recheckTimer = setInterval(recheckAll, settings.scopeRecheckMs);
  recheckTimer.unref();
  const unsubscribeScopes = options.onScopeInvalidated?.(recheckAll);

  /** A bearer token's connection is checked again the moment the token expires. */
  const watchExpiry = (connection: Connection): void => {
    const authorization = connection.credentials?.authorization;
    const token =
      typeof authorization === 'string' ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
    if (!token?.[1]) return;
    let exp: number | undefined;
    try {
      exp = decodeJwt(token[1]).exp;
    } catch {
      return;
    }
    if (exp === undefined) return;
    const delay = (exp + CLOCK_TOLERANCE_SECONDS) * 1000 - Date.now() + 1;
    if (delay > MAX_TIMER_MS) return;
    connection.expiryTimer = setTimeout(
      () => {
        void recheck([connection]).catch((err: unknown) =>
          logger.error({ err }, 'WebSocket credential re-check failed'),
        );
      },
      Math.max(0, delay),
    );
    connection.expiryTimer.unref();
  };

  /** Connect rate per address (fixed one-minute windows), before anything is spent on the socket. */
  const admit = (request: IncomingMessage): string | undefined => {
    const ip = clientIp(request, options.trustProxy);
    const now = Date.now();
    let window = connects.get(ip);
    if (!window || now - window.windowStart >= CONNECT_WINDOW_MS) {
      // Forget addresses whose window ended, so the map holds only the last minute's callers.
      for (const [address, entry] of connects) {
        if (now - entry.windowStart >= CONNECT_WINDOW_MS) connects.delete(address);
      }
      window = { windowStart: now, count: 0 };
      connects.set(ip, window);
    }
    window.count += 1;
    if (window.count <= settings.connectsPerMinutePerIp) return undefined;
    const retry = Math.max(1, Math.ceil((window.windowStart + CONNECT_WINDOW_MS - now) / 1000));
    return `too many connections: at most ${settings.connectsPerMinutePerIp} per minute from one address; retry in ${retry} s`;
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
      const id = randomUUID();
      const ip = clientIp(ctx.extra.request, options.trustProxy);
      try {
        const headers = connectionHeaders(ctx.extra.request.headers, ctx.connectionParams);
        const scope = await options.authenticate(headers, ip);
        const anonymous = scope.principal.type === 'ANONYMOUS';
        if (anonymous) {
          const open = anonymousPerIp.get(ip) ?? 0;
          if (open >= settings.maxAnonymousConnectionsPerIp) {
            ctx.extra.socket.close(
              CloseCode.TooManyInitialisationRequests,
              closeReason(
                `too many anonymous connections: at most ${settings.maxAnonymousConnectionsPerIp} per address; sign in or close one`,
              ),
            );
            return false;
          }
          anonymousPerIp.set(ip, open + 1);
        }
        const connection: Connection = {
          id,
          ctx,
          ip,
          credentials: anonymous ? undefined : credentialHeaders(headers),
          scope,
          scopeKey: fingerprint(scope),
          clientKey: anonymous ? `ip:${ip}` : clientKeyOf(scope),
          active: 0,
          streams: new Set(),
          expiryTimer: undefined,
          logger: logger.child({ connectionId: id }),
        };
        connections.set(ctx, connection);
        watchExpiry(connection);
        return true;
      } catch (err) {
        if (err instanceof GraphQLError) {
          logger.info({ connectionId: id, reason: err.message }, 'WebSocket connection refused');
          const code = err.extensions.code === ErrorCode.RATE_LIMITED ? 4429 : CloseCode.Forbidden;
          ctx.extra.socket.close(code, closeReason(err.message));
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
      let operation = payload;
      try {
        if (options.resolveOperation)
          operation = options.resolveOperation(payload, connection.scope);
      } catch (err) {
        if (err instanceof GraphQLError) return [err];
        throw err;
      }
      let result: ReturnType<typeof planner.plan>;
      try {
        result = planner.plan(operation);
      } catch (err) {
        connection.logger.error({ err }, 'could not plan a subscription');
        return [internalError('the gateway could not plan this subscription')];
      }
      if (!result.ok) return result.errors;
      const { planned } = result;
      connection.active += 1;
      perClient.set(connection.clientKey, (perClient.get(connection.clientKey) ?? 0) + 1);
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
      const stream = fanOut.subscribe(planned, connection.scope, { socket, id }, () => {
        connection.streams.delete(stream);
        release(connection);
      });
      connection.streams.add(stream);
      return stream;
    },
    onError: (_ctx, _id, _payload, errors) => formatErrors(errors),
    onClose: (ctx) => {
      const connection = connections.get(ctx);
      if (connection) forget(connection);
      connections.delete(ctx);
    },
  });
  serveGraphqlWs(protocol, wsServer, settings.keepAliveMs, logger, admit);

  const drain = async (): Promise<void> => {
    const stats = fanOut.stats();
    const deadline = Date.now() + settings.shutdownTimeoutMs;
    clearInterval(recheckTimer);
    unsubscribeScopes?.();
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
    if (!CREDENTIAL_FIELDS.has(header)) continue;
    if (typeof value !== 'string') {
      throw unauthenticated(`connection_init field "${name}" must be a string`);
    }
    headers[header] = value;
  }
  return headers;
}

/** Only what authenticates: kept per connection to check it again later. */
function credentialHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const kept: IncomingHttpHeaders = {};
  for (const name of CREDENTIAL_FIELDS) {
    if (headers[name] !== undefined) kept[name] = headers[name];
  }
  return kept;
}

/** The caller's address: the socket's, or X-Forwarded-For's first behind a trusted proxy. */
export function clientIp(request: IncomingMessage, trustProxy: boolean): string {
  const forwarded = request.headers['x-forwarded-for'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  if (trustProxy && first) return first;
  return request.socket.remoteAddress ?? 'unknown';
}

/** Cut to what a close frame can carry (123 bytes of UTF-8). */
function closeReason(reason: string): string {
  if (Buffer.byteLength(reason) <= MAX_CLOSE_REASON_BYTES) return reason;
  let cut = reason;
  while (Buffer.byteLength(`${cut}...`) > MAX_CLOSE_REASON_BYTES) cut = cut.slice(0, -1);
  return `${cut}...`;
}

function clientKeyOf(scope: Scope): string {
  const { principal } = scope;
  switch (principal.type) {
    case 'ANONYMOUS':
      return 'anonymous';
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
