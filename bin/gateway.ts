import { isGatewayWorker, startGatewayWorkers, stopWithPrimary } from '../gateway/cluster';
import { createConfiguredGateway, jwtOptionsFromConfig } from '../gateway/fromConfig';
import { openPubSub } from '../lib/bootstrap';
import { PROCESS_NEEDS, requireScopeSecret } from '../lib/config';
import { publicUrl } from '../lib/http';
import { runMain } from '../lib/main';

runMain(
  isGatewayWorker() ? 'gateway-worker' : 'gateway',
  async ({ config, logger, lifecycle }) => {
    const scopeSecret = requireScopeSecret(config);
    if (config.GATEWAY_WORKERS > 1 && !isGatewayWorker()) {
      // The primary only forks and watches; each worker is a whole gateway on the shared port.
      await startGatewayWorkers({ count: config.GATEWAY_WORKERS, logger, lifecycle });
      logger.info(
        { url: publicUrl(config.HOST, config.PORT, '/graphql'), workers: config.GATEWAY_WORKERS },
        'gateway ready',
      );
      return;
    }
    if (isGatewayWorker()) stopWithPrimary();
    const gateway = await createConfiguredGateway({
      config,
      logger,
      lifecycle,
      pubsub: openPubSub(config, logger, lifecycle),
      scopeSecret,
      subgraphUrls: config.SUBGRAPH_URLS,
      jwt: jwtOptionsFromConfig(config),
    });
    const { port } = await gateway.start(config.PORT, config.HOST);
    if (!isGatewayWorker()) {
      logger.info({ url: publicUrl(config.HOST, port, '/graphql') }, 'gateway ready');
    }
  },
  PROCESS_NEEDS.gateway,
);
