import type { IncomingMessage } from 'node:http';
import { readFeed, TokenCache, type FeedConfig } from '..';
import { feedConfig, READ, readFixture, startFeedServer, type FeedServer } from './feedServer';

const FREE_BIKE_STATUS = readFixture(
  'gbfs-json-schema',
  'testFixtures',
  'v2.3',
  'free_bike_status.json',
);

let server: FeedServer;
let issued = 0;
/** Tokens the feed accepts; the test can revoke them. */
const valid = new Set<string>();
let lastTokenRequest: { authorization?: string; body: string } | undefined;

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => resolve(text));
  });
}

beforeAll(async () => {
  server = await startFeedServer();
  server.route('/token', (req, res) => {
    void body(req).then((form) => {
      lastTokenRequest = { authorization: req.headers.authorization, body: form };
      const expected = `Basic ${Buffer.from('dashboard:s3cret').toString('base64')}`;
      if (req.method !== 'POST' || req.headers.authorization !== expected) {
        res
          .writeHead(401, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: 'invalid_client', error_description: 'unknown client' }));
        return;
      }
      issued += 1;
      const token = `token-${issued}`;
      valid.add(token);
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 3600 }));
    });
  });
  server.route('/feed.json', (req, res) => {
    const token = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
    if (!valid.has(token)) {
      res.writeHead(401).end();
      return;
    }
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify(FREE_BIKE_STATUS));
  });
});
afterAll(() => server.close());

beforeEach(() => {
  issued = 0;
  valid.clear();
});

function oauthFeed(clientSecret: string): FeedConfig {
  return feedConfig({
    url: `${server.base}/feed.json`,
    type: 'GBFS_FREE_BIKE_STATUS',
    auth: {
      type: 'OAUTH2_CLIENT_CREDENTIALS',
      tokenUrl: `${server.base}/token`,
      clientId: 'dashboard',
      clientSecret,
      scope: 'vehicles:read',
    },
  });
}

describe('OAuth2 client credentials', () => {
  it('asks for a token once and reuses it until it expires', async () => {
    let nowMs = Date.UTC(2024, 4, 1);
    const tokens = new TokenCache(() => nowMs);
    const feed = oauthFeed('s3cret');
    for (let i = 0; i < 3; i += 1) {
      const result = await readFeed(feed, { ...READ, tokens });
      expect(result.ok).toBe(true);
    }
    expect(issued).toBe(1);
    expect(server.hits('/token')).toBeGreaterThanOrEqual(1);
    expect(lastTokenRequest?.body).toBe('grant_type=client_credentials&scope=vehicles%3Aread');

    nowMs += 3600 * 1000;
    expect((await readFeed(feed, { ...READ, tokens })).ok).toBe(true);
    expect(issued).toBe(2);
  });

  it('parallel reads share one token request', async () => {
    const tokens = new TokenCache();
    const feed = oauthFeed('s3cret');
    const results = await Promise.all([1, 2, 3, 4].map(() => readFeed(feed, { ...READ, tokens })));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(issued).toBe(1);
    expect(tokens.requests).toBe(1);
  });

  it('renews a token the feed no longer accepts', async () => {
    const tokens = new TokenCache();
    const feed = oauthFeed('s3cret');
    expect((await readFeed(feed, { ...READ, tokens })).ok).toBe(true);
    valid.clear();
    expect((await readFeed(feed, { ...READ, tokens })).ok).toBe(true);
    expect(issued).toBe(2);
  });

  it('a 401 from the token endpoint is AUTH', async () => {
    const result = await readFeed(oauthFeed('wrong'), { ...READ, tokens: new TokenCache() });
    expect(result).toEqual({
      ok: false,
      error: {
        kind: 'AUTH',
        url: `${server.base}/token`,
        path: null,
        httpStatus: 401,
        message:
          'the token endpoint refused the client credentials of "dashboard": HTTP 401 (invalid_client: unknown client)',
      },
    });
  });
});
