import type { ScopedDb } from '../../lib/auth/scopedDb';
import type { RequestInfo } from '../../lib/subgraphServer';
import type { TripsLoaders } from './loaders';
import type { TripsReader } from './repository';

export interface TripsContext extends RequestInfo {
  db: ScopedDb;
  trips: TripsReader;
  loaders: TripsLoaders;
}
