import type { Knex } from 'knex';
import type { Scope } from '../../lib/auth/scope';
import { EVERYONE, type ScopeRule, type ScopedDb } from '../../lib/auth/scopedDb';
import type { FeedType, VehicleNowRow } from '../../lib/domain/fleet';
import type { FormFactor } from '../../lib/domain/formFactors';
import { ZONE_SCOPE_RULE } from '../../lib/domain/zones';
import type { BBox } from '../../lib/geo/geometry';
import { countOf } from '../../lib/sql/paging';

export type FeedAuthType = 'NONE' | 'HEADER' | 'OAUTH2_CLIENT_CREDENTIALS';

/** A zone as this subgraph knows it: its id; the zones subgraph resolves the rest. */
export interface ZoneRef {
  id: string;
}

export interface OperatorRow {
  id: string;
  name: string;
  system_name: string | null;
}

export interface VehicleTypeRow {
  operator_id: string;
  id: string;
  form_factor: FormFactor;
  propulsion_type: string;
  name: string | null;
}

/** A feed as the API shows it: the stored credentials are never selected, only their type. */
export interface FeedRow {
  id: string;
  operator_id: string;
  url: string;
  type: FeedType;
  auth_type: FeedAuthType;
  default_form_factor: FormFactor | null;
  default_vehicle_type_id: string | null;
  vehicle_types_url: string | null;
  expect_empty: boolean;
  active: boolean;
  rotating_ids: boolean | null;
  created_at: Date;
  updated_at: Date;
}

export interface FeedHealthRow {
  feed_id: string;
  status: 'OK' | 'DOWN' | 'STALE';
  last_success_at: Date | null;
  last_error_at: Date | null;
  last_error_kind: string | null;
  last_error_message: string | null;
  last_error_path: string | null;
  last_error_url: string | null;
  consecutive_failures: number;
  vehicles_in_last_snapshot: number | null;
  last_duration_ms: number | null;
  updated_at: Date;
  feed_last_updated: Date | null;
  feed_ttl_seconds: number | null;
  feed_version: string | null;
  notices: { kind: string; message: string; vehicles: number; at: string }[];
  quarantined_vehicles: number | null;
  unknown_type_vehicles: number | null;
  station_vehicles: number | null;
  stations_in_last_snapshot: number | null;
}

export interface FeedOutageRow {
  id: string;
  feed_id: string;
  started_at: Date;
  ended_at: Date | null;
  reason: string;
  message: string | null;
  path: string | null;
}

/** A vehicle listed in its feed now (`vehicles_now`). */
export type VehicleRow = VehicleNowRow;

export interface ParkEventRow {
  id: string;
  start_time: Date;
  end_time: Date | null;
  end_reason: 'RENTAL' | 'RELOCATION' | 'REMOVED' | 'OUTAGE' | null;
  vehicle_id: string;
  operator_id: string;
  form_factor: FormFactor;
  vehicle_type_id: string | null;
  lat: number;
  lng: number;
  zone_ids: string[];
  municipality_code: string | null;
  start_observed: boolean;
  /** start_time as PostgreSQL prints it, microseconds included: the keyset of a page. */
  start_key: string;
}

export interface AvailableVehicleRow {
  public_id: string;
  lat: number;
  lng: number;
  form_factor: FormFactor;
  operator_id: string;
  stale: boolean;
}

export type VehicleGroupBy = 'OPERATOR' | 'FORM_FACTOR' | 'MUNICIPALITY' | 'PLACEMENT' | 'ZONE';

export interface VehicleCountRow {
  operator_id: string | null;
  form_factor: FormFactor | null;
  municipality_code: string | null;
  zone_id: string | null;
  placement: VehiclePlacement | null;
  count: number;
}

/** Upper bounds of the parking-duration buckets in hours: < 2 d, 2-4 d, 4-7 d, 7-14 d, >= 14 d. */
export const DURATION_BOUNDS_HOURS = [48, 96, 168, 336] as const;

export interface ParkingDurationsRow {
  zone_id: string | null;
  municipality_code: string | null;
  at: Date;
  /** Five counts, one per bucket. */
  counts: number[];
}

export interface FleetFilter {
  municipalityCodes?: string[] | undefined;
  zoneIds?: string[] | undefined;
  bbox?: BBox | undefined;
  operatorIds?: string[] | undefined;
  formFactors?: FormFactor[] | undefined;
  /** Left out: both. The API's parser defaults it to FREE_FLOATING. */
  placements?: VehiclePlacement[] | undefined;
}

export type VehiclePlacement = 'FREE_FLOATING' | 'AT_STATION';

export type ParkingDurationsOf =
  | { zoneIds: string[]; municipalityCodes?: undefined }
  | { municipalityCodes: string[]; zoneIds?: undefined };

/** A keyed HMAC-SHA256 split into its padded inner and outer keys, so SQL can compute it. */
export interface HmacPads {
  inner: Buffer;
  outer: Buffer;
}

/**
 * Vehicles, park events (and rentals, trips) are seen by the municipality they are in and by their
 * operator; ADMIN sees all, anonymous callers nothing.
 */
export const FLEET_SCOPE_RULE: ScopeRule = {
  municipalityColumn: 'municipality_code',
  operatorColumn: 'operator_id',
};

/** Feeds: ADMIN and the operator's own organisation (and organisations it granted its data to). */
export const FEED_SCOPE_RULE: ScopeRule = { operatorColumn: 'operator_id' };

/** Tables keyed by feed_id are seen by whoever sees the feed. */
function feedChildRule(scope: Scope): ScopeRule {
  return {
    public: (q) => {
      q.whereIn('feed_id', (feeds) => {
        feeds.select('id').from('feeds').whereIn('operator_id', scope.operators);
      });
    },
  };
}

const VEHICLE_COLUMNS = [
  'feed_id',
  'vehicle_id',
  'operator_id',
  'lat',
  'lng',
  'zone_ids',
  'municipality_code',
  'form_factor',
  'vehicle_type_id',
  'is_reserved',
  'is_disabled',
  'last_reported_at',
  'stale',
  'seen_at',
  'station_id',
  'park_event_id',
  'parked_since',
] as const;

const PARK_EVENT_COLUMNS = [
  'id',
  'start_time',
  'end_time',
  'end_reason',
  'vehicle_id',
  'operator_id',
  'form_factor',
  'vehicle_type_id',
  'lat',
  'lng',
  'zone_ids',
  'municipality_code',
  'start_observed',
] as const;

const FEED_COLUMNS = [
  'id',
  'operator_id',
  'url',
  'type',
  'default_form_factor',
  'default_vehicle_type_id',
  'vehicle_types_url',
  'expect_empty',
  'active',
  'rotating_ids',
  'created_at',
  'updated_at',
] as const;

const OPERATOR_COLUMNS = ['id', 'name', 'system_name'] as const;
const VEHICLE_TYPE_COLUMNS = ['operator_id', 'id', 'form_factor', 'propulsion_type', 'name'];

const GROUP_COLUMNS: Record<VehicleGroupBy, string> = {
  OPERATOR: 'operator_id',
  FORM_FACTOR: 'form_factor',
  MUNICIPALITY: 'municipality_code',
  PLACEMENT: 'placement',
  ZONE: 'z.zone_id',
};

/** `array[?, ?]::uuid[]` with one placeholder per id (knex spreads a list binding). */
export function uuidArray(ids: readonly string[]): string {
  return `array[${ids.map(() => '?').join(', ')}]::uuid[]`;
}

function applyFilter(q: Knex.QueryBuilder, filter: FleetFilter): Knex.QueryBuilder {
  if (filter.municipalityCodes) q.whereIn('municipality_code', filter.municipalityCodes);
  if (filter.zoneIds) q.whereRaw(`zone_ids && ${uuidArray(filter.zoneIds)}`, filter.zoneIds);
  if (filter.operatorIds) q.whereIn('operator_id', filter.operatorIds);
  if (filter.formFactors) q.whereIn('form_factor', filter.formFactors);
  // Vehicles at a station (vehicles_now and park_events carry its station_id) are counted apart.
  const placements = new Set(filter.placements ?? ['FREE_FLOATING', 'AT_STATION']);
  if (!placements.has('AT_STATION')) q.whereNull('station_id');
  if (!placements.has('FREE_FLOATING')) q.whereNotNull('station_id');
  if (filter.bbox) {
    const [minLng, minLat, maxLng, maxLat] = filter.bbox;
    q.whereBetween('lat', [minLat, maxLat]).whereBetween('lng', [minLng, maxLng]);
  }
  return q;
}

/** Park events going on at `at`. The bound on start_time lets PostgreSQL skip later partitions. */
function parkedAt(q: Knex.QueryBuilder, at: Date): Knex.QueryBuilder {
  return q.where('start_time', '<=', at).andWhere((open) => {
    open.whereNull('end_time').orWhere('end_time', '>', at);
  });
}

/** Reads on behalf of a caller: every query starts from `scoped.from(table, rule)`. */
export function createVehiclesReader(scoped: ScopedDb) {
  const { scope } = scoped;
  // Builds SQL expressions for the selects below; it reads nothing by itself.
  const sql = (text: string, bindings: readonly Knex.RawBinding[] = []) =>
    scoped.writer.raw(text, bindings);
  const vehicles = (filter: FleetFilter) =>
    applyFilter(scoped.from('vehicles_now', FLEET_SCOPE_RULE), filter);
  const parkEvents = (filter: FleetFilter) =>
    applyFilter(scoped.from('park_events', FLEET_SCOPE_RULE), filter);
  // Deleted feeds (tombstones) are neither listed nor found.
  const feeds = () => scoped.from('feeds', FEED_SCOPE_RULE).whereNull('deleted_at');

  return {
    /** Vehicles now, ordered by (feed_id, vehicle_id), after the keyset `after`. */
    async vehiclesPage(
      filter: FleetFilter,
      limit: number,
      after: [string, string] | undefined,
    ): Promise<{ rows: VehicleRow[]; totalCount: number }> {
      const rows = vehicles(filter)
        .select<VehicleRow[]>(VEHICLE_COLUMNS)
        .orderBy([{ column: 'feed_id' }, { column: 'vehicle_id' }])
        .limit(limit);
      if (after) rows.whereRaw('(feed_id, vehicle_id) > (?::uuid, ?)', after);
      const [page, totalCount] = await Promise.all([rows, countOf(vehicles(filter))]);
      return { rows: page, totalCount };
    },

    vehiclesByKeys(keys: readonly { feedId: string; vehicleId: string }[]): Promise<VehicleRow[]> {
      return vehicles({})
        .select<VehicleRow[]>(VEHICLE_COLUMNS)
        .whereIn(
          ['feed_id', 'vehicle_id'],
          keys.map((k) => [k.feedId, k.vehicleId]),
        );
    },

    async vehicleCounts(
      filter: FleetFilter,
      groupBy: VehicleGroupBy[],
    ): Promise<VehicleCountRow[]> {
      const q = vehicles(filter);
      if (groupBy.includes('ZONE')) {
        const zoneIds = filter.zoneIds ?? [];
        q.joinRaw('cross join lateral unnest(zone_ids) as z(zone_id)').whereIn(
          'z.zone_id',
          zoneIds,
        );
      }
      const columns = groupBy.map((g) => GROUP_COLUMNS[g]);
      if (groupBy.includes('PLACEMENT')) {
        q.select(
          sql(
            `case when station_id is null then 'FREE_FLOATING' else 'AT_STATION' end as placement`,
          ),
        );
      }
      if (columns.length > 0) {
        q.select(columns.filter((c) => c !== 'placement'))
          .groupBy(columns)
          .orderBy(columns);
      }
      const rows = await q.count<Record<string, string | null>[]>({ count: '*' });
      return rows.map((row) => ({
        operator_id: groupBy.includes('OPERATOR') ? (row.operator_id ?? null) : null,
        form_factor: groupBy.includes('FORM_FACTOR') ? (row.form_factor as FormFactor) : null,
        municipality_code: groupBy.includes('MUNICIPALITY')
          ? (row.municipality_code ?? null)
          : null,
        zone_id: groupBy.includes('ZONE') ? (row.zone_id ?? null) : null,
        placement: groupBy.includes('PLACEMENT')
          ? ((row.placement ?? null) as VehiclePlacement | null)
          : null,
        count: Number(row.count),
      }));
    },

    /** Park events going on at `at`, ordered by (start_time, id). */
    async parkEventsAtPage(
      at: Date,
      filter: FleetFilter,
      limit: number,
      after: [string, string] | undefined,
    ): Promise<{ rows: ParkEventRow[]; totalCount: number }> {
      const rows = parkedAt(parkEvents(filter), at)
        .select<ParkEventRow[]>([...PARK_EVENT_COLUMNS, sql('start_time::text as start_key')])
        .orderBy([{ column: 'start_time' }, { column: 'id' }])
        .limit(limit);
      if (after) rows.whereRaw('(start_time, id) > (?::timestamptz, ?::uuid)', after);
      const [page, totalCount] = await Promise.all([
        rows,
        countOf(parkedAt(parkEvents(filter), at)),
      ]);
      return { rows: page, totalCount };
    },

    /**
     * By id; the start times bound the partitions searched. They come from DateTime values (whole
     * milliseconds), so the upper bound takes in the rest of the last millisecond.
     */
    async parkEventsByKeys(
      keys: readonly { id: string; startTime: Date }[],
    ): Promise<ParkEventRow[]> {
      const times = keys.map((k) => k.startTime.getTime());
      return parkEvents({})
        .select<ParkEventRow[]>([...PARK_EVENT_COLUMNS, sql('start_time::text as start_key')])
        .where('start_time', '>=', new Date(Math.min(...times)))
        .andWhere('start_time', '<', new Date(Math.max(...times) + 1))
        .whereIn(
          'id',
          keys.map((k) => k.id),
        );
    },

    /** Counts per bucket of parking duration at `at`, per zone or per municipality asked for. */
    async parkingDurations(
      of: ParkingDurationsOf,
      at: Date,
      filter: Pick<FleetFilter, 'formFactors' | 'operatorIds'>,
    ): Promise<ParkingDurationsRow[]> {
      const byZone = of.zoneIds !== undefined;
      const q = parkedAt(parkEvents({ ...filter, ...of }), at);
      if (byZone) {
        q.joinRaw('cross join lateral unnest(zone_ids) as z(zone_id)').whereIn(
          'z.zone_id',
          of.zoneIds,
        );
      }
      const key = byZone ? 'z.zone_id' : 'municipality_code';
      const [b0, b1, b2, b3] = DURATION_BOUNDS_HOURS;
      // A vehicle parked exactly 48 hours goes in the second bucket: each bound is the next one's minimum.
      const bucket = (name: string, fromHours: number | null, toHours: number | null) => {
        const conditions = [
          ...(fromHours === null
            ? []
            : [`start_time <= ?::timestamptz - interval '${fromHours} hours'`]),
          ...(toHours === null
            ? []
            : [`start_time > ?::timestamptz - interval '${toHours} hours'`]),
        ];
        return sql(`count(*) filter (where ${conditions.join(' and ')})::int as ${name}`, [
          ...(fromHours === null ? [] : [at]),
          ...(toHours === null ? [] : [at]),
        ]);
      };
      const rows = await q
        .select<{ key: string; b0: number; b1: number; b2: number; b3: number; b4: number }[]>(
          sql(`${key} as key`),
          bucket('b0', null, b0),
          bucket('b1', b0, b1),
          bucket('b2', b1, b2),
          bucket('b3', b2, b3),
          bucket('b4', b3, null),
        )
        .groupBy(key);
      const found = new Map(rows.map((r) => [r.key, [r.b0, r.b1, r.b2, r.b3, r.b4]]));
      const keys = byZone ? of.zoneIds : of.municipalityCodes;
      return keys.map((k) => ({
        zone_id: byZone ? k : null,
        municipality_code: byZone ? null : k,
        at,
        counts: found.get(k) ?? [0, 0, 0, 0, 0],
      }));
    },

    /**
     * Open data: vehicles available for rent now, each under an id that is an HMAC of its park
     * event id (computed in SQL, so pages can be keyed on it), ordered by that id.
     */
    async availablePage(
      area: { bbox: BBox } | { municipalityCode: string },
      formFactors: FormFactor[] | undefined,
      placements: VehiclePlacement[],
      pads: HmacPads,
      limit: number,
      after: string | undefined,
    ): Promise<{ rows: AvailableVehicleRow[]; totalCount: number }> {
      const publicId = `left(encode(sha256(?::bytea || sha256(?::bytea || convert_to(park_event_id::text, 'UTF8'))), 'hex'), 32)`;
      const idBindings = [pads.outer, pads.inner];
      // The open-data projection: only unreserved, working vehicles, only the columns below.
      const available = () => {
        const q = applyFilter(scoped.from('vehicles_now', EVERYONE), {
          formFactors,
          placements,
          ...('bbox' in area
            ? { bbox: area.bbox }
            : { municipalityCodes: [area.municipalityCode] }),
        });
        return q.where({ is_reserved: false, is_disabled: false }).whereNotNull('park_event_id');
      };
      const rows = available()
        .select<AvailableVehicleRow[]>(
          sql(`${publicId} as public_id`, idBindings),
          'lat',
          'lng',
          'form_factor',
          'operator_id',
          'stale',
        )
        .orderBy('public_id')
        .limit(limit);
      if (after !== undefined) rows.whereRaw(`${publicId} > ?`, [...idBindings, after]);
      const [page, totalCount] = await Promise.all([rows, countOf(available())]);
      return { rows: page, totalCount };
    },

    listOperators: () =>
      scoped.from('operators', EVERYONE).select<OperatorRow[]>(OPERATOR_COLUMNS).orderBy('name'),

    operatorsByIds: (ids: readonly string[]) =>
      scoped.from('operators', EVERYONE).select<OperatorRow[]>(OPERATOR_COLUMNS).whereIn('id', ids),

    vehicleTypes(operatorIds: readonly string[] | undefined) {
      const q = scoped
        .from('vehicle_types', EVERYONE)
        .select<VehicleTypeRow[]>(VEHICLE_TYPE_COLUMNS)
        .orderBy([{ column: 'operator_id' }, { column: 'id' }]);
      return operatorIds ? q.whereIn('operator_id', operatorIds) : q;
    },

    vehicleTypesByKeys: (keys: readonly { operatorId: string; id: string }[]) =>
      scoped
        .from('vehicle_types', EVERYONE)
        .select<VehicleTypeRow[]>(VEHICLE_TYPE_COLUMNS)
        .whereIn(
          ['operator_id', 'id'],
          keys.map((k) => [k.operatorId, k.id]),
        ),

    listFeeds(filter: { operatorIds?: readonly string[]; active?: boolean }) {
      const q = feeds()
        .select<FeedRow[]>([...FEED_COLUMNS, sql(`auth->>'type' as auth_type`)])
        .orderBy([{ column: 'operator_id' }, { column: 'url' }, { column: 'id' }]);
      if (filter.operatorIds) q.whereIn('operator_id', filter.operatorIds);
      if (filter.active !== undefined) q.where('active', filter.active);
      return q;
    },

    feedsByIds: (ids: readonly string[]) =>
      feeds()
        .select<FeedRow[]>([...FEED_COLUMNS, sql(`auth->>'type' as auth_type`)])
        .whereIn('id', ids),

    feedHealthByFeedIds: (feedIds: readonly string[]) =>
      scoped
        .from('feed_health', feedChildRule(scope))
        .select<FeedHealthRow[]>('*')
        .whereIn('feed_id', feedIds),

    /** Newest first, keyed by (started_at, id) descending. */
    async outagesPage(
      feedId: string,
      limit: number,
      after: [string, string] | undefined,
    ): Promise<{ rows: (FeedOutageRow & { start_key: string })[]; totalCount: number }> {
      const outages = () =>
        scoped.from('feed_outages', feedChildRule(scope)).where('feed_id', feedId);
      const rows = outages()
        .select<(FeedOutageRow & { start_key: string })[]>(
          'id',
          'feed_id',
          'started_at',
          'ended_at',
          'reason',
          'message',
          'path',
          sql('started_at::text as start_key'),
        )
        .orderBy([
          { column: 'started_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .limit(limit);
      if (after) rows.whereRaw('(started_at, id) < (?::timestamptz, ?::bigint)', after);
      const [page, totalCount] = await Promise.all([rows, countOf(outages())]);
      return { rows: page, totalCount };
    },

    /** Which of these zones the caller may see (the zones subgraph's own rule). */
    visibleZoneIds: async (ids: readonly string[]): Promise<Set<string>> => {
      const rows = await scoped
        .from('zones', ZONE_SCOPE_RULE)
        .whereIn('id', ids)
        .select<{ id: string }[]>('id');
      return new Set(rows.map((r) => r.id));
    },
  };
}

export type VehiclesReader = ReturnType<typeof createVehiclesReader>;

export interface FeedWrite {
  operator_id?: string;
  url?: string;
  type?: FeedType;
  auth?: Record<string, string>;
  default_form_factor?: FormFactor | null;
  default_vehicle_type_id?: string | null;
  vehicle_types_url?: string | null;
  expect_empty?: boolean;
  active?: boolean;
  rotating_ids?: boolean | null;
}

export interface FeedForReading {
  operator_id: string;
  url: string;
  type: FeedType;
  auth: Record<string, string>;
  vehicle_types_url: string | null;
  default_form_factor: FormFactor | null;
  default_vehicle_type_id: string | null;
}

const feedById = (trx: Knex.Transaction, id: string) =>
  trx('feeds')
    .where('id', id)
    .whereNull('deleted_at')
    .first<FeedRow | undefined>([...FEED_COLUMNS, trx.raw(`auth->>'type' as auth_type`)]);

export type FeedDeletionMode = 'KEEP_HISTORY' | 'PURGE';

export interface FeedDeletionRow {
  id: string;
  mode: FeedDeletionMode;
  deletedAt: Date;
  vehiclesRemoved: number;
  parkEventsRemoved: number;
  tripsRemoved: number;
  rentalsRemoved: number;
  nonOperationalPeriodsRemoved: number;
  recountFrom: Date | null;
  recountTo: Date | null;
}

/** The recorded tables of a feed, each with the index-friendly filter and its time columns. */
const HISTORY_TABLES = [
  { table: 'park_events', start: 'start_time', end: 'end_time' },
  { table: 'trips', start: 'start_time', end: 'end_time' },
  { table: 'rentals', start: 'at', end: 'at' },
  { table: 'non_operational_periods', start: 'start_time', end: 'end_time' },
] as const;

/**
 * Marks the computed days of the daily report that the period [from, to] touches (a day either
 * side, whatever the report's time zone) for a recompute by the next daily_report run. Each day's
 * advisory lock is the one its computation holds: a computation under way finishes first and is
 * marked after, and one that starts later waits for this purge and counts without the feed.
 */
async function requestDailyReportRecompute(
  trx: Knex.Transaction,
  from: Date,
  to: Date,
): Promise<void> {
  const { rows } = await trx.raw<{ rows: { day: string }[] }>(
    `select d::date::text as day
       from generate_series((?::timestamptz at time zone 'UTC')::date - 1,
                            (?::timestamptz at time zone 'UTC')::date + 1, interval '1 day') d`,
    [from, to],
  );
  for (const { day } of rows) {
    await trx.raw(`select pg_advisory_xact_lock(hashtext('daily_report:' || ?))`, [day]);
  }
  await trx('daily_report_days')
    .whereIn(
      'day',
      rows.map((r) => r.day),
    )
    .update({ recompute_requested_at: trx.fn.now() });
}

/**
 * Deletes a feed, in the mutation's transaction. Both modes: the feed becomes a tombstone
 * (inactive, `deleted_at`), so it is neither read nor listed and its vehicles leave vehicles_now.
 * KEEP_HISTORY leaves everything it recorded; the importer's next tick ends its vehicles' open
 * park events (OUTAGE), as for a feed switched off. PURGE removes what it recorded and its
 * state, and asks for the zone series, OD blocks and daily report days of the period it covered
 * to be recounted.
 * The feed's import bookkeeping is kept with its version bumped, so an import of the feed that
 * was under way commits nothing.
 */
async function deleteFeed(
  trx: Knex.Transaction,
  id: string,
  mode: FeedDeletionMode,
): Promise<FeedDeletionRow | undefined> {
  const feed = await trx('feeds')
    .where('id', id)
    .whereNull('deleted_at')
    .forUpdate()
    .first<{ operator_id: string } | undefined>('operator_id');
  if (!feed) return undefined;
  // Waits for an import commit of this feed under way, and refuses any that started before.
  await trx.raw(
    `insert into feed_import_state (feed_id) values (?) on conflict (feed_id)
       do update set version = feed_import_state.version + 1`,
    [id],
  );
  const [{ deleted_at: deletedAt }] = (await trx('feeds')
    .where('id', id)
    .update({
      deleted_at: trx.fn.now(),
      deletion_mode: mode,
      active: false,
      updated_at: trx.fn.now(),
    })
    .returning('deleted_at')) as [{ deleted_at: Date }];
  const listed = await trx('vehicle_state')
    .where('feed_id', id)
    .whereNull('gone_at')
    .count<{ count: string }[]>({ count: '*' });
  const result: FeedDeletionRow = {
    id,
    mode,
    deletedAt,
    vehiclesRemoved: Number(listed[0]?.count ?? 0),
    parkEventsRemoved: 0,
    tripsRemoved: 0,
    rentalsRemoved: 0,
    nonOperationalPeriodsRemoved: 0,
    recountFrom: null,
    recountTo: null,
  };
  if (mode === 'KEEP_HISTORY') return result;

  const of = (table: string) => trx(table).where({ operator_id: feed.operator_id, feed_id: id });
  const spans = await Promise.all(
    HISTORY_TABLES.map(({ table, start, end }) =>
      of(table).first<{ from: Date | null; to: Date | null }>(
        trx.raw(`min(${start}) as "from"`),
        trx.raw(`max(coalesce(${end}, ?)) as "to"`, [deletedAt]),
      ),
    ),
  );
  const froms = spans.flatMap((s) => (s?.from ? [s.from.getTime()] : []));
  const tos = spans.flatMap((s) => (s?.to ? [s.to.getTime()] : []));
  const removed: number[] = [];
  for (const { table } of HISTORY_TABLES) removed.push(await of(table).delete());
  [result.parkEventsRemoved, result.tripsRemoved, result.rentalsRemoved] = removed as [
    number,
    number,
    number,
  ];
  result.nonOperationalPeriodsRemoved = removed[3] ?? 0;
  for (const table of [
    'vehicle_state',
    'feed_health',
    'feed_outages',
    'feed_quarantine',
    'stations',
    'station_status_events',
  ]) {
    await trx(table).where('feed_id', id).delete();
  }
  if (froms.length > 0) {
    result.recountFrom = new Date(Math.min(...froms));
    result.recountTo = new Date(Math.max(...tos));
    await trx('zone_stats_recounts').insert({
      from_at: result.recountFrom,
      to_at: result.recountTo,
      reason: `feed ${id} purged`,
    });
    // OD blocks overlapping the period are recomputed by the next od_matrix run.
    await trx('od_blocks')
      .where('block_start', '<', result.recountTo)
      .andWhereRaw(`block_start + interval '4 hours' > ?`, [result.recountFrom])
      .update({ next_due_at: trx.fn.now() });
    await requestDailyReportRecompute(trx, result.recountFrom, result.recountTo);
  }
  return result;
}

/** Writes, inside the mutation's transaction, after the resolver has checked the caller may. */
export const vehiclesWriter = {
  async operatorExists(trx: Knex, id: string): Promise<boolean> {
    return (await trx('operators').where('id', id).first('id')) !== undefined;
  },

  async insertOperator(
    trx: Knex.Transaction,
    row: { id: string; name: string },
  ): Promise<OperatorRow> {
    const [created] = await trx('operators')
      .insert(row)
      .returning<OperatorRow[]>([...OPERATOR_COLUMNS]);
    return created!;
  },

  async renameOperator(
    trx: Knex.Transaction,
    id: string,
    name: string,
  ): Promise<OperatorRow | undefined> {
    const [updated] = await trx('operators')
      .where('id', id)
      .update({ name, updated_at: trx.fn.now() })
      .returning<OperatorRow[]>([...OPERATOR_COLUMNS]);
    return updated;
  },

  feedById,

  /** What reading the feed needs, credentials included (checking a patch before it is stored). */
  async feedForReading(db: Knex, id: string): Promise<FeedForReading | undefined> {
    return db('feeds')
      .where('id', id)
      .whereNull('deleted_at')
      .first<FeedForReading | undefined>(
        'operator_id',
        'url',
        'type',
        'auth',
        'vehicle_types_url',
        'default_form_factor',
        'default_vehicle_type_id',
      );
  },

  async insertFeed(trx: Knex.Transaction, row: FeedWrite): Promise<FeedRow> {
    const [created] = await trx('feeds')
      .insert({ ...row, auth: JSON.stringify(row.auth ?? { type: 'NONE' }) })
      .returning<{ id: string }[]>('id');
    return (await feedById(trx, created!.id))!;
  },

  deleteFeed,

  async updateFeed(
    trx: Knex.Transaction,
    id: string,
    patch: FeedWrite,
  ): Promise<FeedRow | undefined> {
    const { auth, ...rest } = patch;
    const updated = await trx('feeds')
      .where('id', id)
      .whereNull('deleted_at')
      .update({
        ...rest,
        ...(auth ? { auth: JSON.stringify(auth) } : {}),
        updated_at: trx.fn.now(),
      });
    return updated > 0 ? feedById(trx, id) : undefined;
  },
};
