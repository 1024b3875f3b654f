import { randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { PUBLIC_SCOPE, type Scope } from '../../../lib/auth/scope';
import { loadConfig } from '../../../lib/config';
import { channels } from '../../../lib/domain/channels';
import type { HubEvent } from '../../../lib/domain/hubs/events';
import { type PubSub } from '../../../lib/pubsub';
import type { SubgraphServer } from '../../../lib/subgraphServer';
import { seed } from '../../../seeds';
import { createTestDatabase, silentLogger, type TestDatabase } from '../../../test/db';
import {
  cluster,
  controllerJob,
  DAM,
  insertHub,
  moved,
  ROTTERDAM_CENTRAAL,
  Street,
  testPubSub,
} from '../../../test/microhubs';
import { scopeHeaders, TEST_SCOPE_SECRET } from '../../../test/scope';
import { createMicrohubsSubgraph } from '../server';

/**
 * `hubStatusChanged` and `hubOccupancy` over graphql-ws, straight to the subgraph as the gateway
 * will call it (the signed scope on the upgrade request), fed by real controller ticks through
 * pub/sub (Redis when REDIS_URL is set).
 */
let database: TestDatabase;
let pubsub: PubSub;
let server: SubgraphServer;
let wsUrl: string;
let street: Street;
const clients: Client[] = [];

const AMSTERDAM_EDITOR: Scope = {
  ...PUBLIC_SCOPE,
  principal: { type: 'USER', userId: randomUUID(), email: 'hubs@amsterdam.test' },
  organisationId: randomUUID(),
  organisationType: 'MUNICIPALITY',
  privileges: ['MICROHUB_EDIT'],
  municipalities: ['GM0363'],
  ownMunicipalities: ['GM0363'],
};

beforeAll(async () => {
  database = await createTestDatabase();
  pubsub = testPubSub();
  await seed(database.db, pubsub, silentLogger, { demo: false });
  street = await new Street(database.db).open();
  server = createMicrohubsSubgraph({
    config: loadConfig({ NODE_ENV: 'test' }),
    logger: silentLogger,
    db: database.db,
    pubsub,
    scopeSecret: TEST_SCOPE_SECRET,
  });
  const { url } = await server.start(0, '127.0.0.1');
  wsUrl = url.replace(/^http/, 'ws');
});

afterEach(async () => {
  for (const client of clients.splice(0)) await client.dispose();
});

afterAll(async () => {
  await server?.stop();
  await pubsub?.close();
  await database?.drop();
});

/** A graphql-ws client that sends the signed scope header on the upgrade request. */
function connect(scope: Scope | undefined): Client {
  const headers = scope ? scopeHeaders(scope) : {};
  class ScopedWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  }
  const client = createClient({
    url: wsUrl,
    webSocketImpl: ScopedWebSocket,
    retryAttempts: 0,
    lazy: true,
  });
  clients.push(client);
  return client;
}

interface Received {
  events: Record<string, unknown>[];
  errors: unknown[];
  /** Resolves once `count` events matching `where` arrived. */
  until(count: number, where?: (e: Record<string, unknown>) => boolean): Promise<void>;
}

function subscribe(client: Client, query: string, variables: Record<string, unknown> = {}) {
  const received: Received = {
    events: [],
    errors: [],
    async until(count, where = () => true) {
      const deadline = Date.now() + 8000;
      while (received.events.filter(where).length < count) {
        if (received.errors.length > 0) throw new Error(JSON.stringify(received.errors));
        if (Date.now() > deadline) {
          throw new Error(`got ${JSON.stringify(received.events)} waiting for ${count}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
  client.subscribe<Record<string, unknown>>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) received.errors.push(...result.errors);
        const data = result.data as Record<string, Record<string, unknown>> | null | undefined;
        const event = data && Object.values(data)[0];
        if (event) received.events.push(event);
      },
      error: (err: unknown) => received.errors.push(err),
      complete: () => undefined,
    },
  );
  return received;
}

/** A made-up event for a hub that doesn't exist, to learn when a subscription is live. */
function probe(municipalityCode: string): HubEvent {
  const now = new Date().toISOString();
  return {
    hubId: randomUUID(),
    municipalityCode,
    formFactor: null,
    open: true,
    reason: 'PLACES_AVAILABLE',
    vehicles: 0,
    vehiclesAvailable: 0,
    capacity: 1,
    available: 1,
    since: now,
    at: now,
    public: true,
    ownerOrganisationId: null,
  };
}

/** Publishes probes until every subscription saw one; the probes are then forgotten. */
async function live(
  subscriptions: Received[],
  channel: string,
  event: () => HubEvent,
): Promise<void> {
  const probes = new Set<string>();
  const isProbe = (e: Record<string, unknown>) => probes.has(String(e.hubId));
  const deadline = Date.now() + 8000;
  while (!subscriptions.every((s) => s.events.some(isProbe))) {
    if (Date.now() > deadline) throw new Error('subscriptions did not start');
    const next = event();
    probes.add(next.hubId);
    await pubsub.publish(channel, next);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  for (const s of subscriptions) {
    s.events.splice(0, s.events.length, ...s.events.filter((e) => !isProbe(e)));
  }
}

const STATUS_FIELDS = `hubId municipalityCode formFactor open reason vehicles vehiclesAvailable
  capacity placesAvailable since at hub { id name code }`;

describe('hub subscriptions over graphql-ws', () => {
  it('gives a subscriber filtered to one municipality only its hubs', async () => {
    const amsterdam = await insertHub(database.db, {
      at: moved(DAM, 0, 500),
      capacity: { COMBINED: 2 },
      name: 'Dam west',
      code: 'Dam-west',
    });
    const rotterdam = await insertHub(database.db, {
      at: ROTTERDAM_CENTRAAL,
      capacity: { COMBINED: 2 },
      municipalityCode: 'GM0599',
    });
    const mine = [amsterdam, rotterdam];
    const onlyAmsterdam = subscribe(
      connect(PUBLIC_SCOPE),
      `subscription ($m: [String!]) { hubStatusChanged(municipalities: $m) { ${STATUS_FIELDS} } }`,
      { m: ['GM0363'] },
    );
    const everything = subscribe(
      connect(PUBLIC_SCOPE),
      `subscription { hubStatusChanged { ${STATUS_FIELDS} } }`,
    );
    await live([onlyAmsterdam, everything], channels.hubStatusChanged, () => probe('GM0363'));

    await street.park([
      ...cluster('sub-ams', 2, moved(DAM, 0, 500), 3),
      ...cluster('sub-rtm', 2, ROTTERDAM_CENTRAAL, 3),
    ]);
    await controllerJob(database.db, pubsub).tick();
    const ours = (e: Record<string, unknown>) => mine.includes(String(e.hubId));
    await everything.until(2, ours);
    await onlyAmsterdam.until(1, ours);
    // Give a wrongly delivered Rotterdam event the time to arrive.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(onlyAmsterdam.events.filter(ours)).toEqual([
      expect.objectContaining({
        hubId: amsterdam,
        municipalityCode: 'GM0363',
        formFactor: null,
        open: false,
        reason: 'FULL',
        vehicles: 2,
        vehiclesAvailable: 2,
        capacity: 2,
        placesAvailable: 0,
        hub: { id: amsterdam, name: 'Dam west', code: 'Dam-west' },
      }),
    ]);
    expect(
      everything.events
        .filter(ours)
        .map((e) => e.municipalityCode)
        .sort(),
    ).toEqual(['GM0363', 'GM0599']);
    expect(onlyAmsterdam.errors).toEqual([]);
  });

  it('streams the counts of the hubs a subscriber names, once per change', async () => {
    const at = moved(DAM, 0, 800);
    const hubId = await insertHub(database.db, { at, capacity: { COMBINED: 5 } });
    const other = await insertHub(database.db, {
      at: moved(at, 0, 100),
      capacity: { COMBINED: 5 },
    });
    await controllerJob(database.db, pubsub).tick();
    const occupancy = subscribe(
      connect(PUBLIC_SCOPE),
      `subscription ($ids: [ID!]!) { hubOccupancy(hubIds: $ids) { hubId vehicles placesAvailable open } }`,
      { ids: [hubId] },
    );
    await live([occupancy], channels.hubOccupancy, () => ({ ...probe('GM0363'), hubId }));
    occupancy.events.splice(0);

    await street.park([
      ...cluster('occ', 3, at, 3),
      ...cluster('occ-other', 1, moved(at, 0, 100), 0),
    ]);
    await controllerJob(database.db, pubsub).tick();
    await controllerJob(database.db, pubsub).tick();
    await occupancy.until(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(occupancy.events).toEqual([{ hubId, vehicles: 3, placesAvailable: 2, open: true }]);
    expect(occupancy.events.some((e) => e.hubId === other)).toBe(false);
  });

  it('shows a hub before its effective date to its municipality only', async () => {
    const hubId = await insertHub(database.db, {
      at: moved(DAM, 0, 1100),
      effectiveFrom: new Date(Date.now() + 86_400_000),
    });
    const query = `subscription ($ids: [ID!]) { hubStatusChanged(hubIds: $ids) { hubId open reason } }`;
    const municipality = subscribe(connect(AMSTERDAM_EDITOR), query, { ids: [hubId] });
    const anyone = subscribe(connect(PUBLIC_SCOPE), query, { ids: [hubId] });
    await live([municipality, anyone], channels.hubStatusChanged, () => ({
      ...probe('GM0363'),
      hubId,
    }));
    municipality.events.splice(0);
    anyone.events.splice(0);

    await controllerJob(database.db, pubsub).tick();
    await municipality.until(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(municipality.events).toEqual([{ hubId, open: false, reason: 'NOT_YET_EFFECTIVE' }]);
    expect(anyone.events).toEqual([]);
  });

  it('rejects bad arguments and connections without a signed scope', async () => {
    const bad = subscribe(
      connect(PUBLIC_SCOPE),
      `subscription { hubStatusChanged(municipalities: ["Amsterdam"]) { hubId } }`,
    );
    const empty = subscribe(
      connect(PUBLIC_SCOPE),
      `subscription { hubOccupancy(hubIds: []) { hubId } }`,
    );
    const deadline = Date.now() + 5000;
    while ((bad.errors.length === 0 || empty.errors.length === 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const described = (errors: unknown[]) =>
      errors.map((e) => {
        const { message, extensions } = e as { message: string; extensions?: { code?: string } };
        return { message, code: extensions?.code };
      });
    expect(described(bad.errors)).toEqual([
      {
        message: 'municipalities: "Amsterdam" is not a CBS municipality code like GM0363',
        code: 'BAD_USER_INPUT',
      },
    ]);
    expect(empty.errors).toEqual([
      expect.objectContaining({ message: 'hubIds: name at least one hub' }),
    ]);

    const unsigned = subscribe(connect(undefined), `subscription { hubStatusChanged { hubId } }`);
    while (unsigned.errors.length === 0 && Date.now() < deadline + 5000) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(unsigned.errors).toHaveLength(1);
    expect(unsigned.events).toEqual([]);
  });
});
