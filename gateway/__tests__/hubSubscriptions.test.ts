import { DEMO_ORGANISATIONS, seedIdentities } from '../../seeds/identities';
import { startTestStack, type TestStack } from '../../test/stack';
import { subscribe, wsClient, type Result, type Subscription } from './wsClients';

/**
 * The widgets' subscription end to end, on the real subgraphs: microhubs owns
 * `hubStatusChanged`, the zones subgraph resolves `Hub.zone` for every event, and the gateway
 * authenticates the JWT sent in `connection_init` like an HTTP request's.
 */
let stack: TestStack;
const clients: ReturnType<typeof wsClient>[] = [];

beforeAll(async () => {
  stack = await startTestStack({ subgraphs: ['zones', 'users', 'microhubs'] });
  await seedIdentities(stack.database.db, DEMO_ORGANISATIONS);
});

afterEach(async () => {
  for (const client of clients.splice(0)) await client.dispose();
});

afterAll(async () => {
  await stack?.stop();
});

function client(token?: string) {
  const created = wsClient(
    stack.url.replace(/^http/, 'ws'),
    token ? { connectionParams: { authorization: `Bearer ${token}` } } : {},
  );
  clients.push(created);
  return created;
}

const HUB_STATUS = `subscription ($municipalities: [String!]) {
  hubStatusChanged(municipalities: $municipalities) {
    hubId
    open
    reason
    hub { name zone { name kind } }
  }
}`;

const CREATE_HUB = `mutation ($input: CreateHubInput!) { createHub(input: $input) { id } }`;

async function createHub(token: string, name: string, effectiveFrom?: string): Promise<string> {
  const response = await stack.request<{ createHub: { id: string } }>(
    CREATE_HUB,
    {
      input: {
        name,
        point: { lat: 52.3731, lng: 4.8932, radiusMeters: 15 },
        capacity: { combined: 3 },
        ...(effectiveFrom ? { effectiveFrom } : {}),
      },
    },
    { token },
  );
  expect(response.errors).toBeUndefined();
  return response.data?.createHub.id ?? '';
}

type HubStatus = { hubId: string; open: boolean; reason: string; hub: unknown };
const statusOf = (result: Result) => result.data?.hubStatusChanged as HubStatus | undefined;

/** Subscriptions reach the subgraph asynchronously: create hubs until every one has an event. */
async function untilSubscribed(token: string, subscriptions: Subscription[]): Promise<void> {
  for (let attempt = 0; subscriptions.some((s) => s.events.length === 0); attempt += 1) {
    if (attempt >= 50) throw new Error('the subscriptions received no event');
    await createHub(token, `Warm-up hub ${attempt}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  for (const subscription of subscriptions) subscription.events.length = 0;
}

describe('hubStatusChanged through the gateway', () => {
  it('carries the hub and its zone, and only what the caller may see', async () => {
    const token = await stack.tokenFor('amsterdam@example.org');
    const amsterdam = subscribe(client(token), HUB_STATUS, { municipalities: ['GM0363'] });
    const anonymous = subscribe(client(), HUB_STATUS);
    await untilSubscribed(token, [amsterdam, anonymous]);

    const tomorrow = new Date(Date.now() + 24 * 3600 * 1000).toISOString();
    const future = await createHub(token, 'Dam future hub', tomorrow);
    const visible = await createHub(token, 'Dam square hub');
    const isVisible = (event: Result) => statusOf(event)?.hubId === visible;
    await amsterdam.until(isVisible);
    await anonymous.until(isVisible);

    const byHub = (subscription: Subscription, hubId: string) =>
      subscription.events.map(statusOf).find((status) => status?.hubId === hubId);
    expect(byHub(amsterdam, visible)).toEqual({
      hubId: visible,
      open: true,
      reason: 'PLACES_AVAILABLE',
      hub: { name: 'Dam square hub', zone: { name: 'Dam square hub', kind: 'HUB' } },
    });
    expect(byHub(amsterdam, future)).toMatchObject({
      open: false,
      reason: 'NOT_YET_EFFECTIVE',
      hub: { name: 'Dam future hub' },
    });
    // A hub before its effective date is its municipality's business only; the events came in
    // order, so had it been sent, it would be here before the visible hub's.
    expect(byHub(anonymous, visible)).toMatchObject({ hub: { name: 'Dam square hub' } });
    expect(byHub(anonymous, future)).toBeUndefined();
  });
});
