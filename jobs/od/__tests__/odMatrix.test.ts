import { randomUUID } from 'node:crypto';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { cellToParent, latLngToCell } from 'h3-js';
import { importerSettings } from '../../importer/settings';
import { OUTSIDE } from '../../../lib/domain/od';
import { InProcessPubSub } from '../../../lib/pubsub';
import { HOUR } from '../../../lib/units';
import { seed } from '../../../seeds';
import { createFeedSimulator, type FeedSimulator } from '../../../simulator';
import { createTestDatabase, silentLogger, TEST_CONFIG, type TestDatabase } from '../../../test/db';
import { createImportMdsTripsJob } from '../../importer/importMdsTrips';
import type { JobContext } from '../../types';
import { createOdMatrixJob } from '..';
import type { OdSettings } from '../settings';

/**
 * The od_matrix job over a simulated week that holds the night the clocks go back (25 October
 * 2026): trips come from the simulator's MDS /trips through the real importer, and what the job
 * stores is compared with the simulator's own trip records and with a brute-force count of the
 * trips table, written here without the job's code (blocks by the local clock, in SQL).
 */

const TZ = 'Europe/Amsterdam';
const K = 4;
const SETTINGS: OdSettings = {
  minCount: K,
  defaultTimeZone: TZ,
  municipalityTimeZones: {},
  catchUpDays: 9,
  maxBlocksPerRun: 500,
};
/** Oegstgeest, 7.5 km²: a small town, so that a week of a few hundred vehicles fills cells. */
const TOWN = 'GM0579';
const START = Date.parse('2026-10-23T22:00:00Z');
const END = Date.parse('2026-10-27T03:00:00Z');
/** Blocks of these local days are complete in the data (every trip started in them has ended). */
const DAYS = ['2026-10-24', '2026-10-25', '2026-10-26'];

let database: TestDatabase;
let simulator: FeedSimulator;
const pubsub = new InProcessPubSub();
let districts: string[] = [];
let now = new Date(END + 2 * HOUR);
const odJob = createOdMatrixJob({ settings: SETTINGS, now: () => now });
const context = (): JobContext => ({
  db: database.db,
  pubsub,
  logger: silentLogger,
  config: TEST_CONFIG,
  tickAt: undefined,
  payload: {},
});

const square = (lng: number, lat: number, w: number, h: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [lng, lat],
      [lng + w, lat],
      [lng + w, lat + h],
      [lng, lat + h],
      [lng, lat],
    ],
  ],
});

/** The local-clock block of an instant: the day it belongs to and 0 (02-06) ... 5 (22-02). */
function localClockBlock(ms: number): { date: string; block: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: TZ,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
    })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  const hour = Number(parts.hour);
  let date = `${parts.year}-${parts.month}-${parts.day}`;
  if (hour < 2)
    date = new Date(Date.parse(`${date}T00:00:00Z`) - 24 * HOUR).toISOString().slice(0, 10);
  return { date, block: Math.floor(((hour - 2 + 24) % 24) / 4) };
}

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await seed(db, pubsub, silentLogger, { demo: false });
  // Two districts of our own: the west half of Oegstgeest, and a part of its east half.
  const town = await db('zones')
    .where({ kind: 'MUNICIPALITY', code: TOWN })
    .first<{ min_lng: number; min_lat: number; max_lng: number; max_lat: number }>('*');
  const width = (town.max_lng - town.min_lng) / 2;
  const height = town.max_lat - town.min_lat;
  const rows = await db('zones')
    .insert([
      {
        code: 'T-WEST',
        name: 'Test West',
        kind: 'DISTRICT',
        geometry: JSON.stringify(square(town.min_lng, town.min_lat, width, height)),
        municipality_code: TOWN,
      },
      {
        code: 'T-EAST',
        name: 'Test East',
        kind: 'DISTRICT',
        geometry: JSON.stringify(square(town.min_lng + width, town.min_lat, width, height / 2)),
        municipality_code: TOWN,
      },
    ])
    .returning<{ id: string }[]>('id');
  await db.raw(`select ensure_monthly_partitions('rentals', '2026-10-01'::timestamptz, 2)`);
  districts = rows.map((r) => r.id);

  simulator = createFeedSimulator({
    operators: [
      { id: 'sim-mopeds', name: 'Sim Mopeds', vehicles: 200, formFactor: 'MOPED' },
      { id: 'sim-bikes', name: 'Sim Bikes', vehicles: 200, formFactor: 'BICYCLE' },
    ],
    municipalities: [TOWN],
    seed: 11,
    startTime: new Date(START),
    tripRetentionMs: 10 * 24 * HOUR,
  });
  await simulator.start(0, '127.0.0.1');
  await db('operators').insert([
    { id: 'sim-mopeds', name: 'Sim Mopeds' },
    { id: 'sim-bikes', name: 'Sim Bikes' },
  ]);
  await db('feeds').insert(
    ['sim-mopeds', 'sim-bikes'].map((id) => ({
      operator_id: id,
      url: simulator.feedUrls(id).mds,
      type: 'MDS_VEHICLES',
    })),
  );
  simulator.advance(END + 90 * 60 * 1000 - START);
  const importer = createImportMdsTripsJob({
    settings: { ...importerSettings(TEST_CONFIG), feedTimeoutMs: 5000, mdsTripsMaxHours: 4 * 24 },
    now: () => simulator.now(),
  });
  await importer.run(context());
}, 300_000);

afterAll(async () => {
  await simulator?.stop();
  await pubsub.close();
  await database?.drop();
});

interface UnitRow {
  local_date: string;
  block: number;
  level: string;
  origin: string;
  destination: string | null;
  operator_id: string;
  form_factor: string;
  origin_municipality: string | null;
  destination_municipality: string | null;
  trips: number;
  duration_seconds_sum: number;
}

const unitKey = (u: Omit<UnitRow, 'trips' | 'duration_seconds_sum'>) =>
  [
    u.local_date,
    u.block,
    u.level,
    u.origin,
    u.destination ?? '-',
    u.operator_id,
    u.form_factor,
    u.origin_municipality ?? '-',
    u.destination_municipality ?? '-',
  ].join('|');

async function storedUnits(level: string): Promise<Map<string, number>> {
  const rows = await database
    .db('od_flows')
    .where('level', level)
    .select<UnitRow[]>('*', database.db.raw(`to_char(local_date, 'YYYY-MM-DD') as local_date`));
  const out = new Map<string, number>();
  for (const r of rows) {
    if (!DAYS.includes(r.local_date)) continue;
    const key = unitKey(r);
    expect(out.has(key)).toBe(false);
    out.set(key, r.trips);
  }
  return out;
}

/** Trips per unit, counted in SQL by the local clock, for the fine levels (no rule but >= k). */
async function bruteForceFine(
  level: 'H3_8' | 'DISTRICT',
  keep: (unit: UnitRow) => boolean = (unit) => DAYS.includes(unit.local_date),
): Promise<Map<string, number>> {
  const place = (cell: string, zones: string) =>
    level === 'H3_8'
      ? cell
      : `coalesce((select min(z::text) from unnest(${zones}) z where z = any(?::uuid[])), '${OUTSIDE}')`;
  const ended = `end_time is not null and end_h3_cell is not null`;
  const { rows } = await database.db.raw<{ rows: UnitRow[] }>(
    `select to_char(((start_time at time zone ?) - interval '2 hours')::date, 'YYYY-MM-DD') as local_date,
            floor(((extract(hour from start_time at time zone ?)::int + 22) % 24) / 4)::int as block,
            ? as level, ${place('start_h3_cell', 'start_zone_ids')} as origin,
            case when ${ended} then ${place('end_h3_cell', 'end_zone_ids')} end as destination,
            operator_id, form_factor, municipality_code as origin_municipality,
            case when ${ended} then end_municipality_code end as destination_municipality,
            count(*)::int as trips
       from (select start_time, end_time, start_h3_cell, end_h3_cell, start_zone_ids, end_zone_ids,
                    operator_id, form_factor, municipality_code, end_municipality_code
               from trips where status in ('COMPLETED', 'OPEN')
             union all
             select at, null, h3_cell, null, zone_ids, null, operator_id, form_factor,
                    municipality_code, null
               from rentals where kind = 'START') t
      group by 1, 2, 3, 4, 5, 6, 7, 8, 9 having count(*) >= ?`,
    level === 'H3_8' ? [TZ, TZ, level, K] : [TZ, TZ, level, districts, districts, K],
  );
  return new Map(rows.filter(keep).map((r) => [unitKey(r), r.trips]));
}

describe('od_matrix over a simulated week', () => {
  it('computes every ended block once, then nothing until a recompute is due', async () => {
    const first = await odJob.run(context());
    expect(first.rows).toBeGreaterThan(0);
    const blocks = await database.db('od_blocks').count<{ n: string }[]>({ n: '*' });
    // 9 days back from 27 October 05:00 UTC, 6 blocks a day, those ended an hour ago.
    expect(Number(blocks[0]?.n)).toBe(9 * 6);
    expect(await odJob.run(context())).toEqual({ rows: 0 });
  });

  it('counts every trip the simulator made in the block it started in, DST night included', async () => {
    const truth = new Map<string, number>();
    for (const { trip } of simulator.allCompletedTrips()) {
      const b = localClockBlock(trip.startMs);
      truth.set(`${b.date}|${b.block}`, (truth.get(`${b.date}|${b.block}`) ?? 0) + 1);
    }
    const rows = await database
      .db('od_blocks')
      .where('time_zone', TZ)
      .select<{ local_date: string; block: number; trips: number; hours: number }[]>(
        database.db.raw(`to_char(local_date, 'YYYY-MM-DD') as local_date`),
        'block',
        'trips',
        database.db.raw('extract(epoch from block_end - block_start)::int / 3600 as hours'),
      );
    const stored = new Map(rows.map((r) => [`${r.local_date}|${r.block}`, r]));
    for (const day of DAYS) {
      for (let block = 0; block < 6; block += 1) {
        expect({ day, block, trips: stored.get(`${day}|${block}`)?.trips }).toEqual({
          day,
          block,
          trips: truth.get(`${day}|${block}`) ?? 0,
        });
      }
    }
    // The night of 25 October: 02-06 lasts five hours, every other block four.
    expect(stored.get('2026-10-25|0')?.hours).toBe(5);
    expect(stored.get('2026-10-24|5')?.hours).toBe(4);
    expect(truth.get('2026-10-25|0')).toBeGreaterThan(0);
    expect(truth.get('2026-10-24|5')).toBeGreaterThan(0);
  });

  it('publishes the H3 units of at least k trips the simulator made, no more, no fewer', async () => {
    const town = await database
      .db('zones')
      .where({ kind: 'MUNICIPALITY', code: TOWN })
      .first<{ geometry: Parameters<typeof booleanPointInPolygon>[1] }>('geometry');
    const municipality = (lat: number, lng: number) =>
      booleanPointInPolygon([lng, lat], town.geometry) ? TOWN : null;
    const formFactor: Record<string, string> = { 'sim-mopeds': 'MOPED', 'sim-bikes': 'BICYCLE' };
    const counts = new Map<string, number>();
    for (const { operatorId, trip } of simulator.allCompletedTrips()) {
      const b = localClockBlock(trip.startMs);
      const key = unitKey({
        local_date: b.date,
        block: b.block,
        level: 'H3_8',
        origin: latLngToCell(trip.startLat, trip.startLng, 8),
        destination: latLngToCell(trip.endLat, trip.endLng, 8),
        operator_id: operatorId,
        form_factor: formFactor[operatorId] ?? '?',
        origin_municipality: municipality(trip.startLat, trip.startLng),
        destination_municipality: municipality(trip.endLat, trip.endLng),
      });
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const expected = new Map(
      [...counts].filter(([k, n]) => n >= K && DAYS.includes(k.slice(0, 10))),
    );
    expect(expected.size).toBeGreaterThan(5);
    expect(await storedUnits('H3_8')).toEqual(expected);
  });

  it('stores exactly what a brute-force count of the trips table gives, at every level', async () => {
    for (const level of ['H3_8', 'DISTRICT'] as const) {
      const expected = await bruteForceFine(level);
      expect(expected.size).toBeGreaterThan(0);
      expect(await storedUnits(level)).toEqual(expected);
    }
    // Coarse levels: all trips of a unit, published when >= k and what the fine units leave is 0 or >= k.
    const trips = await database.db('trips').whereIn('status', ['COMPLETED', 'OPEN']).select<
      {
        start_time: Date;
        start_h3_cell: string;
        end_h3_cell: string | null;
        operator_id: string;
        form_factor: string;
        municipality_code: string | null;
        end_municipality_code: string | null;
      }[]
    >('*');
    const fine = await storedUnits('H3_8');
    const all = new Map<string, number>();
    const fineSum = new Map<string, number>();
    for (const t of trips) {
      const b = localClockBlock(t.start_time.getTime());
      const common = {
        local_date: b.date,
        block: b.block,
        operator_id: t.operator_id,
        form_factor: t.form_factor,
        origin_municipality: t.municipality_code,
        destination_municipality: t.end_h3_cell ? t.end_municipality_code : null,
      };
      const coarse = unitKey({
        ...common,
        level: 'H3_7',
        origin: cellToParent(t.start_h3_cell, 7),
        destination: t.end_h3_cell ? cellToParent(t.end_h3_cell, 7) : null,
      });
      all.set(coarse, (all.get(coarse) ?? 0) + 1);
      const fineKey = unitKey({
        ...common,
        level: 'H3_8',
        origin: t.start_h3_cell,
        destination: t.end_h3_cell,
      });
      if (fine.has(fineKey)) {
        fineSum.set(coarse, (fineSum.get(coarse) ?? 0) + 1);
      }
    }
    const expected = new Map(
      [...all].filter(([key, n]) => {
        const rest = n - (fineSum.get(key) ?? 0);
        return DAYS.includes(key.slice(0, 10)) && n >= K && (rest === 0 || rest >= K);
      }),
    );
    expect(expected.size).toBeGreaterThan(0);
    expect(await storedUnits('H3_7')).toEqual(expected);
  });

  it('keeps each month without weekdays and blocks: the brute-force count, the published units', async () => {
    const { db } = database;
    const computed = new Set(
      (
        await db('od_blocks').select<{ b: string }[]>(
          db.raw(`to_char(local_date, 'YYYY-MM-DD') || '|' || block as b`),
        )
      ).map((r) => r.b),
    );
    /** Unit key (date|block|rest) -> month key (month|rest), summed. */
    const byMonth = (units: Map<string, number>) => {
      const out = new Map<string, number>();
      for (const [key, trips] of units) {
        const [date = '', , ...rest] = key.split('|');
        const month = [`${date.slice(0, 7)}-01`, ...rest].join('|');
        out.set(month, (out.get(month) ?? 0) + trips);
      }
      return out;
    };
    const stored = async (table: 'od_flows_month_all' | 'od_flows', level: string) => {
      const rows = await db(table)
        .where('level', level)
        .select<UnitRow[]>(
          '*',
          db.raw(
            table === 'od_flows'
              ? `to_char(local_date, 'YYYY-MM-DD') as local_date`
              : `to_char(month, 'YYYY-MM-DD') as local_date, 0 as block`,
          ),
        );
      const units = new Map<string, number>();
      for (const r of rows) {
        const key = unitKey(r);
        units.set(key, (units.get(key) ?? 0) + r.trips);
      }
      return byMonth(units);
    };
    for (const level of ['H3_8', 'DISTRICT'] as const) {
      // Every computed block's units of at least k trips, counted from the trips, summed per month.
      const expected = byMonth(
        await bruteForceFine(level, (u) => computed.has(`${u.local_date}|${u.block}`)),
      );
      expect(expected.size).toBeGreaterThan(0);
      expect(await stored('od_flows_month_all', level)).toEqual(expected);
    }
    // At every level, each month row is a sum of published block units, and holds all of them.
    for (const level of ['H3_7', 'H3_8', 'DISTRICT', 'MUNICIPALITY']) {
      const months = await stored('od_flows_month_all', level);
      expect(months.size).toBeGreaterThan(0);
      expect(months).toEqual(await stored('od_flows', level));
    }
  });

  it('recomputes a block after late trips: the rows are replaced, never added to', async () => {
    const { db } = database;
    const block = await db('od_blocks')
      .where({ time_zone: TZ, block: 2 })
      .andWhere('local_date', '2026-10-25')
      .first<{ block_start: Date; trips: number; computations: number }>('*');
    const before = await storedUnits('DISTRICT');
    // Five late trips from West to East, and three rentals (rotating ids) without an end.
    const at = new Date(block.block_start.getTime() + HOUR);
    await db('trips').insert(
      Array.from({ length: 5 }, () => ({
        id: randomUUID(),
        feed_id: randomUUID(),
        operator_id: 'sim-bikes',
        form_factor: 'BICYCLE',
        source: 'MDS_EXACT',
        status: 'COMPLETED',
        start_time: at,
        end_time: new Date(at.getTime() + 600_000),
        start_lat: 52.17,
        start_lng: 4.45,
        end_lat: 52.17,
        end_lng: 4.48,
        start_h3_cell: latLngToCell(52.17, 4.45, 8),
        end_h3_cell: latLngToCell(52.17, 4.48, 8),
        start_zone_ids: [districts[0]],
        end_zone_ids: [districts[1]],
        municipality_code: TOWN,
        end_municipality_code: TOWN,
        distance_meters: 3000,
      })),
    );
    await db('rentals').insert(
      Array.from({ length: 4 }, () => ({
        id: randomUUID(),
        feed_id: randomUUID(),
        operator_id: 'sim-bikes',
        vehicle_id: randomUUID(),
        form_factor: 'BICYCLE',
        kind: 'START',
        at,
        lat: 52.17,
        lng: 4.45,
        h3_cell: latLngToCell(52.17, 4.45, 8),
        zone_ids: [districts[0]],
        municipality_code: TOWN,
      })),
    );
    // Due at once (the block's count changed), and again a day after it ended: same rows both times.
    await odJob.run(context());
    const after = await storedUnits('DISTRICT');
    expect(after).toEqual(await bruteForceFine('DISTRICT'));
    const westEast = [...after].find(
      ([k]) =>
        k.startsWith('2026-10-25|2|DISTRICT|') &&
        k.includes(`${districts[0]}|${districts[1]}|sim-bikes`),
    );
    expect(westEast?.[1]).toBeGreaterThanOrEqual(5);
    expect(after).not.toEqual(before);
    const withoutEnd = await db('od_flows')
      .where({ level: 'DISTRICT', origin: districts[0], block_start: block.block_start })
      .whereNull('destination')
      .sum<{ n: string }[]>({ n: 'trips' });
    expect(Number(withoutEnd[0]?.n)).toBe(4);

    now = new Date(END + 3 * 24 * HOUR);
    await odJob.run(context());
    expect(await storedUnits('DISTRICT')).toEqual(after);
    const recomputed = await db('od_blocks')
      .where({ time_zone: TZ, block_start: block.block_start })
      .first<{ computations: number; trips: number }>('*');
    expect(recomputed.computations).toBeGreaterThan(block.computations);
    expect(recomputed.trips).toBe(block.trips + 9);
    // The month table is the sum of its blocks.
    const { rows } = await db.raw<{ rows: { diff: number }[] }>(
      `select count(*)::int as diff from (
         select level, origin, destination, operator_id, sum(trips) from od_flows group by 1, 2, 3, 4
         except
         select level, origin, destination, operator_id, sum(trips) from od_flows_month group by 1, 2, 3, 4) d`,
    );
    expect(rows[0]?.diff).toBe(0);
    const { rows: all } = await db.raw<{ rows: { diff: number }[] }>(
      `select count(*)::int as diff from (
         (select level, origin, destination, operator_id, sum(trips) from od_flows group by 1, 2, 3, 4
          except
          select level, origin, destination, operator_id, sum(trips) from od_flows_month_all
           group by 1, 2, 3, 4)
         union all
         (select level, origin, destination, operator_id, sum(trips) from od_flows_month_all
           group by 1, 2, 3, 4
          except
          select level, origin, destination, operator_id, sum(trips) from od_flows group by 1, 2, 3, 4)) d`,
    );
    expect(all[0]?.diff).toBe(0);
  });
});
