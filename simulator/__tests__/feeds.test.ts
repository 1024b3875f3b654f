import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { createFeedSimulator, type FeedSimulator } from '..';
import { readFeed, readMdsTrips, type FeedConfig } from '../../lib/feeds';
import { gbfsValidator, type GbfsFile } from '../../lib/feeds/gbfsSchemas';
import { mdsValidator, type MdsEndpoint, type MdsMode } from '../../lib/feeds/mdsSchemas';
import type { FeedType } from '../../lib/domain/fleet';
import { HOUR, MINUTE } from '../../lib/units';
import { loadMunicipalities } from '../serviceArea';

const START = new Date('2024-05-01T05:00:00Z');
const MUNICIPALITIES = ['GM0363', 'GM0599', 'GM0034'];
const READ = { timeoutMs: 10_000, maxBytes: 20 * 1024 * 1024 };

let simulator: FeedSimulator;
let base: string;

beforeAll(async () => {
  simulator = createFeedSimulator({
    seed: 7,
    startTime: START,
    municipalities: MUNICIPALITIES,
    operators: [
      { id: 'fiets', name: 'Fiets', vehicles: 150, formFactor: 'BICYCLE' },
      {
        id: 'step',
        name: 'Step',
        vehicles: 120,
        formFactor: 'SCOOTER_STANDING',
        rotatingIds: true,
      },
      { id: 'auto', name: 'Auto', vehicles: 60, formFactor: 'CAR' },
    ],
  });
  base = (await simulator.start(0, '127.0.0.1')).url;
  simulator.advance(4 * HOUR);
});
afterAll(() => simulator.stop());

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

function expectValid(validate: ReturnType<typeof gbfsValidator>, body: unknown, what: string) {
  const valid = validate(body);
  expect({ what, errors: valid ? null : validate.errors?.slice(0, 3) }).toEqual({
    what,
    errors: null,
  });
}

function feed(url: string, type: FeedType): FeedConfig {
  return {
    id: 'simulated',
    operatorId: 'simulated',
    url,
    type,
    auth: { type: 'NONE' },
    defaultFormFactor: null,
    defaultVehicleTypeId: null,
    rotatingIds: false,
  };
}

describe('the feed simulator serves valid feeds', () => {
  it.each(['2.3', '3.0'] as const)(
    'every GBFS %s file validates against the official schema',
    async (version) => {
      for (const operator of ['fiets', 'step', 'auto']) {
        const status = version === '2.3' ? 'free_bike_status' : 'vehicle_status';
        for (const file of ['gbfs', 'system_information', 'vehicle_types', status] as GbfsFile[]) {
          const { status: httpStatus, body } = await getJson(
            `${base}/${operator}/gbfs/${version}/${file}.json`,
          );
          expect(httpStatus).toBe(200);
          expectValid(gbfsValidator(version, file), body, `${operator} ${version} ${file}`);
        }
      }
    },
  );

  it('every MDS 2.0 response validates against the official Provider API schema of its mode', async () => {
    const hour = new Date(START.getTime() + 2 * HOUR).toISOString().slice(0, 13);
    const modes: [string, MdsMode][] = [
      ['fiets', 'micromobility'],
      ['step', 'micromobility'],
      ['auto', 'car-share'],
    ];
    for (const [operator, mode] of modes) {
      const endpoints: [string, MdsEndpoint][] = [
        ['vehicles', 'vehicles'],
        ['vehicles/status', 'vehicles_status'],
        [`trips?end_time=${hour}`, 'trips'],
      ];
      for (const [path, endpoint] of endpoints) {
        const response = await fetch(`${base}/${operator}/mds/${path}`);
        expect(response.headers.get('content-type')).toBe('application/vnd.mds+json;version=2.0');
        const body: unknown = await response.json();
        expectValid(mdsValidator(mode, endpoint), body, `${operator} ${endpoint}`);
      }
    }
  });

  it('the importer reads every operator in every format, with the same vehicles', async () => {
    for (const operator of ['fiets', 'step', 'auto']) {
      const urls = simulator.feedUrls(operator);
      const reads = await Promise.all([
        readFeed(feed(urls.gbfs23, 'GBFS_DISCOVERY'), READ),
        readFeed(feed(urls.gbfs30, 'GBFS3_VEHICLE_STATUS'), READ),
        readFeed(feed(urls.mds, 'MDS_VEHICLES'), READ),
      ]);
      const [gbfs23, gbfs30, mds] = reads.map((r) => {
        if (!r.ok) throw new Error(`${operator}: ${r.error.message}`);
        return r.snapshot;
      });
      expect(gbfs23!.vehicles.map((v) => v.vehicleId)).toEqual(
        gbfs30!.vehicles.map((v) => v.vehicleId),
      );
      // MDS also lists reservations that GBFS hides; positions agree for every GBFS vehicle.
      const mdsPositions = new Set(mds!.vehicles.map((v) => `${v.lat},${v.lng}`));
      expect(gbfs23!.vehicles.every((v) => mdsPositions.has(`${v.lat},${v.lng}`))).toBe(true);
      expect(mds!.vehicles.length).toBeGreaterThanOrEqual(gbfs23!.vehicles.length);
      expect(gbfs23!.systemName).toBe(
        operator === 'fiets' ? 'Fiets' : operator === 'step' ? 'Step' : 'Auto',
      );
    }
  });

  it('places every vehicle inside the chosen municipalities', async () => {
    const areas = loadMunicipalities(MUNICIPALITIES);
    const result = await readFeed(
      feed(simulator.feedUrls('fiets').gbfs30, 'GBFS3_VEHICLE_STATUS'),
      READ,
    );
    if (!result.ok) throw new Error(result.error.message);
    const outside = result.snapshot.vehicles.filter(
      (v) => !areas.some((a) => booleanPointInPolygon([v.lng, v.lat], a.geometry)),
    );
    expect(outside).toEqual([]);
    const municipalitiesUsed = new Set(
      result.snapshot.vehicles.map(
        (v) => areas.find((a) => booleanPointInPolygon([v.lng, v.lat], a.geometry))?.code,
      ),
    );
    expect(municipalitiesUsed).toEqual(new Set(MUNICIPALITIES));
  });

  it('serves MDS trips of past hours and refuses bad or future hours', async () => {
    const tripsFeed = feed(simulator.feedUrls('fiets').mds, 'MDS_VEHICLES');
    const past = await readMdsTrips(tripsFeed, new Date(START.getTime() + HOUR), READ);
    if (!past.ok) throw new Error(past.error.message);
    expect(past.trips.length).toBeGreaterThan(0);
    expect(past.trips.every((t) => t.formFactor === 'BICYCLE')).toBe(true);

    const future = await readMdsTrips(tripsFeed, new Date(START.getTime() + 4 * HOUR), READ);
    expect(future).toMatchObject({ ok: false, error: { kind: 'HTTP_STATUS', httpStatus: 404 } });
    const beforeStart = await readMdsTrips(tripsFeed, new Date(START.getTime() - HOUR), READ);
    expect(beforeStart).toMatchObject({ ok: false, error: { httpStatus: 404 } });

    const bad = await getJson(`${base}/fiets/mds/trips?end_time=yesterday`);
    expect(bad).toMatchObject({ status: 400, body: { error: 'bad_param' } });
  });

  it('answers unknown paths with 404 and lists the feeds at /', async () => {
    expect((await getJson(`${base}/nobody/gbfs/2.3/gbfs.json`)).status).toBe(404);
    expect((await getJson(`${base}/fiets/gbfs/2.3/vehicle_status.json`)).status).toBe(404);
    const index = await getJson(`${base}/`);
    expect(index.body).toMatchObject({
      operators: [
        { id: 'fiets', feeds: simulator.feedUrls('fiets') },
        { id: 'step', rotatingIds: true },
        { id: 'auto', formFactor: 'CAR' },
      ],
      simulatedTime: new Date(START.getTime() + 4 * HOUR).toISOString(),
    });
  });

  it('serves the same document until the simulation moves on', async () => {
    const url = `${base}/fiets/gbfs/2.3/free_bike_status.json`;
    const first = await (await fetch(url)).text();
    expect(await (await fetch(url)).text()).toBe(first);
    simulator.advance(10 * MINUTE);
    expect(await (await fetch(url)).text()).not.toBe(first);
  });
});

describe('createFeedSimulator', () => {
  it('refuses an unknown municipality code and a bad operator id', () => {
    expect(() =>
      createFeedSimulator({ seed: 1, municipalities: ['GM9999'], operators: [] }),
    ).toThrow('unknown municipality code "GM9999"');
    expect(() =>
      createFeedSimulator({
        seed: 1,
        operators: [{ id: 'a/b', name: 'A', vehicles: 1, formFactor: 'BICYCLE' }],
      }),
    ).toThrow('operator id "a/b"');
  });

  it('has no feed URLs before it is started', () => {
    const idle = createFeedSimulator({
      seed: 1,
      operators: [{ id: 'a', name: 'A', vehicles: 1, formFactor: 'BICYCLE' }],
    });
    expect(() => idle.feedUrls('a')).toThrow('not started');
  });
});
