import { GraphQLError, print } from 'graphql';
import type { Scope } from '../../lib/auth/scope';
import type { SubscriptionSettings } from '../subscriptions';
import { compose, eventually, graphql, replaceFile, useTestResources } from './helpers';
import { startLiveStack, startTestGateway, type LiveStack } from './liveStack';
import { COLORS_SDL_V2, LIVE_SDL, type ThingBus, type ThingChange } from './liveSubgraphs';
import { rawSocket, subscribe, wsClient, type Subscription } from './wsClients';

const { toStop, dir } = useTestResources();

function startStack(settings: Partial<SubscriptionSettings> = {}): Promise<LiveStack> {
  return startLiveStack(toStop, dir(), settings);
}

function client(url: string, token?: string) {
  const created = wsClient(
    url,
    token ? { connectionParams: { authorization: `Bearer ${token}` } } : {},
  );
  toStop.push({ stop: async () => await created.dispose() });
  return created;
}

const SPANNING = 'subscription { thingChanged { id name color } }';

let version = 0;
function change(fields: Partial<ThingChange> = {}): ThingChange {
  version += 1;
  return { id: '1', name: 'one', operator: 'op-a', public: true, version, ...fields };
}

const QUIET_MS = 300;

/**
 * Subscriptions reach the subgraph asynchronously: publish warm-up events until every
 * subscription has one, then drop what they received.
 */
async function untilSubscribed(
  bus: ThingBus,
  subscriptions: Subscription[],
  fields: Partial<ThingChange> = {},
) {
  await eventually(() => {
    bus.publish(change(fields));
    expect(subscriptions.filter((s) => s.events.length === 0)).toHaveLength(0);
    return Promise.resolve();
  });
  // Warm-up events still on their way must not count as the test's: wait until none arrive.
  const total = () => subscriptions.reduce((sum, s) => sum + s.events.length, 0);
  let seen = -1;
  while (seen !== total()) {
    seen = total();
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
  }
  for (const subscription of subscriptions) subscription.events.length = 0;
}

const thingOf = (result: { data?: Record<string, unknown> | null }) =>
  result.data?.thingChanged as Record<string, unknown> | undefined;

describe('federated subscriptions', () => {
  it('delivers every event with fields from both subgraphs, in order', async () => {
    const { bus, wsUrl, live } = await startStack();
    const subscription = subscribe(client(wsUrl), SPANNING);
    await eventually(() => Promise.resolve(expect(live.active()).toBe(1)));

    bus.publish(change({ id: '7', name: 'seven' }));
    bus.publish(change({ id: '8', name: 'eight' }));
    expect(await subscription.received(2)).toEqual([
      { data: { thingChanged: { id: '7', name: 'seven', color: 'color of 7' } } },
      { data: { thingChanged: { id: '8', name: 'eight', color: 'color of 8' } } },
    ]);
  });

  it('shapes events to the selection: aliases, fragments, __typename, variables', async () => {
    const { bus, wsUrl, live } = await startStack();
    const subscription = subscribe(
      client(wsUrl),
      `subscription Watch($ids: [ID!]) {
        changed: thingChanged(ids: $ids) { __typename ...Parts paint: color }
      }
      fragment Parts on Thing { id label: name }`,
      { ids: ['3'] },
    );
    await eventually(() => Promise.resolve(expect(live.active()).toBe(1)));
    bus.publish(change({ id: '4' }));
    bus.publish(change({ id: '3', name: 'three' }));
    expect(await subscription.received(1)).toEqual([
      {
        data: {
          changed: { __typename: 'Thing', id: '3', label: 'three', paint: 'color of 3' },
        },
      },
    ]);
  });

  it('serves 100 clients of the same subscription from one upstream subscription', async () => {
    const { bus, wsUrl, live } = await startStack();
    const subscriptions = Array.from({ length: 100 }, () => subscribe(client(wsUrl), SPANNING));
    await untilSubscribed(bus, subscriptions);
    expect(live.started()).toBe(1);
    expect(live.active()).toBe(1);

    bus.publish(change({ id: '42', name: 'answer' }));
    for (const subscription of subscriptions) {
      expect(await subscription.received(1)).toEqual([
        { data: { thingChanged: { id: '42', name: 'answer', color: 'color of 42' } } },
      ]);
    }
    for (const subscription of subscriptions) subscription.unsubscribe();
    await eventually(() => Promise.resolve(expect(live.active()).toBe(0)));
  });

  it('keeps arguments apart: each filter gets its own upstream and only its events', async () => {
    const { bus, wsUrl, live } = await startStack();
    const query = 'subscription ($ids: [ID!]) { thingChanged(ids: $ids) { id color } }';
    const one = subscribe(client(wsUrl), query, { ids: ['1'] });
    const two = subscribe(client(wsUrl), query, { ids: ['2'] });
    const oneAgain = subscribe(client(wsUrl), query, { ids: ['1'] });
    await untilSubscribed(bus, [one, oneAgain], { id: '1' });
    await untilSubscribed(bus, [two], { id: '2' });
    expect(live.started()).toBe(2);

    bus.publish(change({ id: '2' }));
    bus.publish(change({ id: '1' }));
    expect(await one.received(1)).toEqual([
      { data: { thingChanged: { id: '1', color: 'color of 1' } } },
    ]);
    expect(await oneAgain.received(1)).toEqual(one.events);
    expect(await two.received(1)).toEqual([
      { data: { thingChanged: { id: '2', color: 'color of 2' } } },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect([one.events.length, two.events.length]).toEqual([1, 1]);
  });

  it('shares upstreams only within a scope, and each client sees what its scope allows', async () => {
    const { bus, wsUrl, live, colors } = await startStack();
    const operatorA = subscribe(client(wsUrl, 'op-a'), SPANNING);
    const operatorB = subscribe(client(wsUrl, 'op-b'), SPANNING);
    const anonymous = subscribe(client(wsUrl), SPANNING);
    const alsoA = subscribe(client(wsUrl, 'op-a'), SPANNING);
    await untilSubscribed(bus, [operatorA, operatorB, anonymous, alsoA]);
    expect(live.started()).toBe(3);

    bus.publish(change({ id: 'a1', operator: 'op-a', public: false }));
    bus.publish(change({ id: 'b1', operator: 'op-b', public: false }));
    bus.publish(change({ id: 'p1', operator: 'op-b', public: true }));
    const ids = async (subscription: Subscription, count: number) =>
      (await subscription.received(count)).map((r) => thingOf(r)?.id);
    expect(await ids(operatorA, 2)).toEqual(['a1', 'p1']);
    expect(await ids(alsoA, 2)).toEqual(['a1', 'p1']);
    expect(await ids(operatorB, 2)).toEqual(['b1', 'p1']);
    expect(await ids(anonymous, 1)).toEqual(['p1']);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect([operatorA, operatorB, anonymous].map((s) => s.events.length)).toEqual([2, 2, 1]);

    // The scope was signed into the upstream upgrade request and into every entity fetch.
    const userIds = (scopes: Scope[]) =>
      new Set(
        scopes.map((s) => (s.principal.type === 'USER' ? s.principal.userId : s.principal.type)),
      );
    expect(userIds(live.scopes)).toEqual(new Set(['user-a', 'user-b', 'ANONYMOUS']));
    expect(userIds(colors.scopes)).toEqual(new Set(['user-a', 'user-b', 'ANONYMOUS']));
  });

  it('runs side by side on several gateway replicas', async () => {
    const stack = await startStack();
    const second = await startTestGateway(toStop, stack.supergraphPath);
    const first = subscribe(client(stack.wsUrl), SPANNING);
    const other = subscribe(client(second.wsUrl), SPANNING);
    await untilSubscribed(stack.bus, [first, other]);
    expect(stack.live.started()).toBe(2);
    stack.bus.publish(change({ id: '5' }));
    expect(thingOf((await first.received(1))[0] ?? {})?.id).toBe('5');
    expect(thingOf((await other.received(1))[0] ?? {})?.id).toBe('5');
  });

  it('stops the upstream subscription when its last client completes', async () => {
    const { bus, wsUrl, live } = await startStack();
    const first = subscribe(client(wsUrl), SPANNING);
    const second = subscribe(client(wsUrl), SPANNING);
    await untilSubscribed(bus, [first, second]);
    first.unsubscribe();
    bus.publish(change({ id: '9' }));
    expect(thingOf((await second.received(1))[0] ?? {})?.id).toBe('9');
    expect(live.active()).toBe(1);
    second.unsubscribe();
    await eventually(() => Promise.resolve(expect(live.active()).toBe(0)));
  });
});

describe('refusals are error messages; the connection stays usable', () => {
  it('validates against the API schema and the validate hook, and checks variables', async () => {
    const { bus, wsUrl } = await startStack({
      validate: (document) =>
        print(document).includes('tooDeep') ? [new GraphQLError('too deep')] : [],
    });
    const connection = client(wsUrl);
    const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
      [
        'subscription { thingChanged { nope } }',
        {},
        { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
      ],
      ['subscription {', {}, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } }],
      [
        'subscription { tooDeep: thingChanged { id } }',
        {},
        { message: 'too deep', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
      ],
      [
        'subscription ($ids: [ID!]) { thingChanged(ids: $ids) { id } }',
        { ids: [null] },
        { extensions: { code: 'BAD_USER_INPUT' } },
      ],
      [
        '{ thing(id: "1") { id } }',
        {},
        {
          message: expect.stringMatching(
            /only subscriptions .* send this query over HTTP/,
          ) as string,
          extensions: { code: 'OPERATION_NOT_SUPPORTED' },
        },
      ],
    ];
    for (const [query, variables, expected] of cases) {
      const { error } = await subscribe(connection, query, variables).ended;
      expect(error).toEqual([expect.objectContaining(expected)]);
    }
    const valid = subscribe(connection, SPANNING);
    await untilSubscribed(bus, [valid]);
  });

  it("applies the gateway's query limits: aliases and tokens", async () => {
    const { wsUrl } = await startStack();
    const connection = client(wsUrl);
    const aliases = Array.from({ length: 25 }, (_, i) => `a${i}: id`).join(' ');
    const tooManyAliases = await subscribe(
      connection,
      `subscription { thingChanged { ${aliases} } }`,
    ).ended;
    expect(tooManyAliases.error).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          message: expect.stringMatching(/Aliases limit of 20 exceeded/) as string,
          extensions: expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED' }) as object,
        }),
      ]),
    );
    const tokens = Array.from({ length: 3100 }, () => 'id').join(' ');
    const tooManyTokens = await subscribe(connection, `subscription { thingChanged { ${tokens} } }`)
      .ended;
    expect(tooManyTokens.error).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/contains more th.. 3000 tokens/) as string,
        extensions: { code: 'GRAPHQL_PARSE_FAILED' },
      }),
    ]);
  });

  it('refuses subscriptions over the per-connection limit', async () => {
    const { bus, wsUrl } = await startStack({ maxSubscriptionsPerConnection: 2 });
    const connection = client(wsUrl);
    const first = subscribe(connection, SPANNING);
    const second = subscribe(connection, 'subscription { thingChanged { id } }');
    await untilSubscribed(bus, [first, second]);
    const third = await subscribe(connection, SPANNING).ended;
    expect(third.error).toEqual([
      {
        message:
          'too many subscriptions on this connection: at most 2 may run at once; complete one first',
        extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', limit: 2, per: 'connection' },
      },
    ]);
    second.unsubscribe();
    const replacement = subscribe(connection, SPANNING);
    await untilSubscribed(bus, [first, replacement]);
  });

  it('refuses subscriptions over the per-client limit across connections', async () => {
    const { bus, wsUrl } = await startStack({ maxSubscriptionsPerClient: 2 });
    const first = subscribe(client(wsUrl, 'op-a'), SPANNING);
    const second = subscribe(client(wsUrl, 'op-a'), SPANNING);
    const otherClient = subscribe(client(wsUrl, 'op-b'), SPANNING);
    await untilSubscribed(bus, [first, second, otherClient], { public: true });
    const third = await subscribe(client(wsUrl, 'op-a'), SPANNING).ended;
    expect(third.error).toEqual([
      expect.objectContaining({
        extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', limit: 2, per: 'client' },
      }),
    ]);
  });
});

describe('graphql-transport-ws protocol', () => {
  it('closes with 4406 when the subprotocol is not graphql-transport-ws', async () => {
    const { wsUrl } = await startStack();
    // The legacy subscriptions-transport-ws protocol, and no subprotocol at all.
    for (const protocols of ['graphql-ws', []]) {
      const socket = rawSocket(wsUrl, protocols);
      expect(await socket.closed).toEqual({ code: 4406, reason: 'Subprotocol not acceptable' });
    }
  });

  it('closes with 4400 on a message that is not a protocol message', async () => {
    const { wsUrl } = await startStack();
    const socket = rawSocket(wsUrl);
    await socket.opened;
    socket.send('{"type":"connection_init"');
    expect(await socket.closed).toEqual({ code: 4400, reason: 'Invalid message received' });
  });

  it('closes with 4401 on subscribe before connection_ack', async () => {
    const { wsUrl } = await startStack();
    const socket = rawSocket(wsUrl);
    await socket.opened;
    socket.send({ id: '1', type: 'subscribe', payload: { query: SPANNING } });
    expect(await socket.closed).toEqual({ code: 4401, reason: 'Unauthorized' });
  });

  it('closes with 4403 when authenticate refuses the connection_init credentials', async () => {
    const { wsUrl } = await startStack();
    const socket = rawSocket(wsUrl);
    await socket.opened;
    socket.send({ type: 'connection_init', payload: { authorization: 'Bearer forged' } });
    expect(await socket.closed).toEqual({ code: 4403, reason: 'invalid token' });
  });

  it('closes with 4500 when authentication fails unexpectedly', async () => {
    const { wsUrl } = await startStack();
    const socket = rawSocket(wsUrl);
    await socket.opened;
    socket.send({ type: 'connection_init', payload: { Authorization: 'Bearer boom' } });
    expect(await socket.closed).toEqual({ code: 4500, reason: 'Internal server error' });
  });

  it('closes with 4408 when connection_init does not come in time', async () => {
    const { wsUrl } = await startStack({ connectionInitTimeoutMs: 200 });
    const socket = rawSocket(wsUrl);
    await socket.opened;
    expect(await socket.closed).toEqual({
      code: 4408,
      reason: 'Connection initialisation timeout',
    });
  });

  it('closes with 4409 when a subscription id is reused while running', async () => {
    const { wsUrl, live } = await startStack();
    const socket = rawSocket(wsUrl);
    socket.send({ type: 'connection_init', payload: {} });
    await socket.message('connection_ack');
    const subscribeMessage = { id: 'one', type: 'subscribe', payload: { query: SPANNING } };
    socket.send(subscribeMessage);
    await eventually(() => Promise.resolve(expect(live.active()).toBe(1)));
    socket.send(subscribeMessage);
    expect(await socket.closed).toEqual({
      code: 4409,
      reason: 'Subscriber for one already exists',
    });
    await eventually(() => Promise.resolve(expect(live.active()).toBe(0)));
  });

  it('closes with 4429 on a second connection_init', async () => {
    const { wsUrl } = await startStack();
    const socket = rawSocket(wsUrl);
    socket.send({ type: 'connection_init' });
    await socket.message('connection_ack');
    socket.send({ type: 'connection_init' });
    expect(await socket.closed).toEqual({ code: 4429, reason: 'Too many initialisation requests' });
  });

  it('answers ping with pong, streams next, and stops on the client complete', async () => {
    const { wsUrl, bus, live } = await startStack();
    const socket = rawSocket(wsUrl, 'graphql-transport-ws', {});
    socket.send({ type: 'connection_init', payload: { authorization: 'Bearer op-a' } });
    await socket.message('connection_ack');
    socket.send({ type: 'ping', payload: { n: 1 } });
    expect(await socket.message('pong')).toEqual({ type: 'pong', payload: { n: 1 } });

    socket.send({ id: 's1', type: 'subscribe', payload: { query: SPANNING } });
    await eventually(() => Promise.resolve(expect(live.active()).toBe(1)));
    bus.publish(change({ id: 'x', operator: 'op-a', public: false }));
    expect(await socket.message('next')).toEqual({
      id: 's1',
      type: 'next',
      payload: { data: { thingChanged: { id: 'x', name: 'one', color: 'color of x' } } },
    });
    socket.send({ id: 's1', type: 'complete' });
    await eventually(() => Promise.resolve(expect(live.active()).toBe(0)));
    socket.socket.close(1000);
    expect((await socket.closed).code).toBe(1000);
  });
});

describe('faults', () => {
  it('ends the subscription of a client that stops reading, not the gateway', async () => {
    const { bus, wsUrl, live } = await startStack({ maxBufferedBytes: 1024 * 1024 });
    const socket = rawSocket(wsUrl);
    socket.send({ type: 'connection_init' });
    await socket.message('connection_ack');
    socket.send({
      id: 'slow',
      type: 'subscribe',
      payload: { query: 'subscription { thingChanged { id name } }' },
    });
    await eventually(() => Promise.resolve(expect(live.active()).toBe(1)));
    socket.socket.pause();
    // 20 MB: more than the kernel's socket buffers and the 1 MB the gateway may hold for it.
    const bulky = 'x'.repeat(512 * 1024);
    for (let i = 0; i < 40; i += 1) bus.publish(change({ id: `bulk-${i}`, name: bulky }));
    await eventually(() => Promise.resolve(expect(live.active()).toBe(0)), 10_000);
    socket.socket.resume();
    expect(await socket.message('error', 10_000)).toEqual({
      id: 'slow',
      type: 'error',
      payload: [
        {
          message: expect.stringMatching(
            /^this client fell behind \(\d+ bytes not yet read\) and its subscription was ended/,
          ) as string,
          extensions: { code: 'SLOW_CONSUMER' },
        },
      ],
    });
    const delivered = socket.messages.filter((m) => m.type === 'next').length;
    expect(delivered).toBeGreaterThan(0);
    expect(delivered).toBeLessThan(40);
  });

  it('resubscribes with backoff when the owning subgraph restarts', async () => {
    const stack = await startStack({
      upstreamRetryInitialDelayMs: 50,
      upstreamRetryMaxDelayMs: 200,
    });
    const subscription = subscribe(client(stack.wsUrl), SPANNING);
    await untilSubscribed(stack.bus, [subscription]);

    const restarted = await stack.restartLive();
    await eventually(() => Promise.resolve(expect(restarted.active()).toBe(1)));
    stack.bus.publish(change({ id: 'after-restart' }));
    expect(thingOf((await subscription.received(1))[0] ?? {})?.id).toBe('after-restart');
    expect(subscription.isEnded()).toBe(false);
  });

  it('ends the subscription with SERVICE_UNAVAILABLE when the subgraph stays away', async () => {
    const stack = await startStack({
      upstreamRetryAttempts: 2,
      upstreamRetryInitialDelayMs: 20,
      upstreamRetryMaxDelayMs: 50,
    });
    const subscription = subscribe(client(stack.wsUrl), SPANNING);
    await untilSubscribed(stack.bus, [subscription]);
    await stack.live.server.stop();
    const { error } = await subscription.ended;
    expect(error).toEqual([
      {
        message: expect.stringMatching(
          /^subgraph "live" stopped streaming this subscription and did not come back after 2 attempts/,
        ) as string,
        extensions: { code: 'SERVICE_UNAVAILABLE', serviceName: 'live' },
      },
    ]);
  });

  it('keeps subscriptions running across a compatible schema reload', async () => {
    const stack = await startStack();
    const subscription = subscribe(client(stack.wsUrl), SPANNING);
    await untilSubscribed(stack.bus, [subscription]);
    await replaceFile(
      stack.supergraphPath,
      compose([
        { name: 'live', sdl: LIVE_SDL, url: stack.live.url },
        { name: 'colors', sdl: COLORS_SDL_V2, url: stack.colors.url },
      ]),
    );
    await eventually(async () => {
      const response = await graphql<{ thing: { size: number } }>(
        stack.url,
        '{ thing(id: "abc") { size } }',
      );
      expect(response.body.data).toEqual({ thing: { size: 3 } });
    });
    const sized = subscribe(client(stack.wsUrl), 'subscription { thingChanged { id size } }');
    await untilSubscribed(stack.bus, [subscription, sized]);
    stack.bus.publish(change({ id: 'four' }));
    expect(thingOf((await subscription.received(1))[0] ?? {})).toEqual({
      id: 'four',
      name: 'one',
      color: 'color of four',
    });
    expect(thingOf((await sized.received(1))[0] ?? {})).toEqual({ id: 'four', size: 4 });
  });

  it('ends subscriptions a schema reload makes invalid, and keeps the others', async () => {
    const stack = await startStack();
    const colored = subscribe(client(stack.wsUrl), SPANNING);
    const plain = subscribe(client(stack.wsUrl), 'subscription { thingChanged { id name } }');
    await untilSubscribed(stack.bus, [colored, plain]);
    await replaceFile(
      stack.supergraphPath,
      compose([{ name: 'live', sdl: LIVE_SDL, url: stack.live.url }]),
    );
    const { error } = await colored.ended;
    expect(error).toEqual([
      {
        message: expect.stringMatching(
          /^the gateway's schema changed and this subscription is no longer valid: Cannot query field "color"/,
        ) as string,
        extensions: { code: 'SCHEMA_CHANGED' },
      },
    ]);
    stack.bus.publish(change({ id: 'still' }));
    expect(thingOf((await plain.received(1))[0] ?? {})).toEqual({ id: 'still', name: 'one' });
  });

  it('completes every subscription when the gateway stops, then closes the upstreams', async () => {
    const stack = await startStack();
    const subscriptions = [
      subscribe(client(stack.wsUrl), SPANNING),
      subscribe(client(stack.wsUrl, 'op-a'), SPANNING),
      subscribe(client(stack.wsUrl), 'subscription { thingChanged { id } }'),
    ];
    await untilSubscribed(stack.bus, subscriptions);
    await stack.gateway.stop();
    for (const subscription of subscriptions) {
      expect(subscription.isEnded()).toBe(true);
      expect(await subscription.ended).toEqual({});
    }
    await eventually(() => Promise.resolve(expect(stack.live.active()).toBe(0)));
  });
});
