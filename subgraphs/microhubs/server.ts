import { createScopedDb } from '../../lib/auth/scopedDb';
import { microhubSettings } from '../../lib/domain/hubs/model';
import { commonServerOptions, loadTypeDefs, type SubgraphDeps } from '../../lib/subgraphOptions';
import { createSubgraphServer, type SubgraphServer } from '../../lib/subgraphServer';
import type { MicrohubsContext } from './context';
import { createFeedRoutes } from './feeds';
import { createLoaders } from './loaders';
import { createHubReader } from './repository';
import { resolvers } from './resolvers';

export const typeDefs = loadTypeDefs(__dirname);

/**
 * The microhubs subgraph: `Hub` entities, hub administration, live status over graphql-ws
 * (fed by the controller's events through pub/sub) and the public MDS / GBFS feeds over HTTP.
 */
export function createMicrohubsSubgraph(deps: SubgraphDeps): SubgraphServer {
  const { config, logger, db, pubsub } = deps;
  const settings = microhubSettings(config);
  return createSubgraphServer<MicrohubsContext>({
    ...commonServerOptions(deps, 'microhubs', typeDefs, resolvers),
    publicRoutes: createFeedRoutes({ db, settings, logger }),
    createContext: (request) => {
      const scoped = createScopedDb(db, request.scope);
      const hubs = createHubReader(scoped);
      return {
        ...request,
        db: scoped,
        reader: hubs,
        loaders: createLoaders(hubs),
        pubsub,
        settings,
      };
    },
  });
}
