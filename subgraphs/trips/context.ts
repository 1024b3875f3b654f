import type { RequestInfo } from '../../lib/subgraphServer';
import type { TripsLoaders } from './loaders';
import type { TripsReader } from './repository';

export interface TripsContext extends RequestInfo {
  /** The caller's scoped reads (repository.ts). */
  reader: TripsReader;
  loaders: TripsLoaders;
}
