import type { HubStatusRow } from '../../../lib/domain/hubs/model';
import { reopenThreshold } from '../../../lib/domain/hubs/rules';
import { distanceMeters } from '../../../lib/geo/distance';
import { InProcessPubSub } from '../../../lib/pubsub';
import { MINUTE } from '../../../lib/units';
import { seed } from '../../../seeds';
import { createFeedSimulator, type FeedSimulator } from '../../../simulator';
import { createTestDatabase, silentLogger, TEST_CONFIG, type TestDatabase } from '../../../test/db';
import { controllerJob, insertHub } from '../../../test/microhubs';
import { createImportFeedsJob } from '../../importer/importFeeds';
import { importerSettings } from '../../importer/settings';
import type { JobContext } from '../../types';

/**
 * End to end with what no test wrote by hand: the feed simulator serves GBFS 3.0 and MDS 2.0, the
 * real import job writes the current positions, the controller counts them.
 */
let database: TestDatabase;
let pubsub: InProcessPubSub;
let simulator: FeedSimulator;
let importContext: JobContext;
let importJob: ReturnType<typeof createImportFeedsJob>;

const RADIUS_METERS = 60;

beforeAll(async () => {
  database = await createTestDatabase();
  pubsub = new InProcessPubSub();
  await seed(database.db, pubsub, silentLogger, { demo: false });
  simulator = createFeedSimulator({
    operators: [
      { id: 'sim-bikes', name: 'Sim Bikes', vehicles: 600, formFactor: 'BICYCLE' },
      { id: 'sim-mopeds', name: 'Sim Mopeds', vehicles: 300, formFactor: 'MOPED' },
    ],
    seed: 11,
    municipalities: ['GM0363'],
    startTime: new Date('2026-11-23T16:00:00Z'),
  });
  await simulator.start(0, '127.0.0.1');
  const { db } = database;
  await db('operators').insert([
    { id: 'sim-bikes', name: 'Sim Bikes' },
    { id: 'sim-mopeds', name: 'Sim Mopeds' },
  ]);
  await db('feeds').insert([
    {
      operator_id: 'sim-bikes',
      url: simulator.feedUrls('sim-bikes').gbfs30,
      type: 'GBFS3_VEHICLE_STATUS',
    },
    { operator_id: 'sim-mopeds', url: simulator.feedUrls('sim-mopeds').mds, type: 'MDS_VEHICLES' },
  ]);
  importJob = createImportFeedsJob({
    settings: { ...importerSettings(TEST_CONFIG), feedTimeoutMs: 10_000 },
    now: () => simulator.now(),
  });
  importContext = {
    db,
    pubsub,
    logger: silentLogger,
    config: TEST_CONFIG,
    tickAt: undefined,
    payload: {},
  };
});

afterAll(async () => {
  await simulator?.stop();
  await pubsub?.close();
  await database?.drop();
});

interface Position {
  lat: number;
  lng: number;
  form_factor: string;
}

/** Vehicles within `meters` of a point, by great-circle distance. */
function within(vehicles: Position[], at: Position, meters: number): number {
  return vehicles.filter((v) => distanceMeters(at.lat, at.lng, v.lat, v.lng) <= meters).length;
}

describe('the controller on imported feeds', () => {
  it('closes a hub the imported vehicles fill, and recounts as the fleet moves', async () => {
    await importJob.run(importContext);
    const { db } = database;
    const positions = await db('vehicles_now').select<Position[]>('lat', 'lng', 'form_factor');
    expect(positions.length).toBeGreaterThan(500);

    // The busiest spot: the vehicle with the most others around it.
    let busiest = positions[0]!;
    let most = 0;
    for (const vehicle of positions) {
      const around = within(positions, vehicle, RADIUS_METERS);
      if (around > most) [busiest, most] = [vehicle, around];
    }
    expect(most).toBeGreaterThanOrEqual(2);
    const hubId = await insertHub(db, {
      at: busiest,
      radiusMeters: RADIUS_METERS,
      bufferMeters: 0,
      capacity: { COMBINED: most },
    });
    await controllerJob(db, pubsub).tick();
    const [status] = await db('hub_status').where({ hub_id: hubId }).select<HubStatusRow[]>('*');
    expect(status).toMatchObject({ vehicles: most, capacity: most, open: false, reason: 'FULL' });
    const byFormFactor = Object.entries(status!.breakdown).map(([f, [n]]) => [f, n]);
    const expected = ['BICYCLE', 'MOPED']
      .map((f) => [
        f,
        within(
          positions.filter((p) => p.form_factor === f),
          busiest,
          RADIUS_METERS,
        ),
      ])
      .filter(([, n]) => n !== 0);
    expect(byFormFactor.sort()).toEqual(expected.sort());

    // An hour of rentals later: the count follows the imported positions.
    for (let i = 0; i < 6; i += 1) {
      simulator.advance(10 * MINUTE);
      await importJob.run(importContext);
    }
    await controllerJob(db, pubsub).tick();
    const moved = await db('vehicles_now').select<Position[]>('lat', 'lng', 'form_factor');
    const [after] = await db('hub_status').where({ hub_id: hubId }).select<HubStatusRow[]>('*');
    // Planar and great-circle distances differ by millimetres at the edge.
    expect(after!.vehicles).toBeGreaterThanOrEqual(within(moved, busiest, RADIUS_METERS - 0.5));
    expect(after!.vehicles).toBeLessThanOrEqual(within(moved, busiest, RADIUS_METERS + 0.5));
    // It was full: it reopens only with 5 % of its places free.
    expect(after!.open).toBe(most - after!.vehicles >= reopenThreshold(most, 0.05));
  }, 60_000);
});
