import { loadConfig } from '../../lib/config';
import { DEMO_ORGANISATIONS, seedIdentities } from '../../seeds/identities';
import { testGatewayOptions } from '../../test/gateway';
import { startTestStack, type TestStack } from '../../test/stack';
import { createAuthFailureLimit } from '../rateLimit';
import { createGateway, type Gateway } from '../server';
import { rawSocket, type RawSocket } from './wsClients';

/**
 * What one address can do anonymously over WebSocket is bounded (connections, subscriptions,
 * connects per minute), refused credentials are counted per address before the next ones are
 * even checked, and every refusal says why.
 */
let stack: TestStack;
const sockets: RawSocket[] = [];

beforeAll(async () => {
  stack = await startTestStack({
    subgraphs: ['zones', 'users', 'microhubs'],
    gateway: {
      authFailures: createAuthFailureLimit({ points: 3, windowMs: 60_000 }),
      subscriptions: {
        maxAnonymousConnectionsPerIp: 3,
        maxAnonymousSubscriptionsPerIp: 5,
        connectsPerMinutePerIp: 1000,
      },
    },
  });
  await seedIdentities(stack.database.db, DEMO_ORGANISATIONS);
});

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.socket.terminate();
});

afterAll(async () => {
  await stack?.stop();
});

const SUBSCRIPTION = 'subscription { hubStatusChanged { hubId } }';

function open(url: string, payload: Record<string, unknown> = {}): RawSocket {
  const socket = rawSocket(url.replace(/^http/, 'ws'));
  sockets.push(socket);
  socket.send({ type: 'connection_init', payload });
  return socket;
}

describe('anonymous WebSocket use per address', () => {
  it('refuses an anonymous connection past the limit with 4429, but not a signed-in one', async () => {
    const accepted = [open(stack.url), open(stack.url), open(stack.url)];
    for (const socket of accepted) await socket.message('connection_ack');
    const refused = open(stack.url);
    expect(await refused.closed).toEqual({
      code: 4429,
      reason: 'too many anonymous connections: at most 3 per address; sign in or close one',
    });
    const token = await stack.tokenFor('amsterdam@example.org');
    const signedIn = open(stack.url, { authorization: `Bearer ${token}` });
    await signedIn.message('connection_ack');

    // Closing one makes room for the next.
    accepted[0]!.socket.close();
    await accepted[0]!.closed;
    await open(stack.url).message('connection_ack');
  });

  it('counts subscriptions of all anonymous connections of an address together', async () => {
    const first = open(stack.url);
    const second = open(stack.url);
    await first.message('connection_ack');
    await second.message('connection_ack');
    for (let i = 0; i < 5; i += 1) {
      const socket = i % 2 === 0 ? first : second;
      socket.send({ id: `s${i}`, type: 'subscribe', payload: { query: SUBSCRIPTION } });
    }
    second.send({ id: 'one-too-many', type: 'subscribe', payload: { query: SUBSCRIPTION } });
    const error = await second.message('error');
    expect(error).toMatchObject({
      id: 'one-too-many',
      payload: [
        {
          message:
            'too many subscriptions for anonymous callers from this address (sign in for more): at most 5 may run at once; complete one first',
          extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', limit: 5, per: 'address' },
        },
      ],
    });
    expect(first.messages.some((m) => m.type === 'error')).toBe(false);
  });
});

describe('connection_init credentials', () => {
  it('refuses credentials that are not strings, instead of going on anonymously', async () => {
    const socket = open(stack.url, { authorization: 42 });
    expect(await socket.closed).toEqual({
      code: 4403,
      reason: 'unauthenticated: connection_init field "authorization" must be a string',
    });
    const key = open(stack.url, { 'x-api-key': { secret: 'x' } });
    expect((await key.closed).reason).toBe(
      'unauthenticated: connection_init field "x-api-key" must be a string',
    );
  });

  it('says why a token is refused in the close reason, as HTTP does in its message', async () => {
    const socket = open(stack.url, { authorization: 'Bearer not.a.token' });
    expect(await socket.closed).toEqual({ code: 4403, reason: 'unauthenticated: malformed token' });
  });
});

describe('WebSocket connects per address', () => {
  it('closes connects past the per-minute limit with 4429 before they can send anything', async () => {
    const config = loadConfig({ NODE_ENV: 'test' });
    const limited: Gateway = createGateway(
      testGatewayOptions({
        supergraphPath: config.SUPERGRAPH_PATH,
        subgraphUrls: stack.subgraphUrls,
        subscriptions: { connectsPerMinutePerIp: 2 },
      }),
    );
    try {
      const { url } = await limited.start(0, '127.0.0.1');
      await open(url).message('connection_ack');
      await open(url).message('connection_ack');
      const closed = await open(url).closed;
      expect(closed.code).toBe(4429);
      expect(closed.reason).toMatch(
        /^too many connections: at most 2 per minute from one address; retry in \d+ s$/,
      );
    } finally {
      for (const socket of sockets.splice(0)) socket.socket.terminate();
      await limited.stop();
    }
  });
});

// Last: it spends this address's allowance of failed sign-ins on the stack's gateway.
describe('failed authentication per address', () => {
  it('answers 429 once an address has failed too often, before checking its credentials', async () => {
    const request = (headers: Record<string, string>) =>
      fetch(stack.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: '{ me { principalType } }' }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 10 && !statuses.includes(429); i += 1) {
      statuses.push((await request({ 'x-api-key': `mk_forged${i}` })).status);
    }
    // At most 3 failures (some were spent by the refused sockets above), then 429.
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.slice(0, -1).every((status) => status === 401)).toBe(true);
    expect(statuses.length).toBeLessThanOrEqual(4);

    const limited = await request({ 'x-api-key': 'mk_forged-again' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    const body = (await limited.json()) as { errors: { message: string; extensions: object }[] };
    expect(body.errors[0]?.message).toMatch(
      /^rate limit exceeded: at most 3 failed sign-ins per 60 s from one address; retry in \d+ s$/,
    );
    expect(body.errors[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    // Even valid credentials wait: the check comes before authentication.
    const token = await stack.tokenFor('amsterdam@example.org');
    expect((await request({ authorization: `Bearer ${token}` })).status).toBe(429);
    // So does a WebSocket sign-in from the same address.
    const socket = open(stack.url, { authorization: `Bearer ${token}` });
    expect((await socket.closed).code).toBe(4429);
    // Anonymous reads are not affected.
    expect((await request({})).status).toBe(200);
  });
});
