import { latLngToCell } from 'h3-js';
import type { Knex } from 'knex';
import type { Db } from '../../lib/db';
import { effectiveRotatingIds, type FeedType, type VehicleStateRow } from '../../lib/domain/fleet';
import type { FormFactor } from '../../lib/domain/formFactors';
import type { DiffEvents, OpenRef, ParkStart, VehicleState, ZoneAssignment } from './diff';
import { writeStations, type LocatedStation } from './stations';
import type {
  FeedAuth,
  FeedConfig,
  QuarantinedRecord,
  VehicleTypeInfo,
} from '../../lib/feeds/types';

/** Park events, trips and vehicles carry the H3 cell (resolution 8) of their position. */
export const H3_RESOLUTION = 8;

export function h3Cell(lat: number, lng: number): string {
  return latLngToCell(lat, lng, H3_RESOLUTION);
}

interface FeedRow {
  id: string;
  operator_id: string;
  url: string;
  type: FeedType;
  auth: FeedAuth;
  default_form_factor: FormFactor | null;
  default_vehicle_type_id: string | null;
  rotating_ids: boolean | null;
  vehicle_types_url: string | null;
  expect_empty: boolean;
}

function feedConfig(row: FeedRow): FeedConfig {
  return {
    id: row.id,
    operatorId: row.operator_id,
    url: row.url,
    type: row.type,
    auth: row.auth,
    defaultFormFactor: row.default_form_factor,
    defaultVehicleTypeId: row.default_vehicle_type_id,
    rotatingIds: effectiveRotatingIds(row.type, row.rotating_ids),
    rotatingIdsDeclared: row.rotating_ids !== null,
    vehicleTypesUrl: row.vehicle_types_url,
    expectEmpty: row.expect_empty,
  };
}

const FEED_COLUMNS = [
  'id',
  'operator_id',
  'url',
  'type',
  'auth',
  'default_form_factor',
  'default_vehicle_type_id',
  'rotating_ids',
  'vehicle_types_url',
  'expect_empty',
];

/** Active feeds (of one type; among `ids` when given). */
export async function loadActiveFeeds(
  db: Db,
  type?: FeedType,
  ids?: readonly string[],
): Promise<FeedConfig[]> {
  const query = db('feeds').select<FeedRow[]>(FEED_COLUMNS).where('active', true).orderBy('id');
  if (type) query.where('type', type);
  if (ids) query.whereIn('id', ids);
  return (await query).map(feedConfig);
}

/**
 * Feeds switched off that still have vehicles (or stations) listed (among `ids` when given): their
 * park events must be ended.
 */
export async function loadRetiredFeeds(db: Db, ids?: readonly string[]): Promise<FeedConfig[]> {
  const query = db('feeds as f')
    .select<FeedRow[]>(FEED_COLUMNS.map((c) => `f.${c}`))
    .where('f.active', false)
    .where((listed) => {
      listed
        .whereRaw(
          'exists (select 1 from vehicle_state v where v.feed_id = f.id and v.gone_at is null)',
        )
        .orWhereRaw(
          'exists (select 1 from stations s where s.feed_id = f.id and s.gone_at is null)',
        );
    })
    .orderBy('f.id');
  if (ids) query.whereIn('f.id', ids);
  return (await query).map(feedConfig);
}

/**
 * Takes the lease of each feed that nobody else holds: free, expired, already this owner's, or
 * held by a runner whose heartbeat stopped (`job_workers`). Returns the feeds taken with their
 * committed version, in one statement. A lease is released by `releaseFeeds`; its owner is kept
 * so the next tick can hand the feed to the same runner (jobs/importer/fanOut.ts).
 */
export async function claimFeeds(
  db: Db,
  feedIds: readonly string[],
  owner: string,
  ttlMs: number,
  workerAliveMs: number,
): Promise<Map<string, number>> {
  if (feedIds.length === 0) return new Map();
  const { rows } = await db.raw<{ rows: { feed_id: string; version: string }[] }>(
    `insert into feed_import_state (feed_id, lease_owner, lease_until)
     select id, ?, now() + make_interval(secs => ?) from unnest(?::uuid[]) as id
     on conflict (feed_id) do update
        set lease_owner = excluded.lease_owner, lease_until = excluded.lease_until
      where feed_import_state.lease_until is null
         or feed_import_state.lease_until < now()
         or feed_import_state.lease_owner = excluded.lease_owner
         or exists (select 1 from job_workers w
                     where w.worker_id = feed_import_state.lease_owner
                       and w.heartbeat_at < now() - make_interval(secs => ?))
     returning feed_id, version`,
    [owner, ttlMs / 1000, [...feedIds], workerAliveMs / 1000],
  );
  return new Map(rows.map((r) => [r.feed_id, Number(r.version)]));
}

/** Ends this owner's leases of `feedIds` (the owner stays recorded). */
export async function releaseFeeds(
  db: Db,
  feedIds: readonly string[],
  owner: string,
): Promise<void> {
  if (feedIds.length === 0) return;
  await db('feed_import_state')
    .whereIn('feed_id', feedIds)
    .where('lease_owner', owner)
    .update({ lease_until: null });
}

/** The importer's bookkeeping for one feed, as committed. */
export interface FeedStatus {
  /** Bumped by every commit; a commit expecting another version is refused. */
  version: number;
  /** `fetchedAt` of the last accepted snapshot; null before the first. */
  lastSnapshotAt: Date | null;
  lastFeedUpdatedAt: Date | null;
  /** The zone version the feed's vehicles and open park events were assigned with. */
  zoneVersion: string | null;
  /** Since when the feed has been showing a vehicle drop. */
  lowCountSince: Date | null;
  /** Start of the open outage, if any. */
  outageStartedAt: Date | null;
  healthStatus: HealthStatus | null;
  /** Since the last evaluation of the id mode: ids new one by one, ids back after vanishing. */
  newIds: number;
  returnedIds: number;
  /** Set when a feed declared (or defaulting to) stable ids turned out to rotate them. */
  rotatingDetectedAt: Date | null;
  /** Since when the feed has listed no vehicle at all. */
  emptySince: Date | null;
  /** Vehicles vanishing one by one per snapshot, averaged (see `bulkThreshold`); null at first. */
  churn: number | null;
  /** The notices of the last commit (event notices are kept for a day). */
  notices: FeedNotice[];
}

export type HealthStatus = 'OK' | 'DOWN' | 'STALE';

/**
 * Something the importer noticed in an accepted snapshot, shown in feed health:
 * - PARTIAL_OUTAGE: part of the fleet vanished at once (held, no trips) or came back at once.
 * - IDS_CHANGED: the fleet was re-keyed (most vanished vehicles renamed in place): no trips.
 * - ROTATING_IDS_DETECTED: a feed taken for stable ids rotates them; read as rotating from then.
 * - QUARANTINED_RECORDS: vehicles with bad records were left out (see feed_quarantine).
 * - UNKNOWN_VEHICLE_TYPES: vehicles whose type (form factor) the feed does not say.
 * - EMPTY_FEED: the feed lists no vehicle; accepted after the confirmation period.
 * - STATIONS_LEFT_OUT: stations with bad records (or in only one of the two station files).
 */
export type FeedNoticeKind =
  | 'PARTIAL_OUTAGE'
  | 'IDS_CHANGED'
  | 'ROTATING_IDS_DETECTED'
  | 'QUARANTINED_RECORDS'
  | 'UNKNOWN_VEHICLE_TYPES'
  | 'EMPTY_FEED'
  | 'STATIONS_LEFT_OUT';

export interface FeedNotice {
  kind: FeedNoticeKind;
  message: string;
  vehicles: number;
  /** When it was (last) noticed, ISO. */
  at: string;
}

interface StatusRow {
  version: string | null;
  last_snapshot_at: Date | null;
  last_feed_updated_at: Date | null;
  zone_version: string | null;
  low_count_since: Date | null;
  outage_started_at: Date | null;
  health_status: HealthStatus | null;
  new_ids: number | null;
  returned_ids: number | null;
  rotating_detected_at: Date | null;
  empty_since: Date | null;
  churn: number | null;
  notices: FeedNotice[] | null;
}

function stateFromRow(
  row: VehicleStateRow,
  zonesOf: (ids: string[], code: string | null) => ZoneAssignment,
): VehicleState {
  const ref = (id: string | null, startTime: Date | null): OpenRef | null =>
    id && startTime ? { id, startTime } : null;
  const park = ref(row.park_event_id, row.park_start);
  const rental = ref(row.rental_id, row.rental_start);
  return {
    vehicleId: row.vehicle_id,
    lat: row.lat,
    lng: row.lng,
    zones: zonesOf(row.zone_ids, row.municipality_code),
    formFactor: row.form_factor,
    vehicleTypeId: row.vehicle_type_id,
    isReserved: row.is_reserved,
    isDisabled: row.is_disabled,
    lastReportedAt: row.last_reported_at,
    park: park ? { ...park, lat: row.park_lat ?? row.lat, lng: row.park_lng ?? row.lng } : null,
    nonOp: ref(row.non_op_id, row.non_op_start),
    gone: row.gone_at
      ? {
          at: row.gone_at,
          reason: row.gone_reason ?? 'RENTAL',
          rental: rental ? { ...rental, kind: row.rental_kind ?? 'TRIP' } : null,
        }
      : null,
    held: row.held_since
      ? { since: row.held_since, reason: row.held_reason ?? 'PARTIAL_OUTAGE' }
      : null,
    stationId: row.station_id,
  };
}

function stateRow(state: VehicleState) {
  return {
    vehicle_id: state.vehicleId,
    lat: state.lat,
    lng: state.lng,
    h3_cell: h3Cell(state.lat, state.lng),
    zone_ids: state.zones.zoneIds,
    municipality_code: state.zones.municipalityCode,
    form_factor: state.formFactor,
    vehicle_type_id: state.vehicleTypeId,
    is_reserved: state.isReserved,
    is_disabled: state.isDisabled,
    last_reported_at: state.lastReportedAt,
    park_event_id: state.park?.id ?? null,
    park_start: state.park?.startTime ?? null,
    park_lat: state.park?.lat ?? null,
    park_lng: state.park?.lng ?? null,
    non_op_id: state.nonOp?.id ?? null,
    non_op_start: state.nonOp?.startTime ?? null,
    gone_at: state.gone?.at ?? null,
    gone_reason: state.gone?.reason ?? null,
    rental_id: state.gone?.rental?.id ?? null,
    rental_start: state.gone?.rental?.startTime ?? null,
    rental_kind: state.gone?.rental?.kind ?? null,
    held_since: state.held?.since ?? null,
    held_reason: state.held?.reason ?? null,
    station_id: state.stationId,
  };
}

/** The vehicle_state columns the importer writes, with their SQL types. */
const STATE_COLUMN_TYPES: Record<keyof ReturnType<typeof stateRow>, string> = {
  vehicle_id: 'text',
  lat: 'float8',
  lng: 'float8',
  h3_cell: 'text',
  zone_ids: 'uuid[]',
  municipality_code: 'text',
  form_factor: 'text',
  vehicle_type_id: 'text',
  is_reserved: 'boolean',
  is_disabled: 'boolean',
  last_reported_at: 'timestamptz',
  park_event_id: 'uuid',
  park_start: 'timestamptz',
  park_lat: 'float8',
  park_lng: 'float8',
  non_op_id: 'uuid',
  non_op_start: 'timestamptz',
  gone_at: 'timestamptz',
  gone_reason: 'text',
  rental_id: 'uuid',
  rental_start: 'timestamptz',
  rental_kind: 'text',
  held_since: 'timestamptz',
  held_reason: 'text',
  station_id: 'text',
};
const STATE_COLUMNS = Object.keys(STATE_COLUMN_TYPES);

/** Everything the importer needs to resume a feed: its bookkeeping and every vehicle's state. */
export async function loadFeedState(
  db: Db,
  feedId: string,
): Promise<{ status: FeedStatus; vehicles: Map<string, VehicleState> }> {
  const [statusRows, vehicleRows] = await Promise.all([
    db.raw<{ rows: StatusRow[] }>(
      `select s.version, s.last_snapshot_at, s.last_feed_updated_at, s.zone_version,
              s.low_count_since, h.status as health_status, s.new_ids, s.returned_ids,
              s.rotating_detected_at, s.empty_since, s.churn, h.notices,
              (select started_at from feed_outages o
                where o.feed_id = f.id and o.ended_at is null) as outage_started_at
         from feeds f
         left join feed_import_state s on s.feed_id = f.id
         left join feed_health h on h.feed_id = f.id
        where f.id = ?`,
      [feedId],
    ),
    db('vehicle_state').select<VehicleStateRow[]>(STATE_COLUMNS).where('feed_id', feedId),
  ]);
  const row = statusRows.rows[0];
  const status: FeedStatus = {
    version: Number(row?.version ?? 0),
    lastSnapshotAt: row?.last_snapshot_at ?? null,
    lastFeedUpdatedAt: row?.last_feed_updated_at ?? null,
    zoneVersion: row?.zone_version ?? null,
    lowCountSince: row?.low_count_since ?? null,
    outageStartedAt: row?.outage_started_at ?? null,
    healthStatus: row?.health_status ?? null,
    newIds: row?.new_ids ?? 0,
    returnedIds: row?.returned_ids ?? 0,
    rotatingDetectedAt: row?.rotating_detected_at ?? null,
    emptySince: row?.empty_since ?? null,
    churn: row?.churn ?? null,
    notices: row?.notices ?? [],
  };
  // Vehicles in the same zones share one assignment object, as the zone locator's answers do.
  const assignments = new Map<string, ZoneAssignment>();
  const zonesOf = (zoneIds: string[], municipalityCode: string | null) => {
    const key = `${municipalityCode}:${zoneIds.join()}`;
    let zones = assignments.get(key);
    if (!zones) {
      zones = { zoneIds, municipalityCode };
      assignments.set(key, zones);
    }
    return zones;
  };
  const vehicles = new Map(vehicleRows.map((r) => [r.vehicle_id, stateFromRow(r, zonesOf)]));
  return { status, vehicles };
}

export interface HealthError {
  /** A FeedErrorKind, VEHICLE_DROP (most vehicles vanished) or INTERNAL (the reader threw). */
  kind: string;
  message: string;
  url: string | null;
  path: string | null;
}

/** The feed's own time, ttl and version, as its last readable document declared them. */
export interface FeedMeta {
  lastUpdatedAt: Date | null;
  ttlSeconds: number | null;
  version: string | null;
}

export type HealthOutcome =
  | {
      ok: true;
      vehicles: number;
      durationMs: number;
      meta: FeedMeta;
      notices: FeedNotice[];
      quarantine: readonly QuarantinedRecord[];
      unknownTypeVehicles: number;
      stationVehicles: number;
      /** Stations of a docked system; null when the feed publishes none. */
      stations: number | null;
    }
  | {
      ok: false;
      /** DOWN: the read failed or was refused; STALE: the feed's data is too old to believe. */
      status: 'DOWN' | 'STALE';
      error: HealthError;
      durationMs: number;
      meta: FeedMeta | null;
    };

/** Per-feed bookkeeping of the id mode and emptiness, written with every commit that has it. */
export interface FeedWatch {
  newIds: number;
  returnedIds: number;
  rotatingDetectedAt: Date | null;
  emptySince: Date | null;
  churn: number | null;
}

/** Everything one feed's tick writes, in one transaction. */
export interface FeedCommit {
  feed: FeedConfig;
  expectedVersion: number;
  /** When the outcome was observed (the snapshot's fetch time, or the failure's). */
  at: Date;
  /** The accepted snapshot: advances the feed's last snapshot. Null when none was accepted. */
  snapshot: { fetchedAt: Date; lastUpdatedAt: Date | null } | null;
  events: DiffEvents;
  upserts: readonly VehicleState[];
  deletes: readonly string[];
  /** Open park events whose zones are recomputed after the zones changed. */
  parkZones: readonly (OpenRef & { zones: ZoneAssignment })[];
  zoneVersion: string | null;
  lowCountSince: Date | null;
  vehicleTypes: readonly VehicleTypeInfo[] | null;
  systemName: string | null;
  /** Null: the feed was not read (switched off); its health stays as it was. */
  health: HealthOutcome | null;
  watch: FeedWatch | null;
  /** The stations of an accepted snapshot of a feed that publishes them, else null. */
  stations?: readonly LocatedStation[] | null;
}

export type CommitResult = { committed: true; version: number } | { committed: false };

/**
 * Runs `sql` once with all rows as one JSON parameter (read by `json_to_recordset`) between the
 * `before` and `after` bindings: one round trip however many rows. Does nothing without rows.
 */
async function bulk(
  trx: Knex.Transaction,
  sql: string,
  rows: readonly object[],
  before: readonly Knex.Value[] = [],
  after: readonly Knex.Value[] = [],
): Promise<void> {
  if (rows.length === 0) return;
  await trx.raw(sql, [...before, JSON.stringify(rows), ...after]);
}

/**
 * Updates rows of a partitioned table found by (id, time column) from a JSON list; `set` may use
 * `x.<column>` of the declared extra `columns`. The earliest and latest time bound the statement,
 * so PostgreSQL only looks into the partitions in between.
 */
async function updateByRef(
  trx: Knex.Transaction,
  table: string,
  timeColumn: string,
  refs: readonly (OpenRef & object)[],
  columns: string,
  set: string,
  where = 'true',
): Promise<void> {
  if (refs.length === 0) return;
  let min = Infinity;
  let max = -Infinity;
  for (const ref of refs) {
    min = Math.min(min, ref.startTime.getTime());
    max = Math.max(max, ref.startTime.getTime());
  }
  await bulk(
    trx,
    `update ${table} t set ${set}
       from json_to_recordset(?::json) as x(id uuid, "startTime" timestamptz ${columns})
      where t.id = x.id and t.${timeColumn} = x."startTime"
        and t.${timeColumn} between ?::timestamptz and ?::timestamptz and ${where}`,
    refs,
    [],
    [new Date(min), new Date(max)],
  );
}

async function writeEvents(
  trx: Knex.Transaction,
  feed: FeedConfig,
  events: DiffEvents,
): Promise<void> {
  const owner = [feed.id, feed.operatorId];
  const place = (lat: number, lng: number, zones: ZoneAssignment) => ({
    lat,
    lng,
    h3_cell: h3Cell(lat, lng),
    zone_ids: zones.zoneIds,
    municipality_code: zones.municipalityCode,
  });

  // A park event and a trip start the same way: a vehicle, a place and a time.
  const startRow = (start: ParkStart) => ({
    id: start.id,
    vehicle_id: start.vehicleId,
    form_factor: start.formFactor,
    vehicle_type_id: start.vehicleTypeId,
    start_time: start.startTime,
    ...place(start.lat, start.lng, start.zones),
  });

  await bulk(
    trx,
    `insert into park_events (id, feed_id, operator_id, vehicle_id, form_factor, vehicle_type_id,
                              lat, lng, h3_cell, zone_ids, municipality_code, start_time,
                              start_observed, station_id)
     select x.id, ?, ?, x.vehicle_id, x.form_factor, x.vehicle_type_id,
            x.lat, x.lng, x.h3_cell, x.zone_ids, x.municipality_code, x.start_time,
            x.start_observed, x.station_id
       from json_to_recordset(?::json) as x(id uuid, vehicle_id text, form_factor text,
            vehicle_type_id text, lat float8, lng float8, h3_cell text, zone_ids uuid[],
            municipality_code text, start_time timestamptz, start_observed boolean,
            station_id text)`,
    events.parkStarts.map((start) => ({
      ...startRow(start),
      start_observed: start.startObserved ?? true,
      station_id: start.stationId ?? null,
    })),
    owner,
  );
  await bulk(
    trx,
    `insert into trips (id, feed_id, operator_id, vehicle_id, form_factor, vehicle_type_id, source,
                        status, start_time, start_lat, start_lng, start_h3_cell, start_zone_ids,
                        municipality_code)
     select x.id, ?, ?, x.vehicle_id, x.form_factor, x.vehicle_type_id, 'INFERRED',
            'OPEN', x.start_time, x.lat, x.lng, x.h3_cell, x.zone_ids, x.municipality_code
       from json_to_recordset(?::json) as x(id uuid, vehicle_id text, form_factor text,
            vehicle_type_id text, lat float8, lng float8, h3_cell text, zone_ids uuid[],
            municipality_code text, start_time timestamptz)`,
    events.tripStarts.map(startRow),
    owner,
  );
  await bulk(
    trx,
    `insert into rentals (id, feed_id, operator_id, vehicle_id, form_factor, vehicle_type_id, kind,
                          at, lat, lng, h3_cell, zone_ids, municipality_code)
     select x.id, ?, ?, x.vehicle_id, x.form_factor, x.vehicle_type_id, x.kind,
            x.at, x.lat, x.lng, x.h3_cell, x.zone_ids, x.municipality_code
       from json_to_recordset(?::json) as x(id uuid, vehicle_id text, form_factor text,
            vehicle_type_id text, kind text, at timestamptz, lat float8, lng float8, h3_cell text,
            zone_ids uuid[], municipality_code text)`,
    events.rentals.map((r) => ({
      id: r.id,
      vehicle_id: r.vehicleId,
      form_factor: r.formFactor,
      vehicle_type_id: r.vehicleTypeId,
      kind: r.kind,
      at: r.at,
      ...place(r.lat, r.lng, r.zones),
    })),
    owner,
  );
  await bulk(
    trx,
    `insert into non_operational_periods (id, feed_id, operator_id, vehicle_id, form_factor,
                                          vehicle_type_id, lat, lng, zone_ids, municipality_code,
                                          start_time)
     select x.id, ?, ?, x.vehicle_id, x.form_factor, x.vehicle_type_id, x.lat, x.lng,
            x.zone_ids, x.municipality_code, x.start_time
       from json_to_recordset(?::json) as x(id uuid, vehicle_id text, form_factor text,
            vehicle_type_id text, lat float8, lng float8, zone_ids uuid[],
            municipality_code text, start_time timestamptz)`,
    events.nonOpStarts.map((n) => ({
      id: n.id,
      vehicle_id: n.vehicleId,
      form_factor: n.formFactor,
      vehicle_type_id: n.vehicleTypeId,
      start_time: n.startTime,
      lat: n.lat,
      lng: n.lng,
      zone_ids: n.zones.zoneIds,
      municipality_code: n.zones.municipalityCode,
    })),
    owner,
  );

  await updateByRef(
    trx,
    'park_events',
    'start_time',
    events.parkEnds,
    ', "endTime" timestamptz, reason text',
    'end_time = x."endTime", end_reason = x.reason',
  );
  await updateByRef(
    trx,
    'park_events',
    'start_time',
    events.parkReopens,
    '',
    'end_time = null, end_reason = null',
  );
  await updateByRef(
    trx,
    'trips',
    'start_time',
    events.tripEnds.map((e) => ({
      id: e.id,
      startTime: e.startTime,
      end_time: e.endTime,
      ...place(e.lat, e.lng, e.zones),
      distance_meters: e.distanceMeters,
    })),
    `, end_time timestamptz, lat float8, lng float8, h3_cell text, zone_ids uuid[],
       municipality_code text, distance_meters integer`,
    `end_time = x.end_time, end_lat = x.lat, end_lng = x.lng, end_h3_cell = x.h3_cell,
     end_zone_ids = x.zone_ids, end_municipality_code = x.municipality_code,
     distance_meters = x.distance_meters,
     status = case when t.status = 'OPEN' then 'COMPLETED' else t.status end`,
  );
  await updateByRef(
    trx,
    'trips',
    'start_time',
    events.tripCancels,
    ', "endTime" timestamptz',
    `status = 'CANCELLED', end_time = x."endTime"`,
    `t.status = 'OPEN'`,
  );
  await updateByRef(
    trx,
    'trips',
    'start_time',
    events.tripExpiries,
    '',
    `status = 'EXPIRED'`,
    `t.status = 'OPEN'`,
  );
  await bulk(
    trx,
    `delete from rentals t
      using json_to_recordset(?::json) as x(id uuid, "startTime" timestamptz)
      where t.id = x.id and t.at = x."startTime"`,
    events.rentalCancels,
  );
  await updateByRef(
    trx,
    'non_operational_periods',
    'start_time',
    events.nonOpEnds,
    ', "endTime" timestamptz',
    'end_time = x."endTime"',
  );
  await updateByRef(
    trx,
    'non_operational_periods',
    'start_time',
    events.nonOpReopens,
    '',
    'end_time = null',
  );
}

const STATE_UPDATE = STATE_COLUMNS.filter((c) => c !== 'vehicle_id')
  .map((c) => `${c} = excluded.${c}`)
  .join(', ');

async function writeVehicleState(
  trx: Knex.Transaction,
  feed: FeedConfig,
  upserts: readonly VehicleState[],
  deletes: readonly string[],
): Promise<void> {
  if (deletes.length > 0) {
    await trx('vehicle_state').where('feed_id', feed.id).whereIn('vehicle_id', deletes).delete();
  }
  await bulk(
    trx,
    `insert into vehicle_state (feed_id, operator_id, ${STATE_COLUMNS.join(', ')})
     select ?, ?, ${STATE_COLUMNS.map((c) => `x.${c}`).join(', ')}
       from json_to_recordset(?::json)
         as x(${Object.entries(STATE_COLUMN_TYPES)
           .map(([c, type]) => `${c} ${type}`)
           .join(', ')})
     on conflict (feed_id, vehicle_id) do update set ${STATE_UPDATE}, updated_at = now()`,
    upserts.map(stateRow),
    [feed.id, feed.operatorId],
  );
}

async function writeRegistry(
  trx: Knex.Transaction,
  feed: FeedConfig,
  vehicleTypes: readonly VehicleTypeInfo[] | null,
  systemName: string | null,
): Promise<void> {
  if (systemName !== null) {
    await trx('operators')
      .where('id', feed.operatorId)
      .whereRaw('system_name is distinct from ?', [systemName])
      .update({ system_name: systemName, updated_at: trx.fn.now() });
  }
  await bulk(
    trx,
    `insert into vehicle_types (operator_id, id, form_factor, propulsion_type, name)
     select ?, x.id, x."formFactor", x."propulsionType", x.name
       from json_to_recordset(?::json) as x(id text, "formFactor" text, "propulsionType" text,
            name text)
     on conflict (operator_id, id) do update
        set form_factor = excluded.form_factor, propulsion_type = excluded.propulsion_type,
            name = excluded.name, updated_at = now()
      where (vehicle_types.form_factor, vehicle_types.propulsion_type, vehicle_types.name)
            is distinct from (excluded.form_factor, excluded.propulsion_type, excluded.name)`,
    vehicleTypes ?? [],
    [feed.operatorId],
  );
}

/** At most this many quarantined records are kept per feed (the count is always exact). */
const QUARANTINE_KEPT = 100;

async function writeHealth(
  trx: Knex.Transaction,
  feedId: string,
  at: Date,
  health: HealthOutcome,
  outageStartedAt: Date,
): Promise<void> {
  const meta = health.meta;
  const metaValues = [
    meta?.lastUpdatedAt ?? null,
    meta?.ttlSeconds ?? null,
    meta?.version ?? null,
  ] as const;
  if (health.ok) {
    await trx.raw(
      `insert into feed_health (feed_id, status, last_success_at, consecutive_failures,
                                vehicles_in_last_snapshot, last_duration_ms, feed_last_updated,
                                feed_ttl_seconds, feed_version, notices, quarantined_vehicles,
                                unknown_type_vehicles, station_vehicles,
                                stations_in_last_snapshot)
       values (?, 'OK', ?, 0, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)
       on conflict (feed_id) do update
          set status = 'OK', last_success_at = excluded.last_success_at, consecutive_failures = 0,
              vehicles_in_last_snapshot = excluded.vehicles_in_last_snapshot,
              last_duration_ms = excluded.last_duration_ms,
              feed_last_updated = excluded.feed_last_updated,
              feed_ttl_seconds = excluded.feed_ttl_seconds, feed_version = excluded.feed_version,
              notices = excluded.notices, quarantined_vehicles = excluded.quarantined_vehicles,
              unknown_type_vehicles = excluded.unknown_type_vehicles,
              station_vehicles = excluded.station_vehicles,
              stations_in_last_snapshot = excluded.stations_in_last_snapshot, updated_at = now()`,
      [
        feedId,
        at,
        health.vehicles,
        Math.round(health.durationMs),
        ...metaValues,
        JSON.stringify(health.notices),
        health.quarantine.length,
        health.unknownTypeVehicles,
        health.stationVehicles,
        health.stations,
      ],
    );
    await trx('feed_outages')
      .where('feed_id', feedId)
      .whereNull('ended_at')
      .update({ ended_at: at });
    await trx('feed_quarantine').where('feed_id', feedId).delete();
    if (health.quarantine.length > 0) {
      await trx('feed_quarantine').insert(
        health.quarantine.slice(0, QUARANTINE_KEPT).map((q) => ({
          feed_id: feedId,
          position: q.position,
          vehicle_id: q.vehicleId,
          path: q.path,
          reason: q.reason,
          record: JSON.stringify(q.record ?? null),
          at,
        })),
      );
    }
    return;
  }
  const { error } = health;
  await trx.raw(
    `insert into feed_health (feed_id, status, last_error_at, last_error_kind, last_error_message,
                              last_error_path, last_error_url, consecutive_failures,
                              last_duration_ms, feed_last_updated, feed_ttl_seconds, feed_version)
     values (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)
     on conflict (feed_id) do update
        set status = excluded.status, last_error_at = excluded.last_error_at,
            last_error_kind = excluded.last_error_kind,
            last_error_message = excluded.last_error_message,
            last_error_path = excluded.last_error_path, last_error_url = excluded.last_error_url,
            consecutive_failures = feed_health.consecutive_failures + 1,
            last_duration_ms = excluded.last_duration_ms,
            feed_last_updated = coalesce(excluded.feed_last_updated, feed_health.feed_last_updated),
            feed_ttl_seconds = coalesce(excluded.feed_ttl_seconds, feed_health.feed_ttl_seconds),
            feed_version = coalesce(excluded.feed_version, feed_health.feed_version),
            updated_at = now()`,
    [
      feedId,
      health.status,
      at,
      error.kind,
      error.message,
      error.path,
      error.url,
      Math.round(health.durationMs),
      ...metaValues,
    ],
  );
  await trx.raw(
    `insert into feed_outages (feed_id, started_at, reason, message, path)
     values (?, ?, ?, ?, ?)
     on conflict (feed_id) where ended_at is null do nothing`,
    [feedId, outageStartedAt, error.kind, error.message, error.path],
  );
}

/**
 * Writes one feed's tick in one transaction: its events, the vehicles' new state, the zones of
 * its open park events, the operator's vehicle types, the feed's health and outages, and its
 * bookkeeping. Refused (nothing written) when the feed's version is not `expectedVersion`: another
 * process committed this feed since our state was loaded, and our diff would repeat its events.
 */
export async function commitFeed(db: Db, commit: FeedCommit): Promise<CommitResult> {
  const { feed } = commit;
  return db.transaction(async (trx) => {
    await trx.raw(
      'insert into feed_import_state (feed_id) values (?) on conflict (feed_id) do nothing',
      [feed.id],
    );
    const locked = await trx('feed_import_state')
      .select<{ version: string }[]>('version')
      .where('feed_id', feed.id)
      .forUpdate();
    if (Number(locked[0]?.version ?? 0) !== commit.expectedVersion) return { committed: false };

    await writeRegistry(trx, feed, commit.vehicleTypes, commit.systemName);
    await writeEvents(trx, feed, commit.events);
    await writeVehicleState(trx, feed, commit.upserts, commit.deletes);
    if (commit.stations) await writeStations(trx, feed, commit.at, commit.stations);
    await updateByRef(
      trx,
      'park_events',
      'start_time',
      commit.parkZones.map((p) => ({
        id: p.id,
        startTime: p.startTime,
        zone_ids: p.zones.zoneIds,
        municipality_code: p.zones.municipalityCode,
      })),
      ', zone_ids uuid[], municipality_code text',
      'zone_ids = x.zone_ids, municipality_code = x.municipality_code',
      '(t.zone_ids, t.municipality_code) is distinct from (x.zone_ids, x.municipality_code)',
    );
    if (commit.health) {
      await writeHealth(trx, feed.id, commit.at, commit.health, commit.lowCountSince ?? commit.at);
    }

    const version = commit.expectedVersion + 1;
    await trx('feed_import_state')
      .where('feed_id', feed.id)
      .update({
        version,
        zone_version: commit.zoneVersion,
        low_count_since: commit.lowCountSince,
        ...(commit.watch
          ? {
              new_ids: commit.watch.newIds,
              returned_ids: commit.watch.returnedIds,
              rotating_detected_at: commit.watch.rotatingDetectedAt,
              empty_since: commit.watch.emptySince,
              churn: commit.watch.churn,
            }
          : {}),
        ...(commit.snapshot
          ? {
              last_snapshot_at: commit.snapshot.fetchedAt,
              last_feed_updated_at: commit.snapshot.lastUpdatedAt,
            }
          : {}),
      });
    return { committed: true, version };
  });
}
