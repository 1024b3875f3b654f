import { createScopedDb } from '../../lib/auth/scopedDb';
import { commonServerOptions, loadTypeDefs, type SubgraphDeps } from '../../lib/subgraphOptions';
import { createSubgraphServer, type SubgraphServer } from '../../lib/subgraphServer';
import type { VehiclesContext } from './context';
import { createLoaders } from './loaders';
import { createAvailableIdPads } from './openData';
import { createVehiclesReader } from './repository';
import { resolvers } from './resolvers';
import { createStationsReader } from './stations';

export const typeDefs = loadTypeDefs(__dirname);

export function createVehiclesSubgraph(deps: SubgraphDeps): SubgraphServer {
  const { db, scopeSecret } = deps;
  // Open-data ids are keyed with the secret every replica shares, so they agree on them.
  const availableIdPads = createAvailableIdPads(scopeSecret);
  const feedReading = {
    timeoutMs: deps.config.IMPORTER_FEED_TIMEOUT_MS,
    maxBytes: deps.config.IMPORTER_FEED_MAX_BYTES,
  };
  return createSubgraphServer<VehiclesContext>({
    ...commonServerOptions(deps, 'vehicles', typeDefs, resolvers),
    createContext: (request) => {
      const scoped = createScopedDb(db, request.scope);
      const vehicles = createVehiclesReader(scoped);
      return {
        ...request,
        db: scoped,
        reader: vehicles,
        stations: createStationsReader(scoped),
        loaders: createLoaders(vehicles),
        availableIdPads,
        feedReading,
      };
    },
  });
}
