import type { ApolloServerPlugin } from '@apollo/server';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { QueryPlanCache } from '@apollo/query-planner';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram } from 'prom-client';
import { ErrorCode } from '../lib/errors';
import {
  BoundedLabel,
  LATENCY_BUCKETS_SECONDS,
  metricsRegistry,
} from '../lib/observability/metrics';
import type { AccessRecord } from './requestLog';

/**
 * The gateway's metrics: requests by operation and outcome, their latency, each subgraph fetch's
 * latency, query-plan cache hits and misses, and the WebSocket connections and subscriptions open.
 * Everything is a counter increment or a histogram observation on the request's path; gauges are
 * read when scraped.
 */

const requests = new Counter({
  name: 'gateway_requests_total',
  help: 'GraphQL requests over HTTP, by operation name, operation type and outcome (ok or an error code)',
  labelNames: ['operation', 'type', 'outcome'],
  registers: [metricsRegistry],
});
const requestDuration = new Histogram({
  name: 'gateway_request_duration_seconds',
  help: 'GraphQL requests over HTTP from arrival to the last byte sent, by operation name and type',
  labelNames: ['operation', 'type'],
  buckets: LATENCY_BUCKETS_SECONDS,
  registers: [metricsRegistry],
});
const fetchDuration = new Histogram({
  name: 'gateway_subgraph_fetch_duration_seconds',
  help: 'Subgraph fetches from the gateway until the response headers, by subgraph and transport outcome',
  labelNames: ['subgraph', 'outcome'],
  buckets: LATENCY_BUCKETS_SECONDS,
  registers: [metricsRegistry],
});
const planCache = new Counter({
  name: 'gateway_query_plan_cache_total',
  help: 'Query-plan cache lookups (an operation already planned, or planned now), by result',
  labelNames: ['result'],
  registers: [metricsRegistry],
});

/** What a subscription server reports about itself (see subscriptions/subscriptionServer.ts). */
export interface SubscriptionCounts {
  connections: number;
  /** Client subscriptions open. */
  clients: number;
  /** Subscriptions the gateway holds open to subgraphs (shared by clients of one scope). */
  upstreams: number;
}

const subscriptionSources = new Set<() => SubscriptionCounts>();

function sum(field: keyof SubscriptionCounts): number {
  let total = 0;
  for (const source of subscriptionSources) total += source()[field];
  return total;
}

new Gauge({
  name: 'gateway_websocket_connections',
  help: 'WebSocket (graphql-ws) connections open at the gateway',
  registers: [metricsRegistry],
  collect() {
    this.set(sum('connections'));
  },
});
new Gauge({
  name: 'gateway_subscriptions_active',
  help: 'Client subscriptions running at the gateway',
  registers: [metricsRegistry],
  collect() {
    this.set(sum('clients'));
  },
});
new Gauge({
  name: 'gateway_subscription_upstreams',
  help: 'Subscriptions the gateway holds open to subgraphs',
  registers: [metricsRegistry],
  collect() {
    this.set(sum('upstreams'));
  },
});

/** Counts a subscription server's connections and subscriptions until the returned call. */
export function watchSubscriptions(counts: () => SubscriptionCounts): () => void {
  subscriptionSources.add(counts);
  return () => {
    subscriptionSources.delete(counts);
  };
}

// Requests -----------------------------------------------------------------------------------

/** Operation names come from clients: at most this many get a series of their own. */
const operationLabel = new BoundedLabel(200);

/** Error codes that get a label value of their own; any other is `OTHER_ERROR`. */
const KNOWN_CODES = new Set<string>([
  ...Object.values(ErrorCode),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

function outcomeOfCode(code: unknown): string {
  return typeof code === 'string' && KNOWN_CODES.has(code) ? code : 'OTHER_ERROR';
}

/** Requests that never reached GraphQL execution (credentials, rate limit, body) by HTTP status. */
function outcomeOfStatus(status: number): string {
  if (status < 400) return 'ok';
  if (status === 401) return ErrorCode.UNAUTHENTICATED;
  if (status === 403) return ErrorCode.FORBIDDEN;
  if (status === 429) return ErrorCode.RATE_LIMITED;
  if (status === 503) return ErrorCode.SERVICE_UNAVAILABLE;
  if (status < 500) return ErrorCode.BAD_REQUEST;
  return ErrorCode.INTERNAL_SERVER_ERROR;
}

const outcomes = new WeakMap<AccessRecord, string>();

/** Notes each response's outcome: `ok`, or the code of its first error. */
export function requestMetricsPlugin<
  TContext extends { access: AccessRecord },
>(): ApolloServerPlugin<TContext> {
  return {
    requestDidStart: () =>
      Promise.resolve({
        willSendResponse({ response, contextValue }) {
          const errors =
            response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          const first = errors?.[0];
          outcomes.set(contextValue.access, first ? outcomeOfCode(first.extensions?.code) : 'ok');
          return Promise.resolve();
        },
      }),
  };
}

/**
 * A request refused while its context was built (credentials, rate limit): Apollo runs no plugin
 * hook for it, so the code is noted here.
 */
export function noteRefusedRequest(access: AccessRecord, err: unknown): void {
  const code = (err as { extensions?: { code?: unknown } } | null)?.extensions?.code;
  outcomes.set(access, outcomeOfCode(code));
}

/**
 * Counts and times every GraphQL request when its response is finished; runs after
 * `trackRequests`, whose record has the operation (once resolved from the document, so a name a
 * client merely claims is never a label). The landing page and CORS preflights are not counted.
 */
export function requestMetrics(): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'OPTIONS') {
      next();
      return;
    }
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const access = (res.locals as { access?: AccessRecord }).access;
      const outcome = access ? outcomes.get(access) : undefined;
      if (!access?.operationType && outcome === undefined && res.statusCode < 400) return;
      const type = access?.operationType ?? 'unknown';
      const operation = !access?.operationType
        ? 'unknown'
        : access.operationName
          ? operationLabel.value(access.operationName)
          : 'anonymous';
      requests.inc({ operation, type, outcome: outcome ?? outcomeOfStatus(res.statusCode) });
      requestDuration.observe({ operation, type }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}

// Subgraph fetches ---------------------------------------------------------------------------

type Fetcher = RemoteGraphQLDataSource['fetcher'];

/** Times each fetch to `subgraph`: `ok`, `http_error` (non-2xx), `timeout` or `unreachable`. */
export function timedFetcher(subgraph: string, fetcher: Fetcher): Fetcher {
  return async (url, init) => {
    const started = process.hrtime.bigint();
    const done = (outcome: string): void => {
      fetchDuration.observe({ subgraph, outcome }, Number(process.hrtime.bigint() - started) / 1e9);
    };
    try {
      const response = await fetcher(url, init);
      done(response.ok ? 'ok' : 'http_error');
      return response;
    } catch (err) {
      done((err as Error).name === 'TimeoutError' ? 'timeout' : 'unreachable');
      throw err;
    }
  };
}

// Query plans --------------------------------------------------------------------------------

/** Apollo's default plan store size (30 MiB, sized as JSON), counting each lookup's result. */
const PLAN_CACHE_BYTES = 30 * 2 ** 20;

/**
 * The gateway's query-plan store (`queryPlannerConfig.cache`): Apollo looks a plan up once per
 * validated operation and plans it on a miss, so each `get` is one hit or one miss.
 */
export function countingQueryPlanCache(): QueryPlanCache {
  type Plan = Parameters<QueryPlanCache['set']>[1];
  const store = new InMemoryLRUCache<Plan>({
    maxSize: PLAN_CACHE_BYTES,
    sizeCalculation: (plan) => Buffer.byteLength(JSON.stringify(plan), 'utf8'),
  });
  return {
    async get(key) {
      const plan = await store.get(key);
      planCache.inc({ result: plan ? 'hit' : 'miss' });
      return plan;
    },
    set: (key, value, options) => store.set(key, value, options),
    delete: (key) => store.delete(key),
    clear: () => store.clear(),
  };
}
