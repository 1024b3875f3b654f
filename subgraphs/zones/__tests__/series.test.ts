import { randomUUID } from 'node:crypto';
import { PUBLIC_SCOPE, serviceScope, type Scope } from '../../../lib/auth/scope';
import { loadConfig } from '../../../lib/config';
import { InProcessPubSub } from '../../../lib/pubsub';
import type { SubgraphServer } from '../../../lib/subgraphServer';
import { TICK_MS } from '../../../lib/time/buckets';
import { HOUR, MINUTE } from '../../../lib/units';
import { computeWindow, runZoneStats } from '../../../jobs/zoneStats/compute';
import { seed } from '../../../seeds';
import { Random } from '../../../simulator/random';
import { createTestDatabase, silentLogger, type TestDatabase } from '../../../test/db';
import { graphqlRequest, type GraphQLResponse } from '../../../test/graphql';
import { packedSeriesDifferences } from '../../../test/packedSeries';
import { scopeHeaders, TEST_SCOPE_SECRET } from '../../../test/scope';
import { createZonesSubgraph } from '../server';

/**
 * Zone.availability and Zone.rentals over generated park events, non-operational periods and
 * trips around both daylight-saving changes of 2026, against a brute-force recount of those
 * events per 5-minute tick: every bucket, at every resolution and aggregate, in the right scope.
 */

const AMS = 'Europe/Amsterdam';
// Amsterdam days 28-30 March (the 29th has 23 hours) and 24-26 October (the 25th has 25).
const PERIODS = [
  { from: Date.parse('2026-03-27T23:00:00Z'), to: Date.parse('2026-03-30T22:00:00Z') },
  { from: Date.parse('2026-10-23T22:00:00Z'), to: Date.parse('2026-10-26T23:00:00Z') },
];
const OPERATORS = [
  { id: 'op-a', formFactors: ['BICYCLE', 'MOPED'] },
  { id: 'op-b', formFactors: ['SCOOTER_STANDING'] },
];

interface Interval {
  vehicle: string;
  operator: string;
  formFactor: string;
  zone: string;
  start: number;
  end: number | null;
}
const parks: Interval[] = [];
const nonOps: Interval[] = [];
const trips: {
  operator: string;
  formFactor: string;
  start: number;
  end: number;
  from: string;
  to: string;
}[] = [];

let database: TestDatabase;
let pubsub: InProcessPubSub;
let subgraph: SubgraphServer;
let url: string;
let amsterdam: string;
let rotterdam: string;

const scopes: Record<string, Scope> = {
  admin: serviceScope('test'),
  amsterdam: {
    ...PUBLIC_SCOPE,
    principal: { type: 'USER', userId: 'u1', email: 'a@example.org' },
    organisationType: 'MUNICIPALITY',
    municipalities: ['GM0363'],
    ownMunicipalities: ['GM0363'],
  },
  opA: {
    ...PUBLIC_SCOPE,
    principal: { type: 'USER', userId: 'u2', email: 'b@example.org' },
    organisationType: 'OPERATOR',
    operators: ['op-a'],
  },
  opAB: {
    ...PUBLIC_SCOPE,
    principal: { type: 'USER', userId: 'u3', email: 'c@example.org' },
    organisationType: 'OTHER_COMPANY',
    operators: ['op-a', 'op-b'],
  },
  public: PUBLIC_SCOPE,
};

function query<T>(
  text: string,
  variables: Record<string, unknown>,
  scope: Scope = scopes.admin as Scope,
): Promise<GraphQLResponse<T>> {
  return graphqlRequest<T>(url, text, variables, scopeHeaders(scope));
}

/** Vehicles alternate parks (sometimes out of order for a while) and rides between two zones. */
async function generate(): Promise<void> {
  const random = new Random(5);
  const zones = [amsterdam, rotterdam];
  for (const period of PERIODS) {
    for (const operator of OPERATORS) {
      for (let v = 0; v < 15; v += 1) {
        const vehicle = `${operator.id}-${period.from}-${v}`;
        const formFactor = operator.formFactors[v % operator.formFactors.length] as string;
        let zone = zones[v % 2] as string;
        // Some parks began before the period; times are not on tick boundaries.
        let at = period.from - random.between(0, 6 * HOUR);
        while (at < period.to + HOUR) {
          const parked = random.between(10 * MINUTE, 5 * HOUR);
          const end = at + parked;
          const open = end > period.to + HOUR;
          parks.push({
            vehicle,
            operator: operator.id,
            formFactor,
            zone,
            start: at,
            end: open ? null : end,
          });
          if (random.chance(0.3)) {
            const s = at + random.between(0, parked / 2);
            nonOps.push({
              vehicle,
              operator: operator.id,
              formFactor,
              zone,
              start: s,
              end: open && random.chance(0.5) ? null : s + random.between(MINUTE, parked / 2),
            });
          }
          if (open) break;
          const ride = random.between(3 * MINUTE, 40 * MINUTE);
          const next = random.chance(0.3) ? (zone === amsterdam ? rotterdam : amsterdam) : zone;
          trips.push({
            operator: operator.id,
            formFactor,
            start: end,
            end: end + ride,
            from: zone,
            to: next,
          });
          zone = next;
          at = end + ride;
        }
      }
    }
  }
  const db = database.db;
  const feed = randomUUID();
  const municipality = (zone: string) => (zone === amsterdam ? 'GM0363' : 'GM0599');
  for (const table of ['park_events', 'trips', 'non_operational_periods', 'rentals']) {
    await db.raw(`select ensure_monthly_partitions(?, '2026-02-01', 10)`, [table]);
  }
  const place = { lat: 52, lng: 4.9, h3_cell: '881f1d4a7bfffff' };
  await db.batchInsert(
    'park_events',
    parks.map((p) => ({
      id: randomUUID(),
      feed_id: feed,
      operator_id: p.operator,
      vehicle_id: p.vehicle,
      form_factor: p.formFactor,
      ...place,
      zone_ids: [p.zone],
      municipality_code: municipality(p.zone),
      start_time: new Date(p.start),
      end_time: p.end === null ? null : new Date(p.end),
    })),
    500,
  );
  await db.batchInsert(
    'non_operational_periods',
    nonOps.map((p) => ({
      id: randomUUID(),
      feed_id: feed,
      operator_id: p.operator,
      vehicle_id: p.vehicle,
      form_factor: p.formFactor,
      lat: 52,
      lng: 4.9,
      zone_ids: [p.zone],
      municipality_code: municipality(p.zone),
      start_time: new Date(p.start),
      end_time: p.end === null ? null : new Date(p.end),
    })),
    500,
  );
  await db.batchInsert(
    'trips',
    trips.map((t) => ({
      id: randomUUID(),
      feed_id: feed,
      operator_id: t.operator,
      vehicle_id: 'x',
      form_factor: t.formFactor,
      source: 'INFERRED',
      status: 'COMPLETED',
      start_time: new Date(t.start),
      end_time: new Date(t.end),
      start_lat: 52,
      start_lng: 4.9,
      end_lat: 52,
      end_lng: 4.9,
      start_h3_cell: place.h3_cell,
      end_h3_cell: place.h3_cell,
      start_zone_ids: [t.from],
      end_zone_ids: [t.to],
      municipality_code: municipality(t.from),
      end_municipality_code: municipality(t.to),
    })),
    500,
  );
}

/** Park events live at a tick in a zone, each with whether it is out of order then (memoised). */
const liveCache = new Map<string, { park: Interval; unavailable: boolean }[]>();
function liveAt(tick: number, zone: string) {
  const key = `${tick}|${zone}`;
  let live = liveCache.get(key);
  if (!live) {
    live = parks
      .filter((i) => i.zone === zone && i.start <= tick && (i.end === null || i.end > tick))
      .map((park) => ({
        park,
        unavailable: nonOps.some(
          (n) => n.vehicle === park.vehicle && n.start <= tick && (n.end === null || n.end > tick),
        ),
      }));
    liveCache.set(key, live);
  }
  return live;
}

/** The brute-force count at one tick of one zone, for the vehicles `keep` selects. */
function countAt(tick: number, zone: string, keep: (i: Interval) => boolean) {
  const parked = liveAt(tick, zone).filter((l) => keep(l.park));
  const unavailable = parked.filter((l) => l.unavailable).length;
  return { available: parked.length - unavailable, unavailable, total: parked.length };
}

function rentalsIn(
  from: number,
  to: number,
  zone: string,
  keep: (t: { operator: string; formFactor: string }) => boolean,
) {
  return {
    started: trips.filter((t) => keep(t) && t.from === zone && t.start >= from && t.start < to)
      .length,
    ended: trips.filter((t) => keep(t) && t.to === zone && t.end >= from && t.end < to).length,
  };
}

const covered = (tick: number) => PERIODS.some((p) => tick >= p.from && tick < p.to);

/** Expected bucket values from the brute-force counts of the covered ticks in [b0, b1). */
function expectedBucket(
  b0: number,
  b1: number,
  zone: string,
  aggregate: 'MIN' | 'MAX' | 'AVG',
  keep: (i: Interval) => boolean,
) {
  const ticks: number[] = [];
  for (let t = b0; t < b1; t += TICK_MS) if (covered(t)) ticks.push(t);
  if (ticks.length === 0) return null;
  const counts = ticks.map((t) => countAt(t, zone, keep));
  const of = (k: 'available' | 'unavailable' | 'total') => {
    const xs = counts.map((c) => c[k]);
    if (aggregate === 'MIN') return Math.min(...xs);
    if (aggregate === 'MAX') return Math.max(...xs);
    return xs.reduce((a, b) => a + b, 0) / xs.length;
  };
  return { available: of('available'), unavailable: of('unavailable'), total: of('total') };
}

interface Series {
  bucketStarts: string[];
  end: string;
  groups: {
    operatorId: string | null;
    formFactor: string | null;
    available: (number | null)[];
    unavailable: (number | null)[];
    total: (number | null)[];
  }[];
}
const AVAILABILITY = `query ($id: ID!, $from: DateTime!, $to: DateTime!, $resolution: SeriesResolution!, $aggregate: SeriesAggregate!, $groupBy: [SeriesGroupBy!], $timeZone: String!) {
  zone(id: $id) { availability(from: $from, to: $to, resolution: $resolution, aggregate: $aggregate, groupBy: $groupBy, timeZone: $timeZone) {
    bucketStarts end groups { operatorId formFactor available unavailable total } } } }`;

function expectSeries(
  series: Series,
  zone: string,
  aggregate: 'MIN' | 'MAX' | 'AVG',
  keepGroup: (g: Series['groups'][number]) => (i: Interval) => boolean,
) {
  const starts = [...series.bucketStarts.map(Date.parse), Date.parse(series.end)];
  for (const group of series.groups) {
    const keep = keepGroup(group);
    for (let b = 0; b < series.bucketStarts.length; b += 1) {
      const expected = expectedBucket(
        starts[b] as number,
        starts[b + 1] as number,
        zone,
        aggregate,
        keep,
      );
      const actual = {
        available: group.available[b],
        unavailable: group.unavailable[b],
        total: group.total[b],
      };
      if (expected === null)
        expect({ b, ...actual }).toEqual({ b, available: null, unavailable: null, total: null });
      else {
        expect(actual.available).toBeCloseTo(expected.available, 9);
        expect(actual.unavailable).toBeCloseTo(expected.unavailable, 9);
        expect(actual.total).toBeCloseTo(expected.total, 9);
      }
    }
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  pubsub = new InProcessPubSub();
  await seed(database.db, pubsub, silentLogger, { demo: false });
  const ids = await database
    .db('zones')
    .whereIn('code', ['GM0363', 'GM0599'])
    .andWhere({ kind: 'MUNICIPALITY' })
    .select<{ id: string; code: string }[]>('id', 'code');
  amsterdam = ids.find((z) => z.code === 'GM0363')?.id ?? '';
  rotterdam = ids.find((z) => z.code === 'GM0599')?.id ?? '';
  await generate();
  for (const p of PERIODS) await computeWindow(database.db, p.from, p.to - TICK_MS, AMS);
  subgraph = createZonesSubgraph({
    config: loadConfig({ NODE_ENV: 'test' }),
    logger: silentLogger,
    db: database.db,
    pubsub,
    scopeSecret: TEST_SCOPE_SECRET,
  });
  url = (await subgraph.start(0, '127.0.0.1')).url;
}, 60_000);

afterAll(async () => {
  await subgraph?.stop();
  await pubsub?.close();
  await database?.drop();
});

const all = () => () => true;
const byGroup =
  (g: { operatorId: string | null; formFactor: string | null }) =>
  (i: { operator: string; formFactor: string }) =>
    (g.operatorId === null || i.operator === g.operatorId) &&
    (g.formFactor === null || i.formFactor === g.formFactor);

describe('Zone.availability', () => {
  it.each(['MIN', 'MAX', 'AVG'] as const)(
    'gives Amsterdam days of 24, 23 and 24 hours around the spring change (%s)',
    async (aggregate) => {
      const result = await query<{ zone: { availability: Series } }>(AVAILABILITY, {
        id: amsterdam,
        from: '2026-03-27T12:00:00Z',
        to: '2026-03-30T22:00:00Z',
        resolution: 'DAY',
        aggregate,
        timeZone: AMS,
      });
      expect(result.errors).toBeUndefined();
      const series = result.data?.zone.availability as Series;
      expect(series.bucketStarts).toEqual([
        '2026-03-26T23:00:00.000Z',
        '2026-03-27T23:00:00.000Z',
        '2026-03-28T23:00:00.000Z',
        '2026-03-29T22:00:00.000Z',
      ]);
      expect(series.end).toBe('2026-03-30T22:00:00.000Z');
      // The 27th was never counted: null, not zero.
      expect(series.groups[0]?.available[0]).toBeNull();
      expectSeries(series, amsterdam, aggregate, () => all());
    },
  );

  it('gives a 25-hour day in October, per operator and form factor, at every aggregate', async () => {
    for (const aggregate of ['MIN', 'MAX', 'AVG'] as const) {
      const result = await query<{ zone: { availability: Series } }>(AVAILABILITY, {
        id: rotterdam,
        from: '2026-10-24T00:00:00+02:00',
        to: '2026-10-27T00:00:00+01:00',
        resolution: 'DAY',
        aggregate,
        groupBy: ['OPERATOR', 'FORM_FACTOR'],
        timeZone: AMS,
      });
      expect(result.errors).toBeUndefined();
      const series = result.data?.zone.availability as Series;
      const starts = series.bucketStarts.map(Date.parse);
      expect([
        starts[1]! - starts[0]!,
        starts[2]! - starts[1]!,
        Date.parse(series.end) - starts[2]!,
      ]).toEqual([24 * HOUR, 25 * HOUR, 24 * HOUR]);
      expect(series.groups.map((g) => `${g.operatorId}/${g.formFactor}`)).toEqual([
        'op-a/BICYCLE',
        'op-a/MOPED',
        'op-b/SCOOTER_STANDING',
      ]);
      expectSeries(series, rotterdam, aggregate, byGroup);
    }
  });

  it('agrees with the raw counts at 5 minutes, 15 minutes and hours, and in another time zone', async () => {
    for (const [resolution, from, to, timeZone] of [
      ['FIVE_MINUTES', '2026-10-25T00:40:00Z', '2026-10-25T02:10:00Z', AMS],
      ['FIFTEEN_MINUTES', '2026-10-24T20:00:00Z', '2026-10-25T04:00:00Z', AMS],
      ['HOUR', '2026-03-28T20:00:00Z', '2026-03-29T06:00:00Z', AMS],
      ['DAY', '2026-10-24T00:00:00Z', '2026-10-27T00:00:00Z', 'America/New_York'],
      ['WEEK', '2026-10-20T00:00:00Z', '2026-10-28T00:00:00Z', AMS],
    ]) {
      for (const aggregate of ['MIN', 'AVG'] as const) {
        const result = await query<{ zone: { availability: Series } }>(AVAILABILITY, {
          id: amsterdam,
          from,
          to,
          resolution,
          aggregate,
          groupBy: ['OPERATOR'],
          timeZone,
        });
        expect(result.errors).toBeUndefined();
        expectSeries(result.data?.zone.availability as Series, amsterdam, aggregate, byGroup);
      }
    }
  });

  it('answers quarter hours of all operators from the packed rows, equal to the raw counts', async () => {
    // Across the October change and across the start of the counted period (nulls before it).
    for (const [from, to] of [
      ['2026-10-24T20:00:00Z', '2026-10-25T04:00:00Z'],
      ['2026-10-23T21:00:00Z', '2026-10-24T01:00:00Z'],
    ]) {
      for (const aggregate of ['MIN', 'MAX', 'AVG'] as const) {
        const result = await query<{ zone: { availability: Series } }>(AVAILABILITY, {
          id: amsterdam,
          from,
          to,
          resolution: 'FIFTEEN_MINUTES',
          aggregate,
          timeZone: AMS,
        });
        expect(result.errors).toBeUndefined();
        expectSeries(result.data?.zone.availability as Series, amsterdam, aggregate, () => all());
      }
    }
    // The packed rows themselves, 23- and 25-hour days included: equal to the rows they pack.
    expect(await packedSeriesDifferences(database.db, AMS)).toEqual([]);
  });

  it('starts weeks on Monday and months on the first, local time', async () => {
    const week = await query<{ zone: { availability: Series } }>(AVAILABILITY, {
      id: amsterdam,
      from: '2026-10-25T12:00:00Z',
      to: '2026-11-03T00:00:00Z',
      resolution: 'WEEK',
      aggregate: 'MAX',
      timeZone: AMS,
    });
    expect(week.data?.zone.availability.bucketStarts).toEqual([
      '2026-10-18T22:00:00.000Z',
      '2026-10-25T23:00:00.000Z',
      '2026-11-01T23:00:00.000Z',
    ]);
    const month = await query<{ zone: { availability: Series } }>(AVAILABILITY, {
      id: amsterdam,
      from: '2026-03-15T00:00:00Z',
      to: '2026-04-02T00:00:00Z',
      resolution: 'MONTH',
      aggregate: 'MAX',
      timeZone: AMS,
    });
    expect(month.data?.zone.availability.bucketStarts).toEqual([
      '2026-02-28T23:00:00.000Z',
      '2026-03-31T22:00:00.000Z',
    ]);
    expectSeries(month.data?.zone.availability as Series, amsterdam, 'MAX', () => all());
  });

  it('answers many zones in one request with one query per table, not one per zone', async () => {
    const statements: string[] = [];
    const listen = (q: { sql: string }) => {
      if (/zone_stats/.test(q.sql)) statements.push(q.sql);
    };
    database.db.on('query', listen);
    const result = await query<{
      zones: { edges: { node: { code: string; availability: Series } }[] };
    }>(
      `{ zones(filter: { kind: MUNICIPALITY }, first: 400) { edges { node { code availability(from: "2026-03-28T00:00:00Z", to: "2026-03-30T22:00:00Z", resolution: DAY, aggregate: MAX) { bucketStarts end groups { operatorId formFactor available unavailable total } } } } } }`,
      {},
    );
    database.db.removeListener('query', listen);
    expect(result.errors).toBeUndefined();
    const edges = result.data?.zones.edges ?? [];
    expect(edges.length).toBeGreaterThan(300);
    // The series rows and the coverage: two statements for 300+ zones.
    expect(statements).toHaveLength(2);
    for (const { node } of edges) {
      const zone = node.code === 'GM0363' ? amsterdam : node.code === 'GM0599' ? rotterdam : null;
      if (zone) expectSeries(node.availability, zone, 'MAX', () => all());
      // Zones without vehicles are measured zeros.
      else expect(node.availability.groups[0]?.available).toEqual([0, 0, 0]);
    }

    // Quarter hours of every zone: the packed rows and the coverage, two statements again.
    statements.length = 0;
    database.db.on('query', listen);
    const quarters = await query<{
      zones: { edges: { node: { code: string; availability: Series } }[] };
    }>(
      `{ zones(filter: { kind: MUNICIPALITY }, first: 400) { edges { node { code availability(from: "2026-03-29T00:00:00Z", to: "2026-03-29T04:00:00Z", resolution: FIFTEEN_MINUTES, aggregate: MIN) { bucketStarts end groups { operatorId formFactor available unavailable total } } } } } }`,
      {},
    );
    database.db.removeListener('query', listen);
    expect(quarters.errors).toBeUndefined();
    expect(statements).toHaveLength(2);
    for (const { node } of quarters.data?.zones.edges ?? []) {
      const zone = node.code === 'GM0363' ? amsterdam : node.code === 'GM0599' ? rotterdam : null;
      if (zone) expectSeries(node.availability, zone, 'MIN', () => all());
      else expect(node.availability.groups[0]?.available).toEqual(new Array(16).fill(0));
    }
  });

  it('shows an operator only its own fleet, a municipality its zones, the public nothing', async () => {
    const variables = {
      id: amsterdam,
      from: '2026-10-24T00:00:00+02:00',
      to: '2026-10-27T00:00:00+01:00',
      resolution: 'DAY',
      aggregate: 'MAX',
      timeZone: AMS,
    };
    const own = await query<{ zone: { availability: Series } }>(
      AVAILABILITY,
      variables,
      scopes.opA,
    );
    expect(own.errors).toBeUndefined();
    expectSeries(
      own.data?.zone.availability as Series,
      amsterdam,
      'MAX',
      () => (i) => i.operator === 'op-a',
    );
    const grouped = await query<{ zone: { availability: Series } }>(
      AVAILABILITY,
      { ...variables, groupBy: ['OPERATOR'] },
      scopes.opA,
    );
    expect(grouped.data?.zone.availability.groups.map((g) => g.operatorId)).toEqual(['op-a']);

    const municipality = await query<{ zone: { availability: Series } }>(
      AVAILABILITY,
      variables,
      scopes.amsterdam,
    );
    expectSeries(municipality.data?.zone.availability as Series, amsterdam, 'MAX', () => all());
    const elsewhere = await query<{ zone: { availability: Series | null } }>(
      AVAILABILITY,
      { ...variables, id: rotterdam },
      scopes.amsterdam,
    );
    expect(elsewhere.data?.zone.availability).toBeNull();
    const anonymous = await query<{ zone: { availability: Series | null } }>(
      AVAILABILITY,
      variables,
      scopes.public,
    );
    expect(anonymous.errors).toBeUndefined();
    expect(anonymous.data?.zone.availability).toBeNull();

    // Two operators' fleets without OPERATOR: exact only from the 5-minute counts.
    const two = await query(AVAILABILITY, variables, scopes.opAB);
    expect(two.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentName: 'groupBy',
    });
    const twoQuarters = await query<{ zone: { availability: Series } }>(
      AVAILABILITY,
      {
        ...variables,
        resolution: 'FIFTEEN_MINUTES',
        from: '2026-10-25T00:00:00Z',
        to: '2026-10-25T03:00:00Z',
      },
      scopes.opAB,
    );
    expect(twoQuarters.errors).toBeUndefined();
    expectSeries(twoQuarters.data?.zone.availability as Series, amsterdam, 'MAX', () => all());
  });

  it('refuses bad ranges and time zones, naming the argument and the limit', async () => {
    const base = {
      id: amsterdam,
      from: '2026-03-28T00:00:00Z',
      to: '2026-03-29T00:00:00Z',
      resolution: 'HOUR',
      aggregate: 'AVG',
      timeZone: AMS,
    };
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ to: '2026-03-27T00:00:00Z' }, 'to', /after from/],
      [{ resolution: 'FIVE_MINUTES', from: '2024-03-28T00:00:00Z' }, 'to', /at most 7 days/],
      [{ timeZone: 'Mars/Olympus_Mons' }, 'timeZone', /not an IANA time zone/],
      [
        {
          timeZone: 'Asia/Kolkata',
          resolution: 'DAY',
          from: '2026-01-01T00:00:00Z',
          to: '2026-03-29T00:00:00Z',
        },
        'timeZone',
        /at most 31 days/,
      ],
    ];
    for (const [change, argumentName, message] of cases) {
      const result = await query(AVAILABILITY, { ...base, ...change });
      expect(result.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argumentName,
      });
      expect(result.errors?.[0]?.message).toMatch(message);
    }
  });
});

describe('Zone.rentals', () => {
  it('counts trips started and ended in each bucket, and a late trip lands in its window', async () => {
    const RENTALS = `query ($id: ID!, $from: DateTime!, $to: DateTime!, $resolution: SeriesResolution!) {
      zone(id: $id) { rentals(from: $from, to: $to, resolution: $resolution, groupBy: [FORM_FACTOR]) { bucketStarts end groups { formFactor started ended } } } }`;
    const check = async (resolution: string, from: string, to: string) => {
      const result = await query<{
        zone: {
          rentals: {
            bucketStarts: string[];
            end: string;
            groups: { formFactor: string; started: (number | null)[]; ended: (number | null)[] }[];
          };
        };
      }>(RENTALS, { id: amsterdam, from, to, resolution });
      expect(result.errors).toBeUndefined();
      const series = result.data?.zone.rentals;
      const starts = [
        ...(series?.bucketStarts ?? []).map(Date.parse),
        Date.parse(series?.end ?? ''),
      ];
      expect(series?.groups.length).toBeGreaterThan(0);
      for (const group of series?.groups ?? []) {
        starts.slice(0, -1).forEach((b0, b) => {
          const expected = covered(b0)
            ? rentalsIn(
                b0,
                starts[b + 1] as number,
                amsterdam,
                (t) => t.formFactor === group.formFactor,
              )
            : { started: null, ended: null };
          expect({ b, started: group.started[b], ended: group.ended[b] }).toEqual({
            b,
            ...expected,
          });
        });
      }
    };
    await check('HOUR', '2026-10-24T22:00:00Z', '2026-10-25T06:00:00Z');
    await check('DAY', '2026-03-28T00:00:00Z', '2026-03-31T00:00:00Z');

    // A trip reported late (two 5-minute windows after it started) is counted by the next run.
    const late = Date.parse('2026-10-26T21:12:00Z');
    trips.push({
      operator: 'op-b',
      formFactor: 'SCOOTER_STANDING',
      start: late,
      end: late + 4 * MINUTE,
      from: amsterdam,
      to: amsterdam,
    });
    await database.db('trips').insert({
      id: randomUUID(),
      feed_id: randomUUID(),
      operator_id: 'op-b',
      vehicle_id: 'late',
      form_factor: 'SCOOTER_STANDING',
      source: 'MDS_EXACT',
      status: 'COMPLETED',
      start_time: new Date(late),
      end_time: new Date(late + 4 * MINUTE),
      start_lat: 52,
      start_lng: 4.9,
      end_lat: 52,
      end_lng: 4.9,
      start_h3_cell: 'x',
      end_h3_cell: 'x',
      start_zone_ids: [amsterdam],
      end_zone_ids: [amsterdam],
      municipality_code: 'GM0363',
      end_municipality_code: 'GM0363',
    });
    const settings = { recountMs: HOUR, maxCatchupMs: HOUR, timeZone: AMS };
    const run = await runZoneStats(database.db, settings, Date.parse('2026-10-26T22:03:00Z'));
    expect(run.rows).toBeGreaterThan(0);
    await check('FIVE_MINUTES', '2026-10-26T21:00:00Z', '2026-10-26T22:00:00Z');
    await check('DAY', '2026-10-26T00:00:00+01:00', '2026-10-27T00:00:00+01:00');
    // Running again changes nothing.
    await expect(
      runZoneStats(database.db, settings, Date.parse('2026-10-26T22:03:00Z')),
    ).resolves.toMatchObject({ rows: 0 });
  });
});
