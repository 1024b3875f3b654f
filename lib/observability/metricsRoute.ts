import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Config } from '../config';
import { collectProcessMetrics, metricsRegistry } from './metrics';

export const METRICS_PATH = '/metrics';

/** Who may read `/metrics`. */
export interface MetricsAccess {
  /** Not served at all (404): production without a METRICS_TOKEN. */
  served: boolean;
  /** When set, `Authorization: Bearer <token>` is required. */
  token?: string;
}

/**
 * `METRICS_TOKEN` set: a scraper presents it as a bearer token. Unset: open to anyone outside
 * production (a laptop, a test), and not served in production, where the gateway's port is public
 * and per-feed series would show operators' fleet sizes.
 */
export function metricsAccess(config: Pick<Config, 'METRICS_TOKEN' | 'NODE_ENV'>): MetricsAccess {
  if (config.METRICS_TOKEN) return { served: true, token: config.METRICS_TOKEN };
  return { served: config.NODE_ENV !== 'production' };
}

export const OPEN_METRICS: MetricsAccess = { served: true };

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** The Prometheus text format of this process's registry, behind `access`. */
export function metricsHandler(access: MetricsAccess = OPEN_METRICS): RequestHandler {
  collectProcessMetrics();
  const expected = access.token === undefined ? undefined : digest(`Bearer ${access.token}`);
  return (req, res) => {
    res.setHeader('cache-control', 'no-store');
    if (!access.served) {
      res.status(404).type('text/plain').send('not found');
      return;
    }
    if (expected && !timingSafeEqual(digest(req.headers.authorization ?? ''), expected)) {
      res.setHeader('www-authenticate', 'Bearer realm="metrics"');
      res.status(401).type('text/plain').send('a bearer token (METRICS_TOKEN) is required');
      return;
    }
    metricsRegistry.metrics().then(
      (text) => {
        res.setHeader('content-type', metricsRegistry.contentType);
        res.send(text);
      },
      () => res.status(500).type('text/plain').send('metrics could not be collected'),
    );
  };
}
