import type { Knex } from 'knex';
import type { Scope } from '../../lib/auth/scope';
import type { ScopeRule, ScopedDb } from '../../lib/auth/scopedDb';
import { dateOf, dayMs, type OdLevel } from '../../lib/domain/od';
import { ZONE_SCOPE_RULE } from '../../lib/domain/zones';
import type { ParsedOdFilter } from './input';

/** What one odFlows question asks, parsed and checked. */
export interface OdSelection extends ParsedOdFilter {
  level: OdLevel;
  origins?: string[] | undefined;
  destinations?: string[] | undefined;
  top: number;
}

export interface OdFlowRow {
  level: OdLevel;
  origin: string;
  destination: string;
  trips: number;
  mean_duration_seconds: number;
  mean_distance_meters: number | null;
}

/** The row of trips without an end that `answer` adds to the flows. */
interface WithoutEndRow {
  origin: null;
  trips: number;
}

export interface OdPlaceRow {
  id: string;
  level: OdLevel;
}

export interface ZoneKindRow {
  id: string;
  kind: string;
}

/**
 * A flow is seen by the operator whose fleet made it and by the municipalities it started or ended
 * in; ADMIN sees all. Anonymous callers have no municipalities and no operators: they see nothing,
 * as for trips (lib/auth/scopedDb.ts: no clause applies, so no row).
 */
export function odScopeRule(scope: Scope): ScopeRule {
  return {
    municipalityColumn: 'origin_municipality',
    operatorColumn: 'operator_id',
    public: (q) => {
      q.whereIn('destination_municipality', scope.municipalities);
    },
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

function addMonth(day: number): number {
  const d = new Date(day);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/**
 * The local days from..to as whole months (answered from od_flows_month) and the days around
 * them (answered from od_flows).
 */
export function splitRange(
  from: string,
  to: string,
): { months: string[]; days: [string, string][] } {
  const start = dayMs(from);
  const end = dayMs(to) + DAY_MS; // exclusive
  const firstMonth = new Date(start).getUTCDate() === 1 ? start : addMonth(start);
  const months: string[] = [];
  let m = firstMonth;
  while (addMonth(m) <= end) {
    months.push(dateOf(m));
    m = addMonth(m);
  }
  if (months.length === 0) return { months, days: [[from, to]] };
  const days: [string, string][] = [];
  if (start < firstMonth) days.push([from, dateOf(firstMonth - DAY_MS)]);
  if (m < end) days.push([dateOf(m), to]);
  return { months, days };
}

const UNIT_COLUMNS = [
  'origin',
  'destination',
  'trips',
  'duration_seconds_sum',
  'distance_meters_sum',
  'distance_trips',
];

/** Reads on behalf of a caller: every query starts from `scoped.from(table, rule)`. */
export function createOdReader(scoped: ScopedDb, minCount: number) {
  const rule = odScopeRule(scoped.scope);
  const db = scoped.writer;

  /**
   * The published units of both tables that match the filter, one union: those of trips with an
   * end (of the selected destinations, if any), and with `withoutEnd` those without one too.
   */
  const units = (s: OdSelection, withoutEnd: boolean): Knex.QueryBuilder => {
    const { months, days } = splitRange(s.from, s.to);
    const filtered = (table: string) => {
      const q = scoped.from(table, rule).where('level', s.level).select(UNIT_COLUMNS);
      if (s.weekdays) q.whereIn('weekday', s.weekdays);
      if (s.blocks) q.whereIn('block', s.blocks);
      if (s.formFactors) q.whereIn('form_factor', s.formFactors);
      if (s.operators) q.whereIn('operator_id', s.operators);
      if (s.origins) q.whereIn('origin', s.origins);
      const { destinations } = s;
      if (destinations) {
        q.where((d) => {
          d.whereIn('destination', destinations);
          if (withoutEnd) d.orWhereNull('destination');
        });
      } else if (!withoutEnd) q.whereNotNull('destination');
      return q;
    };
    const parts: Knex.QueryBuilder[] = [];
    if (days.length > 0) {
      parts.push(
        filtered('od_flows').where((q) => {
          for (const [a, b] of days) q.orWhereBetween('local_date', [a, b]);
        }),
      );
    }
    if (months.length > 0) {
      // Without weekdays and blocks, the months summed over both: 42 times fewer rows.
      const table = s.weekdays || s.blocks ? 'od_flows_month' : 'od_flows_month_all';
      parts.push(filtered(table).whereIn('month', months));
    }
    const [first, ...rest] = parts;
    if (!first) throw new Error('a range has days or months');
    return rest.length > 0 ? first.unionAll(rest, true) : first;
  };

  /**
   * The busiest flows, each a sum of published units with at least minCount trips; with
   * `withoutEnd`, also the trips of the selected origins without a known end (from published
   * units only), in the same statement: one round trip, one pass over the units.
   */
  const answer = async (s: OdSelection, withoutEnd: boolean) => {
    const flows = `select origin, destination, sum(trips)::int as trips,
                          sum(duration_seconds_sum)::float8 / sum(trips) as mean_duration_seconds,
                          case when sum(distance_trips) > 0
                               then sum(distance_meters_sum)::float8 / sum(distance_trips) end
                            as mean_distance_meters
                     from u where destination is not null
                    group by origin, destination having sum(trips) >= ?
                    order by 3 desc, 1, 2 limit ?`;
    const { rows } = await db.raw<{ rows: (Omit<OdFlowRow, 'level'> | WithoutEndRow)[] }>(
      withoutEnd
        ? `with u as ? (${flows})
           union all
           select null, null, coalesce(sum(trips), 0)::int, null, null
             from u where destination is null`
        : `with u as ? ${flows}`,
      [units(s, withoutEnd), minCount, s.top],
    );
    const out: OdFlowRow[] = [];
    let trips = 0;
    for (const row of rows) {
      if (row.origin === null) trips = row.trips;
      else out.push({ ...row, level: s.level });
    }
    return { flows: out, tripsWithoutEnd: trips };
  };

  return {
    /** The busiest flows and the trips without an end (see `answer`). */
    flowsAndTripsWithoutEnd: (s: OdSelection) => answer(s, true),

    /** The busiest flows alone. */
    flows: async (s: OdSelection): Promise<OdFlowRow[]> => (await answer(s, false)).flows,

    /** Zones of these ids the caller may see, with their kinds. */
    zoneKinds: (ids: readonly string[]): Promise<ZoneKindRow[]> =>
      scoped.from('zones', ZONE_SCOPE_RULE).whereIn('id', ids).select<ZoneKindRow[]>('id', 'kind'),
  };
}

export type OdReader = ReturnType<typeof createOdReader>;
