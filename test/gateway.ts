import { createAuthFailureLimit, createRateLimit } from '../gateway/rateLimit';
import type { GatewayOptions } from '../gateway/server';
import { PUBLIC_SCOPE } from '../lib/auth/scope';
import { loadConfig } from '../lib/config';
import { silentLogger } from './db';
import { TEST_SCOPE_SECRET } from './scope';

const defaults = loadConfig({});

/** Gateway options for tests: everyone is anonymous, the limits are the production defaults. */
export function testGatewayOptions(
  overrides: Partial<GatewayOptions> & Pick<GatewayOptions, 'supergraphPath'>,
): GatewayOptions {
  return {
    subgraphUrls: {},
    logger: silentLogger,
    introspection: true,
    maskInternalErrors: false,
    subgraphTimeoutMs: 5000,
    scopeSecret: TEST_SCOPE_SECRET,
    scopeTtlMs: 60_000,
    authenticate: () => Promise.resolve(PUBLIC_SCOPE),
    limits: {
      maxDepth: defaults.LIMIT_MAX_DEPTH,
      maxAliases: defaults.LIMIT_MAX_ALIASES,
      maxTokens: defaults.LIMIT_MAX_TOKENS,
      maxCost: defaults.LIMIT_MAX_COST,
      maxDirectives: defaults.LIMIT_MAX_DIRECTIVES,
    },
    rateLimit: createRateLimit({ points: 1_000_000, windowMs: 60_000 }),
    authFailures: createAuthFailureLimit({
      points: defaults.AUTH_FAILURE_LIMIT_POINTS,
      windowMs: defaults.AUTH_FAILURE_LIMIT_WINDOW_MS,
    }),
    trustProxy: false,
    corsOrigins: defaults.CORS_ORIGINS,
    hstsMaxAgeSeconds: defaults.HSTS_MAX_AGE_SECONDS,
    ...overrides,
  };
}
