import { loadConfig } from '../../lib/config';
import { metricsAccess } from '../../lib/observability/metricsRoute';
import { testGatewayOptions } from '../../test/gateway';
import { scrape, valueOf, type Sample } from '../../test/metrics';
import { createGateway } from '../server';
import { eventually, graphql, useTestResources } from './helpers';
import { startLiveStack } from './liveStack';
import { subscribe, wsClient } from './wsClients';

const { toStop, dir } = useTestResources();

const metricsUrl = (graphqlUrl: string) => new URL('/metrics', graphqlUrl).toString();

async function post(url: string, body: Record<string, unknown>, headers = {}): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.status;
}

/** The gateway's counters after the access line's `finish` handlers ran. */
async function settled(url: string, check: (samples: Sample[]) => void): Promise<Sample[]> {
  return eventually(async () => {
    const samples = await scrape(metricsUrl(url));
    check(samples);
    return samples;
  });
}

describe('gateway /metrics', () => {
  it('counts requests by operation and outcome, times them, and times each subgraph fetch', async () => {
    const { url } = await startLiveStack(toStop, dir());
    const spanning = 'query Spanning { thing(id: "1") { id name color } }';
    expect(await post(url, { query: spanning, operationName: 'Spanning' })).toBe(200);
    expect(await post(url, { query: spanning, operationName: 'Spanning' })).toBe(200);
    expect(await post(url, { query: '{ thing(id: "2") { id } }' })).toBe(200);
    // A field that does not exist: a validation error, named by its code.
    const invalid = await graphql(url, 'query Broken { thing(id: "1") { nope } }');
    expect(invalid.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    // Refused credentials never reach GraphQL execution: counted under their code.
    expect(await post(url, { query: spanning }, { authorization: 'Bearer wrong' })).toBe(500);

    const samples = await settled(url, (s) =>
      expect(valueOf(s, 'gateway_requests_total', { outcome: 'UNAUTHENTICATED' })).toBe(1),
    );
    const requests = samples.filter((s) => s.name === 'gateway_requests_total');
    expect(requests.map((s) => [s.labels, s.value])).toEqual(
      expect.arrayContaining([
        [{ operation: 'Spanning', type: 'query', outcome: 'ok' }, 2],
        [{ operation: 'anonymous', type: 'query', outcome: 'ok' }, 1],
        [{ operation: 'unknown', type: 'unknown', outcome: 'GRAPHQL_VALIDATION_FAILED' }, 1],
        [{ operation: 'unknown', type: 'unknown', outcome: 'UNAUTHENTICATED' }, 1],
      ]),
    );
    expect(requests).toHaveLength(4);
    expect(
      valueOf(samples, 'gateway_request_duration_seconds_count', {
        operation: 'Spanning',
        type: 'query',
      }),
    ).toBe(2);
    expect(
      valueOf(samples, 'gateway_request_duration_seconds_bucket', {
        operation: 'Spanning',
        type: 'query',
        le: '+Inf',
      }),
    ).toBe(2);
    // Each spanning query fetches from live, then colors; the anonymous one from live only.
    expect(
      valueOf(samples, 'gateway_subgraph_fetch_duration_seconds_count', {
        subgraph: 'live',
        outcome: 'ok',
      }),
    ).toBe(3);
    expect(
      valueOf(samples, 'gateway_subgraph_fetch_duration_seconds_count', {
        subgraph: 'colors',
        outcome: 'ok',
      }),
    ).toBe(2);
    // Plans are looked up after validation: the first of each operation is a miss.
    expect(valueOf(samples, 'gateway_query_plan_cache_total', { result: 'miss' })).toBe(2);
    expect(valueOf(samples, 'gateway_query_plan_cache_total', { result: 'hit' })).toBe(1);
  });

  it('labels a subgraph that does not answer as unreachable', async () => {
    const stack = await startLiveStack(toStop, dir());
    await stack.colors.server.stop();
    const response = await graphql(stack.url, '{ thing(id: "1") { id color } }');
    expect(response.body.errors).toBeDefined();
    const samples = await scrape(metricsUrl(stack.url));
    expect(
      valueOf(samples, 'gateway_subgraph_fetch_duration_seconds_count', {
        subgraph: 'colors',
        outcome: 'unreachable',
      }),
    ).toBe(1);
  });

  it('shows an open subscription and its WebSocket connection, and 0 once closed', async () => {
    const { wsUrl, url, live } = await startLiveStack(toStop, dir());
    const client = wsClient(wsUrl);
    toStop.push({ stop: async () => await client.dispose() });
    const subscription = subscribe(client, 'subscription { thingChanged { id name } }');
    await eventually(() => Promise.resolve(expect(live.active()).toBe(1)));

    const open = await scrape(metricsUrl(url));
    expect(valueOf(open, 'gateway_websocket_connections')).toBe(1);
    expect(valueOf(open, 'gateway_subscriptions_active')).toBe(1);
    expect(valueOf(open, 'gateway_subscription_upstreams')).toBe(1);

    subscription.unsubscribe();
    await client.dispose();
    await settled(url, (samples) => {
      expect(valueOf(samples, 'gateway_subscriptions_active')).toBe(0);
      expect(valueOf(samples, 'gateway_websocket_connections')).toBe(0);
      expect(valueOf(samples, 'gateway_subscription_upstreams')).toBe(0);
    });
  });
});

describe('who may read /metrics', () => {
  const supergraphPath = loadConfig({ NODE_ENV: 'test' }).SUPERGRAPH_PATH;

  it('asks for METRICS_TOKEN as a bearer token when one is set', async () => {
    const token = 'metrics-token-0123456789';
    const gateway = createGateway(
      testGatewayOptions({
        supergraphPath,
        metrics: metricsAccess({ METRICS_TOKEN: token, NODE_ENV: 'production' }),
      }),
    );
    toStop.push(gateway);
    const { url } = await gateway.start(0, '127.0.0.1');
    const anonymous = await fetch(metricsUrl(url));
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const wrong = await fetch(metricsUrl(url), { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const samples = await scrape(metricsUrl(url), token);
    expect(samples.some((s) => s.name === 'process_cpu_seconds_total')).toBe(true);
  });

  it('is not served in production without a token, and open in development', async () => {
    const production = createGateway(
      testGatewayOptions({
        supergraphPath,
        metrics: metricsAccess({ METRICS_TOKEN: undefined, NODE_ENV: 'production' }),
      }),
    );
    toStop.push(production);
    const closed = await production.start(0, '127.0.0.1');
    expect((await fetch(metricsUrl(closed.url))).status).toBe(404);

    const development = createGateway(
      testGatewayOptions({
        supergraphPath,
        metrics: metricsAccess({ METRICS_TOKEN: undefined, NODE_ENV: 'development' }),
      }),
    );
    toStop.push(development);
    const open = await development.start(0, '127.0.0.1');
    const response = await fetch(metricsUrl(open.url));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0.0.4/);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});
