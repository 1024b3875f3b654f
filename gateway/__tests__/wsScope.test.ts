import { mintToken } from '../../lib/devJwt';
import { DEMO_ORGANISATIONS, seedIdentities } from '../../seeds/identities';
import { startTestStack, TEST_JWT, type TestStack } from '../../test/stack';
import { rawSocket, subscribe, wsClient, type Subscription } from './wsClients';

/**
 * An open subscription keeps only the access its credentials still have: a revoked grant, a
 * deactivated user, a revoked API key or an expired token ends it within the 5 s that HTTP
 * promises (AUTH_CACHE_TTL_MS), with a close code or an error that says why.
 */
let stack: TestStack;
const clients: ReturnType<typeof wsClient>[] = [];
const FIVE_SECONDS = 5000;

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

const wsUrl = () => stack.url.replace(/^http/, 'ws');

function client(connectionParams: Record<string, unknown>) {
  const created = wsClient(wsUrl(), { connectionParams });
  clients.push(created);
  return created;
}

const HUB_STATUS = `subscription { hubStatusChanged(municipalities: ["GM0363"]) { hubId reason } }`;

async function ask<T>(query: string, variables: Record<string, unknown>, token: string) {
  const response = await stack.request<T>(query, variables, { token });
  expect(response.errors).toBeUndefined();
  return response.data!;
}

async function createHub(token: string, effectiveFrom?: string): Promise<string> {
  const data = await ask<{ createHub: { id: string } }>(
    `mutation ($input: CreateHubInput!) { createHub(input: $input) { id } }`,
    {
      input: {
        name: `Hub ${Math.random()}`,
        point: { lat: 52.3731, lng: 4.8932, radiusMeters: 15 },
        capacity: { combined: 3 },
        ...(effectiveFrom ? { effectiveFrom } : {}),
      },
    },
    token,
  );
  return data.createHub.id;
}

/** Not-yet-effective hub events are private to those who see Amsterdam: ours must arrive. */
async function untilPrivateEvent(amsterdam: string, subscription: Subscription): Promise<void> {
  const tomorrow = new Date(Date.now() + 24 * 3600 * 1000).toISOString();
  for (let attempt = 0; ; attempt += 1) {
    const id = await createHub(amsterdam, tomorrow);
    try {
      await subscription.until((e) => JSON.stringify(e).includes(id), 500);
      return;
    } catch (err) {
      if (attempt >= 20) throw err;
    }
  }
}

async function endedWithin(subscription: Subscription, ms: number) {
  const started = Date.now();
  const outcome = await Promise.race([
    subscription.ended,
    new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), ms)),
  ]);
  return { outcome, elapsedMs: Date.now() - started };
}

describe('WebSocket subscriptions follow their credentials', () => {
  it('ends the subscription with SCOPE_CHANGED when the grant it relied on is revoked', async () => {
    const amsterdam = await stack.tokenFor('amsterdam@example.org');
    const rotterdamToken = await stack.tokenFor('rotterdam@example.org');
    const { organisations } = await ask<{ organisations: { id: string; name: string }[] }>(
      '{ organisations { id name } }',
      {},
      await stack.tokenFor('admin@example.org'),
    );
    const rotterdamOrg = organisations.find((o) => o.name === 'Gemeente Rotterdam')!.id;
    const { grantDataAccess } = await ask<{ grantDataAccess: { id: string } }>(
      'mutation ($input: GrantInput!) { grantDataAccess(input: $input) { id } }',
      { input: { granteeOrganisationId: rotterdamOrg } },
      amsterdam,
    );

    const rotterdam = subscribe(client({ authorization: `Bearer ${rotterdamToken}` }), HUB_STATUS);
    await untilPrivateEvent(amsterdam, rotterdam);

    await ask(
      'mutation ($id: ID!) { revokeDataAccess(id: $id) { id } }',
      { id: grantDataAccess.id },
      amsterdam,
    );
    const { outcome, elapsedMs } = await endedWithin(rotterdam, FIVE_SECONDS);
    expect(outcome).not.toBe('timeout');
    expect(elapsedMs).toBeLessThan(FIVE_SECONDS);
    expect((outcome as { error?: unknown }).error).toEqual([
      expect.objectContaining({ extensions: { code: 'SCOPE_CHANGED' } }),
    ]);

    // Subscribing again gives the narrowed scope: public events arrive, private ones no more.
    const again = subscribe(client({ authorization: `Bearer ${rotterdamToken}` }), HUB_STATUS);
    for (let attempt = 0; again.events.length === 0; attempt += 1) {
      if (attempt >= 20) throw new Error('the new subscription received no event');
      await createHub(amsterdam);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const tomorrow = new Date(Date.now() + 24 * 3600 * 1000).toISOString();
    const hidden = await createHub(amsterdam, tomorrow);
    const last = await createHub(amsterdam);
    await again.until((e) => JSON.stringify(e).includes(last));
    expect(JSON.stringify(again.events)).not.toContain(hidden);
  });

  it('closes the socket with 4403 and the reason when the user is deactivated', async () => {
    const admin = await stack.tokenFor('admin@example.org');
    const analyst = await stack.database
      .db<{ id: string; email: string }>('users')
      .where({ email: 'analyst.amsterdam@example.org' })
      .first('id', 'email');
    if (!analyst) throw new Error('the demo analyst is missing');
    const socket = rawSocket(wsUrl());
    await socket.opened;
    socket.send({
      type: 'connection_init',
      payload: { authorization: `Bearer ${await stack.tokenFor(analyst.email)}` },
    });
    await socket.message('connection_ack');
    const started = Date.now();
    await ask(
      'mutation ($id: ID!) { updateUser(id: $id, patch: { active: false }) { id } }',
      { id: analyst.id },
      admin,
    );
    const closed = await socket.closed;
    expect(Date.now() - started).toBeLessThan(FIVE_SECONDS);
    expect(closed).toEqual({
      code: 4403,
      reason: 'unauthenticated: no active user with email analyst.amsterdam@example.org',
    });
  });

  it('closes the socket when its API key is revoked', async () => {
    const amsterdam = await stack.tokenFor('amsterdam@example.org');
    const { createApiKey } = await ask<{
      createApiKey: { secret: string; apiKey: { id: string } };
    }>(
      'mutation { createApiKey(input: { name: "live widget" }) { secret apiKey { id } } }',
      {},
      amsterdam,
    );
    const socket = rawSocket(wsUrl());
    await socket.opened;
    socket.send({ type: 'connection_init', payload: { 'x-api-key': createApiKey.secret } });
    await socket.message('connection_ack');
    socket.send({ id: '1', type: 'subscribe', payload: { query: HUB_STATUS } });
    const started = Date.now();
    await ask(
      'mutation ($id: ID!) { revokeApiKey(id: $id) { id } }',
      { id: createApiKey.apiKey.id },
      amsterdam,
    );
    const closed = await socket.closed;
    expect(Date.now() - started).toBeLessThan(FIVE_SECONDS);
    expect(closed.code).toBe(4403);
    expect(closed.reason).toMatch(/^unauthenticated: /);
  });

  it('closes the socket when its token expires, as HTTP starts answering 401', async () => {
    const token = await mintToken({
      ...TEST_JWT,
      emailClaim: 'email',
      email: 'amsterdam@example.org',
      ttlSeconds: 2,
    });
    const socket = rawSocket(wsUrl());
    await socket.opened;
    socket.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
    await socket.message('connection_ack');
    socket.send({ id: '1', type: 'subscribe', payload: { query: HUB_STATUS } });
    const closed = await socket.closed;
    expect(closed).toEqual({ code: 4403, reason: 'unauthenticated: token expired' });
    const http = await stack.request('{ me { principalType } }', {}, { token });
    expect(http.errors?.[0]?.message).toBe('unauthenticated: token expired');
  }, 20_000);
});
