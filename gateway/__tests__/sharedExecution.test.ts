import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'graphql';
import { loadConfig } from '../../lib/config';
import { channels } from '../../lib/domain/channels';
import { Lifecycle } from '../../lib/lifecycle';
import { InProcessPubSub } from '../../lib/pubsub';
import { createSubgraphServer, type RequestInfo } from '../../lib/subgraphServer';
import { testGatewayOptions } from '../../test/gateway';
import { createConfiguredGateway } from '../fromConfig';
import { createGateway, type ExecutionSharing } from '../server';
import { compose, silentLogger, TEST_SCOPE_SECRET, useTestResources } from './helpers';
import { authenticate } from './liveStack';

/**
 * Sharing executions between callers (sharedExecution.ts, dataSource.ts): identical queries in
 * flight share one execution and one subgraph fetch within a scope, never across scopes; public
 * results are cached until a data event; `Cache-Control` says which answers are public.
 */
const { toStop, dir } = useTestResources();

const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';
const SDL = `${FEDERATION_LINK}
type Query { whoami(tag: String): Who! broken: Who! }
type Who { organisation: String operators: [String!]! call: Int! tag: String }
`;

/** A subgraph whose answer is the caller's scope and a call counter; it holds each call `delayMs`. */
async function startCounter(delayMs: number) {
  const calls: string[] = [];
  const server = createSubgraphServer<RequestInfo>({
    name: 'counter',
    typeDefs: parse(SDL),
    resolvers: {
      Query: {
        whoami: async (_: unknown, { tag }: { tag?: string }, ctx: unknown) => {
          const context = ctx as RequestInfo;
          calls.push(context.scope.organisationId ?? 'public');
          const call = calls.length;
          await new Promise((resolve) => setTimeout(resolve, delayMs));
          return {
            organisation: context.scope.organisationId,
            operators: context.scope.operators,
            call,
            tag: tag ?? null,
          };
        },
        broken: () => {
          throw new Error('the counter is broken');
        },
      },
    },
    logger: silentLogger,
    introspection: false,
    maskInternalErrors: false,
    createContext: (request) => request,
    checkReady: () => Promise.resolve(),
    scopeSecret: TEST_SCOPE_SECRET,
  });
  toStop.push(server);
  const { url } = await server.start(0, '127.0.0.1');
  const supergraphPath = join(dir(), `counter-${Math.random().toString(36).slice(2)}.graphql`);
  await writeFile(supergraphPath, compose([{ name: 'counter', sdl: SDL, url }]));
  return { calls, supergraphPath };
}

/** The data-changed events a gateway listens to, fired by the test. */
function dataEvents() {
  const listeners = new Set<() => void>();
  return {
    fire: () => listeners.forEach((listener) => listener()),
    onDataChanged: (listener: () => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

async function startGateway(supergraphPath: string, sharing: Partial<ExecutionSharing> = {}) {
  const events = dataEvents();
  const gateway = createGateway(
    testGatewayOptions({
      supergraphPath,
      authenticate,
      execution: {
        dedup: true,
        cacheMaxEntries: 100,
        cacheTtlMs: 60_000,
        publicMaxAgeSeconds: 7,
        onDataChanged: events.onDataChanged,
        ...sharing,
      },
    }),
  );
  toStop.push(gateway);
  const { url } = await gateway.start(0, '127.0.0.1');
  return { url, events };
}

interface Who {
  organisation: string | null;
  operators: string[];
  call: number;
  tag: string | null;
}

async function ask(
  url: string,
  token?: string,
  query = 'query Who($tag: String) { whoami(tag: $tag) { organisation operators call tag } }',
  variables: Record<string, unknown> = {},
) {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: { whoami: Who }; errors?: unknown[] };
  return { body, cacheControl: response.headers.get('cache-control'), who: body.data?.whoami };
}

describe('identical queries in flight', () => {
  it('share one execution within a scope', async () => {
    const { calls, supergraphPath } = await startCounter(300);
    const { url } = await startGateway(supergraphPath);
    const answers = await Promise.all(Array.from({ length: 6 }, () => ask(url, 'op-a')));
    expect(calls).toEqual(['org-op-a']);
    for (const { who } of answers) {
      expect(who).toEqual({ organisation: 'org-op-a', operators: ['op-a'], call: 1, tag: null });
    }
  });

  it('never share across scopes: two scopes racing each get their own data', async () => {
    const { calls, supergraphPath } = await startCounter(300);
    const { url } = await startGateway(supergraphPath);
    const callers = ['op-a', 'op-b', undefined, 'op-b', 'op-a', undefined, 'op-a', 'op-b'];
    const answers = await Promise.all(callers.map((token) => ask(url, token)));
    answers.forEach(({ who }, i) => {
      const token = callers[i];
      expect(who?.organisation).toBe(token ? `org-${token}` : null);
      expect(who?.operators).toEqual(token ? [token] : []);
    });
    // One execution per scope, each reaching the subgraph with its own signed scope.
    expect([...calls].sort()).toEqual(['org-op-a', 'org-op-b', 'public']);
    const callOf = (token: string | undefined) =>
      new Set(answers.filter((_, i) => callers[i] === token).map(({ who }) => who?.call));
    for (const token of ['op-a', 'op-b', undefined]) expect(callOf(token).size).toBe(1);
  });

  it('with other variables are not shared', async () => {
    const { calls, supergraphPath } = await startCounter(200);
    const { url } = await startGateway(supergraphPath, { cacheMaxEntries: 0 });
    const query =
      'query Who($tag: String) { whoami(tag: $tag) { organisation operators call tag } }';
    const answers = await Promise.all(
      ['x', 'y', 'x'].map((tag) => ask(url, 'op-a', query, { tag })),
    );
    expect(answers.map(({ who }) => who?.tag)).toEqual(['x', 'y', 'x']);
    expect(calls).toHaveLength(2);
  });
});

describe('the public response cache', () => {
  it('serves anonymous results until data changes; signed-in callers always execute', async () => {
    const { calls, supergraphPath } = await startCounter(0);
    const { url, events } = await startGateway(supergraphPath);
    expect((await ask(url)).who?.call).toBe(1);
    expect((await ask(url)).who?.call).toBe(1);
    expect((await ask(url, 'op-a')).who?.call).toBe(2);
    expect((await ask(url, 'op-a')).who?.call).toBe(3);
    events.fire();
    expect((await ask(url)).who?.call).toBe(4);
    expect((await ask(url)).who?.call).toBe(4);
    expect(calls).toEqual(['public', 'org-op-a', 'org-op-a', 'public']);
  });

  it('does not keep an answer computed before an event that arrived while it ran', async () => {
    const { supergraphPath } = await startCounter(300);
    const { url, events } = await startGateway(supergraphPath);
    const first = ask(url);
    await new Promise((resolve) => setTimeout(resolve, 100));
    events.fire();
    expect((await first).who?.call).toBe(1);
    expect((await ask(url)).who?.call).toBe(2);
  });

  it('keeps no answer with errors', async () => {
    const { calls, supergraphPath } = await startCounter(0);
    const { url } = await startGateway(supergraphPath);
    const broken = 'query { broken { call } }';
    const first = await ask(url, undefined, broken);
    const second = await ask(url, undefined, broken);
    expect(first.body.errors).toHaveLength(1);
    expect(second.body.errors).toHaveLength(1);
    expect(first.cacheControl ?? '').not.toContain('public');
    expect(calls).toEqual([]);
  });

  it('is emptied by an importer tick event on pub/sub (vehicles.updated)', async () => {
    const { calls, supergraphPath } = await startCounter(0);
    const pubsub = new InProcessPubSub();
    const lifecycle = new Lifecycle(silentLogger);
    toStop.push({ stop: () => lifecycle.close() });
    const gateway = await createConfiguredGateway({
      config: loadConfig({
        SUPERGRAPH_PATH: supergraphPath,
        GATEWAY_WORKERS: '1',
        INTROSPECTION: 'false',
      }),
      logger: silentLogger,
      lifecycle,
      pubsub,
      scopeSecret: TEST_SCOPE_SECRET,
      subgraphUrls: {},
      jwt: {},
    });
    const { url } = await gateway.start(0, '127.0.0.1');
    expect((await ask(url)).who?.call).toBe(1);
    expect((await ask(url)).who?.call).toBe(1);
    // What the importer publishes after every tick (jobs/importer/importer.ts).
    await pubsub.publish(channels.vehiclesUpdated, {
      at: new Date().toISOString(),
      feeds: 1,
      vehicles: 10,
      events: 2,
    });
    expect((await ask(url)).who?.call).toBe(2);
    // What the job runner publishes after any job that wrote rows (jobs/runner.ts).
    await pubsub.publish(channels.dataRefreshed, {
      task: 'zone_stats',
      at: new Date().toISOString(),
      rows: 3,
    });
    expect((await ask(url)).who?.call).toBe(3);
    expect(calls).toEqual(['public', 'public', 'public']);
  });
});

describe('Cache-Control', () => {
  it('is public only on public query results; signed-in answers are private', async () => {
    const { supergraphPath } = await startCounter(0);
    const { url } = await startGateway(supergraphPath);
    expect((await ask(url)).cacheControl).toBe('public, max-age=7');
    expect((await ask(url)).cacheControl).toBe('public, max-age=7');
    expect((await ask(url, 'op-a')).cacheControl).toBe('private, no-store');
    expect((await ask(url, 'op-b')).cacheControl).toBe('private, no-store');
    // Refused credentials: no answer to keep at all.
    const refused = await ask(url, 'nobody');
    expect(refused.body.errors).toBeDefined();
    expect(refused.cacheControl ?? '').not.toContain('public');
  });
});
