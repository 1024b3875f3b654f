import DataLoader from 'dataloader';
import type { ZoneRow } from '../../lib/domain/zones';
import { createByIdLoader } from '../../lib/loaders';
import type { ZoneReader } from './repository';
import type { SeriesQuery, SeriesReader, SeriesResult } from './series';

export interface SeriesKey {
  zone: ZoneRow;
  query: SeriesQuery;
}

export interface ZoneLoaders {
  zoneById: DataLoader<string, ZoneRow | null>;
  /** Series of many zones with the same arguments: one batch, a couple of SQL queries. */
  series: DataLoader<SeriesKey, SeriesResult | null, string>;
  /**
   * The request's parsed series arguments, by their text: every zone of a page asks with the same
   * arguments, and their buckets are computed once, not once per zone.
   */
  seriesQueries: Map<string, SeriesQuery>;
}

export function createLoaders(zones: ZoneReader, series: SeriesReader): ZoneLoaders {
  return {
    zoneById: createByIdLoader((ids) => zones.byIds(ids)),
    series: new DataLoader(
      async (keys) => {
        const byQuery = new Map<string, { query: SeriesQuery; indexes: number[] }>();
        keys.forEach((key, index) => {
          const entry = byQuery.get(key.query.id);
          if (entry) entry.indexes.push(index);
          else byQuery.set(key.query.id, { query: key.query, indexes: [index] });
        });
        const results = new Array<SeriesResult | null>(keys.length).fill(null);
        await Promise.all(
          [...byQuery.values()].map(async ({ query, indexes }) => {
            const found = await series.series(
              query,
              indexes.map((i) => (keys[i] as SeriesKey).zone),
            );
            indexes.forEach((keyIndex, i) => {
              results[keyIndex] = found[i] ?? null;
            });
          }),
        );
        return results;
      },
      { cacheKeyFn: (key) => `${key.zone.id}:${key.query.id}` },
    ),
    seriesQueries: new Map(),
  };
}
