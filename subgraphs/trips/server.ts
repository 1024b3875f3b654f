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
      const scoped = createScopedDb(db, request.scope);
      const reader = createTripsReader(scoped);
      return { ...request, db: scoped, reader, loaders: createLoaders(reader) };
    },
  });
}
