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

/**
 * Any origin may call the API: credentials travel in headers, never in cookies, so a foreign page
 * cannot borrow a user's session (and `*` forbids credentialed requests anyway).
 */
export function cors(): RequestHandler {
  return (req, res, next) => {
    if (!req.headers.origin) {
      next();
      return;
    }
    res.setHeader('Access-Control-Allow-Origin', '*');
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
