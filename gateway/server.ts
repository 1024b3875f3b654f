import { createServer, type IncomingHttpHeaders } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { validate } from 'graphql';
import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import type { Scope } from '../lib/auth/scope';
import { disableLibraryTelemetry } from '../lib/config';
import { createFormatError, ErrorCode } from '../lib/errors';
import { listen, publicUrl } from '../lib/http';
import type { Logger } from '../lib/logger';
import {
  METRICS_PATH,
  metricsHandler,
  type MetricsAccess,
} from '../lib/observability/metricsRoute';
import { traceRequests, tracingEnabled } from '../lib/observability/tracing';
import type { RunningServer } from '../lib/subgraphServer';
import { SECOND } from '../lib/units';
import { cors, type CorsOrigins } from './cors';
import { securityHeaders } from './headers';
import { httpStatusPlugin } from './httpStatus';
import { inputGuardPlugin } from './inputGuard';
import { OPEN_DATA_PATH, openDataRoutes } from './openData';
import { createQueryLimits, type QueryLimits } from './limits';
import { limitAuthFailures } from './auth/authenticate';
import type { AuthFailureLimit, RateLimit } from './rateLimit';
import { createBuildService, type GatewayContext } from './dataSource';
import { explorerAssets, EXPLORER_ASSETS_PATH, explorerBundle } from './explorer';
import { createLandingPagePlugin, renderLandingPage } from './landingPage';
import {
  countingQueryPlanCache,
  noteRefusedRequest,
  requestMetrics,
  requestMetricsPlugin,
  watchSubscriptions,
} from './metrics';
import { createReadinessCheck, publicReadiness, type Readiness } from './readiness';
import {
  accessLogPlugin,
  accessRecord,
  type AccessRecord,
  enterRequestContext,
  trackRequests,
} from './requestLog';
import { createResponseCache } from './responseCache';
import { sharedExecutionPlugin, type SharedAnswer } from './sharedExecution';
import { listSubgraphs, type SubgraphEndpoint } from './subgraphList';
import { pooledFetcher } from './subgraphFetch';
import {
  requireTrustedDocument,
  trustedSubscription,
  resolveDocumentIds,
  type TrustedDocuments,
  type TrustedDocumentsRequiredFor,
} from './trustedDocuments';
import { SupergraphFileError, watchSupergraphFile } from './supergraphFile';
import {
  createDataSourceRegistry,
  createSubscriptionServer,
  type SubscriptionSettings,
} from './subscriptions';

export interface GatewayOptions {
  /** File holding a composed supergraph SDL; watched and reloaded when it changes. */
  supergraphPath: string;
  /** Subgraph name -> URL, overriding the URL written in the supergraph. */
  subgraphUrls: Record<string, string>;
  logger: Logger;
  introspection: boolean;
  maskInternalErrors: boolean;
  /** Every outbound subgraph call is aborted after this long. */
  subgraphTimeoutMs: number;
  /** Shared with the subgraphs: signs the scope header of every subgraph request. */
  scopeSecret: string;
  scopeTtlMs: number;
  /** Who is calling: resolves the request's credentials to a scope, or throws a GraphQLError. */
  authenticate(headers: IncomingHttpHeaders): Promise<Scope>;
  /** Depth, alias, token, directive and cost limits for every operation. */
  limits: QueryLimits;
  /** Counts a request against its caller; throws a RATE_LIMITED GraphQLError when over. */
  rateLimit: RateLimit;
  /** Refused credentials per IP address, counted before any credentials are checked. */
  authFailures: AuthFailureLimit;
  /**
   * Calls the listener whenever users, grants or API keys changed (after the scope cache was
   * dropped): open WebSocket connections then re-check their credentials. Returns an unsubscribe.
   */
  onScopeInvalidated?: (listener: () => void) => () => void;
  /** Take the client IP from X-Forwarded-For (behind a trusted load balancer). */
  trustProxy: boolean;
  /** Origins browsers may call `/graphql` from (`*`: any); other routes are same-origin only. */
  corsOrigins: CorsOrigins;
  /** `Strict-Transport-Security` max-age on requests that arrived over TLS; 0 sends none. */
  hstsMaxAgeSeconds: number;
  /** Bundle the schema explorer as the gateway starts, so its first visitor does not wait. */
  prebuildExplorer?: boolean;
  /**
   * Sharing executions between callers of the same scope (sharedExecution.ts): in-flight
   * deduplication, the public response cache and its `Cache-Control`. Absent: nothing shared.
   */
  execution?: ExecutionSharing;
  /** GraphQL over WebSocket on the same URL: limits, upstream retry, the `validate` hook. */
  subscriptions?: Partial<SubscriptionSettings>;
  /** Who may read `/metrics` (default: anyone, as in development). */
  metrics?: MetricsAccess;
  /** Operations callers may send by id, and who may send nothing else (trustedDocuments.ts). */
  trustedDocuments?: { documents: TrustedDocuments; requiredFor: TrustedDocumentsRequiredFor };
}

export interface ExecutionSharing {
  dedup: boolean;
  /** Public results kept; 0: no response cache. */
  cacheMaxEntries: number;
  cacheTtlMs: number;
  publicMaxAgeSeconds: number;
  /**
   * Calls the listener whenever data the subgraphs serve changed (the jobs' and importer's
   * events): the response cache is emptied. Returns an unsubscribe.
   */
  onDataChanged(listener: () => void): () => void;
}

export interface Gateway {
  start(port: number, host?: string): Promise<RunningServer>;
  /** The URL the gateway uses for a subgraph of the current supergraph. */
  subgraphUrl(name: string): string | undefined;
  /** Drains in-flight requests and stops watching the supergraph. Safe to call more than once. */
  stop(): Promise<void>;
}

const GRAPHQL_PATH = '/graphql';
const JSON_BODY_LIMIT = '1mb';
const READY_CHECK_TIMEOUT_MS = 1 * SECOND;
const READY_CACHE_MS = 2 * SECOND;
/**
 * Keep-alive connections per subgraph, per process: one request answers after up to a dozen
 * fetches, several of them in parallel, for each of tens of concurrent callers.
 */
const SUBGRAPH_CONNECTIONS = 128;

/**
 * The Apollo gateway over HTTP: `/graphql` (queries routed to the subgraphs of the supergraph
 * file), `/health` (the process is up), `/ready` (a supergraph is loaded and every subgraph in it
 * is up) and a landing page at `/`.
 */
export function createGateway(options: GatewayOptions): Gateway {
  const logger = options.logger.child({ component: 'gateway' });
  const app = express();
  const httpServer = createServer(app);
  let endpointUrl = GRAPHQL_PATH;
  let subgraphs: SubgraphEndpoint[] | undefined;

  const dataSources = createDataSourceRegistry();
  const subgraphFetch = pooledFetcher({
    timeoutMs: options.subgraphTimeoutMs,
    connections: SUBGRAPH_CONNECTIONS,
  });
  disableLibraryTelemetry();
  const gateway = new ApolloGateway({
    supergraphSdl: watchSupergraphFile(options.supergraphPath, options.logger),
    buildService: dataSources.wrap(
      createBuildService({
        subgraphUrls: options.subgraphUrls,
        timeoutMs: options.subgraphTimeoutMs,
        logger,
        fetcher: subgraphFetch.fetcher,
        scopeSecret: options.scopeSecret,
        scopeTtlMs: options.scopeTtlMs,
      }),
    ),
    logger,
    // Counts plan lookups (hit or miss) for /metrics; otherwise Apollo's default store.
    queryPlannerConfig: { cache: countingQueryPlanCache() },
  });
  gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => {
    subgraphs = listSubgraphs(coreSupergraphSdl, options.subgraphUrls);
  });

  const limits = createQueryLimits(options.limits);
  const sharing = options.execution;
  const responseCache =
    sharing && sharing.cacheMaxEntries > 0
      ? createResponseCache<SharedAnswer>({
          maxEntries: sharing.cacheMaxEntries,
          ttlMs: sharing.cacheTtlMs,
        })
      : undefined;
  const stopListening = responseCache && sharing?.onDataChanged(() => responseCache.invalidate());
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    introspection: options.introspection,
    // With introspection off, validation errors must not suggest names ("Did you mean ...").
    hideSchemaDetailsFromClientErrors: !options.introspection,
    formatError: createFormatError(logger, {
      maskInternal: options.maskInternalErrors,
      hideSuggestions: !options.introspection,
    }),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      createLandingPagePlugin(() => landingPage()),
      accessLogPlugin(),
      requestMetricsPlugin(),
      // Nothing leaves the machine: no usage or schema reports to Apollo, whatever the environment.
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      inputGuardPlugin(),
      httpStatusPlugin(),
      ...limits.plugins,
      ...(sharing
        ? [
            sharedExecutionPlugin({
              dedup: sharing.dedup,
              cache: responseCache,
              publicMaxAgeSeconds: sharing.publicMaxAgeSeconds,
            }),
          ]
        : []),
    ],
    logger,
    // The process's lifecycle owns SIGTERM/SIGINT and stops the gateway with everything else.
    stopOnTerminationSignals: false,
    // Stack traces go to our logs, never to clients.
    includeStacktraceInErrorResponses: false,
  });

  // Subscriptions: graphql-ws on the same server and path, planned by this gateway's schema.
  const authenticateFrom = limitAuthFailures(
    (headers) => options.authenticate(headers),
    options.authFailures,
  );
  const { trustedDocuments } = options;
  const subscriptions = createSubscriptionServer({
    httpServer,
    path: GRAPHQL_PATH,
    gateway,
    dataSources,
    authenticate: authenticateFrom,
    recheck: (headers) => options.authenticate(headers),
    onScopeInvalidated: options.onScopeInvalidated,
    trustProxy: options.trustProxy,
    scopeSecret: options.scopeSecret,
    scopeTtlMs: options.scopeTtlMs,
    subgraphTimeoutMs: options.subgraphTimeoutMs,
    logger: options.logger,
    maskInternalErrors: options.maskInternalErrors,
    hideSuggestions: !options.introspection,
    // Held to trusted documents like POST requests are.
    ...(trustedDocuments && {
      resolveOperation: (payload, scope) => trustedSubscription(trustedDocuments, payload, scope),
    }),
    // The same depth, alias, directive, cost and token limits as queries over HTTP.
    settings: {
      validate: (document, schema) => validate(schema, document, limits.validationRules),
      parseOptions: limits.parseOptions,
      checkOperation: limits.checkCost,
      ...options.subscriptions,
    },
  });

  const unwatchSubscriptions = watchSubscriptions(() => subscriptions.stats());

  const readiness = createReadinessCheck({
    subgraphs: () => subgraphs,
    timeoutMs: READY_CHECK_TIMEOUT_MS,
    cacheMs: READY_CACHE_MS,
    logger,
  });

  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy);
  app.use(securityHeaders({ hstsMaxAgeSeconds: options.hstsMaxAgeSeconds }));
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get(METRICS_PATH, metricsHandler(options.metrics));
  app.get('/ready', (req, res) => {
    void Promise.all([readiness(), isAdministrator(req.headers)]).then(([result, admin]) =>
      sendReadiness(res, result, admin),
    );
  });
  const landingPage = (): string =>
    renderLandingPage(endpointUrl, { introspection: options.introspection });
  app.get('/', (_req, res) => {
    res.type('html').send(landingPage());
  });
  // The explorer cannot work without introspection: its page says so and its bundle is not served.
  if (options.introspection) app.get(`${EXPLORER_ASSETS_PATH}/:file`, explorerAssets(logger));

  app.get(
    OPEN_DATA_PATH,
    openDataRoutes({
      subgraphUrl: (name) => subgraphs?.find((s) => s.name === name)?.url,
      timeoutMs: options.subgraphTimeoutMs,
      rateLimit: options.rateLimit,
      logger,
    }),
  );

  /** Details of readiness (URLs, reasons) are for administrators; a bad credential is just not one. */
  const isAdministrator = async (headers: IncomingHttpHeaders): Promise<boolean> => {
    if (!headers.authorization && !headers['x-api-key']) return false;
    return options.authenticate(headers).then(
      (scope) => scope.admin && scope.principal.type !== 'SERVICE',
      () => false,
    );
  };

  const createContext = async ({
    req,
    res,
  }: {
    req: Request;
    res: Response;
  }): Promise<GatewayContext> => {
    const access = accessRecord(res);
    const ip = req.ip ?? 'unknown';
    try {
      const scope = await authenticateFrom(req.headers, ip);
      access.caller = scope.principal.type;
      await options.rateLimit(scope, ip);
      const trusted = options.trustedDocuments;
      if (trusted) {
        const query: unknown =
          req.method === 'GET'
            ? req.query.query
            : (req.body as { query?: unknown } | undefined)?.query;
        requireTrustedDocument(trusted.documents, trusted.requiredFor, scope, query);
      }
      // The request id reaches every line through the log context (enterRequestContext).
      return { requestId: access.requestId, logger, scope, access };
    } catch (err) {
      noteRefusedRequest(access, err);
      throw err;
    }
  };

  let apolloStarted = false;
  let started: Promise<RunningServer> | undefined;
  let stopping: Promise<void> | undefined;

  const startServer = async (port: number, host: string | undefined): Promise<RunningServer> => {
    await apollo.start().catch((err: unknown) => {
      throw new Error(loadErrorMessage(options.supergraphPath, err));
    });
    apolloStarted = true;
    app.use(
      GRAPHQL_PATH,
      trackRequests(logger),
      requestMetrics(),
      cors(options.corsOrigins),
      express.json({ limit: JSON_BODY_LIMIT }),
      ...(options.trustedDocuments ? [resolveDocumentIds(options.trustedDocuments.documents)] : []),
      ...(tracingEnabled() ? [traceRequests(GRAPHQL_PATH)] : []),
      enterRequestContext(),
      expressMiddleware(apollo, { context: createContext }),
    );
    app.use(handleHttpError(logger));
    const bound = await listen(httpServer, port, host).catch(async (err: unknown) => {
      apolloStarted = false;
      await apollo.stop().catch(() => undefined);
      throw err;
    });
    endpointUrl = publicUrl(host, bound, GRAPHQL_PATH);
    if (options.prebuildExplorer && options.introspection) {
      void explorerBundle().catch((err: unknown) =>
        logger.warn({ err }, 'could not bundle the schema explorer; retried on its first request'),
      );
    }
    logger.info({ url: endpointUrl, supergraph: options.supergraphPath }, 'gateway listening');
    return { url: endpointUrl, port: bound };
  };

  return {
    start(port, host) {
      if (stopping) return Promise.reject(new Error('gateway already stopped'));
      started ??= startServer(port, host);
      return started;
    },
    subgraphUrl(name) {
      return subgraphs?.find((s) => s.name === name)?.url;
    },
    stop() {
      stopping ??= (async () => {
        await started?.catch(() => undefined);
        // Subscriptions first: clients get `complete` before the HTTP drain ends their sockets.
        await subscriptions.stop();
        unwatchSubscriptions();
        stopListening?.();
        if (apolloStarted) await apollo.stop();
        await subgraphFetch.close();
      })();
      return stopping;
    },
  };
}

/**
 * `ready` / `not ready` and which subgraphs are up, by name; administrators also get the reason
 * and each subgraph's health URL. Never cached by a proxy: the answer is per moment and caller.
 */
function sendReadiness(res: Response, result: Readiness, details: boolean): void {
  res.setHeader('cache-control', 'no-store');
  res.status(result.ready ? 200 : 503).json(details ? result : publicReadiness(result));
}

/** One line that names the file, whatever went wrong loading it. */
function loadErrorMessage(path: string, err: unknown): string {
  if (err instanceof SupergraphFileError) return err.message;
  const detail = err instanceof Error ? err.message : String(err);
  const firstLine = detail.split('\n').find((line) => line.trim() !== '') ?? 'unknown error';
  return `supergraph file ${path} is not a valid supergraph: ${firstLine.trim()}`;
}

/** Body-parser failures (malformed JSON, body over the limit) answer as JSON, never as a stack. */
function handleHttpError(logger: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const { status, expose, message } = err as {
      status?: number;
      expose?: boolean;
      message?: string;
    };
    const code = typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
    const requestId = (res.locals as { access?: AccessRecord }).access?.requestId;
    if (code >= 500) logger.error({ err, requestId }, 'unhandled HTTP error');
    const shown = expose && message ? message : 'Internal server error';
    const errorCode = code >= 500 ? ErrorCode.INTERNAL_SERVER_ERROR : ErrorCode.BAD_REQUEST;
    res.status(code).json({ errors: [{ message: shown, extensions: { code: errorCode } }] });
  };
}
