import { assertProductionReady, loadConfig, type Config, type ProductionNeeds } from './config';
import { Lifecycle, exitOnSignals } from './lifecycle';
import { createLogger, type Logger } from './logger';
import { startTracing } from './observability/tracing';

export interface ProcessContext {
  config: Config;
  logger: Logger;
  lifecycle: Lifecycle;
}

/** A failure at start is one readable line on stderr and exit code 1, never a stack dump. */
function failStart(message: string, logger: Logger | undefined, err: unknown): never {
  logger?.debug({ err }, 'start failed');
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
}

/**
 * Runs one process (gateway, a subgraph, jobs, everything): reads config, checks that production
 * has what `needs` names, makes the logger and the lifecycle that owns every resource, and drains
 * it on SIGTERM/SIGINT. `main` returns when started.
 */
export function runMain(
  name: string,
  main: (ctx: ProcessContext) => Promise<void>,
  needs: ProductionNeeds = {},
): void {
  let logger: Logger | undefined;
  let lifecycle: Lifecycle | undefined;
  const start = async (): Promise<void> => {
    const config = loadConfig();
    assertProductionReady(config, needs);
    logger = createLogger(config, { process: name });
    lifecycle = new Lifecycle(logger);
    // First registered, last closed: spans of the shutdown itself are still sent.
    const tracing = await startTracing({
      endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
      serviceName: config.OTEL_SERVICE_NAME ?? `mobility-${name}`,
      logger,
    });
    if (tracing) lifecycle.add('tracing', () => tracing.shutdown());
    exitOnSignals(lifecycle, logger, config.SHUTDOWN_TIMEOUT_MS);
    await main({ config, logger, lifecycle });
  };
  start().catch(async (err: unknown) => {
    await lifecycle?.close();
    failStart(err instanceof Error ? err.message : String(err), logger, err);
  });
}
