import type { RequestInfo } from '../../lib/subgraphServer';
import type { ZoneLoaders } from './loaders';
import type { ZoneRepository } from './repository';
import type { LiveZoneIndex } from './zoneIndex';

export interface ZonesContext extends RequestInfo {
  repository: ZoneRepository;
  zoneIndex: LiveZoneIndex;
  loaders: ZoneLoaders;
}
