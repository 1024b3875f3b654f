import {
  createRemoteJWKSet,
  errors,
  importSPKI,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
  type KeyLike,
} from 'jose';

export interface JwtOptions {
  jwksUrl?: string | undefined;
  publicKeyPem?: string | undefined;
  /** HS256 shared secret: development only. */
  secret?: string | undefined;
  issuer?: string | undefined;
  audience?: string | undefined;
  /** Allowed asymmetric algorithms (default RS256 and ES256). */
  algorithms?: string[] | undefined;
  jwksTimeoutMs?: number;
  /**
   * Longest accepted lifetime in seconds (`exp` minus `iat`, or minus now without `iat`); a token
   * without `exp` is refused. 0 accepts tokens without `exp` and of any lifetime.
   */
  maxLifetimeSeconds?: number;
}

/** Tokens must expire within a day unless the gateway is configured otherwise. */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 24 * 3600;

export type JwtVerifier = (token: string) => Promise<JWTPayload>;

export class TokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenError';
  }
}

/** Clock skew allowed between the issuer and the gateway for `exp` and `nbf`. */
export const CLOCK_TOLERANCE_SECONDS = 5;

/** Turns jose's errors into one sentence a client can act on. */
function describe(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'token expired';
  if (err instanceof errors.JWTClaimValidationFailed) {
    const known: Record<string, string> = {
      nbf: 'token is not valid yet (nbf)',
      iss: 'token issuer is not accepted',
      exp: 'token has no expiry (exp claim)',
      aud: 'token audience is not accepted',
    };
    return known[err.claim] ?? `token claim "${err.claim}" is invalid`;
  }
  if (err instanceof errors.JOSEAlgNotAllowed) return 'token algorithm is not allowed';
  if (err instanceof errors.JWSSignatureVerificationFailed)
    return 'token signature does not verify';
  if (err instanceof errors.JWKSNoMatchingKey) return 'no key in the JWKS matches the token';
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid)
    return 'malformed token';
  return 'token could not be verified';
}

/**
 * Verifies signature, issuer, audience, expiry and not-before. The algorithm list is fixed by the
 * kind of key configured, so `alg: none` and HS/RS confusion (an HS256 token "signed" with a
 * public key) are refused. Returns undefined when no key is configured (tokens are then refused).
 */
export async function createJwtVerifier(options: JwtOptions): Promise<JwtVerifier | undefined> {
  const asymmetric = options.algorithms ?? ['RS256', 'ES256'];
  let key: KeyLike | Uint8Array | JWTVerifyGetKey;
  let algorithms: string[];
  if (options.jwksUrl) {
    key = createRemoteJWKSet(new URL(options.jwksUrl), {
      timeoutDuration: options.jwksTimeoutMs ?? 5000,
    });
    algorithms = asymmetric;
  } else if (options.publicKeyPem) {
    const [alg] = asymmetric;
    key = await importSPKI(options.publicKeyPem, alg ?? 'RS256');
    algorithms = asymmetric;
  } else if (options.secret) {
    key = new TextEncoder().encode(options.secret);
    algorithms = ['HS256'];
  } else {
    return undefined;
  }
  const maxLifetime = options.maxLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  const verifyOptions = {
    algorithms,
    ...(maxLifetime > 0 ? { requiredClaims: ['exp'] } : {}),
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    ...(options.issuer ? { issuer: options.issuer } : {}),
    ...(options.audience ? { audience: options.audience } : {}),
  };
  return async (token) => {
    try {
      const { payload } =
        typeof key === 'function'
          ? await jwtVerify(token, key, verifyOptions)
          : await jwtVerify(token, key, verifyOptions);
      if (maxLifetime > 0) checkLifetime(payload, maxLifetime);
      return payload;
    } catch (err) {
      if (err instanceof TokenError) throw err;
      throw new TokenError(describe(err));
    }
  };
}

/** A stolen token is worth at most `maxLifetime` seconds, however far its issuer set `exp`. */
function checkLifetime(payload: JWTPayload, maxLifetime: number): void {
  const issuedAt = typeof payload.iat === 'number' ? payload.iat : Math.floor(Date.now() / 1000);
  const lifetime = (payload.exp ?? Number.POSITIVE_INFINITY) - issuedAt;
  if (lifetime > maxLifetime + CLOCK_TOLERANCE_SECONDS) {
    throw new TokenError(
      `token lifetime exceeds the maximum of ${maxLifetime} s (JWT_MAX_LIFETIME_SECONDS)`,
    );
  }
}
