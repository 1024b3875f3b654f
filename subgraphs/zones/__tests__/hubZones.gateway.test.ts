import { DEMO_ORGANISATIONS, seedIdentities } from '../../../seeds/identities';
import { startTestStack, type TestStack } from '../../../test/stack';

/**
 * A hub's zone (kind HUB) is seen exactly when the hub is: by everyone while it is in effect;
 * before its effectiveFrom and after its retireAt only by its municipality and its creator.
 */
let stack: TestStack;
let amsterdam: string;
let rotterdam: string;
const hubs: Record<'current' | 'future' | 'retired', string> = {
  current: '',
  future: '',
  retired: '',
};
const DAY = 24 * 3600 * 1000;
const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

beforeAll(async () => {
  stack = await startTestStack({ subgraphs: ['zones', 'users', 'microhubs'] });
  await seedIdentities(stack.database.db, DEMO_ORGANISATIONS);
  amsterdam = await stack.tokenFor('amsterdam@example.org');
  rotterdam = await stack.tokenFor('rotterdam@example.org');
  const create = async (name: string, lng: number, dates: Record<string, string>) => {
    const response = await stack.request<{ createHub: { id: string } }>(
      'mutation ($input: CreateHubInput!) { createHub(input: $input) { id } }',
      {
        input: {
          name,
          point: { lat: 52.3731, lng, radiusMeters: 15 },
          capacity: { combined: 5 },
          ...dates,
        },
      },
      { token: amsterdam },
    );
    expect(response.errors).toBeUndefined();
    return response.data!.createHub.id;
  };
  hubs.current = await create('Zonehub current', 4.8932, {});
  hubs.future = await create('Zonehub future', 4.8952, { effectiveFrom: at(DAY) });
  hubs.retired = await create('Zonehub retired', 4.8972, {
    effectiveFrom: at(-2 * DAY),
    retireAt: at(-DAY),
  });
});

afterAll(async () => {
  await stack?.stop();
});

const ZONES = `{
  zones(filter: { kind: HUB, nameContains: "Zonehub" }) { totalCount edges { node { id name } } }
}`;

async function visibleHubZones(token?: string): Promise<string[]> {
  const response = await stack.request<{ zones: { edges: { node: { name: string } }[] } }>(
    ZONES,
    {},
    token ? { token } : undefined,
  );
  expect(response.errors).toBeUndefined();
  return response.data!.zones.edges.map((e) => e.node.name).sort();
}

/** The zone, or null when refused as an id no zone has (what a hidden zone looks like). */
async function zoneById(id: string, token?: string) {
  const response = await stack.request<{ zone: { name: string; geometry: unknown } | null }>(
    'query ($id: ID!) { zone(id: $id) { name geometry } }',
    { id },
    token ? { token } : undefined,
  );
  if (response.errors) {
    expect(response.errors).toHaveLength(1);
    expect(response.errors?.[0]?.message).toBe(`id: no zone with id ${id}`);
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentName: 'id',
    });
    return null;
  }
  return response.data!.zone;
}

async function hubZoneAt(lng: number, token?: string) {
  const response = await stack.request<{ zoneAt: { name: string } | null }>(
    'query ($lng: Float!) { zoneAt(lat: 52.3731, lng: $lng, kind: HUB) { name } }',
    { lng },
    token ? { token } : undefined,
  );
  expect(response.errors).toBeUndefined();
  return response.data!.zoneAt?.name ?? null;
}

describe('HUB zones follow their hub', () => {
  it('lists only hubs in effect for anonymous callers and other municipalities', async () => {
    expect(await visibleHubZones()).toEqual(['Zonehub current']);
    expect(await visibleHubZones(rotterdam)).toEqual(['Zonehub current']);
    expect(await visibleHubZones(amsterdam)).toEqual([
      'Zonehub current',
      'Zonehub future',
      'Zonehub retired',
    ]);
  });

  it('hides the outline of a hidden hub by id', async () => {
    expect(await zoneById(hubs.future)).toBeNull();
    expect(await zoneById(hubs.retired, rotterdam)).toBeNull();
    expect(await zoneById(hubs.current)).toMatchObject({ name: 'Zonehub current' });
    expect(await zoneById(hubs.future, amsterdam)).toMatchObject({ name: 'Zonehub future' });
  });

  it('does not find a hidden hub by position', async () => {
    expect(await hubZoneAt(4.8932)).toBe('Zonehub current');
    expect(await hubZoneAt(4.8952)).toBeNull();
    expect(await hubZoneAt(4.8972)).toBeNull();
    expect(await hubZoneAt(4.8952, amsterdam)).toBe('Zonehub future');
  });

  it('agrees with hub(id) for every caller', async () => {
    for (const token of [undefined, rotterdam, amsterdam]) {
      for (const id of Object.values(hubs)) {
        const hub = await stack.request<{ hub: { id: string } | null }>(
          'query ($id: ID!) { hub(id: $id) { id } }',
          { id },
          token ? { token } : undefined,
        );
        expect(hub.data?.hub === null).toBe((await zoneById(id, token)) === null);
      }
    }
  });
});

describe('a point inside a hub', () => {
  it('is still in Amsterdam for zoneAt without a kind, for everyone', async () => {
    for (const token of [undefined, amsterdam]) {
      const response = await stack.request<{ zoneAt: { code: string; kind: string } }>(
        '{ zoneAt(lat: 52.3731, lng: 4.8932) { code kind } }',
        {},
        token ? { token } : undefined,
      );
      expect(response.errors).toBeUndefined();
      expect(response.data?.zoneAt).toEqual({ code: 'GM0363', kind: 'MUNICIPALITY' });
    }
  });

  it('gives the hub its own zone and its municipality', async () => {
    const response = await stack.request<{ hub: unknown }>(
      'query ($id: ID!) { hub(id: $id) { zone { name kind } municipality { code name kind } } }',
      { id: hubs.current },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.hub).toEqual({
      zone: { name: 'Zonehub current', kind: 'HUB' },
      municipality: { code: 'GM0363', name: 'Amsterdam', kind: 'MUNICIPALITY' },
    });
  });
});
