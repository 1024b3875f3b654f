import type { ScopedDb } from '../../lib/auth/scopedDb';
import type { PubSub } from '../../lib/pubsub';
import type { LiveZoneIndex } from '../../lib/geo/liveZoneIndex';
import type { RequestInfo } from '../../lib/subgraphServer';
import type { ZoneLoaders } from './loaders';
import type { ZoneReader } from './repository';

export interface ZonesContext extends RequestInfo {
  /** The caller's scoped reads (repository.ts). */
  reader: ZoneReader;
  zoneIndex: LiveZoneIndex;
  loaders: ZoneLoaders;
  /** Writes (zone import) go through `db.writer` after the privilege check. */
  db: ScopedDb;
  pubsub: PubSub;
  /** The largest zone file importZones accepts, in bytes. */
  maxImportBytes: number;
}
