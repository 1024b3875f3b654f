import type { ScopedDb } from '../../lib/auth/scopedDb';
import type { RequestInfo } from '../../lib/subgraphServer';
import type { TripsLoaders } from './loaders';
import type { TripsReader } from './repository';

export interface TripsContext extends RequestInfo {
  /** The caller's scoped reads (repository.ts). */
  reader: TripsReader;
  /** The caller's scoped database, to check named codes against the scope. */
  db: ScopedDb;
  loaders: TripsLoaders;
}
