import { serviceScope } from '../../../lib/auth/scope';
import { seedDemoDistricts } from '../../../seeds/demoDistricts';
import { seedIdentities } from '../../../seeds/identities';
import { graphqlRequest } from '../../../test/graphql';
import { SERIES_ORGANISATIONS } from '../../../test/identities';
import { scopeHeaders } from '../../../test/scope';
import { startTestStack, type Caller, type TestStack } from '../../../test/stack';

/**
 * Zone.dailyIndicators through the gateway: sums across operators done right (the day's figure is
 * the largest moment of the sums, not the sum of each operator's largest), gaps filled (zeros on a
 * computed day, nulls on a day not computed), scope, one query for many zones, and bad input.
 */
let stack: TestStack;
const callers: Record<string, Caller> = {};
const zoneIds: Record<string, string> = {};

interface Indicators {
  day: string;
  reported: boolean;
  operator: { id: string } | null;
  tripsStarted: number | null;
  tripsEnded: number | null;
  rentalDurationMeanSeconds: number | null;
  vehiclesAt: { moment: string; at: string; vehicles: number | null }[];
  vehiclesInPublicSpace: number | null;
  parkedLongerThan1Day: number | null;
  nonOperationalLongerThan24Hours: number | null;
  rentalsPerVehicle: number | null;
}

const FIELDS = `day reported operator { id } tripsStarted tripsEnded rentalDurationMeanSeconds
  vehiclesAt { moment at vehicles } vehiclesInPublicSpace parkedLongerThan1Day
  nonOperationalLongerThan24Hours rentalsPerVehicle`;

function row(
  zone: string,
  operator: string,
  formFactor: string,
  municipality: string,
  figures: {
    started: number;
    ended: number;
    completed: number;
    seconds: number;
    vehicles: number[];
    parked1d?: number;
    nonOp24h?: number;
  },
) {
  const [v0330, v0800, v1030, v1400, v1700, v2100] = figures.vehicles;
  return {
    day: '2026-11-02',
    zone_id: zoneIds[zone],
    operator_id: operator,
    form_factor: formFactor,
    municipality_code: municipality,
    trips_started: figures.started,
    trips_ended: figures.ended,
    rentals_completed: figures.completed,
    rental_seconds_total: figures.seconds,
    vehicles_0330: v0330,
    vehicles_0800: v0800,
    vehicles_1030: v1030,
    vehicles_1400: v1400,
    vehicles_1700: v1700,
    vehicles_2100: v2100,
    parked_1d: figures.parked1d ?? 0,
    parked_3d: 0,
    parked_7d: 0,
    parked_14d: 0,
    non_operational_24h: figures.nonOp24h ?? 0,
    non_operational_7d: 0,
  };
}

async function indicators(
  caller: Caller | undefined,
  codes: string[],
  args = 'from: "2026-11-01", to: "2026-11-03"',
) {
  return stack.request<{
    zones: { edges: { node: { code: string; dailyIndicators: Indicators[] } }[] };
  }>(
    `{ zones(filter: { codes: ${JSON.stringify(codes)} }) {
        edges { node { code dailyIndicators(${args}) { ${FIELDS} } } } } }`,
    {},
    caller,
  );
}

const byCode = (result: Awaited<ReturnType<typeof indicators>>) =>
  Object.fromEntries(
    (result.data?.zones.edges ?? []).map((e) => [e.node.code, e.node.dailyIndicators]),
  );

beforeAll(async () => {
  stack = await startTestStack({ subgraphs: ['zones', 'users', 'trips'] });
  const { db } = stack.database;
  await seedIdentities(db, SERIES_ORGANISATIONS);
  await seedDemoDistricts(db, stack.pubsub);
  for (const email of ['admin@t.nl', 'ams@t.nl', 'rtm@t.nl', 'bikes@t.nl']) {
    callers[email] = { token: await stack.tokenFor(email) };
  }
  const zones = await db('zones')
    .whereIn('code', ['GM0363', 'GM0599', 'WK036300', 'WK036301'])
    .select<{ id: string; code: string }[]>('id', 'code');
  for (const z of zones) zoneIds[z.code] = z.id;
  await db('daily_zone_indicators').insert([
    row('GM0363', 'op-bikes', 'BICYCLE', 'GM0363', {
      started: 10,
      ended: 8,
      completed: 6,
      seconds: 3600,
      vehicles: [5, 9, 7, 6, 4, 3],
      parked1d: 2,
      nonOp24h: 1,
    }),
    row('GM0363', 'op-scoot', 'SCOOTER_STANDING', 'GM0363', {
      started: 4,
      ended: 4,
      completed: 0,
      seconds: 0,
      vehicles: [3, 1, 2, 4, 2, 1],
    }),
    row('WK036300', 'op-bikes', 'BICYCLE', 'GM0363', {
      started: 3,
      ended: 1,
      completed: 2,
      seconds: 900,
      vehicles: [1, 2, 0, 0, 0, 0],
    }),
    row('GM0599', 'op-bikes', 'BICYCLE', 'GM0599', {
      started: 7,
      ended: 7,
      completed: 7,
      seconds: 700,
      vehicles: [7, 7, 7, 7, 7, 7],
    }),
  ]);
  await db('daily_report_days').insert([
    { day: '2026-11-01', time_zone: 'Europe/Amsterdam', rows: 0 },
    { day: '2026-11-02', time_zone: 'Europe/Amsterdam', rows: 4 },
  ]);
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe('Zone.dailyIndicators', () => {
  it('sums operators, fills a computed day with zeros and an uncomputed one with nulls', async () => {
    const result = await indicators(callers['admin@t.nl'], ['GM0363', 'WK036301']);
    expect(result.errors).toBeUndefined();
    const amsterdam = byCode(result).GM0363!;
    expect(amsterdam.map((d) => [d.day, d.reported])).toEqual([
      ['2026-11-01', true],
      ['2026-11-02', true],
      ['2026-11-03', false],
    ]);
    expect(amsterdam[0]).toMatchObject({
      tripsStarted: 0,
      vehiclesInPublicSpace: 0,
      rentalsPerVehicle: null,
    });
    expect(amsterdam[1]).toMatchObject({
      operator: null,
      tripsStarted: 14,
      tripsEnded: 12,
      rentalDurationMeanSeconds: 600,
      // Moments summed over operators, then the largest: 10 at 08:00 and 14:00 (not 9 + 4 = 13).
      vehiclesInPublicSpace: 10,
      parkedLongerThan1Day: 2,
      nonOperationalLongerThan24Hours: 1,
      rentalsPerVehicle: 1.4,
    });
    expect(amsterdam[1]!.vehiclesAt).toEqual([
      { moment: '03:30', at: '2026-11-02T02:30:00.000Z', vehicles: 8 },
      { moment: '08:00', at: '2026-11-02T07:00:00.000Z', vehicles: 10 },
      { moment: '10:30', at: '2026-11-02T09:30:00.000Z', vehicles: 9 },
      { moment: '14:00', at: '2026-11-02T13:00:00.000Z', vehicles: 10 },
      { moment: '17:00', at: '2026-11-02T16:00:00.000Z', vehicles: 6 },
      { moment: '21:00', at: '2026-11-02T20:00:00.000Z', vehicles: 4 },
    ]);
    expect(amsterdam[2]).toMatchObject({
      tripsStarted: null,
      vehiclesInPublicSpace: null,
      rentalDurationMeanSeconds: null,
    });
    // A district with no data at all: zeros on computed days.
    expect(byCode(result).WK036301!.map((d) => d.tripsStarted)).toEqual([0, 0, null]);
  });

  it('groups by operator: every group seen in the range on every day', async () => {
    const result = await indicators(
      callers['admin@t.nl'],
      ['GM0363'],
      'from: "2026-11-02", to: "2026-11-03", groupBy: [OPERATOR]',
    );
    expect(result.errors).toBeUndefined();
    expect(
      byCode(result).GM0363!.map((d) => [
        d.day,
        d.operator?.id,
        d.tripsStarted,
        d.vehiclesInPublicSpace,
      ]),
    ).toEqual([
      ['2026-11-02', 'op-bikes', 10, 9],
      ['2026-11-02', 'op-scoot', 4, 4],
      ['2026-11-03', 'op-bikes', null, null],
      ['2026-11-03', 'op-scoot', null, null],
    ]);
  });

  it('counts only what the caller may see', async () => {
    const started = async (email: string | undefined, code: string) => {
      const result = await indicators(email ? callers[email] : undefined, [code]);
      expect(result.errors).toBeUndefined();
      return byCode(result)[code]![1]!.tripsStarted;
    };
    expect(await started('ams@t.nl', 'GM0363')).toBe(14);
    expect(await started('bikes@t.nl', 'GM0363')).toBe(10);
    expect(await started('bikes@t.nl', 'GM0599')).toBe(7);
    expect(await started('rtm@t.nl', 'GM0363')).toBe(0);
    expect(await started('ams@t.nl', 'GM0599')).toBe(0);
    expect(await started(undefined, 'GM0363')).toBe(0);
  });

  it('reads many zones with one query', async () => {
    const statements: string[] = [];
    const listener = (query: { sql: string }) => statements.push(query.sql);
    stack.database.db.on('query', listener);
    try {
      const result = await stack.request(
        `{ zones(filter: { kind: DISTRICT }, first: 100) {
            totalCount edges { node { dailyIndicators(from: "2026-11-01", to: "2026-11-02") { tripsStarted } } } } }`,
        {},
        callers['admin@t.nl'],
      );
      expect(result.errors).toBeUndefined();
      expect((result.data as { zones: { totalCount: number } }).zones.totalCount).toBeGreaterThan(
        30,
      );
    } finally {
      stack.database.db.off('query', listener);
    }
    expect(statements.filter((sql) => sql.includes('daily_zone_indicators'))).toHaveLength(1);
    expect(statements.filter((sql) => sql.includes('daily_report_days'))).toHaveLength(1);
  });

  it('refuses bad input with BAD_USER_INPUT naming the argument and the limit', async () => {
    const cases: [string, string, string][] = [
      ['from: "2026-11-03", to: "2026-11-01"', 'to', 'is before from'],
      ['from: "2025-01-01", to: "2026-11-01"', 'to', 'at most 366 days'],
      ['from: "2026-13-01", to: "2026-11-01"', 'from', 'is not a date'],
    ];
    for (const [args, argumentName, message] of cases) {
      const result = await indicators(callers['admin@t.nl'], ['GM0363'], args);
      expect(result.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argumentName,
      });
      expect(result.errors?.[0]?.message).toContain(message);
    }
    // An unknown zone, asked of the trips subgraph directly as the gateway would.
    const unknown = await graphqlRequest(
      stack.subgraphUrls.trips!,
      `{ _entities(representations: [{ __typename: "Zone", id: "00000000-0000-4000-8000-000000000000" }]) {
          ... on Zone { dailyIndicators(from: "2026-11-01", to: "2026-11-02") { day } } } }`,
      {},
      scopeHeaders(serviceScope('test')),
    );
    expect(unknown.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentName: 'id',
    });
  });
});
