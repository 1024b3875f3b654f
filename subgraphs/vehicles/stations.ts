import type { Knex } from 'knex';
import type { ScopedDb } from '../../lib/auth/scopedDb';
import type { FormFactor } from '../../lib/domain/formFactors';
import type { BBox } from '../../lib/geo/geometry';
import { countOf } from '../../lib/sql/paging';
import { FLEET_SCOPE_RULE, uuidArray } from './repository';

/** A station of a docked system as its feed last listed it (`stations`). */
export interface StationRow {
  feed_id: string;
  station_id: string;
  operator_id: string;
  name: string | null;
  lat: number;
  lng: number;
  capacity: number | null;
  zone_ids: string[];
  municipality_code: string | null;
  is_installed: boolean;
  is_renting: boolean;
  is_returning: boolean;
  vehicles_available: number;
  docks_available: number | null;
  form_factors: Partial<Record<FormFactor, number>>;
  last_reported_at: Date | null;
  status_since: Date;
  seen_at: Date;
}

/** A zone's stations over time, as columns. */
export interface StationSeriesRow {
  bucketStarts: Date[];
  vehiclesAvailable: number[];
  docksAvailable: number[];
  stationsRenting: number[];
  stations: number[];
}

export interface StationFilter {
  municipalityCodes?: string[] | undefined;
  zoneIds?: string[] | undefined;
  bbox?: BBox | undefined;
  operatorIds?: string[] | undefined;
}

export interface StationSeriesQuery {
  zoneId: string;
  from: Date;
  /** Exclusive. */
  to: Date;
  stepSeconds: number;
  formFactors?: FormFactor[] | undefined;
  operatorIds?: string[] | undefined;
}

const STATION_COLUMNS = [
  'feed_id',
  'station_id',
  'operator_id',
  'name',
  'lat',
  'lng',
  'capacity',
  'zone_ids',
  'municipality_code',
  'is_installed',
  'is_renting',
  'is_returning',
  'vehicles_available',
  'docks_available',
  'form_factors',
  'last_reported_at',
  'status_since',
  'seen_at',
] as const;

/**
 * Stations and their history, read on behalf of a caller: the fleet rule (the municipality a
 * station stands in, its operator), as for vehicles.
 */
export function createStationsReader(scoped: ScopedDb) {
  const sql = (text: string, bindings: readonly Knex.RawBinding[] = []) =>
    scoped.writer.raw(text, bindings);
  const stations = (filter: StationFilter) => {
    const q = scoped.from('stations', FLEET_SCOPE_RULE).whereNull('gone_at');
    if (filter.municipalityCodes) q.whereIn('municipality_code', filter.municipalityCodes);
    if (filter.zoneIds) q.whereRaw(`zone_ids && ${uuidArray(filter.zoneIds)}`, filter.zoneIds);
    if (filter.operatorIds) q.whereIn('operator_id', filter.operatorIds);
    if (filter.bbox) {
      const [minLng, minLat, maxLng, maxLat] = filter.bbox;
      q.whereBetween('lat', [minLat, maxLat]).whereBetween('lng', [minLng, maxLng]);
    }
    return q;
  };

  return {
    /** Stations listed now, ordered by (feed_id, station_id), after the keyset `after`. */
    async stationsPage(
      filter: StationFilter,
      limit: number,
      after: [string, string] | undefined,
    ): Promise<{ rows: StationRow[]; totalCount: number }> {
      const rows = stations(filter)
        .select<StationRow[]>(STATION_COLUMNS)
        .orderBy([{ column: 'feed_id' }, { column: 'station_id' }])
        .limit(limit);
      if (after) rows.whereRaw('(feed_id, station_id) > (?::uuid, ?)', after);
      const [page, totalCount] = await Promise.all([rows, countOf(stations(filter))]);
      return { rows: page, totalCount };
    },

    /**
     * Each bucket start's state of the zone's stations: per station its last status row at or
     * before the instant (one index lookup per station and bucket), counted when the station was
     * listed, installed and in the zone then.
     */
    async stationSeries(query: StationSeriesQuery): Promise<StationSeriesRow> {
      const zone = [query.zoneId];
      const inZone = scoped
        .from('stations', FLEET_SCOPE_RULE)
        .select('feed_id', 'station_id')
        .whereRaw(`zone_ids && ${uuidArray(zone)}`, zone);
      if (query.operatorIds) inZone.whereIn('operator_id', query.operatorIds);
      const last = scoped
        .from('station_status_events', FLEET_SCOPE_RULE)
        .select('listed', 'is_installed', 'is_renting', 'vehicles_available', 'docks_available')
        .select('form_factors', 'zone_ids')
        .whereRaw('feed_id = s.feed_id and station_id = s.station_id and at <= b.t')
        .orderBy('at', 'desc')
        .limit(1);
      const vehicles = query.formFactors
        ? sql(
            `(select coalesce(sum(value::int), 0) from jsonb_each_text(e.form_factors)
               where key in (${query.formFactors.map(() => '?').join(', ')}))`,
            query.formFactors,
          )
        : sql('e.vehicles_available');
      const { rows: list } = await scoped.writer.raw<{
        rows: {
          bucket_start: Date;
          vehicles: number;
          docks: number;
          renting: number;
          stations: number;
        }[];
      }>(
        `select b.t as bucket_start,
                coalesce(sum(?), 0)::int as vehicles,
                coalesce(sum(e.docks_available), 0)::int as docks,
                (count(*) filter (where e.is_renting))::int as renting,
                count(e.listed)::int as stations
           from generate_series(?::timestamptz, ?::timestamptz - interval '1 microsecond',
                                make_interval(secs => ?)) as b(t)
           left join ? s on true
           left join lateral ? e
                  on e.listed and e.is_installed and e.zone_ids && ${uuidArray(zone)}
          group by b.t
          order by b.t`,
        [vehicles, query.from, query.to, query.stepSeconds, inZone, last, ...zone],
      );
      return {
        bucketStarts: list.map((r) => r.bucket_start),
        vehiclesAvailable: list.map((r) => r.vehicles),
        docksAvailable: list.map((r) => r.docks),
        stationsRenting: list.map((r) => r.renting),
        stations: list.map((r) => r.stations),
      };
    },
  };
}

export type StationsReader = ReturnType<typeof createStationsReader>;
