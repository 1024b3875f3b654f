import type { Knex } from 'knex';
import type { Scope } from '../../lib/auth/scope';
import { EVERYONE, type ScopeRule, type ScopedDb } from '../../lib/auth/scopedDb';
import type { SeriesResolution } from '../../lib/time/buckets';
import { HOUR } from '../../lib/units';
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

export interface SeriesQuery {
  measure: 'availability' | 'rentals';
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

/** How a caller sees one zone's counts: all operators, only its own fleets, or not at all. */
export type SeriesView = 'ALL' | 'OWN_FLEETS' | 'NONE';

export function seriesView(scope: Scope, zone: ZoneRow): SeriesView {
  if (scope.admin) return 'ALL';
  if (zone.municipality_code && scope.municipalities.includes(zone.municipality_code)) return 'ALL';
  return scope.operators.length > 0 ? 'OWN_FLEETS' : 'NONE';
}

interface BucketRow {
  zone_id: string;
  operator_id: string;
  form_factor: string;
  b: number;
  present: number;
  a_sum: number;
  a_min: number;
  a_max: number;
  u_sum: number;
  u_min: number;
  u_max: number;
  t_min: number;
  t_max: number;
  started: number;
  ended: number;
}

/** A PostgreSQL array literal of the bounds: one parameter, however many buckets. */
function boundsLiteral(bounds: number[]): string {
  return `{${bounds.map((b) => new Date(b).toISOString()).join(',')}}`;
}

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

/**
 * Reads series for many zones with one SQL query per kind of view (at most two), plus one for
 * the coverage: the zones of a `zones(...) { edges { node { availability } } }` page share them.
 */
export function createSeriesReader(scoped: ScopedDb) {
  const raw = (sql: string, bindings: readonly Knex.RawBinding[] = []) =>
    scoped.writer.raw(sql, bindings);

  async function rows(
    query: SeriesQuery,
    zoneIds: string[],
    view: 'ALL' | 'OWN_FLEETS',
  ): Promise<BucketRow[]> {
    const from = new Date(query.bounds[0] ?? 0);
    const to = new Date(query.bounds[query.bounds.length - 1] ?? 0);
    const bounds = boundsLiteral(query.bounds);
    const byOperator = query.groupBy.includes('OPERATOR');
    const byFormFactor = query.groupBy.includes('FORM_FACTOR');
    const table = TABLES[query.source];
    const base = scoped
      .from(table, SERIES_SCOPE_RULE)
      .whereIn('zone_id', zoneIds)
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
          'zone_id',
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
        .groupByRaw('1, 2, 3, 4');
      const { rows: result } = await scoped.writer.raw<{ rows: BucketRow[] }>(
        `select zone_id, operator_id, form_factor,
                width_bucket(bucket_start, ?::timestamptz[]) as b, ${AGGREGATES}
           from (?) as t group by 1, 2, 3, 4`,
        [bounds, base],
      );
      return result;
    }
    // Every table keeps the four grouping levels: read the one asked for (own fleets: each
    // operator's rows, of which the caller sees one operator's here).
    if (byOperator || view === 'OWN_FLEETS') base.whereNot('operator_id', '*');
    else base.where('operator_id', '*');
    if (byFormFactor) base.whereNot('form_factor', '*');
    else base.where('form_factor', '*');
    base.select(
      'zone_id',
      raw(byOperator ? 'operator_id' : `'*' as operator_id`),
      'form_factor',
      raw(`width_bucket(bucket_start, ?::timestamptz[]) as b`, [bounds]),
      raw(query.source === '5m' ? FIVE_MINUTE_AGGREGATES : ROLLUP_AGGREGATES),
    );
    base.groupByRaw('1, 2, 3, 4');
    return (await base) as BucketRow[];
  }

  /** Per bucket: how many sub-buckets were computed, and from how many 5-minute ticks. */
  async function coverage(query: SeriesQuery): Promise<{ sub: number[]; ticks: number[] }> {
    const n = query.bounds.length - 1;
    const result = await scoped
      .from('zone_stats_coverage', EVERYONE)
      .where('resolution', query.source)
      .andWhere('bucket_start', '>=', new Date(query.bounds[0] ?? 0))
      .andWhere('bucket_start', '<', new Date(query.bounds[n] ?? 0))
      .select<{ b: number; sub: number; ticks: number }[]>(
        raw(`width_bucket(bucket_start, ?::timestamptz[]) as b`, [boundsLiteral(query.bounds)]),
        raw('count(*)::int as sub'),
        raw('sum(ticks)::int as ticks'),
      )
      .groupByRaw('1');
    const sub = new Array<number>(n).fill(0);
    const ticks = new Array<number>(n).fill(0);
    for (const row of result) {
      sub[row.b - 1] = row.sub;
      ticks[row.b - 1] = row.ticks;
    }
    return { sub, ticks };
  }

  return {
    /** The series of each zone (null where the caller sees no counts), in the order given. */
    async series(query: SeriesQuery, zones: ZoneRow[]): Promise<(SeriesResult | null)[]> {
      const views = zones.map((zone) => seriesView(scoped.scope, zone));
      const ids = (view: SeriesView) => zones.filter((_z, i) => views[i] === view).map((z) => z.id);
      const all = ids('ALL');
      const own = ids('OWN_FLEETS');
      const [allRows, ownRows, covered] = await Promise.all([
        all.length > 0 ? rows(query, all, 'ALL') : Promise.resolve([]),
        own.length > 0 ? rows(query, own, 'OWN_FLEETS') : Promise.resolve([]),
        coverage(query),
      ]);
      const byZone = new Map<string, BucketRow[]>();
      for (const row of [...allRows, ...ownRows]) {
        const list = byZone.get(row.zone_id);
        if (list) list.push(row);
        else byZone.set(row.zone_id, [row]);
      }
      return zones.map((zone, i) =>
        views[i] === 'NONE' ? null : assemble(query, byZone.get(zone.id) ?? [], covered),
      );
    },
  };
}

export type SeriesReader = ReturnType<typeof createSeriesReader>;

/** Turns bucket rows into columns: null where nothing was computed, zero where nothing was. */
function assemble(
  query: SeriesQuery,
  rows: BucketRow[],
  covered: { sub: number[]; ticks: number[] },
): SeriesResult {
  const n = query.bounds.length - 1;
  const byOperator = query.groupBy.includes('OPERATOR');
  const byFormFactor = query.groupBy.includes('FORM_FACTOR');
  const groups = new Map<string, SeriesGroup>();
  const groupOf = (operatorId: string | null, formFactor: string | null): SeriesGroup => {
    const key = `${operatorId ?? ''}|${formFactor ?? ''}`;
    let group = groups.get(key);
    if (!group) {
      const column = () =>
        Array.from({ length: n }, (_v, b) => ((covered.ticks[b] ?? 0) > 0 ? 0 : null));
      group = {
        operatorId,
        formFactor,
        available: column(),
        unavailable: column(),
        total: column(),
        started: column(),
        ended: column(),
      };
      groups.set(key, group);
    }
    return group;
  };
  if (!byOperator && !byFormFactor) groupOf(null, null);
  for (const row of rows) {
    const b = row.b - 1;
    const ticks = covered.ticks[b] ?? 0;
    if (b < 0 || b >= n || ticks === 0) continue;
    const group = groupOf(
      byOperator ? row.operator_id : null,
      byFormFactor ? row.form_factor : null,
    );
    // A group missing from some computed sub-bucket had zero vehicles there.
    const full = row.present >= (covered.sub[b] ?? 0);
    const pick = (sum: number, min: number, max: number): number => {
      switch (query.aggregate) {
        case 'MIN':
          return full ? min : 0;
        case 'MAX':
          return max;
        case 'AVG':
          return sum / ticks;
      }
    };
    // One row per group and bucket (without OPERATOR, own-fleet rows are of a single operator).
    const add = (column: (number | null)[], value: number) => {
      column[b] = value;
    };
    add(group.available, pick(row.a_sum, row.a_min, row.a_max));
    add(group.unavailable, pick(row.u_sum, row.u_min, row.u_max));
    add(group.total, pick(row.a_sum + row.u_sum, row.t_min, row.t_max));
    add(group.started, row.started);
    add(group.ended, row.ended);
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
