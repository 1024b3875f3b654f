import DataLoader from 'dataloader';
import { isUuid } from '../../lib/ids';
import type { TripRow, TripsReader, ZoneKindRow } from './repository';

export interface TripKey {
  id: string;
  startTime: Date;
}

export interface TripsLoaders {
  tripByKey: DataLoader<TripKey, TripRow | null, string>;
  /** The kind of a zone the caller may see; null for zones it may not see or that don't exist. */
  zoneKind: DataLoader<string, ZoneKindRow | null>;
}

/** A trip's key: its id and its start time to the millisecond, as DateTime carries it. */
const keyOf = (id: string, startTime: Date) => `${id}@${startTime.getTime()}`;

export function createLoaders(reader: TripsReader): TripsLoaders {
  return {
    tripByKey: new DataLoader<TripKey, TripRow | null, string>(
      async (keys) => {
        const rows = await reader.tripsByKeys(keys);
        const found = new Map(rows.map((row) => [keyOf(row.id, row.start_time), row]));
        return keys.map((key) => found.get(keyOf(key.id, key.startTime)) ?? null);
      },
      { cacheKeyFn: (key) => keyOf(key.id, key.startTime) },
    ),
    zoneKind: new DataLoader(async (ids) => {
      const valid = ids.filter(isUuid);
      const rows = valid.length > 0 ? await reader.zoneKinds(valid) : [];
      const found = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => found.get(id) ?? null);
    }),
  };
}
