import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { parse } from 'graphql';
import { createScopedDb } from '../../lib/auth/scopedDb';
import { createSubgraphServer, type SubgraphServer } from '../../lib/subgraphServer';
import type { SubgraphDeps } from '../types';
import type { ZonesContext } from './context';
import { createLoaders } from './loaders';
import { createZoneReader, createZoneRepository } from './repository';
import { resolvers } from './resolvers';
import { LiveZoneIndex } from './zoneIndex';

export const typeDefs = parse(readFileSync(join(__dirname, 'schema.graphql'), 'utf8'));

export function createZonesSubgraph({
  config,
  logger,
  db,
  pubsub,
  scopeSecret,
}: SubgraphDeps): SubgraphServer {
  const repository = createZoneRepository(db);
  const zoneIndex = new LiveZoneIndex(
    repository,
    pubsub,
    logger.child({ subgraph: 'zones', component: 'zone-index' }),
    config.ZONE_INDEX_CHECK_INTERVAL_MS,
  );
  const server = createSubgraphServer<ZonesContext>({
    name: 'zones',
    typeDefs,
    resolvers: resolvers as GraphQLResolverMap<unknown>,
    logger,
    introspection: config.INTROSPECTION,
    maskInternalErrors: config.NODE_ENV === 'production',
    scopeSecret,
    createContext: (request) => {
      const zones = createZoneReader(createScopedDb(db, request.scope));
      return { ...request, zones, zoneIndex, loaders: createLoaders(zones) };
    },
    async checkReady() {
      await db.raw('select 1');
      if (!zoneIndex.isLoaded) throw new Error('zone index not loaded');
    },
  });

  return {
    async start(port, host) {
      await zoneIndex.start();
      return server.start(port, host);
    },
    async stop() {
      await server.stop();
      await zoneIndex.stop();
    },
  };
}
