import type { RequestInfo } from '../../lib/subgraphServer';
import type { ZoneLoaders } from './loaders';
import type { ZoneReader } from './repository';
import type { LiveZoneIndex } from './zoneIndex';

export interface ZonesContext extends RequestInfo {
  zones: ZoneReader;
  zoneIndex: LiveZoneIndex;
  loaders: ZoneLoaders;
}
