import type { RequestHandler } from 'express';
import { PUBLIC_SCOPE } from '../lib/auth/scope';
import type { Logger } from '../lib/logger';
import type { RateLimit } from './rateLimit';

/** The public hub feeds the microhubs subgraph serves (MDS Stops, GBFS 3.0 stations). */
export const OPEN_DATA_PATH = '/municipalities/*path';

/** Request headers a feed answers by (MDS version negotiation, GBFS language). */
const FORWARDED_REQUEST_HEADERS = ['accept', 'accept-language'];
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'cache-control', 'last-modified', 'etag'];

/**
 * Serves the open-data feeds at the gateway's public address, as a city gives it out to
 * operators: each GET is passed to the microhubs subgraph (found in the current supergraph) with
 * a timeout, counted against the caller's IP like an anonymous query, and answered with the
 * subgraph's status, type and body. The subgraph's own address never shows.
 */
export function openDataRoutes(options: {
  subgraphUrl: (name: string) => string | undefined;
  timeoutMs: number;
  rateLimit: RateLimit;
  logger: Logger;
}): RequestHandler {
  const unavailable = (res: Parameters<RequestHandler>[1], message: string) =>
    res.status(503).json({ error: 'service_unavailable', error_description: message });

  return (req, res) => {
    void (async () => {
      try {
        await options.rateLimit(PUBLIC_SCOPE, req.ip ?? 'unknown');
      } catch (err) {
        const retry = (err as { extensions?: { retryAfterSeconds?: number } }).extensions
          ?.retryAfterSeconds;
        if (retry !== undefined) res.set('retry-after', String(retry));
        res.status(429).json({ error: 'rate_limited', error_description: (err as Error).message });
        return;
      }
      const graphqlUrl = options.subgraphUrl('microhubs');
      if (!graphqlUrl) {
        unavailable(res, 'the hub feeds are not served by this gateway right now');
        return;
      }
      const target = new URL(req.originalUrl, graphqlUrl);
      const headers: Record<string, string> = {};
      for (const name of FORWARDED_REQUEST_HEADERS) {
        const value = req.get(name);
        if (value) headers[name] = value;
      }
      let upstream: Response;
      try {
        upstream = await fetch(target, {
          headers,
          signal: AbortSignal.timeout(options.timeoutMs),
        });
      } catch (err) {
        options.logger.warn({ err, path: req.path }, 'hub feed unreachable');
        unavailable(res, 'the hub feeds cannot be reached now; try again later');
        return;
      }
      const body = Buffer.from(await upstream.arrayBuffer());
      res.status(upstream.status);
      for (const name of FORWARDED_RESPONSE_HEADERS) {
        const value = upstream.headers.get(name);
        if (value) res.set(name, value);
      }
      res.send(body);
    })().catch((err: unknown) => {
      options.logger.error({ err, path: req.path }, 'hub feed proxy failed');
      if (!res.headersSent) unavailable(res, 'the hub feed could not be read; try again later');
    });
  };
}
