import type { RequestHandler } from 'express';

/**
 * Headers a browser client may send: JSON bodies, credentials (bearer token or API key), the
 * request id, and the headers Apollo's CSRF prevention accepts as proof of a preflight.
 */
const ALLOWED_HEADERS = [
  'content-type',
  'authorization',
  'x-api-key',
  'x-request-id',
  'apollo-require-preflight',
  'x-apollo-operation-name',
].join(', ');

const PREFLIGHT_MAX_AGE_SECONDS = 600;

/** `*` (any origin) or the exact origins (`https://dashboard.example.org`) allowed to call. */
export type CorsOrigins = '*' | readonly string[];

/**
 * CORS for the GraphQL endpoint only (health, readiness and the explorer are same-origin). By
 * default any origin may call it: credentials travel in headers, never in cookies, so a foreign
 * page cannot borrow a user's session, and `*` forbids credentialed requests anyway. With a list,
 * only those origins get the allow headers (and `Vary: Origin` keeps caches apart).
 */
export function cors(origins: CorsOrigins): RequestHandler {
  const allowed = origins === '*' ? undefined : new Set(origins);
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (allowed) res.vary('Origin');
    if (!origin || (allowed && !allowed.has(origin))) {
      next();
      return;
    }
    res.setHeader('Access-Control-Allow-Origin', allowed ? origin : '*');
    res.setHeader('Access-Control-Expose-Headers', 'x-request-id');
    if (req.method !== 'OPTIONS' || !req.headers['access-control-request-method']) {
      next();
      return;
    }
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    res.setHeader('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_SECONDS));
    res.status(204).end();
  };
}
