import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { createImportFeedsJob } from '../../importer/importFeeds';
import type { JobContext } from '../../types';
import { importerSettings } from '../../importer/settings';
import { distanceMeters } from '../../../lib/geo/distance';
import type { AreaGeometry } from '../../../lib/geo/geometry';
import { InProcessPubSub } from '../../../lib/pubsub';
import { TICK_MS } from '../../../lib/time/buckets';
import { HOUR, MINUTE } from '../../../lib/units';
import { seed } from '../../../seeds';
import { createFeedSimulator, type FeedSimulator, type VehicleTruth } from '../../../simulator';
import { createTestDatabase, silentLogger, TEST_CONFIG, type TestDatabase } from '../../../test/db';
import { packedSeriesDifferences } from '../../../test/packedSeries';
import { computeWindow } from '../compute';
import { createZoneStatsJob } from '../index';

/**
 * zone_stats against what the simulator really did: two fleets (stable and rotating ids) in
 * Amsterdam, imported every simulated minute, with the job down for an hour in the middle. Every
 * 5-minute bucket must equal a recount from the simulator's own record of where each vehicle was
 * and when it was rented, and the hour and day rollups must equal the same truth aggregated.
 */

const START = Date.parse('2026-11-23T07:00:00Z');
const MINUTES = 100;
const TIME_ZONE = 'Europe/Amsterdam';
const SETTINGS = {
  recountMs: 2 * HOUR,
  maxCatchupMs: 24 * HOUR,
  timeZone: TIME_ZONE,
  retention: { fiveMinuteDays: 90, hourDays: 730, dayDays: undefined },
};
/** The importer's rule: a vehicle that moved this far while listed was relocated (a new park). */
const RELOCATION_METERS = importerSettings(TEST_CONFIG).relocationDistanceMeters;

let database: TestDatabase;
let simulator: FeedSimulator;
const pubsub = new InProcessPubSub();

interface Zone {
  id: string;
  geometry: AreaGeometry;
  bbox: [number, number, number, number];
}
let zones: Zone[] = [];

/** One observation per vehicle per simulated minute. */
const observations: VehicleTruth[][] = [];

const context = (): JobContext => ({
  db: database.db,
  pubsub,
  logger: silentLogger,
  config: TEST_CONFIG,
  tickAt: undefined,
  payload: {},
});

function zonesAt(lat: number, lng: number): string[] {
  return zones
    .filter((z) => lng >= z.bbox[0] && lat >= z.bbox[1] && lng <= z.bbox[2] && lat <= z.bbox[3])
    .filter((z) => booleanPointInPolygon([lng, lat], z.geometry))
    .map((z) => z.id);
}

type Counts = [available: number, unavailable: number, started: number, ended: number];

/**
 * The truth per `tick|zone|operator|formFactor`, from the observations alone. A vehicle is parked
 * while the feed lists it, and also while it is hidden by a reservation that ends with it back in
 * place (the importer's glitch rule); a run of minutes off the feed that includes a ride is a
 * rental that started at the first minute the vehicle was missing and ended at the first minute it
 * was back. A park lies where it began (a move of RELOCATION_METERS or more begins a new one).
 */
function truth(): Map<string, Counts> {
  const counts = new Map<string, Counts>();
  const add = (minute: number, zonesOf: string[], v: VehicleTruth, index: number) => {
    const tick = START + minute * MINUTE - ((START + minute * MINUTE) % TICK_MS);
    for (const zone of zonesOf) {
      const key = `${tick}|${zone}|${v.operatorId}|${v.formFactor}`;
      const c: Counts = counts.get(key) ?? [0, 0, 0, 0];
      c[index] = (c[index] ?? 0) + 1;
      counts.set(key, c);
    }
  };
  const vehicles = observations[0]?.length ?? 0;
  for (let i = 0; i < vehicles; i += 1) {
    const seen = observations.map((minute) => minute[i] as VehicleTruth);
    const listed = (v: VehicleTruth) => v.state !== 'HIDDEN' && v.state !== 'ON_TRIP';
    // Which minutes off the feed belong to a ride.
    const rental = new Array<boolean>(seen.length).fill(false);
    for (let m = 0; m < seen.length;) {
      if (listed(seen[m] as VehicleTruth)) {
        m += 1;
        continue;
      }
      let end = m;
      while (end < seen.length && !listed(seen[end] as VehicleTruth)) end += 1;
      const ride = seen.slice(m, end).some((v) => v.state === 'ON_TRIP');
      for (let k = m; k < end; k += 1) rental[k] = ride;
      m = end;
    }
    let park: { lat: number; lng: number } | null = null;
    let lastListed: { lat: number; lng: number } | null = null;
    for (let m = 0; m < seen.length; m += 1) {
      const v = seen[m] as VehicleTruth;
      if (listed(v)) {
        if (m > 0 && rental[m - 1]) add(m, zonesAt(v.lat, v.lng), v, 3);
        if (
          !park ||
          (lastListed &&
            distanceMeters(lastListed.lat, lastListed.lng, v.lat, v.lng) >= RELOCATION_METERS)
        ) {
          park = { lat: v.lat, lng: v.lng };
        }
        lastListed = { lat: v.lat, lng: v.lng };
      } else if (rental[m]) {
        if (m > 0 && !rental[m - 1] && lastListed) {
          add(m, zonesAt(lastListed.lat, lastListed.lng), v, 2);
        }
        park = null;
      }
      const minute = START + m * MINUTE;
      if (minute % TICK_MS === 0 && park && !rental[m]) {
        add(m, zonesAt(park.lat, park.lng), v, v.state === 'DISABLED' ? 1 : 0);
      }
    }
  }
  return counts;
}

beforeAll(async () => {
  database = await createTestDatabase();
  await seed(database.db, pubsub, silentLogger, { demo: false });
  // A custom zone over Amsterdam's centre, besides the municipalities.
  await database.db('zones').insert({
    code: 'centre',
    name: 'Centre',
    kind: 'CUSTOM',
    municipality_code: 'GM0363',
    geometry: JSON.stringify({
      type: 'Polygon',
      coordinates: [
        [
          [4.86, 52.35],
          [4.94, 52.35],
          [4.94, 52.39],
          [4.86, 52.39],
          [4.86, 52.35],
        ],
      ],
    }),
  });
  const rows = await database
    .db('zones')
    .select<{ id: string; geometry: AreaGeometry }[]>('id', 'geometry');
  zones = rows.map((z) => {
    const points = (
      z.geometry.type === 'Polygon' ? [z.geometry.coordinates] : z.geometry.coordinates
    ).flat(2);
    const lngs = points.map((p) => p[0]);
    const lats = points.map((p) => p[1]);
    return {
      id: z.id,
      geometry: z.geometry,
      bbox: [Math.min(...lngs), Math.min(...lats), Math.max(...lngs), Math.max(...lats)],
    };
  });

  simulator = createFeedSimulator({
    operators: [
      { id: 'sim-scooters', name: 'Sim Scooters', vehicles: 200, formFactor: 'SCOOTER_STANDING' },
      {
        id: 'sim-bikes',
        name: 'Sim Bikes',
        vehicles: 200,
        formFactor: 'BICYCLE',
        rotatingIds: true,
      },
    ],
    seed: 11,
    municipalities: ['GM0363'],
    startTime: new Date(START),
  });
  await simulator.start(0, '127.0.0.1');
  await database.db('operators').insert([
    { id: 'sim-scooters', name: 'Sim Scooters' },
    { id: 'sim-bikes', name: 'Sim Bikes' },
  ]);
  await database.db('feeds').insert([
    {
      operator_id: 'sim-scooters',
      url: simulator.feedUrls('sim-scooters').gbfs30,
      type: 'GBFS3_VEHICLE_STATUS',
    },
    {
      operator_id: 'sim-bikes',
      url: simulator.feedUrls('sim-bikes').gbfs23,
      type: 'GBFS_DISCOVERY',
      rotating_ids: true,
    },
  ]);
});

afterAll(async () => {
  await simulator?.stop();
  await pubsub.close();
  await database?.drop();
});

async function storedFiveMinutes(from: number, to: number): Promise<Map<string, Counts>> {
  const rows = await database
    .db('zone_stats_5m')
    .where('bucket_start', '>=', new Date(from))
    .andWhere('bucket_start', '<=', new Date(to))
    .whereNot('operator_id', '*')
    .whereNot('form_factor', '*')
    .select<
      {
        bucket_start: Date;
        zone_id: string;
        operator_id: string;
        form_factor: string;
        available: number;
        unavailable: number;
        started: number;
        ended: number;
      }[]
    >('*');
  return new Map(
    rows.map((r) => [
      `${r.bucket_start.getTime()}|${r.zone_id}|${r.operator_id}|${r.form_factor}`,
      [r.available, r.unavailable, r.started, r.ended] as Counts,
    ]),
  );
}

/** Entries of `actual` and `expected` that differ, for a readable failure. */
function differences(actual: Map<string, Counts>, expected: Map<string, Counts>): string[] {
  const out: string[] = [];
  for (const key of new Set([...actual.keys(), ...expected.keys()])) {
    const a = JSON.stringify(actual.get(key) ?? [0, 0, 0, 0]);
    const e = JSON.stringify(expected.get(key) ?? [0, 0, 0, 0]);
    if (a !== e) out.push(`${key}: stored ${a}, simulator ${e}`);
  }
  return out.slice(0, 20);
}

describe('zone_stats against the simulator', () => {
  it('counts every bucket as the simulator did, fills a gap, and a rerun changes nothing', async () => {
    const importer = createImportFeedsJob({
      settings: { ...importerSettings(TEST_CONFIG), feedTimeoutMs: 5000 },
      now: () => simulator.now(),
    });
    const zoneStats = createZoneStatsJob({ settings: SETTINGS, now: () => simulator.now() });
    for (let minute = 0; minute <= MINUTES; minute += 1) {
      if (minute > 0) simulator.advance(MINUTE);
      await importer.run(context());
      observations.push(simulator.vehicleTruth());
      // The job runs at 30 min, is down until 80 min (a gap), runs at 80 and at the end.
      if (minute === 30 || minute === 80) await zoneStats.run(context());
    }
    await zoneStats.run(context());
    // The same tick again, and a second runner at the same time: nothing changes.
    const end = START + MINUTES * MINUTE;
    await expect(zoneStats.run(context())).resolves.toEqual({ rows: 0 });
    const [first, second] = await Promise.all([
      computeWindow(database.db, end - HOUR, end, TIME_ZONE),
      computeWindow(database.db, end - HOUR, end, TIME_ZONE),
    ]);
    expect([first, second]).toEqual([0, 0]);

    // Every tick from the first import on is covered (the gap was filled from the events).
    const covered = await database
      .db('zone_stats_coverage')
      .where({ resolution: '5m' })
      .andWhere('bucket_start', '>=', new Date(START))
      .count<{ n: string }[]>({ n: '*' });
    expect(Number(covered[0]?.n)).toBe(MINUTES / 5 + 1);

    // Until 20 minutes before the end, every hidden vehicle has come back: the truth is final.
    const last = end - 20 * MINUTE;
    const expected = new Map([...truth()].filter(([k]) => Number(k.split('|')[0]) <= last));
    const stored = await storedFiveMinutes(START, last);
    expect(differences(stored, expected)).toEqual([]);
    const totals = [0, 1, 2, 3].map((i) =>
      [...expected.values()].reduce((sum, c) => sum + (c[i] ?? 0), 0),
    );
    // The simulation did something of every kind.
    expect(totals.every((t) => t > 0)).toBe(true);
  }, 300_000);

  it('rolls up to hours and days with exact minimum, maximum and average', async () => {
    const ticks = (
      await database.db('zone_stats_coverage').where({ resolution: '5m' }).pluck('bucket_start')
    ).map((d: Date) => d.getTime());
    const stored = await storedFiveMinutes(Math.min(...ticks), Math.max(...ticks));
    // Per tick, zone and grouping level: the sum over what the level leaves out.
    const levels = new Map<string, number[]>();
    for (const [key, [a, u, s, e]] of stored) {
      const [tick, zone, op, ff] = key.split('|') as [string, string, string, string];
      for (const [o, f] of [
        [op, ff],
        [op, '*'],
        ['*', ff],
        ['*', '*'],
      ]) {
        const k = `${tick}|${zone}|${o}|${f}`;
        const v = levels.get(k) ?? [0, 0, 0, 0];
        levels.set(k, [(v[0] ?? 0) + a, (v[1] ?? 0) + u, (v[2] ?? 0) + s, (v[3] ?? 0) + e]);
      }
    }
    const hourOf = (t: number) => t - (t % HOUR);
    const expected = new Map<string, number[]>();
    const series = new Map<string, Map<number, number[]>>();
    for (const [key, value] of levels) {
      const [tick, ...rest] = key.split('|');
      const group = rest.join('|');
      const bySeries = series.get(group) ?? new Map<number, number[]>();
      bySeries.set(Number(tick), value);
      series.set(group, bySeries);
    }
    for (const [group, byTick] of series) {
      for (const hour of new Set(ticks.map(hourOf))) {
        const values = ticks
          .filter((t) => hourOf(t) === hour)
          .map((t) => byTick.get(t) ?? [0, 0, 0, 0]);
        if (!values.some((v) => v.some((x) => x !== 0))) continue;
        const a = values.map((v) => v[0] ?? 0);
        const u = values.map((v) => v[1] ?? 0);
        const total = values.map((v) => (v[0] ?? 0) + (v[1] ?? 0));
        const sum = (xs: number[]) => xs.reduce((x, y) => x + y, 0);
        expected.set(`${hour}|${group}`, [
          sum(a),
          Math.min(...a),
          Math.max(...a),
          sum(u),
          Math.min(...u),
          Math.max(...u),
          Math.min(...total),
          Math.max(...total),
          sum(values.map((v) => v[2] ?? 0)),
          sum(values.map((v) => v[3] ?? 0)),
        ]);
      }
    }
    const hourRows = await database.db('zone_stats_hour').select('*');
    const actual = new Map<string, number[]>(
      hourRows.map((r: Record<string, unknown>) => [
        `${(r.bucket_start as Date).getTime()}|${String(r.zone_id)}|${String(r.operator_id)}|${String(r.form_factor)}`,
        [
          Number(r.available_sum),
          r.available_min as number,
          r.available_max as number,
          Number(r.unavailable_sum),
          r.unavailable_min as number,
          r.unavailable_max as number,
          r.total_min as number,
          r.total_max as number,
          r.started as number,
          r.ended as number,
        ],
      ]),
    );
    expect(actual.size).toBeGreaterThan(0);
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));

    // The whole simulation lies in one Amsterdam day: its row equals the hours' aggregate.
    const day = await database
      .db('zone_stats_day')
      .where({ operator_id: '*', form_factor: '*' })
      .select<
        { zone_id: string; available_min: number; available_max: number; available_sum: string }[]
      >('zone_id', 'available_min', 'available_max', 'available_sum');
    for (const row of day) {
      const hours = [...actual].filter(([k]) => k.endsWith(`|${String(row.zone_id)}|*|*`));
      const coveredHours = new Set(ticks.map(hourOf)).size;
      const mins = hours.map(([, v]) => v[1] ?? 0);
      expect(row.available_min).toBe(hours.length < coveredHours ? 0 : Math.min(...mins));
      expect(row.available_max).toBe(Math.max(...hours.map(([, v]) => v[2] ?? 0)));
      expect(Number(row.available_sum)).toBe(hours.reduce((s, [, v]) => s + (v[0] ?? 0), 0));
    }
    expect(day.length).toBeGreaterThan(0);
  });

  it('packs the quarter hours and days of all operators exactly as the rows they are made of', async () => {
    for (const table of ['zone_stats_15m_packed', 'zone_stats_day_packed']) {
      const rows = await database.db(table).count<{ n: string }[]>({ n: '*' });
      expect({ table, some: Number(rows[0]?.n) > 0 }).toEqual({ table, some: true });
    }
    expect(await packedSeriesDifferences(database.db, TIME_ZONE)).toEqual([]);
  });
});
