import { randomUUID } from 'node:crypto';
import { PUBLIC_SCOPE, serviceScope, type Scope } from '../../../lib/auth/scope';
import {
  ensurePartitions,
  h3,
  insertParkEvents,
  PLACES,
  seedWorld,
  USERS,
  zonesAt,
  type Place,
  type World,
} from '../../../test/fleetWorld';
import { expectError, graphqlRequest, ok, type Connection } from '../../../test/graphql';
import { scopeHeaders, TEST_SCOPE_SECRET } from '../../../test/scope';
import { startTestStack, type Caller, type TestStack } from '../../../test/stack';
import { availableVehicleId } from '../openData';

/**
 * The vehicles subgraph through a real gateway, as clients call it: who sees which vehicles, park
 * events and feeds, the open-data projection, and the entity links to the zones subgraph.
 */
let stack: TestStack;
let world: World;
const callers: Record<'admin' | 'amsterdam' | 'rotterdam' | 'operator' | 'anonymous', Caller> = {
  admin: {},
  amsterdam: {},
  rotterdam: {},
  operator: {},
  anonymous: {},
};

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
/** The moment of the park-events-at and parking-duration fixtures. */
const AT = new Date('2026-03-10T12:00:00.000Z');
const ago = (ms: number) => new Date(Date.now() - ms);
const before = (ms: number) => new Date(AT.getTime() - ms);

interface LiveVehicle {
  feed: 'fietsbv' | 'scoot';
  vehicleId: string;
  place: Place;
  parkedMs: number;
  reserved?: boolean;
  disabled?: boolean;
}

/** The fleet in public space now. */
const FLEET: LiveVehicle[] = [
  { feed: 'fietsbv', vehicleId: 'fb-1', place: 'dam', parkedMs: 3 * HOUR_MS },
  { feed: 'fietsbv', vehicleId: 'fb-2', place: 'vondelpark', parkedMs: 3 * DAY_MS },
  { feed: 'fietsbv', vehicleId: 'fb-3', place: 'rotterdamCentraal', parkedMs: HOUR_MS },
  { feed: 'scoot', vehicleId: 'sc-1', place: 'damNearby', parkedMs: 5 * HOUR_MS },
  { feed: 'scoot', vehicleId: 'sc-2', place: 'markthal', parkedMs: 10 * DAY_MS },
  {
    feed: 'scoot',
    vehicleId: 'sc-3',
    place: 'rotterdamCentraal',
    parkedMs: HOUR_MS,
    reserved: true,
  },
  { feed: 'scoot', vehicleId: 'sc-4', place: 'vondelpark', parkedMs: 20 * DAY_MS, disabled: true },
];
const parkEventOf = new Map<string, string>();

async function insertFleet(): Promise<void> {
  const { db } = stack.database;
  for (const v of FLEET) {
    const start = ago(v.parkedMs);
    const [parkEventId] = await insertParkEvents(db, world, [
      { feed: v.feed, vehicleId: v.vehicleId, place: v.place, start },
    ]);
    parkEventOf.set(v.vehicleId, parkEventId!);
    await db('vehicle_state').insert({
      feed_id: world.feeds[v.feed],
      vehicle_id: v.vehicleId,
      operator_id: v.feed,
      lat: PLACES[v.place].lat,
      lng: PLACES[v.place].lng,
      h3_cell: h3(v.place),
      ...zonesAt(world, v.place),
      form_factor: v.feed === 'fietsbv' ? 'BICYCLE' : 'MOPED',
      vehicle_type_id: v.feed === 'fietsbv' ? 'ebike' : 'moped',
      is_reserved: v.reserved ?? false,
      is_disabled: v.disabled ?? false,
      last_reported_at: ago(60_000),
      park_event_id: parkEventId,
      park_start: start,
      park_lat: PLACES[v.place].lat,
      park_lng: PLACES[v.place].lng,
    });
  }
  // A vehicle on a trip: in the state table, gone from vehicles_now.
  await db('vehicle_state').insert({
    feed_id: world.feeds.fietsbv,
    vehicle_id: 'fb-gone',
    operator_id: 'fietsbv',
    lat: PLACES.dam.lat,
    lng: PLACES.dam.lng,
    h3_cell: h3('dam'),
    ...zonesAt(world, 'dam'),
    form_factor: 'BICYCLE',
    is_reserved: false,
    is_disabled: false,
    gone_at: ago(60_000),
    gone_reason: 'RENTAL',
  });
}

/** Park events around AT in Amsterdam (by their distance to AT) and two in Rotterdam. */
async function insertHistory(): Promise<void> {
  const { db } = stack.database;
  await ensurePartitions(db, '2026-01-01', 4);
  const open = { end: new Date(AT.getTime() + DAY_MS) };
  await insertParkEvents(db, world, [
    { feed: 'fietsbv', vehicleId: 'h-1h', place: 'dam', start: before(HOUR_MS), ...open },
    { feed: 'scoot', vehicleId: 'h-2d', place: 'dam', start: before(2 * DAY_MS), ...open },
    {
      feed: 'fietsbv',
      vehicleId: 'h-2d-1s',
      place: 'dam',
      start: before(2 * DAY_MS - 1000),
      ...open,
    },
    { feed: 'scoot', vehicleId: 'h-4d', place: 'vondelpark', start: before(4 * DAY_MS), ...open },
    { feed: 'fietsbv', vehicleId: 'h-7d', place: 'vondelpark', start: before(7 * DAY_MS), ...open },
    { feed: 'scoot', vehicleId: 'h-14d', place: 'dam', start: before(14 * DAY_MS), ...open },
    {
      feed: 'fietsbv',
      vehicleId: 'h-30d',
      place: 'vondelpark',
      start: before(30 * DAY_MS),
      ...open,
    },
    { feed: 'scoot', vehicleId: 'h-at', place: 'dam', start: AT, ...open },
    // Not parked at AT: ended before, ended exactly at AT, started after.
    {
      feed: 'fietsbv',
      vehicleId: 'h-ended',
      place: 'dam',
      start: before(5 * DAY_MS),
      end: before(HOUR_MS),
    },
    { feed: 'fietsbv', vehicleId: 'h-ends-at', place: 'dam', start: before(DAY_MS), end: AT },
    {
      feed: 'scoot',
      vehicleId: 'h-later',
      place: 'dam',
      start: new Date(AT.getTime() + 1000),
      ...open,
    },
    {
      feed: 'fietsbv',
      vehicleId: 'h-rtm-1',
      place: 'rotterdamCentraal',
      start: before(3 * DAY_MS),
      ...open,
    },
    {
      feed: 'scoot',
      vehicleId: 'h-rtm-2',
      place: 'markthal',
      start: before(20 * DAY_MS),
      end: null,
    },
  ]);
}

beforeAll(async () => {
  stack = await startTestStack({ subgraphs: ['zones', 'users', 'vehicles', 'trips'] });
  world = await seedWorld(stack.database.db);
  for (const [name, email] of Object.entries(USERS)) {
    callers[name as keyof typeof USERS] = { token: await stack.tokenFor(email) };
  }
  await insertFleet();
  await insertHistory();
});

afterAll(async () => {
  await stack?.stop();
});

const vehicleIdsSeenBy = async (caller: Caller, filter: Record<string, unknown> = {}) => {
  const data = await ok<{ vehiclesNow: Connection<{ vehicleId: string }> }>(
    stack.request(
      `query ($filter: VehicleFilter) { vehiclesNow(filter: $filter, first: 1000) {
        totalCount edges { node { vehicleId } } } }`,
      { filter },
      caller,
    ),
  );
  expect(data.vehiclesNow.totalCount).toBe(data.vehiclesNow.edges.length);
  return data.vehiclesNow.edges.map((e) => e.node.vehicleId).sort();
};

describe('who sees which vehicles', () => {
  it.each([
    ['admin', ['fb-1', 'fb-2', 'fb-3', 'sc-1', 'sc-2', 'sc-3', 'sc-4']],
    ['amsterdam', ['fb-1', 'fb-2', 'sc-1', 'sc-4']],
    ['rotterdam', ['fb-3', 'sc-2', 'sc-3']],
    ['operator', ['fb-1', 'fb-2', 'fb-3']],
    ['anonymous', []],
  ] as const)('%s sees %j now', async (caller, expected) => {
    expect(await vehicleIdsSeenBy(callers[caller])).toEqual(expected);
  });

  it('filters within the scope, never beyond it', async () => {
    // A municipality out of sight is refused by name, not answered with nothing.
    const outOfSight = await stack.request(
      `query ($filter: VehicleFilter) { vehiclesNow(filter: $filter) { totalCount } }`,
      { filter: { municipalityCodes: ['GM0599'] } },
      callers.amsterdam,
    );
    expectError(outOfSight, 'FORBIDDEN');
    expect(outOfSight.errors?.[0]?.message).toContain('GM0599 is outside what you may see');
    expect(await vehicleIdsSeenBy(callers.operator, { municipalityCodes: ['GM0599'] })).toEqual([
      'fb-3',
    ]);
    expect(
      await vehicleIdsSeenBy(callers.admin, { operatorIds: ['scoot'], formFactors: ['MOPED'] }),
    ).toEqual(['sc-1', 'sc-2', 'sc-3', 'sc-4']);
    expect(await vehicleIdsSeenBy(callers.admin, { zoneIds: [world.zones.custom] })).toEqual([
      'fb-1',
      'sc-1',
    ]);
    const aroundDam = { minLng: 4.89, minLat: 52.37, maxLng: 4.9, maxLat: 52.38 };
    expect(await vehicleIdsSeenBy(callers.amsterdam, { bbox: aroundDam })).toEqual([
      'fb-1',
      'sc-1',
    ]);
  });

  it('counts vehicles now, grouped, within the scope', async () => {
    const data = await ok<{
      vehicleCountsNow: {
        operator: { id: string } | null;
        municipalityCode: string | null;
        count: number;
      }[];
    }>(
      stack.request(
        `{ vehicleCountsNow(groupBy: [OPERATOR, MUNICIPALITY]) { operator { id } municipalityCode count } }`,
        {},
        callers.amsterdam,
      ),
    );
    expect(data.vehicleCountsNow).toEqual([
      { operator: { id: 'fietsbv' }, municipalityCode: 'GM0363', count: 2 },
      { operator: { id: 'scoot' }, municipalityCode: 'GM0363', count: 2 },
    ]);
    const total = await ok<{ vehicleCountsNow: { formFactor: string | null; count: number }[] }>(
      stack.request(`{ vehicleCountsNow { formFactor count } }`, {}, callers.rotterdam),
    );
    expect(total.vehicleCountsNow).toEqual([{ formFactor: null, count: 3 }]);
    const byZone = await ok<{ vehicleCountsNow: { zone: { name: string }; count: number }[] }>(
      stack.request(
        `query ($zones: [ID!]) { vehicleCountsNow(filter: { zoneIds: $zones }, groupBy: [ZONE]) { zone { name } count } }`,
        { zones: [world.zones.centrum, world.zones.custom] },
        callers.admin,
      ),
    );
    expect(byZone.vehicleCountsNow).toEqual(
      expect.arrayContaining([
        { zone: { name: 'Centrum' }, count: 4 },
        { zone: { name: 'Dam square hub area' }, count: 2 },
      ]),
    );
    expectError(
      await stack.request(`{ vehicleCountsNow(groupBy: [ZONE]) { count } }`, {}, callers.admin),
      'BAD_USER_INPUT',
      'groupBy',
    );
  });

  it('walks every vehicle page by page without duplicates', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const data: { vehiclesNow: Connection<{ id: string }> } = await ok(
        stack.request(
          `query ($after: String) { vehiclesNow(first: 2, after: $after) {
            totalCount edges { node { id } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`,
          { after },
          callers.admin,
        ),
      );
      expect(data.vehiclesNow.totalCount).toBe(FLEET.length);
      expect(data.vehiclesNow.pageInfo.hasPreviousPage).toBe(after !== null);
      seen.push(...data.vehiclesNow.edges.map((e) => e.node.id));
      if (!data.vehiclesNow.pageInfo.hasNextPage) break;
      after = data.vehiclesNow.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(FLEET.length);
    expect(new Set(seen).size).toBe(FLEET.length);
  });

  it('resolves a vehicle by id, only within the scope', async () => {
    const id = `${world.feeds.fietsbv}:fb-1`;
    const query = `query ($id: ID!) { vehicle(id: $id) { vehicleId operator { name } vehicleType { formFactor propulsionType }
      parkedSince parkEvent { id vehicleId endTime } zones { name } } }`;
    const seen = await ok<{
      vehicle: {
        vehicleId: string;
        operator: { name: string };
        parkEvent: { id: string };
        zones: { name: string }[];
      };
    }>(stack.request(query, { id }, callers.amsterdam));
    expect(seen.vehicle).toMatchObject({
      vehicleId: 'fb-1',
      operator: { name: 'Fiets BV' },
      vehicleType: { formFactor: 'BICYCLE', propulsionType: 'electric_assist' },
      parkEvent: { id: parkEventOf.get('fb-1'), vehicleId: 'fb-1', endTime: null },
    });
    // Amsterdam sees its own custom zone; the operator sees the public ones only.
    expect(seen.vehicle.zones.map((z) => z.name)).toEqual([
      'Dam square hub area',
      'Centrum',
      'Amsterdam',
    ]);
    const operator = await ok<{ vehicle: { zones: { name: string }[] } }>(
      stack.request(query, { id }, callers.operator),
    );
    expect(operator.vehicle.zones.map((z) => z.name)).toEqual(['Centrum', 'Amsterdam']);
    expect(await ok(stack.request(query, { id }, callers.rotterdam))).toEqual({ vehicle: null });
    expectError(await stack.request(query, { id: 'fb-1' }, callers.admin), 'BAD_USER_INPUT', 'id');
  });
});

describe('park events at a moment', () => {
  interface ParkEventNode {
    vehicleId: string;
    startTime: string;
    endTime: string | null;
    zones: { code: string; kind: string }[];
  }
  const atQuery = `query ($at: DateTime!, $filter: VehicleFilter, $after: String, $first: Int) {
    parkEventsAt(at: $at, filter: $filter, first: $first, after: $after) {
      totalCount edges { node { vehicleId startTime endTime zones { code kind } } }
      pageInfo { hasNextPage endCursor } } }`;

  it('returns what was parked at the moment: started at or before it, ended after it', async () => {
    const data = await ok<{ parkEventsAt: Connection<ParkEventNode> }>(
      stack.request(
        atQuery,
        { at: AT.toISOString(), filter: { municipalityCodes: ['GM0363'] } },
        callers.amsterdam,
      ),
    );
    expect(data.parkEventsAt.edges.map((e) => e.node.vehicleId).sort()).toEqual(
      ['h-1h', 'h-2d', 'h-2d-1s', 'h-4d', 'h-7d', 'h-14d', 'h-30d', 'h-at'].sort(),
    );
    expect(data.parkEventsAt.totalCount).toBe(8);
    const starts = data.parkEventsAt.edges.map((e) => e.node.startTime);
    expect([...starts].sort()).toEqual(starts);
    const atDam = data.parkEventsAt.edges.find((e) => e.node.vehicleId === 'h-1h')!.node;
    expect(atDam.zones).toEqual([
      { code: 'AMS-DAM', kind: 'CUSTOM' },
      { code: 'WK036300', kind: 'DISTRICT' },
      { code: 'GM0363', kind: 'MUNICIPALITY' },
    ]);
  });

  it('pages through park events without duplicates, scoped per caller', async () => {
    const walk = async (caller: Caller) => {
      const seen: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 20; page += 1) {
        const data: { parkEventsAt: Connection<ParkEventNode> } = await ok(
          stack.request(atQuery, { at: AT.toISOString(), first: 3, after }, caller),
        );
        seen.push(...data.parkEventsAt.edges.map((e) => e.node.vehicleId));
        if (!data.parkEventsAt.pageInfo.hasNextPage) break;
        after = data.parkEventsAt.pageInfo.endCursor;
      }
      expect(new Set(seen).size).toBe(seen.length);
      return seen.sort();
    };
    expect(await walk(callers.admin)).toHaveLength(10);
    expect(await walk(callers.rotterdam)).toEqual(['h-rtm-1', 'h-rtm-2']);
    expect(await walk(callers.operator)).toEqual(['h-1h', 'h-2d-1s', 'h-30d', 'h-7d', 'h-rtm-1']);
    expect(await walk(callers.anonymous)).toEqual([]);
  });

  it('rejects a cursor it did not make', async () => {
    expectError(
      await stack.request(atQuery, { at: AT.toISOString(), after: 'bm9wZQ' }, callers.admin),
      'BAD_USER_INPUT',
      'after',
    );
  });
});

describe('parking durations', () => {
  interface Durations {
    zone: { name: string } | null;
    municipalityCode: string | null;
    total: number;
    buckets: { minDays: number; maxDays: number | null; count: number }[];
  }
  const durationsQuery = `query ($zones: [ID!], $codes: [String!], $at: DateTime) {
    parkingDurations(zoneIds: $zones, municipalityCodes: $codes, at: $at) {
      zone { name } municipalityCode total buckets { minDays maxDays count } } }`;

  it('puts a vehicle parked exactly 2, 4, 7 or 14 days in the bucket that starts there', async () => {
    const data = await ok<{ parkingDurations: Durations[] }>(
      stack.request(
        durationsQuery,
        { codes: ['GM0363', 'GM0599'], at: AT.toISOString() },
        callers.admin,
      ),
    );
    const [amsterdam, rotterdam] = data.parkingDurations;
    expect(amsterdam).toEqual({
      zone: null,
      municipalityCode: 'GM0363',
      total: 8,
      buckets: [
        { minDays: 0, maxDays: 2, count: 3 }, // 1 h, 2 d minus 1 s, 0 s
        { minDays: 2, maxDays: 4, count: 1 }, // exactly 2 d
        { minDays: 4, maxDays: 7, count: 1 }, // exactly 4 d
        { minDays: 7, maxDays: 14, count: 1 }, // exactly 7 d
        { minDays: 14, maxDays: null, count: 2 }, // exactly 14 d, 30 d
      ],
    });
    expect(rotterdam?.buckets.map((b) => b.count)).toEqual([0, 1, 0, 0, 1]);
  });

  it('answers per zone, within the scope, for now by default', async () => {
    const data = await ok<{ parkingDurations: Durations[] }>(
      stack.request(
        durationsQuery,
        { zones: [world.zones.custom, world.zones.rotterdam] },
        callers.amsterdam,
      ),
    );
    expect(data.parkingDurations.map((d) => [d.zone?.name, d.buckets.map((b) => b.count)])).toEqual(
      [
        ['Dam square hub area', [2, 0, 0, 0, 0]], // fb-1 (3 h) and sc-1 (5 h)
        ['Rotterdam', [0, 0, 0, 0, 0]], // outside Amsterdam's scope
      ],
    );
    const now = await ok<{ parkingDurations: Durations[] }>(
      stack.request(durationsQuery, { codes: ['GM0363'] }, callers.admin),
    );
    expect(now.parkingDurations[0]?.buckets.map((b) => b.count)).toEqual([2, 1, 0, 0, 1]);
  });

  it('wants exactly one of zoneIds and municipalityCodes', async () => {
    expectError(
      await stack.request(durationsQuery, {}, callers.admin),
      'BAD_USER_INPUT',
      'zoneIds',
    );
    expectError(
      await stack.request(durationsQuery, { codes: ['Amsterdam'] }, callers.admin),
      'BAD_USER_INPUT',
      'municipalityCodes',
    );
  });
});

describe('availableVehicles: open data', () => {
  interface Available {
    availableVehicles: Connection<{
      id: string;
      lat: number;
      lng: number;
      formFactor: string;
      operator: { name: string };
    }>;
  }
  const availableQuery = `query ($code: String, $bbox: BoundingBoxInput, $first: Int, $after: String) {
    availableVehicles(municipalityCode: $code, bbox: $bbox, first: $first, after: $after) {
      totalCount edges { node { id lat lng formFactor operator { name } } } pageInfo { hasNextPage endCursor } } }`;

  it('serves anyone the available vehicles, under ids that are neither vehicle nor park event ids', async () => {
    const data = await ok<Available>(
      stack.request(availableQuery, { code: 'GM0363' }, callers.anonymous),
    );
    const nodes = data.availableVehicles.edges.map((e) => e.node);
    // fb-1, fb-2, sc-1; sc-4 is disabled.
    expect(nodes).toHaveLength(3);
    expect(nodes.map((n) => n.operator.name).sort()).toEqual(['Fiets BV', 'Fiets BV', 'Scoot NL']);
    const expectedIds = ['fb-1', 'fb-2', 'sc-1'].map((v) =>
      availableVehicleId(TEST_SCOPE_SECRET, parkEventOf.get(v)!),
    );
    expect(nodes.map((n) => n.id).sort()).toEqual(expectedIds.sort());
    for (const node of nodes) {
      expect(node.id).toMatch(/^[0-9a-f]{32}$/);
      expect(FLEET.map((v) => v.vehicleId)).not.toContain(node.id);
      expect([...parkEventOf.values()].join(' ')).not.toContain(node.id);
      expect(JSON.stringify(node)).not.toMatch(/fb-|sc-/);
    }
    const rotterdam = await ok<Available>(
      stack.request(
        availableQuery,
        { bbox: { minLng: 4.4, minLat: 51.9, maxLng: 4.5, maxLat: 51.95 } },
        {},
      ),
    );
    expect(rotterdam.availableVehicles.totalCount).toBe(2); // sc-3 is reserved
  });

  it('gives a vehicle a new id with every park event', async () => {
    const idsNow = async () =>
      (
        await ok<Available>(stack.request(availableQuery, { code: 'GM0363' }, {}))
      ).availableVehicles.edges
        .map((e) => e.node.id)
        .sort();
    const before = await idsNow();
    expect(await idsNow()).toEqual(before);
    const { db } = stack.database;
    const start = new Date();
    // As the importer records a relocation: the park event ends, a new one starts.
    await db('park_events')
      .where('id', parkEventOf.get('fb-1'))
      .update({ end_time: start, end_reason: 'RELOCATION' });
    const [newEvent] = await insertParkEvents(db, world, [
      { feed: 'fietsbv', vehicleId: 'fb-1', place: 'dam', start },
    ]);
    await db('vehicle_state')
      .where({ feed_id: world.feeds.fietsbv, vehicle_id: 'fb-1' })
      .update({ park_event_id: newEvent, park_start: start });
    const after = await idsNow();
    const oldId = availableVehicleId(TEST_SCOPE_SECRET, parkEventOf.get('fb-1')!);
    const newId = availableVehicleId(TEST_SCOPE_SECRET, newEvent!);
    expect(before).toContain(oldId);
    expect(after).not.toContain(oldId);
    expect(after).toContain(newId);
    expect(after.filter((id) => before.includes(id))).toHaveLength(2);
    parkEventOf.set('fb-1', newEvent!);
  });

  it('pages by its own ids', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page += 1) {
      const data: Available = await ok(
        stack.request(availableQuery, { code: 'GM0363', first: 1, after }, {}),
      );
      seen.push(...data.availableVehicles.edges.map((e) => e.node.id));
      if (!data.availableVehicles.pageInfo.hasNextPage) break;
      after = data.availableVehicles.pageInfo.endCursor;
    }
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(3);
  });

  it('accepts a bbox of exactly 0.5 degree, floating-point rounding included', async () => {
    const answer = await stack.request(
      availableQuery,
      { bbox: { minLng: 1.7, minLat: 50.1, maxLng: 2.2, maxLat: 50.6 } },
      {},
    );
    expect(answer.errors).toBeUndefined();
  });

  it('wants one small area', async () => {
    expectError(await stack.request(availableQuery, {}, {}), 'BAD_USER_INPUT', 'bbox');
    expectError(
      await stack.request(
        availableQuery,
        { bbox: { minLng: 3, minLat: 50, maxLng: 7, maxLat: 54 } },
        {},
      ),
      'BAD_USER_INPUT',
      'bbox',
    );
    expectError(
      await stack.request(availableQuery, { code: 'GM363' }, {}),
      'BAD_USER_INPUT',
      'municipalityCode',
    );
  });
});

describe('entity links across subgraphs', () => {
  it('resolves Zone.parkedVehicles for a zone from the zones subgraph, within the scope', async () => {
    const query = `query ($id: ID!) { zone(id: $id) { name parkedVehicles(formFactors: [BICYCLE, MOPED]) {
      totalCount edges { node { vehicleId } } } } }`;
    type Result = { zone: { name: string; parkedVehicles: Connection<{ vehicleId: string }> } };
    const amsterdam = await ok<Result>(
      stack.request(query, { id: world.zones.centrum }, callers.amsterdam),
    );
    expect(amsterdam.zone.name).toBe('Centrum');
    expect(amsterdam.zone.parkedVehicles.edges.map((e) => e.node.vehicleId).sort()).toEqual([
      'fb-1',
      'fb-2',
      'sc-1',
      'sc-4',
    ]);
    const operator = await ok<Result>(
      stack.request(query, { id: world.zones.centrum }, callers.operator),
    );
    expect(operator.zone.parkedVehicles.totalCount).toBe(2);
    const rotterdam = await ok<Result>(
      stack.request(query, { id: world.zones.centrum }, callers.rotterdam),
    );
    expect(rotterdam.zone.parkedVehicles.totalCount).toBe(0);
  });

  it('resolves every @key with _entities, within the caller scope', async () => {
    const [parkEvent] = await stack.database
      .db('park_events')
      .where('vehicle_id', 'h-1h')
      .select<{ id: string; start_time: Date }[]>('id', 'start_time');
    const representations = [
      { __typename: 'Operator', id: 'scoot' },
      { __typename: 'VehicleType', operatorId: 'fietsbv', id: 'ebike' },
      { __typename: 'Feed', id: world.feeds.fietsbv },
      { __typename: 'Vehicle', id: `${world.feeds.scoot}:sc-1` },
      {
        __typename: 'ParkEvent',
        id: parkEvent!.id,
        startTime: parkEvent!.start_time.toISOString(),
      },
      { __typename: 'Zone', id: world.zones.centrum },
      { __typename: 'ParkEvent', id: parkEvent!.id, startTime: AT.toISOString() },
      { __typename: 'Operator', id: 'nobody' },
      { __typename: 'Vehicle', id: `${world.feeds.scoot}:nope` },
    ];
    const query = `query ($reps: [_Any!]!) { _entities(representations: $reps) {
      ... on Operator { name } ... on VehicleType { formFactor } ... on Feed { url authType }
      ... on Vehicle { vehicleId } ... on ParkEvent { vehicleId } ... on Zone { parkedVehicles { totalCount } } } }`;
    const asScope = (scope: Scope) =>
      graphqlRequest<{ _entities: unknown[] }>(
        stack.subgraphUrls.vehicles!,
        query,
        { reps: representations },
        scopeHeaders(scope),
      );
    const admin = await asScope(serviceScope('test'));
    expect(admin.errors).toBeUndefined();
    expect(admin.data?._entities).toEqual([
      { name: 'Scoot NL' },
      { formFactor: 'BICYCLE' },
      { url: 'https://gbfs.fietsbv.example/gbfs.json', authType: 'HEADER' },
      { vehicleId: 'sc-1' },
      { vehicleId: 'h-1h' },
      { parkedVehicles: { totalCount: 4 } },
      null,
      null,
      null,
    ]);
    const anonymous = await asScope(PUBLIC_SCOPE);
    expect(anonymous.data?._entities).toEqual([
      { name: 'Scoot NL' },
      { formFactor: 'BICYCLE' },
      null,
      null,
      null,
      { parkedVehicles: { totalCount: 0 } },
      null,
      null,
      null,
    ]);
  });
});

describe('feeds and their health', () => {
  const FEED_FIELDS = `id url type authType active rotatingIds defaultFormFactor defaultVehicleTypeId
    operator { id } createdAt updatedAt`;

  it('shows feeds to ADMIN and to the operator itself, never their credentials', async () => {
    const query = `{ feeds { ${FEED_FIELDS} } operators { id feeds { id } } }`;
    const admin = await stack.request<{ feeds: { operator: { id: string } }[] }>(
      query,
      {},
      callers.admin,
    );
    expect(admin.data?.feeds.map((f) => f.operator.id)).toEqual(['fietsbv', 'scoot']);
    expect(JSON.stringify(admin)).not.toContain('fixture-secret');
    const operator = await ok<{ feeds: { operator: { id: string }; authType: string }[] }>(
      stack.request(query, {}, callers.operator),
    );
    expect(operator.feeds).toEqual([
      expect.objectContaining({ operator: { id: 'fietsbv' }, authType: 'HEADER' }),
    ]);
    for (const caller of [callers.amsterdam, callers.anonymous]) {
      const seen = await ok<{ feeds: unknown[]; operators: { feeds: unknown[] }[] }>(
        stack.request(query, {}, caller),
      );
      expect(seen.feeds).toEqual([]);
      expect(seen.operators.flatMap((o) => o.feeds)).toEqual([]);
    }
    expect(
      await ok(
        stack.request(
          `query ($id: ID!) { feed(id: $id) { id } }`,
          { id: world.feeds.fietsbv },
          callers.amsterdam,
        ),
      ),
    ).toEqual({ feed: null });
  });

  it('shows the last error with its JSON path, and the outages newest first', async () => {
    const { db } = stack.database;
    await db('feed_health').insert({
      feed_id: world.feeds.fietsbv,
      status: 'DOWN',
      last_success_at: '2026-11-20T08:00:00Z',
      last_error_at: '2026-11-21T09:30:00Z',
      last_error_kind: 'SCHEMA',
      last_error_message: 'must be number',
      last_error_path: 'data.vehicles[3].lat',
      last_error_url: 'https://gbfs.fietsbv.example/vehicle_status.json',
      consecutive_failures: 3,
      vehicles_in_last_snapshot: 420,
      last_duration_ms: 812,
      feed_last_updated: '2026-11-20T07:59:40Z',
      feed_ttl_seconds: 30,
      feed_version: '3.0',
      notices: JSON.stringify([
        {
          kind: 'PARTIAL_OUTAGE',
          message: '109 of 249 vehicles vanished at once',
          vehicles: 109,
          at: '2026-11-20T07:30:00.000Z',
        },
      ]),
      quarantined_vehicles: 2,
      unknown_type_vehicles: 0,
      station_vehicles: 5,
    });
    await db('feed_outages').insert([
      {
        feed_id: world.feeds.fietsbv,
        started_at: '2026-11-19T01:00:00Z',
        ended_at: '2026-11-19T02:00:00Z',
        reason: 'TIMEOUT',
        message: 'no answer in 10 s',
      },
      {
        feed_id: world.feeds.fietsbv,
        started_at: '2026-11-21T09:29:30Z',
        reason: 'SCHEMA',
        message: 'must be number',
        path: 'data.vehicles[3].lat',
      },
    ]);
    const query = `query ($id: ID!, $after: String) { feed(id: $id) { health {
      status lastSuccessAt consecutiveFailures vehiclesInLastSnapshot lastDurationMs
      feedLastUpdated feedTtlSeconds feedVersion dataAgeSeconds quarantinedVehicles
      unknownTypeVehicles stationVehicles notices { kind message vehicles at }
      lastError { kind message path url at }
      outages(first: 1, after: $after) { totalCount edges { node { startedAt endedAt reason message path } }
        pageInfo { hasNextPage endCursor } } } } }`;
    type Health = {
      feed: {
        health: {
          outages: Connection<{
            startedAt: string;
            endedAt: string | null;
            reason: string;
            path: string | null;
          }>;
        };
      };
    };
    const first = await ok<Health>(
      stack.request(query, { id: world.feeds.fietsbv }, callers.operator),
    );
    expect(first.feed.health).toMatchObject({
      status: 'DOWN',
      lastSuccessAt: '2026-11-20T08:00:00.000Z',
      consecutiveFailures: 3,
      vehiclesInLastSnapshot: 420,
      lastDurationMs: 812,
      feedLastUpdated: '2026-11-20T07:59:40.000Z',
      feedTtlSeconds: 30,
      feedVersion: '3.0',
      quarantinedVehicles: 2,
      unknownTypeVehicles: 0,
      stationVehicles: 5,
      notices: [
        {
          kind: 'PARTIAL_OUTAGE',
          message: '109 of 249 vehicles vanished at once',
          vehicles: 109,
          at: '2026-11-20T07:30:00.000Z',
        },
      ],
      lastError: {
        kind: 'SCHEMA',
        message: 'must be number',
        path: 'data.vehicles[3].lat',
        url: 'https://gbfs.fietsbv.example/vehicle_status.json',
        at: '2026-11-21T09:30:00.000Z',
      },
    });
    // The data's age: from the feed's own last_updated to now.
    const age = (first.feed.health as unknown as { dataAgeSeconds: number }).dataAgeSeconds;
    expect(Math.abs(age - (Date.now() - Date.parse('2026-11-20T07:59:40Z')) / 1000)).toBeLessThan(
      60,
    );
    const outages = first.feed.health.outages;
    expect(outages.totalCount).toBe(2);
    expect(outages.edges[0]?.node).toEqual({
      startedAt: '2026-11-21T09:29:30.000Z',
      endedAt: null,
      reason: 'SCHEMA',
      message: 'must be number',
      path: 'data.vehicles[3].lat',
    });
    const second = await ok<Health>(
      stack.request(
        query,
        { id: world.feeds.fietsbv, after: outages.pageInfo.endCursor },
        callers.admin,
      ),
    );
    expect(second.feed.health.outages.edges.map((e) => e.node.reason)).toEqual(['TIMEOUT']);
    expect(second.feed.health.outages.pageInfo.hasNextPage).toBe(false);
    const scoot = await ok(
      stack.request(
        `query ($id: ID!) { feed(id: $id) { health { status } } }`,
        { id: world.feeds.scoot },
        callers.admin,
      ),
    );
    expect(scoot).toEqual({ feed: { health: null } });
  });
});

describe('feed administration', () => {
  const CREATE = `mutation ($input: FeedInput!) { createFeed(input: $input) {
    id url type authType active rotatingIds defaultFormFactor operator { id name } } }`;
  const input = {
    operatorId: 'scoot',
    url: 'https://mds.scoot.example/mds/',
    type: 'MDS_VEHICLES',
    auth: {
      type: 'OAUTH2_CLIENT_CREDENTIALS',
      tokenUrl: 'https://auth.scoot.example/token',
      clientId: 'gemeente',
      clientSecret: 'oauth-client-secret',
    },
    defaultFormFactor: 'MOPED',
    // Hosts that do not exist: registered unseen (feedAdmin.gateway.test.ts checks real ones).
    verify: false,
  };

  it('lets ADMIN create, change and deactivate a feed, each change audited without secrets', async () => {
    const created = await stack.request<{ createFeed: { id: string } }>(
      CREATE,
      { input },
      callers.admin,
    );
    expect(created.errors).toBeUndefined();
    expect(created.data?.createFeed).toMatchObject({
      url: 'https://mds.scoot.example/mds/',
      type: 'MDS_VEHICLES',
      authType: 'OAUTH2_CLIENT_CREDENTIALS',
      active: true,
      rotatingIds: false,
      defaultFormFactor: 'MOPED',
      operator: { id: 'scoot', name: 'Scoot NL' },
    });
    expect(JSON.stringify(created)).not.toContain('oauth-client-secret');
    const id = created.data!.createFeed.id;
    // Without a word on ids, a GBFS feed rotates them (GBFS 2.0+), an MDS feed keeps them.
    const gbfs = await ok<{ createFeed: { rotatingIds: boolean; rotatingIdsDeclared: boolean } }>(
      stack.request(
        `mutation ($input: FeedInput!) { createFeed(input: $input) { rotatingIds rotatingIdsDeclared } }`,
        {
          input: {
            operatorId: 'scoot',
            url: 'https://gbfs.scoot.example/gbfs.json',
            type: 'GBFS_DISCOVERY',
            verify: false,
          },
        },
        callers.admin,
      ),
    );
    expect(gbfs.createFeed).toEqual({ rotatingIds: true, rotatingIdsDeclared: false });
    const { db } = stack.database;
    // The importer reads the credentials in clear from the table.
    const stored = await db('feeds')
      .where('id', id)
      .first<{ auth: Record<string, string> }>('auth');
    expect(stored?.auth).toEqual({ ...input.auth, type: 'OAUTH2_CLIENT_CREDENTIALS' });

    const updated = await ok<{
      updateFeed: { url: string; authType: string; rotatingIds: boolean };
    }>(
      stack.request(
        `mutation ($id: ID!) { updateFeed(id: $id, patch: { url: "https://mds.scoot.example/v2/", rotatingIds: true, verify: false,
          auth: { type: HEADER, header: "X-Api-Key", value: "header-secret" } }) { url authType rotatingIds } }`,
        { id },
        callers.admin,
      ),
    );
    expect(updated.updateFeed).toEqual({
      url: 'https://mds.scoot.example/v2/',
      authType: 'HEADER',
      rotatingIds: true,
    });
    const deactivated = await ok<{ setFeedActive: { active: boolean } }>(
      stack.request(
        `mutation ($id: ID!) { setFeedActive(id: $id, active: false) { active } }`,
        { id },
        callers.admin,
      ),
    );
    expect(deactivated.setFeedActive.active).toBe(false);

    const audit = await db('audit_log')
      .where('target_id', id)
      .orderBy('id')
      .select<{ action: string; actor_type: string; details: Record<string, unknown> }[]>(
        'action',
        'actor_type',
        'details',
      );
    expect(audit.map((a) => a.action)).toEqual(['feed.create', 'feed.update', 'feed.deactivate']);
    expect(audit[0]?.details).toMatchObject({
      url: input.url,
      authType: 'OAUTH2_CLIENT_CREDENTIALS',
    });
    expect(audit[1]?.details).toMatchObject({ authType: 'HEADER', rotatingIds: true });
    expect(JSON.stringify(audit)).not.toMatch(/oauth-client-secret|header-secret|gemeente/);
    expect(audit.every((a) => a.actor_type === 'USER')).toBe(true);
  });

  it('creates and renames operators as ADMIN', async () => {
    const created = await ok<{ createOperator: { id: string; name: string } }>(
      stack.request(
        `mutation { createOperator(input: { id: "deelfiets", name: "Deelfiets" }) { id name } }`,
        {},
        callers.admin,
      ),
    );
    expect(created.createOperator).toEqual({ id: 'deelfiets', name: 'Deelfiets' });
    const renamed = await ok<{ renameOperator: { name: string } }>(
      stack.request(
        `mutation { renameOperator(id: "deelfiets", name: "Deelfiets NL") { name } }`,
        {},
        callers.admin,
      ),
    );
    expect(renamed.renameOperator.name).toBe('Deelfiets NL');
    expectError(
      await stack.request(
        `mutation { createOperator(input: { id: "deelfiets", name: "Again" }) { id } }`,
        {},
        callers.admin,
      ),
      'BAD_USER_INPUT',
      'input.id',
    );
    const audit = await stack.database
      .db('audit_log')
      .where('target_id', 'deelfiets')
      .pluck('action');
    expect(audit).toEqual(['operator.create', 'operator.rename']);
  });

  it('refuses everyone but ADMIN, and writes nothing', async () => {
    const { db } = stack.database;
    const feedsBefore = await db('feeds').count<{ count: string }[]>({ count: '*' });
    for (const caller of [callers.amsterdam, callers.operator, callers.anonymous]) {
      expectError(await stack.request(CREATE, { input }, caller), 'FORBIDDEN');
      expectError(
        await stack.request(
          `mutation ($id: ID!) { setFeedActive(id: $id, active: false) { id } }`,
          { id: world.feeds.fietsbv },
          caller,
        ),
        'FORBIDDEN',
      );
    }
    expect(await db('feeds').count<{ count: string }[]>({ count: '*' })).toEqual(feedsBefore);
    const feed = await db('feeds')
      .where('id', world.feeds.fietsbv)
      .first<{ active: boolean }>('active');
    expect(feed?.active).toBe(true);
  });

  it.each([
    ['input.url', { url: 'ftp://gbfs.example/gbfs.json' }],
    ['input.url', { url: 'not a url' }],
    ['input.url', { url: 'https://user:password@gbfs.example/gbfs.json' }],
    ['input.operatorId', { operatorId: 'nobody' }],
    ['input.operatorId', { operatorId: 'Not An Id' }],
    ['input.auth.value', { auth: { type: 'HEADER', header: 'Authorization' } }],
    ['input.auth.header', { auth: { type: 'HEADER', header: 'Bad Header:', value: 'x' } }],
    ['input.auth.header', { auth: { type: 'NONE', header: 'Authorization' } }],
    ['input.auth.tokenUrl', { auth: { ...input.auth, tokenUrl: 'file:///etc/passwd' } }],
    ['input.auth.clientSecret', { auth: { ...input.auth, clientSecret: '' } }],
  ])('answers BAD_USER_INPUT naming %s', async (argumentName, change) => {
    const result = await stack.request(CREATE, { input: { ...input, ...change } }, callers.admin);
    expectError(result, 'BAD_USER_INPUT', argumentName);
    expect(result.errors?.[0]?.message).toContain(argumentName);
  });

  it('refuses a second feed of the same type at the same URL, and unknown feeds', async () => {
    const duplicate = {
      operatorId: 'fietsbv',
      url: 'https://gbfs.fietsbv.example/gbfs.json',
      type: 'GBFS3_VEHICLE_STATUS',
      verify: false,
    };
    expectError(
      await stack.request(CREATE, { input: duplicate }, callers.admin),
      'BAD_USER_INPUT',
      'input.url',
    );
    expectError(
      await stack.request(
        `mutation ($id: ID!) { setFeedActive(id: $id, active: true) { id } }`,
        { id: randomUUID() },
        callers.admin,
      ),
      'NOT_FOUND',
    );
    expectError(
      await stack.request(
        `mutation ($id: ID!) { updateFeed(id: $id, patch: { url: null }) { id } }`,
        { id: world.feeds.fietsbv },
        callers.admin,
      ),
      'BAD_USER_INPUT',
      'patch.url',
    );
  });
});
