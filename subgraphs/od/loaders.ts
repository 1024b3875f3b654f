import DataLoader from 'dataloader';
import { isUuid } from '../../lib/ids';
import type { OdReader, ZoneKindRow } from './repository';

export interface OdLoaders {
  /** The kind of a zone the caller may see; null for zones it may not see or that don't exist. */
  zoneKind: DataLoader<string, ZoneKindRow | null>;
}

export function createLoaders(reader: OdReader): OdLoaders {
  return {
    zoneKind: new DataLoader(async (ids) => {
      const valid = ids.filter(isUuid);
      const rows = valid.length > 0 ? await reader.zoneKinds(valid) : [];
      const found = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => found.get(id) ?? null);
    }),
  };
}
