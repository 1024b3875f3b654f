import type { LiveZoneIndex } from '../../lib/geo/liveZoneIndex';
import type { RequestInfo } from '../../lib/subgraphServer';
import type { ZoneLoaders } from './loaders';
import type { ZoneReader } from './repository';

export interface ZonesContext extends RequestInfo {
  zones: ZoneReader;
  zoneIndex: LiveZoneIndex;
  loaders: ZoneLoaders;
}
