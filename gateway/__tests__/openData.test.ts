import { DEMO_ORGANISATIONS, seedIdentities } from '../../seeds/identities';
import { startTestStack, type TestStack } from '../../test/stack';

/** The hub feeds answer at the gateway's public address, exactly as the subgraph serves them. */
let stack: TestStack;
let gatewayBase: string;
let subgraphBase: string;
let hubId: string;

beforeAll(async () => {
  stack = await startTestStack({ subgraphs: ['zones', 'users', 'microhubs'] });
  await seedIdentities(stack.database.db, DEMO_ORGANISATIONS);
  gatewayBase = stack.url.replace(/\/graphql$/, '');
  subgraphBase = stack.subgraphUrls.microhubs!.replace(/\/graphql$/, '');
  const created = await stack.request<{ createHub: { id: string } }>(
    'mutation ($input: CreateHubInput!) { createHub(input: $input) { id } }',
    {
      input: {
        name: 'Dam',
        point: { lat: 52.3731, lng: 4.8932, radiusMeters: 15 },
        capacity: { combined: 20 },
      },
    },
    { token: await stack.tokenFor('amsterdam@example.org') },
  );
  expect(created.errors).toBeUndefined();
  hubId = created.data!.createHub.id;
});

afterAll(async () => {
  await stack?.stop();
});

describe('open-data hub feeds through the gateway', () => {
  it.each([
    '/municipalities/GM0363/mds/stops',
    '/municipalities/GM0363/gbfs/3.0/station_information.json',
    '/municipalities/GM0363/gbfs/3.0/station_status.json',
  ])('serves %s with the subgraph’s status, type and body', async (path) => {
    const viaGateway = await fetch(`${gatewayBase}${path}`);
    const direct = await fetch(`${subgraphBase}${path}`);
    expect(viaGateway.status).toBe(200);
    expect(viaGateway.headers.get('content-type')).toBe(direct.headers.get('content-type'));
    const body = await viaGateway.text();
    expect(body).toContain(hubId);
    expect(body).not.toContain(subgraphBase);
  });

  it('answers an unknown municipality with the feed’s 404 body', async () => {
    const response = await fetch(`${gatewayBase}/municipalities/GM9999/mds/stops`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: 'unknown_municipality' });
  });
});
