import type DataLoader from 'dataloader';
import type { ZoneRow } from '../../lib/domain/zones';
import { createByIdLoader } from '../../lib/loaders';
import type { ZoneReader } from './repository';

export interface ZoneLoaders {
  zoneById: DataLoader<string, ZoneRow | null>;
}

export function createLoaders(zones: ZoneReader): ZoneLoaders {
  return { zoneById: createByIdLoader((ids) => zones.byIds(ids)) };
}
