import { startTestStack, type TestStack } from '../../test/stack';
import { subscribe, wsClient } from './wsClients';

/**
 * The cost limit (LIMIT_MAX_COST, 50 000) on the real schema counts `first` however it is given:
 * as a literal, a variable or a variable's default, over HTTP and over WebSocket alike.
 */
let stack: TestStack;
const clients: ReturnType<typeof wsClient>[] = [];

beforeAll(async () => {
  stack = await startTestStack({ subgraphs: ['zones', 'users', 'microhubs'] });
});

afterAll(async () => {
  for (const client of clients) await client.dispose();
  await stack?.stop();
});

const TOO_EXPENSIVE =
  /^query too expensive: cost \d+, over the limit of 50000 \(LIMIT_MAX_COST\)\. .*`first` \(at most 500\), whether a literal or a variable/;

/** 15 pages of 500 zones with their outlines: far over 50 000 whatever way `first` is given. */
const FIELDS = 'code name areaKm2 geometry bbox { minLng minLat maxLng maxLat }';
const zonesQuery = (first: string, declaration = '($n: Int)') =>
  `query ${declaration} { ${Array.from(
    { length: 15 },
    (_, i) => `z${i}: zones(first: ${first}) { edges { node { ${FIELDS} } } }`,
  ).join(' ')} }`;

describe('the cost limit counts first from variables', () => {
  it('over HTTP: a literal, a variable and a default alike', async () => {
    const cases: [string, Record<string, unknown>][] = [
      [zonesQuery('500', ''), {}],
      [zonesQuery('$n'), { n: 500 }],
      [zonesQuery('$n', '($n: Int = 500)'), {}],
    ];
    for (const [query, variables] of cases) {
      const result = await stack.request(query, variables);
      expect(result.data ?? null).toBeNull();
      expect(result.errors?.[0]).toMatchObject({
        message: expect.stringMatching(TOO_EXPENSIVE) as string,
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 50_000 },
      });
    }
    const cheap = await stack.request(zonesQuery('$n'), { n: 2 });
    expect(cheap.errors).toBeUndefined();
  });

  it('over WebSocket: a subscription whose nested pages come from variables', async () => {
    const client = wsClient(stack.url.replace(/^http/, 'ws'));
    clients.push(client);
    const query = `subscription ($a: Int, $b: Int) {
      hubStatusChanged {
        hub { history(first: $a) { edges { node { hub {
          history(first: $b) { edges { node { id open reason vehicles capacity at } } } } } } } }
      }
    }`;
    const refused = await subscribe(client, query, { a: 500, b: 500 }).ended;
    expect(refused.error).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(TOO_EXPENSIVE) as string,
        extensions: expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED' }) as object,
      }),
    ]);
    // With small pages the same subscription is accepted: it runs until the client ends it.
    const accepted = subscribe(client, query, { a: 2, b: 2 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(accepted.isEnded()).toBe(false);
    accepted.unsubscribe();
  });
});
