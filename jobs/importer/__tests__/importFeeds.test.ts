import { channels } from '../../../lib/domain/channels';
import { metersToLatDegrees } from '../../../lib/geo/distance';
import { InProcessPubSub } from '../../../lib/pubsub';
import { seed } from '../../../seeds';
import { createTestDatabase, silentLogger, TEST_CONFIG, type TestDatabase } from '../../../test/db';
import type { JobContext } from '../../types';
import { startFeedServer, type FeedServer } from '../../../lib/feeds/__tests__/feedServer';
import { createImportFeedsJob } from '../importFeeds';
import { importerSettings } from '../settings';

/**
 * The import job end to end: a real HTTP server serving a GBFS 2.3 free_bike_status that each
 * test changes between ticks, the real feed reader, the real municipalities, real PostgreSQL.
 */

let database: TestDatabase;
let server: FeedServer;
let pubsub: InProcessPubSub;
let amsterdamId: string;

const SETTINGS = { ...importerSettings(TEST_CONFIG), feedTimeoutMs: 3000 };
const T0 = Date.parse('2026-11-22T08:00:00Z');
const MINUTE_S = 60;

beforeAll(async () => {
  database = await createTestDatabase();
  pubsub = new InProcessPubSub();
  await seed(database.db, pubsub, silentLogger, { demo: false });
  server = await startFeedServer();
  const amsterdam = await database
    .db('zones')
    .where({ kind: 'MUNICIPALITY', code: 'GM0363' })
    .first<{ id: string }>('id');
  amsterdamId = amsterdam.id;
});

afterAll(async () => {
  await server?.close();
  await pubsub?.close();
  await database?.drop();
});

interface Bike {
  id: string;
  lat: number;
  lng: number;
  reserved?: boolean;
  disabled?: boolean;
}

/** 30 bikes on a grid in the centre of Amsterdam, about 330 m apart. */
function fleet(count = 30): Bike[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `bike-${i}`,
    lat: 52.355 + Math.floor(i / 6) * 0.003,
    lng: 4.87 + (i % 6) * 0.005,
  }));
}

const without = (bikes: Bike[], ...ids: string[]) => bikes.filter((b) => !ids.includes(b.id));
const replace = (bikes: Bike[], id: string, patch: Partial<Bike>) =>
  bikes.map((b) => (b.id === id ? { ...b, ...patch } : b));
const northOf = (bike: Bike, meters: number): Partial<Bike> => ({
  lat: bike.lat + metersToLatDegrees(meters),
});

interface ParkEventRow {
  id: string;
  vehicle_id: string;
  start_time: Date;
  end_time: Date | null;
  end_reason: string | null;
  zone_ids: string[];
  municipality_code: string | null;
  h3_cell: string;
  operator_id: string;
}

interface TripRow {
  id: string;
  vehicle_id: string;
  status: string;
  start_time: Date;
  end_time: Date | null;
  start_zone_ids: string[];
  end_zone_ids: string[] | null;
  municipality_code: string | null;
  end_municipality_code: string | null;
  distance_meters: number | null;
}

let scenarios = 0;

/**
 * One feed of its own (the previous scenario's feed deleted), served at its own path, with its own clock and
 * import job. `tick(seconds)` runs the job with the clock at T0 + seconds.
 */
async function scenario(options: { rotatingIds?: boolean | null; expectEmpty?: boolean } = {}) {
  const { db } = database;
  scenarios += 1;
  const name = `operator-${scenarios}`;
  // The previous scenario's feed goes away with its state (its events stay, under its id).
  await db('feeds').delete();
  await db('operators').insert({ id: name, name: `Operator ${scenarios}` });
  const path = `/${name}/free_bike_status.json`;
  let clockMs = T0;
  let bikes: Bike[] = [];
  let failure: { status: number; body: string } | null = null;
  /** The feed's own last_updated, when frozen (else the clock). */
  let frozenAtMs: number | null = null;
  server.route(path, (_req, res) => {
    if (failure) {
      res.writeHead(failure.status, { 'content-type': 'application/json' }).end(failure.body);
      return;
    }
    const body = {
      last_updated: Math.floor((frozenAtMs ?? clockMs) / 1000),
      ttl: 0,
      version: '2.3',
      data: {
        bikes: bikes.map((b) => ({
          bike_id: b.id,
          lat: b.lat,
          lon: b.lng,
          is_reserved: b.reserved ?? false,
          is_disabled: b.disabled ?? false,
        })),
      },
    };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  const [feed] = await db('feeds')
    .insert({
      operator_id: name,
      url: `${server.base}${path}`,
      type: 'GBFS_FREE_BIKE_STATUS',
      default_form_factor: 'BICYCLE',
      rotating_ids: options.rotatingIds === undefined ? false : options.rotatingIds,
      expect_empty: options.expectEmpty ?? false,
    })
    .returning<{ id: string }[]>('id');
  const feedId = feed?.id ?? '';
  const context: JobContext = {
    db,
    pubsub,
    logger: silentLogger,
    config: TEST_CONFIG,
    tickAt: undefined,
    payload: {},
  };
  const newJob = () => createImportFeedsJob({ settings: SETTINGS, now: () => new Date(clockMs) });
  let job = newJob();
  const at = (seconds: number) => new Date(T0 + seconds * 1000);

  return {
    feedId,
    at,
    serve(next: Bike[]) {
      bikes = next;
      failure = null;
    },
    fail(status: number, body: string) {
      failure = { status, body };
    },
    /** The feed's own last_updated stops at `seconds` (null: follows the clock again). */
    freeze(seconds: number | null) {
      frozenAtMs = seconds === null ? null : T0 + seconds * 1000;
    },
    async tick(seconds: number) {
      clockMs = T0 + seconds * 1000;
      return job.run(context);
    },
    /** A new process: a new job with an empty memory, on the same database. */
    restart() {
      job = newJob();
    },
    newJob,
    context,
    setClock(seconds: number) {
      clockMs = T0 + seconds * 1000;
    },
    parkEvents: () =>
      db('park_events')
        .where('feed_id', feedId)
        .orderBy([{ column: 'start_time' }, { column: 'vehicle_id' }])
        .select<ParkEventRow[]>('*'),
    openParkEvents: () =>
      db('park_events')
        .where('feed_id', feedId)
        .whereNull('end_time')
        .orderBy('vehicle_id')
        .select<ParkEventRow[]>('*'),
    trips: () => db('trips').where('feed_id', feedId).orderBy('start_time').select<TripRow[]>('*'),
    rentals: () =>
      db('rentals')
        .where('feed_id', feedId)
        .orderBy([{ column: 'at' }, { column: 'kind' }])
        .select<{ kind: string; vehicle_id: string; at: Date; zone_ids: string[] }[]>('*'),
    health: () =>
      db('feed_health')
        .where('feed_id', feedId)
        .first<Record<string, unknown> & { status: string; consecutive_failures: number }>(),
    outages: () =>
      db('feed_outages')
        .where('feed_id', feedId)
        .orderBy('started_at')
        .select<{ started_at: Date; ended_at: Date | null; reason: string; path: string | null }[]>(
          '*',
        ),
    vehiclesNow: () =>
      db('vehicles_now').where('feed_id', feedId).orderBy('vehicle_id').select<
        {
          vehicle_id: string;
          lat: number;
          zone_ids: string[];
          municipality_code: string;
          stale: boolean;
        }[]
      >('*'),
    eventCount: async () => {
      const count = async (table: string) =>
        Number((await db(table).where('feed_id', feedId).count<{ n: string }[]>({ n: '*' }))[0]?.n);
      return {
        parkEvents: await count('park_events'),
        trips: await count('trips'),
        rentals: await count('rentals'),
        nonOperational: await count('non_operational_periods'),
      };
    },
  };
}

describe('import_feeds', () => {
  it('checks in every vehicle of a new feed with its zones, and records no trips', async () => {
    const s = await scenario();
    s.serve(fleet());
    await expect(s.tick(0)).resolves.toEqual({ rows: 30 });

    const open = await s.openParkEvents();
    expect(open).toHaveLength(30);
    for (const event of open) {
      expect(event.start_time).toEqual(s.at(0));
      expect(event.zone_ids).toContain(amsterdamId);
      expect(event.municipality_code).toBe('GM0363');
      expect(event.h3_cell).toMatch(/^88[0-9a-f]{13}$/);
    }
    expect(await s.trips()).toEqual([]);
    expect(await s.vehiclesNow()).toHaveLength(30);
    expect(await s.health()).toMatchObject({
      status: 'OK',
      consecutive_failures: 0,
      vehicles_in_last_snapshot: 30,
    });
    // The same snapshot again: nothing new.
    await expect(s.tick(30)).resolves.toEqual({ rows: 0 });
  });

  it('turns a disappearance into a rental: the park event ends and a trip starts, then ends', async () => {
    const s = await scenario();
    const bikes = fleet();
    s.serve(bikes);
    await s.tick(0);
    s.serve(without(bikes, 'bike-1'));
    await expect(s.tick(30)).resolves.toEqual({ rows: 2 });

    const ended = (await s.parkEvents()).find((p) => p.vehicle_id === 'bike-1');
    expect(ended).toMatchObject({ end_time: s.at(30), end_reason: 'RENTAL' });
    const [trip] = await s.trips();
    expect(trip).toMatchObject({
      vehicle_id: 'bike-1',
      status: 'OPEN',
      start_time: s.at(30),
      municipality_code: 'GM0363',
      end_time: null,
    });
    expect(trip?.start_zone_ids).toContain(amsterdamId);
    expect((await s.vehiclesNow()).map((v) => v.vehicle_id)).not.toContain('bike-1');

    // Read every 4 minutes meanwhile (within the max gap) ...
    for (let minutes = 4; minutes < 20; minutes += 4) await s.tick(30 + minutes * MINUTE_S);
    // ... back 20 minutes later, 2 km further: the trip ends there.
    const bike1 = bikes[1] as Bike;
    s.serve(replace(bikes, 'bike-1', northOf(bike1, 2000)));
    await expect(s.tick(30 + 20 * MINUTE_S)).resolves.toEqual({ rows: 2 });
    const [completed] = await s.trips();
    expect(completed).toMatchObject({
      status: 'COMPLETED',
      end_time: s.at(30 + 20 * MINUTE_S),
      end_municipality_code: 'GM0363',
    });
    expect(completed?.distance_meters).toBeGreaterThan(1990);
    expect(completed?.distance_meters).toBeLessThan(2010);
    expect(completed?.end_zone_ids).toContain(amsterdamId);
    expect((await s.openParkEvents()).filter((p) => p.vehicle_id === 'bike-1')).toEqual([
      expect.objectContaining({ start_time: s.at(30 + 20 * MINUTE_S) }),
    ]);
  });

  it('does not count a vehicle back within 15 minutes and 100 m as a trip', async () => {
    const s = await scenario();
    const bikes = fleet();
    s.serve(bikes);
    await s.tick(0);
    s.serve(without(bikes, 'bike-2'));
    await s.tick(30);
    s.serve(replace(bikes, 'bike-2', northOf(bikes[2] as Bike, 50)));
    await s.tick(10 * MINUTE_S);

    const [trip] = await s.trips();
    expect(trip?.status).toBe('CANCELLED');
    const events = (await s.parkEvents()).filter((p) => p.vehicle_id === 'bike-2');
    expect(events).toEqual([
      expect.objectContaining({ start_time: s.at(0), end_time: null, end_reason: null }),
    ]);
  });

  it('makes a relocation a new park event without a trip', async () => {
    const s = await scenario();
    const bikes = fleet();
    s.serve(bikes);
    await s.tick(0);
    s.serve(replace(bikes, 'bike-3', northOf(bikes[3] as Bike, 800)));
    await expect(s.tick(30)).resolves.toEqual({ rows: 2 });
    const events = (await s.parkEvents()).filter((p) => p.vehicle_id === 'bike-3');
    expect(events.map((e) => [e.start_time, e.end_time, e.end_reason])).toEqual([
      [s.at(0), s.at(30), 'RELOCATION'],
      [s.at(30), null, null],
    ]);
    expect(await s.trips()).toEqual([]);
  });

  it('records non-operational periods when is_disabled flips', async () => {
    const s = await scenario();
    const bikes = fleet();
    s.serve(bikes);
    await s.tick(0);
    s.serve(replace(bikes, 'bike-4', { disabled: true }));
    await s.tick(30);
    s.serve(bikes);
    await s.tick(90);
    const periods = await database
      .db('non_operational_periods')
      .where('feed_id', s.feedId)
      .select<
        { vehicle_id: string; start_time: Date; end_time: Date; municipality_code: string }[]
      >('*');
    expect(periods).toEqual([
      expect.objectContaining({
        vehicle_id: 'bike-4',
        start_time: s.at(30),
        end_time: s.at(90),
        municipality_code: 'GM0363',
      }),
    ]);
  });

  it('records an HTTP 500, invalid data and a sudden loss of most vehicles as outages, with no events', async () => {
    const s = await scenario();
    const bikes = fleet();
    s.serve(bikes);
    await s.tick(0);
    const before = await s.eventCount();

    s.fail(500, '{"error":"boom"}');
    await expect(s.tick(30)).resolves.toEqual({ rows: 0 });
    expect(await s.health()).toMatchObject({
      status: 'DOWN',
      last_error_kind: 'HTTP_STATUS',
      consecutive_failures: 1,
      last_success_at: s.at(0),
      last_error_at: s.at(30),
    });

    // Every record bad: the feed is broken (one bad record is left out, see below).
    s.serve(bikes.map((b) => ({ ...b, lat: 95 })));
    await s.tick(60);
    const invalid = await s.health();
    expect(invalid).toMatchObject({ status: 'DOWN', consecutive_failures: 2 });
    expect(invalid?.last_error_path).toBe('data.bikes[0].lat');
    expect(String(invalid?.last_error_message)).toContain('95');

    s.serve(bikes.slice(0, 5));
    await s.tick(90);
    expect(await s.health()).toMatchObject({
      status: 'DOWN',
      last_error_kind: 'VEHICLE_DROP',
      consecutive_failures: 3,
    });

    expect(await s.eventCount()).toEqual(before);
    expect(await s.outages()).toEqual([
      expect.objectContaining({ started_at: s.at(30), ended_at: null, reason: 'HTTP_STATUS' }),
    ]);
    // Vehicles now still shows the last good snapshot.
    expect(await s.vehiclesNow()).toHaveLength(30);
  });

  it('comes back from a long outage without fake trips: vanished vehicles end at the outage start', async () => {
    const s = await scenario();
    const bikes = fleet();
    s.serve(bikes);
    await s.tick(0);
    s.fail(503, 'down');
    await s.tick(30);
    await s.tick(60);
    // 40 minutes later: two bikes gone, one moved 2 km, one new.
    const back = [
      ...replace(without(bikes, 'bike-5', 'bike-6'), 'bike-7', northOf(bikes[7] as Bike, 2000)),
      { id: 'bike-new', lat: 52.37, lng: 4.9 },
    ];
    s.serve(back);
    await s.tick(40 * MINUTE_S);

    expect(await s.trips()).toEqual([]);
    const ended = (await s.parkEvents()).filter((p) => p.end_time !== null);
    expect(ended.map((p) => [p.vehicle_id, p.end_time, p.end_reason]).sort()).toEqual([
      ['bike-5', s.at(30), 'OUTAGE'],
      ['bike-6', s.at(30), 'OUTAGE'],
      ['bike-7', s.at(30), 'OUTAGE'],
    ]);
    expect((await s.openParkEvents()).map((p) => p.vehicle_id)).toEqual(
      expect.arrayContaining(['bike-7', 'bike-new']),
    );
    expect(await s.openParkEvents()).toHaveLength(29);
    expect(await s.outages()).toEqual([
      expect.objectContaining({ started_at: s.at(30), ended_at: s.at(40 * MINUTE_S) }),
    ]);
    expect(await s.health()).toMatchObject({ status: 'OK', consecutive_failures: 0 });

    // Afterwards, the rules apply again.
    s.serve(without(back, 'bike-8'));
    await s.tick(40 * MINUTE_S + 30);
    expect(await s.trips()).toEqual([expect.objectContaining({ vehicle_id: 'bike-8' })]);
  });

  it('diffs normally after a one-tick blip: rentals during it are real', async () => {
    const s = await scenario();
    const bikes = fleet();
    s.serve(bikes);
    await s.tick(0);
    s.fail(500, 'blip');
    await s.tick(30);
    s.serve(without(bikes, 'bike-9'));
    await s.tick(60);
    expect(await s.trips()).toEqual([
      expect.objectContaining({ vehicle_id: 'bike-9', start_time: s.at(60) }),
    ]);
  });

  it('accepts a drop that lasts (a fleet withdrawn) after 30 minutes, without trips', async () => {
    const s = await scenario();
    const bikes = fleet();
    s.serve(bikes);
    await s.tick(0);
    s.serve(bikes.slice(0, 10));
    await s.tick(30);
    await s.tick(20 * MINUTE_S);
    expect((await s.health())?.status).toBe('DOWN');
    await s.tick(31 * MINUTE_S);
    expect((await s.health())?.status).toBe('OK');
    expect(await s.trips()).toEqual([]);
    expect(await s.openParkEvents()).toHaveLength(10);
    const ended = (await s.parkEvents()).filter((p) => p.end_time !== null);
    expect(new Set(ended.map((p) => [p.end_reason, p.end_time?.getTime()].join()))).toEqual(
      new Set([`OUTAGE,${s.at(30).getTime()}`]),
    );
  });

  it('treats a long gap since the last snapshot (importer down) like an outage', async () => {
    const s = await scenario();
    const bikes = fleet();
    s.serve(bikes);
    await s.tick(0);
    s.serve(without(bikes, 'bike-10'));
    await s.tick(15 * MINUTE_S);
    expect(await s.trips()).toEqual([]);
    expect((await s.parkEvents()).find((p) => p.vehicle_id === 'bike-10')).toMatchObject({
      end_time: s.at(0),
      end_reason: 'OUTAGE',
    });
  });

  it('resumes after a restart from the database: nothing lost, nothing repeated', async () => {
    const s = await scenario();
    const bikes = fleet();
    s.serve(bikes);
    await s.tick(0);
    s.serve(without(bikes, 'bike-11'));
    await s.tick(30);
    const before = await s.eventCount();

    s.restart();
    await expect(s.tick(60)).resolves.toEqual({ rows: 0 });
    expect(await s.eventCount()).toEqual(before);

    // The trip that began before the restart ends after it.
    s.serve(replace(bikes, 'bike-11', northOf(bikes[11] as Bike, 1500)));
    await s.tick(90);
    expect(await s.trips()).toEqual([
      expect.objectContaining({ vehicle_id: 'bike-11', status: 'COMPLETED', end_time: s.at(90) }),
    ]);
  });

  it('does not repeat events when a tick is retried on the same snapshot', async () => {
    const s = await scenario();
    const bikes = fleet();
    s.serve(bikes);
    await s.tick(0);
    s.serve(without(bikes, 'bike-12'));
    await s.tick(30);
    const before = await s.eventCount();
    // A retry in another process, with the same fetch time: not newer, skipped.
    s.restart();
    await expect(s.tick(30)).resolves.toEqual({ rows: 0 });
    expect(await s.eventCount()).toEqual(before);
  });

  it('writes a change once when two processes import the same feed at the same time', async () => {
    const s = await scenario();
    const bikes = fleet();
    s.serve(bikes);
    await s.tick(0);
    const [a, b] = [s.newJob(), s.newJob()];
    await Promise.all([a.run(s.context), b.run(s.context)]);
    s.serve(without(bikes, 'bike-13'));
    s.setClock(30);
    await Promise.all([a.run(s.context), b.run(s.context)]);
    expect(await s.trips()).toHaveLength(1);
    expect((await s.parkEvents()).filter((p) => p.vehicle_id === 'bike-13')).toHaveLength(1);
    expect(await s.openParkEvents()).toHaveLength(29);
  });

  it('re-assigns the zones of open park events and vehicles when the zones change', async () => {
    const s = await scenario();
    const bikes = fleet();
    s.serve(bikes);
    await s.tick(0);
    s.serve(without(bikes, 'bike-14'));
    await s.tick(30);
    // A custom zone around the first row of bikes.
    const [zone] = await database
      .db('zones')
      .insert({
        code: 'HUB-1',
        name: 'Hub area',
        kind: 'CUSTOM',
        municipality_code: 'GM0363',
        geometry: JSON.stringify({
          type: 'Polygon',
          coordinates: [
            [
              [4.86, 52.354],
              [4.9, 52.354],
              [4.9, 52.356],
              [4.86, 52.356],
              [4.86, 52.354],
            ],
          ],
        }),
      })
      .returning<{ id: string }[]>('id');
    await s.tick(60);
    const open = await s.openParkEvents();
    const inZone = open.filter((p) => p.zone_ids.includes(zone?.id ?? ''));
    expect(inZone.map((p) => p.vehicle_id).sort()).toEqual(
      ['bike-0', 'bike-1', 'bike-2', 'bike-3', 'bike-4', 'bike-5'].sort(),
    );
    for (const p of inZone) expect(p.zone_ids).toEqual([zone?.id, amsterdamId]);
    const now = await s.vehiclesNow();
    expect(now.filter((v) => v.zone_ids.includes(zone?.id ?? ''))).toHaveLength(6);
    // Closed park events keep the zones they had.
    const closed = (await s.parkEvents()).find((p) => p.vehicle_id === 'bike-14');
    expect(closed?.zone_ids).toEqual([amsterdamId]);
    await database.db('zones').where({ code: 'HUB-1' }).delete();
  });

  it('records rental starts and ends for rotating ids without pairing them', async () => {
    const s = await scenario({ rotatingIds: true });
    const bikes = fleet();
    s.serve(bikes);
    await s.tick(0);
    // bike-0 renamed in place, bike-1 rented, a new id far from any vanished one.
    s.serve([
      ...without(bikes, 'bike-0', 'bike-1'),
      { ...(bikes[0] as Bike), id: 'renamed-0' },
      { id: 'other', lat: 52.37, lng: 4.91 },
    ]);
    await s.tick(30);
    expect(await s.trips()).toEqual([]);
    expect((await s.rentals()).map((r) => [r.kind, r.vehicle_id])).toEqual([
      ['END', 'other'],
      ['START', 'bike-1'],
    ]);
    expect((await s.rentals()).every((r) => r.zone_ids.includes(amsterdamId))).toBe(true);
    const open = await s.openParkEvents();
    expect(open.map((p) => p.vehicle_id)).not.toContain('bike-1');
    expect(open.map((p) => p.vehicle_id)).toContain('bike-0');
    expect((await s.vehiclesNow()).map((v) => v.vehicle_id)).toContain('renamed-0');
  });

  it('ends the park events of a feed switched off, and checks its vehicles in anew when it is back', async () => {
    const s = await scenario();
    const bikes = fleet();
    s.serve(bikes);
    await s.tick(0);
    s.serve(without(bikes, 'bike-15'));
    await s.tick(30);
    await database.db('feeds').where('id', s.feedId).update({ active: false });
    await expect(s.tick(60)).resolves.toEqual({ rows: 29 });
    expect(await s.openParkEvents()).toEqual([]);
    const ended = (await s.parkEvents()).filter(
      (p) => p.end_time?.getTime() === s.at(60).getTime(),
    );
    expect(new Set(ended.map((p) => p.end_reason))).toEqual(new Set(['OUTAGE']));
    expect(await s.vehiclesNow()).toEqual([]);
    // Nothing left to end: the next tick leaves the feed alone.
    await expect(s.tick(90)).resolves.toEqual({ rows: 0 });

    await database.db('feeds').where('id', s.feedId).update({ active: true });
    s.serve(replace(bikes, 'bike-15', northOf(bikes[15] as Bike, 3000)));
    await s.tick(2 * 60 * MINUTE_S);
    expect(await s.openParkEvents()).toHaveLength(30);
    // The trip that began before the feed was switched off ended at an unknown moment in the two
    // hours it was unread: it expires (a 2-hour trip would be invented); no trip was invented.
    expect((await s.trips()).map((t) => [t.vehicle_id, t.status])).toEqual([
      ['bike-15', 'EXPIRED'],
    ]);
  });

  it('records a reader that throws as an INTERNAL failure of the feed', async () => {
    const s = await scenario();
    const job = createImportFeedsJob({
      settings: SETTINGS,
      now: () => s.at(0),
      read: () => Promise.reject(new Error('a bug in the reader')),
    });
    await expect(job.run(s.context)).resolves.toEqual({ rows: 0 });
    expect(await s.health()).toMatchObject({
      status: 'DOWN',
      last_error_kind: 'INTERNAL',
      last_error_message: 'a bug in the reader',
    });
  });

  it('publishes vehicles.updated after each tick and feeds.health when a feed goes down', async () => {
    const s = await scenario();
    const updates: unknown[] = [];
    const health: unknown[] = [];
    const stopUpdates = await pubsub.subscribe(channels.vehiclesUpdated, (p) => updates.push(p));
    const stopHealth = await pubsub.subscribe(channels.feedHealthChanged, (p) => health.push(p));
    s.serve(fleet());
    await s.tick(0);
    s.fail(500, 'down');
    await s.tick(30);
    await new Promise((resolve) => setImmediate(resolve));
    await stopUpdates();
    await stopHealth();
    expect(updates).toEqual([
      { at: s.at(0).toISOString(), feeds: 1, vehicles: 30, events: 30 },
      { at: s.at(30).toISOString(), feeds: 1, vehicles: 0, events: 0 },
    ]);
    expect(health).toEqual([
      expect.objectContaining({ feedId: s.feedId, status: 'OK' }),
      expect.objectContaining({ feedId: s.feedId, status: 'DOWN', errorKind: 'HTTP_STATUS' }),
    ]);
  });

  it('a frozen feed is STALE: no events from it, its vehicles stale, then reconciled', async () => {
    const s = await scenario();
    const bikes = fleet();
    s.serve(bikes);
    await s.tick(0);
    s.freeze(0);
    await s.tick(10 * MINUTE_S);
    expect((await s.health())?.status).toBe('OK');
    // The operator's back end froze: vehicles vanish from a copy that no longer changes ...
    s.serve(without(bikes, 'bike-1', 'bike-2'));
    await s.tick(20 * MINUTE_S);
    const health = await s.health();
    expect(health).toMatchObject({ status: 'STALE', last_error_kind: 'STALE' });
    expect(String(health?.last_error_message)).toContain(
      'last_updated is 2026-11-22T08:00:00.000Z',
    );
    expect(health?.feed_last_updated).toEqual(s.at(0));
    expect(await s.trips()).toEqual([]);
    expect((await s.vehiclesNow()).every((v) => v.stale)).toBe(true);
    // ... and when it is live again, what changed meanwhile makes no trips.
    s.freeze(null);
    await s.tick(40 * MINUTE_S);
    expect((await s.health())?.status).toBe('OK');
    expect(await s.trips()).toEqual([]);
    expect((await s.vehiclesNow()).some((v) => v.stale)).toBe(false);
    expect((await s.outages()).map((o) => o.reason)).toEqual(['STALE']);
  });

  it('a snapshot whose own time jumped past the max gap is reconciled, not diffed', async () => {
    const s = await scenario();
    const bikes = fleet();
    s.serve(bikes);
    s.freeze(-14 * 24 * 3600);
    await s.tick(0);
    s.freeze(null);
    s.serve(without(bikes, 'bike-3'));
    await s.tick(30);
    expect(await s.trips()).toEqual([]);
  });

  it('one bad record is left out and counted; the rest is imported and the vehicle held', async () => {
    const s = await scenario();
    const bikes = fleet();
    s.serve(bikes);
    await s.tick(0);
    s.serve(replace(bikes, 'bike-0', { lat: 95 }));
    await s.tick(30);
    expect(await s.health()).toMatchObject({ status: 'OK', quarantined_vehicles: 1 });
    expect((await s.health())?.notices).toEqual([
      expect.objectContaining({ kind: 'QUARANTINED_RECORDS', vehicles: 1 }),
    ]);
    const kept = await database.db('feed_quarantine').where('feed_id', s.feedId);
    expect(kept).toEqual([
      expect.objectContaining({
        vehicle_id: 'bike-0',
        path: 'data.bikes[0].lat',
        reason: 'data.bikes[0].lat: 95 is out of range (latitude must be -90 to 90)',
      }),
    ]);
    expect(await s.trips()).toEqual([]);
    const now = await s.vehiclesNow();
    expect(now).toHaveLength(30);
    expect(now.filter((v) => v.stale).map((v) => v.vehicle_id)).toEqual(['bike-0']);
    s.serve(bikes);
    await s.tick(60);
    expect((await s.vehiclesNow()).some((v) => v.stale)).toBe(false);
    expect(await s.health()).toMatchObject({ quarantined_vehicles: 0 });
  });

  it('an empty feed is believed after the confirmation period, without trips', async () => {
    const s = await scenario();
    s.serve(fleet());
    await s.tick(0);
    s.serve([]);
    await s.tick(30);
    expect(await s.health()).toMatchObject({ status: 'DOWN', last_error_kind: 'EMPTY' });
    expect(await s.vehiclesNow()).toHaveLength(30);
    await s.tick(31 * MINUTE_S);
    expect(await s.health()).toMatchObject({ status: 'OK', vehicles_in_last_snapshot: 0 });
    expect(await s.vehiclesNow()).toEqual([]);
    expect(await s.trips()).toEqual([]);
  });

  it("an empty feed is believed at once on the administrator's word", async () => {
    const s = await scenario({ expectEmpty: true });
    s.serve(fleet());
    await s.tick(0);
    s.serve([]);
    await s.tick(30);
    expect(await s.health()).toMatchObject({ status: 'OK' });
    expect(await s.vehiclesNow()).toEqual([]);
    expect(await s.trips()).toEqual([]);
  });

  it('a feed taken for stable ids that rotates them is detected and read as rotating', async () => {
    const s = await scenario({ rotatingIds: false });
    let bikes = fleet();
    s.serve(bikes);
    await s.tick(0);
    // Every minute a rider ends a trip: the bike comes back under a new id, elsewhere.
    for (let i = 1; i <= 24; i++) {
      bikes = [
        ...bikes.slice(1),
        { id: `renamed-${i}`, lat: 52.3 + i * 0.002, lng: 4.8 + (i % 5) * 0.01 },
      ];
      s.serve(bikes);
      await s.tick(i * MINUTE_S);
    }
    await s.tick(25 * MINUTE_S);
    const health = await s.health();
    expect((health?.notices as { kind: string }[]).map((n) => n.kind)).toContain(
      'ROTATING_IDS_DETECTED',
    );
    // The trips it had opened for vanished ids that will never come back are dropped.
    expect((await s.trips()).filter((t) => t.status === 'OPEN')).toEqual([]);
  });

  it('a GBFS feed registered without saying is read as rotating', async () => {
    const s = await scenario({ rotatingIds: null });
    const bikes = fleet();
    s.serve(bikes);
    await s.tick(0);
    s.serve(without(bikes, 'bike-4'));
    await s.tick(30);
    expect(await s.trips()).toEqual([]);
    expect((await s.rentals()).map((r) => r.kind)).toEqual(['START']);
  });

  it("shows the feed's own time, ttl and version in its health", async () => {
    const s = await scenario();
    s.serve(fleet());
    await s.tick(0);
    expect(await s.health()).toMatchObject({
      feed_last_updated: s.at(0),
      feed_ttl_seconds: 0,
      feed_version: '2.3',
      unknown_type_vehicles: 0,
    });
  });
});
