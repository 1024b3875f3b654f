import { randomUUID } from 'node:crypto';
import { latLngToCell } from 'h3-js';
import { createOdMatrixJob } from '../../../jobs/od';
import { loadConfig } from '../../../lib/config';
import { seedIdentities } from '../../../seeds/identities';
import { silentLogger, TEST_CONFIG } from '../../../test/db';
import { startTestStack, type Caller, type TestStack } from '../../../test/stack';

/**
 * The od subgraph through a real gateway, over flows the od_matrix job computed from trips written
 * here: the answers, the minimum count, an attacker differencing overlapping answers, scopes, the
 * zones' topDestinations / topOrigins, H3 outlines and bad input.
 */
let stack: TestStack;
const callers: Record<'admin' | 'amsterdam' | 'rotterdam' | 'operator' | 'anonymous', Caller> = {
  admin: {},
  amsterdam: {},
  rotterdam: {},
  operator: {},
  anonymous: {},
};
const zones = { west: '', east: '', amsterdam: '', rotterdam: '' };
const K = 4;

const PLACES = {
  west: { lat: 52.37, lng: 4.87, municipality: 'GM0363' },
  east: { lat: 52.37, lng: 4.91, municipality: 'GM0363' },
  rotterdam: { lat: 51.922, lng: 4.47, municipality: 'GM0599' },
};
type Place = keyof typeof PLACES;
const cell = (p: Place) => latLngToCell(PLACES[p].lat, PLACES[p].lng, 8);

/** Tuesday 10 March 2026 and Wednesday 11 March, 10:30 local (block 10-14). */
const TUESDAY = '2026-03-10T09:30:00Z';
const WEDNESDAY = '2026-03-11T09:30:00Z';

interface Trips {
  n: number;
  from: Place;
  to: Place | null;
  operator: 'fietsbv' | 'scoot';
  at: string;
}

const TRIPS: Trips[] = [
  { n: 6, from: 'west', to: 'east', operator: 'fietsbv', at: TUESDAY },
  { n: 3, from: 'west', to: 'east', operator: 'scoot', at: TUESDAY },
  { n: 2, from: 'west', to: 'east', operator: 'fietsbv', at: WEDNESDAY },
  { n: 4, from: 'west', to: 'west', operator: 'fietsbv', at: WEDNESDAY },
  { n: 5, from: 'rotterdam', to: 'rotterdam', operator: 'fietsbv', at: TUESDAY },
  { n: 4, from: 'west', to: 'rotterdam', operator: 'scoot', at: TUESDAY },
  { n: 4, from: 'west', to: null, operator: 'fietsbv', at: TUESDAY },
];

function zoneIds(place: Place): string[] {
  if (place === 'west') return [zones.west, zones.amsterdam];
  if (place === 'east') return [zones.east, zones.amsterdam];
  return [zones.rotterdam];
}

async function seedWorld(): Promise<void> {
  const { db } = stack.database;
  await seedIdentities(db, [
    {
      name: 'Admins',
      type: 'ADMIN',
      municipalityCodes: [],
      operatorIds: [],
      users: [{ email: 'admin@t.nl', privileges: [] }],
    },
    {
      name: 'Amsterdam',
      type: 'MUNICIPALITY',
      municipalityCodes: ['GM0363'],
      operatorIds: [],
      users: [{ email: 'ams@t.nl', privileges: [] }],
    },
    {
      name: 'Rotterdam',
      type: 'MUNICIPALITY',
      municipalityCodes: ['GM0599'],
      operatorIds: [],
      users: [{ email: 'rtm@t.nl', privileges: [] }],
    },
    {
      name: 'Fiets BV',
      type: 'OPERATOR',
      municipalityCodes: [],
      operatorIds: ['fietsbv'],
      users: [{ email: 'op@t.nl', privileges: [] }],
    },
  ]);
  const square = (lng: number) => ({
    type: 'Polygon',
    coordinates: [
      [
        [lng, 52.35],
        [lng + 0.04, 52.35],
        [lng + 0.04, 52.39],
        [lng, 52.39],
        [lng, 52.35],
      ],
    ],
  });
  const [west, east] = await db('zones')
    .insert([
      {
        code: 'T-W',
        name: 'West',
        kind: 'DISTRICT',
        geometry: JSON.stringify(square(4.85)),
        municipality_code: 'GM0363',
      },
      {
        code: 'T-E',
        name: 'East',
        kind: 'DISTRICT',
        geometry: JSON.stringify(square(4.89)),
        municipality_code: 'GM0363',
      },
    ])
    .returning<{ id: string }[]>('id');
  zones.west = west!.id;
  zones.east = east!.id;
  const municipalities = await db('zones')
    .where('kind', 'MUNICIPALITY')
    .whereIn('code', ['GM0363', 'GM0599'])
    .select<{ id: string; code: string }[]>('id', 'code');
  zones.amsterdam = municipalities.find((m) => m.code === 'GM0363')!.id;
  zones.rotterdam = municipalities.find((m) => m.code === 'GM0599')!.id;
  await db('operators').insert([
    { id: 'fietsbv', name: 'Fiets BV' },
    { id: 'scoot', name: 'Scoot' },
  ]);
  await db.raw(`select ensure_monthly_partitions('trips', '2026-03-01'::timestamptz, 1)`);
  const rows = TRIPS.flatMap((t) =>
    Array.from({ length: t.n }, (_v, i) => {
      const start = new Date(Date.parse(t.at) + i * 60_000);
      const to = t.to;
      return {
        id: randomUUID(),
        feed_id: randomUUID(),
        operator_id: t.operator,
        form_factor: t.operator === 'fietsbv' ? 'BICYCLE' : 'MOPED',
        source: 'INFERRED',
        status: to ? 'COMPLETED' : 'OPEN',
        start_time: start,
        end_time: to ? new Date(start.getTime() + 20 * 60_000) : null,
        start_lat: PLACES[t.from].lat,
        start_lng: PLACES[t.from].lng,
        end_lat: to ? PLACES[to].lat : null,
        end_lng: to ? PLACES[to].lng : null,
        start_h3_cell: cell(t.from),
        end_h3_cell: to ? cell(to) : null,
        start_zone_ids: zoneIds(t.from),
        end_zone_ids: to ? zoneIds(to) : null,
        municipality_code: PLACES[t.from].municipality,
        end_municipality_code: to ? PLACES[to].municipality : null,
        distance_meters: to ? 2500 : null,
      };
    }),
  );
  await db('trips').insert(rows);
  const job = createOdMatrixJob({
    settings: {
      minCount: K,
      defaultTimeZone: 'Europe/Amsterdam',
      municipalityTimeZones: {},
      catchUpDays: 12,
      maxBlocksPerRun: 1000,
    },
    now: () => new Date('2026-03-20T00:00:00Z'),
  });
  await job.run({
    db,
    pubsub: stack.pubsub,
    logger: silentLogger,
    config: TEST_CONFIG,
    tickAt: undefined,
    payload: {},
  });
}

beforeAll(async () => {
  stack = await startTestStack({ subgraphs: ['zones', 'users', 'od'] });
  await seedWorld();
  callers.admin.token = await stack.tokenFor('admin@t.nl');
  callers.amsterdam.token = await stack.tokenFor('ams@t.nl');
  callers.rotterdam.token = await stack.tokenFor('rtm@t.nl');
  callers.operator.token = await stack.tokenFor('op@t.nl');
}, 60_000);

afterAll(() => stack?.stop());

interface Flow {
  origin: { id: string };
  destination: { id: string };
  trips: number;
  meanDurationSeconds: number;
  meanDistanceMeters: number | null;
}
interface Answer {
  odFlows: { flows: Flow[]; trips: number; tripsWithoutEnd: number; minCount: number };
}

const FLOWS = `query ($filter: OdFilter!, $level: OdLevel!, $origins: [ID!], $destinations: [ID!], $top: Int) {
  odFlows(filter: $filter, level: $level, origins: $origins, destinations: $destinations, top: $top) {
    flows { origin { id } destination { id } trips meanDurationSeconds meanDistanceMeters }
    trips tripsWithoutEnd minCount
  }
}`;
const MARCH = { from: '2026-03-01', to: '2026-03-31' };

async function flows(
  variables: Record<string, unknown>,
  caller: Caller = callers.admin,
): Promise<Answer['odFlows']> {
  const response = await stack.request<Answer>(FLOWS, { filter: MARCH, ...variables }, caller);
  expect(response.errors).toBeUndefined();
  return response.data!.odFlows;
}

const pairs = (answer: Answer['odFlows']) =>
  Object.fromEntries(answer.flows.map((f) => [`${f.origin.id}>${f.destination.id}`, f.trips]));

describe('odFlows', () => {
  it('answers the busiest pairs, with mean duration and distance, never a flow under the minimum', async () => {
    const answer = await flows({ level: 'DISTRICT' });
    expect(answer.minCount).toBe(K);
    // West->East: 6 (fietsbv, Tuesday); scoot's 3 and Wednesday's 2 are units under the minimum.
    expect(pairs(answer)).toEqual({
      [`${zones.west}>${zones.east}`]: 6,
      [`${zones.west}>${zones.west}`]: 4,
      ['OUTSIDE>OUTSIDE']: 5,
      [`${zones.west}>OUTSIDE`]: 4,
    });
    expect(answer.trips).toBe(19);
    expect(answer.tripsWithoutEnd).toBe(4);
    expect(answer.flows[0]).toMatchObject({ meanDurationSeconds: 1200, meanDistanceMeters: 2500 });
    for (const level of ['H3_7', 'H3_8', 'MUNICIPALITY']) {
      for (const flow of (await flows({ level })).flows)
        expect(flow.trips).toBeGreaterThanOrEqual(K);
    }
  });

  it('gives an attacker who subtracts overlapping answers nothing under the minimum', async () => {
    const variants: Record<string, unknown>[] = [
      {},
      { weekdays: ['TUESDAY'] },
      { weekdays: ['TUESDAY', 'WEDNESDAY'] },
      { operators: ['fietsbv'] },
      { operators: ['scoot'] },
      { formFactors: ['BICYCLE'] },
      { blocks: ['H10_14'] },
      { from: '2026-03-11', to: '2026-03-11' },
      { from: '2026-03-10', to: '2026-03-11' },
      // Whole months, answered from the months without weekdays and blocks, and with both.
      { from: '2026-02-01', to: '2026-04-30' },
      { from: '2026-03-01', to: '2026-03-31', weekdays: ['TUESDAY'], blocks: ['H10_14'] },
      { from: '2026-03-01', to: '2026-03-15' },
    ];
    const answers: { level: string; counts: Record<string, number>; total: number }[] = [];
    for (const level of ['DISTRICT', 'MUNICIPALITY', 'H3_7', 'H3_8']) {
      for (const variant of variants) {
        const answer = await flows({ level, filter: { ...MARCH, ...variant } });
        answers.push({
          level,
          counts: pairs(answer),
          total: answer.trips + answer.tripsWithoutEnd,
        });
      }
    }
    // Any two answers at any levels: the difference of totals and of a pair's counts is 0 or >= k.
    const differences: number[] = [];
    for (const a of answers) {
      for (const b of answers) {
        differences.push(Math.abs(a.total - b.total));
        if (a.level !== b.level) continue;
        for (const key of new Set([...Object.keys(a.counts), ...Object.keys(b.counts)])) {
          differences.push(Math.abs((a.counts[key] ?? 0) - (b.counts[key] ?? 0)));
        }
      }
    }
    expect(differences.filter((d) => d > 0 && d < K)).toEqual([]);
    // Origins and destinations: flows and trips without an end come from one statement over the
    // units of the selected destinations and of no destination. Of two selections where one holds
    // the other (the difference is what an attacker learns), the difference is 0 or >= k.
    const places: Record<string, unknown>[] = [
      {},
      { origins: [zones.west] },
      { destinations: [zones.east] },
      { origins: [zones.west], destinations: [zones.east] },
      { origins: [zones.west, zones.east], destinations: [zones.west, 'OUTSIDE'] },
    ];
    /** Place i holds places inside[i] (and itself). */
    const inside = [[1, 2, 3, 4], [3], [3], [], []];
    const narrower = [{}, { weekdays: ['TUESDAY'] }, { operators: ['fietsbv'] }];
    const selections: { place: number; variant: number; answer: (typeof answers)[number] }[] = [];
    for (const [place, where] of places.entries()) {
      for (const [variant, filter] of narrower.entries()) {
        const answer = await flows({
          level: 'DISTRICT',
          ...where,
          filter: { ...MARCH, ...filter },
        });
        selections.push({
          place,
          variant,
          answer: {
            level: 'DISTRICT',
            counts: pairs(answer),
            total: answer.trips + answer.tripsWithoutEnd,
          },
        });
      }
    }
    const nested: number[] = [];
    for (const a of selections) {
      for (const b of selections) {
        const placeHolds = a.place === b.place || inside[a.place]?.includes(b.place);
        if (!placeHolds || (a.variant !== b.variant && a.variant !== 0)) continue;
        nested.push(a.answer.total - b.answer.total);
        for (const key of Object.keys(a.answer.counts)) {
          nested.push((a.answer.counts[key] ?? 0) - (b.answer.counts[key] ?? 0));
        }
      }
    }
    expect(nested.length).toBeGreaterThan(selections.length);
    expect(nested.filter((d) => d !== 0 && d < K)).toEqual([]);
    // Wednesday, Amsterdam->Amsterdam: 6 trips, of which the districts publish 4 (West->West). The
    // municipality pair would reveal the other 2, so it is not published.
    const wednesday = { ...MARCH, from: '2026-03-11', to: '2026-03-11' };
    expect(pairs(await flows({ level: 'DISTRICT', filter: wednesday }))).toEqual({
      [`${zones.west}>${zones.west}`]: 4,
    });
    expect(pairs(await flows({ level: 'MUNICIPALITY', filter: wednesday }))).toEqual({});
  });

  it('answers flows from origins, into destinations, and the zones contribute their top flows', async () => {
    expect(
      pairs(await flows({ level: 'DISTRICT', origins: [zones.west], destinations: [zones.east] })),
    ).toEqual({
      [`${zones.west}>${zones.east}`]: 6,
    });
    expect(pairs(await flows({ level: 'MUNICIPALITY', destinations: [zones.rotterdam] }))).toEqual({
      [`${zones.amsterdam}>${zones.rotterdam}`]: 4,
      [`${zones.rotterdam}>${zones.rotterdam}`]: 5,
    });
    const response = await stack.request<{
      zone: {
        name: string;
        topDestinations: { destination: { zone: { name: string } | null }; trips: number }[];
        topOrigins: { trips: number }[];
      };
    }>(
      `query ($id: ID!, $filter: OdFilter!) { zone(id: $id) { name
         topDestinations(filter: $filter) { destination { zone { name } } trips }
         topOrigins(filter: $filter, top: 1) { trips } } }`,
      { id: zones.west, filter: MARCH },
      callers.admin,
    );
    expect(response.errors).toBeUndefined();
    // Busiest first; the two flows of 4 trips tie, in the order of their ids.
    const top = response.data?.zone.topDestinations ?? [];
    expect(top[0]).toEqual({ destination: { zone: { name: 'East' } }, trips: 6 });
    expect(top.slice(1)).toEqual(
      expect.arrayContaining([
        { destination: { zone: { name: 'West' } }, trips: 4 },
        { destination: { zone: null }, trips: 4 },
      ]),
    );
    expect(top).toHaveLength(3);
    expect(response.data?.zone.topOrigins).toEqual([{ trips: 4 }]);
  });

  it('draws H3 cells as GeoJSON outlines', async () => {
    const response = await stack.request<{
      odFlows: {
        flows: { origin: { id: string; outline: { type: string; coordinates: number[][][] } } }[];
      };
    }>(
      `query ($filter: OdFilter!) { odFlows(filter: $filter, level: H3_8, top: 1) { flows { origin { id outline } } } }`,
      { filter: MARCH },
      callers.admin,
    );
    const origin = response.data?.odFlows.flows[0]?.origin;
    expect(origin?.outline.type).toBe('Polygon');
    expect(origin?.outline.coordinates[0]).toHaveLength(7);
  });

  it('shows a caller the flows of its municipalities, an operator its fleet, the public nothing', async () => {
    // Amsterdam->Amsterdam is Tuesday's 6 (fietsbv): Wednesday's 6 and scoot's 3 are not published.
    expect(pairs(await flows({ level: 'MUNICIPALITY' }, callers.rotterdam))).toEqual({
      [`${zones.amsterdam}>${zones.rotterdam}`]: 4,
      [`${zones.rotterdam}>${zones.rotterdam}`]: 5,
    });
    expect(pairs(await flows({ level: 'MUNICIPALITY' }, callers.amsterdam))).toEqual({
      [`${zones.amsterdam}>${zones.amsterdam}`]: 6,
      [`${zones.amsterdam}>${zones.rotterdam}`]: 4,
    });
    expect(pairs(await flows({ level: 'MUNICIPALITY' }, callers.operator))).toEqual({
      [`${zones.amsterdam}>${zones.amsterdam}`]: 6,
      [`${zones.rotterdam}>${zones.rotterdam}`]: 5,
    });
    const anonymous = await flows({ level: 'MUNICIPALITY' }, callers.anonymous);
    expect(anonymous).toMatchObject({ flows: [], trips: 0, tripsWithoutEnd: 0 });
  });

  it('names the argument of bad input', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ level: 'DISTRICT', filter: { from: '2026-03-10', to: '2026-03-09' } }, 'filter.to'],
      [{ level: 'DISTRICT', filter: { from: '2026-02-30', to: '2026-03-09' } }, 'filter.from'],
      [{ level: 'DISTRICT', filter: { from: '2025-01-01', to: '2026-03-09' } }, 'filter.to'],
      [{ level: 'DISTRICT', origins: [randomUUID()] }, 'origins[0]'],
      [{ level: 'MUNICIPALITY', destinations: [zones.west] }, 'destinations[0]'],
      [{ level: 'H3_7', origins: [cell('west')] }, 'origins[0]'],
      [{ level: 'DISTRICT', top: 1001 }, 'top'],
      [{ level: 'DISTRICT', top: 0 }, 'top'],
      [{ level: 'DISTRICT', filter: { ...MARCH, weekdays: [] } }, 'filter.weekdays'],
    ];
    for (const [variables, argumentName] of cases) {
      const response = await stack.request(FLOWS, { filter: MARCH, ...variables }, callers.admin);
      const extensions = response.errors?.[0]?.extensions;
      expect({ argumentName, code: extensions?.code, named: extensions?.argumentName }).toEqual({
        argumentName,
        code: 'BAD_USER_INPUT',
        named: argumentName,
      });
    }
    const level = await stack.request(FLOWS, { filter: MARCH, level: 'H3_9' }, callers.admin);
    expect(level.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(level.errors?.[0]?.message).toContain('$level');
  });

  it('refuses a minimum below 4 in the configuration, and takes a higher one', () => {
    expect(() => loadConfig({ OD_MIN_COUNT: '3' })).toThrow(/OD_MIN_COUNT/);
    expect(loadConfig({ OD_MIN_COUNT: '10' }).OD_MIN_COUNT).toBe(10);
    expect(loadConfig({}).OD_MIN_COUNT).toBe(4);
  });
});
