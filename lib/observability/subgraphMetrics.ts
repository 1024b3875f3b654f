import type { ApolloServerPlugin } from '@apollo/server';
import { Histogram } from 'prom-client';
import type { Logger } from '../logger';
import { LATENCY_BUCKETS_SECONDS, metricsRegistry } from './metrics';

const operationDuration = new Histogram({
  name: 'subgraph_operation_duration_seconds',
  help: 'GraphQL operations a subgraph served, from parsed request to response, by subgraph and outcome (ok or error)',
  labelNames: ['subgraph', 'outcome'],
  buckets: LATENCY_BUCKETS_SECONDS,
  registers: [metricsRegistry],
});

/**
 * Times every operation a subgraph serves over HTTP (WebSocket subscriptions are long-lived), and
 * writes one debug line per operation; the log context adds the gateway's request id to it, so a
 * request can be followed through every subgraph it reached (LOG_LEVEL=debug).
 */
export function subgraphOperationsPlugin(subgraph: string, logger: Logger): ApolloServerPlugin {
  return {
    requestDidStart: () => {
      const started = process.hrtime.bigint();
      return Promise.resolve({
        willSendResponse({ response, operationName }) {
          const errors =
            response.body.kind === 'single' ? (response.body.singleResult.errors?.length ?? 0) : 0;
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          operationDuration.observe({ subgraph, outcome: errors > 0 ? 'error' : 'ok' }, seconds);
          if (logger.isLevelEnabled('debug')) {
            logger.debug(
              { operationName, errors, durationMs: Math.round(seconds * 10_000) / 10 },
              'operation served',
            );
          }
          return Promise.resolve();
        },
      });
    },
  };
}
