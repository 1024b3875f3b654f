import type { Knex } from 'knex';
import type { Db } from '../../lib/db';
import { blockWindow, dateOf, FINER_LEVEL, OUTSIDE, type BlockWindow } from '../../lib/domain/od';
import { offsetMs } from '../../lib/time/buckets';
import type { Logger } from '../../lib/logger';
import { HOUR } from '../../lib/units';
import type { OdSettings } from './settings';

const DAY = 24 * HOUR;
/** A block is first computed this long after it ended ... */
export const FIRST_DELAY_MS = HOUR;
/** ... and recomputed these long after it ended, for trips that arrive late. */
export const RECOMPUTE_AFTER_MS: readonly number[] = [1 * DAY, 3 * DAY, 7 * DAY, 30 * DAY];

export interface OdRunReport {
  blocks: number;
  rows: number;
  /** Blocks still due after this run (the run stops at maxBlocksPerRun). */
  remaining: number;
}

/** The next recompute of a block that ended at `endMs`, computed at `nowMs`; null when none is left. */
export function nextDueAt(endMs: number, nowMs: number): Date | null {
  const next = RECOMPUTE_AFTER_MS.map((d) => endMs + d).find((t) => t > nowMs);
  return next === undefined ? null : new Date(next);
}

interface BlockRow {
  time_zone: string;
  block_start: Date;
  next_due_at: Date | null;
  min_count: number;
  trips: number;
  ended: number;
}

/** Trips (and rental starts) per 15 minutes; a block of any time zone is a whole number of these. */
const QUARTER_MS = 15 * 60 * 1000;

/**
 * What each block holds now, counted per quarter hour in one pass: a block whose count of trips
 * or of ended trips differs from when it was computed is due again (the demo's history written
 * after the first run, a feed's backlog imported late).
 */
async function currentCounts(
  db: Knex,
  windows: readonly BlockWindow[],
  tz: { sql: string; codes: string[] },
): Promise<Map<number, { trips: number; ended: number }>> {
  const first = windows[0];
  const last = windows[windows.length - 1];
  const out = new Map<number, { trips: number; ended: number }>();
  if (!first || !last) return out;
  const { rows } = await db.raw<{ rows: { q: Date; trips: number; ended: number }[] }>(
    `select q, sum(trips)::int as trips, sum(ended)::int as ended from (
       select date_bin('15 minutes', start_time, timestamptz '2000-01-01Z') as q, count(*) as trips,
              count(*) filter (where end_time is not null and end_h3_cell is not null) as ended
         from trips
        where start_time >= ? and start_time < ? and status in ('COMPLETED', 'OPEN') and ${tz.sql}
        group by 1
       union all
       select date_bin('15 minutes', at, timestamptz '2000-01-01Z'), count(*), 0
         from rentals
        where at >= ? and at < ? and kind = 'START' and ${tz.sql}
        group by 1) c
     group by q`,
    [first.start, last.end, tz.codes, first.start, last.end, tz.codes],
  );
  const quarters = new Map(rows.map((r) => [r.q.getTime(), r]));
  for (const w of windows) {
    let trips = 0;
    let ended = 0;
    for (let t = w.start.getTime(); t < w.end.getTime(); t += QUARTER_MS) {
      const q = quarters.get(t);
      trips += q?.trips ?? 0;
      ended += q?.ended ?? 0;
    }
    out.set(w.start.getTime(), { trips, ended });
  }
  return out;
}

/** Which trips a time zone's blocks count: by the municipality they started in. */
function timeZoneFilter(settings: OdSettings, timeZone: string): { sql: string; codes: string[] } {
  const other = Object.entries(settings.municipalityTimeZones);
  if (timeZone === settings.defaultTimeZone) {
    const codes = other.filter(([, tz]) => tz !== timeZone).map(([code]) => code);
    return { sql: '(municipality_code is null or not (municipality_code = any(?)))', codes };
  }
  return {
    sql: 'municipality_code = any(?)',
    codes: other.filter(([, tz]) => tz === timeZone).map(([code]) => code),
  };
}

/** Each fine level's coarse level, as a SQL `case` over `level`. */
const COARSE_OF = `case level ${Object.entries(FINER_LEVEL)
  .map(([coarse, fine]) => `when '${fine}' then '${coarse}'`)
  .join(' ')} end`;

/** The DISTRICT zone of a trip's zone ids: the smallest district id, else OUTSIDE. */
const districtOf = (ids: string) =>
  `coalesce((select min(z::text collate "C") from unnest(${ids}) z where z = any(districts.ids)), '${OUTSIDE}')`;

/**
 * Counts the trips of a batch of blocks (of one time zone) into base units at every level and keeps
 * those that may be published (see README.md, Privacy):
 *
 * - a unit of a fine level (H3_8, DISTRICT) when it holds at least k trips;
 * - a unit of a coarse level (H3_7 = its res-8 children, MUNICIPALITY = its districts and the parts
 *   outside any district) when it holds at least k trips AND what is left after taking away its
 *   published fine units is 0 or at least k, so subtracting the fine flows from the coarse one
 *   never reveals a small count.
 *
 * Trips are those started in the block (completed or still open) and the rental starts of feeds
 * with rotating ids; those without a known end count as origins only (destination null). A fine
 * unit's coarse unit (po, pd) follows from its own key, so grouping by it splits nothing.
 */
const UNITS_SQL = (tz: string) => `
  w as materialized (
    select * from json_to_recordset(?::json)
      as w(s timestamptz, e timestamptz, d date, b smallint, wd smallint, due timestamptz)
  ),
  districts as (select coalesce(array_agg(id), '{}') as ids from zones where kind = 'DISTRICT'),
  municipalities as (
    select distinct on (code) code, id::text as id
      from zones where kind = 'MUNICIPALITY' order by code, id
  ),
  t as materialized (
    select w.s as block_start, x.*
      from w cross join lateral (
        select operator_id, form_factor, start_h3_cell as sc,
               end_time is not null and end_h3_cell is not null as ended, end_h3_cell as ec,
               start_zone_ids as sz, end_zone_ids as ez, municipality_code as om,
               end_municipality_code as emc,
               round(extract(epoch from end_time - start_time))::bigint as secs,
               distance_meters as dist
          from trips
         where start_time >= w.s and start_time < w.e and status in ('COMPLETED', 'OPEN')
           and ${tz}
        union all
        select operator_id, form_factor, h3_cell, false, null, zone_ids, null, municipality_code,
               null, null, null
          from rentals
         where at >= w.s and at < w.e and kind = 'START' and ${tz}
      ) x
  ),
  p as (
    select t.block_start, t.operator_id, t.form_factor, t.om,
           case when t.ended then t.emc end as dm,
           case when t.ended then t.secs end as secs,
           case when t.ended then t.dist end as dist,
           t.sc, case when t.ended then t.ec end as ec,
           od_h3_parent(t.sc, 7) as sc7,
           case when t.ended then od_h3_parent(t.ec, 7) end as ec7,
           ${districtOf('t.sz')} as sd,
           case when t.ended then ${districtOf('t.ez')} end as ed,
           coalesce(ms.id, '${OUTSIDE}') as smu,
           case when t.ended then coalesce(me.id, '${OUTSIDE}') end as emu
      from t cross join districts
      left join municipalities ms on ms.code = t.om
      left join municipalities me on me.code = t.emc
  ),
  u as (
    select p.block_start, l.level, l.o, l.d, p.operator_id, p.form_factor, p.om, p.dm, l.po, l.pd,
           count(*)::int as trips, coalesce(sum(p.secs), 0) as ds, coalesce(sum(p.dist), 0) as ms,
           count(p.dist)::int as mn
      from p cross join lateral (
        values ('H3_8', p.sc, p.ec, p.sc7, p.ec7), ('H3_7', p.sc7, p.ec7, null, null),
               ('DISTRICT', p.sd, p.ed, p.smu, p.emu), ('MUNICIPALITY', p.smu, p.emu, null, null)
      ) as l(level, o, d, po, pd)
     group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
  ),
  fine as (
    select block_start, ${COARSE_OF} as level, po as o, coalesce(pd, '') as d, operator_id,
           form_factor, coalesce(om, '') as om, coalesce(dm, '') as dm, sum(trips) as n
      from u
     where po is not null and trips >= ?
     group by 1, 2, 3, 4, 5, 6, 7, 8
  ),
  kept as (
    select u.*
      from u left join fine f
        on f.block_start = u.block_start and f.level = u.level and f.o = u.o
       and f.d = coalesce(u.d, '') and f.operator_id = u.operator_id
       and f.form_factor = u.form_factor and f.om = coalesce(u.om, '') and f.dm = coalesce(u.dm, '')
     where u.trips >= ?
       and (u.po is not null or u.trips = coalesce(f.n, 0) or u.trips - coalesce(f.n, 0) >= ?)
  )`;

/** Blocks computed per statement when catching up: a week of blocks. */
export const BLOCKS_PER_STATEMENT = 42;

/**
 * Computes a batch of blocks of one time zone in one transaction and one counting statement: each
 * block's rows are replaced (never added to), under a lock per block that makes two runners
 * computing the same block at once take turns.
 */
export async function computeBlocks(
  db: Db,
  settings: OdSettings,
  windows: readonly BlockWindow[],
  now: Date,
): Promise<{ trips: number; rows: number }> {
  const timeZone = windows[0]?.timeZone;
  if (timeZone === undefined) return { trips: 0, rows: 0 };
  if (windows.some((w) => w.timeZone !== timeZone)) throw new Error('one time zone per batch');
  const tz = timeZoneFilter(settings, timeZone);
  const k = settings.minCount;
  const starts = windows.map((w) => w.start);
  return db.transaction(async (trx) => {
    await trx.raw('select count(pg_advisory_xact_lock(hashtext(k))) from unnest(?::text[]) k', [
      windows.map((w) => `od:${timeZone}:${w.start.toISOString()}`),
    ]);
    // A week of trips fits in memory rather than spilling to disk; and no JIT: compiling this
    // statement took 50 times longer than running it.
    await trx.raw(`set local work_mem = '64MB'; set local jit = off`);
    await trx('od_flows').where('time_zone', timeZone).whereIn('block_start', starts).delete();
    const { rows } = await trx.raw<{ rows: { trips: number; rows: number }[] }>(
      `with ${UNITS_SQL(tz.sql)},
       inserted as (
         insert into od_flows (time_zone, block_start, local_date, block, weekday, level, origin,
                               destination, operator_id, form_factor, origin_municipality,
                               destination_municipality, trips, duration_seconds_sum,
                               distance_meters_sum, distance_trips)
         select ?, w.s, w.d, w.b, w.wd, k.level, k.o, k.d, k.operator_id, k.form_factor, k.om,
                k.dm, k.trips, k.ds, k.ms, k.mn
           from kept k join w on w.s = k.block_start
         returning block_start
       )
       insert into od_blocks (time_zone, block_start, block_end, local_date, block, weekday,
                              computed_at, next_due_at, min_count, trips, ended, rows)
       select ?, w.s, w.e, w.d, w.b, w.wd, ?, w.due, ?, coalesce(c.trips, 0), coalesce(c.ended, 0),
              coalesce(r.rows, 0)
         from w
         left join (select block_start, count(*)::int as trips,
                           count(*) filter (where ended)::int as ended
                      from t group by 1) c on c.block_start = w.s
         left join (select block_start, count(*)::int as rows from inserted group by 1) r
           on r.block_start = w.s
       on conflict (time_zone, block_start) do update
          set computed_at = excluded.computed_at, computations = od_blocks.computations + 1,
              next_due_at = excluded.next_due_at, min_count = excluded.min_count,
              trips = excluded.trips, ended = excluded.ended, rows = excluded.rows
       returning trips, rows`,
      [
        JSON.stringify(
          windows.map((w) => ({
            s: w.start,
            e: w.end,
            d: w.localDate,
            b: w.block,
            wd: w.weekday,
            due: nextDueAt(w.end.getTime(), now.getTime()),
          })),
        ),
        tz.codes,
        tz.codes,
        k,
        k,
        k,
        timeZone,
        timeZone,
        now,
        k,
      ],
    );
    return {
      trips: rows.reduce((sum, r) => sum + r.trips, 0),
      rows: rows.reduce((sum, r) => sum + r.rows, 0),
    };
  });
}

/** Re-sums a local month of od_flows into od_flows_month, and that into od_flows_month_all. */
export async function rollUpMonth(db: Db, timeZone: string, month: string): Promise<void> {
  await db.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`od-month:${timeZone}:${month}`]);
    await trx.raw('set local jit = off');
    await trx('od_flows_month').where({ time_zone: timeZone, month }).delete();
    await trx.raw(
      `insert into od_flows_month (time_zone, month, block, weekday, level, origin, destination,
                                   operator_id, form_factor, origin_municipality,
                                   destination_municipality, trips, duration_seconds_sum,
                                   distance_meters_sum, distance_trips)
       select time_zone, ?::date, block, weekday, level, origin, destination, operator_id,
              form_factor, origin_municipality, destination_municipality, sum(trips),
              sum(duration_seconds_sum), sum(distance_meters_sum), sum(distance_trips)
         from od_flows
        where time_zone = ? and local_date >= ?::date and local_date < (?::date + interval '1 month')
        group by time_zone, block, weekday, level, origin, destination, operator_id, form_factor,
                 origin_municipality, destination_municipality`,
      [month, timeZone, month, month],
    );
    // The same month without weekdays and blocks, for filters that name neither.
    await trx('od_flows_month_all').where({ time_zone: timeZone, month }).delete();
    await trx.raw(
      `insert into od_flows_month_all (time_zone, month, level, origin, destination, operator_id,
                                       form_factor, origin_municipality, destination_municipality,
                                       trips, duration_seconds_sum, distance_meters_sum,
                                       distance_trips)
       select time_zone, month, level, origin, destination, operator_id, form_factor,
              origin_municipality, destination_municipality, sum(trips),
              sum(duration_seconds_sum), sum(distance_meters_sum), sum(distance_trips)
         from od_flows_month
        where time_zone = ? and month = ?::date
        group by time_zone, month, level, origin, destination, operator_id, form_factor,
                 origin_municipality, destination_municipality`,
      [timeZone, month],
    );
  });
}

/** Every block of the catch-up window that has ended an hour ago, per time zone, oldest first. */
function endedBlocks(settings: OdSettings, timeZone: string, now: Date): BlockWindow[] {
  const nowMs = now.getTime();
  const today = Math.floor((nowMs + offsetMs(timeZone, nowMs)) / DAY) * DAY;
  const out: BlockWindow[] = [];
  for (let day = today - settings.catchUpDays * DAY; day <= today; day += DAY) {
    for (let block = 0; block < 6; block += 1) {
      const w = blockWindow(timeZone, dateOf(day), block);
      if (w.end.getTime() + FIRST_DELAY_MS <= nowMs) out.push(w);
    }
  }
  return out;
}

/** The blocks due now: never computed, due for a recompute, or computed under another k. */
export async function dueBlocks(db: Db, settings: OdSettings, now: Date): Promise<BlockWindow[]> {
  const timeZones = [
    ...new Set([settings.defaultTimeZone, ...Object.values(settings.municipalityTimeZones)]),
  ];
  const due: BlockWindow[] = [];
  for (const timeZone of timeZones) {
    const windows = endedBlocks(settings, timeZone, now);
    const first = windows[0];
    const known = first
      ? await db('od_blocks')
          .where('time_zone', timeZone)
          .andWhere('block_start', '>=', first.start)
          .select<BlockRow[]>(
            'time_zone',
            'block_start',
            'next_due_at',
            'min_count',
            'trips',
            'ended',
          )
      : [];
    const byStart = new Map(known.map((r) => [r.block_start.getTime(), r]));
    const counts = await currentCounts(db, windows, timeZoneFilter(settings, timeZone));
    for (const w of windows) {
      const row = byStart.get(w.start.getTime());
      const count = counts.get(w.start.getTime());
      if (
        !row ||
        row.min_count !== settings.minCount ||
        (row.next_due_at !== null && row.next_due_at.getTime() <= now.getTime()) ||
        row.trips !== count?.trips ||
        row.ended !== count.ended
      ) {
        due.push(w);
      }
    }
    // Recomputes of blocks older than the catch-up window.
    const older = await db('od_blocks')
      .where('time_zone', timeZone)
      .andWhere('next_due_at', '<=', now)
      .modify((q) => {
        if (first) q.andWhere('block_start', '<', first.start);
      })
      .select<{ local_date: string; block: number }[]>(
        db.raw(`to_char(local_date, 'YYYY-MM-DD') as local_date`),
        'block',
      );
    for (const r of older) due.push(blockWindow(timeZone, r.local_date, r.block));
  }
  return due.sort((a, b) => a.start.getTime() - b.start.getTime());
}

/** One run of `od_matrix`: computes the due blocks (at most maxBlocksPerRun), then their months. */
export async function runOdMatrix(
  db: Db,
  settings: OdSettings,
  logger: Logger,
  now: Date,
): Promise<OdRunReport> {
  const due = await dueBlocks(db, settings, now);
  const todo = due.slice(0, settings.maxBlocksPerRun);
  if (todo.length === 0) return { blocks: 0, rows: 0, remaining: 0 };
  const months = new Map<string, { timeZone: string; month: string }>();
  const byTimeZone = new Map<string, BlockWindow[]>();
  for (const w of todo) {
    byTimeZone.set(w.timeZone, [...(byTimeZone.get(w.timeZone) ?? []), w]);
    const month = `${w.localDate.slice(0, 7)}-01`;
    months.set(`${w.timeZone}|${month}`, { timeZone: w.timeZone, month });
  }
  let rows = 0;
  for (const windows of byTimeZone.values()) {
    for (let i = 0; i < windows.length; i += BLOCKS_PER_STATEMENT) {
      const result = await computeBlocks(
        db,
        settings,
        windows.slice(i, i + BLOCKS_PER_STATEMENT),
        now,
      );
      rows += result.rows;
    }
  }
  for (const { timeZone, month } of months.values()) await rollUpMonth(db, timeZone, month);
  const remaining = due.length - todo.length;
  logger.info({ blocks: todo.length, rows, months: months.size, remaining }, 'od blocks computed');
  return { blocks: todo.length, rows, remaining };
}
