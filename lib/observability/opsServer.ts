import { createServer } from 'node:http';
import express from 'express';
import { listen, publicUrl } from '../http';
import type { Logger } from '../logger';
import { METRICS_PATH, metricsHandler, type MetricsAccess } from './metricsRoute';

export interface OpsServerOptions {
  /** Names the process in `/health` and `/ready` answers. */
  name: string;
  /** Throws when the process cannot do its work (database down); drives `/ready`. */
  checkReady(): Promise<void>;
  metrics: MetricsAccess;
  logger: Logger;
}

export interface OpsServer {
  start(port: number, host?: string): Promise<{ url: string; port: number }>;
  stop(): Promise<void>;
}

/**
 * The HTTP face of a process that serves no API (the job runner): `/health`, `/ready` and
 * `/metrics`, so an orchestrator and Prometheus treat it like every other process.
 */
export function createOpsServer(options: OpsServerOptions): OpsServer {
  const app = express();
  app.disable('x-powered-by');
  const server = createServer(app);
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', process: options.name });
  });
  app.get('/ready', (_req, res) => {
    res.setHeader('cache-control', 'no-store');
    options.checkReady().then(
      () => res.json({ status: 'ready', process: options.name }),
      (err: unknown) => {
        options.logger.warn({ err }, 'not ready');
        res.status(503).json({ status: 'not ready', process: options.name });
      },
    );
  });
  app.get(METRICS_PATH, metricsHandler(options.metrics));
  let stopping: Promise<void> | undefined;
  return {
    async start(port, host) {
      const bound = await listen(server, port, host);
      const url = publicUrl(host, bound, '');
      options.logger.info({ url, metrics: `${url}${METRICS_PATH}` }, 'ops endpoint listening');
      return { url, port: bound };
    },
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}
