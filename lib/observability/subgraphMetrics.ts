import type { ApolloServerPlugin } from '@apollo/server';
import { Histogram } from 'prom-client';
import { LATENCY_BUCKETS_SECONDS, metricsRegistry } from './metrics';

const operationDuration = new Histogram({
  name: 'subgraph_operation_duration_seconds',
  help: 'GraphQL operations a subgraph served, from parsed request to response, by subgraph and outcome (ok or error)',
  labelNames: ['subgraph', 'outcome'],
  buckets: LATENCY_BUCKETS_SECONDS,
  registers: [metricsRegistry],
});

/** Times every operation a subgraph serves (over HTTP; WebSocket subscriptions are long-lived). */
export function subgraphMetricsPlugin(subgraph: string): ApolloServerPlugin {
  return {
    requestDidStart: () => {
      const started = process.hrtime.bigint();
      return Promise.resolve({
        willSendResponse({ response }) {
          const failed =
            response.body.kind === 'single' && (response.body.singleResult.errors?.length ?? 0) > 0;
          operationDuration.observe(
            { subgraph, outcome: failed ? 'error' : 'ok' },
            Number(process.hrtime.bigint() - started) / 1e9,
          );
          return Promise.resolve();
        },
      });
    },
  };
}
