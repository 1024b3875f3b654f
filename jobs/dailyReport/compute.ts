import type { Knex } from 'knex';
import type { Db } from '../../lib/db';
import { isDay, type Day } from '../../lib/domain/calendar';

/**
 * The six moments of a day at which the report counts vehicles in public space, local time. The
 * order is the order of the `vehicles_HHMM` columns.
 */
export const MEASUREMENT_MOMENTS = ['03:30', '08:00', '10:30', '14:00', '17:00', '21:00'] as const;
export const MOMENT_COLUMNS = MEASUREMENT_MOMENTS.map((m) => `vehicles_${m.replace(':', '')}`);
/** Parked longer than this many days at the first moment (03:30). */
export const PARKED_DAYS = [1, 3, 7, 14] as const;

const MOMENT_VALUES = MEASUREMENT_MOMENTS.map((m, i) => `(${i}, time '${m}')`).join(', ');

/**
 * One statement computes a day: every figure per zone x operator x form factor, from the
 * importer's tables, for the zones each event was assigned to at ingest. Days are local calendar
 * days (23, 24 or 25 hours long); moments are local wall-clock times. Trips count once they are
 * OPEN or COMPLETED (cancelled reservations, expired and superseded inferred trips do not);
 * rentals of feeds with rotating ids (never paired into trips) count as starts and ends but have
 * no duration.
 */
const DAY_SQL = `
with b as (
  select (:day::date)::timestamp at time zone :tz as day_start,
         (:day::date + 1)::timestamp at time zone :tz as day_end
), m as (
  select array_agg((:day::date + v.t)::timestamp at time zone :tz order by v.i) as at
    from (values ${MOMENT_VALUES}) as v(i, t)
), started as (
  select z.zone_id, t.operator_id, t.form_factor, count(*)::int as trips_started,
         count(*) filter (where t.status = 'COMPLETED')::int as rentals_completed,
         coalesce(sum(extract(epoch from t.end_time - t.start_time))
                    filter (where t.status = 'COMPLETED'), 0)::bigint as rental_seconds_total
    from b, trips t cross join lateral unnest(t.start_zone_ids) as z(zone_id)
   where t.start_time >= b.day_start and t.start_time < b.day_end
     and t.status in ('OPEN', 'COMPLETED')
   group by 1, 2, 3
), ended as (
  select z.zone_id, t.operator_id, t.form_factor, count(*)::int as trips_ended
    from b, trips t cross join lateral unnest(t.end_zone_ids) as z(zone_id)
   where t.end_time >= b.day_start and t.end_time < b.day_end
     and t.start_time >= b.day_start - interval '31 days' and t.start_time < b.day_end
     and t.status = 'COMPLETED'
   group by 1, 2, 3
), rented as (
  select z.zone_id, r.operator_id, r.form_factor,
         count(*) filter (where r.kind = 'START')::int as starts,
         count(*) filter (where r.kind = 'END')::int as ends
    from b, rentals r cross join lateral unnest(r.zone_ids) as z(zone_id)
   where r.at >= b.day_start and r.at < b.day_end
   group by 1, 2, 3
), open_parks as (
  -- Two index-friendly halves instead of one "end_time is null or end_time > x" scan.
  select p.zone_ids, p.operator_id, p.form_factor, p.start_time, p.end_time
    from m, park_events p
   where p.end_time > m.at[1] and p.start_time <= m.at[6]
  union all
  select p.zone_ids, p.operator_id, p.form_factor, p.start_time, p.end_time
    from m, park_events p
   where p.end_time is null and p.start_time <= m.at[6]
), parked as (
  select z.zone_id, p.operator_id, p.form_factor,
         ${MEASUREMENT_MOMENTS.map(
           (_m, i) =>
             `count(*) filter (where p.start_time <= m.at[${i + 1}] and (p.end_time is null or p.end_time > m.at[${i + 1}]))::int as ${MOMENT_COLUMNS[i]}`,
         ).join(',\n         ')},
         ${PARKED_DAYS.map(
           (d) =>
             `count(*) filter (where p.start_time < m.at[1] - interval '${d * 24} hours' and (p.end_time is null or p.end_time > m.at[1]))::int as parked_${d}d`,
         ).join(',\n         ')}
    from m, open_parks p cross join lateral unnest(p.zone_ids) as z(zone_id)
   group by 1, 2, 3
), broken as (
  select z.zone_id, n.operator_id, n.form_factor,
         count(*) filter (where n.start_time < m.at[1] - interval '24 hours')::int as non_operational_24h,
         count(*) filter (where n.start_time < m.at[1] - interval '168 hours')::int as non_operational_7d
    from m, (
      select zone_ids, operator_id, form_factor, start_time
        from m, non_operational_periods
       where end_time > m.at[1] and start_time < m.at[1] - interval '24 hours'
      union all
      select zone_ids, operator_id, form_factor, start_time
        from m, non_operational_periods
       where end_time is null and start_time < m.at[1] - interval '24 hours'
    ) as n cross join lateral unnest(n.zone_ids) as z(zone_id)
   group by 1, 2, 3
), parts as (
  select zone_id, operator_id, form_factor, trips_started, 0 as trips_ended, rentals_completed,
         rental_seconds_total, ${MOMENT_COLUMNS.map((c) => `0 as ${c}`).join(', ')},
         ${PARKED_DAYS.map((d) => `0 as parked_${d}d`).join(', ')},
         0 as non_operational_24h, 0 as non_operational_7d
    from started
  union all
  select zone_id, operator_id, form_factor, 0, trips_ended, 0, 0,
         ${MOMENT_COLUMNS.map(() => '0').join(', ')}, ${PARKED_DAYS.map(() => '0').join(', ')}, 0, 0
    from ended
  union all
  select zone_id, operator_id, form_factor, starts, ends, 0, 0,
         ${MOMENT_COLUMNS.map(() => '0').join(', ')}, ${PARKED_DAYS.map(() => '0').join(', ')}, 0, 0
    from rented
  union all
  select zone_id, operator_id, form_factor, 0, 0, 0, 0, ${MOMENT_COLUMNS.join(', ')},
         ${PARKED_DAYS.map((d) => `parked_${d}d`).join(', ')}, 0, 0
    from parked
  union all
  select zone_id, operator_id, form_factor, 0, 0, 0, 0,
         ${MOMENT_COLUMNS.map(() => '0').join(', ')}, ${PARKED_DAYS.map(() => '0').join(', ')},
         non_operational_24h, non_operational_7d
    from broken
), summed as (
  select zone_id, operator_id, form_factor,
         sum(trips_started)::int as trips_started, sum(trips_ended)::int as trips_ended,
         sum(rentals_completed)::int as rentals_completed,
         sum(rental_seconds_total)::bigint as rental_seconds_total,
         ${MOMENT_COLUMNS.map((c) => `sum(${c})::int as ${c}`).join(', ')},
         ${PARKED_DAYS.map((d) => `sum(parked_${d}d)::int as parked_${d}d`).join(', ')},
         sum(non_operational_24h)::int as non_operational_24h,
         sum(non_operational_7d)::int as non_operational_7d
    from parts
   group by 1, 2, 3
)
insert into daily_zone_indicators (day, zone_id, operator_id, form_factor, municipality_code,
  trips_started, trips_ended, rentals_completed, rental_seconds_total, ${MOMENT_COLUMNS.join(', ')},
  ${PARKED_DAYS.map((d) => `parked_${d}d`).join(', ')}, non_operational_24h, non_operational_7d)
select :day::date, s.zone_id, s.operator_id, s.form_factor, zn.municipality_code,
       s.trips_started, s.trips_ended, s.rentals_completed, s.rental_seconds_total,
       ${MOMENT_COLUMNS.map((c) => `s.${c}`).join(', ')},
       ${PARKED_DAYS.map((d) => `s.parked_${d}d`).join(', ')},
       s.non_operational_24h, s.non_operational_7d
  from summed s
  join zones zn on zn.id = s.zone_id
 where s.trips_started + s.trips_ended + ${MOMENT_COLUMNS.map((c) => `s.${c}`).join(' + ')}
       + s.non_operational_24h > 0`;

/**
 * Computes one day's report and replaces whatever the day had, in one transaction: rerunning a day
 * gives the same rows, and two runners computing the same day wait for each other (advisory lock)
 * instead of colliding. Returns the rows written.
 */
export async function computeDailyReport(
  db: Db | Knex.Transaction,
  day: Day,
  timeZone: string,
): Promise<number> {
  if (!isDay(day)) throw new Error(`${day} is not a day (YYYY-MM-DD)`);
  return db.transaction(async (trx) => {
    await trx.raw(`select pg_advisory_xact_lock(hashtext('daily_report:' || ?))`, [day]);
    await trx('daily_zone_indicators').where({ day }).delete();
    const result = await trx.raw<{ rowCount: number }>(DAY_SQL, { day, tz: timeZone });
    const rows = result.rowCount;
    await trx('daily_report_days')
      .insert({
        day,
        time_zone: timeZone,
        rows,
        computed_at: trx.fn.now(),
        // Marks set before this recompute (under the same lock) are answered by it.
        recompute_requested_at: null,
      })
      .onConflict('day')
      .merge();
    return rows;
  });
}
