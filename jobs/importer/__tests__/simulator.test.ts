import type { FeedType } from '../../../lib/domain/fleet';
import { InProcessPubSub } from '../../../lib/pubsub';
import { MINUTE } from '../../../lib/units';
import { seed } from '../../../seeds';
import { createFeedSimulator, type FeedSimulator } from '../../../simulator';
import { createTestDatabase, silentLogger, TEST_CONFIG, type TestDatabase } from '../../../test/db';
import type { JobContext } from '../../types';
import { readFeed } from '../../../lib/feeds';
import type { FeedConfig } from '../../../lib/feeds/types';
import { createImportFeedsJob } from '../importFeeds';
import { createImportMdsTripsJob } from '../importMdsTrips';
import { importerSettings } from '../settings';

/**
 * The import jobs against the feed simulator (GBFS 2.3 with rotating ids, GBFS 3.0, MDS 2.0) over
 * real HTTP: whatever the simulated fleets do, the stored events must stay consistent with what
 * the feeds list, through a restart and a retried tick; MDS trips replace inferred ones.
 */

let database: TestDatabase;
let simulator: FeedSimulator;
const pubsub = new InProcessPubSub();
const SETTINGS = { ...importerSettings(TEST_CONFIG), feedTimeoutMs: 5000, mdsTripsMaxHours: 3 };
const FEEDS: {
  operator: string;
  type: FeedType;
  url: 'gbfs23' | 'gbfs30' | 'mds';
  rotating: boolean;
}[] = [
  { operator: 'sim-bikes', type: 'GBFS_DISCOVERY', url: 'gbfs23', rotating: true },
  { operator: 'sim-scooters', type: 'GBFS3_VEHICLE_STATUS', url: 'gbfs30', rotating: false },
  { operator: 'sim-mopeds', type: 'MDS_VEHICLES', url: 'mds', rotating: false },
];
let feeds: FeedConfig[] = [];

const context = (): JobContext => ({
  db: database.db,
  pubsub,
  logger: silentLogger,
  config: TEST_CONFIG,
  tickAt: undefined,
  payload: {},
});

beforeAll(async () => {
  database = await createTestDatabase();
  await seed(database.db, pubsub, silentLogger, { demo: false });
  simulator = createFeedSimulator({
    operators: [
      {
        id: 'sim-bikes',
        name: 'Sim Bikes',
        vehicles: 400,
        formFactor: 'BICYCLE',
        rotatingIds: true,
      },
      { id: 'sim-scooters', name: 'Sim Scooters', vehicles: 400, formFactor: 'SCOOTER_STANDING' },
      { id: 'sim-mopeds', name: 'Sim Mopeds', vehicles: 400, formFactor: 'MOPED' },
    ],
    seed: 7,
    startTime: new Date('2026-11-23T16:00:00Z'),
  });
  await simulator.start(0, '127.0.0.1');
  await database.db('operators').insert(FEEDS.map((f) => ({ id: f.operator, name: f.operator })));
  const rows = await database
    .db('feeds')
    .insert(
      FEEDS.map((f) => ({
        operator_id: f.operator,
        url: simulator.feedUrls(f.operator)[f.url],
        type: f.type,
        rotating_ids: f.rotating,
      })),
    )
    .returning<
      { id: string; operator_id: string; url: string; type: FeedType; rotating_ids: boolean }[]
    >('*');
  feeds = rows.map((r) => ({
    id: r.id,
    operatorId: r.operator_id,
    url: r.url,
    type: r.type,
    auth: { type: 'NONE' },
    defaultFormFactor: null,
    defaultVehicleTypeId: null,
    rotatingIds: r.rotating_ids,
  }));
});

afterAll(async () => {
  await simulator?.stop();
  await pubsub.close();
  await database?.drop();
});

async function count(sql: string, bindings: readonly string[] = []): Promise<number> {
  const { rows } = await database.db.raw<{ rows: { n: string }[] }>(sql, bindings);
  return Number(rows[0]?.n ?? 0);
}

/** What must hold after every tick, whatever happened. */
async function expectConsistent(): Promise<void> {
  // Every listed vehicle has exactly its one open park event, and no park event is left open.
  expect(
    await count(`select count(*) as n from vehicle_state v
                  left join park_events p on p.id = v.park_event_id and p.start_time = v.park_start
                 where v.gone_at is null and (p.id is null or p.end_time is not null)`),
  ).toBe(0);
  expect(
    await count(`select count(*) as n from park_events p where p.end_time is null
                   and not exists (select 1 from vehicle_state v
                                    where v.park_event_id = p.id and v.gone_at is null)`),
  ).toBe(0);
  // Every open inferred trip belongs to a vehicle that is away.
  expect(
    await count(`select count(*) as n from trips t where t.status = 'OPEN'
                   and not exists (select 1 from vehicle_state v
                                    where v.rental_id = t.id and v.gone_at is not null)`),
  ).toBe(0);
  expect(await count(`select count(*) as n from trips where end_time < start_time`)).toBe(0);
}

/** Vehicles now, per feed, equals what the feed lists at this moment. */
async function expectVehiclesNowMatchFeeds(): Promise<void> {
  for (const feed of feeds) {
    const read = await readFeed(feed, { timeoutMs: 5000, maxBytes: 50_000_000 });
    if (!read.ok) throw new Error(read.error.message);
    const listed = read.snapshot.vehicles.map((v) => v.vehicleId).sort();
    const now = await database
      .db('vehicles_now')
      .where('feed_id', feed.id)
      .orderBy('vehicle_id')
      .pluck<string[]>('vehicle_id');
    expect({ feed: feed.operatorId, vehicles: now }).toEqual({
      feed: feed.operatorId,
      vehicles: listed,
    });
  }
}

describe('import_feeds against the simulator', () => {
  it('keeps the events consistent with the feeds through a restart and a retried tick', async () => {
    let job = createImportFeedsJob({ settings: SETTINGS, now: () => simulator.now() });
    let events = 0;
    for (let tick = 0; tick < 16; tick += 1) {
      if (tick > 0) simulator.advance(MINUTE);
      if (tick === 8)
        job = createImportFeedsJob({ settings: SETTINGS, now: () => simulator.now() });
      events += (await job.run(context())).rows;
      if (tick === 10) {
        // The same tick again (a retry): nothing new.
        await expect(job.run(context())).resolves.toEqual({ rows: 0 });
      }
      await expectConsistent();
    }
    await expectVehiclesNowMatchFeeds();

    expect(events).toBeGreaterThan(1200);
    expect(
      await count(`select count(*) as n from trips where status = 'COMPLETED'`),
    ).toBeGreaterThan(0);
    expect(await count(`select count(*) as n from rentals`)).toBeGreaterThan(0);
    expect(
      await count(`select count(*) as n from park_events where municipality_code is null`),
    ).toBe(0);
    // Operators' vehicle types and system names were registered from the feeds.
    expect(await count(`select count(distinct operator_id) as n from vehicle_types`)).toBe(3);
    expect(
      await count(`select count(*) as n from operators where system_name is not null`),
    ).toBeGreaterThanOrEqual(2);
    expect(await count(`select count(*) as n from feed_health where status = 'OK'`)).toBe(3);
  });

  it('imports MDS trips once, and they replace the inferred trips of the same rentals', async () => {
    const mds = feeds.find((f) => f.type === 'MDS_VEHICLES');
    const inferredBefore = await count(
      `select count(*) as n from trips where feed_id = ? and source = 'INFERRED' and status = 'COMPLETED'`,
      [mds?.id ?? ''],
    );
    expect(inferredBefore).toBeGreaterThan(0);
    // Hours are imported an hour after they ended: move to 18:30, so 16:00-17:00 is due.
    simulator.advance(Date.parse('2026-11-23T18:30:00Z') - simulator.now().getTime());
    const job = createImportMdsTripsJob({ settings: SETTINGS, now: () => simulator.now() });
    const first = await job.run(context());
    expect(first.rows).toBeGreaterThan(0);

    const exact = await count(
      `select count(*) as n from trips where feed_id = ? and source = 'MDS_EXACT'`,
      [mds?.id ?? ''],
    );
    expect(exact).toBeGreaterThan(0);
    expect(
      await count(
        `select count(*) as n from trips where source = 'MDS_EXACT'
            and (start_zone_ids = '{}' or municipality_code is null or end_h3_cell is null)`,
      ),
    ).toBe(0);
    // Every inferred trip that completed in the imported hour is replaced by its exact twin.
    expect(
      await count(
        `select count(*) as n from trips i where i.feed_id = ? and i.source = 'INFERRED'
            and i.status = 'COMPLETED' and i.end_time < '2026-11-23T17:00:00Z'
            and exists (select 1 from trips e where e.source = 'MDS_EXACT'
                           and e.vehicle_id = i.vehicle_id
                           and i.start_time between e.start_time - interval '1 minute'
                                                and e.end_time + interval '1 minute')`,
        [mds?.id ?? ''],
      ),
    ).toBe(0);
    expect(
      await count(`select count(*) as n from trips where feed_id = ? and status = 'SUPERSEDED'`, [
        mds?.id ?? '',
      ]),
    ).toBeGreaterThan(0);
    expect(
      await count(
        `select count(*) as n from trips where status = 'SUPERSEDED' and source <> 'INFERRED'`,
      ),
    ).toBe(0);

    // Imported hours are not asked again; re-importing them would add nothing either.
    await expect(job.run(context())).resolves.toEqual({ rows: 0 });
    await database.db('feed_import_state').update({ mds_trips_until: null });
    await job.run(context());
    expect(
      await count(`select count(*) as n from trips where feed_id = ? and source = 'MDS_EXACT'`, [
        mds?.id ?? '',
      ]),
    ).toBe(exact);
  });
});
