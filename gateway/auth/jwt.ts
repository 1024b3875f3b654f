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
}

export type JwtVerifier = (token: string) => Promise<JWTPayload>;

export class TokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenError';
  }
}

const CLOCK_TOLERANCE_SECONDS = 5;

/** Turns jose's errors into one sentence a client can act on. */
function describe(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'token expired';
  if (err instanceof errors.JWTClaimValidationFailed) {
    const known: Record<string, string> = {
      nbf: 'token is not valid yet (nbf)',
      iss: 'token issuer is not accepted',
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
  const verifyOptions = {
    algorithms,
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
      return payload;
    } catch (err) {
      throw new TokenError(describe(err));
    }
  };
}
