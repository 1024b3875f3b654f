import { randomUUID } from 'node:crypto';
import {
  readFixture,
  rewriteDiscovery,
  startFeedServer,
  type FeedServer,
} from '../../../lib/feeds/__tests__/feedServer';
import { daysBetween, localDay } from '../../../lib/domain/calendar';
import { InProcessPubSub } from '../../../lib/pubsub';
import { TICK_MS } from '../../../lib/time/buckets';
import { createImporter } from '../../../jobs/importer/importer';
import { importerSettings } from '../../../jobs/importer/settings';
import { computeDailyReport } from '../../../jobs/dailyReport/compute';
import { dailyReport } from '../../../jobs/dailyReport/dailyReport';
import { computeWindow } from '../../../jobs/zoneStats/compute';
import { runRequestedRecounts } from '../../../jobs/zoneStats/recounts';
import { silentLogger, TEST_CONFIG } from '../../../test/db';
import {
  h3,
  insertParkEvents,
  PLACES,
  seedWorld,
  USERS,
  zonesAt,
  type Place,
  type World,
} from '../../../test/fleetWorld';
import { expectError, ok } from '../../../test/graphql';
import { startTestStack, type Caller, type TestStack } from '../../../test/stack';

/**
 * Feed administration through a real gateway: createFeed / updateFeed check the URL with a real
 * HTTP server serving the real Almere GBFS 3.0 snapshot (issue 19.4, 19.1), and deleteFeed keeps
 * or purges a feed's history without touching another feed's (issues 12.10, 16).
 */
let stack: TestStack;
let world: World;
let server: FeedServer;
let admin: Caller;
let operator: Caller;
const ALMERE = 'gbfs-3.0-check-almere';
/** The Almere snapshot's own time: read then, it is fresh. */
const ALMERE_AT = new Date('2025-05-21T07:48:00Z');
const TIME_ZONE = 'Europe/Amsterdam';

beforeAll(async () => {
  stack = await startTestStack({ subgraphs: ['zones', 'users', 'vehicles'] });
  world = await seedWorld(stack.database.db);
  admin = { token: await stack.tokenFor(USERS.admin) };
  operator = { token: await stack.tokenFor(USERS.operator) };
  server = await startFeedServer();
  for (const [prefix, files] of [
    ['almere', ['gbfs', 'system_information', 'vehicle_types', 'vehicle_status']],
    ['almere-bare', ['vehicle_status']],
  ] as const) {
    for (const file of files) {
      const body = readFixture(ALMERE, `${file}.json`);
      server.json(
        `/${prefix}/${file}.json`,
        file === 'gbfs' ? rewriteDiscovery(body, server.base, prefix) : body,
      );
    }
  }
  server.json(
    '/v2.3/gbfs.json',
    rewriteDiscovery(
      readFixture('gbfs-json-schema', 'testFixtures', 'v2.3', 'gbfs.json'),
      server.base,
      'v2.3',
    ),
  );
  server.json(
    '/v2.3/station_status.json',
    readFixture('gbfs-json-schema', 'testFixtures', 'v2.3', 'station_status.json'),
  );
});

afterAll(async () => {
  await server?.close();
  await stack?.stop();
});

const CREATE = `mutation ($input: FeedInput!) { createFeed(input: $input) {
  id type vehicleTypesUrl } }`;

async function countFeeds(): Promise<number> {
  const [row] = await stack.database.db('feeds').count<{ count: string }[]>({ count: '*' });
  return Number(row?.count);
}

describe('createFeed and updateFeed check the URL', () => {
  it('registers a vehicle file by what it is, with its vehicle_types found, so mopeds are mopeds', async () => {
    await stack.database.db('operators').insert({ id: 'check', name: 'Check' });
    const created = await ok<{
      createFeed: { id: string; type: string; vehicleTypesUrl: string };
    }>(
      stack.request(
        CREATE,
        { input: { operatorId: 'check', url: `${server.base}/almere/vehicle_status.json` } },
        admin,
      ),
    );
    expect(created.createFeed).toMatchObject({
      type: 'GBFS3_VEHICLE_STATUS',
      vehicleTypesUrl: `${server.base}/almere/vehicle_types.json`,
    });
    // The same file registered unseen (verify: false) and without vehicle types: form factor unknown.
    const unseen = await ok<{ createFeed: { id: string } }>(
      stack.request(
        CREATE,
        {
          input: {
            operatorId: 'check',
            url: `${server.base}/almere-bare/vehicle_status.json`,
            type: 'GBFS3_VEHICLE_STATUS',
            verify: false,
          },
        },
        admin,
      ),
    );
    const importer = createImporter({
      db: stack.database.db,
      pubsub: new InProcessPubSub(),
      logger: silentLogger,
      settings: importerSettings(TEST_CONFIG),
      now: () => ALMERE_AT,
    });
    // Only the two Almere feeds are read.
    await stack.database.db('feeds').whereNot('operator_id', 'check').update({ active: false });
    await importer.tick();
    const health = await ok<{
      feeds: { id: string; health: { status: string; unknownTypeVehicles: number } }[];
    }>(
      stack.request(
        `{ feeds(operatorId: "check") { id health { status unknownTypeVehicles } } }`,
        {},
        admin,
      ),
    );
    const byId = new Map(health.feeds.map((f) => [f.id, f.health]));
    expect(byId.get(created.createFeed.id)).toEqual({ status: 'OK', unknownTypeVehicles: 0 });
    expect(byId.get(unseen.createFeed.id)).toEqual({ status: 'OK', unknownTypeVehicles: 6 });
    const forms = await stack.database
      .db('vehicle_state')
      .whereNull('gone_at')
      .select<{ feed_id: string; form_factor: string }[]>('feed_id', 'form_factor');
    const formsOf = (id: string) => forms.filter((f) => f.feed_id === id).map((f) => f.form_factor);
    expect(formsOf(created.createFeed.id)).toEqual(Array(6).fill('MOPED'));
    expect(formsOf(unseen.createFeed.id)).toEqual(Array(6).fill('OTHER'));
  });

  it('refuses a URL its type does not read as BAD_USER_INPUT, saying what to register, and stores nothing', async () => {
    const before = await countFeeds();
    const wrongType = await stack.request(
      CREATE,
      {
        input: {
          operatorId: 'check',
          url: `${server.base}/v2.3/gbfs.json`,
          type: 'GBFS3_VEHICLE_STATUS',
        },
      },
      admin,
    );
    expectError(wrongType, 'BAD_USER_INPUT', 'input.type');
    expect(wrongType.errors?.[0]?.message).toContain(
      'is a GBFS 2.3 gbfs.json (discovery), which a GBFS3_VEHICLE_STATUS feed does not read: register it as GBFS_DISCOVERY',
    );
    const bare = await stack.request(
      CREATE,
      { input: { operatorId: 'check', url: `${server.base}/almere-bare/vehicle_status.json` } },
      admin,
    );
    expectError(bare, 'BAD_USER_INPUT', 'input.vehicleTypesUrl');
    expectError(
      await stack.request(
        CREATE,
        { input: { operatorId: 'check', url: `${server.base}/x.json`, verify: false } },
        admin,
      ),
      'BAD_USER_INPUT',
      'input.type',
    );
    expect(await countFeeds()).toBe(before);

    const [feed] = await stack.database
      .db('feeds')
      .where({ operator_id: 'check', type: 'GBFS3_VEHICLE_STATUS' })
      .whereNotNull('vehicle_types_url')
      .select<{ id: string; url: string }[]>('id', 'url');
    const moved = await stack.request(
      `mutation ($id: ID!, $url: String!) { updateFeed(id: $id, patch: { url: $url }) { url } }`,
      { id: feed!.id, url: `${server.base}/v2.3/station_status.json` },
      admin,
    );
    expectError(moved, 'BAD_USER_INPUT', 'patch.url');
    expect(moved.errors?.[0]?.message).toContain('a file of a station-based system');
    const stored = await stack.database
      .db('feeds')
      .where('id', feed!.id)
      .first<{ url: string }>('url');
    expect(stored?.url).toBe(feed!.url);
  });
});

const HOUR_MS = 3600_000;
/** History two hours long, ending 30 minutes ago. */
const T0 = Date.now() - 2.5 * HOUR_MS;
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

async function insertHistory(feed: keyof World['feeds']): Promise<void> {
  const { db } = stack.database;
  const place: Place = feed === 'fietsbv' ? 'dam' : 'vondelpark';
  const parkEventIds = await insertParkEvents(db, world, [
    { feed, vehicleId: `${feed}-1`, place, start: at(0), end: at(40) },
    { feed, vehicleId: `${feed}-1`, place: 'damNearby', start: at(60) },
    { feed, vehicleId: `${feed}-2`, place, start: at(10) },
  ]);
  const formFactor = feed === 'fietsbv' ? 'BICYCLE' : 'MOPED';
  const zones = zonesAt(world, place);
  await db('trips').insert({
    id: randomUUID(),
    feed_id: world.feeds[feed],
    operator_id: feed,
    vehicle_id: `${feed}-1`,
    form_factor: formFactor,
    source: 'INFERRED',
    status: 'COMPLETED',
    start_time: at(40),
    end_time: at(60),
    start_lat: PLACES[place].lat,
    start_lng: PLACES[place].lng,
    end_lat: PLACES.damNearby.lat,
    end_lng: PLACES.damNearby.lng,
    start_h3_cell: h3(place),
    end_h3_cell: h3('damNearby'),
    start_zone_ids: zones.zone_ids,
    end_zone_ids: zonesAt(world, 'damNearby').zone_ids,
    municipality_code: zones.municipality_code,
    end_municipality_code: 'GM0363',
    distance_meters: 1000,
  });
  await db('rentals').insert({
    id: randomUUID(),
    feed_id: world.feeds[feed],
    operator_id: feed,
    vehicle_id: `${feed}-9`,
    form_factor: formFactor,
    kind: 'START',
    at: at(50),
    lat: PLACES[place].lat,
    lng: PLACES[place].lng,
    h3_cell: h3(place),
    ...zones,
  });
  for (const [vehicleId, p] of [
    [`${feed}-1`, 'damNearby'],
    [`${feed}-2`, place],
  ] as const) {
    await db('vehicle_state').insert({
      feed_id: world.feeds[feed],
      vehicle_id: vehicleId,
      operator_id: feed,
      lat: PLACES[p].lat,
      lng: PLACES[p].lng,
      h3_cell: h3(p),
      ...zonesAt(world, p),
      form_factor: formFactor,
      is_reserved: false,
      is_disabled: false,
      // The open park events above.
      park_event_id: vehicleId.endsWith('1') ? parkEventIds[1] : parkEventIds[2],
      park_start: vehicleId.endsWith('1') ? at(60) : at(10),
      park_lat: PLACES[p].lat,
      park_lng: PLACES[p].lng,
    });
  }
}

type Counts = Record<string, number>;

async function recorded(feed: keyof World['feeds']): Promise<Counts> {
  const counts: Counts = {};
  for (const table of ['park_events', 'trips', 'rentals', 'vehicle_state']) {
    const [row] = await stack.database
      .db(table)
      .where('feed_id', world.feeds[feed])
      .count<{ count: string }[]>({ count: '*' });
    counts[table] = Number(row?.count);
  }
  return counts;
}

/** The local days of the history (T0 to now), whose daily report the purge must correct. */
const historyDays = () => daysBetween(localDay(at(0), TIME_ZONE), localDay(new Date(), TIME_ZONE));

/** Trips started in the daily report over the history's days, per operator. */
async function reportedTrips(): Promise<Record<string, number>> {
  const rows = await stack.database
    .db('daily_zone_indicators')
    .whereIn('day', historyDays())
    .groupBy('operator_id')
    .select<{ operator_id: string; trips: string }[]>(
      'operator_id',
      stack.database.db.raw('sum(trips_started) as trips'),
    );
  return Object.fromEntries(rows.map((r) => [r.operator_id, Number(r.trips)]));
}

async function series(operatorId: string): Promise<unknown[]> {
  return stack.database
    .db('zone_stats_5m')
    .where('operator_id', operatorId)
    .orderBy(['zone_id', 'form_factor', 'bucket_start'])
    .select('zone_id', 'form_factor', 'bucket_start', 'available', 'started', 'ended');
}

const listedVehicles = async () => {
  const data = await ok<{ vehiclesNow: { edges: { node: { vehicleId: string } }[] } }>(
    stack.request(`{ vehiclesNow(first: 100) { edges { node { vehicleId } } } }`, {}, admin),
  );
  return data.vehiclesNow.edges.map((e) => e.node.vehicleId).sort();
};

const DELETE = `mutation ($id: ID!, $mode: FeedDeletionMode!) { deleteFeed(id: $id, mode: $mode) {
  id mode deletedAt vehiclesRemoved parkEventsRemoved tripsRemoved rentalsRemoved
  nonOperationalPeriodsRemoved recountFrom recountTo } }`;

describe('deleteFeed', () => {
  const fromTick = T0 - (T0 % TICK_MS);
  const toTick = Date.now() - (Date.now() % TICK_MS);

  beforeAll(async () => {
    const { db } = stack.database;
    // Only the two world feeds, with their history and vehicles listed now.
    await db('feeds').where('operator_id', 'check').update({ active: false });
    await db('feeds').whereIn('id', Object.values(world.feeds)).update({ active: true });
    await insertHistory('fietsbv');
    await insertHistory('scoot');
    await computeWindow(db, fromTick, toTick, TIME_ZONE);
    for (const day of historyDays()) await computeDailyReport(db, day, TIME_ZONE);
  });

  it('refuses everyone but ADMIN and unknown feeds', async () => {
    expectError(
      await stack.request(DELETE, { id: world.feeds.fietsbv, mode: 'PURGE' }, operator),
      'FORBIDDEN',
    );
    expectError(
      await stack.request(DELETE, { id: randomUUID(), mode: 'PURGE' }, admin),
      'NOT_FOUND',
    );
    expect(await recorded('fietsbv')).toEqual({
      park_events: 3,
      trips: 1,
      rentals: 1,
      vehicle_state: 2,
    });
  });

  it('purges a feed in one go, recounts its series and leaves the other feed alone', async () => {
    const { db } = stack.database;
    const scootBefore = await recorded('scoot');
    const scootSeries = await series('scoot');
    expect(await series('fietsbv')).not.toEqual([]);
    // A trip counts in every zone its start lies in (municipality, district, ...).
    const { fietsbv: fietsbvTrips, ...othersReported } = await reportedTrips();
    expect(fietsbvTrips).toBeGreaterThan(0);
    expect(othersReported.scoot).toBeGreaterThan(0);

    const purged = await ok<{ deleteFeed: Record<string, unknown> }>(
      stack.request(DELETE, { id: world.feeds.fietsbv, mode: 'PURGE' }, admin),
    );
    expect(purged.deleteFeed).toMatchObject({
      id: world.feeds.fietsbv,
      mode: 'PURGE',
      vehiclesRemoved: 2,
      parkEventsRemoved: 3,
      tripsRemoved: 1,
      rentalsRemoved: 1,
      nonOperationalPeriodsRemoved: 0,
      recountFrom: at(0).toISOString(),
    });
    expect(await recorded('fietsbv')).toEqual({
      park_events: 0,
      trips: 0,
      rentals: 0,
      vehicle_state: 0,
    });
    expect(await recorded('scoot')).toEqual(scootBefore);
    expect(await listedVehicles()).toEqual(['scoot-1', 'scoot-2']);

    // The series of the purged period are recounted by the zone_stats job from what is left.
    const requests = await db('zone_stats_recounts').select('from_at', 'to_at');
    expect(requests).toEqual([{ from_at: at(0), to_at: expect.any(Date) as unknown }]);
    await runRequestedRecounts(db, TIME_ZONE, 24 * HOUR_MS, Date.now());
    expect(await db('zone_stats_recounts').count<{ count: string }[]>({ count: '*' })).toEqual([
      { count: '0' },
    ]);
    expect(await series('fietsbv')).toEqual([]);
    expect(await series('scoot')).toEqual(scootSeries);

    // So are the days of the daily report it touched, by the next daily_report run, however old.
    const marked = await db('daily_report_days')
      .whereNotNull('recompute_requested_at')
      .select<{ day: string }[]>(db.raw('day::text as day'));
    expect(marked.map((m) => m.day).sort()).toEqual(historyDays());
    await dailyReport.run({
      db,
      pubsub: new InProcessPubSub(),
      logger: silentLogger,
      config: TEST_CONFIG,
      tickAt: new Date(),
      payload: {},
    });
    expect(await reportedTrips()).toEqual(othersReported);
    expect(
      await db('daily_report_days').whereNotNull('recompute_requested_at').count({ n: '*' }),
    ).toEqual([{ n: '0' }]);

    // Gone from the API, its URL free again, the purge audited.
    const listed = await ok<{ feeds: { id: string }[]; feed: unknown }>(
      stack.request(
        `query ($id: ID!) { feeds { id } feed(id: $id) { id } }`,
        {
          id: world.feeds.fietsbv,
        },
        admin,
      ),
    );
    expect(listed.feeds.map((f) => f.id)).not.toContain(world.feeds.fietsbv);
    expect(listed.feed).toBeNull();
    expectError(
      await stack.request(
        `mutation ($id: ID!) { setFeedActive(id: $id, active: true) { id } }`,
        { id: world.feeds.fietsbv },
        admin,
      ),
      'NOT_FOUND',
    );
    const again = await stack.request(
      CREATE,
      {
        input: {
          operatorId: 'fietsbv',
          url: 'https://gbfs.fietsbv.example/gbfs.json',
          type: 'GBFS3_VEHICLE_STATUS',
          verify: false,
          active: false,
        },
      },
      admin,
    );
    expect(again.errors).toBeUndefined();
    const audit = await db('audit_log')
      .where('target_id', world.feeds.fietsbv)
      .select<{ action: string; details: Record<string, unknown> }[]>('action', 'details');
    expect(audit).toEqual([
      {
        action: 'feed.purge',
        details: expect.objectContaining({ mode: 'PURGE', parkEventsRemoved: 3 }) as unknown,
      },
    ]);
  });

  it('deletes a feed keeping its history: its vehicles leave at once, its park events end', async () => {
    const { db } = stack.database;
    const before = await recorded('scoot');
    const kept = await ok<{ deleteFeed: Record<string, unknown> }>(
      stack.request(DELETE, { id: world.feeds.scoot, mode: 'KEEP_HISTORY' }, admin),
    );
    expect(kept.deleteFeed).toMatchObject({
      mode: 'KEEP_HISTORY',
      vehiclesRemoved: 2,
      parkEventsRemoved: 0,
      tripsRemoved: 0,
      recountFrom: null,
    });
    expect(await listedVehicles()).toEqual([]);
    expect(await recorded('scoot')).toEqual(before);
    expect(await db('zone_stats_recounts').count<{ count: string }[]>({ count: '*' })).toEqual([
      { count: '0' },
    ]);
    // The importer's next tick ends the park events that were open, as for a feed switched off.
    const importer = createImporter({
      db,
      pubsub: new InProcessPubSub(),
      logger: silentLogger,
      settings: importerSettings(TEST_CONFIG),
    });
    const report = await importer.tick();
    // (The Almere feeds switched off above are retired too.)
    expect(report.feeds.map((f) => [f.feedId, f.outcome])).toContainEqual([
      world.feeds.scoot,
      'RETIRED',
    ]);
    const open = await db('park_events')
      .where('feed_id', world.feeds.scoot)
      .select<{ end_reason: string | null }[]>('end_reason');
    expect(open.map((p) => p.end_reason).sort()).toEqual(['OUTAGE', 'OUTAGE', 'RENTAL']);
    const audit = await db('audit_log').where('target_id', world.feeds.scoot).pluck('action');
    expect(audit).toEqual(['feed.delete']);
  });
});
