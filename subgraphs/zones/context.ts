import type { LiveZoneIndex } from '../../lib/geo/liveZoneIndex';
import type { RequestInfo } from '../../lib/subgraphServer';
import type { ZoneLoaders } from './loaders';
import type { ZoneReader } from './repository';

export interface ZonesContext extends RequestInfo {
  /** The caller's scoped reads (repository.ts). */
  reader: ZoneReader;
  zoneIndex: LiveZoneIndex;
  loaders: ZoneLoaders;
}
