import { readFeed } from '..';
import { verifyFeed, type FeedRegistration, type VerifiedFeed } from '../verify';
import {
  feedConfig,
  READ,
  readFixture,
  rewriteDiscovery,
  startFeedServer,
  type FeedServer,
} from './feedServer';
import { mdsFixture } from './mdsFixture';

/**
 * Registering a feed (issue 19.4, 19.1): the URL is fetched once and read as the importer would,
 * and a document of another kind is refused with what it is and what to register instead. Served
 * by a real HTTP server from the real Almere GBFS 3.0 snapshot and the official GBFS test fixtures.
 */
const ALMERE = 'gbfs-3.0-check-almere';
const V23 = ['gbfs-json-schema', 'testFixtures', 'v2.3'];
const V30 = ['gbfs-json-schema', 'testFixtures', 'v3.0'];

let server: FeedServer;

function serve(prefix: string, parts: string[], files: string[]): void {
  for (const file of files) {
    const body = readFixture(...parts, `${file}.json`);
    server.json(
      `/${prefix}/${file}.json`,
      file === 'gbfs' ? rewriteDiscovery(body, server.base, prefix) : body,
    );
  }
}

beforeAll(async () => {
  server = await startFeedServer();
  const almere = [
    'gbfs',
    'system_information',
    'vehicle_types',
    'vehicle_status',
    'geofencing_zones',
  ];
  serve('almere', [ALMERE], almere);
  // The vehicle file alone, with vehicle_types beside it but no gbfs.json.
  serve('almere-types-only', [ALMERE], ['vehicle_types', 'vehicle_status']);
  // The vehicle file alone.
  serve('almere-bare', [ALMERE], ['vehicle_status']);
  serve('v2.3', V23, [
    'gbfs',
    'system_information',
    'vehicle_types',
    'free_bike_status',
    'station_status',
    'station_information',
  ]);
  serve('v3.0', V30, [
    'gbfs',
    'system_information',
    'vehicle_types',
    'vehicle_status',
    'station_information',
    'station_status',
  ]);
  // A docked system: its discovery lists stations only.
  const stationsOnly = structuredClone(readFixture(...V23, 'gbfs.json')) as {
    data: { en: { feeds: { name: string }[] } };
  };
  stationsOnly.data.en.feeds = stationsOnly.data.en.feeds.filter(
    (f) => !['free_bike_status', 'vehicle_types'].includes(f.name),
  );
  server.json('/docked/gbfs.json', rewriteDiscovery(stationsOnly, server.base, 'v2.3'));
  // GBFS 1.0: no version, 0/1 flags; discovery per language.
  server.json('/v1/gbfs.json', {
    last_updated: 1606727710,
    ttl: 60,
    data: {
      en: {
        feeds: [
          { name: 'system_information', url: `${server.base}/v1/system_information.json` },
          { name: 'free_bike_status', url: `${server.base}/v1/fbs.json` },
        ],
      },
    },
  });
  server.json('/v1/system_information.json', {
    last_updated: 1606727710,
    ttl: 60,
    data: { system_id: 'v1', language: 'en', name: 'Old bikes', timezone: 'Europe/Amsterdam' },
  });
  server.json('/v1/fbs.json', {
    last_updated: 1606727710,
    ttl: 60,
    data: { bikes: [{ bike_id: 'b1', lat: 52.37, lon: 4.89, is_reserved: 0, is_disabled: 0 }] },
  });
  // Only the operator's service area: nothing the importer counts.
  const zonesOnly = structuredClone(readFixture(...V23, 'gbfs.json')) as {
    data: { en: { feeds: { name: string }[] } };
  };
  zonesOnly.data.en.feeds = zonesOnly.data.en.feeds.filter((f) =>
    ['system_information', 'geofencing_zones'].includes(f.name),
  );
  server.json('/zones-only/gbfs.json', rewriteDiscovery(zonesOnly, server.base, 'v2.3'));
  const mds = mdsFixture();
  server.json('/mds/vehicles', mds.vehicles);
  server.json('/mds/vehicles/status', mds.status);
});

afterAll(() => server.close());

function registration(path: string, change: Partial<FeedRegistration> = {}): FeedRegistration {
  return {
    operatorId: 'check',
    url: `${server.base}${path}`,
    type: null,
    auth: { type: 'NONE' },
    vehicleTypesUrl: null,
    defaultFormFactor: null,
    defaultVehicleTypeId: null,
    ...change,
  };
}

function refusal(result: VerifiedFeed): { field: string; message: string } {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result)}`);
  return { field: result.field, message: result.message };
}

describe('verifyFeed', () => {
  it('registers a gbfs.json as a discovery feed, reading its version', async () => {
    const almere = await verifyFeed(registration('/almere/gbfs.json'), READ);
    expect(almere).toEqual({
      ok: true,
      type: 'GBFS_DISCOVERY',
      vehicleTypesUrl: null,
      document: 'a GBFS 3.0 gbfs.json (discovery)',
      vehicles: 6,
      stations: 0,
    });
    const v23 = await verifyFeed(registration('/v2.3/gbfs.json'), READ);
    expect(v23).toMatchObject({ ok: true, type: 'GBFS_DISCOVERY' });
    // The type GBFS3_VEHICLE_STATUS reads a 3.0 gbfs.json too: the administrator's choice stays.
    const asVehicleStatus = await verifyFeed(
      registration('/almere/gbfs.json', { type: 'GBFS3_VEHICLE_STATUS' }),
      READ,
    );
    expect(asVehicleStatus).toMatchObject({ ok: true, type: 'GBFS3_VEHICLE_STATUS' });
  });

  it('finds the vehicle_types of a vehicle file registered directly, so mopeds stay mopeds', async () => {
    const viaDiscovery = await verifyFeed(registration('/almere/vehicle_status.json'), READ);
    expect(viaDiscovery).toEqual({
      ok: true,
      type: 'GBFS3_VEHICLE_STATUS',
      vehicleTypesUrl: `${server.base}/almere/vehicle_types.json`,
      document: 'a GBFS 3.0 vehicle_status',
      vehicles: 6,
      stations: 0,
    });
    const beside = await verifyFeed(registration('/almere-types-only/vehicle_status.json'), READ);
    expect(beside).toMatchObject({
      ok: true,
      vehicleTypesUrl: `${server.base}/almere-types-only/vehicle_types.json`,
    });
    // Read with what was found, every vehicle is a moped (before: 6 x OTHER).
    if (!viaDiscovery.ok) throw new Error('unreachable');
    const read = await readFeed(
      feedConfig({
        url: `${server.base}/almere/vehicle_status.json`,
        type: viaDiscovery.type,
        vehicleTypesUrl: viaDiscovery.vehicleTypesUrl,
      }),
      READ,
    );
    if (!read.ok) throw new Error(read.error.message);
    expect(read.snapshot.vehicles.map((v) => v.formFactor)).toEqual(Array(6).fill('MOPED'));
    expect(read.snapshot.unknownTypeVehicles).toBe(0);
  });

  it('refuses a vehicle file whose vehicle_types cannot be found, unless told the form factor', async () => {
    const bare = refusal(await verifyFeed(registration('/almere-bare/vehicle_status.json'), READ));
    expect(bare.field).toBe('vehicleTypesUrl');
    expect(bare.message).toContain('a GBFS 3.0 vehicle_status registered directly');
    expect(bare.message).toContain('Give vehicleTypesUrl (or defaultFormFactor)');
    const told = await verifyFeed(
      registration('/almere-bare/vehicle_status.json', { defaultFormFactor: 'MOPED' }),
      READ,
    );
    expect(told).toMatchObject({ ok: true, type: 'GBFS3_VEHICLE_STATUS', vehicleTypesUrl: null });
    const given = await verifyFeed(
      registration('/almere-bare/vehicle_status.json', {
        vehicleTypesUrl: `${server.base}/almere/vehicle_types.json`,
      }),
      READ,
    );
    expect(given).toMatchObject({
      ok: true,
      vehicleTypesUrl: `${server.base}/almere/vehicle_types.json`,
    });
    const wrongTypes = refusal(
      await verifyFeed(
        registration('/almere-bare/vehicle_status.json', {
          vehicleTypesUrl: `${server.base}/almere/system_information.json`,
        }),
        READ,
      ),
    );
    expect(wrongTypes.field).toBe('vehicleTypesUrl');
    expect(wrongTypes.message).toContain(
      'is a GBFS 3.0 system_information, not a GBFS 3.0 vehicle_types',
    );
  });

  it.each([
    [
      'a 2.3 gbfs.json registered as a 3.0 vehicle_status',
      '/v2.3/gbfs.json',
      'GBFS3_VEHICLE_STATUS' as const,
      'type',
      'is a GBFS 2.3 gbfs.json (discovery), which a GBFS3_VEHICLE_STATUS feed does not read: register it as GBFS_DISCOVERY',
    ],
    [
      'a 3.0 vehicle_status registered as a 2.x free_bike_status',
      '/v3.0/vehicle_status.json',
      'GBFS_FREE_BIKE_STATUS' as const,
      'type',
      'is a GBFS 3.0 vehicle_status, which a GBFS_FREE_BIKE_STATUS feed does not read: register it as GBFS3_VEHICLE_STATUS',
    ],
    [
      'a GBFS 1.0 free_bike_status without a form factor (1.x names no vehicle types)',
      '/v1/fbs.json',
      'GBFS_FREE_BIKE_STATUS' as const,
      'url',
      'is a GBFS 1.0 free_bike_status whose vehicles name no vehicle type: give defaultFormFactor',
    ],
    [
      'a docked system without vehicle_types or a default form factor',
      '/docked/gbfs.json',
      null,
      'url',
      'is a GBFS 2.3 gbfs.json (discovery) with 2 stations and no vehicle_types: give defaultFormFactor',
    ],
    [
      'a station_status',
      '/v2.3/station_status.json',
      null,
      'url',
      'is a GBFS 2.3 station_status: a file of a station-based system: its stations are read from station_information and station_status together, so register the gbfs.json that lists them (GBFS_DISCOVERY)',
    ],
    [
      'a station_information',
      '/v2.3/station_information.json',
      'GBFS_DISCOVERY' as const,
      'url',
      'is a GBFS 2.3 station_information: a file of a station-based system',
    ],
    [
      'a discovery file listing only geofencing zones',
      '/zones-only/gbfs.json',
      null,
      'url',
      'it lists neither free_bike_status (free-floating vehicles) nor station_information and station_status (a docked system), only system_information, geofencing_zones: it publishes no vehicles',
    ],
    [
      'a vehicle_types file',
      '/v2.3/vehicle_types.json',
      'GBFS_DISCOVERY' as const,
      'url',
      'is a GBFS 2.3 vehicle_types: it lists no vehicles: register the gbfs.json (GBFS_DISCOVERY) or the vehicle file itself',
    ],
    [
      "an MDS endpoint instead of the API's base",
      '/mds/vehicles/status',
      'MDS_VEHICLES' as const,
      'url',
      `is an MDS 2.0.0 /vehicles/status response: register the Provider API's base URL`,
    ],
  ])('refuses %s, saying what it is', async (_name, path, type, field, message) => {
    const result = refusal(await verifyFeed(registration(path, { type }), READ));
    expect(result.field).toBe(field);
    expect(result.message).toContain(message);
    expect(result.message).not.toMatch(/must be (string|equal)/);
  });

  it('reads GBFS 1.0 (no version, 0/1 flags) through its discovery file or with a form factor', async () => {
    expect(await verifyFeed(registration('/v1/gbfs.json'), READ)).toEqual({
      ok: true,
      type: 'GBFS_DISCOVERY',
      vehicleTypesUrl: null,
      document: 'a GBFS 1.0 gbfs.json (discovery)',
      vehicles: 1,
      stations: 0,
    });
    expect(
      await verifyFeed(registration('/v1/fbs.json', { defaultFormFactor: 'BICYCLE' }), READ),
    ).toMatchObject({ ok: true, type: 'GBFS_FREE_BIKE_STATUS' });
    const read = await readFeed(
      feedConfig({
        url: `${server.base}/v1/gbfs.json`,
        type: 'GBFS_DISCOVERY',
        defaultFormFactor: 'BICYCLE',
      }),
      READ,
    );
    if (!read.ok) throw new Error(read.error.message);
    expect(read.snapshot.feedVersion).toBe('1.0');
    expect(read.snapshot.vehicles).toEqual([
      {
        vehicleId: 'b1',
        lat: 52.37,
        lng: 4.89,
        vehicleTypeId: null,
        formFactor: 'BICYCLE',
        isReserved: false,
        isDisabled: false,
        lastReportedAt: null,
        stationId: null,
      },
    ]);
  });

  it('registers a docked system (stations only) by its gbfs.json, given its form factor', async () => {
    expect(
      await verifyFeed(registration('/docked/gbfs.json', { defaultFormFactor: 'BICYCLE' }), READ),
    ).toEqual({
      ok: true,
      type: 'GBFS_DISCOVERY',
      vehicleTypesUrl: null,
      document: 'a GBFS 2.3 gbfs.json (discovery)',
      vehicles: 0,
      stations: 2,
    });
  });

  it('accepts feeds that publish geofencing_zones (11.7): the zones are not what it reads', async () => {
    // The real Almere gbfs.json and the official 2.3 one both list geofencing_zones.
    expect(await verifyFeed(registration('/almere/gbfs.json'), READ)).toMatchObject({ ok: true });
    expect(await verifyFeed(registration('/v2.3/gbfs.json'), READ)).toMatchObject({
      ok: true,
      vehicles: 1,
      stations: 2,
    });
    // Served, and not even fetched: the importer reads no service areas yet.
    expect(server.hits('/almere/geofencing_zones.json')).toBe(0);
  });

  it('registers an MDS Provider API by its base URL', async () => {
    expect(await verifyFeed(registration('/mds'), READ)).toEqual({
      ok: true,
      type: 'MDS_VEHICLES',
      vehicleTypesUrl: null,
      document: 'an MDS Provider API',
      vehicles: 3,
      stations: 0,
    });
  });

  it('refuses a URL that cannot be read, naming the opt-out', async () => {
    const missing = refusal(
      await verifyFeed(registration('/nothing/gbfs.json', { type: 'GBFS_DISCOVERY' }), READ),
    );
    expect(missing.field).toBe('url');
    expect(missing.message).toContain('the feed answered HTTP 404');
    expect(missing.message).toContain('verify: false');
    const unknown = refusal(await verifyFeed(registration('/nothing/gbfs.json'), READ));
    expect(unknown.message).toContain('nor as an MDS Provider API');
  });
});

describe('readFeed of a feed registered with the wrong type', () => {
  it('says what the document is instead of a schema error', async () => {
    const result = await readFeed(
      feedConfig({ url: `${server.base}/v2.3/gbfs.json`, type: 'GBFS3_VEHICLE_STATUS' }),
      READ,
    );
    expect(result).toMatchObject({
      ok: false,
      error: {
        kind: 'WRONG_DOCUMENT',
        message:
          'the document is a GBFS 2.3 gbfs.json (discovery), not a GBFS 3.0 vehicle_status: register it as GBFS_DISCOVERY',
      },
    });
    const v1 = await readFeed(
      feedConfig({ url: `${server.base}/v1/gbfs.json`, type: 'GBFS3_VEHICLE_STATUS' }),
      READ,
    );
    expect(v1).toMatchObject({
      ok: false,
      error: {
        kind: 'WRONG_DOCUMENT',
        message:
          'the document is a GBFS 1.0 gbfs.json (discovery), not a GBFS 3.0 vehicle_status: register it as GBFS_DISCOVERY',
      },
    });
  });
});
