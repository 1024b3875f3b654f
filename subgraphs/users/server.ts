import { createScopedDb } from '../../lib/auth/scopedDb';
import { commonServerOptions, loadTypeDefs, type SubgraphDeps } from '../../lib/subgraphOptions';
import { createSubgraphServer, type SubgraphServer } from '../../lib/subgraphServer';
import type { UsersContext } from './context';
import { createLoaders } from './loaders';
import { createUsersRepository } from './repository';
import { resolvers } from './resolvers';

export const typeDefs = loadTypeDefs(__dirname);

export function createUsersSubgraph(deps: SubgraphDeps): SubgraphServer {
  const { db, pubsub } = deps;
  return createSubgraphServer<UsersContext>({
    ...commonServerOptions(deps, 'users', typeDefs, resolvers),
    createContext: (request) => {
      const scoped = createScopedDb(db, request.scope);
      const repository = createUsersRepository(scoped);
      return {
        ...request,
        db: scoped,
        reader: repository,
        loaders: createLoaders(repository, scoped),
        pubsub,
      };
    },
  });
}
