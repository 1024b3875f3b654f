import type { IncomingMessage } from 'node:http';
import { CloseCode, GRAPHQL_TRANSPORT_WS_PROTOCOL, type Server } from 'graphql-ws';
import WebSocket, { type WebSocketServer } from 'ws';
import type { Logger } from '../../lib/logger';

/** What graphql-ws hands every callback as `ctx.extra`. */
export interface ConnectionExtra {
  readonly socket: WebSocket;
  readonly request: IncomingMessage;
}

/** Past this many unsent bytes, a send waits until the socket has written its buffer. */
const HIGH_WATER_BYTES = 1024 * 1024;

/**
 * Runs a graphql-ws `Server` (from `makeServer`: the whole `graphql-transport-ws` protocol) on a
 * `ws` WebSocketServer. It does what graphql-ws's own `useServer` does, differently where a
 * gateway with thousands of subscribers needs it:
 *
 * - a send does not wait for its write callback unless the socket is backed up past
 *   `HIGH_WATER_BYTES` (events themselves are written by ClientStream, which ends the
 *   subscription of a client that falls behind with SLOW_CONSUMER);
 * - a client that vanished mid-send is not an error: the socket closes and its subscriptions end;
 * - problems are logged with the gateway's logger, never with `console`;
 * - a client offering a subprotocol other than `graphql-transport-ws` gets the connection and
 *   then close code 4406 from graphql-ws, instead of a bare handshake failure.
 */
export function serveGraphqlWs(
  server: Server<ConnectionExtra>,
  wsServer: WebSocketServer,
  keepAliveMs: number,
  logger: Logger,
  /** A refusal (the socket is closed with 4429 and it as reason), or undefined to serve it. */
  admit: (request: IncomingMessage) => string | undefined,
): void {
  wsServer.options.handleProtocols = (protocols) =>
    protocols.has(GRAPHQL_TRANSPORT_WS_PROTOCOL)
      ? GRAPHQL_TRANSPORT_WS_PROTOCOL
      : (protocols.values().next().value ?? false);

  wsServer.on('error', (err) => logger.error({ err }, 'WebSocket server error'));
  wsServer.on('connection', (socket, request) => {
    // `ws` closes the socket itself after a protocol error (bad frame, message too big).
    socket.on('error', (err) => logger.debug({ err }, 'WebSocket error'));
    const refusal = admit(request);
    if (refusal !== undefined) {
      logger.info({ reason: refusal }, 'WebSocket connection refused');
      socket.close(CloseCode.TooManyInitialisationRequests, refusal);
      return;
    }
    serve(socket, request);
  });

  function serve(socket: WebSocket, request: IncomingMessage): void {
    let answered = true;
    const heartbeat = setInterval(() => {
      if (socket.readyState !== WebSocket.OPEN) return;
      if (!answered) {
        socket.terminate();
        return;
      }
      answered = false;
      socket.ping();
    }, keepAliveMs);
    socket.on('pong', () => {
      answered = true;
    });

    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) => {
          if (socket.readyState !== WebSocket.OPEN) return;
          if (socket.bufferedAmount < HIGH_WATER_BYTES) {
            socket.send(data);
            return;
          }
          return new Promise<void>((resolve) => socket.send(data, () => resolve()));
        },
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', (data: Buffer) => {
            handle(data.toString('utf8')).catch((err: unknown) => {
              logger.error({ err }, 'graphql-ws message handling failed');
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            });
          }),
      },
      { socket, request },
    );

    socket.once('close', (code, reason) => {
      clearInterval(heartbeat);
      closed(code, reason.toString('utf8')).catch((err: unknown) =>
        logger.error({ err }, 'graphql-ws close handling failed'),
      );
    });
  }
}
