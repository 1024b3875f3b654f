import { PUBLIC_SCOPE } from '../../../lib/auth/scope';
import { loadConfig } from '../../../lib/config';
import { InProcessPubSub } from '../../../lib/pubsub';
import type { SubgraphServer } from '../../../lib/subgraphServer';
import { createGateway } from '../../../gateway/server';
import { seed } from '../../../seeds';
import { readMunicipalities } from '../../../seeds/municipalities';
import { createTestDatabase, silentLogger, type TestDatabase } from '../../../test/db';
import { testGatewayOptions } from '../../../test/gateway';
import { graphqlRequest } from '../../../test/graphql';
import { scopeHeaders, TEST_SCOPE_SECRET } from '../../../test/scope';
import { createZonesSubgraph } from '../server';

interface ZoneFields {
  id: string;
  code: string;
  name: string;
  kind: string;
}
interface ZonesPage {
  zones: {
    totalCount: number;
    edges: { cursor: string; node: ZoneFields }[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
  };
}

const DAM_SQUARE = { lat: 52.3731, lng: 4.8932 };
const NORTH_SEA = { lat: 52.6, lng: 3.9 };
const ZONE_FIELDS = 'id code name kind';

let database: TestDatabase;
let pubsub: InProcessPubSub;
let subgraph: SubgraphServer;
let gateway: ReturnType<typeof createGateway>;
let gatewayUrl: string;
let subgraphUrl: string;

beforeAll(async () => {
  database = await createTestDatabase();
  pubsub = new InProcessPubSub();
  await seed(database.db, pubsub, silentLogger, { demo: false });
  const config = loadConfig({ NODE_ENV: 'test' });
  subgraph = createZonesSubgraph({
    config,
    logger: silentLogger,
    db: database.db,
    pubsub,
    scopeSecret: TEST_SCOPE_SECRET,
  });
  subgraphUrl = (await subgraph.start(0, '127.0.0.1')).url;
  gateway = createGateway(
    testGatewayOptions({
      supergraphPath: config.SUPERGRAPH_PATH,
      subgraphUrls: { zones: subgraphUrl },
      maskInternalErrors: true,
    }),
  );

  gatewayUrl = (await gateway.start(0, '127.0.0.1')).url;
});

afterAll(async () => {
  await gateway?.stop();
  await subgraph?.stop();
  await pubsub?.close();
  await database?.drop();
});

const query = <T>(text: string, variables: Record<string, unknown> = {}) =>
  graphqlRequest<T>(gatewayUrl, text, variables);

describe('zones through the gateway', () => {
  it('finds Amsterdam at Dam square', async () => {
    const result = await query<{ zoneAt: ZoneFields & { areaKm2: number } }>(
      `query ($lat: Float!, $lng: Float!) { zoneAt(lat: $lat, lng: $lng) { ${ZONE_FIELDS} areaKm2 bbox { minLng maxLng } } }`,
      DAM_SQUARE,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.zoneAt).toMatchObject({
      code: 'GM0363',
      name: 'Amsterdam',
      kind: 'MUNICIPALITY',
    });
    // Amsterdam is about 219 km² including water; the simplified outline lands close to that.
    expect(result.data?.zoneAt.areaKm2).toBeGreaterThan(180);
    expect(result.data?.zoneAt.areaKm2).toBeLessThan(260);
  });

  it('answers null for a point in the North Sea', async () => {
    const result = await query(
      `query ($lat: Float!, $lng: Float!) { zoneAt(lat: $lat, lng: $lng) { id } }`,
      NORTH_SEA,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ zoneAt: null });
  });

  it('filters zoneAt by kind', async () => {
    const result = await query(`{ zoneAt(lat: 52.3731, lng: 4.8932, kind: CUSTOM) { id } }`);
    expect(result.data).toEqual({ zoneAt: null });
  });

  it('walks every municipality page by page without duplicates', async () => {
    const expected = readMunicipalities().length;
    expect(expected).toBe(342);
    const seen = new Set<string>();
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page: Awaited<ReturnType<typeof query<ZonesPage>>> = await query<ZonesPage>(
        `query ($after: String) { zones(filter: { kind: MUNICIPALITY }, first: 50, after: $after) {
            totalCount edges { cursor node { ${ZONE_FIELDS} } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`,
        { after },
      );
      expect(page.errors).toBeUndefined();
      const zones: ZonesPage['zones'] = page.data!.zones;
      expect(zones.totalCount).toBe(expected);
      expect(zones.pageInfo.hasPreviousPage).toBe(after !== null);
      for (const edge of zones.edges) {
        expect(seen.has(edge.node.code)).toBe(false);
        seen.add(edge.node.code);
      }
      pages += 1;
      if (!zones.pageInfo.hasNextPage) break;
      after = zones.pageInfo.endCursor;
    }
    expect(seen.size).toBe(expected);
    expect(pages).toBe(Math.ceil(expected / 50));
  });

  it('filters by codes, name and bounding box', async () => {
    const byCode = await query<ZonesPage>(
      `{ zones(filter: { codes: ["GM0363", "GM0599"] }) { totalCount edges { node { name } } } }`,
    );
    expect(byCode.data?.zones.edges.map((e) => e.node.name)).toEqual(['Amsterdam', 'Rotterdam']);

    // Every zone of two municipalities, checked against the table.
    const byMunicipality = await query<ZonesPage>(
      `{ zones(filter: { municipalityCodes: ["GM0363", "GM0599"] }, first: 500) { totalCount edges { node { name } } } }`,
    );
    expect(byMunicipality.errors).toBeUndefined();
    const inTable = await database
      .db('zones')
      .whereIn('municipality_code', ['GM0363', 'GM0599'])
      .whereNull('retired_at')
      .orderBy('name')
      .pluck<string[]>('name');
    expect(byMunicipality.data?.zones.edges.map((e) => e.node.name).sort()).toEqual(
      [...inTable].sort(),
    );
    expect(inTable).toEqual(expect.arrayContaining(['Amsterdam', 'Rotterdam']));

    const byName = await query<ZonesPage>(
      `{ zones(filter: { nameContains: "dam" }) { edges { node { name } } } }`,
    );
    const names = byName.data!.zones.edges.map((e) => e.node.name);
    expect(names).toEqual(
      expect.arrayContaining(['Amsterdam', 'Rotterdam', 'Zaanstad'].slice(0, 2)),
    );
    expect(names.every((n) => n.toLowerCase().includes('dam'))).toBe(true);

    const wildcard = await query<ZonesPage>(
      `{ zones(filter: { nameContains: "%" }) { totalCount } }`,
    );
    expect(wildcard.data?.zones.totalCount).toBe(0);

    // A small box around Dam square intersects Amsterdam's bbox and its neighbours', not Groningen's.
    const byBox = await query<ZonesPage>(
      `{ zones(filter: { bbox: { minLng: 4.89, minLat: 52.37, maxLng: 4.90, maxLat: 52.38 } }, first: 500) {
          edges { node { code } } } }`,
    );
    expect(byBox.errors).toBeUndefined();
    const codes = byBox.data!.zones.edges.map((e) => e.node.code);
    expect(codes).toContain('GM0363');
    expect(codes).not.toContain('GM0014');
  });

  it('resolves Zone entities by id', async () => {
    const amsterdam = await query<{ zoneAt: ZoneFields }>(
      `{ zoneAt(lat: 52.3731, lng: 4.8932) { id } }`,
    );
    const id = amsterdam.data!.zoneAt.id;
    const direct = await graphqlRequest<{ _entities: (ZoneFields | null)[] }>(
      subgraphUrl,
      `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Zone { ${ZONE_FIELDS} } } }`,
      {
        reps: [
          { __typename: 'Zone', id },
          { __typename: 'Zone', id: '00000000-0000-4000-8000-000000000000' },
        ],
      },
      scopeHeaders(PUBLIC_SCOPE),
    );
    expect(direct.errors).toBeUndefined();
    expect(direct.data?._entities).toEqual([
      { id, code: 'GM0363', name: 'Amsterdam', kind: 'MUNICIPALITY' },
      null,
    ]);

    const byId = await query<{ zone: ZoneFields }>(`query ($id: ID!) { zone(id: $id) { code } }`, {
      id,
    });
    expect(byId.data?.zone).toEqual({ code: 'GM0363' });
  });
});

describe('bad input', () => {
  const expectBadInput = (
    result: Awaited<ReturnType<typeof query>>,
    argumentName: string,
  ): void => {
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName });
    expect(result.errors?.[0]?.message).toContain(argumentName);
  };

  it('rejects latitude and longitude out of range, naming the argument', async () => {
    expectBadInput(await query(`{ zoneAt(lat: 91, lng: 4.9) { id } }`), 'lat');
    expectBadInput(await query(`{ zoneAt(lat: 52, lng: -180.5) { id } }`), 'lng');
  });

  it('rejects a malformed municipality code in the filter', async () => {
    expectBadInput(
      await query(`{ zones(filter: { municipalityCodes: ["0363"] }) { totalCount } }`),
      'filter.municipalityCodes',
    );
  });

  it('rejects a malformed id', async () => {
    expectBadInput(await query(`{ zone(id: "GM0363") { id } }`), 'id');
  });

  it('rejects an id no zone has, naming the argument', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const result = await query<{ zone: unknown }>(`query ($id: ID!) { zone(id: $id) { id } }`, {
      id,
    });
    expectBadInput(result, 'id');
    expect(result.errors?.[0]?.message).toBe(`id: no zone with id ${id}`);
    expect(result.data?.zone ?? null).toBeNull();
  });

  it('rejects bad filters, page sizes and cursors', async () => {
    expectBadInput(
      await query(
        `{ zones(filter: { bbox: { minLng: 5, minLat: 52, maxLng: 4, maxLat: 53 } }) { totalCount } }`,
      ),
      'filter.bbox',
    );
    expectBadInput(
      await query(
        `{ zones(filter: { bbox: { minLng: 4, minLat: -91, maxLng: 5, maxLat: 53 } }) { totalCount } }`,
      ),
      'filter.bbox.minLat',
    );
    expectBadInput(await query(`{ zones(first: 0) { totalCount } }`), 'first');
    expectBadInput(await query(`{ zones(first: 501) { totalCount } }`), 'first');
    expectBadInput(await query(`{ zones(after: "not-a-cursor") { totalCount } }`), 'after');
  });

  it('rejects an unknown kind before any resolver runs', async () => {
    const result = await query(`{ zones(filter: { kind: PROVINCE }) { totalCount } }`);
    expect(result.errors?.[0]?.message).toMatch(/PROVINCE/);
  });
});
