import { createScopedDb } from '../../lib/auth/scopedDb';
import { createZoneStore } from '../../lib/domain/zoneStore';
import { LiveZoneIndex } from '../../lib/geo/liveZoneIndex';
import { commonServerOptions, loadTypeDefs, type SubgraphDeps } from '../../lib/subgraphOptions';
import { createSubgraphServer, type SubgraphServer } from '../../lib/subgraphServer';
import type { ZonesContext } from './context';
import { createLoaders } from './loaders';
import { createZoneReader } from './repository';
import { resolvers } from './resolvers';
import { createSeriesReader } from './series';

export const typeDefs = loadTypeDefs(__dirname);

export function createZonesSubgraph(deps: SubgraphDeps): SubgraphServer {
  const { config, logger, db, pubsub } = deps;
  const repository = createZoneStore(db);
  const zoneIndex = new LiveZoneIndex(
    repository,
    pubsub,
    logger.child({ subgraph: 'zones', component: 'zone-index' }),
    config.ZONE_INDEX_CHECK_INTERVAL_MS,
  );
  const server = createSubgraphServer<ZonesContext>({
    ...commonServerOptions(deps, 'zones', typeDefs, resolvers),
    createContext: (request) => {
      const scoped = createScopedDb(db, request.scope);
      const zones = createZoneReader(scoped);
      const series = createSeriesReader(scoped);
      return {
        ...request,
        reader: zones,
        series,
        zoneIndex,
        loaders: createLoaders(zones, series),
        seriesTimeZone: config.ZONE_STATS_TIME_ZONE,
        db: scoped,
        pubsub,
        maxImportBytes: config.ZONES_IMPORT_MAX_BYTES,
      };
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
