import { createScopedDb } from '../../lib/auth/scopedDb';
import { createSubgraphServer, type SubgraphServer } from '../../lib/subgraphServer';
import { commonServerOptions, loadTypeDefs, type SubgraphDeps } from '../types';
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
      const scoped = createScopedDb(db, request.scope);
      const trips = createTripsReader(scoped);
      return { ...request, db: scoped, trips, loaders: createLoaders(trips) };
    },
  });
}
