import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { parse } from 'graphql';
import { createScopedDb } from '../../lib/auth/scopedDb';
import { createSubgraphServer, type SubgraphServer } from '../../lib/subgraphServer';
import type { SubgraphDeps } from '../types';
import type { UsersContext } from './context';
import { createLoaders } from './loaders';
import { createUsersRepository } from './repository';
import { resolvers } from './resolvers';

export const typeDefs = parse(readFileSync(join(__dirname, 'schema.graphql'), 'utf8'));

export function createUsersSubgraph({
  config,
  logger,
  db,
  pubsub,
  scopeSecret,
}: SubgraphDeps): SubgraphServer {
  return createSubgraphServer<UsersContext>({
    name: 'users',
    typeDefs,
    resolvers: resolvers as GraphQLResolverMap<unknown>,
    logger,
    introspection: config.INTROSPECTION,
    maskInternalErrors: config.NODE_ENV === 'production',
    scopeSecret,
    createContext: (request) => {
      const scoped = createScopedDb(db, request.scope);
      const repository = createUsersRepository(scoped);
      return { ...request, db: scoped, repository, loaders: createLoaders(repository), pubsub };
    },
    async checkReady() {
      await db.raw('select 1');
    },
  });
}
