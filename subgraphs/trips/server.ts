import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { parse } from 'graphql';
import { createScopedDb } from '../../lib/auth/scopedDb';
import { createSubgraphServer, type SubgraphServer } from '../../lib/subgraphServer';
import type { SubgraphDeps } from '../types';
import type { TripsContext } from './context';
import { createLoaders } from './loaders';
import { createTripsReader } from './repository';
import { resolvers } from './resolvers';

export const typeDefs = parse(readFileSync(join(__dirname, 'schema.graphql'), 'utf8'));

export function createTripsSubgraph({
  config,
  logger,
  db,
  scopeSecret,
}: SubgraphDeps): SubgraphServer {
  return createSubgraphServer<TripsContext>({
    name: 'trips',
    typeDefs,
    resolvers: resolvers as GraphQLResolverMap<unknown>,
    logger,
    introspection: config.INTROSPECTION,
    maskInternalErrors: config.NODE_ENV === 'production',
    scopeSecret,
    createContext: (request) => {
      const trips = createTripsReader(createScopedDb(db, request.scope));
      return { ...request, trips, loaders: createLoaders(trips) };
    },
    async checkReady() {
      await db.raw('select 1');
    },
  });
}
