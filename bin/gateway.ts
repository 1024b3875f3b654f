import { createConfiguredGateway, jwtOptionsFromConfig } from '../gateway/fromConfig';
import { openPubSub } from '../lib/bootstrap';
import { PROCESS_NEEDS, requireScopeSecret } from '../lib/config';
import { publicUrl } from '../lib/http';
import { runMain } from '../lib/main';

runMain(
  'gateway',
  async ({ config, logger, lifecycle }) => {
    const gateway = await createConfiguredGateway({
      config,
      logger,
      lifecycle,
      pubsub: openPubSub(config, logger, lifecycle),
      scopeSecret: requireScopeSecret(config),
      subgraphUrls: config.SUBGRAPH_URLS,
      jwt: jwtOptionsFromConfig(config),
    });
    const { port } = await gateway.start(config.PORT, config.HOST);
    logger.info({ url: publicUrl(config.HOST, port, '/graphql') }, 'gateway ready');
  },
  PROCESS_NEEDS.gateway,
);
