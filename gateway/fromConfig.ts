import { Redis } from 'ioredis';
import type { Config } from '../lib/config';
import type { Lifecycle } from '../lib/lifecycle';
import type { Logger } from '../lib/logger';
import { metricsAccess } from '../lib/observability/metricsRoute';
import type { PubSub } from '../lib/pubsub';
import { SECOND } from '../lib/units';
import { createAuthenticator } from './auth/authenticate';
import { isGatewayWorker } from './cluster';
import { createJwtVerifier, type JwtOptions } from './auth/jwt';
import { createScopeResolver } from './auth/scopeResolver';
import { createAuthFailureLimit, createRateLimit } from './rateLimit';
import { INVALIDATING_CHANNELS } from './responseCache';
import { createGateway, type Gateway } from './server';
import { loadTrustedDocuments } from './trustedDocuments';

const SCOPE_LOOKUP_TIMEOUT_MS = 5 * SECOND;

export function jwtOptionsFromConfig(config: Config): JwtOptions {
  return {
    jwksUrl: config.JWT_JWKS_URL,
    publicKeyPem: config.JWT_PUBLIC_KEY,
    secret: config.JWT_SECRET,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    algorithms: config.JWT_ALGORITHMS,
    maxLifetimeSeconds: config.JWT_MAX_LIFETIME_SECONDS,
  };
}

/**
 * The gateway as a process runs it: JWT and API-key authentication, scopes from the users
 * subgraph (cached, invalidated over pub/sub), query limits and rate limits from the config.
 */
export async function createConfiguredGateway(deps: {
  config: Config;
  logger: Logger;
  lifecycle: Lifecycle;
  pubsub: PubSub;
  scopeSecret: string;
  subgraphUrls: Record<string, string>;
  jwt: JwtOptions;
}): Promise<Gateway> {
  const { config, logger, lifecycle } = deps;
  const verifyJwt = await createJwtVerifier(deps.jwt);
  if (!verifyJwt)
    logger.warn('no JWT key configured: bearer tokens are refused (API keys and anonymous work)');

  let redis: Redis | undefined;
  if (config.REDIS_URL) {
    redis = new Redis(config.REDIS_URL, {
      maxRetriesPerRequest: 1,
      // While Redis is away a count fails at once and the in-process limiter takes over, instead
      // of every request waiting for a reconnect attempt (tested in test/faults/).
      enableOfflineQueue: false,
      connectionName: 'mobility:rate-limit',
    });
    redis.on('error', (err: Error) => logger.warn({ err: err.message }, 'rate-limit redis error'));
    const client = redis;
    lifecycle.add('rate-limit redis', async () => {
      await client.quit().catch(() => client.disconnect());
    });
  }

  // The scope resolver asks the gateway for the users subgraph's URL, so it is built first.
  const gatewayRef: { current?: Gateway } = {};
  const scopes = createScopeResolver({
    usersUrl: () => gatewayRef.current?.subgraphUrl('users'),
    scopeSecret: deps.scopeSecret,
    cacheTtlMs: config.AUTH_CACHE_TTL_MS,
    timeoutMs: SCOPE_LOOKUP_TIMEOUT_MS,
    pubsub: deps.pubsub,
    logger,
  });
  await scopes.start();
  lifecycle.add('scope cache', () => scopes.stop());

  // Without Redis each worker counts in its own memory: each gets its share of the limit (the
  // cluster hands connections out round-robin), so the whole still allows RATE_LIMIT_POINTS.
  const rateLimitPoints =
    redis || !isGatewayWorker()
      ? config.RATE_LIMIT_POINTS
      : Math.max(1, Math.ceil(config.RATE_LIMIT_POINTS / config.GATEWAY_WORKERS));

  // Subscribed before the gateway serves: no cached answer can miss an event.
  const dataChanged = new Set<() => void>();
  const unsubscribes = await Promise.all(
    INVALIDATING_CHANNELS.map((channel) =>
      deps.pubsub.subscribe(channel, () => {
        for (const listener of dataChanged) listener();
      }),
    ),
  );
  lifecycle.add('response cache events', async () => {
    await Promise.all(unsubscribes.map((unsubscribe) => unsubscribe()));
  });

  const gateway = createGateway({
    supergraphPath: config.SUPERGRAPH_PATH,
    subgraphUrls: deps.subgraphUrls,
    logger,
    introspection: config.INTROSPECTION,
    // The public endpoint never shows an internal error's message (SQL, URLs), in development
    // either: the log has it, under the request id the response carries.
    maskInternalErrors: true,
    subgraphTimeoutMs: config.SUBGRAPH_TIMEOUT_MS,
    scopeSecret: deps.scopeSecret,
    scopeTtlMs: config.SCOPE_HEADER_TTL_MS,
    authenticate: createAuthenticator({ verifyJwt, emailClaim: config.JWT_EMAIL_CLAIM, scopes }),
    limits: {
      maxDepth: config.LIMIT_MAX_DEPTH,
      maxAliases: config.LIMIT_MAX_ALIASES,
      maxTokens: config.LIMIT_MAX_TOKENS,
      maxCost: config.LIMIT_MAX_COST,
      maxDirectives: config.LIMIT_MAX_DIRECTIVES,
    },
    rateLimit: createRateLimit({
      points: rateLimitPoints,
      windowMs: config.RATE_LIMIT_WINDOW_MS,
      redis,
    }),
    authFailures: createAuthFailureLimit({
      points: config.AUTH_FAILURE_LIMIT_POINTS,
      windowMs: config.AUTH_FAILURE_LIMIT_WINDOW_MS,
      redis,
    }),
    onScopeInvalidated: (listener) => scopes.onInvalidated(listener),
    trustProxy: config.TRUST_PROXY,
    corsOrigins: config.CORS_ORIGINS,
    hstsMaxAgeSeconds: config.HSTS_MAX_AGE_SECONDS,
    prebuildExplorer: true,
    metrics: metricsAccess(config),
    trustedDocuments: config.TRUSTED_DOCUMENTS
      ? {
          documents: loadTrustedDocuments(config.TRUSTED_DOCUMENTS),
          requiredFor: config.TRUSTED_DOCUMENTS_REQUIRED_FOR,
        }
      : undefined,
    execution: {
      dedup: config.GATEWAY_DEDUP,
      cacheMaxEntries: config.RESPONSE_CACHE_MAX_ENTRIES,
      cacheTtlMs: config.RESPONSE_CACHE_TTL_MS,
      publicMaxAgeSeconds: config.PUBLIC_MAX_AGE_SECONDS,
      onDataChanged: (listener) => {
        dataChanged.add(listener);
        return () => dataChanged.delete(listener);
      },
    },
    subscriptions: {
      connectsPerMinutePerIp: config.WS_CONNECTS_PER_MINUTE_PER_IP,
      maxAnonymousConnectionsPerIp: config.WS_MAX_ANONYMOUS_CONNECTIONS_PER_IP,
      maxAnonymousSubscriptionsPerIp: config.WS_MAX_ANONYMOUS_SUBSCRIPTIONS_PER_IP,
      scopeRecheckMs: config.AUTH_CACHE_TTL_MS,
    },
  });
  gatewayRef.current = gateway;
  lifecycle.add('gateway', () => gateway.stop());
  return gateway;
}
