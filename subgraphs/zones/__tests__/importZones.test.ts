import { seedIdentities } from '../../../seeds/identities';
import { SERIES_ORGANISATIONS } from '../../../test/identities';
import { startTestStack, type Caller, type TestStack } from '../../../test/stack';

/** importZones through the gateway: who may import where, what a refusal says, the audit. */
let stack: TestStack;
const callers: Record<string, Caller> = {};

const square = (lng: number, lat: number, size = 0.01) => ({
  type: 'Polygon',
  coordinates: [
    [
      [lng, lat],
      [lng + size, lat],
      [lng + size, lat + size],
      [lng, lat + size],
      [lng, lat],
    ],
  ],
});

const file = (...features: [string, unknown][]) =>
  JSON.stringify({
    type: 'FeatureCollection',
    features: features.map(([code, geometry]) => ({
      type: 'Feature',
      properties: { wijkcode: code, naam: `Wijk ${code}` },
      geometry,
    })),
  });

const IMPORT = `mutation ($input: ZoneImportInput!) {
  importZones(input: $input) { inserted updated unchanged retired municipalityCodes }
}`;

beforeAll(async () => {
  stack = await startTestStack();
  await seedIdentities(stack.database.db, SERIES_ORGANISATIONS);
  for (const email of ['admin@t.nl', 'ams-admin@t.nl', 'ams@t.nl', 'bikes@t.nl']) {
    callers[email] = { token: await stack.tokenFor(email) };
  }
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe('importZones', () => {
  const amsterdam = file(['WK036390', square(4.89, 52.37)], ['WK036391', square(4.9, 52.37)]);
  const input = (geojson: string) => ({
    kind: 'DISTRICT',
    geojson,
    codeProperty: 'wijkcode',
    nameProperty: 'naam',
  });

  it('lets an ORGANISATION_ADMIN of Amsterdam import Amsterdam districts, audited', async () => {
    const result = await stack.request(
      IMPORT,
      { input: input(amsterdam) },
      callers['ams-admin@t.nl'],
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      importZones: {
        inserted: 2,
        updated: 0,
        unchanged: 0,
        retired: 0,
        municipalityCodes: ['GM0363'],
      },
    });
    const listed = await stack.request<{ zones: { edges: { node: { name: string } }[] } }>(
      `{ zones(filter: { kind: DISTRICT }) { edges { node { name } } } }`,
    );
    expect(listed.data?.zones.edges.map((e) => e.node.name)).toEqual([
      'Wijk WK036390',
      'Wijk WK036391',
    ]);
    const audit = await stack.database
      .db('audit_log')
      .where({ action: 'zones.import' })
      .first<Record<string, unknown>>();
    expect(audit).toMatchObject({ target_type: 'Zone', actor_type: 'USER' });
  });

  it('is FORBIDDEN outside the own municipalities and without the privilege; nothing changes', async () => {
    const before = await stack.database
      .db('zones')
      .count({ n: '*' })
      .first<Record<string, unknown>>();
    const rotterdam = file(['WK059901', square(4.47, 51.915)]);
    const cases: [Caller | undefined, string][] = [
      [callers['ams-admin@t.nl'], rotterdam],
      [callers['ams@t.nl'], amsterdam],
      [callers['bikes@t.nl'], amsterdam],
      [undefined, amsterdam],
    ];
    for (const [caller, geojson] of cases) {
      const result = await stack.request(IMPORT, { input: input(geojson) }, caller);
      expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect(
      await stack.database.db('zones').count({ n: '*' }).first<Record<string, unknown>>(),
    ).toEqual(before);
  });

  it('refuses a bad file with BAD_USER_INPUT listing each feature and reason', async () => {
    const result = await stack.request(
      IMPORT,
      {
        input: input(
          file(
            ['WK036392', square(4.91, 52.37)],
            ['WK0363', square(4.92, 52.37)],
            ['WK036394', square(52.37, 4.93)],
          ),
        ),
      },
      callers['admin@t.nl'],
    );
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentName: 'input.geojson',
      problems: [
        {
          feature: 1,
          reason:
            'unknown code "WK0363" in properties.wijkcode: a DISTRICT code looks like WK036300',
        },
      ],
    });
    const swapped = await stack.request(
      IMPORT,
      { input: input(file(['WK036394', square(52.37, 4.93)])) },
      callers['admin@t.nl'],
    );
    expect(swapped.errors?.[0]?.message).toContain('features[0]: wrong coordinate order');
    expect(
      await stack.database.db('zones').where({ code: 'WK036392' }).first<Record<string, unknown>>(),
    ).toBeUndefined();
  });
});
