import type { ScopedDb } from '../../lib/auth/scopedDb';
import type { ReadOptions } from '../../lib/feeds';
import type { RequestInfo } from '../../lib/subgraphServer';
import type { VehiclesLoaders } from './loaders';
import type { HmacPads, VehiclesReader } from './repository';
import type { StationsReader } from './stations';

export interface VehiclesContext extends RequestInfo {
  db: ScopedDb;
  /** The caller's scoped reads (repository.ts). */
  reader: VehiclesReader;
  /** Stations of docked systems and their history (stations.ts). */
  stations: StationsReader;
  loaders: VehiclesLoaders;
  /** The key of the open-data ids of availableVehicles (derived from the server's secret). */
  availableIdPads: HmacPads;
  /** How createFeed / updateFeed read a feed to check it (the importer's time and size limits). */
  feedReading: ReadOptions;
}
