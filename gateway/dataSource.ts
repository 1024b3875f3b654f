import { randomUUID } from 'node:crypto';
import {
  RemoteGraphQLDataSource,
  type GraphQLDataSource,
  type ServiceEndpointDefinition,
} from '@apollo/gateway';
import { GraphQLError, Kind, parse } from 'graphql';
import { serviceScope, type Scope } from '../lib/auth/scope';
import { SCOPE_HEADER, signScope } from '../lib/auth/scopeHeader';
import { createInFlight } from './dedup';
import { scopeKey } from './scopeKey';
import { ErrorCode } from '../lib/errors';
import type { Logger } from '../lib/logger';
import { injectTraceContext, tracingEnabled } from '../lib/observability/tracing';
import { timedFetcher } from './metrics';
import { REQUEST_ID_HEADER, type AccessRecord } from './requestLog';
import { answerResponse, type Fetcher, type SubgraphAnswer } from './subgraphFetch';

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
  /** How subgraph requests are sent (subgraphFetch.ts: keep-alive pools). */
  fetcher: Fetcher;
  scopeSecret: string;
  scopeTtlMs: number;
  /**
   * Identical subgraph queries in flight at the same time with the same signed scope share one
   * fetch (default true). The shared fetch carries the first caller's request id.
   */
  dedupFetches?: boolean;
}

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
  const fetcher = options.fetcher;
  const signed = signedScopes(options.scopeSecret, options.scopeTtlMs);
  return new RemoteGraphQLDataSource<GatewayContext>({
    url,
    fetcher: timedFetcher(name, options.dedupFetches === false ? fetcher : sharedFetcher(fetcher)),
    willSendRequest(request) {
      const incoming = 'incomingRequestContext' in request;
      const requestId = incoming ? request.context.requestId : randomUUID();
      const scope = incoming ? request.context.scope : GATEWAY_SCOPE;
      request.request.http?.headers.set(REQUEST_ID_HEADER, requestId);
      // Runs inside Apollo's `gateway.fetch` span: the subgraph's span becomes its child.
      if (tracingEnabled() && request.request.http)
        injectTraceContext(request.request.http.headers);
      request.request.http?.headers.set(SCOPE_HEADER, signed(scope));
    },
    didEncounterError(error, _fetchRequest, _fetchResponse, context, request) {
      const requestId = context?.requestId;
      logger.error({ err: error, requestId }, 'subgraph fetch failed');
      throw toSubgraphError(name, error, options.timeoutMs, request);
    },
  });
}

const MAX_SIGNED_SCOPES = 10_000;

/**
 * `signScope`, reused for half the header's lifetime: one HMAC per scope every `ttlMs / 2` rather
 * than per fetch, and equal headers for equal scopes, which lets `sharedFetcher` share fetches.
 */
function signedScopes(secret: string, ttlMs: number): (scope: Scope) => string {
  const signed = new Map<string, { header: string; renewAt: number }>();
  return (scope) => {
    const key = scopeKey(scope);
    const now = Date.now();
    const cached = signed.get(key);
    if (cached && cached.renewAt > now) return cached.header;
    if (signed.size >= MAX_SIGNED_SCOPES) signed.clear();
    const header = signScope(scope, secret, ttlMs, now);
    signed.set(key, { header, renewAt: now + ttlMs / 2 });
    return header;
  };
}

/** A query the gateway's plan sends (`query ...` or `{ ... }`), never a mutation. */
const SHAREABLE_BODY = /^\{"query":"(query\b|\{)/;

/**
 * Identical subgraph queries in flight at once, with the same signed scope header (so the same
 * scope, see `signedScopes`), make one request; each caller gets its own copy of the answer.
 */
function sharedFetcher(fetcher: Fetcher): Fetcher {
  const inFlight = createInFlight<SubgraphAnswer>();
  return async (url, init) => {
    const body = init?.body;
    const scope = init?.headers?.[SCOPE_HEADER];
    if (typeof body !== 'string' || !scope || !SHAREABLE_BODY.test(body)) return fetcher(url, init);
    const key = `${url}\n${scope}\n${body}`;
    const running = inFlight.join(key);
    if (running) {
      const answer = await running;
      if (answer) return answerResponse(answer);
      return fetcher(url, init);
    }
    const settle = inFlight.lead(key);
    try {
      const response = await fetcher(url, init);
      const answer: SubgraphAnswer = {
        url,
        status: response.status,
        headers: [...response.headers],
        body: await response.text(),
      };
      settle(answer);
      return answerResponse(answer);
    } catch (err) {
      settle(undefined);
      throw err;
    }
  };
}

/**
 * What a failed fetch leaves out of the answer: the root fields it asked for (by their names in
 * the answer), or for an entity fetch the types whose fields it was to add.
 */
function missingFrom(request: { query?: string; variables?: Record<string, unknown> } = {}) {
  if (!request.query) return [];
  try {
    const operation = parse(request.query).definitions.find(
      (d) => d.kind === Kind.OPERATION_DEFINITION,
    );
    const fields = (operation?.selectionSet.selections ?? []).flatMap((s) =>
      s.kind === Kind.FIELD ? [(s.alias ?? s.name).value] : [],
    );
    if (!fields.includes('_entities')) return fields;
    const representations = request.variables?.representations;
    const types = new Set<string>();
    for (const r of Array.isArray(representations) ? representations : []) {
      const typename = (r as { __typename?: unknown }).__typename;
      if (typeof typename === 'string') types.add(`fields of ${typename}`);
    }
    return [...types];
  } catch {
    return [];
  }
}

/**
 * Errors the subgraph answered with (non-2xx) pass through. A transport failure is
 * SERVICE_UNAVAILABLE, naming the subgraph and what is missing from the answer (the rest of the
 * answer stands: root fields are nullable for this), never its address.
 */
function toSubgraphError(
  name: string,
  error: Error,
  timeoutMs: number,
  request?: { query?: string; variables?: Record<string, unknown> },
): GraphQLError {
  if (error instanceof GraphQLError) return error;
  const failure =
    error.name === 'TimeoutError'
      ? `subgraph "${name}" did not answer within ${timeoutMs} ms`
      : `subgraph "${name}" is unreachable`;
  const missing = missingFrom(request);
  const message =
    missing.length > 0 ? `${failure}; missing from this answer: ${missing.join(', ')}` : failure;
  return new GraphQLError(message, {
    originalError: error,
    extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, serviceName: name },
  });
}
