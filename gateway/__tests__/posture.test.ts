import { writeFile } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { parse } from 'graphql';
import { PUBLIC_SCOPE, type Scope } from '../../lib/auth/scope';
import { createSubgraphServer } from '../../lib/subgraphServer';
import { testGatewayOptions } from '../../test/gateway';
import { createCapturingLogger, duplicateKeys } from '../../test/logLines';
import { TEST_SCOPE_SECRET } from '../../test/scope';
import { createGateway, type GatewayOptions } from '../server';
import {
  compose,
  EXTRAS_SDL_V1,
  graphql,
  silentLogger,
  startExtras,
  startThings,
  THINGS_SDL,
  type TestSubgraph,
  useTestResources,
} from './helpers';
import { startLiveStack } from './liveStack';
import { subscribe, wsClient } from './wsClients';

const { toStop, dir } = useTestResources();

const ADMIN: Scope = {
  ...PUBLIC_SCOPE,
  principal: { type: 'USER', userId: 'u-admin', email: 'root@example.test' },
  admin: true,
};

/** `Bearer admin` is an administrator, anything else anonymous. */
function authenticate(headers: IncomingHttpHeaders): Promise<Scope> {
  return Promise.resolve(headers.authorization === 'Bearer admin' ? ADMIN : PUBLIC_SCOPE);
}

let fileCount = 0;

async function startStack(
  overrides: Partial<GatewayOptions> = {},
  things?: TestSubgraph,
): Promise<{ url: string; origin: string; things: TestSubgraph }> {
  const thingsServer = things ?? (await startThings());
  toStop.push(thingsServer.server);
  const extras = await startExtras();
  toStop.push(extras.server);
  fileCount += 1;
  const supergraphPath = join(dir(), `supergraph-${fileCount}.graphql`);
  await writeFile(
    supergraphPath,
    compose([
      { name: 'things', sdl: THINGS_SDL, url: thingsServer.url },
      { name: 'extras', sdl: EXTRAS_SDL_V1, url: extras.url },
    ]),
  );
  const gateway = createGateway(
    testGatewayOptions({ supergraphPath, authenticate, logger: silentLogger, ...overrides }),
  );
  toStop.push(gateway);
  const { url } = await gateway.start(0, '127.0.0.1');
  return { url, origin: new URL(url).origin, things: thingsServer };
}

describe('security headers', () => {
  it('sends nosniff, no framing, no referrer and a CSP on the explorer and the API', async () => {
    const { url, origin } = await startStack();
    const page = await fetch(`${origin}/`, { headers: { accept: 'text/html' } });
    const api = await graphql(url, '{ hello }');
    for (const headers of [page.headers, api.headers]) {
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      expect(headers.get('x-frame-options')).toBe('DENY');
      expect(headers.get('referrer-policy')).toBe('no-referrer');
      const csp = headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(headers.get('x-powered-by')).toBeNull();
      // Plain HTTP: HSTS would mean nothing and must not pin a development host.
      expect(headers.get('strict-transport-security')).toBeNull();
    }
  });

  it('sends HSTS when the request arrived over TLS at a trusted proxy', async () => {
    const { origin } = await startStack({ trustProxy: true, hstsMaxAgeSeconds: 31_536_000 });
    const response = await fetch(`${origin}/health`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(response.headers.get('strict-transport-security')).toBe(
      'max-age=31536000; includeSubDomains',
    );
    const off = await startStack({ trustProxy: true, hstsMaxAgeSeconds: 0 });
    const none = await fetch(`${off.origin}/health`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(none.headers.get('strict-transport-security')).toBeNull();
  });
});

describe('readiness details', () => {
  it('gives administrators the health URLs, everyone else names only', async () => {
    const { origin } = await startStack();
    const anonymous = await fetch(`${origin}/ready`);
    const text = await anonymous.text();
    expect(text).not.toContain('http');
    expect(anonymous.headers.get('cache-control')).toBe('no-store');
    const admin = await fetch(`${origin}/ready`, { headers: { authorization: 'Bearer admin' } });
    const details = (await admin.json()) as { subgraphs: { name: string; healthUrl: string }[] };
    expect(details.subgraphs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'things',
          healthUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/health$/) as unknown,
        }),
      ]),
    );
  });
});

describe('introspection off', () => {
  it('suggests no field or argument names in validation errors', async () => {
    const { url } = await startStack({ introspection: false });
    const field = await graphql(url, '{ thng(id: "1") { id } }');
    expect(field.body.errors?.[0]?.message).toBe('Cannot query field "thng" on type "Query".');
    const argument = await graphql(url, '{ thing(idd: "1") { id } }');
    const messages = argument.body.errors?.map((e) => e.message).join('\n') ?? '';
    expect(messages).toContain('Unknown argument "idd" on field "Query.thing".');
    expect(messages).not.toMatch(/did you mean/i);
  });

  it('still suggests names while introspection is on', async () => {
    const { url } = await startStack({ introspection: true });
    const field = await graphql(url, '{ thng(id: "1") { id } }');
    expect(field.body.errors?.[0]?.message).toMatch(/Did you mean "thing"\?/);
  });

  it('suggests no names to subscriptions over WebSocket either', async () => {
    const stack = await startLiveStack(toStop, dir());
    const gateway = createGateway(
      testGatewayOptions({
        supergraphPath: stack.supergraphPath,
        introspection: false,
        logger: silentLogger,
      }),
    );
    toStop.push(gateway);
    const { url } = await gateway.start(0, '127.0.0.1');
    const client = wsClient(url.replace(/^http/, 'ws'));
    toStop.push({ stop: async () => void (await client.dispose()) });
    const subscription = subscribe(client, 'subscription { thingChangd { id } }');
    const { error } = await subscription.ended;
    const text = JSON.stringify(error);
    expect(text).toContain('Cannot query field \\"thingChangd\\"');
    expect(text).not.toMatch(/did you mean/i);
  });

  it('says on the landing page that the explorer is unavailable, and serves no bundle', async () => {
    const { origin } = await startStack({ introspection: false });
    for (const path of ['/', '/graphql']) {
      const page = await fetch(`${origin}${path}`, { headers: { accept: 'text/html' } });
      const html = await page.text();
      expect(html).toContain('Introspection is disabled');
      expect(html).not.toContain('<script');
    }
    const bundle = await fetch(`${origin}/explorer/assets/explorer.js`);
    expect(bundle.status).toBe(404);
  });
});

describe('request ids and logs', () => {
  it('replaces a request id that is not a plain id, and sends the replacement to subgraphs', async () => {
    const { url, things } = await startStack();
    const injected = 'probe-req-id-"}{injected';
    const response = await graphql(url, '{ hello }', { 'x-request-id': injected });
    const used = response.headers.get('x-request-id');
    expect(used).toMatch(/^[0-9a-f-]{36}$/);
    expect(things.requestIds).toEqual([used]);
    const long = await graphql(url, '{ hello }', { 'x-request-id': 'a'.repeat(101) });
    expect(long.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const fine = await graphql(url, '{ hello }', { 'x-request-id': 'trace-01:ab.CD_9' });
    expect(fine.headers.get('x-request-id')).toBe('trace-01:ab.CD_9');
  });

  it('writes the request id on every line of a request, one access line, and no variables', async () => {
    const gatewayLog = createCapturingLogger();
    const subgraphLog = createCapturingLogger();
    const requestIds: string[] = [];
    const server = createSubgraphServer({
      name: 'things',
      typeDefs: parse(THINGS_SDL),
      resolvers: {
        Query: {
          hello: () => 'world',
          echo: (_source: unknown, { text }: { text: string }) => text.length,
          boom: () => {
            throw new Error('relation "x" does not exist');
          },
        },
      },
      logger: subgraphLog.logger,
      introspection: false,
      maskInternalErrors: true,
      createContext: (request) => {
        requestIds.push(request.requestId);
        return request;
      },
      checkReady: () => Promise.resolve(),
      scopeSecret: TEST_SCOPE_SECRET,
    });
    const things = { server, url: (await server.start(0, '127.0.0.1')).url, requestIds };
    const { url } = await startStack({ logger: gatewayLog.logger }, things);

    const before = gatewayLog.lines().length;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-log-1' },
      body: JSON.stringify({
        query: 'query Boom($secret: String!) { boom echo(text: $secret) }',
        operationName: 'Boom',
        variables: { secret: 'VARIABLE-MARKER-1' },
      }),
    });
    expect(response.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 50));

    const subgraphErrors = subgraphLog.records().filter((r) => r.msg === 'unexpected error');
    expect(subgraphErrors).toHaveLength(1);
    expect(subgraphErrors[0]).toMatchObject({ requestId: 'req-log-1' });
    const gatewayLines = gatewayLog.records().slice(before);
    expect(gatewayLines.map((r) => r.msg)).toEqual(
      expect.arrayContaining(['unexpected error', 'request']),
    );
    for (const line of gatewayLines) expect(line).toMatchObject({ requestId: 'req-log-1' });
    const access = gatewayLines.filter((r) => r.msg === 'request');
    expect(access).toEqual([
      expect.objectContaining({
        requestId: 'req-log-1',
        operationName: 'Boom',
        operationType: 'query',
        status: 200,
        caller: 'ANONYMOUS',
        durationMs: expect.any(Number) as unknown,
      }),
    ]);
    const everything = [...gatewayLog.lines(), ...subgraphLog.lines()];
    expect(everything.join('\n')).not.toContain('VARIABLE-MARKER-1');
    for (const line of everything) expect(duplicateKeys(line)).toEqual([]);
  });
});
