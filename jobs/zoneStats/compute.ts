import type { Knex } from 'knex';
import type { Db } from '../../lib/db';
import { TICK_MS } from '../../lib/time/buckets';
import { HOUR } from '../../lib/units';
import {
  PACKED_COLUMNS,
  PACKED_KEYS,
  packedDayBindings,
  packedDaySql,
  packedQuarterSql,
  ROLLUP_VALUES,
  type PackedTable,
} from './packed';

/**
 * The zone time series, computed from the importer's tables (park events, non-operational
 * periods, trips, rentals), never from "now": a window can be (re)computed at any later time and
 * gives the same rows, so a gap is filled from the events and late events land in their window.
 *
 * A 5-minute tick T counts, per zone x operator x form factor:
 * - vehicles parked in public space at the instant T (a park event with start <= T < end and no
 *   station: vehicles at a station are counted apart, by the vehicles subgraph), split into unavailable
 *   (a non-operational period of the same vehicle covers T) and available (the rest; a reserved
 *   vehicle is parked and counts as available);
 * - trips started in [T, T + 5 min) (inferred or MDS trips that are OPEN or COMPLETED, plus rental
 *   starts of feeds with rotating ids) and ended in it (COMPLETED trips, rental ends), in the zones
 *   of their start and end.
 */

export const SERIES_TABLES = ['zone_stats_5m', 'zone_stats_hour', 'zone_stats_day'] as const;
export type SeriesTable = (typeof SERIES_TABLES)[number];

const DAY_MS = 24 * HOUR;

/** Ticks computed per transaction when catching up (3 hours). */
const CHUNK_TICKS = 36;

const ts = (ms: number) => `'${new Date(ms).toISOString()}'::timestamptz`;

/**
 * One statement: delete the range's rows that are no longer produced, upsert those that are new
 * or changed. Both are found with set operations (EXCEPT, hashed or sorted, never a per-row probe
 * of the other side), so a recount that changes little writes little: a steady tick rewrites its
 * newest tick, not the hour before it.
 */
async function replaceRange(
  trx: Knex.Transaction,
  table: SeriesTable | PackedTable,
  keys: string[],
  values: string[],
  fresh: string,
  bindings: readonly Knex.RawBinding[],
  fromMs: number,
  toMs: number,
): Promise<number> {
  const columns = [...keys, ...values].join(', ');
  const range = `bucket_start >= ${ts(fromMs)} and bucket_start < ${ts(toMs)}`;
  const sql = `
    with fresh as materialized (${fresh}),
    stored as materialized (select ${columns} from ${table} where ${range}),
    -- Materialized: the delete below probes the primary key once per vanished row (usually none),
    -- instead of the planner rescanning the set operation once per stored row.
    gone as materialized (
      select ${keys.join(', ')} from stored
      except all
      select ${keys.join(', ')} from fresh
    ),
    removed as (
      delete from ${table} t
       using gone
       where t.${range.replace(' and ', ' and t.')}
         and ${keys.map((k) => `t.${k} = gone.${k}`).join(' and ')}
      returning 1
    ),
    written as (
      insert into ${table} (${columns})
      select ${columns} from fresh
      except all
      select ${columns} from stored
      on conflict (${keys.join(', ')}) do update
         set ${values.map((v) => `${v} = excluded.${v}`).join(', ')}
      returning 1
    )
    select (select count(*) from removed)::int + (select count(*) from written)::int as changed`;
  const { rows } = await trx.raw<{ rows: { changed: number }[] }>(sql, bindings);
  return rows[0]?.changed ?? 0;
}

/**
 * Memory for the window's sorts and hash tables (grouping sets spill to disk at the default), and
 * no JIT: the join settings below price the plans they forbid at 10^10, far above the JIT
 * thresholds, so every rollup statement was compiled first (0.4 to 2 s a statement on a loaded
 * machine, for statements that run in tens of milliseconds).
 */
async function withWorkMem(trx: Knex.Transaction): Promise<void> {
  await trx.raw(`set local work_mem = '64MB'`);
  await trx.raw('set local jit = off');
}

/**
 * Hash joins only, for the rest of the transaction: the rollups join common table expressions of
 * aggregates, whose row counts the planner cannot estimate, and with a guess of one row it chose
 * a nested loop (and without that a merge join on bucket_start alone), quadratic in a day's
 * 16 500 rows: 20 s for one day rollup instead of 0.5 s. The 5-minute count before them plans
 * well as it is.
 */
async function hashJoinsOnly(trx: Knex.Transaction): Promise<void> {
  await trx.raw('set local enable_nestloop = off');
  await trx.raw('set local enable_mergejoin = off');
}

/**
 * The 5-minute rows of ticks A, A + 5 min, ..., B (both ticks included), per operator and form
 * factor and at the three coarser grouping levels (operator or form factor '*').
 */
function fiveMinuteSql(fromTick: number, toTick: number): string {
  const n = (toTick - fromTick) / TICK_MS + 1;
  const A = ts(fromTick);
  const B = ts(toTick);
  const windowEnd = ts(toTick + TICK_MS);
  const tickOf = (column: string) => `floor(extract(epoch from (${column} - ${A})) / 300)::int`;
  return `
    with pe as materialized (
      select feed_id, vehicle_id, operator_id, form_factor, zone_ids, start_time, end_time
        from park_events
       where start_time <= ${B} and (end_time is null or end_time > ${A})
         -- Vehicles at a station (a dock, a car-share bay) are not parked in public space.
         and station_id is null
    ),
    np as (
      select feed_id, vehicle_id, start_time, end_time
        from non_operational_periods
       where start_time <= ${B} and (end_time is null or end_time > ${A})
    ),
    -- Intervals during which a vehicle counts: parked (dp), and parked while non-operational (du),
    -- always in the zones of its park event. A null end is an interval still open.
    spans as (
      select operator_id, form_factor, zone_ids, start_time as s, end_time as e, 1 as dp, 0 as du
        from pe
      union all
      select pe.operator_id, pe.form_factor, pe.zone_ids,
             greatest(pe.start_time, np.start_time), least(pe.end_time, np.end_time), 0, 1
        from pe join np on np.feed_id = pe.feed_id and np.vehicle_id = pe.vehicle_id
       where np.start_time < coalesce(pe.end_time, 'infinity')
         and coalesce(np.end_time, 'infinity') > pe.start_time
    ),
    -- An interval counts at tick k when s <= T_k < e: from the first tick at or after s to the
    -- first tick at or after e.
    ranged as (
      select operator_id, form_factor, zone_ids, dp, du,
             greatest(0, ceil(extract(epoch from (s - ${A})) / 300))::int as k_in,
             case when e is null then null else ceil(extract(epoch from (e - ${A})) / 300)::int end as k_out
        from spans
    ),
    deltas as (
      select z, operator_id, form_factor, k_in as k, dp, du, 0 as ds, 0 as de
        from ranged cross join unnest(zone_ids) as z
       where k_in < ${n} and (k_out is null or k_in < k_out)
      union all
      select z, operator_id, form_factor, k_out, -dp, -du, 0, 0
        from ranged cross join unnest(zone_ids) as z
       where k_out < ${n} and k_in < k_out
      union all
      select z, operator_id, form_factor, ${tickOf('start_time')}, 0, 0, 1, 0
        from trips cross join unnest(start_zone_ids) as z
       where start_time >= ${A} and start_time < ${windowEnd} and status in ('OPEN', 'COMPLETED')
      union all
      select z, operator_id, form_factor, ${tickOf('end_time')}, 0, 0, 0, 1
        from trips cross join unnest(end_zone_ids) as z
       where end_time >= ${A} and end_time < ${windowEnd} and status = 'COMPLETED'
      union all
      select z, operator_id, form_factor, ${tickOf('at')}, 0, 0,
             (kind = 'START')::int, (kind = 'END')::int
        from rentals cross join unnest(zone_ids) as z
       where at >= ${A} and at < ${windowEnd}
    ),
    agg as (
      select z, operator_id, form_factor, k,
             sum(dp)::int as dp, sum(du)::int as du, sum(ds)::int as ds, sum(de)::int as de
        from deltas group by 1, 2, 3, 4
    ),
    dense as (
      select keys.z, keys.operator_id, keys.form_factor, g.k,
             coalesce(agg.dp, 0) as dp, coalesce(agg.du, 0) as du,
             coalesce(agg.ds, 0) as ds, coalesce(agg.de, 0) as de
        from (select distinct z, operator_id, form_factor from agg) keys
       cross join generate_series(0, ${n - 1}) as g(k)
        left join agg using (z, operator_id, form_factor, k)
    ),
    counted as (
      select z, operator_id, form_factor, k, ds, de,
             sum(dp) over w as parked, sum(du) over w as unavailable
        from dense
      window w as (partition by z, operator_id, form_factor order by k)
    ),
    finest as (
      select ${A} + c.k * interval '5 minutes' as bucket_start, c.z as zone_id, c.operator_id,
             c.form_factor, zones.municipality_code,
             (c.parked - c.unavailable)::int as available, c.unavailable::int as unavailable,
             c.ds as started, c.de as ended
        from counted c join zones on zones.id = c.z
       where c.parked <> 0 or c.unavailable <> 0 or c.ds <> 0 or c.de <> 0
    )
    -- The four grouping levels ('*' = all): totals per tick are read, not added up, by queries.
    select bucket_start, zone_id,
           case when grouping(operator_id) = 1 then '*' else operator_id end as operator_id,
           case when grouping(form_factor) = 1 then '*' else form_factor end as form_factor,
           min(municipality_code) as municipality_code,
           sum(available)::int as available, sum(unavailable)::int as unavailable,
           sum(started)::int as started, sum(ended)::int as ended
      from finest
     group by grouping sets ((bucket_start, zone_id, operator_id, form_factor),
                             (bucket_start, zone_id, operator_id),
                             (bucket_start, zone_id, form_factor),
                             (bucket_start, zone_id))`;
}

/**
 * Hour rollups at the four grouping levels from the 5-minute rows (which have the same levels) of
 * [h0, h1), over the hour's computed ticks. A group without a row at a computed tick had zero
 * there, so its minimum is zero.
 */
function hourSql(h0: number, h1: number): string {
  const hourOf = (column: string) =>
    `date_bin('1 hour', ${column}, timestamptz '2000-01-01 00:00:00+00')`;
  return `
    with per_tick as (
      select zone_id, bucket_start, operator_id, form_factor, municipality_code,
             available as a, unavailable as u, started as s, ended as e
        from zone_stats_5m
       where bucket_start >= ${ts(h0)} and bucket_start < ${ts(h1)}
    ),
    cov as (
      select ${hourOf('bucket_start')} as hour, count(*)::int as ticks
        from zone_stats_coverage
       where resolution = '5m' and bucket_start >= ${ts(h0)} and bucket_start < ${ts(h1)}
       group by 1
    )
    select cov.hour as bucket_start, p.zone_id, p.operator_id, p.form_factor,
           min(p.municipality_code) as municipality_code,
           sum(p.a)::bigint as available_sum,
           case when count(*) < cov.ticks then 0 else min(p.a) end as available_min,
           max(p.a) as available_max,
           sum(p.u)::bigint as unavailable_sum,
           case when count(*) < cov.ticks then 0 else min(p.u) end as unavailable_min,
           max(p.u) as unavailable_max,
           case when count(*) < cov.ticks then 0 else min(p.a + p.u) end as total_min,
           max(p.a + p.u) as total_max,
           sum(p.s)::int as started, sum(p.e)::int as ended
      from per_tick p join cov on cov.hour = ${hourOf('p.bucket_start')}
     group by cov.hour, cov.ticks, p.zone_id, p.operator_id, p.form_factor`;
}

/** Day rollups (local days in `?` time zone) from the hour rollups of [d0, d1). */
function daySql(d0: number, d1: number): string {
  return `
    with cov as (
      select date_trunc('day', bucket_start, ?) as day, count(*)::int as hours
        from zone_stats_coverage
       where resolution = 'hour' and bucket_start >= ${ts(d0)} and bucket_start < ${ts(d1)}
       group by 1
    )
    select cov.day as bucket_start, h.zone_id, h.operator_id, h.form_factor,
           min(h.municipality_code) as municipality_code,
           sum(h.available_sum)::bigint as available_sum,
           case when count(*) < cov.hours then 0 else min(h.available_min) end as available_min,
           max(h.available_max) as available_max,
           sum(h.unavailable_sum)::bigint as unavailable_sum,
           case when count(*) < cov.hours then 0 else min(h.unavailable_min) end as unavailable_min,
           max(h.unavailable_max) as unavailable_max,
           case when count(*) < cov.hours then 0 else min(h.total_min) end as total_min,
           max(h.total_max) as total_max,
           sum(h.started)::int as started, sum(h.ended)::int as ended
      from zone_stats_hour h join cov on cov.day = date_trunc('day', h.bucket_start, ?)
     where h.bucket_start >= ${ts(d0)} and h.bucket_start < ${ts(d1)}
     group by cov.day, cov.hours, h.zone_id, h.operator_id, h.form_factor`;
}

async function upsertCoverage(
  trx: Knex.Transaction,
  resolution: '5m' | 'hour' | 'day',
  select: string,
  bindings: readonly Knex.RawBinding[] = [],
): Promise<number> {
  const { rows } = await trx.raw<{ rows: unknown[] }>(
    `insert into zone_stats_coverage (resolution, bucket_start, ticks)
     select '${resolution}', bucket_start, ticks from (${select}) c
     on conflict (resolution, bucket_start) do update
        set ticks = excluded.ticks, computed_at = now()
      where zone_stats_coverage.ticks <> excluded.ticks
     returning 1`,
    bindings,
  );
  return rows.length;
}

export async function ensureSeriesPartitions(
  db: Db | Knex.Transaction,
  fromMs: number,
  toMs: number,
): Promise<number> {
  const first = new Date(fromMs);
  const months =
    (new Date(toMs).getUTCFullYear() - first.getUTCFullYear()) * 12 +
    new Date(toMs).getUTCMonth() -
    first.getUTCMonth() +
    1;
  let created = 0;
  for (const table of SERIES_TABLES) {
    const { rows } = await db.raw<{ rows: { created: number }[] }>(
      'select ensure_monthly_partitions(?, ?, ?) as created',
      [table, first, months],
    );
    created += rows[0]?.created ?? 0;
  }
  return created;
}

/**
 * Computes (or recomputes) the ticks fromTick..toTick (both included, multiples of 5 minutes) and
 * the hour and day rollups they touch, in one transaction. Runs of several processes are serialised
 * by an advisory lock; each writes absolute values, so a second run changes nothing. Returns the
 * number of rows written or removed (0 when nothing changed).
 */
export async function computeWindow(
  db: Db,
  fromTick: number,
  toTick: number,
  timeZone: string,
): Promise<number> {
  if (fromTick % TICK_MS !== 0 || toTick % TICK_MS !== 0 || toTick < fromTick) {
    throw new Error(`not a window of 5-minute ticks: ${fromTick}..${toTick}`);
  }
  return db.transaction(async (trx) => {
    await trx.raw(`select pg_advisory_xact_lock(hashtext('zone_stats'))`);
    await withWorkMem(trx);
    await ensureSeriesPartitions(trx, fromTick - DAY_MS, toTick + DAY_MS);
    // The changed spans starting in this window, read before counting: their events committed
    // with them, so the count below sees them. Spans marked meanwhile are left for the next run.
    const { rows: marks } = await trx.raw<{ rows: { id: string }[] }>(
      `select id from zone_stats_dirty where from_at >= ? and from_at <= ? for update`,
      [new Date(fromTick), new Date(toTick)],
    );
    let changed = await replaceRange(
      trx,
      'zone_stats_5m',
      ['zone_id', 'bucket_start', 'operator_id', 'form_factor'],
      ['municipality_code', 'available', 'unavailable', 'started', 'ended'],
      fiveMinuteSql(fromTick, toTick),
      [],
      fromTick,
      toTick + TICK_MS,
    );
    changed += await upsertCoverage(
      trx,
      '5m',
      `select generate_series(${ts(fromTick)}, ${ts(toTick)}, interval '5 minutes') as bucket_start,
              1 as ticks`,
    );
    changed += await rollUp(trx, fromTick, toTick, timeZone);
    if (marks.length > 0) {
      // What is left of them starts after this window; a span that ended in it is done.
      const ids = marks.map((m) => m.id);
      const next = new Date(toTick + TICK_MS);
      await trx.raw(
        `delete from zone_stats_dirty where id = any(?) and to_at is not null and to_at < ?`,
        [ids, next],
      );
      await trx.raw(`update zone_stats_dirty set from_at = ? where id = any(?)`, [next, ids]);
    }
    return changed;
  });
}

/**
 * Recomputes the hour rollups of the hours, and the day rollups of the local days, that the
 * ticks fromTick..toTick touch, from the 5-minute rows already stored. Returns the rows changed.
 */
export async function rollUpWindow(
  db: Db,
  fromTick: number,
  toTick: number,
  timeZone: string,
): Promise<number> {
  return db.transaction(async (trx) => {
    await trx.raw(`select pg_advisory_xact_lock(hashtext('zone_stats'))`);
    await withWorkMem(trx);
    await ensureSeriesPartitions(trx, fromTick - DAY_MS, toTick + DAY_MS);
    return rollUp(trx, fromTick, toTick, timeZone);
  });
}

/** The local days [d0, d1) (in `timeZone`) that the ticks fromTick..toTick touch. */
async function localDays(
  trx: Knex.Transaction,
  fromTick: number,
  toTick: number,
  timeZone: string,
): Promise<{ d0: number; d1: number }> {
  const { rows } = await trx.raw<{ rows: { d0: Date; d1: Date }[] }>(
    `select date_trunc('day', ${ts(fromTick)}, ?) as d0,
            (date_trunc('day', ${ts(toTick)}, ?) at time zone ? + interval '1 day')
              at time zone ? as d1`,
    [timeZone, timeZone, timeZone, timeZone],
  );
  const day = rows[0];
  if (!day) throw new Error('no local days');
  return { d0: day.d0.getTime(), d1: day.d1.getTime() };
}

/**
 * Rebuilds the packed rows of the UTC days and local months that the ticks fromTick..toTick
 * touch from the rollups already stored, as the job does after each rollup: to fill them for
 * rows written another way (the migration that added them, bench:series). Returns rows changed.
 */
export async function repackWindow(
  db: Db | Knex.Transaction,
  fromTick: number,
  toTick: number,
  timeZone: string,
): Promise<number> {
  return db.transaction(async (trx) => {
    await trx.raw(`select pg_advisory_xact_lock(hashtext('zone_stats'))`);
    await withWorkMem(trx);
    await hashJoinsOnly(trx);
    const { d0, d1 } = await localDays(trx, fromTick, toTick, timeZone);
    return repack(trx, fromTick, toTick, d0, d1, timeZone);
  });
}

async function rollUp(
  trx: Knex.Transaction,
  fromTick: number,
  toTick: number,
  timeZone: string,
): Promise<number> {
  await hashJoinsOnly(trx);
  const h0 = fromTick - (fromTick % HOUR);
  const h1 = toTick - (toTick % HOUR) + HOUR;
  // The local days (in `timeZone`) the window touches: their daily rows are recomputed.
  const { d0, d1 } = await localDays(trx, fromTick, toTick, timeZone);
  const rollupKeys = ['zone_id', 'operator_id', 'form_factor', 'bucket_start'];
  let changed = await replaceRange(
    trx,
    'zone_stats_hour',
    rollupKeys,
    [...ROLLUP_VALUES],
    hourSql(h0, h1),
    [],
    h0,
    h1,
  );
  changed += await upsertCoverage(
    trx,
    'hour',
    `select date_bin('1 hour', bucket_start, timestamptz '2000-01-01 00:00:00+00') as bucket_start,
            count(*)::int as ticks
       from zone_stats_coverage
      where resolution = '5m' and bucket_start >= ${ts(h0)} and bucket_start < ${ts(h1)}
      group by 1`,
  );
  changed += await replaceRange(
    trx,
    'zone_stats_day',
    rollupKeys,
    [...ROLLUP_VALUES],
    daySql(d0, d1),
    [timeZone, timeZone],
    d0,
    d1,
  );
  changed += await upsertCoverage(
    trx,
    'day',
    `select date_trunc('day', bucket_start, ?) as bucket_start, sum(ticks)::int as ticks
       from zone_stats_coverage
      where resolution = 'hour' and bucket_start >= ${ts(d0)} and bucket_start < ${ts(d1)}
      group by 1`,
    [timeZone],
  );
  return changed + (await repack(trx, fromTick, toTick, d0, d1, timeZone));
}

/**
 * Rebuilds the packed rows (jobs/zoneStats/packed.ts) of the UTC days the ticks fromTick..toTick
 * touch and of the local months the days [d0, d1) touch, from the rows just written.
 */
async function repack(
  trx: Knex.Transaction,
  fromTick: number,
  toTick: number,
  d0: number,
  d1: number,
  timeZone: string,
): Promise<number> {
  const q0 = fromTick - (fromTick % DAY_MS);
  const q1 = toTick - (toTick % DAY_MS) + DAY_MS;
  let changed = await replaceRange(
    trx,
    'zone_stats_15m_packed',
    PACKED_KEYS,
    PACKED_COLUMNS,
    packedQuarterSql(q0, q1),
    [],
    q0,
    q1,
  );
  const { rows: months } = await trx.raw<{ rows: { m0: Date; m1: Date }[] }>(
    `select date_trunc('month', ${ts(d0)}, ?) as m0,
            (date_trunc('month', ${ts(d1 - 1)}, ?) at time zone ? + interval '1 month')
              at time zone ? as m1`,
    [timeZone, timeZone, timeZone, timeZone],
  );
  const m0 = months[0]?.m0.getTime() ?? d0;
  const m1 = months[0]?.m1.getTime() ?? d1;
  changed += await replaceRange(
    trx,
    'zone_stats_day_packed',
    PACKED_KEYS,
    PACKED_COLUMNS,
    packedDaySql(m0, m1),
    packedDayBindings(timeZone),
    m0,
    m1,
  );
  return changed;
}

export interface ZoneStatsSettings {
  /** How far back a change to the events is still recounted (older changes are not). */
  recountMs: number;
  /** A run fills at most this much of a gap. */
  maxCatchupMs: number;
  /** Local days of the daily rollup. */
  timeZone: string;
}

/** Ticks first..last, both included. */
interface TickRange {
  from: number;
  to: number;
}

/** The ranges merged where they overlap or touch, in order. */
function merged(ranges: TickRange[]): TickRange[] {
  const out: TickRange[] = [];
  for (const r of [...ranges].sort((a, b) => a.from - b.from)) {
    const last = out[out.length - 1];
    if (last && r.from <= last.to + TICK_MS) last.to = Math.max(last.to, r.to);
    else out.push({ ...r });
  }
  return out;
}

/**
 * One run at `nowMs`: the ticks since the last computed one (or `recountMs` back on the first
 * run; a gap left by jobs that were down is filled, at most `maxCatchupMs` of it), and the past
 * ticks whose events changed since they were counted (`zone_stats_dirty`, marked by the tables'
 * triggers), back to `recountMs`. A steady run counts its new tick and the one before it (whose
 * trips were still starting when it was first counted); a window no event touched is not read
 * again. In chunks of 3 hours, oldest first. Returns the rows changed and the ranges computed.
 */
export async function runZoneStats(
  db: Db,
  settings: ZoneStatsSettings,
  nowMs: number,
): Promise<{ rows: number; fromTick: number; toTick: number; ranges: TickRange[] }> {
  const toTick = nowMs - (nowMs % TICK_MS);
  const recountFrom = toTick - Math.ceil(settings.recountMs / TICK_MS) * TICK_MS;
  const { rows } = await db.raw<{ rows: { last: Date | null }[] }>(
    `select max(bucket_start) as last from zone_stats_coverage
      where resolution = '5m' and bucket_start <= ?`,
    [new Date(toTick)],
  );
  const last = rows[0]?.last?.getTime();
  const oldest = toTick - Math.floor(settings.maxCatchupMs / TICK_MS) * TICK_MS;
  const fromTick = Math.max(last === undefined ? recountFrom : last + TICK_MS, oldest);
  const ranges: TickRange[] = fromTick <= toTick ? [{ from: fromTick, to: toTick }] : [];
  // Changes older than the recount horizon are not recounted: forget them (on a first run, the
  // window from the horizon on covers the rest).
  const horizon = new Date(Math.max(recountFrom, oldest));
  await db.raw(`delete from zone_stats_dirty where to_at < ?`, [horizon]);
  await db.raw(`update zone_stats_dirty set from_at = ? where from_at < ?`, [horizon, horizon]);
  if (last !== undefined) {
    const { rows: marks } = await db.raw<{ rows: { from_at: Date; to_at: Date | null }[] }>(
      `select from_at, to_at from zone_stats_dirty where from_at <= ?`,
      [new Date(last)],
    );
    for (const mark of marks) {
      const to = mark.to_at === null ? last : Math.min(last, mark.to_at.getTime());
      ranges.push({ from: mark.from_at.getTime(), to: to - (to % TICK_MS) });
    }
  }
  const computed = merged(ranges);
  let written = 0;
  for (const range of computed) {
    for (let start = range.from; start <= range.to; start += CHUNK_TICKS * TICK_MS) {
      const end = Math.min(range.to, start + (CHUNK_TICKS - 1) * TICK_MS);
      written += await computeWindow(db, start, end, settings.timeZone);
    }
  }
  return { rows: written, fromTick: computed[0]?.from ?? fromTick, toTick, ranges: computed };
}
