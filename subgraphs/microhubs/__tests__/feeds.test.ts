import { loadConfig } from '../../../lib/config';
import { InProcessPubSub } from '../../../lib/pubsub';
import type { SubgraphServer } from '../../../lib/subgraphServer';
import { seed } from '../../../seeds';
import { createTestDatabase, silentLogger, type TestDatabase } from '../../../test/db';
import { cluster, controllerJob, DAM, insertHub, moved, Street } from '../../../test/microhubs';
import { createMicrohubsSubgraph } from '../server';
import { gbfs30Validator, mdsResponseValidator, problems } from './schemas';

/**
 * The operator feeds over plain HTTP, without credentials, validated against the official MDS 2.0
 * and GBFS 3.0 schemas.
 */
let database: TestDatabase;
let pubsub: InProcessPubSub;
let server: SubgraphServer;
let base: string;
const hubs: Record<string, string> = {};

const validateStops = mdsResponseValidator('/stops');
const validateStop = mdsResponseValidator('/stops/{stop_id}');
const validateInformation = gbfs30Validator('station_information');
const validateStatus = gbfs30Validator('station_status');

beforeAll(async () => {
  database = await createTestDatabase();
  pubsub = new InProcessPubSub();
  await seed(database.db, pubsub, silentLogger, { demo: false });
  const { db } = database;
  const street = await new Street(db).open();
  const full = moved(DAM, 0, -300);
  const mixed = moved(DAM, 200, -300);
  hubs.full = await insertHub(db, { name: 'Dam full', at: full, capacity: { COMBINED: 4 } });
  hubs.mixed = await insertHub(db, {
    name: 'Dam mixed',
    at: mixed,
    capacity: { BICYCLE: 5, MOPED: 1 },
  });
  hubs.planned = await insertHub(db, {
    name: 'Dam planned',
    at: moved(DAM, 400, -300),
    effectiveFrom: new Date(Date.now() + 86_400_000),
  });
  hubs.rotterdam = await insertHub(db, {
    name: 'Rotterdam',
    at: { lat: 51.9236, lng: 4.4695 },
    municipalityCode: 'GM0599',
  });
  await street.park([
    ...cluster('feed-full', 4, full, 3),
    { id: 'feed-bike-1', ...mixed, formFactor: 'BICYCLE' },
    { id: 'feed-bike-2', ...moved(mixed, 2, 0), formFactor: 'BICYCLE', disabled: true },
    { id: 'feed-moped', ...moved(mixed, -2, 0), formFactor: 'MOPED', reserved: true },
  ]);
  await controllerJob(db, pubsub).tick();
  server = createMicrohubsSubgraph({
    config: loadConfig({ NODE_ENV: 'test' }),
    logger: silentLogger,
    db,
    pubsub,
    scopeSecret: 'feeds-test-secret-0123456789abcdef0123',
  });
  const { port } = await server.start(0, '127.0.0.1');
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await server?.stop();
  await pubsub?.close();
  await database?.drop();
});

async function get(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}${path}`, { headers, signal: AbortSignal.timeout(5000) });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    body: (await response.json()) as Record<string, unknown>,
  };
}

interface Stop {
  stop_id: string;
  name: string;
  status: { is_returning: boolean };
  capacity: Record<string, number>;
  num_vehicles_available: Record<string, number>;
  num_vehicles_disabled: Record<string, number>;
  num_places_available: Record<string, number>;
  num_places_disabled: Record<string, number>;
}

describe('MDS /stops', () => {
  it('lists the public hubs of a municipality as MDS 2.0 stops that validate', async () => {
    const { status, type, body } = await get('/municipalities/GM0363/mds/stops');
    expect(status).toBe(200);
    expect(type).toMatch(/^application\/vnd\.mds\+json; ?version=2\.0/);
    expect(problems(validateStops, body)).toEqual([]);
    const stops = body.stops as Stop[];
    expect(stops.map((s) => s.name)).toEqual(['Dam full', 'Dam mixed']);
    const [full, mixed] = stops;
    expect(full).toMatchObject({ stop_id: hubs.full, status: { is_returning: false } });
    expect(full?.num_places_available.bicycle).toBe(0);
    expect(full?.capacity.bicycle).toBe(4);
    expect(mixed).toMatchObject({
      status: { is_returning: true },
      capacity: { bicycle: 5, moped: 1 },
      num_vehicles_available: { bicycle: 1, moped: 0 },
      num_vehicles_disabled: { bicycle: 1, moped: 1 },
      // The moped place is taken: closed for mopeds, open for bicycles.
      num_places_available: { bicycle: 3, moped: 0 },
      num_places_disabled: { bicycle: 0, moped: 0 },
    });
  });

  it('answers one stop by id, and 404 for a stop of another municipality', async () => {
    const one = await get(`/municipalities/GM0363/mds/stops/${hubs.mixed}`);
    expect(one.status).toBe(200);
    expect(problems(validateStop, one.body)).toEqual([]);
    expect((one.body.stops as Stop[]).map((s) => s.stop_id)).toEqual([hubs.mixed]);

    const elsewhere = await get(`/municipalities/GM0363/mds/stops/${hubs.rotterdam}`);
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body).toMatchObject({ error: 'stop_not_found' });
    const planned = await get(`/municipalities/GM0363/mds/stops/${hubs.planned}`);
    expect(planned.status).toBe(404);
    expect((await get('/municipalities/GM0363/mds/stops/not-a-uuid')).status).toBe(400);
  });

  it('refuses another MDS version', async () => {
    const response = await get('/municipalities/GM0363/mds/stops', {
      accept: 'application/vnd.mds+json;version=1.2',
    });
    expect(response.status).toBe(406);
  });

  it('the schema check catches a stop that breaks it', async () => {
    const { body } = await get('/municipalities/GM0363/mds/stops');
    const broken = structuredClone(body) as { stops: Record<string, unknown>[] };
    delete broken.stops[0]?.capacity;
    (broken.stops[1] as unknown as Stop).num_places_available.bike = 2;
    expect(problems(validateStops, broken).length).toBeGreaterThan(0);
  });
});

describe('GBFS 3.0 station feeds', () => {
  it('publishes station_information and station_status that validate', async () => {
    const information = await get('/municipalities/GM0363/gbfs/3.0/station_information.json');
    expect(information.status).toBe(200);
    expect(problems(validateInformation, information.body)).toEqual([]);
    const stations = (information.body.data as { stations: Record<string, unknown>[] }).stations;
    expect(stations.map((s) => [s.station_id, s.capacity, s.is_virtual_station])).toEqual([
      [hubs.full, 4, true],
      [hubs.mixed, 6, true],
    ]);
    expect(stations[0]).toMatchObject({
      name: [{ text: 'Dam full', language: 'nl' }],
      station_area: { type: 'MultiPolygon' },
    });

    const status = await get('/municipalities/GM0363/gbfs/3.0/station_status.json');
    expect(status.status).toBe(200);
    expect(problems(validateStatus, status.body)).toEqual([]);
    expect(status.body).toMatchObject({ version: '3.0', ttl: 30 });
    const states = (status.body.data as { stations: Record<string, unknown>[] }).stations;
    expect(states).toEqual([
      expect.objectContaining({
        station_id: hubs.full,
        num_vehicles_available: 4,
        num_docks_available: 0,
        is_returning: false,
      }),
      expect.objectContaining({
        station_id: hubs.mixed,
        num_vehicles_available: 1,
        num_vehicles_disabled: 2,
        num_docks_available: 3,
        num_docks_disabled: 0,
        // Closed for mopeds: GBFS can't say "bicycles only", so the station takes no returns.
        is_returning: false,
      }),
    ]);
  });
});

describe('feed errors', () => {
  it.each([
    '/municipalities/GM9999/mds/stops',
    '/municipalities/Amsterdam/gbfs/3.0/station_status.json',
    '/municipalities/GM9999/gbfs/3.0/station_information.json',
  ])('answers 404 with a clear body for an unknown municipality: %s', async (path) => {
    const { status, body } = await get(path);
    expect(status).toBe(404);
    const code = path.split('/')[2];
    expect(body).toEqual({
      error: 'unknown_municipality',
      error_description: `no municipality with code ${code}`,
      error_details: ['municipality: use a CBS municipality code like GM0363 (Amsterdam)'],
    });
  });

  it('needs no credentials, while GraphQL on the same server still does', async () => {
    expect((await get('/municipalities/GM0599/mds/stops')).status).toBe(200);
    const graphql = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ hubs { totalCount } }' }),
    });
    expect(graphql.status).toBe(401);
  });
});
