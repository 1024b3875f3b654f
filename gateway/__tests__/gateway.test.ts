import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { testGatewayOptions } from '../../test/gateway';
import type { Logger } from '../../lib/logger';
import { createGateway, type Gateway, type GatewayOptions } from '../server';
import {
  compose,
  createCapturingLogger,
  eventually,
  EXTRAS_SDL_V1,
  EXTRAS_SDL_V2,
  graphql,
  replaceFile,
  silentLogger,
  startExtras,
  startHungServer,
  startThings,
  THINGS_SDL,
  type TestSubgraph,
  useTestResources,
} from './helpers';

interface ThingResult {
  hello: string;
  thing: { id: string; name: string; color: string; size?: number };
}

interface Stack {
  things: TestSubgraph;
  extras: TestSubgraph;
  supergraphPath: string;
  gateway: Gateway;
  url: string;
  origin: string;
}

const { toStop, dir } = useTestResources();

let fileCount = 0;
async function writeSupergraph(sdl: string): Promise<string> {
  fileCount += 1;
  const path = join(dir(), `supergraph-${fileCount}.graphql`);
  await writeFile(path, sdl);
  return path;
}

async function startGateway(
  supergraphPath: string,
  overrides: Partial<GatewayOptions> = {},
): Promise<{ gateway: Gateway; url: string; origin: string }> {
  const gateway = createGateway(testGatewayOptions({ supergraphPath, ...overrides }));
  toStop.push(gateway);
  const { url } = await gateway.start(0, '127.0.0.1');
  return { gateway, url, origin: new URL(url).origin };
}

/** Two real subgraphs, their supergraph (extras at v1) in a file, and a gateway over it. */
async function startStack(
  logger: Logger = silentLogger,
  overrides: Partial<GatewayOptions> = {},
): Promise<Stack> {
  const things = await startThings();
  toStop.push(things.server);
  const extras = await startExtras();
  toStop.push(extras.server);
  const supergraphPath = await writeSupergraph(
    compose([
      { name: 'things', sdl: THINGS_SDL, url: things.url },
      { name: 'extras', sdl: EXTRAS_SDL_V1, url: extras.url },
    ]),
  );
  const started = await startGateway(supergraphPath, { logger, ...overrides });
  return { things, extras, supergraphPath, ...started };
}

const SPANNING_QUERY = '{ hello thing(id: "42") { id name color } }';

describe('gateway queries', () => {
  it('answers a query whose fields span both subgraphs', async () => {
    const { url } = await startStack();
    const response = await graphql<ThingResult>(url, SPANNING_QUERY);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      data: { hello: 'world', thing: { id: '42', name: 'thing 42', color: 'color 42' } },
    });
  });

  it('forwards the x-request-id of the incoming request to every subgraph', async () => {
    const { url, things, extras } = await startStack();
    const response = await graphql(url, SPANNING_QUERY, { 'x-request-id': 'req-span-1' });
    expect(response.headers.get('x-request-id')).toBe('req-span-1');
    expect(things.requestIds).toContain('req-span-1');
    expect(extras.requestIds).toContain('req-span-1');
  });

  it('generates a request id when the client sends none', async () => {
    const { url, extras } = await startStack();
    const response = await graphql(url, SPANNING_QUERY);
    const generated = response.headers.get('x-request-id');
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    expect(extras.requestIds).toContain(generated);
  });

  it('routes to the URL in subgraphUrls rather than the one in the supergraph', async () => {
    const things = await startThings();
    toStop.push(things.server);
    const extras = await startExtras();
    toStop.push(extras.server);
    const path = await writeSupergraph(
      compose([
        { name: 'things', sdl: THINGS_SDL, url: things.url },
        { name: 'extras', sdl: EXTRAS_SDL_V1, url: 'http://127.0.0.1:9/graphql' },
      ]),
    );
    const { url } = await startGateway(path, { subgraphUrls: { extras: extras.url } });
    const response = await graphql<ThingResult>(url, SPANNING_QUERY);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.thing.color).toBe('color 42');
  });

  it("passes a subgraph's user errors through and masks its internal errors", async () => {
    const { url } = await startStack(silentLogger, { maskInternalErrors: true });
    const userError = await graphql(url, '{ echo(text: "") }');
    expect(userError.body.errors?.[0]).toMatchObject({
      message: 'text: must not be empty',
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'text', serviceName: 'things' },
    });
    const internal = await graphql(url, '{ boom }');
    expect(internal.body.errors?.[0]).toMatchObject({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(JSON.stringify(internal.body)).not.toContain('hunter2');
  });

  it('rejects a JSON body over 1 MB with 413', async () => {
    const { url } = await startStack();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ hello }', variables: { pad: 'x'.repeat(1_100_000) } }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      errors: [{ message: expect.any(String) as string, extensions: { code: 'BAD_REQUEST' } }],
    });
  });
});

describe('supergraph reload', () => {
  it('serves a new composition written to the file and keeps it when garbage follows', async () => {
    const capture = createCapturingLogger();
    const { url, supergraphPath, things, extras } = await startStack(capture.logger);
    const sizeQuery = '{ thing(id: "abc") { size } }';
    const before = await graphql<ThingResult>(url, sizeQuery);
    expect(before.body.errors?.[0]?.message).toMatch(/Cannot query field "size"/);

    const v2 = compose([
      { name: 'things', sdl: THINGS_SDL, url: things.url },
      { name: 'extras', sdl: EXTRAS_SDL_V2, url: extras.url },
    ]);
    await replaceFile(supergraphPath, v2);
    await eventually(async () => {
      const response = await graphql<ThingResult>(url, sizeQuery);
      expect(response.body).toEqual({ data: { thing: { size: 3 } } });
    });

    await writeFile(supergraphPath, 'this is not { a supergraph');
    await eventually(() => {
      expect(capture.messages().join('\n')).toMatch(/not a valid supergraph/);
      return Promise.resolve();
    });
    const after = await graphql<ThingResult>(url, sizeQuery);
    expect(after.body).toEqual({ data: { thing: { size: 3 } } });
  });
});

describe('health and readiness', () => {
  it('is live, ready with every subgraph up, and names the subgraph that goes down', async () => {
    const { origin, extras } = await startStack();
    const health = await fetch(`${origin}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    const ready = await fetch(`${origin}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      subgraphs: expect.arrayContaining([
        { name: 'things', up: true },
        { name: 'extras', up: true },
      ]) as unknown,
    });

    await extras.server.stop();
    const body = await eventually(async () => {
      const response = await fetch(`${origin}/ready`);
      expect(response.status).toBe(503);
      return response.text();
    });
    // Names only: no subgraph URL, port or reason for whoever asks.
    expect(JSON.parse(body)).toEqual({
      status: 'not ready',
      subgraphs: expect.arrayContaining([
        { name: 'extras', up: false },
        { name: 'things', up: true },
      ]) as unknown,
    });
    expect(body).not.toMatch(/http|127\.0\.0\.1|ECONNREFUSED|:\d{2,5}/);
  });
});

describe('landing page', () => {
  const externalReferences = (html: string, origin: string): string[] =>
    (html.match(/https?:\/\/[^\s"'<>)]+/g) ?? []).filter((u) => new URL(u).origin !== origin);

  it.each(['/', '/graphql'])('GET %s as a browser loads nothing from other hosts', async (path) => {
    const { origin } = await startStack();
    const response = await fetch(`${origin}${path}`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toContain('zoneAt(lat: 52.3731, lng: 4.8932)');
    expect(html).toContain(`curl -s ${origin}/graphql`);
    expect(html).toContain('href="/health"');
    expect(html).toContain('href="/ready"');
    expect(externalReferences(html, origin)).toEqual([]);
    // The schema explorer's code and styles come from this gateway (explorer.test.ts runs it).
    const loaded = [...html.matchAll(/<(?:script|link)\b[^>]*\s(?:src|href)="([^"]*)"/gi)];
    for (const [, ref] of loaded) expect(ref).toMatch(/^(\/explorer\/assets\/|data:)/);
    expect(html).not.toMatch(/@import|url\(/i);
  });
});

describe('CORS', () => {
  it('answers a preflight from another origin on /graphql, and allows it on the response', async () => {
    const { url } = await startStack();
    const preflight = await fetch(url, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://dashboard.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    const response = await graphql(url, '{ hello }', { origin: 'https://dashboard.example' });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('allows no other origin on /ready, /health and the explorer', async () => {
    const { origin } = await startStack();
    for (const path of ['/ready', '/health', '/']) {
      const response = await fetch(`${origin}${path}`, {
        headers: { origin: 'https://evil.example' },
      });
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('allows only the configured origins when given a list', async () => {
    const { url } = await startStack(silentLogger, {
      corsOrigins: ['https://dashboard.example'],
    });
    const allowed = await graphql(url, '{ hello }', { origin: 'https://dashboard.example' });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://dashboard.example');
    expect(allowed.headers.get('vary')).toMatch(/origin/i);
    const other = await fetch(url, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('subgraph timeout', () => {
  it('turns a subgraph that never answers into a GraphQL error within the timeout', async () => {
    const hung = await startHungServer();
    toStop.push({ stop: () => hung.close() });
    const path = await writeSupergraph(
      compose([{ name: 'slow', sdl: 'type Query { slow: String }', url: hung.url }]),
    );
    const { url } = await startGateway(path, { subgraphTimeoutMs: 300 });
    const startedAt = Date.now();
    const response = await graphql<{ slow: string | null }>(url, '{ slow }');
    expect(Date.now() - startedAt).toBeLessThan(3000);
    expect(response.body.data).toEqual({ slow: null });
    expect(response.body.errors?.[0]).toMatchObject({
      message: 'subgraph "slow" did not answer within 300 ms; missing from this answer: slow',
      extensions: { code: 'SERVICE_UNAVAILABLE', serviceName: 'slow' },
    });
  });
});

describe('start and stop', () => {
  it('rejects start() with a one-line message naming a missing supergraph file', async () => {
    const missing = join(dir(), 'does-not-exist.graphql');
    const gateway = createGateway(
      testGatewayOptions({
        supergraphPath: missing,
        introspection: false,
        maskInternalErrors: true,
      }),
    );
    toStop.push(gateway);
    const error = await gateway.start(0, '127.0.0.1').then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    expect(error?.message).toBe(`cannot read supergraph file ${missing}: no such file`);
  });

  it('rejects start() with a one-line message naming an invalid supergraph file', async () => {
    const path = await writeSupergraph('type Query { notASupergraph: String }');
    const gateway = createGateway(
      testGatewayOptions({ supergraphPath: path, introspection: false, maskInternalErrors: true }),
    );
    toStop.push(gateway);
    const error = await gateway.start(0, '127.0.0.1').then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    expect(error?.message).toContain(path);
    expect(error?.message).not.toContain('\n');
  });

  it('stops twice without error and closes its port', async () => {
    const { gateway, origin } = await startStack();
    await Promise.all([gateway.stop(), gateway.stop()]);
    await gateway.stop();
    await expect(fetch(`${origin}/health`)).rejects.toThrow();
  });
});
