import { randomUUID } from 'node:crypto';
import type { ClientRequestArgs } from 'node:http';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import type { Scope } from '../../lib/auth/scope';
import { SCOPE_HEADER, signScope } from '../../lib/auth/scopeHeader';
import type { Logger } from '../../lib/logger';
import { REQUEST_ID_HEADER } from '../requestLog';
import { upstreamLost } from './errors';

/** What a subgraph pushes for one event. */
export type UpstreamEvent = FormattedExecutionResult<Record<string, unknown>, unknown>;

export interface UpstreamRetryPolicy {
  /** Reconnect attempts in a row before the clients' subscriptions end with an error. */
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** A connection that stayed up this long counts as healthy: the attempt counter restarts. */
  healthyAfterMs: number;
}

export interface UpstreamOptions {
  subgraph: string;
  /** The subgraph's HTTP URL, read at every (re)connect so a reloaded supergraph is followed. */
  url(): string | undefined;
  scope: Scope;
  query: string;
  operationName: string | undefined;
  variables: Record<string, unknown>;
  scopeSecret: string;
  scopeTtlMs: number;
  /** Handshake and `connection_ack` timeout. */
  connectTimeoutMs: number;
  /** Ping period; a socket that misses a pong for this long is dropped and reconnected. */
  keepAliveMs: number;
  retry: UpstreamRetryPolicy;
  logger: Logger;
  onEvent(result: UpstreamEvent): void;
  /** The subscription ended with errors (the subgraph refused it, or it could not be re-established). */
  onError(errors: readonly GraphQLError[]): void;
  /** The subgraph completed the subscription. */
  onComplete(): void;
}

export interface Upstream {
  close(): void;
}

/**
 * One graphql-ws subscription from the gateway to a subgraph, on its own connection. The scope is
 * signed into the upgrade request's header, as the subgraph requires; every reconnect signs it
 * afresh, so the header's short lifetime never limits how long a subscription runs.
 *
 * Faults: a connection that drops or fails (subgraph restarting, network) is re-established with
 * exponential backoff and jitter, at most `retry.attempts` times in a row; then `onError` ends the
 * clients' subscriptions with a SERVICE_UNAVAILABLE error. Errors the subgraph answers with are
 * final and passed on as they are. Events published while the connection is down are lost, as
 * pub/sub events are everywhere in this system.
 */
export function openUpstream(options: UpstreamOptions): Upstream {
  const logger = options.logger.child({ subgraph: options.subgraph, upstreamId: randomUUID() });
  let client: Client | undefined;
  let unsubscribe: (() => void) | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let failures = 0;
  let connectedAt: number | undefined;
  let closed = false;

  const dropClient = (): void => {
    const previous = client;
    client = undefined;
    unsubscribe?.();
    unsubscribe = undefined;
    if (previous) void previous.dispose();
  };

  const end = (errors: readonly GraphQLError[] | undefined): void => {
    if (closed) return;
    closed = true;
    clearTimeout(retryTimer);
    dropClient();
    if (errors) options.onError(errors);
    else options.onComplete();
  };

  const retry = (reason: string): void => {
    if (closed) return;
    dropClient();
    if (connectedAt !== undefined && Date.now() - connectedAt >= options.retry.healthyAfterMs) {
      failures = 0;
    }
    connectedAt = undefined;
    failures += 1;
    if (failures > options.retry.attempts) {
      logger.error({ reason, attempts: options.retry.attempts }, 'upstream subscription lost');
      end([upstreamLost(options.subgraph, options.retry.attempts, reason)]);
      return;
    }
    const backoffMs = Math.min(
      options.retry.maxDelayMs,
      options.retry.initialDelayMs * 2 ** (failures - 1),
    );
    const delayMs = Math.round(backoffMs * (0.5 + Math.random() / 2));
    logger.warn({ reason, attempt: failures, delayMs }, 'upstream subscription dropped: retrying');
    retryTimer = setTimeout(connect, delayMs);
  };

  function connect(): void {
    if (closed) return;
    const httpUrl = options.url();
    if (!httpUrl) {
      end([upstreamLost(options.subgraph, failures, 'the subgraph has no URL')]);
      return;
    }
    const current = createClient({
      url: toWebSocketUrl(httpUrl),
      webSocketImpl: signedWebSocket(
        () => ({
          [SCOPE_HEADER]: signScope(options.scope, options.scopeSecret, options.scopeTtlMs),
          [REQUEST_ID_HEADER]: randomUUID(),
        }),
        options.connectTimeoutMs,
        options.keepAliveMs,
      ),
      lazy: true,
      retryAttempts: 0,
      connectionAckWaitTimeout: options.connectTimeoutMs,
      on: {
        connected: () => {
          if (client !== current) return;
          connectedAt = Date.now();
          if (failures > 0)
            logger.info({ attempt: failures }, 'upstream subscription re-established');
        },
      },
    });
    client = current;
    const isCurrent = (): boolean => !closed && client === current;
    unsubscribe = current.subscribe(
      {
        query: options.query,
        operationName: options.operationName ?? null,
        variables: options.variables,
      },
      {
        next: (result) => {
          if (isCurrent()) options.onEvent(result);
        },
        error: (error: unknown) => {
          if (!isCurrent()) return;
          if (isGraphQLErrorList(error)) {
            end(error.map((e) => fromSubgraph(e, options.subgraph)));
            return;
          }
          retry(describeFailure(error));
        },
        complete: () => {
          if (isCurrent()) end(undefined);
        },
      },
    );
  }

  connect();
  return {
    close: () => {
      if (closed) return;
      closed = true;
      clearTimeout(retryTimer);
      dropClient();
    },
  };
}

function toWebSocketUrl(httpUrl: string): string {
  const url = new URL(httpUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/**
 * A `ws` WebSocket that sends `headers()` on its upgrade request (browsers' WebSocket can't, and
 * graphql-ws constructs the socket itself) and drops a connection that stops answering pings.
 */
export function signedWebSocket(
  headers: () => Record<string, string>,
  handshakeTimeoutMs: number,
  keepAliveMs: number,
) {
  return class SignedWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      const init: ClientRequestArgs & { handshakeTimeout: number } = {
        headers: headers(),
        handshakeTimeout: handshakeTimeoutMs,
      };
      super(address, protocols, init);
      // graphql-ws drops its `onerror` when it terminates a socket, and `ws` reports closing a
      // socket that is still connecting as an 'error' event a tick later: with no listener left
      // that event would be thrown as an uncaught exception. Failures graphql-ws cares about still
      // reach it through its own `onerror`.
      this.on('error', () => undefined);
      if (keepAliveMs <= 0) return;
      let answered = true;
      const heartbeat = setInterval(() => {
        if (this.readyState !== WebSocket.OPEN) return;
        if (!answered) {
          this.terminate();
          return;
        }
        answered = false;
        this.ping();
      }, keepAliveMs);
      this.on('pong', () => {
        answered = true;
      });
      this.once('close', () => clearInterval(heartbeat));
    }
  };
}

function isGraphQLErrorList(value: unknown): value is GraphQLFormattedError[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((e) => typeof e === 'object' && e !== null && 'message' in e)
  );
}

function fromSubgraph(error: GraphQLFormattedError, subgraph: string): GraphQLError {
  return new GraphQLError(error.message, {
    path: error.path,
    extensions: { ...error.extensions, serviceName: subgraph },
  });
}

/** A close event, an error event or an Error, in one line. */
function describeFailure(failure: unknown): string {
  if (typeof failure === 'object' && failure !== null) {
    const { code, reason, message } = failure as {
      code?: unknown;
      reason?: unknown;
      message?: unknown;
    };
    if (typeof code === 'number') {
      const why = typeof reason === 'string' && reason !== '' ? ` ${reason}` : '';
      return `connection closed with ${code}${why}`;
    }
    if (typeof message === 'string' && message !== '') return message;
  }
  return String(failure);
}
