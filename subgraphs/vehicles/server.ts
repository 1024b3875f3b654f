import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { parse } from 'graphql';
import { createScopedDb } from '../../lib/auth/scopedDb';
import { createSubgraphServer, type SubgraphServer } from '../../lib/subgraphServer';
import type { SubgraphDeps } from '../types';
import type { VehiclesContext } from './context';
import { createLoaders } from './loaders';
import { createAvailableIdPads } from './openData';
import { createVehiclesReader } from './repository';
import { resolvers } from './resolvers';

export const typeDefs = parse(readFileSync(join(__dirname, 'schema.graphql'), 'utf8'));

export function createVehiclesSubgraph({
  config,
  logger,
  db,
  scopeSecret,
}: SubgraphDeps): SubgraphServer {
  // Open-data ids are keyed with the secret every replica shares, so they agree on them.
  const availableIdPads = createAvailableIdPads(scopeSecret);
  return createSubgraphServer<VehiclesContext>({
    name: 'vehicles',
    typeDefs,
    resolvers: resolvers as GraphQLResolverMap<unknown>,
    logger,
    introspection: config.INTROSPECTION,
    maskInternalErrors: config.NODE_ENV === 'production',
    scopeSecret,
    createContext: (request) => {
      const scoped = createScopedDb(db, request.scope);
      const vehicles = createVehiclesReader(scoped);
      return {
        ...request,
        db: scoped,
        vehicles,
        loaders: createLoaders(vehicles),
        availableIdPads,
      };
    },
    async checkReady() {
      await db.raw('select 1');
    },
  });
}
