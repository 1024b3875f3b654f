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
export function createRateLimit(options: {
  points: number;
  windowMs: number;
  redis?: Redis | undefined;
}): RateLimit {
  const config = {
    points: options.points,
    duration: Math.ceil(options.windowMs / 1000),
    keyPrefix: 'mobility:rate',
  };
  // If Redis is unreachable, count in this process instead of failing every request.
  const limiter: RateLimiterAbstract = options.redis
    ? new RateLimiterRedis({
        ...config,
        storeClient: options.redis,
        insuranceLimiter: new RateLimiterMemory(config),
      })
    : new RateLimiterMemory(config);
  return async (scope, ip) => {
    try {
      await limiter.consume(keyOf(scope, ip));
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new GraphQLError(
        `rate limit exceeded: at most ${options.points} requests per ${config.duration} s; retry in ${retryAfterSeconds} s`,
        {
          extensions: {
            code: ErrorCode.RATE_LIMITED,
            retryAfterSeconds,
            http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
          },
        },
      );
    }
  };
}
