import type { Knex } from 'knex';
import type { Scope } from '../../lib/auth/scope';
import { EVERYONE, type ScopeRule, type ScopedDb } from '../../lib/auth/scopedDb';
import { bucketStart, nextBucket, type SeriesResolution } from '../../lib/time/buckets';
import { HOUR, MINUTE } from '../../lib/units';
import type { ZoneRow } from '../../lib/domain/zones';

export type SeriesAggregate = 'MIN' | 'MAX' | 'AVG';
export type SeriesGroupBy = 'OPERATOR' | 'FORM_FACTOR';
export type SeriesSource = '5m' | 'hour' | 'day';

/**
 * Series rows are fleet data: seen by the zone's municipality (every operator, and the '*' rows
 * of all operators together) and by an operator (its own rows), as park events and trips are.
 */
export const SERIES_SCOPE_RULE: ScopeRule = {
  municipalityColumn: 'municipality_code',
  operatorColumn: 'operator_id',
};

/** The values of a series: availability's three, rentals' two. */
export const SERIES_VALUES = {
  availability: ['available', 'unavailable', 'total'],
  rentals: ['started', 'ended'],
} as const;
export type SeriesValue = (typeof SERIES_VALUES)[keyof typeof SERIES_VALUES][number];

export interface SeriesQuery {
  /** The arguments in one string: queries with the same id are the same query. */
  id: string;
  measure: 'availability' | 'rentals';
  /** The values asked for (of the measure's, in its order): only these are read. */
  values: SeriesValue[];
  resolution: SeriesResolution;
  aggregate: SeriesAggregate;
  /** Sorted, without duplicates. */
  groupBy: SeriesGroupBy[];
  timeZone: string;
  /** Bucket boundaries: bucket i is [bounds[i], bounds[i + 1]). */
  bounds: number[];
  source: SeriesSource;
}

export interface SeriesGroup {
  operatorId: string | null;
  formFactor: string | null;
  available: (number | null)[];
  unavailable: (number | null)[];
  total: (number | null)[];
  started: (number | null)[];
  ended: (number | null)[];
}

export interface SeriesResult {
  query: SeriesQuery;
  groups: SeriesGroup[];
}

/** The bucket starts of a query: the zones of one batch share the query, so they share these. */
const bucketStartsOf = new WeakMap<SeriesQuery, Date[]>();
export function bucketStarts(query: SeriesQuery): Date[] {
  let starts = bucketStartsOf.get(query);
  if (!starts) {
    starts = query.bounds.slice(0, -1).map((b) => new Date(b));
    bucketStartsOf.set(query, starts);
  }
  return starts;
}

/** How a caller sees one zone's counts: all operators, only its own fleets, or not at all. */
export type SeriesView = 'ALL' | 'OWN_FLEETS' | 'NONE';

export function seriesView(scope: Scope, zone: ZoneRow): SeriesView {
  if (scope.admin) return 'ALL';
  if (zone.municipality_code && scope.municipalities.includes(zone.municipality_code)) return 'ALL';
  return scope.operators.length > 0 ? 'OWN_FLEETS' : 'NONE';
}

/**
 * One zone x group's series, aggregated in SQL: `b` the 1-based buckets that have a row (in no
 * particular order), `v` one array per value (availability: available, unavailable, total;
 * rentals: started, ended) in the same order as `b`, `p` (MIN only) the sub-buckets with a row.
 * They arrive as JSON, which the driver parses natively: a year of days for 300 zones is 300
 * rows, not 109 200. AVG is divided and MIN completed with the coverage in JavaScript, so the
 * statement reads the series table alone.
 */
interface ColumnRow {
  zone_id: string;
  operator_id: string;
  form_factor: string;
  b: number[];
  v: (number | null)[][];
  p?: number[];
}

/** A PostgreSQL array literal of the bounds: one parameter, however many buckets. */
function boundsLiteral(bounds: number[]): string {
  return `{${bounds.map((b) => new Date(b).toISOString()).join(',')}}`;
}

/** The resolution whose buckets are the rows of each table, one row per bucket. */
const ROW_RESOLUTION: Record<SeriesSource, SeriesResolution> = {
  '5m': 'FIVE_MINUTES',
  hour: 'HOUR',
  day: 'DAY',
};

const FIVE_MINUTE_AGGREGATES = `count(*)::int as present,
  sum(available)::float8 as a_sum, min(available) as a_min, max(available) as a_max,
  sum(unavailable)::float8 as u_sum, min(unavailable) as u_min, max(unavailable) as u_max,
  min(available + unavailable) as t_min, max(available + unavailable) as t_max,
  sum(started)::int as started, sum(ended)::int as ended`;

const ROLLUP_AGGREGATES = `count(*)::int as present,
  sum(available_sum)::float8 as a_sum, min(available_min) as a_min,
  max(available_max) as a_max, sum(unavailable_sum)::float8 as u_sum,
  min(unavailable_min) as u_min, max(unavailable_max) as u_max,
  min(total_min) as t_min, max(total_max) as t_max,
  sum(started)::int as started, sum(ended)::int as ended`;

/** The same names when each row is one bucket: nothing to aggregate. */
const FIVE_MINUTE_ROW = `1 as present,
  available as a_sum, available as a_min, available as a_max,
  unavailable as u_sum, unavailable as u_min, unavailable as u_max,
  available + unavailable as t_min, available + unavailable as t_max, started, ended`;

const ROLLUP_ROW = `1 as present,
  available_sum as a_sum, available_min as a_min, available_max as a_max,
  unavailable_sum as u_sum, unavailable_min as u_min, unavailable_max as u_max,
  total_min as t_min, total_max as t_max, started, ended`;

const TABLES: Record<SeriesSource, string> = {
  '5m': 'zone_stats_5m',
  hour: 'zone_stats_hour',
  day: 'zone_stats_day',
};

/** The aggregate over 5-minute rows already summed per tick. */
const AGGREGATES = `count(*)::int as present,
  sum(a_sum)::float8 as a_sum, min(a_min) as a_min, max(a_max) as a_max,
  sum(u_sum)::float8 as u_sum, min(u_min) as u_min, max(u_max) as u_max,
  min(t_min) as t_min, max(t_max) as t_max,
  sum(started)::int as started, sum(ended)::int as ended`;

/** Per value and aggregate, the stored values a bucket's answer is made of (see `finish`). */
const VALUE_COLUMNS: Record<SeriesValue, Record<SeriesAggregate, string>> = {
  available: { MIN: 'r.a_min', MAX: 'r.a_max', AVG: 'r.a_sum' },
  unavailable: { MIN: 'r.u_min', MAX: 'r.u_max', AVG: 'r.u_sum' },
  total: { MIN: 'r.t_min', MAX: 'r.t_max', AVG: 'r.a_sum + r.u_sum' },
  started: { MIN: 'r.started', MAX: 'r.started', AVG: 'r.started' },
  ended: { MIN: 'r.ended', MAX: 'r.ended', AVG: 'r.ended' },
};

/** Per bucket: the sub-buckets computed (`sub`) and the 5-minute ticks in them (`ticks`). */
interface Coverage {
  sub: number[];
  ticks: number[];
}

/**
 * The value of bucket `i` (0-based) from its stored value `v` and `present` sub-buckets with a row:
 * AVG divides by the ticks computed; MIN is 0 when the group is missing from a computed
 * sub-bucket (it had no vehicles there); MAX is the largest stored maximum.
 */
function finish(
  query: SeriesQuery,
  coverage: Coverage,
  i: number,
  v: number | null,
  present: number,
): number | null {
  if (v === null) return null;
  if (query.measure === 'rentals') return v;
  switch (query.aggregate) {
    case 'MIN':
      return present >= (coverage.sub[i] ?? 0) ? v : 0;
    case 'MAX':
      return v;
    case 'AVG':
      return v / (coverage.ticks[i] ?? 1);
  }
}

/**
 * The packed rows of the all-operators level (jobs/zoneStats/packed.ts) answer a query without
 * groups seen whole (a municipality's zones): a row per zone and local month of daily slots for
 * the day source, per zone and UTC day of quarter-hour slots for FIFTEEN_MINUTES.
 */
interface Packing {
  table: 'zone_stats_day_packed' | 'zone_stats_15m_packed';
  /** The start of the period (row) holding the slot of instant `ms`. */
  periodStart: (ms: number) => number;
  /** The starts of a period's slots. */
  slotStarts: (period: number) => number[];
  /** Whether a slot's MIN is already completed over its ticks (one slot is one bucket). */
  complete: boolean;
}

const QUARTER_MS = 15 * MINUTE;
const DAY_MS = 24 * HOUR;

function packingOf(query: SeriesQuery): Packing | null {
  if (query.groupBy.length > 0) return null;
  if (query.source === 'day') {
    const tz = query.timeZone;
    return {
      table: 'zone_stats_day_packed',
      periodStart: (ms) => bucketStart('MONTH', tz, ms),
      slotStarts: (period) => {
        const starts: number[] = [];
        const end = nextBucket('MONTH', tz, period);
        for (let d = period; d < end; d = nextBucket('DAY', tz, d)) starts.push(d);
        return starts;
      },
      complete: false,
    };
  }
  if (query.resolution === 'FIFTEEN_MINUTES' && query.bounds.every((b) => b % QUARTER_MS === 0)) {
    return {
      table: 'zone_stats_15m_packed',
      periodStart: (ms) => ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS),
      slotStarts: (period) => Array.from({ length: 96 }, (_v, i) => period + i * QUARTER_MS),
      complete: true,
    };
  }
  return null;
}

/**
 * Per value and aggregate, the packed columns a slot's value is made of (added up) and how the
 * slots of one bucket combine.
 */
const PACKED_READS: Record<
  SeriesValue,
  Record<SeriesAggregate, { columns: string[]; combine: 'sum' | 'min' | 'max' }>
> = {
  available: {
    MIN: { columns: ['available_min'], combine: 'min' },
    MAX: { columns: ['available_max'], combine: 'max' },
    AVG: { columns: ['available_sum'], combine: 'sum' },
  },
  unavailable: {
    MIN: { columns: ['unavailable_min'], combine: 'min' },
    MAX: { columns: ['unavailable_max'], combine: 'max' },
    AVG: { columns: ['unavailable_sum'], combine: 'sum' },
  },
  total: {
    MIN: { columns: ['total_min'], combine: 'min' },
    MAX: { columns: ['total_max'], combine: 'max' },
    AVG: { columns: ['available_sum', 'unavailable_sum'], combine: 'sum' },
  },
  started: {
    MIN: { columns: ['started'], combine: 'sum' },
    MAX: { columns: ['started'], combine: 'sum' },
    AVG: { columns: ['started'], combine: 'sum' },
  },
  ended: {
    MIN: { columns: ['ended'], combine: 'sum' },
    MAX: { columns: ['ended'], combine: 'sum' },
    AVG: { columns: ['ended'], combine: 'sum' },
  },
};

/** One zone's packed rows: per period, its start (epoch ms) and the slot arrays read. */
interface PackedRow {
  zone_id: string;
  p: [number, ...(number | null)[][]][];
}

/** Per query and period: the 0-based bucket of each slot (-1 outside the bounds). */
const slotBucketsOf = new WeakMap<SeriesQuery, Map<number, Int32Array>>();
function slotBuckets(query: SeriesQuery, packing: Packing, period: number): Int32Array {
  let byPeriod = slotBucketsOf.get(query);
  if (!byPeriod) {
    byPeriod = new Map();
    slotBucketsOf.set(query, byPeriod);
  }
  let buckets = byPeriod.get(period);
  if (!buckets) {
    const bounds = query.bounds;
    const starts = packing.slotStarts(period);
    buckets = new Int32Array(starts.length).fill(-1);
    starts.forEach((t, i) => {
      // The last bound at or before t (binary search); t past the last bound is outside.
      let lo = 0;
      let hi = bounds.length - 1;
      if (t < (bounds[0] ?? 0) || t >= (bounds[hi] ?? 0)) return;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if ((bounds[mid] ?? 0) <= t) lo = mid;
        else hi = mid;
      }
      (buckets as Int32Array)[i] = lo;
    });
    byPeriod.set(period, buckets);
  }
  return buckets;
}

/** A zone's packed slots combined into its buckets: the rows `assemble` takes. */
function packedColumnRows(
  query: SeriesQuery,
  packing: Packing,
  rows: PackedRow[],
  columns: string[],
  coverage: Coverage,
): ColumnRow[] {
  const n = query.bounds.length - 1;
  const reads = query.values.map((value) => {
    const read = PACKED_READS[value][query.aggregate];
    return { combine: read.combine, at: read.columns.map((c) => 1 + columns.indexOf(c)) };
  });
  // Plain loops over typed arrays: a year of days for 300 zones is ~120 000 slots a value.
  const present = new Int32Array(n);
  const acc = reads.map(() => new Float64Array(n));
  return rows.map((row) => {
    present.fill(0);
    for (const period of row.p) {
      const buckets = slotBuckets(query, packing, Math.round(period[0]));
      const first = period[1] as (number | null)[];
      for (let i = 0; i < buckets.length; i += 1) {
        const b = buckets[i] as number;
        if (b < 0 || first[i] === null || first[i] === undefined) continue;
        const seen = present[b] as number;
        present[b] = seen + 1;
        for (let c = 0; c < reads.length; c += 1) {
          const read = reads[c] as (typeof reads)[number];
          const values = acc[c] as Float64Array;
          let x = 0;
          for (const at of read.at) x += (period[at] as (number | null)[])[i] ?? 0;
          if (read.combine === 'sum') values[b] = (seen === 0 ? 0 : (values[b] as number)) + x;
          else if (seen === 0) values[b] = x;
          else if (read.combine === 'min') values[b] = Math.min(values[b] as number, x);
          else values[b] = Math.max(values[b] as number, x);
        }
      }
    }
    const b: number[] = [];
    for (let i = 0; i < n; i += 1) if ((present[i] as number) > 0) b.push(i);
    return {
      zone_id: row.zone_id,
      operator_id: '*',
      form_factor: '*',
      b: b.map((i) => i + 1),
      v: acc.map((values) => b.map((i) => values[i] as number)),
      // A complete slot is its bucket's whole answer: as present as the bucket's coverage.
      p: b.map((i) => (packing.complete ? (coverage.sub[i] ?? 0) : (present[i] as number))),
    };
  });
}

/**
 * Reads series for many zones with one SQL query per kind of view (at most two), plus one for
 * the coverage: the zones of a `zones(...) { edges { node { availability } } }` page share them.
 * Each SQL query returns one row per zone and group with the zone's columns already computed.
 */
export function createSeriesReader(scoped: ScopedDb) {
  const raw = (sql: string, bindings: readonly Knex.RawBinding[] = []) =>
    scoped.writer.raw(sql, bindings);

  /** The bucket rows (operator, form factor, b, aggregates) of one view, of the zone `z.id`. */
  function bucketRows(
    query: SeriesQuery,
    view: 'ALL' | 'OWN_FLEETS',
  ): Knex.QueryBuilder | Knex.Raw {
    const from = new Date(query.bounds[0] ?? 0);
    const to = new Date(query.bounds[query.bounds.length - 1] ?? 0);
    const bounds = boundsLiteral(query.bounds);
    const byOperator = query.groupBy.includes('OPERATOR');
    const byFormFactor = query.groupBy.includes('FORM_FACTOR');
    const table = TABLES[query.source];
    const base = scoped
      .from(table, SERIES_SCOPE_RULE)
      .whereRaw('zone_id = z.id')
      .andWhere('bucket_start', '>=', from)
      .andWhere('bucket_start', '<', to);
    if (query.source === '5m' && view === 'OWN_FLEETS') {
      // Some operators' fleets: their per-operator rows added up per tick, then aggregated.
      const op = byOperator ? 'operator_id' : `'*'`;
      const ff = byFormFactor ? 'form_factor' : `'*'`;
      base
        .whereNot('operator_id', '*')
        .whereNot('form_factor', '*')
        .select(
          'bucket_start',
          raw(`${op} as operator_id`),
          raw(`${ff} as form_factor`),
          raw(`sum(available)::int as a_sum, sum(available)::int as a_min,
               sum(available)::int as a_max, sum(unavailable)::int as u_sum,
               sum(unavailable)::int as u_min, sum(unavailable)::int as u_max,
               sum(available + unavailable)::int as t_min,
               sum(available + unavailable)::int as t_max,
               sum(started)::int as started, sum(ended)::int as ended`),
        )
        .groupByRaw('1, 2, 3');
      return raw(
        `select operator_id, form_factor,
                width_bucket(bucket_start, ?::timestamptz[]) as b, ${AGGREGATES}
           from (?) as t group by 1, 2, 3`,
        [bounds, base],
      );
    }
    // Every table keeps the four grouping levels: read the one asked for (own fleets: each
    // operator's rows, of which the caller sees one operator's here). The levels are literals,
    // so the planner can use the partial indexes of the all-operators level.
    if (byOperator || view === 'OWN_FLEETS') base.whereRaw(`operator_id <> '*'`);
    else base.whereRaw(`operator_id = '*'`);
    if (byFormFactor) base.whereRaw(`form_factor <> '*'`);
    else base.whereRaw(`form_factor = '*'`);
    // When the table's rows are the buckets asked for (DAY from the daily rows, ...), each row is
    // its bucket's answer: no aggregation, the statement is a scan.
    const oneRowPerBucket = ROW_RESOLUTION[query.source] === query.resolution;
    const fiveMinutes = query.source === '5m';
    base.select(
      raw(byOperator ? 'operator_id' : `'*' as operator_id`),
      raw(byFormFactor ? 'form_factor' : `'*' as form_factor`),
      raw(`width_bucket(bucket_start, ?::timestamptz[]) as b`, [bounds]),
      raw(
        oneRowPerBucket
          ? fiveMinutes
            ? FIVE_MINUTE_ROW
            : ROLLUP_ROW
          : fiveMinutes
            ? FIVE_MINUTE_AGGREGATES
            : ROLLUP_AGGREGATES,
      ),
    );
    if (!oneRowPerBucket) base.groupByRaw('1, 2, 3');
    return base;
  }

  /**
   * One row per zone and group: its buckets and stored values. Each zone's rows are aggregated
   * apart (a lateral join per zone): no sort or hash of every zone's rows together.
   */
  async function columnRows(
    query: SeriesQuery,
    zoneIds: string[],
    view: 'ALL' | 'OWN_FLEETS',
  ): Promise<ColumnRow[]> {
    const values = query.values.map((v) => VALUE_COLUMNS[v][query.aggregate]);
    const present =
      query.measure === 'availability' && query.aggregate === 'MIN'
        ? ', json_agg(r.present) as p'
        : '';
    const { rows } = await scoped.writer.raw<{ rows: ColumnRow[] }>(
      `select z.id as zone_id, g.*
         from unnest(?::uuid[]) as z(id)
        cross join lateral (
          select r.operator_id, r.form_factor, json_agg(r.b) as b,
                 json_build_array(${values.map((v) => `json_agg(${v})`).join(', ')}) as v${present}
            from (?) as r
           group by 1, 2) as g`,
      [`{${zoneIds.join(',')}}`, bucketRows(query, view)],
    );
    return rows;
  }

  /** The packed rows of these zones over the query's periods, as JSON per zone. */
  async function packedRows(
    query: SeriesQuery,
    packing: Packing,
    zoneIds: string[],
    columns: string[],
  ): Promise<PackedRow[]> {
    return scoped
      .from(packing.table, SERIES_SCOPE_RULE)
      .whereRaw('zone_id = any(?::uuid[])', [`{${zoneIds.join(',')}}`])
      .andWhere('bucket_start', '>=', new Date(packing.periodStart(query.bounds[0] ?? 0)))
      .andWhere('bucket_start', '<', new Date(query.bounds[query.bounds.length - 1] ?? 0))
      .andWhere('operator_id', '*')
      .andWhere('form_factor', '*')
      .select(
        'zone_id',
        raw(
          `json_agg(json_build_array(extract(epoch from bucket_start) * 1000, ${columns.join(', ')})) as p`,
        ),
      )
      .groupBy('zone_id');
  }

  /** The rows of the zones seen whole: packed where a packing answers the query. */
  async function allRows(
    query: SeriesQuery,
    zoneIds: string[],
    covered: Promise<Coverage>,
  ): Promise<ColumnRow[]> {
    const packing = packingOf(query);
    if (!packing) return columnRows(query, zoneIds, 'ALL');
    const columns = [
      ...new Set(query.values.flatMap((v) => PACKED_READS[v][query.aggregate].columns)),
    ];
    const [rows, coverage] = await Promise.all([
      packedRows(query, packing, zoneIds, columns),
      covered,
    ]);
    return packedColumnRows(query, packing, rows, columns, coverage);
  }

  async function coverage(query: SeriesQuery): Promise<Coverage> {
    const result: { b: number; sub: number; ticks: number }[] = await scoped
      .from('zone_stats_coverage', EVERYONE)
      .where('resolution', query.source)
      .andWhere('bucket_start', '>=', new Date(query.bounds[0] ?? 0))
      .andWhere('bucket_start', '<', new Date(query.bounds[query.bounds.length - 1] ?? 0))
      .select(
        raw(`width_bucket(bucket_start, ?::timestamptz[]) as b`, [boundsLiteral(query.bounds)]),
        raw('count(*)::int as sub'),
        raw('sum(ticks)::int as ticks'),
      )
      .groupByRaw('1');
    const ticks = new Array<number>(query.bounds.length - 1).fill(0);
    const sub = new Array<number>(query.bounds.length - 1).fill(0);
    for (const row of result) {
      ticks[row.b - 1] = row.ticks;
      sub[row.b - 1] = row.sub;
    }
    return { ticks, sub };
  }

  return {
    /** The series of each zone (null where the caller sees no counts), in the order given. */
    async series(query: SeriesQuery, zones: ZoneRow[]): Promise<(SeriesResult | null)[]> {
      const views = zones.map((zone) => seriesView(scoped.scope, zone));
      const ids = (view: SeriesView) => zones.filter((_z, i) => views[i] === view).map((z) => z.id);
      const all = ids('ALL');
      const own = ids('OWN_FLEETS');
      const coverageRead = coverage(query);
      const [wholeRows, ownRows, covered] = await Promise.all([
        all.length > 0 ? allRows(query, all, coverageRead) : Promise.resolve([]),
        own.length > 0 ? columnRows(query, own, 'OWN_FLEETS') : Promise.resolve([]),
        coverageRead,
      ]);
      const byZone = new Map<string, ColumnRow[]>();
      for (const row of [...wholeRows, ...ownRows]) {
        const list = byZone.get(row.zone_id);
        if (list) list.push(row);
        else byZone.set(row.zone_id, [row]);
      }
      // Computed buckets with no row are zeros, the others null: one template for every zone.
      const empty = covered.ticks.map((t) => (t > 0 ? 0 : null));
      return zones.map((zone, i) =>
        views[i] === 'NONE' ? null : assemble(query, byZone.get(zone.id) ?? [], empty, covered),
      );
    },
  };
}

export type SeriesReader = ReturnType<typeof createSeriesReader>;

/** Turns a zone's rows into its groups' columns: null where nothing was computed, else zero. */
function assemble(
  query: SeriesQuery,
  rows: ColumnRow[],
  empty: (number | null)[],
  coverage: Coverage,
): SeriesResult {
  const byOperator = query.groupBy.includes('OPERATOR');
  const byFormFactor = query.groupBy.includes('FORM_FACTOR');
  const groups = new Map<string, SeriesGroup>();
  const groupOf = (operatorId: string | null, formFactor: string | null): SeriesGroup => {
    const key = `${operatorId ?? ''}|${formFactor ?? ''}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        operatorId,
        formFactor,
        available: [...empty],
        unavailable: [...empty],
        total: [...empty],
        started: [...empty],
        ended: [...empty],
      };
      groups.set(key, group);
    }
    return group;
  };
  if (!byOperator && !byFormFactor) groupOf(null, null);
  for (const row of rows) {
    // One row per group (without OPERATOR, own-fleet rows are of a single operator).
    const group = groupOf(
      byOperator ? row.operator_id : null,
      byFormFactor ? row.form_factor : null,
    );
    query.values.forEach((value, c) => {
      const column = group[value];
      const values = row.v[c] ?? [];
      row.b.forEach((b, i) => {
        // Rows of buckets never computed (a recount under way) stay null, as the template says.
        if ((coverage.ticks[b - 1] ?? 0) > 0) {
          column[b - 1] = finish(query, coverage, b - 1, values[i] ?? null, row.p?.[i] ?? 1);
        }
      });
    });
  }
  const sorted = [...groups.values()].sort(
    (x, y) =>
      (x.operatorId ?? '').localeCompare(y.operatorId ?? '') ||
      (x.formFactor ?? '').localeCompare(y.formFactor ?? ''),
  );
  return { query, groups: sorted };
}

/** Which stored resolution answers a query: the coarsest whose buckets fit the bounds exactly. */
export function chooseSource(
  resolution: SeriesResolution,
  timeZone: string,
  seriesTimeZone: string,
  bounds: number[],
): SeriesSource {
  const calendar = resolution === 'DAY' || resolution === 'WEEK' || resolution === 'MONTH';
  if (calendar && timeZone === seriesTimeZone) return 'day';
  if (resolution !== 'FIVE_MINUTES' && resolution !== 'FIFTEEN_MINUTES') {
    if (bounds.every((b) => b % HOUR === 0)) return 'hour';
  }
  return '5m';
}
