import type { Knex } from 'knex';
import type { Db } from '../../lib/db';
import { blockWindow, dateOf, type BlockWindow } from '../../lib/domain/od';
import { offsetMs } from '../../lib/time/buckets';
import type { Logger } from '../../lib/logger';
import { HOUR } from '../../lib/units';
import { aggregateBlock, type OdTrip, type OdUnit, type OdZones } from './aggregate';
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

interface TripRow {
  start_time: Date;
  end_time: Date | null;
  operator_id: string;
  form_factor: string;
  start_h3_cell: string;
  end_h3_cell: string | null;
  start_zone_ids: string[];
  end_zone_ids: string[] | null;
  municipality_code: string | null;
  end_municipality_code: string | null;
  distance_meters: number | null;
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

export async function loadZones(db: Knex): Promise<OdZones> {
  const rows = await db('zones')
    .whereIn('kind', ['DISTRICT', 'MUNICIPALITY'])
    .select<{ id: string; kind: string; code: string }[]>('id', 'kind', 'code');
  return {
    districts: new Set(rows.filter((r) => r.kind === 'DISTRICT').map((r) => r.id)),
    municipalityByCode: new Map(
      rows.filter((r) => r.kind === 'MUNICIPALITY').map((r) => [r.code, r.id]),
    ),
  };
}

/** The trips started in a block (completed or still open) and the rental starts of rotating-id feeds. */
async function loadTrips(db: Knex, w: BlockWindow, tz: { sql: string; codes: string[] }) {
  const { rows } = await db.raw<{ rows: TripRow[] }>(
    `select start_time, end_time, operator_id, form_factor, start_h3_cell, end_h3_cell,
            start_zone_ids, end_zone_ids, municipality_code, end_municipality_code, distance_meters
       from trips
      where start_time >= ? and start_time < ? and status in ('COMPLETED', 'OPEN') and ${tz.sql}
     union all
     select at, null, operator_id, form_factor, h3_cell, null, zone_ids, null, municipality_code,
            null, null
       from rentals
      where at >= ? and at < ? and kind = 'START' and ${tz.sql}`,
    [w.start, w.end, tz.codes, w.start, w.end, tz.codes],
  );
  return rows.map((r): OdTrip => ({
    startMs: r.start_time.getTime(),
    endMs: r.end_time && r.end_h3_cell ? r.end_time.getTime() : null,
    operatorId: r.operator_id,
    formFactor: r.form_factor,
    startCell: r.start_h3_cell,
    endCell: r.end_time ? r.end_h3_cell : null,
    startZoneIds: r.start_zone_ids,
    endZoneIds: r.end_zone_ids,
    startMunicipality: r.municipality_code,
    endMunicipality: r.end_municipality_code,
    distanceMeters: r.distance_meters,
  }));
}

const INSERT_BATCH = 2000;

async function insertUnits(trx: Knex.Transaction, w: BlockWindow, units: readonly OdUnit[]) {
  for (let i = 0; i < units.length; i += INSERT_BATCH) {
    const batch = units.slice(i, i + INSERT_BATCH).map((u) => ({
      l: u.level,
      o: u.origin,
      d: u.destination,
      op: u.operatorId,
      ff: u.formFactor,
      om: u.originMunicipality,
      dm: u.destinationMunicipality,
      n: u.trips,
      ds: u.durationSecondsSum,
      ms: u.distanceMetersSum,
      mn: u.distanceTrips,
    }));
    await trx.raw(
      `insert into od_flows (time_zone, block_start, local_date, block, weekday, level, origin,
                             destination, operator_id, form_factor, origin_municipality,
                             destination_municipality, trips, duration_seconds_sum,
                             distance_meters_sum, distance_trips)
       select ?, ?, ?, ?, ?, x.l, x.o, x.d, x.op, x.ff, x.om, x.dm, x.n, x.ds, x.ms, x.mn
         from json_to_recordset(?::json) as x(l text, o text, d text, op text, ff text, om text,
              dm text, n int, ds bigint, ms bigint, mn int)`,
      [w.timeZone, w.start, w.localDate, w.block, w.weekday, JSON.stringify(batch)],
    );
  }
}

/**
 * Computes one block: replaces its rows (never adds to them) in one transaction, under a lock
 * that makes two runners computing the same block at once take turns.
 */
export async function computeBlock(
  db: Db,
  settings: OdSettings,
  zones: OdZones,
  w: BlockWindow,
  now: Date,
): Promise<{ trips: number; rows: number }> {
  return db.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [
      `od:${w.timeZone}:${w.start.toISOString()}`,
    ]);
    const trips = await loadTrips(trx, w, timeZoneFilter(settings, w.timeZone));
    const units = aggregateBlock(trips, zones, settings.minCount);
    await trx('od_flows').where({ time_zone: w.timeZone, block_start: w.start }).delete();
    await insertUnits(trx, w, units);
    await trx.raw(
      `insert into od_blocks (time_zone, block_start, block_end, local_date, block, weekday,
                              computed_at, next_due_at, min_count, trips, ended, rows)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (time_zone, block_start) do update
          set computed_at = excluded.computed_at, computations = od_blocks.computations + 1,
              next_due_at = excluded.next_due_at, min_count = excluded.min_count,
              trips = excluded.trips, ended = excluded.ended, rows = excluded.rows`,
      [
        w.timeZone,
        w.start,
        w.end,
        w.localDate,
        w.block,
        w.weekday,
        now,
        nextDueAt(w.end.getTime(), now.getTime()),
        settings.minCount,
        trips.length,
        trips.filter((t) => t.endMs !== null).length,
        units.length,
      ],
    );
    return { trips: trips.length, rows: units.length };
  });
}

/** Re-sums a local month of od_flows into od_flows_month, and that into od_flows_month_all. */
export async function rollUpMonth(db: Db, timeZone: string, month: string): Promise<void> {
  await db.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`od-month:${timeZone}:${month}`]);
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
  const zones = await loadZones(db);
  const months = new Map<string, { timeZone: string; month: string }>();
  let rows = 0;
  for (const w of todo) {
    const result = await computeBlock(db, settings, zones, w, now);
    rows += result.rows;
    const month = `${w.localDate.slice(0, 7)}-01`;
    months.set(`${w.timeZone}|${month}`, { timeZone: w.timeZone, month });
  }
  for (const { timeZone, month } of months.values()) await rollUpMonth(db, timeZone, month);
  const remaining = due.length - todo.length;
  logger.info({ blocks: todo.length, rows, months: months.size, remaining }, 'od blocks computed');
  return { blocks: todo.length, rows, remaining };
}
