import { subscribe, wsClient } from '../../../gateway/__tests__/wsClients';
import { graphqlRequest } from '../../graphql';
import { startAllInOne, type AllInOne } from '../allInOne';
import { startOwnRedis, waitUntil, type OwnRedis } from '../processes';

/**
 * Redis down and back under `npm start` (bin/start.ts) with REDIS_URL: pub/sub (hub status events,
 * scope invalidation) and the rate limiter's shared counters go away and come back. Queries and
 * mutations keep working, the rate limiter counts in the process meanwhile, and a hub-status
 * subscriber hears EVENTS_MISSED (refetch) once pub/sub is back, then the events again.
 */
let redis: OwnRedis;
let app: AllInOne;
let token: string;
const RATE_LIMIT_POINTS = 40;

beforeAll(async () => {
  redis = await startOwnRedis();
  app = await startAllInOne({
    REDIS_URL: redis.url,
    RATE_LIMIT_POINTS: String(RATE_LIMIT_POINTS),
  });
  token = await app.tokenFor('admin@example.org');
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await redis?.stop();
});

const CREATE_HUB = `mutation ($input: CreateHubInput!) { createHub(input: $input) { id } }`;
const hubInput = (name: string, lng: number) => ({
  input: { name, point: { lat: 52.3731, lng, radiusMeters: 15 }, capacity: { combined: 20 } },
});
const HUBS_QUERY = `{ hubs(first: 50) { totalCount } }`;

describe('Redis down and back', () => {
  it('keeps queries and mutations working, limits rates in the process, and tells subscribers to refetch', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const gql = `${app.url}/graphql`;
    const client = wsClient(gql.replace('http', 'ws'), {
      connectionParams: { authorization: `Bearer ${token}` },
    });
    try {
      const stream = subscribe(
        client,
        `subscription { hubStatusChanged(municipalities: ["GM0363"]) { hubId open } }`,
      );
      // The subscription is live once an event comes through.
      const first = await waitUntil('a hub event before the outage', async () => {
        const created = await graphqlRequest<{ createHub: { id: string } }>(
          gql,
          CREATE_HUB,
          hubInput(`Before ${Date.now()}`, 4.8932 + Math.random() / 100),
          auth,
        );
        expect(created.errors).toBeUndefined();
        return stream.events.length > 0 ? stream.events : undefined;
      });
      expect(first[0]?.errors).toBeUndefined();

      await redis.stop();

      // Queries and mutations answer while Redis is down.
      const started = Date.now();
      const during = await graphqlRequest<{ hubs: { totalCount: number } }>(
        gql,
        HUBS_QUERY,
        {},
        auth,
      );
      expect(during.errors).toBeUndefined();
      expect(during.data?.hubs.totalCount).toBeGreaterThan(0);
      expect(Date.now() - started).toBeLessThan(5000);
      const createdDuring = await graphqlRequest<{ createHub: { id: string } }>(
        gql,
        CREATE_HUB,
        hubInput('During the outage', 4.901),
        auth,
      );
      expect(createdDuring.errors).toBeUndefined();

      // The rate limiter still limits, with in-process counters (anonymous callers by address).
      const statuses: number[] = [];
      for (let i = 0; i < RATE_LIMIT_POINTS + 5; i += 1) {
        const response = await fetch(gql, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ __typename }' }),
        });
        await response.body?.cancel();
        statuses.push(response.status);
      }
      expect(statuses.filter((s) => s === 200).length).toBe(RATE_LIMIT_POINTS);
      expect(statuses.filter((s) => s === 429).length).toBe(5);

      const before = stream.events.length;
      await redis.start();

      // Pub/sub is back: the subscriber is told it may have missed events, in band.
      const missed = await stream.until(
        (event) => event.errors?.[0]?.extensions?.code === 'EVENTS_MISSED',
        20_000,
      );
      expect(missed.errors?.[0]?.message).toMatch(/refetch/);
      expect(stream.isEnded()).toBe(false);
      // The hub created during the outage is there to refetch.
      const refetched = await graphqlRequest<{ hubs: { totalCount: number } }>(
        gql,
        HUBS_QUERY,
        {},
        auth,
      );
      expect(refetched.data?.hubs.totalCount).toBe((during.data?.hubs.totalCount ?? 0) + 1);

      // And events flow again.
      const after = await graphqlRequest<{ createHub: { id: string } }>(
        gql,
        CREATE_HUB,
        hubInput('After the outage', 4.905),
        auth,
      );
      const afterId = after.data?.createHub.id;
      const delivered = await stream.until(
        (event) =>
          (event.data?.hubStatusChanged as { hubId?: string } | undefined)?.hubId === afterId,
        15_000,
      );
      expect(delivered.errors).toBeUndefined();
      expect(stream.events.length).toBeGreaterThan(before);
      expect(app.process.child.exitCode).toBeNull();
      stream.unsubscribe();
    } finally {
      await client.dispose();
    }
  }, 180_000);
});
