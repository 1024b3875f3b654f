import { seedIdentities } from '../../../seeds/identities';
import { errorCode, ok, type GraphQLResponse } from '../../../test/graphql';
import { DAM, moved } from '../../../test/microhubs';
import { startTestStack, type Caller, type TestStack } from '../../../test/stack';

/**
 * What a hub's geometry may be, through the real gateway (issue 12, item 7): every shape that once
 * went through unchecked (a bow tie, no area, 30 000 positions, 2 000 holes, 5 000 polygons, 40 %
 * in the neighbouring municipality) is BAD_USER_INPUT naming the argument, the ring or polygon and
 * the limit, and nothing is stored.
 */
let stack: TestStack;
const as: Record<string, Caller> = {};

beforeAll(async () => {
  stack = await startTestStack({ subgraphs: ['zones', 'users', 'microhubs'] });
  await seedIdentities(stack.database.db, [
    {
      name: 'Admins',
      type: 'ADMIN',
      municipalityCodes: [],
      operatorIds: [],
      users: [{ email: 'admin@shapes.test', privileges: [] }],
    },
    {
      name: 'Amsterdam',
      type: 'MUNICIPALITY',
      municipalityCodes: ['GM0363'],
      operatorIds: [],
      users: [{ email: 'editor@shapes.test', privileges: ['MICROHUB_EDIT'] }],
    },
  ]);
  as.admin = { token: await stack.tokenFor('admin@shapes.test') };
  as.editor = { token: await stack.tokenFor('editor@shapes.test') };
});

afterAll(async () => {
  await stack?.stop();
});

type Position = [number, number];

/** Seven decimals (about 1 cm), as a client would send them. */
const round = (value: number) => Math.round(value * 1e7) / 1e7;
const at = (from: { lat: number; lng: number }, north: number, east: number): Position => {
  const p = moved(from, north, east);
  return [round(p.lng), round(p.lat)];
};

/** A closed ring of `sides` positions (plus the closing one) on a circle, counter-clockwise. */
function circle(centre: { lat: number; lng: number }, radiusMeters: number, sides: number) {
  const ring: Position[] = [];
  for (let i = 0; i < sides; i += 1) {
    const angle = (2 * Math.PI * i) / sides;
    ring.push(at(centre, radiusMeters * Math.sin(angle), radiusMeters * Math.cos(angle)));
  }
  ring.push(ring[0]!);
  return ring;
}

/** A closed square ring with its south-west corner `north`/`east` metres from `from`. */
function square(
  from: { lat: number; lng: number },
  north: number,
  east: number,
  sideMeters: number,
): Position[] {
  return [
    at(from, north, east),
    at(from, north, east + sideMeters),
    at(from, north + sideMeters, east + sideMeters),
    at(from, north + sideMeters, east),
    at(from, north, east),
  ];
}

const CREATE = `mutation ($input: CreateHubInput!) {
  createHub(input: $input) { id municipalityCode } }`;

function createHub(
  caller: Caller,
  geometry: unknown,
): Promise<GraphQLResponse<{ createHub: { id: string; municipalityCode: string } }>> {
  return stack.request(
    CREATE,
    { input: { name: 'Shape', geometry, capacity: { combined: 5 } } },
    caller,
  );
}

async function hubCount(): Promise<number> {
  const [row] = await stack.database.db('hubs').count<{ n: string }[]>({ n: '*' });
  return Number(row?.n);
}

async function expectRefused(geometry: unknown, message: string): Promise<void> {
  const before = await hubCount();
  const result = await createHub(as.editor!, geometry);
  expect({ code: errorCode(result), message: result.errors?.[0]?.message }).toEqual({
    code: 'BAD_USER_INPUT',
    message,
  });
  expect(result.errors?.[0]?.extensions?.argumentName).toBe(message.split(':')[0]);
  expect(await hubCount()).toBe(before);
}

/**
 * On the border of Amsterdam (north) and Amstelveen (south): the generalised CBS outlines share
 * a straight edge along latitude 52.322 from longitude 4.856 to 4.896.
 */
const BORDER_LAT = 52.322;
/** A rectangle across that border, `southMeters` of its 100 m in Amstelveen. */
function acrossBorder(southMeters: number): { type: 'Polygon'; coordinates: Position[][] } {
  const corner = moved({ lat: BORDER_LAT, lng: 4.874 }, -southMeters, 0);
  return { type: 'Polygon', coordinates: [square(corner, 0, 0, 100)] };
}

describe('hub geometry', () => {
  const nearDam = moved(DAM, -1500, 300);

  it('refuses a self-intersecting ring (a bow tie), naming the ring and the edges', async () => {
    const [a, b, c, d] = [
      at(nearDam, 0, 0),
      at(nearDam, 50, 50),
      at(nearDam, 0, 50),
      at(nearDam, 50, 0),
    ];
    await expectRefused(
      { type: 'Polygon', coordinates: [[a, b, c, d, a]] },
      'input.geometry.coordinates[0]: self-intersecting ring: edges 0 and 2 cross or touch',
    );
  });

  it('refuses a polygon without area', async () => {
    const p = at(nearDam, 0, 0);
    await expectRefused(
      { type: 'Polygon', coordinates: [[p, p, p, p]] },
      'input.geometry.coordinates[0]: empty polygon: no area (under 1 m²)',
    );
    const line = [at(nearDam, 0, 0), at(nearDam, 0, 10), at(nearDam, 0, 20), at(nearDam, 0, 0)];
    await expectRefused(
      { type: 'MultiPolygon', coordinates: [[square(nearDam, 0, 0, 20)], [line]] },
      'input.geometry.coordinates[1][0]: self-intersecting ring: edges 0 and 2 cross or touch',
    );
  });

  it('refuses a ring of 30 000 positions: at most 1 000 in all', async () => {
    await expectRefused(
      { type: 'Polygon', coordinates: [circle(nearDam, 200, 30_000)] },
      'input.geometry.coordinates[0]: at most 1000 positions in all rings together (MICROHUB_MAX_VERTICES), got 30001; this ring goes over the limit',
    );
  });

  it('refuses 2 000 holes: at most 20 per polygon', async () => {
    const holes = Array.from({ length: 2000 }, (_v, i) =>
      square(nearDam, 10 + Math.floor(i / 50) * 8, 10 + (i % 50) * 8, 4).reverse(),
    );
    await expectRefused(
      { type: 'Polygon', coordinates: [square(nearDam, 0, 0, 420), ...holes] },
      'input.geometry.coordinates: at most 20 holes per polygon (MICROHUB_MAX_HOLES), got 2000',
    );
  });

  it('refuses a MultiPolygon of 5 000 polygons: at most 20', async () => {
    const parts = Array.from({ length: 5000 }, (_v, i) => [
      square(nearDam, Math.floor(i / 100) * 8, (i % 100) * 8, 4),
    ]);
    await expectRefused(
      { type: 'MultiPolygon', coordinates: parts },
      'input.geometry.coordinates: at most 20 polygons (MICROHUB_MAX_PARTS), got 5000',
    );
  });

  it('refuses holes outside their polygon or crossing its outline', async () => {
    await expectRefused(
      {
        type: 'Polygon',
        coordinates: [square(nearDam, 0, 0, 50), square(nearDam, 100, 100, 10).reverse()],
      },
      'input.geometry.coordinates[1]: a hole must lie inside the outer ring (ring 0)',
    );
    await expectRefused(
      {
        type: 'Polygon',
        coordinates: [square(nearDam, 0, 0, 50), square(nearDam, 40, 40, 20).reverse()],
      },
      'input.geometry.coordinates[1]: the ring crosses ring 0: its edge 0 crosses edge 2 there',
    );
  });

  it('refuses a hub 40 % in the neighbouring municipality, for an administrator too', async () => {
    for (const caller of [as.editor!, as.admin!]) {
      const result = await createHub(caller, acrossBorder(40));
      expect({ code: errorCode(result), message: result.errors?.[0]?.message }).toEqual({
        code: 'BAD_USER_INPUT',
        message:
          'input.geometry: a hub lies at least 95 % in one municipality (MICROHUB_MIN_SHARE_IN_MUNICIPALITY_PERCENT); this one lies 60 % in GM0363, 40 % in GM0362',
      });
    }
    // Mostly in Amstelveen: its municipality is Amstelveen, which Amsterdam's editor may not edit.
    const theirs = await createHub(as.editor!, acrossBorder(97));
    expect(errorCode(theirs)).toBe('FORBIDDEN');
  });

  it('accepts valid shapes within the limits: holes, parts, a few % over the border', async () => {
    const { createHub: edge } = await ok(createHub(as.editor!, acrossBorder(3)));
    expect(edge.municipalityCode).toBe('GM0363');
    const { createHub: parts } = await ok(
      createHub(as.editor!, {
        type: 'MultiPolygon',
        coordinates: [
          [square(nearDam, 0, 0, 60), square(nearDam, 20, 20, 20).reverse()],
          [square(nearDam, 0, 100, 30)],
        ],
      }),
    );
    expect(parts.municipalityCode).toBe('GM0363');
    const { createHub: round1000 } = await ok(
      createHub(as.editor!, { type: 'Polygon', coordinates: [circle(nearDam, 200, 999)] }),
    );
    expect(round1000.municipalityCode).toBe('GM0363');
  });

  it('checks a changed geometry the same way, and keeps the stored one', async () => {
    const { createHub: hub } = await ok(
      createHub(as.editor!, { type: 'Polygon', coordinates: [square(nearDam, 200, 0, 40)] }),
    );
    // A hub's area is its zone's geometry.
    const geometryOf = () =>
      stack.database
        .db('zones')
        .where({ id: hub.id })
        .first<{ geometry: unknown } | undefined>('geometry');
    const stored = await geometryOf();
    const result = await stack.request(
      `mutation ($id: ID!, $input: UpdateHubInput!) { updateHub(id: $id, input: $input) { id } }`,
      { id: hub.id, input: { geometry: acrossBorder(40) } },
      as.editor,
    );
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toMatch(/^input\.geometry: a hub lies at least 95 %/);
    expect(stored).toBeDefined();
    expect(await geometryOf()).toEqual(stored);
  });
});
