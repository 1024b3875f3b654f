import { PUBLIC_SCOPE } from '../../../lib/auth/scope';
import { seedIdentities } from '../../../seeds/identities';
import { errorCode, graphqlRequest, ok, type GraphQLResponse } from '../../../test/graphql';
import { cluster, DAM, moved, Street } from '../../../test/microhubs';
import { scopeHeaders } from '../../../test/scope';
import { startTestStack, type Caller, type TestStack } from '../../../test/stack';

/**
 * Hub administration and queries through the real gateway, as clients call them: JWTs, scopes
 * from the users subgraph, `Hub.zone` resolved by the zones subgraph, `Zone.hubs` by this one.
 */
let stack: TestStack;
let street: Street;
const as: Record<string, Caller> = {};

beforeAll(async () => {
  stack = await startTestStack({ subgraphs: ['zones', 'users', 'microhubs'] });
  await seedIdentities(stack.database.db, [
    {
      name: 'Admins',
      type: 'ADMIN',
      municipalityCodes: [],
      operatorIds: [],
      users: [{ email: 'admin@hubs.test', privileges: [] }],
    },
    {
      name: 'Amsterdam',
      type: 'MUNICIPALITY',
      municipalityCodes: ['GM0363'],
      operatorIds: [],
      users: [
        { email: 'editor@ams.test', privileges: ['MICROHUB_EDIT'] },
        { email: 'analyst@ams.test', privileges: [] },
      ],
    },
    {
      name: 'Rotterdam',
      type: 'MUNICIPALITY',
      municipalityCodes: ['GM0599'],
      operatorIds: [],
      users: [{ email: 'editor@rtm.test', privileges: ['MICROHUB_EDIT'] }],
    },
  ]);
  for (const [name, email] of Object.entries({
    admin: 'admin@hubs.test',
    editor: 'editor@ams.test',
    analyst: 'analyst@ams.test',
    rotterdam: 'editor@rtm.test',
  })) {
    as[name] = { token: await stack.tokenFor(email) };
  }
  as.anonymous = {};
  street = await new Street(stack.database.db).open();
});

afterAll(async () => {
  await stack?.stop();
});

const HUB_FIELDS = `id code name municipalityCode radiusMeters bufferMeters control openState
  vehicles placesAvailable location { lat lng }
  capacity { combined combinedFormFactors perFormFactor { formFactor places } total }
  status { formFactor vehicles vehiclesAvailable capacity placesAvailable open reason since }
  zone { id kind code name }`;

interface HubResult {
  id: string;
  code: string;
  name: string;
  openState: string | null;
  vehicles: number;
  placesAvailable: number;
  radiusMeters: number | null;
  location: { lat: number; lng: number };
  status: { formFactor: string | null; open: boolean; reason: string; vehicles: number }[];
  zone: { id: string; kind: string; code: string; name: string };
  capacity: { total: number; combined: number | null; combinedFormFactors: string[] | null };
}

const CREATE = `mutation ($input: CreateHubInput!) { createHub(input: $input) { ${HUB_FIELDS} } }`;

async function createHub(
  caller: Caller,
  input: Record<string, unknown>,
): Promise<GraphQLResponse<{ createHub: HubResult }>> {
  return stack.request<{ createHub: HubResult }>(CREATE, { input }, caller);
}

const point = (at: { lat: number; lng: number }, radiusMeters = 15) => ({ ...at, radiusMeters });

describe('hub administration', () => {
  it('creates a point hub in the municipality of its location, counted at once', async () => {
    const at = moved(DAM, -200, 0);
    await street.park(cluster('api-create', 3, at, 4));
    const { createHub: hub } = await ok(
      createHub(as.editor!, {
        name: 'Dam south',
        code: 'AMS-DAM-S',
        point: point(at),
        capacity: { combined: 3 },
      }),
    );
    expect(hub).toMatchObject({
      code: 'AMS-DAM-S',
      name: 'Dam south',
      municipalityCode: 'GM0363',
      radiusMeters: 15,
      bufferMeters: 30,
      control: 'AUTOMATIC',
      openState: 'CLOSED',
      vehicles: 3,
      placesAvailable: 0,
      capacity: { combined: 3, total: 3 },
      // Resolved by the zones subgraph: the hub's area is a zone of kind HUB.
      zone: { id: hub.id, kind: 'HUB', code: 'AMS-DAM-S', name: 'Dam south' },
    });
    expect(hub.capacity.combinedFormFactors).toHaveLength(7);
    expect(hub.status).toEqual([
      expect.objectContaining({ formFactor: null, vehicles: 3, open: false, reason: 'FULL' }),
    ]);

    const audit = await stack.database
      .db('audit_log')
      .where({ action: 'hub.create', target_id: hub.id })
      .first<{ actor_type: string; details: Record<string, unknown> }>();
    expect(audit).toMatchObject({ actor_type: 'USER', details: { code: 'AMS-DAM-S' } });
  });

  it('creates a polygon hub from GeoJSON', async () => {
    const [lng, lat] = [4.89, 52.366];
    const geometry = {
      type: 'Polygon',
      coordinates: [
        [
          [lng, lat],
          [lng + 0.0004, lat],
          [lng + 0.0004, lat + 0.0002],
          [lng, lat + 0.0002],
          [lng, lat],
        ],
      ],
    };
    const { createHub: hub } = await ok(
      createHub(as.editor!, {
        name: 'Rokin rack',
        geometry,
        bufferMeters: 10,
        capacity: { perFormFactor: [{ formFactor: 'BICYCLE', places: 20 }] },
      }),
    );
    expect(hub.code).toMatch(/^HUB-[0-9A-F]{8}$/);
    expect(hub).toMatchObject({
      radiusMeters: null,
      location: { lat: lat + 0.0001, lng: lng + 0.0002 },
      openState: 'OPEN',
      status: [expect.objectContaining({ formFactor: 'BICYCLE', open: true, vehicles: 0 })],
    });
  });

  it('refuses callers without MICROHUB_EDIT in the municipality', async () => {
    const input = {
      name: 'Not mine',
      point: point(moved(DAM, -600, 0)),
      capacity: { combined: 5 },
    };
    for (const caller of [as.analyst!, as.rotterdam!, as.anonymous!]) {
      const result = await createHub(caller, input);
      expect(errorCode(result)).toBe('FORBIDDEN');
    }
    const { createHub: hub } = await ok(createHub(as.admin!, input));
    const edit = await stack.request(
      `mutation ($id: ID!) { setHubControl(id: $id, control: MANUAL_OPEN) { id } }`,
      { id: hub.id },
      as.rotterdam,
    );
    expect(edit.errors?.[0]?.message).toBe(
      'forbidden: setHubControl needs MICROHUB_EDIT in GM0363; you may edit hubs in GM0599',
    );
    const unchanged = await stack.database
      .db('hubs')
      .where({ id: hub.id })
      .first<{ control: string }>('control');
    expect(unchanged).toEqual({ control: 'AUTOMATIC' });
  });

  it('rejects bad input, naming the argument', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'x', capacity: { combined: 1 } }, 'input: give the hub a geometry or a point'],
      [
        { name: 'x', point: point(DAM), capacity: { combined: 1, perFormFactor: [] } },
        'input.capacity: give exactly one of combined and perFormFactor',
      ],
      [
        { name: 'x', point: point(DAM, 900), capacity: { combined: 1 } },
        'input.point.radiusMeters: must be between 1 and 500 metres, got 900',
      ],
      [
        { name: 'x', point: point({ lat: 53.5, lng: 3.5 }), capacity: { combined: 1 } },
        "input.point: the hub's location (53.500000, 3.500000) lies in no municipality",
      ],
      [
        { name: 'x', point: point(DAM), capacity: { combined: 1 }, bufferMeters: 500 },
        'input.bufferMeters: must be between 0 and 200 metres, got 500',
      ],
      [
        {
          name: 'x',
          point: point(DAM),
          capacity: {
            perFormFactor: [
              { formFactor: 'MOPED', places: 1 },
              { formFactor: 'MOPED', places: 2 },
            ],
          },
        },
        'input.capacity.perFormFactor[1].formFactor: MOPED appears twice',
      ],
    ];
    for (const [input, message] of cases) {
      const result = await createHub(as.editor!, input);
      expect({ code: errorCode(result), message: result.errors?.[0]?.message }).toEqual({
        code: 'BAD_USER_INPUT',
        message,
      });
    }
  });

  it('overrides the controller at once, and hands the hub back to it', async () => {
    const at = moved(DAM, -800, 0);
    const { createHub: hub } = await ok(
      createHub(as.editor!, {
        name: 'Override',
        point: point(at),
        capacity: { combined: 4 },
      }),
    );
    const setControl = (control: string) =>
      stack.request<{ setHubControl: HubResult }>(
        `mutation ($id: ID!, $c: HubControl!) { setHubControl(id: $id, control: $c) { ${HUB_FIELDS} } }`,
        { id: hub.id, c: control },
        as.editor,
      );
    const closed = (await ok(setControl('MANUAL_CLOSED'))).setHubControl;
    expect(closed.status).toEqual([
      expect.objectContaining({ open: false, reason: 'MANUAL_CLOSED' }),
    ]);
    const open = (await ok(setControl('AUTOMATIC'))).setHubControl;
    expect(open.status).toEqual([
      expect.objectContaining({ open: true, reason: 'PLACES_AVAILABLE' }),
    ]);

    const history = await ok(
      stack.request<{
        hub: { history: { totalCount: number; edges: { node: Record<string, unknown> }[] } };
      }>(
        `query ($id: ID!) { hub(id: $id) { history(first: 2) { totalCount
            edges { node { open reason formFactor hub { id } } } } } }`,
        { id: hub.id },
        as.anonymous,
      ),
    );
    expect(history.hub.history.totalCount).toBe(3);
    expect(history.hub.history.edges.map((e) => e.node)).toEqual([
      { open: true, reason: 'PLACES_AVAILABLE', formFactor: null, hub: { id: hub.id } },
      { open: false, reason: 'MANUAL_CLOSED', formFactor: null, hub: { id: hub.id } },
    ]);
    const actions = await stack.database
      .db('audit_log')
      .where({ target_id: hub.id })
      .orderBy('id')
      .pluck('action');
    expect(actions).toEqual(['hub.create', 'hub.set_control', 'hub.set_control']);
  });

  it('replaces the capacity: per form factor, each with its own status', async () => {
    const at = moved(DAM, -1000, 0);
    await street.park([
      ...cluster('api-cap-bike', 2, at, 3, 'BICYCLE'),
      ...cluster('api-cap-moped', 1, moved(at, 2, 2), 0, 'MOPED'),
    ]);
    const { createHub: hub } = await ok(
      createHub(as.editor!, {
        name: 'Capacity',
        point: point(at),
        capacity: { combined: 10 },
      }),
    );
    expect(hub.vehicles).toBe(3);
    const { setHubCapacity } = await ok(
      stack.request<{ setHubCapacity: HubResult }>(
        `mutation ($id: ID!, $c: HubCapacityInput!) { setHubCapacity(id: $id, capacity: $c) { ${HUB_FIELDS} } }`,
        {
          id: hub.id,
          c: {
            perFormFactor: [
              { formFactor: 'BICYCLE', places: 5 },
              { formFactor: 'MOPED', places: 1 },
            ],
          },
        },
        as.editor,
      ),
    );
    expect(setHubCapacity.capacity).toMatchObject({ combined: null, total: 6 });
    expect(setHubCapacity.openState).toBe('PARTLY_OPEN');
    expect(setHubCapacity.status.map((s) => [s.formFactor, s.vehicles, s.open])).toEqual([
      ['BICYCLE', 2, true],
      ['MOPED', 1, false],
    ]);
    const removed = await stack.database
      .db('hub_status_history')
      .where({ hub_id: hub.id, form_factor: 'COMBINED', reason: 'REMOVED' })
      .count<{ n: string }[]>({ n: '*' });
    expect(Number(removed[0]?.n)).toBe(1);
  });
});

describe('hub queries', () => {
  it('filters hubs by municipality, state and form factor', async () => {
    const query = `query ($f: HubFilter) { hubs(filter: $f, first: 100) { totalCount
      edges { node { name municipalityCode openState } } } }`;
    type Page = {
      hubs: { totalCount: number; edges: { node: { name: string; openState: string } }[] };
    };
    const names = async (filter: Record<string, unknown>) =>
      (await ok(stack.request<Page>(query, { f: filter }, as.anonymous))).hubs.edges.map(
        (e) => e.node.name,
      );
    expect(await names({ municipalityCodes: ['GM0363'], state: 'CLOSED' })).toEqual(['Dam south']);
    expect(await names({ municipalityCodes: ['GM0363'], state: 'PARTLY_OPEN' })).toEqual([
      'Capacity',
    ]);
    expect(await names({ formFactor: 'MOPED', state: 'CLOSED' })).toEqual([
      'Capacity',
      'Dam south',
    ]);
    expect(await names({ formFactor: 'BICYCLE', state: 'OPEN' })).toEqual([
      'Capacity',
      'Not mine',
      'Override',
      'Rokin rack',
    ]);
    expect(await names({ municipalityCodes: ['GM0599'] })).toEqual([]);
    const bad = await stack.request(query, { f: { formFactor: 'MOPED', state: 'PARTLY_OPEN' } });
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
  });

  it('pages through hubs by name', async () => {
    const query = `query ($after: String) { hubs(first: 2, after: $after) {
      edges { node { name } } pageInfo { hasNextPage endCursor } } }`;
    type Page = {
      hubs: {
        edges: { node: { name: string } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    };
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Page = await ok(stack.request<Page>(query, { after }));
      seen.push(...page.hubs.edges.map((e) => e.node.name));
      if (!page.hubs.pageInfo.hasNextPage) break;
      after = page.hubs.pageInfo.endCursor;
    }
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(5);
  });

  it('lists the hubs of a zone: a municipality and the hub zone itself', async () => {
    const result = await ok(
      stack.request<{
        zones: { edges: { node: { code: string; hubs: { name: string }[] } }[] };
      }>(
        `{ zones(filter: { codes: ["GM0363", "GM0599"], kind: MUNICIPALITY }) {
             edges { node { code hubs { name } } } } }`,
      ),
    );
    const byCode = Object.fromEntries(
      result.zones.edges.map((e) => [e.node.code, e.node.hubs.map((h) => h.name)]),
    );
    expect(byCode.GM0363).toEqual(['Capacity', 'Dam south', 'Not mine', 'Override', 'Rokin rack']);
    expect(byCode.GM0599).toEqual([]);

    // zoneAt answers from the zones subgraph's index, rebuilt on the hubs' `zones.changed` events.
    const zoneAt = () =>
      stack.request<{ zoneAt: { kind: string; hubs: { name: string }[] } | null }>(
        `query ($lat: Float!, $lng: Float!) { zoneAt(lat: $lat, lng: $lng, kind: HUB) { kind hubs { name } } }`,
        moved(DAM, -200, 0),
      );
    let found = (await ok(zoneAt())).zoneAt;
    for (let i = 0; i < 50 && !found; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      found = (await ok(zoneAt())).zoneAt;
    }
    expect(found).toEqual({ kind: 'HUB', hubs: [{ name: 'Dam south' }] });
  });

  it('hides a hub before its effective date and after its retire date from the public', async () => {
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const { createHub: planned } = await ok(
      createHub(as.editor!, {
        name: 'Planned',
        point: point(moved(DAM, -1200, 0)),
        capacity: { combined: 5 },
        effectiveFrom: future,
      }),
    );
    expect(planned.status).toEqual([
      expect.objectContaining({ open: false, reason: 'NOT_YET_EFFECTIVE' }),
    ]);
    const see = async (caller: Caller, id: string) =>
      (
        await ok(
          stack.request<{ hub: { name: string } | null }>(
            `query ($id: ID!) { hub(id: $id) { name } }`,
            { id },
            caller,
          ),
        )
      ).hub;
    expect(await see(as.anonymous!, planned.id)).toBeNull();
    expect(await see(as.rotterdam!, planned.id)).toBeNull();
    expect(await see(as.analyst!, planned.id)).toEqual({ name: 'Planned' });

    const { createHub: old } = await ok(
      createHub(as.editor!, {
        name: 'Old',
        point: point(moved(DAM, -1400, 0)),
        capacity: { combined: 5 },
        effectiveFrom: new Date(Date.now() - 86_400_000).toISOString(),
      }),
    );
    const retired = await stack.request<{ updateHub: { retireAt: string } }>(
      `mutation ($id: ID!, $at: DateTime) { updateHub(id: $id, input: { retireAt: $at }) { retireAt status { open } } }`,
      { id: old.id, at: new Date(Date.now() - 1000).toISOString() },
      as.editor,
    );
    expect((await ok(retired)).updateHub).toMatchObject({ status: [] });
    expect(await see(as.anonymous!, old.id)).toBeNull();
    expect(await see(as.analyst!, old.id)).toEqual({ name: 'Old' });
    const listed = (
      await ok(
        stack.request<{ hubs: { edges: { node: { name: string } }[] } }>(
          `query ($f: HubFilter) { hubs(filter: $f, first: 100) { edges { node { name } } } }`,
          { f: { municipalityCodes: ['GM0363'] } },
          as.analyst,
        ),
      )
    ).hubs.edges.map((e) => e.node.name);
    expect(listed).toContain('Planned');
    expect(listed).not.toContain('Old');
    const history = await stack.database
      .db('hub_status_history')
      .where({ hub_id: old.id })
      .orderBy('id')
      .pluck('reason');
    expect(history).toEqual(['PLACES_AVAILABLE', 'RETIRED']);
  });

  it('resolves Hub entities by id on the subgraph (_entities)', async () => {
    const { hubs } = await ok(
      stack.request<{ hubs: { edges: { node: { id: string; name: string } }[] } }>(
        `{ hubs(first: 1) { edges { node { id name } } } }`,
      ),
    );
    const first = hubs.edges[0]!.node;
    const result = await graphqlRequest<{ _entities: ({ id: string; name: string } | null)[] }>(
      stack.subgraphUrls.microhubs!,
      `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Hub { id name } } }`,
      {
        reps: [
          { __typename: 'Hub', id: first.id },
          { __typename: 'Hub', id: '00000000-0000-4000-8000-000000000000' },
          { __typename: 'Hub', id: 'not-a-uuid' },
        ],
      },
      scopeHeaders(PUBLIC_SCOPE),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([{ id: first.id, name: first.name }, null, null]);
  });
});
