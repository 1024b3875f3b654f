import { startFeedServer, type FeedServer } from '../../../lib/feeds/__tests__/feedServer';
import { InProcessPubSub } from '../../../lib/pubsub';
import { createImporter, type Importer } from '../../../jobs/importer/importer';
import { importerSettings } from '../../../jobs/importer/settings';
import { silentLogger, TEST_CONFIG } from '../../../test/db';
import { seedWorld, USERS, type World } from '../../../test/fleetWorld';
import { expectError, ok, type Connection } from '../../../test/graphql';
import { startTestStack, type Caller, type TestStack } from '../../../test/stack';

/**
 * Station-based systems (issue 11.6): three docked bike-share systems, GBFS 1.1 (0/1 flags, no
 * vehicle types), 2.3 and 3.0 (bicycles and cargo bicycles by vehicle_types_available), served by
 * a real HTTP server whose stations change at random every 30 s, imported by the real importer.
 * What the API says (stations now, the zone's station series at every bucket) is compared with
 * what the feeds said at each tick; scope as for vehicles.
 */
let stack: TestStack;
let server: FeedServer;
let world: World;
let importer: Importer;
let clockMs: number;

type Version = '1.1' | '2.3' | '3.0';

interface Dock {
  id: string;
  lat: number;
  lng: number;
  capacity: number;
  bikes: number;
  cargo: number;
  installed: boolean;
  renting: boolean;
  /** Listed in the feed's files at all. */
  listed: boolean;
  municipality: 'GM0363' | 'GM0599';
}

interface System {
  version: Version;
  operatorId: string;
  docks: Dock[];
}

/** A tick's truth: what each feed said. */
interface Said {
  at: number;
  docks: Dock[];
}

const T0 = Date.parse('2026-12-01T08:00:00Z');
const TICK_MS = 30_000;
const TICKS = 60;

/** A small seeded generator (mulberry32): the same walk on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function docks(prefix: string, count: number, rotterdam: number): Dock[] {
  return Array.from({ length: count }, (_, i) => {
    const inRotterdam = i < rotterdam;
    const capacity = 8 + (i % 5) * 2;
    return {
      id: `${prefix}-${i}`,
      lat: inRotterdam ? 51.915 + i * 0.002 : 52.365 + (i % 5) * 0.005,
      lng: inRotterdam ? 4.47 + i * 0.002 : 4.875 + Math.floor(i / 5) * 0.006,
      capacity,
      bikes: Math.floor(capacity / 2),
      cargo: prefix === 'v11' ? 0 : i % 2,
      installed: true,
      renting: true,
      listed: true,
      municipality: inRotterdam ? 'GM0599' : 'GM0363',
    };
  });
}

const SYSTEMS: System[] = [
  { version: '1.1', operatorId: 'fietsbv', docks: docks('v11', 8, 2) },
  { version: '2.3', operatorId: 'dock23', docks: docks('v23', 10, 0) },
  { version: '3.0', operatorId: 'dock30', docks: docks('v30', 6, 0) },
];

const time = (version: Version, ms: number) =>
  version === '3.0' ? new Date(ms).toISOString() : Math.floor(ms / 1000);
const flag = (version: Version, value: boolean) => (version === '1.1' ? (value ? 1 : 0) : value);

function envelope(version: Version, data: unknown) {
  return { last_updated: time(version, clockMs), ttl: 30, version, data };
}

function serve(system: System): void {
  const { version } = system;
  const base = `/${system.operatorId}`;
  const files = [
    'system_information',
    'station_information',
    'station_status',
    ...(version === '1.1' ? [] : ['vehicle_types']),
  ];
  const feeds = files.map((name) => ({ name, url: `${server.base}${base}/${name}.json` }));
  server.route(`${base}/gbfs.json`, (_req, res) => {
    const data = version === '3.0' ? { feeds } : { en: { feeds } };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(envelope(version, data)));
  });
  server.route(`${base}/system_information.json`, (_req, res) => {
    const name = `Docks ${version}`;
    const data =
      version === '3.0'
        ? {
            system_id: system.operatorId,
            languages: ['en'],
            name: [{ text: name, language: 'en' }],
            opening_hours: '24/7',
            feed_contact_email: 'gbfs@docks.example',
            timezone: 'Europe/Amsterdam',
          }
        : { system_id: system.operatorId, language: 'en', name, timezone: 'Europe/Amsterdam' };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(envelope(version, data)));
  });
  server.route(`${base}/vehicle_types.json`, (_req, res) => {
    const type = (id: string, formFactor: string) => ({
      vehicle_type_id: id,
      form_factor: formFactor,
      propulsion_type: 'human',
      ...(version === '3.0' ? { name: [{ text: id, language: 'en' }] } : { name: id }),
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(
        envelope(version, {
          vehicle_types: [type('bike', 'bicycle'), type('cargo', 'cargo_bicycle')],
        }),
      ),
    );
  });
  server.route(`${base}/station_information.json`, (_req, res) => {
    const stations = system.docks
      .filter((d) => d.listed)
      .map((d) => ({
        station_id: d.id,
        name: version === '3.0' ? [{ text: `Dock ${d.id}`, language: 'en' }] : `Dock ${d.id}`,
        lat: d.lat,
        lon: d.lng,
        capacity: d.capacity,
      }));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(envelope(version, { stations })));
  });
  server.route(`${base}/station_status.json`, (_req, res) => {
    const stations = system.docks
      .filter((d) => d.listed)
      .map((d) => ({
        station_id: d.id,
        [version === '3.0' ? 'num_vehicles_available' : 'num_bikes_available']: d.bikes + d.cargo,
        num_docks_available: d.capacity - d.bikes - d.cargo,
        is_installed: flag(version, d.installed),
        is_renting: flag(version, d.renting),
        is_returning: flag(version, d.installed),
        last_reported: time(version, clockMs),
        ...(version === '1.1'
          ? {}
          : {
              vehicle_types_available: [
                { vehicle_type_id: 'bike', count: d.bikes },
                { vehicle_type_id: 'cargo', count: d.cargo },
              ],
            }),
      }));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(envelope(version, { stations })));
  });
}

/** Every dock's availability takes a random step; a few docks close, vanish and come back. */
function step(tick: number, next: () => number): void {
  for (const system of SYSTEMS) {
    for (const dock of system.docks) {
      if (next() < 0.4) {
        const free = dock.capacity - dock.bikes - dock.cargo;
        const change = next() < 0.5 ? -1 : 1;
        if (change > 0 && free > 0) dock.bikes += 1;
        if (change < 0 && dock.bikes > 0) dock.bikes -= 1;
      }
    }
  }
  const [v11, v23, v30] = SYSTEMS as [System, System, System];
  if (tick === 10) (v23.docks[3] as Dock).installed = false;
  if (tick === 25) (v23.docks[3] as Dock).installed = true;
  if (tick === 15) (v30.docks[2] as Dock).listed = false;
  if (tick === 40) (v30.docks[2] as Dock).listed = true;
  if (tick === 20) (v11.docks[5] as Dock).renting = false;
}

const said: Said[] = [];

beforeAll(async () => {
  stack = await startTestStack({ subgraphs: ['zones', 'users', 'vehicles'] });
  world = await seedWorld(stack.database.db);
  server = await startFeedServer();
  const { db } = stack.database;
  await db('feeds').update({ active: false });
  await db('operators').insert([
    { id: 'dock23', name: 'Dock 2.3' },
    { id: 'dock30', name: 'Dock 3.0' },
  ]);
  for (const system of SYSTEMS) {
    serve(system);
    await db('feeds').insert({
      operator_id: system.operatorId,
      url: `${server.base}/${system.operatorId}/gbfs.json`,
      type: 'GBFS_DISCOVERY',
      // GBFS 1.x publishes no vehicle types: the administrator says what the docks hold.
      default_form_factor: system.version === '1.1' ? 'BICYCLE' : null,
    });
  }
  clockMs = T0;
  importer = createImporter({
    db,
    pubsub: new InProcessPubSub(),
    logger: silentLogger,
    settings: importerSettings(TEST_CONFIG),
    now: () => new Date(clockMs),
  });
  const next = random(11);
  for (let tick = 0; tick < TICKS; tick++) {
    clockMs = T0 + tick * TICK_MS;
    if (tick > 0) step(tick, next);
    const report = await importer.tick();
    expect(report.feeds.map((f) => f.outcome)).toEqual(['ACCEPTED', 'ACCEPTED', 'ACCEPTED']);
    said.push({ at: clockMs, docks: SYSTEMS.flatMap((s) => s.docks.map((d) => ({ ...d }))) });
  }
}, 120_000);

afterAll(async () => {
  await server?.close();
  await stack?.stop();
});

interface StationNode {
  stationId: string;
  name: string;
  operator: { id: string };
  municipalityCode: string;
  capacity: number;
  isInstalled: boolean;
  isRenting: boolean;
  vehiclesAvailable: number;
  vehiclesAvailableByFormFactor: { formFactor: string; count: number }[];
  docksAvailable: number;
}

const STATION_FIELDS = `stationId name operator { id } municipalityCode capacity isInstalled
  isRenting vehiclesAvailable vehiclesAvailableByFormFactor { formFactor count } docksAvailable`;

function expected(docksNow: Dock[]): StationNode[] {
  return docksNow
    .filter((d) => d.listed)
    .map((d) => {
      const system = SYSTEMS.find((s) => s.docks.some((x) => x.id === d.id)) as System;
      return {
        stationId: d.id,
        name: `Dock ${d.id}`,
        operator: { id: system.operatorId },
        municipalityCode: d.municipality,
        capacity: d.capacity,
        isInstalled: d.installed,
        isRenting: d.renting,
        vehiclesAvailable: d.bikes + d.cargo,
        vehiclesAvailableByFormFactor: [
          ...(d.bikes > 0 ? [{ formFactor: 'BICYCLE', count: d.bikes }] : []),
          ...(d.cargo > 0 ? [{ formFactor: 'CARGO_BICYCLE', count: d.cargo }] : []),
        ],
        docksAvailable: d.capacity - d.bikes - d.cargo,
      };
    })
    .sort((a, b) => a.stationId.localeCompare(b.stationId));
}

async function stationsAs(caller: Caller, filter = '{}'): Promise<StationNode[]> {
  const data = await ok<{ stations: Connection<StationNode> }>(
    stack.request(
      `{ stations(filter: ${filter}, first: 100) { totalCount edges { node { ${STATION_FIELDS} } } } }`,
      {},
      caller,
    ),
  );
  expect(data.stations.totalCount).toBe(data.stations.edges.length);
  return data.stations.edges
    .map((e) => e.node)
    .sort((a, b) => a.stationId.localeCompare(b.stationId));
}

describe('docked systems (GBFS 1.1, 2.3, 3.0)', () => {
  it('lists every station with the status its feed last said', async () => {
    const admin = { token: await stack.tokenFor(USERS.admin) };
    const last = said[said.length - 1] as Said;
    expect(await stationsAs(admin)).toEqual(expected(last.docks));
  });

  it('shows a municipality the stations in its area and an operator its own', async () => {
    const last = (said[said.length - 1] as Said).docks;
    const amsterdam = { token: await stack.tokenFor(USERS.amsterdam) };
    const rotterdam = { token: await stack.tokenFor(USERS.rotterdam) };
    const operator = { token: await stack.tokenFor(USERS.operator) };
    expect(await stationsAs(amsterdam)).toEqual(
      expected(last.filter((d) => d.municipality === 'GM0363')),
    );
    expect(await stationsAs(rotterdam)).toEqual(
      expected(last.filter((d) => d.municipality === 'GM0599')),
    );
    expect(await stationsAs(operator)).toEqual(
      expected(last.filter((d) => d.id.startsWith('v11-'))),
    );
    expect(await stationsAs({}, '{}')).toEqual([]);
  });

  it('counts the zone series at every bucket as the feeds said then', async () => {
    const amsterdam = { token: await stack.tokenFor(USERS.amsterdam) };
    const from = new Date(T0).toISOString();
    const to = new Date(T0 + TICKS * TICK_MS).toISOString();
    type Series = {
      bucketStarts: string[];
      vehiclesAvailable: number[];
      docksAvailable: number[];
      stationsRenting: number[];
      stations: number[];
    };
    const data = await ok<{ zone: { all: Series; cargo: Series; mine: Series } }>(
      stack.request(
        `query($id: ID!, $from: DateTime!, $to: DateTime!) { zone(id: $id) {
           all: stationAvailability(from: $from, to: $to, interval: FIVE_MINUTES) {
             bucketStarts vehiclesAvailable docksAvailable stationsRenting stations }
           cargo: stationAvailability(from: $from, to: $to, interval: FIVE_MINUTES, formFactors: [CARGO_BICYCLE]) {
             bucketStarts vehiclesAvailable docksAvailable stationsRenting stations }
           mine: stationAvailability(from: $from, to: $to, interval: FIFTEEN_MINUTES, operatorIds: ["dock23"]) {
             bucketStarts vehiclesAvailable docksAvailable stationsRenting stations } } }`,
        { id: world.zones.amsterdam, from, to },
        amsterdam,
      ),
    );
    const truth = (stepMs: number, keep: (d: Dock) => boolean, count: (d: Dock) => number) => {
      const series: Series = {
        bucketStarts: [],
        vehiclesAvailable: [],
        docksAvailable: [],
        stationsRenting: [],
        stations: [],
      };
      for (let at = T0; at < T0 + TICKS * TICK_MS; at += stepMs) {
        const state = said.filter((s) => s.at <= at).pop() as Said;
        const counted = state.docks.filter(
          (d) => d.listed && d.installed && d.municipality === 'GM0363' && keep(d),
        );
        series.bucketStarts.push(new Date(at).toISOString());
        series.vehiclesAvailable.push(counted.reduce((sum, d) => sum + count(d), 0));
        series.docksAvailable.push(
          counted.reduce((sum, d) => sum + d.capacity - d.bikes - d.cargo, 0),
        );
        series.stationsRenting.push(counted.filter((d) => d.renting).length);
        series.stations.push(counted.length);
      }
      return series;
    };
    const all = truth(
      300_000,
      () => true,
      (d) => d.bikes + d.cargo,
    );
    expect(data.zone.all).toEqual(all);
    // The walk changed something between buckets: the series is not a constant.
    expect(new Set(all.vehiclesAvailable).size).toBeGreaterThan(1);
    // A station closed and one that left the feed for a while count nothing meanwhile.
    expect(Math.min(...all.stations)).toBe(20);
    expect(Math.max(...all.stations)).toBe(22);
    expect(data.zone.cargo).toEqual(
      truth(
        300_000,
        () => true,
        (d) => d.cargo,
      ),
    );
    expect(data.zone.mine).toEqual(
      truth(
        900_000,
        (d) => d.id.startsWith('v23-'),
        (d) => d.bikes + d.cargo,
      ),
    );
  });

  it('writes a status row only when a station changed, and the feed health counts stations', async () => {
    const { db } = stack.database;
    let changes = 0;
    for (let i = 0; i < said.length; i++) {
      const before = i === 0 ? null : (said[i - 1] as Said).docks;
      for (const [j, dock] of (said[i] as Said).docks.entries()) {
        const prior = before?.[j];
        const key = (d: Dock) =>
          d.listed ? JSON.stringify([d.installed, d.renting, d.bikes, d.cargo]) : 'gone';
        if (prior === undefined ? dock.listed : key(prior) !== key(dock)) changes += 1;
      }
    }
    const [{ count }] = (await db('station_status_events').count({ count: '*' })) as [
      { count: string },
    ];
    expect(Number(count)).toBe(changes);
    const admin = { token: await stack.tokenFor(USERS.admin) };
    const data = await ok<{
      feeds: {
        operator: { id: string };
        health: { stations: number; vehiclesInLastSnapshot: number; feedVersion: string };
      }[];
    }>(
      stack.request(
        '{ feeds(active: true) { operator { id } health { stations vehiclesInLastSnapshot feedVersion } } }',
        {},
        admin,
      ),
    );
    expect(
      data.feeds
        .map((f) => ({ operator: f.operator.id, ...f.health }))
        .sort((a, b) => a.operator.localeCompare(b.operator)),
    ).toEqual([
      { operator: 'dock23', stations: 10, vehiclesInLastSnapshot: 0, feedVersion: '2.3' },
      { operator: 'dock30', stations: 6, vehiclesInLastSnapshot: 0, feedVersion: '3.0' },
      { operator: 'fietsbv', stations: 8, vehiclesInLastSnapshot: 0, feedVersion: '1.1' },
    ]);
  });

  it("lists a zone's stations, and refuses a series of too many buckets", async () => {
    const admin = { token: await stack.tokenFor(USERS.admin) };
    const data = await ok<{ zone: { stations: { totalCount: number } } }>(
      stack.request(
        'query($id: ID!) { zone(id: $id) { stations(operatorIds: ["fietsbv"]) { totalCount } } }',
        { id: world.zones.rotterdam },
        admin,
      ),
    );
    expect(data.zone.stations.totalCount).toBe(2);
    const tooMany = await stack.request(
      `query($id: ID!) { zone(id: $id) { stationAvailability(from: "2026-01-01T00:00:00Z", to: "2026-12-01T00:00:00Z", interval: FIVE_MINUTES) { stations } } }`,
      { id: world.zones.rotterdam },
      admin,
    );
    expectError(tooMany, 'BAD_USER_INPUT', 'interval');
  });

  it('takes the stations of a feed switched off out of the API, with a row saying so', async () => {
    const { db } = stack.database;
    await db('feeds').where('operator_id', 'dock30').update({ active: false });
    clockMs = T0 + TICKS * TICK_MS;
    await importer.tick();
    const admin = { token: await stack.tokenFor(USERS.admin) };
    const left = await stationsAs(admin);
    expect(left.some((s) => s.operator.id === 'dock30')).toBe(false);
    expect(left).toHaveLength(18);
    const gone = await db('station_status_events')
      .where({ operator_id: 'dock30', at: new Date(clockMs) })
      .select<{ listed: boolean }[]>('listed');
    expect(gone).toEqual(Array(6).fill({ listed: false }));
  });
});
