import { createScopedDb } from '../../lib/auth/scopedDb';
import { createSubgraphServer, type SubgraphServer } from '../../lib/subgraphServer';
import { commonServerOptions, loadTypeDefs, type SubgraphDeps } from '../../lib/subgraphOptions';
import type { OdContext } from './context';
import { createLoaders } from './loaders';
import { createOdReader } from './repository';
import { resolvers } from './resolvers';

export const typeDefs = loadTypeDefs(__dirname);

export function createOdSubgraph(deps: SubgraphDeps): SubgraphServer {
  const { db } = deps;
  const minCount = deps.config.OD_MIN_COUNT;
  return createSubgraphServer<OdContext>({
    ...commonServerOptions(deps, 'od', typeDefs, resolvers),
    createContext: (request) => {
      const reader = createOdReader(createScopedDb(db, request.scope), minCount);
      return { ...request, reader, loaders: createLoaders(reader), minCount };
    },
  });
}
