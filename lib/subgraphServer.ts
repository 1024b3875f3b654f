import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import express, { type Router } from 'express';
import type { DocumentNode } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { SCOPE_HEADER, ScopeHeaderError, verifyScope } from './auth/scopeHeader';
import type { Scope } from './auth/scope';
import { createFormatError, ErrorCode } from './errors';
import { listen } from './http';
import { acceptRequestId, currentRequest, runInRequest, type Logger } from './logger';
import { METRICS_PATH, metricsHandler, type MetricsAccess } from './observability/metricsRoute';
import { subgraphOperationsPlugin } from './observability/subgraphMetrics';
import { traceRequests, tracingEnabled } from './observability/tracing';

export interface RequestInfo {
  requestId: string;
  logger: Logger;
  /** Verified from the gateway's signed header: what this request may see. */
  scope: Scope;
}

export interface SubgraphServerOptions<TContext extends object> {
  name: string;
  typeDefs: DocumentNode;
  /** Typed by codegen against TContext; Apollo's own map type is context-agnostic. */
  resolvers: GraphQLResolverMap<unknown>;
  logger: Logger;
  /** Builds the per-request context; DataLoaders are created here so they never outlive a request. */
  createContext(request: RequestInfo): TContext;
  /** Throws when the subgraph can't serve (database down, index not loaded); drives `/ready`. */
  checkReady(): Promise<void>;
  introspection: boolean;
  maskInternalErrors: boolean;
  /** Shared with the gateway: requests without a scope header signed with it get nothing. */
  scopeSecret: string;
  /**
   * Plain HTTP routes open to anyone, like `/health` (no scope header): public data only, such as
   * the open-data feeds operators read. They must not use `/graphql`.
   */
  publicRoutes?: Router;
  /** Who may read `/metrics` (default: anyone, as in development). */
  metrics?: MetricsAccess;
}

export interface RunningServer {
  url: string;
  port: number;
}

export interface SubgraphServer {
  start(port: number, host?: string): Promise<RunningServer>;
  /** Drains in-flight requests and closes WebSocket subscriptions. Safe to call more than once. */
  stop(): Promise<void>;
}

const GRAPHQL_PATH = '/graphql';

/**
 * One HTTP server per subgraph: POST/GET `/graphql` (Apollo Server), graphql-ws on the same path,
 * `/health` (the process is up) and `/ready` (it can answer queries).
 */
export function createSubgraphServer<TContext extends object>(
  options: SubgraphServerOptions<TContext>,
): SubgraphServer {
  const logger = options.logger.child({ subgraph: options.name });
  const schema = buildSubgraphSchema({ typeDefs: options.typeDefs, resolvers: options.resolvers });
  const app = express();
  const httpServer = createServer(app);
  const wsServer = new WebSocketServer({ server: httpServer, path: GRAPHQL_PATH });

  const requestInfo = (headers: IncomingMessage['headers']): RequestInfo => {
    // The gateway sends its request id; lines logged for this request carry it.
    const requestId =
      currentRequest()?.requestId ?? acceptRequestId(headers['x-request-id'], randomUUID);
    const scopeHeader = headers[SCOPE_HEADER];
    const scope = verifyScope(
      typeof scopeHeader === 'string' ? scopeHeader : undefined,
      options.scopeSecret,
    );
    return { requestId, logger: logger.child({ requestId }), scope };
  };

  const wsCleanup = useServer(
    {
      schema,
      // The gateway connects with the signed scope header on the upgrade request.
      onConnect: (ctx: { extra: { request: IncomingMessage } }) => {
        try {
          verifyScope(headerValue(ctx.extra.request.headers[SCOPE_HEADER]), options.scopeSecret);
          return true;
        } catch (err) {
          logger.warn(
            { reason: (err as Error).message },
            'WebSocket connection without a valid scope',
          );
          return false;
        }
      },
      context: (ctx: { extra: { request: IncomingMessage } }) =>
        options.createContext(requestInfo(ctx.extra.request.headers)),
    },
    wsServer,
  );
  const closeWebSockets: ApolloServerPlugin = {
    serverWillStart: () =>
      Promise.resolve({
        drainServer: async () => {
          await wsCleanup.dispose();
        },
      }),
  };

  const apollo = new ApolloServer<TContext>({
    schema,
    introspection: options.introspection,
    // The process's lifecycle stops us on SIGTERM, in order; Apollo must not re-raise the signal.
    stopOnTerminationSignals: false,
    // Stack traces go to our logs, never to clients.
    includeStacktraceInErrorResponses: false,
    formatError: createFormatError(logger, {
      maskInternal: options.maskInternalErrors,
      hideSuggestions: !options.introspection,
    }),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // Inline traces (ftv1) are for Apollo's hosted studio, which this product does not report to.
      ApolloServerPluginInlineTraceDisabled(),
      closeWebSockets,
      subgraphOperationsPlugin(options.name, logger),
    ],
    logger,
  });

  // Every GraphQL request must carry a valid scope; health and readiness need none.
  app.use(GRAPHQL_PATH, (req, res, next) => {
    try {
      verifyScope(headerValue(req.headers[SCOPE_HEADER]), options.scopeSecret);
      next();
    } catch (err) {
      if (!(err instanceof ScopeHeaderError)) throw err;
      logger.warn({ reason: err.message }, 'request without a valid scope');
      res.status(401).json({
        errors: [
          {
            message: `unauthenticated: ${err.message}`,
            extensions: { code: ErrorCode.UNAUTHENTICATED },
          },
        ],
      });
    }
  });

  if (options.publicRoutes) app.use(options.publicRoutes);

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', subgraph: options.name });
  });
  app.get(METRICS_PATH, metricsHandler(options.metrics));
  app.get('/ready', (_req, res) => {
    options.checkReady().then(
      () => res.json({ status: 'ready', subgraph: options.name }),
      (err: unknown) => {
        // The reason (a database error, a URL) goes to the log, not to whoever asks.
        logger.warn({ err }, 'not ready');
        res.status(503).json({ status: 'not ready', subgraph: options.name });
      },
    );
  });

  let apolloStarted = false;
  let started: Promise<RunningServer> | undefined;
  let stopping: Promise<void> | undefined;

  return {
    start(port, host) {
      started ??= (async () => {
        await apollo.start();
        apolloStarted = true;
        app.use(
          GRAPHQL_PATH,
          express.json({ limit: '1mb' }),
          // A span per request, child of the gateway's fetch span (its `traceparent`).
          ...(tracingEnabled() ? [traceRequests(`${options.name}${GRAPHQL_PATH}`)] : []),
          // After body parsing (its stream events would lose the context): every line logged
          // while serving the request carries the gateway's request id.
          (req, _res, next) => {
            runInRequest(
              { requestId: acceptRequestId(req.headers['x-request-id'], randomUUID) },
              next,
            );
          },
          expressMiddleware(apollo, {
            context: ({ req }) => Promise.resolve(options.createContext(requestInfo(req.headers))),
          }),
        );
        const bound = await listen(httpServer, port, host);
        const url = `http://127.0.0.1:${bound}${GRAPHQL_PATH}`;
        logger.info({ url }, 'subgraph listening');
        return { url, port: bound };
      })();
      return started;
    },
    stop() {
      stopping ??= (async () => {
        await started?.catch(() => undefined);
        if (apolloStarted) {
          await apollo.stop(); // drains HTTP, then the plugin closes the WebSocket server
        } else {
          await wsCleanup.dispose();
          wsServer.close();
          httpServer.close();
        }
      })();
      return stopping;
    },
  };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
