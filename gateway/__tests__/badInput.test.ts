import { loadConfig } from '../../lib/config';
import { testGatewayOptions } from '../../test/gateway';
import { startTestStack, type TestStack } from '../../test/stack';
import { createGateway, type Gateway } from '../server';
import { rawSocket } from './wsClients';

/**
 * Odd input is BAD_USER_INPUT naming the argument, before any subgraph sees it, whatever the
 * gateway's error masking: no SQL, internal URL or stack ever reaches the client.
 */
let stack: TestStack;
let unmasked: Gateway;
let urls: { name: string; url: string }[];

beforeAll(async () => {
  stack = await startTestStack({ subgraphs: ['zones', 'users', 'vehicles', 'microhubs'] });
  unmasked = createGateway(
    testGatewayOptions({
      supergraphPath: loadConfig({ NODE_ENV: 'test' }).SUPERGRAPH_PATH,
      subgraphUrls: stack.subgraphUrls,
      maskInternalErrors: false,
    }),
  );
  const { url } = await unmasked.start(0, '127.0.0.1');
  urls = [
    { name: 'masked', url: stack.url },
    { name: 'unmasked', url },
  ];
});

afterAll(async () => {
  await unmasked?.stop();
  await stack?.stop();
});

async function post(url: string, body: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const text = await response.text();
  // Nothing internal, whatever the case.
  expect(text).not.toMatch(/select |insert |127\.0\.0\.1|localhost|\s+at [\w.]+ \(/i);
  return {
    status: response.status,
    body: JSON.parse(text) as {
      data?: unknown;
      errors?: { message: string; extensions?: Record<string, unknown> }[];
    },
  };
}

const query = (q: string, variables: Record<string, unknown> = {}) =>
  JSON.stringify({ query: q, variables });

async function expectBadInput(body: string, argumentName: string, message: string) {
  for (const { url } of urls) {
    const { body: result } = await post(url, body);
    expect(result.errors?.[0]).toEqual({
      message: `${argumentName}: ${message}`,
      extensions: { code: 'BAD_USER_INPUT', argumentName },
    });
    expect(result.data ?? null).toBeNull();
  }
}

describe('bad input is BAD_USER_INPUT with the argument named', () => {
  it('refuses a NUL character in a literal and in a variable', async () => {
    await expectBadInput(
      query('{ zones(filter: { nameContains: "Am\\u0000" }) { totalCount } }'),
      'filter.nameContains',
      'must not contain a NUL character',
    );
    await expectBadInput(
      query('query ($f: ZoneFilter) { zones(filter: $f) { totalCount } }', {
        f: { nameContains: 'Am\u0000' },
      }),
      'filter.nameContains',
      'must not contain a NUL character',
    );
  });

  it('refuses an impossible DateTime, as a literal or a variable', async () => {
    await expectBadInput(
      query('{ parkEventsAt(at: "2026-13-45T99:99:99Z") { totalCount } }'),
      'at',
      '"2026-13-45T99:99:99Z" is not an ISO-8601 date-time (like 2026-11-01T12:00:00Z)',
    );
    await expectBadInput(
      query('query ($at: DateTime!) { parkEventsAt(at: $at) { totalCount } }', { at: 20261101 }),
      'at',
      '20261101 is not an ISO-8601 date-time string',
    );
  });

  it('refuses a Float literal that overflows', async () => {
    await expectBadInput(
      query('{ zoneAt(lat: 1e400, lng: 4.9) { code } }'),
      'lat',
      '1e400 is not a finite number',
    );
  });

  it('refuses a GeoJSON variable nested 10 000 deep instead of overflowing the stack', async () => {
    const deep = `${'['.repeat(10_000)}4.9,52.3${']'.repeat(10_000)}`;
    const body = `{"query":"mutation ($input: CreateHubInput!) { createHub(input: $input) { id } }","variables":{"input":{"name":"x","capacity":{"combined":1},"geometry":{"type":"Polygon","coordinates":${deep}}}}}`;
    await expectBadInput(body, 'input.geometry.coordinates', 'is nested deeper than 32 levels');
  });

  it('checks subscription arguments the same way', async () => {
    const socket = rawSocket(stack.url.replace(/^http/, 'ws'));
    await socket.opened;
    socket.send({ type: 'connection_init' });
    await socket.message('connection_ack');
    socket.send({
      id: '1',
      type: 'subscribe',
      payload: {
        query: 'subscription ($m: [String!]) { hubStatusChanged(municipalities: $m) { hubId } }',
        variables: { m: ['GM0363\u0000'] },
      },
    });
    expect(await socket.message('error')).toMatchObject({
      payload: [
        {
          message: 'municipalities[0]: must not contain a NUL character',
          extensions: { code: 'BAD_USER_INPUT', argumentName: 'municipalities[0]' },
        },
      ],
    });
    socket.socket.close();
    await socket.closed;
  });
});

describe('requests that are not GraphQL at all, and limits', () => {
  it('answers a malformed JSON body with a code', async () => {
    const { status, body } = await post(stack.url, '{"query": "{ zones { totalCount } }');
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'BAD_REQUEST' });
    expect(body.errors?.[0]?.message).toMatch(/JSON/);
  });

  it('explains the cost limit, and that first is at most 500', async () => {
    const fields = 'code name areaKm2 geometry bbox { minLng minLat maxLng maxLat }';
    const aliases = Array.from(
      { length: 15 },
      (_, i) => `z${i}: zones(first: 500) { edges { node { ${fields} } } }`,
    ).join(' ');
    const { body } = await post(stack.url, query(`{ ${aliases} }`));
    expect(body.data ?? null).toBeNull();
    const message = body.errors?.[0]?.message ?? '';
    expect(message).not.toMatch(/^Syntax Error/);
    expect(message).toMatch(
      /^query too expensive: cost \d+, over the limit of 50000 \(LIMIT_MAX_COST\)\. .*`first` \(at most 500\)/,
    );
  });

  it('refuses first above 500 naming the argument', async () => {
    const { body } = await post(stack.url, query('{ zones(first: 501) { totalCount } }'));
    expect(body.errors?.[0]).toMatchObject({
      message: 'first: must be between 1 and 500, got 501',
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'first' },
    });
  });
});
