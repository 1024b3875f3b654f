import type { IncomingHttpHeaders } from 'node:http';
import { GraphQLError } from 'graphql';
import { PUBLIC_SCOPE, type Scope } from '../../lib/auth/scope';
import { ErrorCode } from '../../lib/errors';
import type { AuthFailureLimit } from '../rateLimit';
import type { JwtVerifier } from './jwt';
import { TokenError } from './jwt';
import { ScopeServiceError, type ScopeResolver } from './scopeResolver';

export const API_KEY_HEADER = 'x-api-key';

export type Authenticate = (headers: IncomingHttpHeaders) => Promise<Scope>;

/** `authenticate` for a caller at an IP address, with its failures counted (see AuthFailureLimit). */
export type AuthenticateFrom = (headers: IncomingHttpHeaders, ip: string) => Promise<Scope>;

/** Does the request carry credentials (as opposed to an anonymous call)? */
export function hasCredentials(headers: IncomingHttpHeaders): boolean {
  return headers.authorization !== undefined || headers[API_KEY_HEADER] !== undefined;
}

/**
 * An address that sent too many refused credentials is answered RATE_LIMITED before its next
 * credentials are even looked at; anonymous calls are not affected (they have their own limit).
 */
export function limitAuthFailures(
  authenticate: Authenticate,
  failures: AuthFailureLimit,
): AuthenticateFrom {
  return async (headers, ip) => {
    if (!hasCredentials(headers)) return authenticate(headers);
    await failures.check(ip);
    try {
      return await authenticate(headers);
    } catch (err) {
      if (err instanceof GraphQLError && err.extensions.code === ErrorCode.UNAUTHENTICATED) {
        await failures.record(ip);
      }
      throw err;
    }
  };
}

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(`unauthenticated: ${message}`, {
    extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } },
  });
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * `Authorization: Bearer <JWT>` or `X-API-Key: <key>` to a scope; no credentials is the public
 * scope. Bad credentials are refused (401), never downgraded to public: a client with an expired
 * token must know, not silently see less.
 */
export function createAuthenticator(options: {
  verifyJwt: JwtVerifier | undefined;
  emailClaim: string;
  scopes: ScopeResolver;
}): Authenticate {
  const lookup = async (credentials: { email: string } | { apiKey: string }): Promise<Scope> => {
    try {
      const result = await options.scopes.resolve(credentials);
      if (!result.ok) throw unauthenticated(result.reason);
      return result.scope;
    } catch (err) {
      if (err instanceof ScopeServiceError) {
        throw new GraphQLError(`cannot check credentials now: ${err.message}`, {
          extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, http: { status: 503 } },
        });
      }
      throw err;
    }
  };

  return async (headers) => {
    const authorization = single(headers.authorization);
    const apiKey = single(headers[API_KEY_HEADER]);
    if (authorization && apiKey)
      throw unauthenticated('send a bearer token or an API key, not both');
    if (apiKey) return lookup({ apiKey: apiKey.trim() });
    if (!authorization) return PUBLIC_SCOPE;

    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match?.[1]) throw unauthenticated('the Authorization header must be "Bearer <token>"');
    if (!options.verifyJwt)
      throw unauthenticated('this gateway accepts no bearer tokens (no JWT key configured)');
    let claims: Record<string, unknown>;
    try {
      claims = await options.verifyJwt(match[1]);
    } catch (err) {
      if (err instanceof TokenError) throw unauthenticated(err.message);
      throw err;
    }
    const email = claims[options.emailClaim];
    if (typeof email !== 'string' || email === '') {
      throw unauthenticated(`the token has no "${options.emailClaim}" claim`);
    }
    return lookup({ email });
  };
}
