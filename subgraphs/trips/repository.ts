import type { Knex } from 'knex';
import type { Scope } from '../../lib/auth/scope';
import { EVERYONE, type ScopeRule, type ScopedDb } from '../../lib/auth/scopedDb';
import type { FormFactor } from '../../lib/domain/formFactors';
import { HOUR } from '../../lib/units';
import { ZONE_SCOPE_RULE, type ZoneKind } from '../../lib/domain/zones';
import { countOf } from '../../lib/sql/paging';

export type TripStatus = 'OPEN' | 'COMPLETED' | 'CANCELLED' | 'EXPIRED' | 'SUPERSEDED';
export type TripZoneMatch = 'START' | 'END' | 'START_OR_END';
export type RentalGroupBy = 'OPERATOR' | 'FORM_FACTOR' | 'MUNICIPALITY' | 'ZONE';
export type TimeInterval = 'HOUR' | 'DAY';

export interface TripRow {
  id: string;
  start_time: Date;
  end_time: Date | null;
  status: TripStatus;
  source: 'INFERRED' | 'MDS_EXACT';
  operator_id: string;
  vehicle_id: string | null;
  form_factor: FormFactor;
  vehicle_type_id: string | null;
  start_lat: number;
  start_lng: number;
  end_lat: number | null;
  end_lng: number | null;
  start_zone_ids: string[];
  end_zone_ids: string[] | null;
  municipality_code: string | null;
  end_municipality_code: string | null;
  distance_meters: number | null;
  /** start_time as PostgreSQL prints it, microseconds included: the keyset of a page. */
  start_key: string;
}

export interface RentalCountRow {
  start: Date;
  operator_id: string | null;
  form_factor: FormFactor | null;
  municipality_code: string | null;
  zone_id: string | null;
  starts: number;
  ends: number;
}

/** A grid cell of about 100 m: `lat_index` counts 0.001° of latitude, `lng_index` cells of ~111 m. */
export interface CellCountRow {
  lat_index: number;
  lng_index: number;
  count: number;
}

export type DailyIndicatorGroupBy = 'OPERATOR' | 'FORM_FACTOR';

/** The sums of the report's rows for one zone, day and group. */
export interface DailyIndicatorSums {
  zone_id: string;
  day: string;
  operator_id: string | null;
  form_factor: FormFactor | null;
  trips_started: number;
  trips_ended: number;
  rentals_completed: number;
  rental_seconds_total: number;
  vehicles: number[];
  parked_1d: number;
  parked_3d: number;
  parked_7d: number;
  parked_14d: number;
  non_operational_24h: number;
  non_operational_7d: number;
}

/** One entry of `Zone.dailyIndicators`: figures are null on a day the report hasn't computed. */
export interface DailyIndicatorsRow {
  day: string;
  timeZone: string;
  reported: boolean;
  operator_id: string | null;
  form_factor: FormFactor | null;
  sums: DailyIndicatorSums | null;
}

/** Days the report has computed, and in which time zone. */
export interface ReportedDayRow {
  day: string;
  time_zone: string;
}

export const VEHICLE_MOMENT_COLUMNS = [
  'vehicles_0330',
  'vehicles_0800',
  'vehicles_1030',
  'vehicles_1400',
  'vehicles_1700',
  'vehicles_2100',
] as const;

/** A report row is seen by its operator and by the municipality its zone lies in. */
export const DAILY_INDICATOR_SCOPE_RULE: ScopeRule = {
  municipalityColumn: 'municipality_code',
  operatorColumn: 'operator_id',
};

export interface ZoneKindRow {
  id: string;
  kind: ZoneKind;
}

export interface TripQuery {
  from: Date;
  to: Date;
  zoneIds?: string[] | undefined;
  municipalityCodes?: string[] | undefined;
  zoneMatch: TripZoneMatch;
  operatorIds?: string[] | undefined;
  formFactors?: FormFactor[] | undefined;
  statuses: TripStatus[];
}

export interface RentalQuery {
  from: Date;
  to: Date;
  zoneIds?: string[] | undefined;
  municipalityCodes?: string[] | undefined;
  operatorIds?: string[] | undefined;
  formFactors?: FormFactor[] | undefined;
}

/**
 * A trip is seen by its operator, by the municipality it started in and by the one it ended in.
 * ADMIN sees all, anonymous callers nothing.
 */
export function tripScopeRule(scope: Scope): ScopeRule {
  return {
    municipalityColumn: 'municipality_code',
    operatorColumn: 'operator_id',
    public: (q) => {
      q.whereIn('end_municipality_code', scope.municipalities);
    },
  };
}

/**
 * Where rental starts and ends are recorded. The importer records a rental of a feed with stable
 * vehicle ids as a trip (its start, and its end once the vehicle is back) and a rental of a feed
 * with rotating ids as a `rentals` row per start and per end, never both for one feed: every
 * rental is counted once by adding the three up.
 */
interface RentalSource {
  table: 'trips' | 'rentals';
  /** The moment of the start or end. */
  at: string;
  municipalityColumn: string;
  zonesColumn: string;
  starts: string;
  ends: string;
  /** Which rows count, given the time range. */
  where(q: Knex.QueryBuilder, query: RentalQuery): void;
}

/** A trip ending in a range started at most this long before it (as the daily report counts). */
const TRIP_END_LOOKBACK_MS = 31 * 24 * HOUR;

const RENTAL_SOURCES: RentalSource[] = [
  {
    table: 'rentals',
    at: 'at',
    municipalityColumn: 'municipality_code',
    zonesColumn: 'zone_ids',
    starts: `count(*) filter (where kind = 'START')::int`,
    ends: `count(*) filter (where kind = 'END')::int`,
    where: (q, query) => {
      q.where('at', '>=', query.from).andWhere('at', '<', query.to);
    },
  },
  {
    // A trip starts a rental once it is OPEN or COMPLETED (not a cancelled reservation, an
    // expired or a superseded inferred trip), as the daily report and the zone series count.
    table: 'trips',
    at: 'start_time',
    municipalityColumn: 'municipality_code',
    zonesColumn: 'start_zone_ids',
    starts: 'count(*)::int',
    ends: '0',
    where: (q, query) => {
      q.where('start_time', '>=', query.from)
        .andWhere('start_time', '<', query.to)
        .whereIn('status', ['OPEN', 'COMPLETED']);
    },
  },
  {
    table: 'trips',
    at: 'end_time',
    municipalityColumn: 'end_municipality_code',
    zonesColumn: 'end_zone_ids',
    starts: '0',
    ends: 'count(*)::int',
    where: (q, query) => {
      q.where('end_time', '>=', query.from)
        .andWhere('end_time', '<', query.to)
        // Bounds on start_time let PostgreSQL prune the partitions of trips.
        .andWhere('start_time', '>=', new Date(query.from.getTime() - TRIP_END_LOOKBACK_MS))
        .andWhere('start_time', '<', query.to)
        .where('status', 'COMPLETED');
    },
  },
];

/** Latitude cells are 0.001° (111 m); longitude cells span 111 m at the middle of the cell's 1° band. */
export const CELL_DEGREES = 0.001;
const LAT_INDEX = (column: string) => `floor(${column} * 1000)::int`;
const LNG_INDEX = (lat: string, lng: string) =>
  `floor(${lng} * 1000 * cos(radians(floor(floor(${lat} * 1000) / 1000) + 0.5)))::int`;

/** The centre of a cell, as its indices say. The same band formula as LNG_INDEX. */
export function cellCentre(latIndex: number, lngIndex: number): { lat: number; lng: number } {
  const band = Math.floor(latIndex / 1000) + 0.5;
  const lngCell = CELL_DEGREES / Math.cos((band * Math.PI) / 180);
  const round = (value: number) => Math.round(value * 1e6) / 1e6;
  return { lat: round((latIndex + 0.5) * CELL_DEGREES), lng: round((lngIndex + 0.5) * lngCell) };
}

const TRIP_COLUMNS = [
  'id',
  'start_time',
  'end_time',
  'status',
  'source',
  'operator_id',
  'vehicle_id',
  'form_factor',
  'vehicle_type_id',
  'start_lat',
  'start_lng',
  'end_lat',
  'end_lng',
  'start_zone_ids',
  'end_zone_ids',
  'municipality_code',
  'end_municipality_code',
  'distance_meters',
] as const;

/** `array[?, ?]::uuid[]` with one placeholder per id. */
function uuidArray(ids: readonly string[]): string {
  return `array[${ids.map(() => '?').join(', ')}]::uuid[]`;
}

/** Trips that started in [from, to): the bounds on start_time let PostgreSQL prune partitions. */
function applyTripQuery(q: Knex.QueryBuilder, query: TripQuery): Knex.QueryBuilder {
  q.where('start_time', '>=', query.from).andWhere('start_time', '<', query.to);
  q.whereIn('status', query.statuses);
  if (query.operatorIds) q.whereIn('operator_id', query.operatorIds);
  if (query.formFactors) q.whereIn('form_factor', query.formFactors);
  const atStart = query.zoneMatch !== 'END';
  const atEnd = query.zoneMatch !== 'START';
  const { zoneIds, municipalityCodes } = query;
  if (zoneIds) {
    q.where((zones) => {
      if (atStart) zones.orWhereRaw(`start_zone_ids && ${uuidArray(zoneIds)}`, zoneIds);
      if (atEnd) zones.orWhereRaw(`end_zone_ids && ${uuidArray(zoneIds)}`, zoneIds);
    });
  }
  if (municipalityCodes) {
    q.where((codes) => {
      if (atStart) codes.orWhereIn('municipality_code', municipalityCodes);
      if (atEnd) codes.orWhereIn('end_municipality_code', municipalityCodes);
    });
  }
  return q;
}

function applyRentalQuery(
  q: Knex.QueryBuilder,
  source: RentalSource,
  query: RentalQuery,
): Knex.QueryBuilder {
  source.where(q, query);
  if (query.operatorIds) q.whereIn('operator_id', query.operatorIds);
  if (query.formFactors) q.whereIn('form_factor', query.formFactors);
  if (query.municipalityCodes) q.whereIn(source.municipalityColumn, query.municipalityCodes);
  if (query.zoneIds) {
    q.whereRaw(`${source.zonesColumn} && ${uuidArray(query.zoneIds)}`, query.zoneIds);
  }
  return q;
}

/** The column of a source that a group-by value stands for. */
function groupColumn(source: RentalSource, group: RentalGroupBy): string {
  switch (group) {
    case 'OPERATOR':
      return 'operator_id';
    case 'FORM_FACTOR':
      return 'form_factor';
    case 'MUNICIPALITY':
      return source.municipalityColumn;
    case 'ZONE':
      return 'z.zone_id';
  }
}

/** By bucket, then by the groups in the order asked for (nulls last), as SQL would order them. */
function compareGroups(
  a: readonly (number | string | null)[],
  b: readonly (number | string | null)[],
) {
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x === y) continue;
    if (x === null) return 1;
    if (y === null) return -1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** Reads on behalf of a caller: every query starts from `scoped.from(table, rule)`. */
export function createTripsReader(scoped: ScopedDb) {
  // Builds SQL expressions for the selects below; it reads nothing by itself.
  const sql = (text: string, bindings: readonly Knex.RawBinding[] = []) =>
    scoped.writer.raw(text, bindings);
  const tripRule = tripScopeRule(scoped.scope);
  const trips = (query: TripQuery) => applyTripQuery(scoped.from('trips', tripRule), query);

  return {
    /** One page ordered by (start_time, id), after the keyset `after`. */
    async tripsPage(
      query: TripQuery,
      limit: number,
      after: [string, string] | undefined,
    ): Promise<{ rows: TripRow[]; totalCount: number }> {
      const rows = trips(query)
        .select<TripRow[]>([...TRIP_COLUMNS, sql('start_time::text as start_key')])
        .orderBy([{ column: 'start_time' }, { column: 'id' }])
        .limit(limit);
      if (after) rows.whereRaw('(start_time, id) > (?::timestamptz, ?::uuid)', after);
      const [page, totalCount] = await Promise.all([rows, countOf(trips(query))]);
      return { rows: page, totalCount };
    },

    /**
     * By id; the start times bound the partitions searched. They come from DateTime values (whole
     * milliseconds), so the upper bound takes in the rest of the last millisecond.
     */
    tripsByKeys(keys: readonly { id: string; startTime: Date }[]): Promise<TripRow[]> {
      const times = keys.map((k) => k.startTime.getTime());
      return scoped
        .from('trips', tripRule)
        .select<TripRow[]>([...TRIP_COLUMNS, sql('start_time::text as start_key')])
        .where('start_time', '>=', new Date(Math.min(...times)))
        .andWhere('start_time', '<', new Date(Math.max(...times) + 1))
        .whereIn(
          'id',
          keys.map((k) => k.id),
        );
    },

    /** Trips per ~100 m cell of their start (or, for completed trips, end), busiest first. */
    async cellCounts(query: TripQuery, end: boolean, limit: number): Promise<CellCountRow[]> {
      const lat = end ? 'end_lat' : 'start_lat';
      const lng = end ? 'end_lng' : 'start_lng';
      const q = trips(query);
      if (end) q.whereNotNull('end_lat').whereNotNull('end_lng');
      const rows = await q
        .select(sql(`${LAT_INDEX(lat)} as lat_index`), sql(`${LNG_INDEX(lat, lng)} as lng_index`))
        .count<{ lat_index: number; lng_index: number; count: string }[]>({ count: '*' })
        .groupByRaw('1, 2')
        .orderByRaw('3 desc, 1, 2')
        .limit(limit);
      return rows.map((r) => ({ ...r, count: Number(r.count) }));
    },

    /**
     * Rental starts and ends per time bucket (in `timeZone`) and group: trips of feeds with stable
     * ids and rentals of feeds with rotating ids, each start and end seen by its operator and by
     * the municipality it happened in.
     */
    async rentalCounts(
      query: RentalQuery,
      interval: TimeInterval,
      groupBy: RentalGroupBy[],
      timeZone: string,
    ): Promise<RentalCountRow[]> {
      const unit = interval === 'HOUR' ? 'hour' : 'day';
      const perSource = await Promise.all(
        RENTAL_SOURCES.map((source) => {
          // A start or end is seen by its operator and by the municipality it happened in.
          const rule: ScopeRule = {
            municipalityColumn: source.municipalityColumn,
            operatorColumn: 'operator_id',
          };
          const q = applyRentalQuery(scoped.from(source.table, rule), source, query);
          if (groupBy.includes('ZONE')) {
            q.joinRaw(`cross join lateral unnest(${source.zonesColumn}) as z(zone_id)`).whereIn(
              'z.zone_id',
              query.zoneIds ?? [],
            );
          }
          const columns = groupBy.map((g) => groupColumn(source, g));
          const positions = ['1', ...columns.map((_c, i) => String(i + 2))].join(', ');
          return q
            .select<Record<string, unknown>[]>(
              sql(`date_trunc('${unit}', ${source.at}, ?) as start`, [timeZone]),
              ...columns.map((c, i) => sql(`${c} as g${i}`)),
              sql(`${source.starts} as starts`),
              sql(`${source.ends} as ends`),
            )
            .groupByRaw(positions);
        }),
      );
      const counts = new Map<
        string,
        { sortKey: (number | string | null)[]; row: RentalCountRow }
      >();
      for (const row of perSource.flat()) {
        const start = row.start as Date;
        const groups = groupBy.map((_g, i) => (row[`g${i}`] as string | null) ?? null);
        const sortKey = [start.getTime(), ...groups];
        const key = JSON.stringify(sortKey);
        const known = counts.get(key);
        if (known) {
          known.row.starts += row.starts as number;
          known.row.ends += row.ends as number;
          continue;
        }
        const group = (g: RentalGroupBy) => {
          const i = groupBy.indexOf(g);
          return i < 0 ? null : (groups[i] ?? null);
        };
        counts.set(key, {
          sortKey,
          row: {
            start,
            operator_id: group('OPERATOR'),
            form_factor: group('FORM_FACTOR') as FormFactor | null,
            municipality_code: group('MUNICIPALITY'),
            zone_id: group('ZONE'),
            starts: row.starts as number,
            ends: row.ends as number,
          },
        });
      }
      return [...counts.values()]
        .sort((a, b) => compareGroups(a.sortKey, b.sortKey))
        .map((c) => c.row);
    },

    /** The report's sums per zone, day and group, for these zones and days (both included). */
    async dailyIndicatorSums(
      zoneIds: readonly string[],
      from: string,
      to: string,
      groupBy: readonly DailyIndicatorGroupBy[],
    ): Promise<DailyIndicatorSums[]> {
      const groups = [
        ...(groupBy.includes('OPERATOR') ? ['operator_id'] : []),
        ...(groupBy.includes('FORM_FACTOR') ? ['form_factor'] : []),
      ];
      const query = scoped
        .from('daily_zone_indicators', DAILY_INDICATOR_SCOPE_RULE)
        .select(
          'zone_id',
          sql('day::text as day'),
          ...groups,
          ...[
            'trips_started',
            'trips_ended',
            'rentals_completed',
            'rental_seconds_total',
            ...VEHICLE_MOMENT_COLUMNS,
            'parked_1d',
            'parked_3d',
            'parked_7d',
            'parked_14d',
            'non_operational_24h',
            'non_operational_7d',
          ].map((c) => sql(`sum(${c})::float8 as ${c}`)),
        )
        .whereIn('zone_id', zoneIds)
        .whereBetween('day', [from, to])
        .groupBy(['zone_id', 'day', ...groups])
        .orderBy(['zone_id', 'day', ...groups]);
      const rows = (await query) as Record<string, unknown>[];
      return rows.map((r) => ({
        zone_id: r.zone_id as string,
        day: r.day as string,
        operator_id: (r.operator_id as string | undefined) ?? null,
        form_factor: (r.form_factor as FormFactor | undefined) ?? null,
        trips_started: r.trips_started as number,
        trips_ended: r.trips_ended as number,
        rentals_completed: r.rentals_completed as number,
        rental_seconds_total: r.rental_seconds_total as number,
        vehicles: VEHICLE_MOMENT_COLUMNS.map((c) => r[c] as number),
        parked_1d: r.parked_1d as number,
        parked_3d: r.parked_3d as number,
        parked_7d: r.parked_7d as number,
        parked_14d: r.parked_14d as number,
        non_operational_24h: r.non_operational_24h as number,
        non_operational_7d: r.non_operational_7d as number,
      }));
    },

    /** The days from `from` to `to` that the report has computed (reference data: everyone). */
    reportedDays: (from: string, to: string): Promise<ReportedDayRow[]> =>
      scoped
        .from('daily_report_days', EVERYONE)
        .select<ReportedDayRow[]>(sql('day::text as day'), 'time_zone')
        .whereBetween('day', [from, to]),

    /** The kinds of these zones, of those the caller may see (the zones subgraph's own rule). */
    zoneKinds: (ids: readonly string[]): Promise<ZoneKindRow[]> =>
      scoped.from('zones', ZONE_SCOPE_RULE).whereIn('id', ids).select<ZoneKindRow[]>('id', 'kind'),
  };
}

export type TripsReader = ReturnType<typeof createTripsReader>;
