import { subscribe, wsClient, type Subscription } from '../../../gateway/__tests__/wsClients';
import { graphqlRequest, type GraphQLResponse } from '../../graphql';
import { startOwnRedis, waitUntil, type OwnRedis } from '../processes';
import { startBalancer } from '../../balancer';
import { startSplitDeployment, type SplitDeployment } from '../split';

/**
 * Processes killed outright (SIGKILL) in a split deployment: six subgraph processes and two gateway
 * replicas on one database and one Redis. A dead subgraph costs only the fields it owns, and its
 * subscriptions come back with it; a dead gateway replica costs nothing to the other replica's
 * clients, and WebSocket clients behind the load balancer reconnect to the survivor.
 */
let redis: OwnRedis;
let split: SplitDeployment;
let auth: Record<string, string>;

beforeAll(async () => {
  redis = await startOwnRedis();
  split = await startSplitDeployment({ redisUrl: redis.url, gateways: 2 });
  auth = { authorization: `Bearer ${await split.tokenFor('admin@example.org')}` };
}, 240_000);

afterAll(async () => {
  await split?.stop();
  await redis?.stop();
});

const CREATE_HUB = `mutation ($input: CreateHubInput!) { createHub(input: $input) { id } }`;
let hubCount = 0;
/** Creates a hub (owned by the microhubs subgraph); its status event reaches hub subscribers. */
async function createHub(url: string): Promise<string> {
  hubCount += 1;
  const created = await graphqlRequest<{ createHub: { id: string } }>(
    url,
    CREATE_HUB,
    {
      input: {
        name: `Kill test ${hubCount} ${Date.now()}`,
        point: { lat: 52.3731 + hubCount / 2000, lng: 4.8932, radiusMeters: 15 },
        capacity: { combined: 20 },
      },
    },
    auth,
  );
  expect(created.errors).toBeUndefined();
  return created.data?.createHub.id ?? '';
}

const hubIdOf = (event: { data?: Record<string, unknown> | null }) =>
  (event.data?.hubStatusChanged as { hubId?: string } | undefined)?.hubId;

/** Subscribes to hub status and waits until an event proves the subscription is live. */
async function liveHubStream(
  client: ReturnType<typeof wsClient>,
  gatewayUrl: string,
): Promise<Subscription> {
  const stream = subscribe(
    client,
    'subscription { hubStatusChanged(municipalities: ["GM0363"]) { hubId open } }',
  );
  await waitUntil(
    'a hub event on a new subscription',
    async () => {
      await createHub(gatewayUrl);
      return stream.events.length > 0;
    },
    30_000,
    500,
  );
  return stream;
}

/**
 * Creates hubs until the stream receives one's event: events published while a subscription is
 * being re-established are lost (pub/sub), so one hub is not proof either way.
 */
async function eventuallyDelivered(stream: Subscription, gatewayUrl: string): Promise<void> {
  await waitUntil(
    'hub events on the stream',
    async () => {
      const id = await createHub(gatewayUrl);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return stream.events.some((event) => hubIdOf(event) === id && !event.errors);
    },
    60_000,
    200,
  );
}

const ZONES_AND_HUBS = '{ zones(first: 1) { totalCount } hubs(first: 1) { totalCount } }';
type ZonesAndHubs = { zones: { totalCount: number } | null; hubs: { totalCount: number } | null };

describe('a subgraph killed and started again', () => {
  it('costs only the fields it owns, and its subscriptions come back with it', async () => {
    const gateway = split.gateways[1]?.url ?? '';
    const client = wsClient(gateway.replace('http', 'ws'), { connectionParams: auth });
    try {
      const stream = await liveHubStream(client, gateway);
      const before = await graphqlRequest<ZonesAndHubs>(gateway, ZONES_AND_HUBS, {}, auth);
      expect(before.errors).toBeUndefined();

      await split.killSubgraph('microhubs');

      const during: GraphQLResponse<ZonesAndHubs> = await graphqlRequest<ZonesAndHubs>(
        gateway,
        ZONES_AND_HUBS,
        {},
        auth,
      );
      // The zones are still answered; the hubs field is null with an error that names its owner.
      expect(during.data?.zones?.totalCount).toBe(before.data?.zones?.totalCount);
      expect(during.data?.hubs).toBeNull();
      expect(during.errors).toEqual([
        {
          message: 'subgraph "microhubs" is unreachable; missing from this answer: hubs',
          extensions: { code: 'SERVICE_UNAVAILABLE', serviceName: 'microhubs' },
        },
      ]);
      // Nothing internal leaks: no subgraph address, no stack.
      expect(JSON.stringify(during.errors)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|at .*\.ts/);

      const restarted = Date.now();
      await split.startSubgraph('microhubs');
      await waitUntil(
        'full answers again',
        async () =>
          (await graphqlRequest<ZonesAndHubs>(gateway, ZONES_AND_HUBS, {}, auth)).errors ===
          undefined,
        15_000,
        200,
      );
      expect(Date.now() - restarted).toBeLessThan(30_000);

      // The gateway re-subscribed upstream on its own: the same client stream gets events again.
      await eventuallyDelivered(stream, gateway);
      expect(Date.now() - restarted).toBeLessThan(45_000);
      expect(stream.isEnded()).toBe(false);
      stream.unsubscribe();
    } finally {
      await client.dispose();
    }
  }, 180_000);
});

describe('a gateway replica killed under load', () => {
  it("costs the other replica's clients nothing; WebSocket clients behind the balancer reconnect", async () => {
    const balancer = await startBalancer(split.gateways);
    // The documented client pattern: graphql-ws retrying through the balancer's one address, and
    // the subscription sent again on every new connection (graphql-ws does that by itself).
    const client = wsClient(balancer.url.replace('http', 'ws'), {
      connectionParams: auth,
      retryAttempts: Infinity,
      retryWait: () => new Promise((resolve) => setTimeout(resolve, 300)),
      shouldRetry: () => true,
    });
    let loading = true;
    let load: Promise<GraphQLResponse<ZonesAndHubs>[]> | undefined;
    try {
      // Hub events are made through replica 0 until the subscription is live.
      const stream = await liveHubStream(client, split.gateways[0]?.url ?? '');
      // The replica holding the WebSocket is killed; the other one takes the load meanwhile.
      const victim = balancer.open().findIndex((connections) => connections > 0);
      expect(victim).toBeGreaterThanOrEqual(0);
      const survivor = split.gateways[1 - victim];
      if (!survivor) throw new Error('two gateway replicas expected');

      // Steady queries straight at the surviving replica while the other one dies.
      load = (async () => {
        const answers: GraphQLResponse<ZonesAndHubs>[] = [];
        while (loading) {
          answers.push(
            ...(await Promise.all(
              Array.from({ length: 4 }, () =>
                graphqlRequest<ZonesAndHubs>(survivor.url, ZONES_AND_HUBS, {}, auth),
              ),
            )),
          );
        }
        return answers;
      })();
      await split.killGateway(victim);

      // The client reconnects through the balancer and subscribes again: events flow to it.
      await eventuallyDelivered(stream, survivor.url);
      // The client reconnected through the balancer to the surviving replica.
      expect(balancer.open()[1 - victim]).toBeGreaterThan(0);
      loading = false;
      const answers = await load;
      expect(answers.length).toBeGreaterThan(0);
      expect(answers.filter((a) => a.errors !== undefined)).toEqual([]);
      expect(stream.isEnded()).toBe(false);
      stream.unsubscribe();
    } finally {
      loading = false;
      await load?.catch(() => undefined);
      await client.dispose();
      await balancer.close();
    }
  }, 180_000);
});
