import { loadConfig } from '../../../lib/config';
import { importerSettings } from '../../importer/settings';
import type { FeedType } from '../../../lib/domain/fleet';
import { addDays, zonedInstant, type Day } from '../../../lib/domain/calendar';
import { SpatialIndex } from '../../../lib/geo/spatialIndex';
import { InProcessPubSub } from '../../../lib/pubsub';
import { HOUR, MINUTE } from '../../../lib/units';
import { seed } from '../../../seeds';
import { seedDemoDistricts } from '../../../seeds/demoDistricts';
import { createFeedSimulator, type VehicleTruth } from '../../../simulator';
import type { IndexedZone } from '../../../lib/domain/zones';
import { createZoneStore } from '../../../lib/domain/zoneStore';
import { createTestDatabase, silentLogger, type TestDatabase } from '../../../test/db';
import { createImportFeedsJob } from '../../importer/importFeeds';
import type { JobContext } from '../../types';
import { computeDailyReport, MEASUREMENT_MOMENTS, MOMENT_COLUMNS, PARKED_DAYS } from '../compute';

/**
 * The daily report against what the simulator really did. A simulated day in Amsterdam (its
 * municipality and the demo grid districts) is imported minute by minute, as the importer would in
 * production; the report is then compared, zone x operator x form factor, with a brute-force count
 * from the simulator's own records: every vehicle's state and position, sampled at the importer's
 * one-minute ticks (what the feeds could show). A rental starts at the first tick its vehicle is
 * away and ends at the first tick it is back (rentals chained within a minute look like one, as
 * they do in any feed); an absence without a trip (a hidden reservation) leaves the vehicle parked.
 * Both daylight-saving days are covered: 29 March 2026 has 23 hours, 25 October 25 hours.
 * Feeds keep their vehicle ids: with rotating ids the importer can only count rental starts and
 * ends, and a trip ending within metres of a vehicle that just vanished is taken for a renamed
 * vehicle, so those counts are estimates by design, not truth to compare with.
 */

const TZ = 'Europe/Amsterdam';
const CONFIG = loadConfig({ NODE_ENV: 'test' });
const SETTINGS = { ...importerSettings(CONFIG), feedTimeoutMs: 5000 };
const OPERATORS = [
  { id: 'sim-bikes', name: 'Sim Bikes', vehicles: 40, formFactor: 'BICYCLE' as const },
  {
    id: 'sim-scooters',
    name: 'Sim Scooters',
    vehicles: 40,
    formFactor: 'SCOOTER_STANDING' as const,
  },
];
const FEEDS: { operator: string; type: FeedType; url: 'gbfs23' | 'gbfs30' }[] = [
  { operator: 'sim-bikes', type: 'GBFS3_VEHICLE_STATUS', url: 'gbfs30' },
  { operator: 'sim-scooters', type: 'GBFS_DISCOVERY', url: 'gbfs23' },
];

type Figures = Record<string, number>;

const tick = (ms: number) => Math.ceil(ms / MINUTE) * MINUTE;

function add(truth: Map<string, Figures>, key: string, column: string, value = 1): void {
  const figures = truth.get(key) ?? {};
  figures[column] = (figures[column] ?? 0) + value;
  truth.set(key, figures);
}

/** Every column of the report, zero where the truth has nothing. */
function complete(figures: Figures): Figures {
  const columns = [
    'trips_started',
    'trips_ended',
    'rentals_completed',
    'rental_seconds_total',
    ...MOMENT_COLUMNS,
    ...PARKED_DAYS.map((d) => `parked_${d}d`),
    'non_operational_24h',
    'non_operational_7d',
  ];
  return Object.fromEntries(columns.map((c) => [c, figures[c] ?? 0]));
}

async function simulateDay(day: Day, seedNumber: number) {
  const database: TestDatabase = await createTestDatabase();
  const pubsub = new InProcessPubSub();
  const start = zonedInstant(day, '00:00', TZ).getTime();
  const end = zonedInstant(addDays(day, 1), '00:00', TZ).getTime();
  const simulator = createFeedSimulator({
    operators: OPERATORS,
    seed: seedNumber,
    municipalities: ['GM0363'],
    startTime: new Date(start),
    tripRetentionMs: 3 * 24 * HOUR,
  });
  try {
    await seed(database.db, pubsub, silentLogger, { demo: false });
    await seedDemoDistricts(database.db, pubsub);
    await simulator.start(0, '127.0.0.1');
    await database.db('operators').insert(OPERATORS.map((o) => ({ id: o.id, name: o.name })));
    await database.db('feeds').insert(
      FEEDS.map((f) => ({
        operator_id: f.operator,
        url: simulator.feedUrls(f.operator)[f.url],
        type: f.type,
        // The simulated operators keep their ids; unset, a GBFS feed is read as rotating.
        rotating_ids: false,
      })),
    );
    const zones = new SpatialIndex<IndexedZone>(await createZoneStore(database.db).forIndex());
    const zonesAt = (lat: number, lng: number) => zones.containing(lng, lat).map((z) => z.id);
    const formFactor = new Map(OPERATORS.map((o) => [o.id, o.formFactor]));
    const moments = new Map(
      MEASUREMENT_MOMENTS.map((m, i) => [zonedInstant(day, m, TZ).getTime(), i]),
    );

    const truth = new Map<string, Figures>();
    const job = createImportFeedsJob({ settings: SETTINGS, now: () => simulator.now() });
    const context: JobContext = {
      db: database.db,
      pubsub,
      logger: silentLogger,
      tickAt: undefined,
      payload: {},
      config: CONFIG,
    };
    /** A vehicle's run of ticks away from the feed; a rental when it was on a trip at one. */
    interface Absence {
      startTick: number;
      startLat: number;
      startLng: number;
      onTrip: boolean;
      /** Moments it was away at: it was parked then unless the absence turns out a rental. */
      moments: { column: string; keys: string[] }[];
    }
    interface Seen {
      lat: number;
      lng: number;
      absence: Absence | null;
    }
    const seen = new Map<string, Seen>();
    const rentals: {
      operatorId: string;
      startTick: number;
      startLat: number;
      startLng: number;
      end: { tick: number; lat: number; lng: number } | null;
    }[] = [];
    const parkedKeys = (v: VehicleTruth) =>
      zonesAt(v.parkedLat, v.parkedLng).map((z) => `${z}|${v.operatorId}|${v.formFactor}`);

    const last = new Map<string, string>();
    let importedAt = -Infinity;
    // On past the day's end by the reappearance window, so that a vehicle that vanished just
    // before midnight is known to be rented or not, as it is when the report runs at night.
    for (let at = start; at <= end + SETTINGS.reappearWindowMs; at += MINUTE) {
      if (at > start) simulator.advance(MINUTE);
      const vehicles = simulator.vehicleTruth();
      // A tick whose feeds list exactly what the previous one listed gives no events: skip it
      // (the quiet night), but never for longer than the importer's gap rule allows.
      let changed = false;
      for (const v of vehicles) {
        const now = `${v.state}@${v.lat},${v.lng}`;
        if (last.get(v.deviceId) !== now) changed = true;
        last.set(v.deviceId, now);
      }
      if (changed || at - importedAt >= 4 * MINUTE) {
        await job.run(context);
        importedAt = at;
      }
      const moment = moments.get(at);
      for (const v of vehicles) {
        if (at > end && !seen.get(v.deviceId)?.absence) continue;
        const listed = v.state !== 'ON_TRIP' && v.state !== 'HIDDEN';
        const before = seen.get(v.deviceId);
        let absence = before?.absence ?? null;
        if (listed) {
          if (absence?.onTrip) {
            rentals.push({
              operatorId: v.operatorId,
              startTick: absence.startTick,
              startLat: absence.startLat,
              startLng: absence.startLng,
              end: { tick: at, lat: v.lat, lng: v.lng },
            });
          } else if (absence) {
            // Back where it was: it never left public space (a hidden reservation).
            for (const m of absence.moments) for (const key of m.keys) add(truth, key, m.column);
          }
          seen.set(v.deviceId, { lat: v.lat, lng: v.lng, absence: null });
        } else {
          if (!absence) {
            absence = {
              startTick: at,
              startLat: before?.lat ?? v.lat,
              startLng: before?.lng ?? v.lng,
              onTrip: false,
              moments: [],
            };
            seen.set(v.deviceId, { lat: before?.lat ?? v.lat, lng: before?.lng ?? v.lng, absence });
          }
          if (v.state === 'ON_TRIP') absence.onTrip = true;
        }
        if (moment === undefined) continue;
        if (!listed) {
          absence?.moments.push({ column: MOMENT_COLUMNS[moment]!, keys: parkedKeys(v) });
          continue;
        }
        for (const key of parkedKeys(v)) {
          add(truth, key, MOMENT_COLUMNS[moment]!);
          if (moment !== 0) continue;
          for (const days of PARKED_DAYS) {
            if (tick(v.parkedSinceMs) < at - days * 24 * HOUR) add(truth, key, `parked_${days}d`);
          }
          if (v.state === 'DISABLED' && tick(v.stateSinceMs) < at - 24 * HOUR)
            add(truth, key, 'non_operational_24h');
          if (v.state === 'DISABLED' && tick(v.stateSinceMs) < at - 7 * 24 * HOUR)
            add(truth, key, 'non_operational_7d');
        }
      }
    }
    // Rentals still under way at the end of the day.
    for (const v of simulator.vehicleTruth()) {
      const absence = seen.get(v.deviceId)?.absence;
      if (absence?.onTrip) rentals.push({ operatorId: v.operatorId, ...absence, end: null });
    }
    // The simulator's own trip log agrees with what the feeds showed.
    let logged = 0;
    for (const operator of OPERATORS) {
      logged += simulator.completedTrips(
        operator.id,
        Math.floor(start / HOUR) * HOUR,
        end + 1,
      ).length;
    }
    const completed = rentals.filter((r) => r.end !== null && r.end.tick <= end).length;
    expect(completed).toBeLessThanOrEqual(logged);
    expect(completed).toBeGreaterThan(logged * 0.97);

    for (const rental of rentals) {
      const ff = formFactor.get(rental.operatorId);
      if (rental.startTick < end) {
        for (const zone of zonesAt(rental.startLat, rental.startLng)) {
          const key = `${zone}|${rental.operatorId}|${ff}`;
          add(truth, key, 'trips_started');
          if (rental.end) {
            add(truth, key, 'rentals_completed');
            add(truth, key, 'rental_seconds_total', (rental.end.tick - rental.startTick) / 1000);
          }
        }
      }
      if (rental.end && rental.end.tick < end) {
        for (const zone of zonesAt(rental.end.lat, rental.end.lng)) {
          add(truth, `${zone}|${rental.operatorId}|${ff}`, 'trips_ended');
        }
      }
    }

    const rows = await computeDailyReport(database.db, day, TZ);
    return { database, pubsub, truth, rows, trips: rentals.length };
  } finally {
    await simulator.stop();
  }
}

async function reportOf(database: TestDatabase, day: Day): Promise<Map<string, Figures>> {
  const rows = await database
    .db('daily_zone_indicators')
    .where({ day })
    .select<Record<string, unknown>[]>('*');
  return new Map(
    rows.map((r) => {
      const key = `${r.zone_id as string}|${r.operator_id as string}|${r.form_factor as string}`;
      const figures: Figures = {};
      for (const [column, value] of Object.entries(r)) {
        if (!['day', 'zone_id', 'operator_id', 'form_factor', 'municipality_code'].includes(column))
          figures[column] = Number(value);
      }
      return [key, figures];
    }),
  );
}

function sorted(map: Map<string, Figures>): [string, Figures][] {
  return [...map.entries()]
    .map(([key, figures]): [string, Figures] => [key, complete(figures)])
    .sort(([a], [b]) => (a < b ? -1 : 1));
}

const DAYS: [Day, number, number][] = [
  ['2026-03-29', 23, 11],
  ['2026-10-25', 25, 12],
];
const runs = new Map<Day, Awaited<ReturnType<typeof simulateDay>>>();

// Both days at once: each has its own database, simulator and importer.
beforeAll(async () => {
  const done = await Promise.all(DAYS.map(([day, , seedNumber]) => simulateDay(day, seedNumber)));
  done.forEach((run, i) => runs.set(DAYS[i]![0], run));
}, 900_000);

afterAll(async () => {
  for (const run of runs.values()) {
    await run.pubsub.close();
    await run.database.drop();
  }
});

describe.each(DAYS)('the daily report of %s (%i hours)', (day, hours) => {
  const current = () => {
    const run = runs.get(day);
    if (!run) throw new Error(`${day} was not simulated`);
    return run;
  };

  it('equals a brute-force count from the simulator, zone by zone', async () => {
    const run = current();
    expect(
      (zonedInstant(addDays(day, 1), '00:00', TZ).getTime() -
        zonedInstant(day, '00:00', TZ).getTime()) /
        HOUR,
    ).toBe(hours);
    expect(run.trips).toBeGreaterThan(200);
    const report = await reportOf(run.database, day);
    expect(report.size).toBe(run.rows);
    expect(sorted(report)).toEqual(sorted(run.truth));
    // Every measurement moment saw vehicles, and Amsterdam as a whole had trips.
    const amsterdam = await run.database
      .db('daily_zone_indicators as d')
      .join('zones as z', 'z.id', 'd.zone_id')
      .where({ 'd.day': day, 'z.code': 'GM0363' })
      .sum<Record<string, string>>({
        started: 'trips_started',
        ...Object.fromEntries(MOMENT_COLUMNS.map((c) => [c, c])),
      })
      .first();
    expect(Number(amsterdam?.started)).toBeGreaterThan(200);
    for (const column of MOMENT_COLUMNS) expect(Number(amsterdam?.[column])).toBeGreaterThan(40);
  });

  it('changes nothing when the day is computed again', async () => {
    const run = current();
    const before = sorted(await reportOf(run.database, day));
    await expect(computeDailyReport(run.database.db, day, TZ)).resolves.toBe(run.rows);
    expect(sorted(await reportOf(run.database, day))).toEqual(before);
  });
});
