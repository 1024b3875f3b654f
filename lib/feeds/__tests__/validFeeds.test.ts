import { readFeed } from '..';
import {
  feedConfig,
  READ,
  readFixture,
  rewriteDiscovery,
  startFeedServer,
  type FeedServer,
} from './feedServer';

const ALMERE = 'gbfs-3.0-check-almere';
const FIXTURES_23 = ['gbfs-json-schema', 'testFixtures', 'v2.3'];
const FIXTURES_30 = ['gbfs-json-schema', 'testFixtures', 'v3.0'];

let server: FeedServer;

beforeAll(async () => {
  server = await startFeedServer();
  const serveFolder = (prefix: string, parts: string[], files: string[]) => {
    for (const file of files) {
      const body = readFixture(...parts, `${file}.json`);
      server.json(
        `/${prefix}/${file}.json`,
        file === 'gbfs' ? rewriteDiscovery(body, server.base, prefix) : body,
      );
    }
  };
  serveFolder(
    'almere',
    [ALMERE],
    ['gbfs', 'system_information', 'vehicle_types', 'vehicle_status'],
  );
  serveFolder('v2.3', FIXTURES_23, [
    'gbfs',
    'system_information',
    'vehicle_types',
    'free_bike_status',
    'station_information',
    'station_status',
  ]);
  serveFolder('v3.0', FIXTURES_30, [
    'gbfs',
    'system_information',
    'vehicle_types',
    'vehicle_status',
    'station_information',
    'station_status',
  ]);
  // A GBFS 2.2 feed: the same vehicle, declared as the older version it could be.
  const older = structuredClone(readFixture(...FIXTURES_23, 'free_bike_status.json')) as {
    version: string;
  };
  older.version = '2.2';
  server.json('/v2.2/free_bike_status.json', older);
});

afterAll(() => server.close());

describe('readFeed on valid feeds', () => {
  it('reads the real Almere GBFS 3.0 feed through its gbfs.json', async () => {
    const fetchedAt = new Date('2025-05-21T07:50:00Z');
    const result = await readFeed(
      feedConfig({ url: `${server.base}/almere/gbfs.json`, type: 'GBFS3_VEHICLE_STATUS' }),
      { ...READ, now: () => fetchedAt },
    );
    if (!result.ok) throw new Error(result.error.message);
    const { snapshot } = result;
    expect(snapshot.feedId).toBe('feed-1');
    expect(snapshot.fetchedAt).toEqual(fetchedAt);
    expect(snapshot.feedVersion).toBe('3.0');
    expect(snapshot.lastUpdatedAt?.toISOString()).toBe('2025-05-21T07:48:04.229Z');
    expect(snapshot.systemName).toBe('Check Technologies (nl)');
    expect(snapshot.vehicleTypes).toEqual([
      { id: 'check_moped_almere_60', formFactor: 'MOPED', propulsionType: 'electric', name: null },
    ]);
    expect(snapshot.vehicles).toHaveLength(6);
    expect(snapshot.vehicles.filter((v) => v.isReserved)).toHaveLength(1);
    expect(snapshot.vehicles.filter((v) => v.isDisabled)).toHaveLength(1);
    expect(snapshot.vehicles[0]).toEqual({
      vehicleId: 'd44a73a8-d9b1-483d-a90f-4ab6617e6d82',
      lat: 52.40078,
      lng: 5.29054,
      vehicleTypeId: 'check_moped_almere_60',
      formFactor: 'MOPED',
      isReserved: false,
      isDisabled: false,
      lastReportedAt: null,
      stationId: null,
    });
  });

  it('reads the Almere vehicle_status.json directly, with the feed default form factor', async () => {
    const result = await readFeed(
      feedConfig({
        url: `${server.base}/almere/vehicle_status.json`,
        type: 'GBFS3_VEHICLE_STATUS',
        defaultFormFactor: 'MOPED',
      }),
      READ,
    );
    if (!result.ok) throw new Error(result.error.message);
    expect(result.snapshot.vehicles).toHaveLength(6);
    expect(result.snapshot.systemName).toBeNull();
    expect(result.snapshot.vehicles.every((v) => v.formFactor === 'MOPED')).toBe(true);
    expect(result.snapshot.vehicleTypes).toEqual([
      { id: 'check_moped_almere_60', formFactor: 'MOPED', propulsionType: 'unknown', name: null },
    ]);
  });

  it('registered directly without types, the Almere mopeds are OTHER and counted as of unknown type', async () => {
    const result = await readFeed(
      feedConfig({
        url: `${server.base}/almere/vehicle_status.json`,
        type: 'GBFS3_VEHICLE_STATUS',
      }),
      READ,
    );
    if (!result.ok) throw new Error(result.error.message);
    expect(result.snapshot.vehicles.map((v) => v.formFactor)).toEqual(Array(6).fill('OTHER'));
    expect(result.snapshot.unknownTypeVehicles).toBe(6);
  });

  it('registered directly with its vehicle_types URL, the Almere mopeds are MOPED', async () => {
    const result = await readFeed(
      feedConfig({
        url: `${server.base}/almere/vehicle_status.json`,
        type: 'GBFS3_VEHICLE_STATUS',
        vehicleTypesUrl: `${server.base}/almere/vehicle_types.json`,
      }),
      READ,
    );
    if (!result.ok) throw new Error(result.error.message);
    expect(result.snapshot.vehicles.map((v) => v.formFactor)).toEqual(Array(6).fill('MOPED'));
    expect(result.snapshot.unknownTypeVehicles).toBe(0);
  });

  it('reads the official GBFS 2.3 test fixtures through gbfs.json discovery', async () => {
    const result = await readFeed(
      feedConfig({ url: `${server.base}/v2.3/gbfs.json`, type: 'GBFS_DISCOVERY' }),
      READ,
    );
    if (!result.ok) throw new Error(result.error.message);
    const { snapshot } = result;
    expect(snapshot.feedVersion).toBe('2.3');
    expect(snapshot.systemName).toBe('Test');
    expect(snapshot.lastUpdatedAt).toEqual(new Date(1606857968 * 1000));
    expect(snapshot.vehicleTypes.map((t) => [t.id, t.formFactor])).toEqual([
      ['TST:VehicleType:Scooter', 'SCOOTER_STANDING'],
      ['TST:VehicleType:CityBike', 'BICYCLE'],
    ]);
    expect(snapshot.vehicles).toEqual([
      {
        vehicleId: 'TST:Scooter:1234',
        lat: 59.91465759277344,
        lng: 10.760470390319824,
        vehicleTypeId: 'TST:VehicleType:Scooter',
        formFactor: 'SCOOTER_STANDING',
        isReserved: false,
        isDisabled: true,
        lastReportedAt: null,
        stationId: null,
      },
    ]);
    // Its stations too (free-floating vehicles and stations in one system).
    expect(snapshot.stations).toEqual([
      {
        stationId: 'TST:Station:1',
        name: 'Cool bikes',
        lat: 12.34,
        lng: 45.67,
        capacity: null,
        isInstalled: true,
        isRenting: true,
        isReturning: true,
        vehiclesAvailable: 1,
        docksAvailable: 3,
        formFactors: { SCOOTER_STANDING: 1 },
        lastReportedAt: new Date(1751437263 * 1000),
      },
      {
        stationId: 'TST:Station:2',
        name: 'Cooler bikes',
        lat: 11.34,
        lng: 44.67,
        capacity: null,
        isInstalled: true,
        isRenting: true,
        isReturning: true,
        vehiclesAvailable: 6,
        docksAvailable: 8,
        formFactors: { SCOOTER_STANDING: 2, BICYCLE: 4 },
        lastReportedAt: new Date(1751437263 * 1000),
      },
    ]);
    expect(snapshot.stationsLeftOut).toEqual([]);
  });

  it('reads the GBFS 2.3 free_bike_status.json directly', async () => {
    const result = await readFeed(
      feedConfig({
        url: `${server.base}/v2.3/free_bike_status.json`,
        type: 'GBFS_FREE_BIKE_STATUS',
        defaultFormFactor: 'SCOOTER_STANDING',
      }),
      READ,
    );
    if (!result.ok) throw new Error(result.error.message);
    expect(result.snapshot.vehicles).toHaveLength(1);
    expect(result.snapshot.vehicles[0]?.formFactor).toBe('SCOOTER_STANDING');
  });

  it('accepts an older GBFS 2.x version against the 2.3 schema and reports its version', async () => {
    const result = await readFeed(
      feedConfig({
        url: `${server.base}/v2.2/free_bike_status.json`,
        type: 'GBFS_FREE_BIKE_STATUS',
      }),
      READ,
    );
    if (!result.ok) throw new Error(result.error.message);
    expect(result.snapshot.feedVersion).toBe('2.2');
    expect(result.snapshot.vehicles[0]?.formFactor).toBe('OTHER');
  });

  it('reads the official GBFS 3.0 test fixtures through gbfs.json discovery', async () => {
    for (const type of ['GBFS3_VEHICLE_STATUS', 'GBFS_DISCOVERY'] as const) {
      const result = await readFeed(
        feedConfig({ url: `${server.base}/v3.0/gbfs.json`, type }),
        READ,
      );
      if (!result.ok) throw new Error(result.error.message);
      const { snapshot } = result;
      expect(snapshot.feedVersion).toBe('3.0');
      expect(snapshot.systemName).toBe('Check Technologies');
      expect(snapshot.vehicleTypes).toEqual([
        {
          id: 'ebicycle_paris',
          formFactor: 'BICYCLE',
          propulsionType: 'electric_assist',
          name: 'Electric Bicycle',
        },
      ]);
      expect(snapshot.vehicles).toHaveLength(7);
      expect(new Set(snapshot.vehicles.map((v) => v.formFactor))).toEqual(new Set(['BICYCLE']));
      expect(snapshot.lastUpdatedAt?.toISOString()).toBe('2019-07-04T13:33:03.969Z');
      // One station has a status; the 22 others are listed in station_information only.
      expect(snapshot.stations).toEqual([
        expect.objectContaining({
          stationId: '6efbec5a-6b8c-455b-bed2-8d66be6d6a4b',
          name: '2 ROUES',
          vehiclesAvailable: 0,
          docksAvailable: null,
          formFactors: {},
          lastReportedAt: new Date('2019-07-04T13:33:03.969Z'),
        }),
      ]);
      expect(snapshot.stationsLeftOut).toHaveLength(22);
      expect(snapshot.stationsLeftOut?.[0]?.reason).toBe(
        'data.stations[1]: station "42105087-bd41-4a5b-893a-5d8e65c3f05d" is not listed in station_status',
      );
    }
  });
});
