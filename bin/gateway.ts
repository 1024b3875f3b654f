import { createGateway } from '../gateway/server';
import { PUBLIC_SCOPE } from '../lib/auth/scope';
import { requireScopeSecret } from '../lib/config';
import { publicUrl } from '../lib/http';
import { runMain } from '../lib/main';

runMain('gateway', async ({ config, logger, lifecycle }) => {
  const scopeSecret = requireScopeSecret(config);
  const gateway = createGateway({
    supergraphPath: config.SUPERGRAPH_PATH,
    subgraphUrls: config.SUBGRAPH_URLS,
    logger,
    introspection: config.INTROSPECTION,
    maskInternalErrors: config.NODE_ENV === 'production',
    subgraphTimeoutMs: config.SUBGRAPH_TIMEOUT_MS,
    scopeSecret,
    scopeTtlMs: config.SCOPE_HEADER_TTL_MS,
    authenticate: () => Promise.resolve(PUBLIC_SCOPE),
  });
  lifecycle.add('gateway', () => gateway.stop());
  const { port } = await gateway.start(config.PORT, config.HOST);
  logger.info({ url: publicUrl(config.HOST, port, '/graphql') }, 'gateway ready');
});
