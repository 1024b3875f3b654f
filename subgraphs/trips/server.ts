import { createScopedDb } from '../../lib/auth/scopedDb';
import { commonServerOptions, loadTypeDefs, type SubgraphDeps } from '../../lib/subgraphOptions';
import { createSubgraphServer, type SubgraphServer } from '../../lib/subgraphServer';
import type { TripsContext } from './context';
import { createLoaders } from './loaders';
import { createTripsReader } from './repository';
import { resolvers } from './resolvers';

export const typeDefs = loadTypeDefs(__dirname);

export function createTripsSubgraph(deps: SubgraphDeps): SubgraphServer {
  const { db } = deps;
  return createSubgraphServer<TripsContext>({
    ...commonServerOptions(deps, 'trips', typeDefs, resolvers),
    createContext: (request) => {
      const trips = createTripsReader(createScopedDb(db, request.scope));
      return { ...request, reader: trips, loaders: createLoaders(trips) };
    },
  });
}
