import type { RequestHandler } from 'express';
import type { Logger } from '../../lib/logger';
import { explorerBundle } from './bundle';

/**
 * Serves the explorer's bundle: `GET <EXPLORER_ASSETS_PATH>/:file`. Text assets go out gzipped
 * to clients that accept it; content-hashed chunks are cached for good, the rest revalidate by
 * ETag. The first request waits for the bundle to be built.
 */
export function explorerAssets(logger: Logger): RequestHandler<{ file: string }> {
  return (req, res) => {
    explorerBundle().then(
      (bundle) => {
        const asset = bundle.get(req.params.file);
        if (!asset) {
          res.status(404).type('text/plain').send('not found');
          return;
        }
        res.setHeader('content-type', asset.contentType);
        res.setHeader('etag', asset.etag);
        res.setHeader('vary', 'accept-encoding');
        res.setHeader(
          'cache-control',
          asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
        if (req.headers['if-none-match'] === asset.etag) {
          res.status(304).end();
          return;
        }
        if (asset.gzipped && req.acceptsEncodings('gzip') === 'gzip') {
          res.setHeader('content-encoding', 'gzip');
          res.send(asset.gzipped);
          return;
        }
        res.send(asset.body);
      },
      (err: unknown) => {
        logger.error({ err }, 'could not bundle the schema explorer');
        res.status(500).type('text/plain').send('the schema explorer could not be built');
      },
    );
  };
}
