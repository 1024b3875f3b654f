import type { ScopedDb } from '../../lib/auth/scopedDb';
import type { PubSub } from '../../lib/pubsub';
import type { LiveZoneIndex } from '../../lib/geo/liveZoneIndex';
import type { RequestInfo } from '../../lib/subgraphServer';
import type { ZoneLoaders } from './loaders';
import type { ZoneReader } from './repository';
import type { SeriesReader } from './series';

export interface ZonesContext extends RequestInfo {
  /** The caller's scoped reads (repository.ts). */
  reader: ZoneReader;
  /** The caller's scoped zone series reads (series.ts). */
  series: SeriesReader;
  zoneIndex: LiveZoneIndex;
  loaders: ZoneLoaders;
  /** ZONE_STATS_TIME_ZONE: the days of the daily rollup. */
  seriesTimeZone: string;
  /** Writes (zone import) go through `db.writer` after the privilege check. */
  db: ScopedDb;
  pubsub: PubSub;
  /** The largest zone file importZones accepts, in bytes. */
  maxImportBytes: number;
}
