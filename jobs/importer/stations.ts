import type { Knex } from 'knex';
import type { FeedConfig, StationObservation } from '../../lib/feeds/types';
import type { ZoneAssignment } from './diff';

/** A station of an accepted snapshot with the zones it stands in. */
export type LocatedStation = StationObservation & { zones: ZoneAssignment };

const STATUS_COLUMNS = [
  'is_installed',
  'is_renting',
  'is_returning',
  'vehicles_available',
  'docks_available',
  'form_factors',
  'zone_ids',
  'municipality_code',
] as const;

const tuple = (alias: string) => `(${STATUS_COLUMNS.map((c) => `${alias}.${c}`).join(', ')})`;

/**
 * Writes a docked system's stations as one accepted snapshot listed them, in the feed's commit
 * transaction: each station's row is upserted; a station whose status (or zones) changed, that is
 * new, or that came back gets a `station_status_events` row; one the snapshot no longer lists is
 * marked gone with a row saying so (listed false, nothing available). So the rows of a station
 * change only when the feed said something new, and its state at any instant is its last row.
 */
export async function writeStations(
  trx: Knex.Transaction,
  feed: FeedConfig,
  at: Date,
  stations: readonly LocatedStation[],
): Promise<void> {
  const rows = stations.map((s) => ({
    station_id: s.stationId,
    name: s.name,
    lat: s.lat,
    lng: s.lng,
    capacity: s.capacity,
    zone_ids: s.zones.zoneIds,
    municipality_code: s.zones.municipalityCode,
    is_installed: s.isInstalled,
    is_renting: s.isRenting,
    is_returning: s.isReturning,
    vehicles_available: s.vehiclesAvailable,
    docks_available: s.docksAvailable,
    form_factors: s.formFactors,
    last_reported_at: s.lastReportedAt,
  }));
  const eventColumns = `feed_id, station_id, operator_id, at, zone_ids, municipality_code, listed,
                        is_installed, is_renting, is_returning, vehicles_available,
                        docks_available, form_factors`;
  await trx.raw(
    `with x as (
       select * from json_to_recordset(?::json) as x(
         station_id text, name text, lat double precision, lng double precision, capacity integer,
         zone_ids uuid[], municipality_code text, is_installed boolean, is_renting boolean,
         is_returning boolean, vehicles_available integer, docks_available integer,
         form_factors jsonb, last_reported_at timestamptz)
     ),
     changed as (
       select x.* from x
         left join stations s on s.feed_id = ?::uuid and s.station_id = x.station_id
        where s.station_id is null or s.gone_at is not null or ${tuple('s')} is distinct from ${tuple('x')}
     ),
     gone as (
       update stations s set gone_at = ?, status_since = ?
        where s.feed_id = ?::uuid and s.gone_at is null
          and not exists (select 1 from x where x.station_id = s.station_id)
       returning s.station_id, s.zone_ids, s.municipality_code
     ),
     events as (
       insert into station_status_events (${eventColumns})
       select ?::uuid, station_id, ?, ?::timestamptz, zone_ids, municipality_code, true,
              is_installed, is_renting, is_returning, vehicles_available, docks_available,
              form_factors
         from changed
       union all
       select ?::uuid, station_id, ?, ?::timestamptz, zone_ids, municipality_code, false,
              false, false, false, 0, null, '{}'::jsonb
         from gone
     )
     insert into stations as s (feed_id, station_id, operator_id, name, lat, lng, capacity,
                                zone_ids, municipality_code, is_installed, is_renting,
                                is_returning, vehicles_available, docks_available, form_factors,
                                last_reported_at, status_since, first_seen_at, seen_at, gone_at)
     select ?::uuid, station_id, ?, name, lat, lng, capacity, zone_ids, municipality_code,
            is_installed, is_renting, is_returning, vehicles_available, docks_available,
            form_factors, last_reported_at, ?::timestamptz, ?::timestamptz, ?::timestamptz, null
       from x
     on conflict (feed_id, station_id) do update
        set name = excluded.name, lat = excluded.lat, lng = excluded.lng,
            capacity = excluded.capacity, zone_ids = excluded.zone_ids,
            municipality_code = excluded.municipality_code, is_installed = excluded.is_installed,
            is_renting = excluded.is_renting, is_returning = excluded.is_returning,
            vehicles_available = excluded.vehicles_available,
            docks_available = excluded.docks_available, form_factors = excluded.form_factors,
            last_reported_at = excluded.last_reported_at,
            status_since = case when s.gone_at is not null or ${tuple('s')} is distinct from ${tuple('excluded')}
                                then excluded.status_since else s.status_since end,
            seen_at = excluded.seen_at, gone_at = null`,
    [
      JSON.stringify(rows),
      feed.id,
      at,
      at,
      feed.id,
      feed.id,
      feed.operatorId,
      at,
      feed.id,
      feed.operatorId,
      at,
      feed.id,
      feed.operatorId,
      at,
      at,
      at,
    ],
  );
}
