import { randomUUID } from 'node:crypto';
import { PUBLIC_SCOPE, serviceScope, type Scope } from '../../../lib/auth/scope';
import {
  ensurePartitions,
  h3,
  PLACES,
  seedWorld,
  USERS,
  zonesAt,
  type Place,
  type World,
} from '../../../test/fleetWorld';
import { expectError, graphqlRequest, ok, type Connection } from '../../../test/graphql';
import { scopeHeaders } from '../../../test/scope';
import { startTestStack, type Caller, type TestStack } from '../../../test/stack';

/**
 * The trips subgraph through a real gateway: who sees which trips and rentals, the filters, the
 * 100 m origins and destinations, and the links to zones (zones subgraph) and operators (vehicles).
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

interface TripFixture {
  name: string;
  operator: 'fietsbv' | 'scoot';
  from: Place;
  to: Place | null;
  start: string;
  end: string | null;
  status: string;
  source?: string;
}

const TRIPS: TripFixture[] = [
  {
    name: 't1',
    operator: 'fietsbv',
    from: 'dam',
    to: 'vondelpark',
    start: '2026-03-10T08:00:00Z',
    end: '2026-03-10T08:20:00Z',
    status: 'COMPLETED',
  },
  {
    name: 't2',
    operator: 'scoot',
    from: 'haarlem',
    to: 'dam',
    start: '2026-03-10T09:00:00Z',
    end: '2026-03-10T09:45:00Z',
    status: 'COMPLETED',
  },
  {
    name: 't3',
    operator: 'fietsbv',
    from: 'rotterdamCentraal',
    to: 'markthal',
    start: '2026-03-10T10:00:00Z',
    end: '2026-03-10T10:10:00Z',
    status: 'COMPLETED',
  },
  {
    name: 't4',
    operator: 'scoot',
    from: 'markthal',
    to: 'rotterdamCentraal',
    start: '2026-03-10T11:00:00Z',
    end: '2026-03-10T11:15:00Z',
    status: 'COMPLETED',
  },
  {
    name: 't5',
    operator: 'fietsbv',
    from: 'dam',
    to: 'dam',
    start: '2026-03-10T12:00:00Z',
    end: '2026-03-10T12:05:00Z',
    status: 'CANCELLED',
  },
  {
    name: 't6',
    operator: 'scoot',
    from: 'damNearby',
    to: null,
    start: '2026-03-10T13:00:00Z',
    end: null,
    status: 'OPEN',
  },
  {
    name: 't7',
    operator: 'fietsbv',
    from: 'damNearby',
    to: 'vondelpark',
    start: '2026-03-12T07:00:00Z',
    end: '2026-03-12T07:30:00Z',
    status: 'COMPLETED',
    source: 'MDS_EXACT',
  },
  {
    name: 't8',
    operator: 'fietsbv',
    from: 'dam',
    to: 'haarlem',
    start: '2026-04-20T07:00:00Z',
    end: '2026-04-20T07:40:00Z',
    status: 'COMPLETED',
  },
];
const tripIds = new Map<string, string>();
const nameOf = (id: string) => [...tripIds].find(([, v]) => v === id)?.[0];

const MARCH = { from: '2026-03-01T00:00:00Z', to: '2026-03-31T00:00:00Z' };

async function insertTrips(): Promise<void> {
  const rows = TRIPS.map((t) => {
    const id = randomUUID();
    tripIds.set(t.name, id);
    const start = zonesAt(world, t.from);
    const end = t.to ? zonesAt(world, t.to) : null;
    return {
      id,
      feed_id: world.feeds[t.operator],
      operator_id: t.operator,
      vehicle_id: t.source === 'MDS_EXACT' ? null : `${t.name}-vehicle`,
      form_factor: t.operator === 'fietsbv' ? 'BICYCLE' : 'MOPED',
      source: t.source ?? 'INFERRED',
      status: t.status,
      start_time: t.start,
      end_time: t.end,
      start_lat: PLACES[t.from].lat,
      start_lng: PLACES[t.from].lng,
      end_lat: t.to ? PLACES[t.to].lat : null,
      end_lng: t.to ? PLACES[t.to].lng : null,
      start_h3_cell: h3(t.from),
      end_h3_cell: t.to ? h3(t.to) : null,
      start_zone_ids: start.zone_ids,
      end_zone_ids: end?.zone_ids ?? null,
      municipality_code: start.municipality_code,
      end_municipality_code: end?.municipality_code ?? null,
      distance_meters: t.to ? 2100 : null,
    };
  });
  await stack.database.db('trips').insert(rows);
}

async function insertRentals(): Promise<void> {
  const rental = (operator: 'fietsbv' | 'scoot', kind: string, place: Place, at: string) => ({
    id: randomUUID(),
    feed_id: world.feeds[operator],
    operator_id: operator,
    vehicle_id: `${operator}-v`,
    form_factor: operator === 'fietsbv' ? 'BICYCLE' : 'MOPED',
    kind,
    at,
    lat: PLACES[place].lat,
    lng: PLACES[place].lng,
    h3_cell: h3(place),
    ...zonesAt(world, place),
  });
  // Scoot's GBFS feed rotates its ids: these rentals are never paired into trips. (Fiets BV's ids
  // are stable: its rentals are its trips, t1 and t3 among them; the importer never writes both.)
  await stack.database.db('rentals').insert([
    rental('scoot', 'START', 'dam', '2026-03-10T08:30:00Z'),
    // 00:30 on 11 March in Amsterdam (UTC+1).
    rental('scoot', 'END', 'dam', '2026-03-10T23:30:00Z'),
    // 00:30 on 30 March in Amsterdam, the day after the switch to summer time (UTC+2).
    rental('scoot', 'START', 'dam', '2026-03-29T22:30:00Z'),
  ]);
}

beforeAll(async () => {
  stack = await startTestStack({ subgraphs: ['zones', 'users', 'vehicles', 'trips'] });
  world = await seedWorld(stack.database.db);
  await ensurePartitions(stack.database.db, '2026-01-01', 5);
  for (const [name, email] of Object.entries(USERS)) {
    callers[name as keyof typeof USERS] = { token: await stack.tokenFor(email) };
  }
  await insertTrips();
  await insertRentals();
});

afterAll(async () => {
  await stack?.stop();
});

const TRIPS_QUERY = `query ($filter: TripFilter!, $first: Int, $after: String) {
  trips(filter: $filter, first: $first, after: $after) {
    totalCount edges { node { id startTime } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`;

async function tripsSeenBy(
  caller: Caller,
  filter: Record<string, unknown> = {},
): Promise<string[]> {
  const data = await ok<{ trips: Connection<{ id: string }> }>(
    stack.request(TRIPS_QUERY, { filter: { ...MARCH, ...filter }, first: 1000 }, caller),
  );
  expect(data.trips.totalCount).toBe(data.trips.edges.length);
  return data.trips.edges.map((e) => nameOf(e.node.id) ?? e.node.id).sort();
}

describe('who sees which trips', () => {
  it.each([
    ['admin', ['t1', 't2', 't3', 't4', 't6', 't7']],
    // t2 started in Haarlem and ended in Amsterdam.
    ['amsterdam', ['t1', 't2', 't6', 't7']],
    ['rotterdam', ['t3', 't4']],
    ['operator', ['t1', 't3', 't7']],
    ['anonymous', []],
  ] as const)('%s sees %j in March', async (caller, expected) => {
    expect(await tripsSeenBy(callers[caller])).toEqual(expected);
  });

  it('filters by status, zone, municipality, operator and form factor, within the scope', async () => {
    expect(await tripsSeenBy(callers.amsterdam, { statuses: ['CANCELLED'] })).toEqual(['t5']);
    expect(await tripsSeenBy(callers.rotterdam, { statuses: ['CANCELLED'] })).toEqual([]);
    const centrum = [world.zones.centrum];
    expect(await tripsSeenBy(callers.admin, { zoneIds: centrum, zoneMatch: 'START' })).toEqual([
      't1',
      't6',
      't7',
    ]);
    expect(await tripsSeenBy(callers.admin, { zoneIds: centrum, zoneMatch: 'END' })).toEqual([
      't1',
      't2',
      't7',
    ]);
    expect(await tripsSeenBy(callers.admin, { zoneIds: centrum })).toEqual([
      't1',
      't2',
      't6',
      't7',
    ]);
    expect(
      await tripsSeenBy(callers.admin, { municipalityCodes: ['GM0392'], zoneMatch: 'START' }),
    ).toEqual(['t2']);
    expect(await tripsSeenBy(callers.operator, { municipalityCodes: ['GM0363'] })).toEqual([
      't1',
      't7',
    ]);
    expect(
      await tripsSeenBy(callers.admin, { operatorIds: ['scoot'], formFactors: ['MOPED'] }),
    ).toEqual(['t2', 't4', 't6']);
    expect(
      await tripsSeenBy(callers.admin, {
        from: '2026-03-11T00:00:00Z',
        to: '2026-03-13T00:00:00Z',
      }),
    ).toEqual(['t7']);
  });

  it('pages in start order without duplicates', async () => {
    const seen: { id: string; startTime: string }[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const data: { trips: Connection<{ id: string; startTime: string }> } = await ok(
        stack.request(TRIPS_QUERY, { filter: MARCH, first: 4, after }, callers.admin),
      );
      expect(data.trips.totalCount).toBe(6);
      expect(data.trips.pageInfo.hasPreviousPage).toBe(after !== null);
      seen.push(...data.trips.edges.map((e) => e.node));
      if (!data.trips.pageInfo.hasNextPage) break;
      after = data.trips.pageInfo.endCursor;
    }
    expect(seen.map((t) => nameOf(t.id))).toEqual(['t1', 't2', 't3', 't4', 't6', 't7']);
  });

  it('wants a time range of at most 31 days', async () => {
    expectError(
      await stack.request(
        TRIPS_QUERY,
        { filter: { from: '2026-03-01T00:00:00Z', to: '2026-04-02T00:00:00Z' } },
        callers.admin,
      ),
      'BAD_USER_INPUT',
      'filter.to',
    );
    expectError(
      await stack.request(
        TRIPS_QUERY,
        { filter: { from: '2026-03-02T00:00:00Z', to: '2026-03-01T00:00:00Z' } },
        callers.admin,
      ),
      'BAD_USER_INPUT',
      'filter.to',
    );
    expectError(
      await stack.request(
        TRIPS_QUERY,
        { filter: { ...MARCH, zoneIds: ['GM0363'] } },
        callers.admin,
      ),
      'BAD_USER_INPUT',
      'filter.zoneIds',
    );
    expectError(
      await stack.request(TRIPS_QUERY, { filter: MARCH, first: 1001 }, callers.admin),
      'BAD_USER_INPUT',
      'first',
    );
  });
});

describe('entity links', () => {
  const LINKS = `query ($filter: TripFilter!) { trips(filter: $filter) { edges { node { id
    operator { id name } startZone { name kind } endZone { name kind } startZones { code } endZones { code }
    durationSeconds distanceMeters status source } } } }`;
  interface Linked {
    id: string;
    operator: { id: string; name: string };
    startZone: { name: string; kind: string } | null;
    endZone: { name: string; kind: string } | null;
    startZones: { code: string }[];
    endZones: { code: string }[];
  }
  const linked = async (caller: Caller) => {
    const data = await ok<{ trips: Connection<Linked> }>(
      stack.request(LINKS, { filter: MARCH }, caller),
    );
    return new Map(data.trips.edges.map((e) => [nameOf(e.node.id), e.node]));
  };

  it('resolves Trip.startZone and endZone by the zones subgraph, the most specific administrative zone', async () => {
    const trips = await linked(callers.amsterdam);
    expect(trips.get('t1')).toMatchObject({
      operator: { id: 'fietsbv', name: 'Fiets BV' },
      startZone: { name: 'Centrum', kind: 'DISTRICT' },
      endZone: { name: 'Centrum', kind: 'DISTRICT' },
      startZones: [{ code: 'AMS-DAM' }, { code: 'WK036300' }, { code: 'GM0363' }],
      durationSeconds: 1200,
      distanceMeters: 2100,
      status: 'COMPLETED',
      source: 'INFERRED',
    });
    expect(trips.get('t2')).toMatchObject({
      operator: { name: 'Scoot NL' },
      startZone: { name: 'Haarlem', kind: 'MUNICIPALITY' },
      endZone: { name: 'Centrum' },
    });
    expect(trips.get('t6')).toMatchObject({ endZone: null, endZones: [], durationSeconds: null });
  });

  it('lists only the zones the caller may see', async () => {
    const trips = await linked(callers.operator);
    expect(trips.get('t1')?.startZones).toEqual([{ code: 'WK036300' }, { code: 'GM0363' }]);
    expect(trips.get('t1')?.startZone).toEqual({ name: 'Centrum', kind: 'DISTRICT' });
  });

  it('resolves Trip by its @key with _entities, within the caller scope', async () => {
    const [t1] = await stack.database
      .db('trips')
      .where('id', tripIds.get('t1'))
      .select<{ id: string; start_time: Date }[]>('id', 'start_time');
    const representations = [
      { __typename: 'Trip', id: t1!.id, startTime: t1!.start_time.toISOString() },
      { __typename: 'Trip', id: t1!.id, startTime: '2026-03-11T08:00:00.000Z' },
      { __typename: 'Trip', id: randomUUID(), startTime: t1!.start_time.toISOString() },
    ];
    const asScope = (scope: Scope) =>
      graphqlRequest<{ _entities: unknown[] }>(
        stack.subgraphUrls.trips!,
        `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Trip { id status endZones { id } } } }`,
        { reps: representations },
        scopeHeaders(scope),
      );
    const admin = await asScope(serviceScope('test'));
    expect(admin.errors).toBeUndefined();
    expect(admin.data?._entities).toEqual([
      {
        id: t1!.id,
        status: 'COMPLETED',
        endZones: [{ id: world.zones.centrum }, { id: world.zones.amsterdam }],
      },
      null,
      null,
    ]);
    const rotterdam: Scope = { ...PUBLIC_SCOPE, municipalities: ['GM0599'] };
    expect((await asScope(rotterdam)).data?._entities).toEqual([null, null, null]);
  });
});

describe('origins and destinations', () => {
  interface Point {
    lat: number;
    lng: number;
    count: number;
  }
  const distanceMeters = (a: { lat: number; lng: number }, b: { lat: number; lng: number }) => {
    const rad = Math.PI / 180;
    const x = (b.lng - a.lng) * rad * Math.cos(((a.lat + b.lat) / 2) * rad);
    const y = (b.lat - a.lat) * rad;
    return Math.sqrt(x * x + y * y) * 6_371_000;
  };

  it('counts trip origins per 100 m cell, never giving a trip its own position', async () => {
    const data = await ok<{ tripOrigins: Point[] }>(
      stack.request(
        `query ($filter: TripFilter!) { tripOrigins(filter: $filter) { lat lng count } }`,
        { filter: MARCH },
        callers.admin,
      ),
    );
    const [busiest, ...rest] = data.tripOrigins;
    // t1 (Dam), t6 and t7 (20 m away) share a cell; the cancelled t5 is left out.
    expect(busiest?.count).toBe(3);
    expect(rest.map((p) => p.count)).toEqual([1, 1, 1]);
    for (const point of data.tripOrigins) {
      expect(Math.abs(point.lat * 1000 - 0.5 - Math.round(point.lat * 1000 - 0.5))).toBeLessThan(
        1e-6,
      );
      const nearest = Math.min(...Object.values(PLACES).map((p) => distanceMeters(p, point)));
      expect(nearest).toBeLessThan(100);
      expect(Object.values(PLACES).some((p) => p.lat === point.lat || p.lng === point.lng)).toBe(
        false,
      );
    }
    expect(distanceMeters(busiest!, PLACES.dam)).toBeLessThan(100);
  });

  it('counts destinations of the trips the caller sees', async () => {
    const query = `query ($filter: TripFilter!) { tripDestinations(filter: $filter) { lat lng count } }`;
    const admin = await ok<{ tripDestinations: Point[] }>(
      stack.request(query, { filter: MARCH }, callers.admin),
    );
    expect(admin.tripDestinations.map((p) => p.count)).toEqual([2, 1, 1, 1]);
    expect(distanceMeters(admin.tripDestinations[0]!, PLACES.vondelpark)).toBeLessThan(100);
    const rotterdam = await ok<{ tripDestinations: Point[] }>(
      stack.request(query, { filter: MARCH }, callers.rotterdam),
    );
    expect(rotterdam.tripDestinations.map((p) => p.count)).toEqual([1, 1]);
    const anonymous = await ok<{ tripDestinations: Point[] }>(
      stack.request(query, { filter: MARCH }, {}),
    );
    expect(anonymous.tripDestinations).toEqual([]);
  });
});

describe('rental counts', () => {
  const query = `query ($filter: RentalFilter!, $interval: TimeInterval!, $groupBy: [RentalGroupBy!], $timeZone: String) {
    rentalCounts(filter: $filter, interval: $interval, groupBy: $groupBy, timeZone: $timeZone) {
      start operator { id } formFactor municipalityCode zone { name } starts ends } }`;
  interface Count {
    start: string;
    operator: { id: string } | null;
    formFactor: string | null;
    municipalityCode: string | null;
    zone: { name: string } | null;
    starts: number;
    ends: number;
  }

  it('counts starts and ends per hour: trips (stable ids) and rentals (rotating ids) alike', async () => {
    const data = await ok<{ rentalCounts: Count[] }>(
      stack.request(query, { filter: MARCH, interval: 'HOUR' }, callers.admin),
    );
    // t1 and a Scoot rental at 08, t2 at 09, t3 at 10, t4 at 11, t6 (open) at 13, the Scoot
    // rental's end at 23, t7 (an exact MDS trip) on the 12th; t5 was cancelled.
    expect(data.rentalCounts.map((c) => [c.start, c.starts, c.ends])).toEqual([
      ['2026-03-10T08:00:00.000Z', 2, 1],
      ['2026-03-10T09:00:00.000Z', 1, 1],
      ['2026-03-10T10:00:00.000Z', 1, 1],
      ['2026-03-10T11:00:00.000Z', 1, 1],
      ['2026-03-10T13:00:00.000Z', 1, 0],
      ['2026-03-10T23:00:00.000Z', 0, 1],
      ['2026-03-12T07:00:00.000Z', 1, 1],
      ['2026-03-29T22:00:00.000Z', 1, 0],
    ]);
  });

  it('counts every trip of a feed with stable ids, as trips lists them', async () => {
    const counts = await ok<{ rentalCounts: Count[] }>(
      stack.request(
        query,
        { filter: { ...MARCH, operatorIds: ['fietsbv'] }, interval: 'DAY', groupBy: ['OPERATOR'] },
        callers.admin,
      ),
    );
    const listed = await ok<{ trips: Connection<{ id: string }> }>(
      stack.request(
        TRIPS_QUERY,
        { filter: { ...MARCH, operatorIds: ['fietsbv'] }, first: 1000 },
        callers.admin,
      ),
    );
    const completed = await ok<{ trips: Connection<{ id: string }> }>(
      stack.request(
        TRIPS_QUERY,
        { filter: { ...MARCH, operatorIds: ['fietsbv'], statuses: ['COMPLETED'] }, first: 1000 },
        callers.admin,
      ),
    );
    const sum = (key: 'starts' | 'ends') =>
      counts.rentalCounts.reduce((total, c) => total + c[key], 0);
    // t1, t3 and t7 (t5 was cancelled, t8 is in April).
    expect(listed.trips.totalCount).toBe(3);
    expect(sum('starts')).toBe(listed.trips.totalCount);
    expect(sum('ends')).toBe(completed.trips.totalCount);
    expect(new Set(counts.rentalCounts.map((c) => c.operator?.id))).toEqual(new Set(['fietsbv']));
  });

  it('counts per day in Amsterdam time, daylight saving time included, grouped and scoped', async () => {
    const data = await ok<{ rentalCounts: Count[] }>(
      stack.request(
        query,
        { filter: MARCH, interval: 'DAY', groupBy: ['OPERATOR'] },
        callers.amsterdam,
      ),
    );
    // Amsterdam sees what started or ended in Amsterdam: t2's end (it started in Haarlem), not
    // its start; none of Rotterdam's.
    expect(data.rentalCounts.map((c) => [c.start, c.operator?.id, c.starts, c.ends])).toEqual([
      ['2026-03-09T23:00:00.000Z', 'fietsbv', 1, 1],
      ['2026-03-09T23:00:00.000Z', 'scoot', 2, 1],
      ['2026-03-10T23:00:00.000Z', 'scoot', 0, 1],
      ['2026-03-11T23:00:00.000Z', 'fietsbv', 1, 1],
      ['2026-03-29T22:00:00.000Z', 'scoot', 1, 0],
    ]);
    const utc = await ok<{ rentalCounts: Count[] }>(
      stack.request(query, { filter: MARCH, interval: 'DAY', timeZone: 'UTC' }, callers.rotterdam),
    );
    expect(utc.rentalCounts.map((c) => [c.start, c.starts, c.ends])).toEqual([
      ['2026-03-10T00:00:00.000Z', 2, 2],
    ]);
    const byMunicipality = await ok<{ rentalCounts: Count[] }>(
      stack.request(
        query,
        {
          filter: { ...MARCH, municipalityCodes: ['GM0392'] },
          interval: 'DAY',
          groupBy: ['MUNICIPALITY'],
        },
        callers.admin,
      ),
    );
    // Haarlem: t2 started there.
    expect(
      byMunicipality.rentalCounts.map((c) => [c.start, c.municipalityCode, c.starts, c.ends]),
    ).toEqual([['2026-03-09T23:00:00.000Z', 'GM0392', 1, 0]]);
  });

  it('groups by zone when given the zones', async () => {
    const data = await ok<{ rentalCounts: Count[] }>(
      stack.request(
        query,
        {
          filter: { ...MARCH, zoneIds: [world.zones.custom] },
          interval: 'DAY',
          groupBy: ['ZONE', 'FORM_FACTOR'],
        },
        callers.admin,
      ),
    );
    expect(
      data.rentalCounts.map((c) => [c.start, c.zone?.name, c.formFactor, c.starts, c.ends]),
    ).toEqual([
      ['2026-03-09T23:00:00.000Z', 'Dam square hub area', 'BICYCLE', 1, 0],
      ['2026-03-09T23:00:00.000Z', 'Dam square hub area', 'MOPED', 2, 1],
      ['2026-03-10T23:00:00.000Z', 'Dam square hub area', 'MOPED', 0, 1],
      ['2026-03-11T23:00:00.000Z', 'Dam square hub area', 'BICYCLE', 1, 0],
      ['2026-03-29T22:00:00.000Z', 'Dam square hub area', 'MOPED', 1, 0],
    ]);
    expectError(
      await stack.request(
        query,
        { filter: MARCH, interval: 'DAY', groupBy: ['ZONE'] },
        callers.admin,
      ),
      'BAD_USER_INPUT',
      'groupBy',
    );
    expectError(
      await stack.request(
        query,
        { filter: MARCH, interval: 'DAY', timeZone: 'Mars/Olympus' },
        callers.admin,
      ),
      'BAD_USER_INPUT',
      'timeZone',
    );
  });
});
