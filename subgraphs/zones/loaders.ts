import type DataLoader from 'dataloader';
import { createByIdLoader } from '../../lib/loaders';
import type { ZoneReader, ZoneRow } from './repository';

export interface ZoneLoaders {
  zoneById: DataLoader<string, ZoneRow | null>;
}

export function createLoaders(zones: ZoneReader): ZoneLoaders {
  return { zoneById: createByIdLoader((ids) => zones.byIds(ids)) };
}
