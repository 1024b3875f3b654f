import type { ServerResponse } from 'node:http';
import { readFeed, readMdsTrips, type FeedConfig, type FeedError } from '..';
import { feedConfig, READ, startFeedServer, type FeedServer } from './feedServer';
import { mdsFixture, mdsTrips, NOW_MS, uuid, type Json, type MdsFixture } from './mdsFixture';

let server: FeedServer;
let prefix = 0;

beforeAll(async () => {
  server = await startFeedServer();
});
afterAll(() => server.close());

/** Serves an MDS Provider API under a fresh prefix and returns its feed config. */
function serveMds(fixture: MdsFixture, overrides: Partial<FeedConfig> = {}): FeedConfig {
  prefix += 1;
  const base = `/mds-${prefix}`;
  server.json(`${base}/vehicles`, fixture.vehicles);
  server.json(`${base}/vehicles/status`, fixture.status);
  return feedConfig({ url: `${server.base}${base}`, type: 'MDS_VEHICLES', ...overrides });
}

async function mdsError(change: (fixture: MdsFixture) => void): Promise<FeedError> {
  const fixture = mdsFixture();
  change(fixture);
  const result = await readFeed(serveMds(fixture), READ);
  if (result.ok) throw new Error('expected the read to fail');
  return result.error;
}

const statuses = (fixture: MdsFixture) => fixture.status.vehicles_status as Json[];
const telemetry = (fixture: MdsFixture, i: number) => statuses(fixture)[i]!.last_telemetry as Json;

describe('readFeed on MDS 2.0', () => {
  it('reads /vehicles and /vehicles/status; vehicles on a trip are not parked', async () => {
    const result = await readFeed(serveMds(mdsFixture()), READ);
    if (!result.ok) throw new Error(result.error.message);
    const { snapshot } = result;
    expect(snapshot.feedVersion).toBe('2.0.0');
    expect(snapshot.lastUpdatedAt).toEqual(new Date(NOW_MS));
    expect(snapshot.vehicleTypes).toEqual([
      {
        id: 'scooter_standing/electric',
        formFactor: 'SCOOTER_STANDING',
        propulsionType: 'electric',
        name: null,
      },
      {
        id: 'bicycle/electric_assist+human',
        formFactor: 'BICYCLE',
        propulsionType: 'electric_assist+human',
        name: null,
      },
    ]);
    expect(
      snapshot.vehicles.map((v) => [v.vehicleId, v.formFactor, v.isReserved, v.isDisabled]),
    ).toEqual([
      [uuid(1), 'SCOOTER_STANDING', false, false],
      [uuid(2), 'SCOOTER_STANDING', true, false],
      [uuid(3), 'BICYCLE', false, true],
    ]);
    expect(snapshot.vehicles[0]).toMatchObject({
      lat: 52.37,
      lng: 4.89,
      vehicleTypeId: 'scooter_standing/electric',
      lastReportedAt: new Date(NOW_MS - 30_000),
    });
  });

  it('follows links.next across pages', async () => {
    const fixture = mdsFixture();
    const all = statuses(fixture);
    prefix += 1;
    const base = `/mds-${prefix}`;
    server.json(`${base}/vehicles`, fixture.vehicles);
    server.json(`${base}/vehicles/status`, {
      ...fixture.status,
      vehicles_status: all.slice(0, 2),
      links: { next: `${server.base}${base}/vehicles/status/page-2` },
    });
    server.json(`${base}/vehicles/status/page-2`, {
      ...fixture.status,
      vehicles_status: all.slice(2),
      links: { next: null },
    });
    const result = await readFeed(
      feedConfig({ url: `${server.base}${base}/`, type: 'MDS_VEHICLES' }),
      READ,
    );
    if (!result.ok) throw new Error(result.error.message);
    expect(result.snapshot.vehicles).toHaveLength(3);
  });

  /** The read succeeds; the records it left out, with their paths and reasons. */
  async function mdsQuarantined(change: (fixture: MdsFixture) => void) {
    const fixture = mdsFixture();
    change(fixture);
    const result = await readFeed(serveMds(fixture), READ);
    if (!result.ok) throw new Error(`expected the read to succeed: ${result.error.message}`);
    return (result.snapshot.quarantined ?? []).map(({ vehicleId, path, reason }) => ({
      vehicleId,
      path,
      reason,
    }));
  }

  it('a status entry for a device missing from /vehicles is left out as INVALID_DATA', async () => {
    expect(
      await mdsQuarantined((fixture) => {
        (fixture.vehicles.vehicles as Json[]).splice(1, 1);
      }),
    ).toEqual([
      {
        vehicleId: uuid(2),
        path: 'vehicles_status[1].device_id',
        reason: `vehicles_status[1].device_id: device "${uuid(2)}" is not listed in /vehicles`,
      },
    ]);
  });

  it('a null telemetry location leaves that vehicle out', async () => {
    expect(
      await mdsQuarantined((fixture) => {
        telemetry(fixture, 0).location = null;
      }),
    ).toEqual([
      {
        vehicleId: uuid(1),
        path: 'vehicles_status[0].last_telemetry.location',
        reason: 'vehicles_status[0].last_telemetry.location: the position is null',
      },
    ]);
  });

  it('a latitude out of range leaves that vehicle out', async () => {
    const quarantined = await mdsQuarantined((fixture) => {
      telemetry(fixture, 2).location = { lat: -91, lng: 4.9 };
    });
    expect(quarantined.map((q) => q.path)).toEqual([
      'vehicles_status[2].last_telemetry.location.lat',
    ]);
  });

  it('no vehicles at all is read as an empty list (the importer decides what that means)', async () => {
    const fixture = mdsFixture();
    fixture.status.vehicles_status = [];
    const result = await readFeed(serveMds(fixture), READ);
    expect(result.ok && result.snapshot.vehicles).toEqual([]);
  });

  it('a device listed twice is INVALID_DATA', async () => {
    const error = await mdsError((fixture) => {
      const list = fixture.vehicles.vehicles as Json[];
      list.push({ ...list[0] });
    });
    expect(error).toMatchObject({
      kind: 'INVALID_DATA',
      path: 'vehicles[4].device_id',
      message: `vehicles[4].device_id: duplicate device_id "${uuid(1)}" (also at vehicles[0])`,
    });
  });

  it('an event type not allowed in its state leaves that vehicle out, naming the value', async () => {
    const [first, ...others] = await mdsQuarantined((fixture) => {
      (statuses(fixture)[0]!.last_event as Json).event_types = ['trip_start'];
    });
    expect(others).toEqual([]);
    expect(first?.path).toBe('vehicles_status[0].last_event.event_types[0]');
    expect(first?.reason).toContain('must be equal to one of the allowed values');
  });

  it('a device_id that is not a UUID is SCHEMA', async () => {
    const error = await mdsError((fixture) => {
      (fixture.vehicles.vehicles as Json[])[0]!.device_id = 'scooter-1';
    });
    expect(error).toMatchObject({ kind: 'SCHEMA', path: 'vehicles[0].device_id' });
  });
});

describe('readMdsTrips', () => {
  const hour = new Date(NOW_MS - 60 * 60_000);

  function serveTrips(body: Json | ((res: ServerResponse) => void)) {
    const feed = serveMds(mdsFixture(), { defaultFormFactor: null });
    const path = `${new URL(feed.url).pathname}/trips`;
    server.route(path, (req, res) => {
      if (new URL(req.url ?? '', server.base).searchParams.get('end_time') !== '2024-05-01T07') {
        res.writeHead(400).end();
      } else if (typeof body === 'function') body(res);
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    return feed;
  }

  it('reads the rentals that ended in the hour, with their form factor', async () => {
    const feed = serveTrips(mdsTrips(hour.getTime()));
    const result = await readMdsTrips(feed, hour, READ);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.trips.map((t) => [t.vehicleId, t.formFactor])).toEqual([
      [uuid(1), 'SCOOTER_STANDING'],
      [uuid(3), 'BICYCLE'],
      [uuid(9), 'OTHER'],
    ]);
    expect(result.trips[0]).toEqual({
      tripId: uuid(1, 'e'),
      vehicleId: uuid(1),
      startTime: new Date(hour.getTime() - 10 * 60_000),
      endTime: new Date(hour.getTime() + 5 * 60_000),
      startLat: 52.36,
      startLng: 4.88,
      endLat: 52.38,
      endLng: 4.9,
      distanceMeters: 2400,
      formFactor: 'SCOOTER_STANDING',
    });
  });

  it('202 (not processed yet) is HTTP_STATUS 202', async () => {
    const feed = serveTrips((res) => res.writeHead(202).end());
    const result = await readMdsTrips(feed, hour, READ);
    expect(result).toMatchObject({ ok: false, error: { kind: 'HTTP_STATUS', httpStatus: 202 } });
  });

  it('a trip ending outside the hour is INVALID_DATA', async () => {
    const body = mdsTrips(hour.getTime());
    (body.trips as Json[])[1]!.end_time = hour.getTime() + 61 * 60_000;
    const result = await readMdsTrips(serveTrips(body), hour, READ);
    expect(result).toMatchObject({
      ok: false,
      error: { kind: 'INVALID_DATA', path: 'trips[1].end_time' },
    });
  });

  it('a trip at 0,0 is INVALID_DATA', async () => {
    const body = mdsTrips(hour.getTime());
    (body.trips as Json[])[0]!.end_location = { lat: 0, lng: 0 };
    const result = await readMdsTrips(serveTrips(body), hour, READ);
    expect(result).toMatchObject({
      ok: false,
      error: { kind: 'INVALID_DATA', path: 'trips[0].end_location' },
    });
  });
});
