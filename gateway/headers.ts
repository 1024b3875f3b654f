import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Security headers on every gateway response (helmet): no MIME sniffing, no framing, no referrer,
 * and a Content-Security-Policy that lets the schema explorer run from this origin only. Its
 * bundle needs two allowances: Monaco writes `<style>` elements at run time (style-src
 * 'unsafe-inline') and starts its language workers from this origin. Subscriptions connect to
 * the same host over ws(s), which 'self' covers.
 */
export function securityHeaders(options: { hstsMaxAgeSeconds: number }): RequestHandler[] {
  const base = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:', 'blob:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'worker-src': ["'self'", 'blob:'],
        'object-src': ["'none'"],
        'base-uri': ["'none'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // HSTS only where the request arrived over TLS (below): over plain HTTP it means nothing, and
    // a development server on localhost must not pin browsers to https.
    strictTransportSecurity: false,
  });
  const hsts = helmet.strictTransportSecurity({ maxAge: options.hstsMaxAgeSeconds });
  const hstsOverTls: RequestHandler = (req, res, next) => {
    if (options.hstsMaxAgeSeconds > 0 && req.secure) hsts(req, res, next);
    else next();
  };
  return [base, hstsOverTls];
}
