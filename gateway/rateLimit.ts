import { GraphQLError } from 'graphql';
import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Scope } from '../lib/auth/scope';
import { ErrorCode } from '../lib/errors';

export type RateLimit = (scope: Scope, ip: string) => Promise<void>;

/**
 * Failed authentications per IP address, counted before credentials are checked: an address
 * past the limit is answered 429 without costing a users-subgraph lookup or a signature check.
 */
export interface AuthFailureLimit {
  /** Throws a RATE_LIMITED GraphQLError when `ip` has failed too often in the window. */
  check(ip: string): Promise<void>;
  /** Counts one refused credential from `ip`. */
  record(ip: string): Promise<void>;
}

/** Who a request counts against: its API key, else its user, else its IP address. */
function keyOf(scope: Scope, ip: string): string {
  switch (scope.principal.type) {
    case 'API_KEY':
      return `key:${scope.principal.apiKeyId}`;
    case 'USER':
      return `user:${scope.principal.userId}`;
    case 'SERVICE':
      return `service:${scope.principal.name}`;
    case 'ANONYMOUS':
      return `ip:${ip}`;
  }
}

/**
 * `points` requests per `windowMs` per caller; counters live in Redis when there is one (shared by
 * every gateway replica), else in this process. Over the limit: 429 with Retry-After.
 */
interface LimitOptions {
  points: number;
  windowMs: number;
  redis?: Redis | undefined;
}

function createLimiter(options: LimitOptions, keyPrefix: string): RateLimiterAbstract {
  const config = { points: options.points, duration: windowSeconds(options), keyPrefix };
  // If Redis is unreachable, count in this process instead of failing every request.
  return options.redis
    ? new RateLimiterRedis({
        ...config,
        storeClient: options.redis,
        insuranceLimiter: new RateLimiterMemory(config),
      })
    : new RateLimiterMemory(config);
}

function windowSeconds(options: LimitOptions): number {
  return Math.ceil(options.windowMs / 1000);
}

function rateLimited(what: string, msBeforeNext: number): GraphQLError {
  const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new GraphQLError(`rate limit exceeded: ${what}; retry in ${retryAfterSeconds} s`, {
    extensions: {
      code: ErrorCode.RATE_LIMITED,
      retryAfterSeconds,
      http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
    },
  });
}

export function createRateLimit(options: LimitOptions): RateLimit {
  const limiter = createLimiter(options, 'mobility:rate');
  const what = `at most ${options.points} requests per ${windowSeconds(options)} s`;
  return async (scope, ip) => {
    try {
      await limiter.consume(keyOf(scope, ip));
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      throw rateLimited(what, rejection.msBeforeNext);
    }
  };
}

/** `points` refused credentials per `windowMs` per IP address (AUTH_FAILURE_LIMIT_POINTS). */
export function createAuthFailureLimit(options: LimitOptions): AuthFailureLimit {
  const limiter = createLimiter(options, 'mobility:auth-failures');
  const what = `at most ${options.points} failed sign-ins per ${windowSeconds(options)} s from one address`;
  return {
    async check(ip) {
      const state = await limiter.get(`ip:${ip}`);
      if (state && state.consumedPoints >= options.points)
        throw rateLimited(what, state.msBeforeNext);
    },
    async record(ip) {
      await limiter.penalty(`ip:${ip}`, 1);
    },
  };
}
