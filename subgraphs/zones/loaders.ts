import DataLoader from 'dataloader';
import type { ZoneRepository, ZoneRow } from './repository';
import { isUuid } from '../../lib/ids';

export interface ZoneLoaders {
  zoneById: DataLoader<string, ZoneRow | null>;
}

/** Per request: one SQL query per batch of ids, results in key order, null for unknown ids. */
export function createLoaders(repository: ZoneRepository): ZoneLoaders {
  return {
    zoneById: new DataLoader(async (ids) => {
      const valid = ids.filter(isUuid);
      const rows = valid.length > 0 ? await repository.byIds(valid) : [];
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
