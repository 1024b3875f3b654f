import { startFeedServer, type FeedServer } from '../../../lib/feeds/__tests__/feedServer';
import { InProcessPubSub } from '../../../lib/pubsub';
import { TICK_MS } from '../../../lib/time/buckets';
import { createImporter } from '../../../jobs/importer/importer';
import { importerSettings } from '../../../jobs/importer/settings';
import { computeWindow } from '../../../jobs/zoneStats/compute';
import { silentLogger, TEST_CONFIG } from '../../../test/db';
import { seedWorld, USERS } from '../../../test/fleetWorld';
import { ok } from '../../../test/graphql';
import { startTestStack, type Caller, type TestStack } from '../../../test/stack';

/**
 * Vehicles at a station (issue 19.6): a car-share fleet whose cars report a GBFS `station_id`
 * (their bays) beside free-floating ones, imported by the real importer from a real HTTP server.
 * Counts of public space leave the station vehicles out by default and count them apart when
 * asked; the zone series count public space only. Checked against the feed's own list.
 */
let stack: TestStack;
let server: FeedServer;
let admin: Caller;

interface Car {
  id: string;
  lat: number;
  lng: number;
  station?: string;
}

/** 12 cars in central Amsterdam, every third at a bay of its station. */
const CARS: Car[] = Array.from({ length: 12 }, (_, i) => ({
  id: `car-${i}`,
  lat: 52.365 + Math.floor(i / 4) * 0.002,
  lng: 4.885 + (i % 4) * 0.003,
  ...(i % 3 === 0 ? { station: `bay-${i}` } : {}),
}));
const AT_STATION = CARS.filter((c) => c.station).length;
const FREE_FLOATING = CARS.length - AT_STATION;
const NOW = Date.now() - (Date.now() % TICK_MS);

beforeAll(async () => {
  stack = await startTestStack({ subgraphs: ['zones', 'users', 'vehicles'] });
  await seedWorld(stack.database.db);
  admin = { token: await stack.tokenFor(USERS.admin) };
  server = await startFeedServer();
  server.json('/share/free_bike_status.json', {
    last_updated: Math.floor(NOW / 1000),
    ttl: 0,
    version: '2.3',
    data: {
      bikes: CARS.map((c) => ({
        bike_id: c.id,
        lat: c.lat,
        lon: c.lng,
        is_reserved: false,
        is_disabled: false,
        ...(c.station ? { station_id: c.station } : {}),
      })),
    },
  });
  const { db } = stack.database;
  await db('feeds').update({ active: false });
  await db('operators').insert({ id: 'deelauto', name: 'Deelauto' });
  await db('feeds').insert({
    operator_id: 'deelauto',
    url: `${server.base}/share/free_bike_status.json`,
    type: 'GBFS_FREE_BIKE_STATUS',
    default_form_factor: 'CAR',
    rotating_ids: false,
  });
  const importer = createImporter({
    db,
    pubsub: new InProcessPubSub(),
    logger: silentLogger,
    settings: importerSettings(TEST_CONFIG),
    now: () => new Date(NOW - 60_000),
  });
  const report = await importer.tick();
  expect(report.feeds.map((f) => f.outcome)).toEqual(['ACCEPTED']);
});

afterAll(async () => {
  await server?.close();
  await stack?.stop();
});

type Count = { placement: string | null; count: number };

describe('vehicles at a station', () => {
  it('are left out of public-space counts by default and counted apart when asked', async () => {
    const data = await ok<{ all: Count[]; split: Count[]; docked: Count[] }>(
      stack.request(
        `{ all: vehicleCountsNow { placement count }
           split: vehicleCountsNow(filter: { placements: [FREE_FLOATING, AT_STATION] }, groupBy: [PLACEMENT]) { placement count }
           docked: vehicleCountsNow(filter: { placements: [AT_STATION] }) { placement count } }`,
        {},
        admin,
      ),
    );
    expect(data.all).toEqual([{ placement: null, count: FREE_FLOATING }]);
    expect(data.split).toEqual([
      { placement: 'AT_STATION', count: AT_STATION },
      { placement: 'FREE_FLOATING', count: FREE_FLOATING },
    ]);
    expect(data.docked).toEqual([{ placement: null, count: AT_STATION }]);
  });

  it('keep their station in vehiclesNow and park events, and stay out of open data unless asked', async () => {
    const data = await ok<{
      vehiclesNow: { edges: { node: { vehicleId: string; stationId: string | null } }[] };
      open: { totalCount: number };
      openDocked: { totalCount: number };
    }>(
      stack.request(
        `{ vehiclesNow(filter: { placements: [AT_STATION] }, first: 100) { edges { node { vehicleId stationId } } }
           open: availableVehicles(municipalityCode: "GM0363") { totalCount }
           openDocked: availableVehicles(municipalityCode: "GM0363", placements: [AT_STATION]) { totalCount } }`,
        {},
        admin,
      ),
    );
    expect(
      data.vehiclesNow.edges
        .map((e) => e.node)
        .sort((a, b) => a.vehicleId.localeCompare(b.vehicleId)),
    ).toEqual(
      CARS.filter((c) => c.station)
        .map((c) => ({ vehicleId: c.id, stationId: c.station }))
        .sort((a, b) => a.vehicleId.localeCompare(b.vehicleId)),
    );
    expect(data.open.totalCount).toBe(FREE_FLOATING);
    expect(data.openDocked.totalCount).toBe(AT_STATION);
    const stations = await stack.database
      .db('park_events')
      .whereNotNull('station_id')
      .pluck<string[]>('station_id');
    expect(stations.sort()).toEqual(CARS.flatMap((c) => (c.station ? [c.station] : [])).sort());
  });

  it('are not in the zone series, which count public space', async () => {
    const { db } = stack.database;
    await computeWindow(db, NOW, NOW, 'Europe/Amsterdam');
    const amsterdam = await db('zones')
      .where({ kind: 'MUNICIPALITY', code: 'GM0363' })
      .first<{ id: string }>('id');
    const row = await db('zone_stats_5m')
      .where({
        zone_id: amsterdam.id,
        operator_id: 'deelauto',
        form_factor: 'CAR',
        bucket_start: new Date(NOW),
      })
      .first<{ available: number; unavailable: number }>('available', 'unavailable');
    expect(row).toEqual({ available: FREE_FLOATING, unavailable: 0 });
  });
});
