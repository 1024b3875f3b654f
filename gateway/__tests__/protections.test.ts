import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { Redis } from 'ioredis';
import { createSubgraphServer, type SubgraphServer } from '../../lib/subgraphServer';
import { silentLogger } from '../../test/db';
import { testGatewayOptions } from '../../test/gateway';
import { graphqlRequest } from '../../test/graphql';
import { TEST_SCOPE_SECRET } from '../../test/scope';
import { createRateLimit } from '../rateLimit';
import { createGateway, type Gateway, type GatewayOptions } from '../server';

const SDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
type Query { node: Node nodes(first: Int): [Node!]! pageOf100(first: Int = 100): [Node!]! }
type Node { id: ID! name: String child: Node }`;

const node = (depth: number): Record<string, unknown> => ({
  id: String(depth),
  name: `node ${depth}`,
  child: depth > 0 ? node(depth - 1) : null,
});

let dir: string;
let supergraphPath: string;
let subgraph: SubgraphServer;
let subgraphUrl: string;
/** Every request the subgraph received: a refused operation must not add to it. */
let subgraphRequests = 0;
const gateways: Gateway[] = [];

beforeAll(async () => {
  subgraph = createSubgraphServer({
    name: 'nodes',
    typeDefs: parse(SDL),
    resolvers: {
      Query: { node: () => node(30), nodes: () => [node(3), node(3)], pageOf100: () => [node(3)] },
    },
    logger: silentLogger,
    introspection: true,
    maskInternalErrors: false,
    scopeSecret: TEST_SCOPE_SECRET,
    createContext: (request) => {
      subgraphRequests += 1;
      return request;
    },
    checkReady: () => Promise.resolve(),
  });
  subgraphUrl = (await subgraph.start(0, '127.0.0.1')).url;
  const composed = composeServices([{ name: 'nodes', typeDefs: parse(SDL), url: subgraphUrl }]);
  if (!composed.supergraphSdl) throw new Error('composition failed');
  dir = await mkdtemp(join(tmpdir(), 'protections-'));
  supergraphPath = join(dir, 'supergraph.graphql');
  await writeFile(supergraphPath, composed.supergraphSdl);
});

afterAll(async () => {
  for (const gateway of gateways) await gateway.stop();
  await subgraph?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function startGateway(overrides: Partial<GatewayOptions> = {}): Promise<string> {
  const gateway = createGateway(testGatewayOptions({ supergraphPath, ...overrides }));
  gateways.push(gateway);
  return (await gateway.start(0, '127.0.0.1')).url;
}

const nested = (depth: number): string =>
  depth === 0 ? 'name' : `name child { ${nested(depth - 1)} }`;

describe('query limits', () => {
  let url: string;
  beforeAll(async () => {
    url = await startGateway({
      limits: { maxDepth: 6, maxAliases: 5, maxTokens: 400, maxCost: 200, maxDirectives: 5 },
    });
  });

  async function expectRefused(query: string, message: RegExp): Promise<void> {
    const before = subgraphRequests;
    const result = await graphqlRequest(url, query);
    expect(result.data).toBeUndefined();
    // Several limits may be exceeded at once; each is reported.
    const messages = (result.errors ?? []).map((e) => e.message);
    expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
    expect(result.errors?.[0]?.extensions?.code).toMatch(
      /GRAPHQL_VALIDATION_FAILED|GRAPHQL_PARSE_FAILED/,
    );
    expect(subgraphRequests).toBe(before);
  }

  it('answers a query within the limits', async () => {
    const before = subgraphRequests;
    const result = await graphqlRequest(url, `{ node { ${nested(3)} } }`);
    expect(result.errors).toBeUndefined();
    expect(subgraphRequests).toBe(before + 1);
  });

  it('refuses an over-deep query before calling any subgraph', async () => {
    await expectRefused(`{ node { ${nested(8)} } }`, /Query depth limit of 6 exceeded, found \d+/);
  });

  it('refuses an alias flood', async () => {
    const aliases = Array.from({ length: 50 }, (_, i) => `a${i}: node { id }`).join(' ');
    await expectRefused(`{ ${aliases} }`, /Aliases limit of 5 exceeded, found 50/);
  });

  it('refuses an over-costly query', async () => {
    await expectRefused(
      `{ nodes(first: 100) { name child { name child { name } } } }`,
      /^query too expensive: cost \d+, over the limit of 200 \(LIMIT_MAX_COST\)/,
    );
  });

  it('counts `first` given as a variable, a variable default or the schema default', async () => {
    const costly = 'name child { name child { name } }';
    const cases: [string, Record<string, unknown>][] = [
      [`query ($n: Int) { nodes(first: $n) { ${costly} } }`, { n: 100 }],
      [`query ($n: Int = 100) { nodes(first: $n) { ${costly} } }`, {}],
      [`query { pageOf100 { ${costly} } }`, {}],
      [
        `query ($n: Int) { ...Nodes } fragment Nodes on Query { nodes(first: $n) { ${costly} } }`,
        {
          n: 100,
        },
      ],
    ];
    for (const [query, variables] of cases) {
      const before = subgraphRequests;
      const result = await graphqlRequest(url, query, variables);
      expect({ query, data: result.data, errors: result.errors }).toEqual({
        query,
        data: undefined,
        errors: [
          expect.objectContaining({
            message: expect.stringMatching(
              /^query too expensive: cost \d+, over the limit of 200 \(LIMIT_MAX_COST\)\. .*a list's `first` \(at most 500\), whether a literal or a variable/,
            ) as string,
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 200 },
          }),
        ],
      });
      expect(subgraphRequests).toBe(before);
    }
    // The same operations with a small page are within the limit.
    const cheap = await graphqlRequest(url, `query ($n: Int) { nodes(first: $n) { ${costly} } }`, {
      n: 2,
    });
    expect(cheap.errors).toBeUndefined();
    const paged = await graphqlRequest(url, `query { pageOf100(first: 2) { ${costly} } }`);
    expect(paged.errors).toBeUndefined();
  });

  it('refuses a query with too many tokens', async () => {
    // Long but shallow and cheap per token: only the token limit applies.
    const fields = Array.from({ length: 500 }, () => 'id').join(' ');
    await expectRefused(`{ node { ${fields} } }`, /Document contains more that 400 tokens/);
  });
});

describe('introspection and CSRF', () => {
  it('refuses introspection when it is switched off', async () => {
    const url = await startGateway({ introspection: false });
    const result = await graphqlRequest(url, '{ __schema { types { name } } }');
    expect(result.errors?.[0]?.message).toMatch(/introspection/i);
  });

  it('keeps Apollo CSRF prevention: a simple GET without a preflight header is refused', async () => {
    const url = await startGateway();
    const response = await fetch(`${url}?query=${encodeURIComponent('{ node { id } }')}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF/);
  });
});

async function expectRateLimited(url: string, points: number): Promise<void> {
  for (let i = 0; i < points; i += 1) {
    const result = await graphqlRequest(url, '{ node { id } }');
    expect(result.errors).toBeUndefined();
  }
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ node { id } }' }),
  });
  expect(response.status).toBe(429);
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  const body = (await response.json()) as {
    errors: { message: string; extensions: Record<string, unknown> }[];
  };
  expect(body.errors[0]?.extensions).toMatchObject({
    code: 'RATE_LIMITED',
    retryAfterSeconds: retryAfter,
  });
  expect(body.errors[0]?.message).toMatch(
    /^rate limit exceeded: at most 3 requests per 60 s; retry in \d+ s$/,
  );
}

describe('rate limit', () => {
  it('answers 429 with a retry hint past the limit (in-process counters)', async () => {
    const url = await startGateway({ rateLimit: createRateLimit({ points: 3, windowMs: 60_000 }) });
    await expectRateLimited(url, 3);
  });

  it('shares counters between gateways through Redis', async () => {
    const redis = new Redis(process.env.REDIS_URL!);
    await redis.del('mobility:rate:ip:127.0.0.1', 'mobility:rate:ip:::ffff:127.0.0.1');
    try {
      const limit = () => createRateLimit({ points: 3, windowMs: 60_000, redis });
      const first = await startGateway({ rateLimit: limit() });
      const second = await startGateway({ rateLimit: limit() });
      for (const url of [first, first, second]) {
        expect((await graphqlRequest(url, '{ node { id } }')).errors).toBeUndefined();
      }
      const refused = await graphqlRequest(second, '{ node { id } }');
      expect(refused.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    } finally {
      await redis.quit();
    }
  });
});
