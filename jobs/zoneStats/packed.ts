import type { Knex } from 'knex';

/**
 * Packed series of the all-operators level (operator and form factor '*'), the one a
 * municipality's many-zone charts read: one row per zone and period holding arrays with one slot
 * per bucket, so a year of days for 300 zones is 3 900 rows instead of 109 200, and a week of
 * quarter hours 2 400 instead of 201 600.
 * - `zone_stats_day_packed`: one row per zone and local month (in the series time zone), slot i
 *   the month's day i + 1, each slot the `zone_stats_day` row of that day.
 * - `zone_stats_15m_packed`: one row per zone and UTC day, slot i the quarter hour starting
 *   i x 15 min after midnight UTC, each slot the quarter's 5-minute rows rolled up as the hour
 *   rollup does (sum, min completed with 0 for a computed tick without a row, max).
 * A slot is null where the table below has no row (a zero or a bucket never computed: the
 * coverage tells which). The job rebuilds the periods its window touched from the tables below,
 * in its transaction, with the same delete-what-vanished, upsert-what-changed statement.
 */
/** The value columns of a rollup row (hour, day), each held as one array in a packed row. */
export const ROLLUP_VALUES = [
  'municipality_code',
  'available_sum',
  'available_min',
  'available_max',
  'unavailable_sum',
  'unavailable_min',
  'unavailable_max',
  'total_min',
  'total_max',
  'started',
  'ended',
] as const;

/** The values a slot holds (the municipality is per row). */
export const SLOT_VALUES = ROLLUP_VALUES.slice(1);

const ts = (ms: number) => `'${new Date(ms).toISOString()}'::timestamptz`;

/** Each slot's value arrays, in slot order, nulls where the slot has no row. */
const slotArrays = (source: string) =>
  SLOT_VALUES.map((v) => `array_agg(${source}.${v} order by s.slot) as ${v}`).join(',\n');

/**
 * The packed day rows of the local months (in `?`, bound three times) from m0 to m1 (month
 * starts), from the daily rows of the all-operators level.
 */
export function packedDaySql(m0: number, m1: number): string {
  return `
    with rows as (
      select date_trunc('month', bucket_start, ?) as m,
             extract(day from bucket_start at time zone ?)::int as slot,
             zone_id, ${ROLLUP_VALUES.join(', ')}
        from zone_stats_day
       where operator_id = '*' and form_factor = '*'
         and bucket_start >= ${ts(m0)} and bucket_start < ${ts(m1)}
    ),
    slots as (
      select k.zone_id, k.m, slot
        from (select distinct zone_id, m from rows) k
       cross join generate_series(
               1, extract(day from (k.m at time zone ? + interval '1 month' - interval '1 day'))::int
             ) as slot
    )
    select s.zone_id, s.m as bucket_start, '*' as operator_id, '*' as form_factor,
           min(r.municipality_code) as municipality_code,
           ${slotArrays('r')}
      from slots s left join rows r using (zone_id, m, slot)
     group by s.zone_id, s.m`;
}

/**
 * The packed quarter-hour rows of the UTC days from d0 to d1 (midnights UTC), from the 5-minute
 * rows of the all-operators level, read zone by zone through their partial index (by time alone
 * it would scan the level's whole month).
 */
export function packedQuarterSql(d0: number, d1: number): string {
  const quarterOf = (column: string) =>
    `date_bin('15 minutes', ${column}, timestamptz '2000-01-01 00:00:00+00')`;
  return `
    with cov as (
      select ${quarterOf('bucket_start')} as q, count(*)::int as ticks
        from zone_stats_coverage
       where resolution = '5m' and bucket_start >= ${ts(d0)} and bucket_start < ${ts(d1)}
       group by 1
    ),
    quarters as (
      select z.id as zone_id, ${quarterOf('t.bucket_start')} as q,
             min(t.municipality_code) as municipality_code, count(*)::int as n,
             sum(t.available)::bigint as available_sum, min(t.available) as available_min,
             max(t.available) as available_max, sum(t.unavailable)::bigint as unavailable_sum,
             min(t.unavailable) as unavailable_min, max(t.unavailable) as unavailable_max,
             min(t.available + t.unavailable) as total_min,
             max(t.available + t.unavailable) as total_max,
             sum(t.started)::int as started, sum(t.ended)::int as ended
        from zones z
       cross join lateral (
               select bucket_start, municipality_code, available, unavailable, started, ended
                 from zone_stats_5m
                where zone_id = z.id and operator_id = '*' and form_factor = '*'
                  and bucket_start >= ${ts(d0)} and bucket_start < ${ts(d1)}
               -- Kept a subquery (not flattened into a join): probes per zone, whatever the
               -- job's join settings.
               offset 0) t
       group by 1, 2
    ),
    -- A group missing at a computed tick of the quarter had zero there: its minimum is zero.
    completed as (
      select q.zone_id, date_trunc('day', q.q, 'UTC') as d,
             extract(epoch from (q.q - date_trunc('day', q.q, 'UTC')))::int / 900 as slot,
             q.municipality_code, q.available_sum,
             case when q.n < cov.ticks then 0 else q.available_min end as available_min,
             q.available_max, q.unavailable_sum,
             case when q.n < cov.ticks then 0 else q.unavailable_min end as unavailable_min,
             q.unavailable_max,
             case when q.n < cov.ticks then 0 else q.total_min end as total_min,
             q.total_max, q.started, q.ended
        from quarters q join cov using (q)
    ),
    slots as (
      select k.zone_id, k.d, slot
        from (select distinct zone_id, d from completed) k
       cross join generate_series(0, 95) as slot
    )
    select s.zone_id, s.d as bucket_start, '*' as operator_id, '*' as form_factor,
           min(c.municipality_code) as municipality_code,
           ${slotArrays('c')}
      from slots s left join completed c using (zone_id, d, slot)
     group by s.zone_id, s.d`;
}

/** The key and the stored columns of both packed tables. */
export const PACKED_KEYS = ['zone_id', 'bucket_start'];
export const PACKED_COLUMNS = ['operator_id', 'form_factor', ...ROLLUP_VALUES];

export type PackedTable = 'zone_stats_day_packed' | 'zone_stats_15m_packed';

/** Bindings of `packedDaySql`. */
export const packedDayBindings = (timeZone: string): Knex.RawBinding[] => [
  timeZone,
  timeZone,
  timeZone,
];
