import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { parse } from 'graphql';
import { createScopedDb } from '../../lib/auth/scopedDb';
import { createSubgraphServer, type SubgraphServer } from '../../lib/subgraphServer';
import type { SubgraphDeps } from '../types';
import type { MicrohubsContext } from './context';
import { microhubSettings } from './controller';
import { createFeedRoutes } from './feeds';
import { createLoaders } from './loaders';
import { createHubReader } from './repository';
import { resolvers } from './resolvers';

export const typeDefs = parse(readFileSync(join(__dirname, 'schema.graphql'), 'utf8'));

/**
 * The microhubs subgraph: `Hub` entities, hub administration, live status over graphql-ws
 * (fed by the controller's events through pub/sub) and the public MDS / GBFS feeds over HTTP.
 */
export function createMicrohubsSubgraph({
  config,
  logger,
  db,
  pubsub,
  scopeSecret,
}: SubgraphDeps): SubgraphServer {
  const settings = microhubSettings(config);
  return createSubgraphServer<MicrohubsContext>({
    name: 'microhubs',
    typeDefs,
    resolvers: resolvers as GraphQLResolverMap<unknown>,
    logger,
    introspection: config.INTROSPECTION,
    maskInternalErrors: config.NODE_ENV === 'production',
    scopeSecret,
    publicRoutes: createFeedRoutes({ db, settings, logger }),
    createContext: (request) => {
      const scoped = createScopedDb(db, request.scope);
      const hubs = createHubReader(scoped);
      return { ...request, db: scoped, hubs, loaders: createLoaders(hubs), pubsub, settings };
    },
    async checkReady() {
      await db.raw('select 1');
    },
  });
}
