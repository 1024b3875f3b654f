import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import pino from 'pino';
import { badUserInput } from '../../lib/errors';
import { TEST_SCOPE_SECRET } from '../../test/scope';
import { listen } from '../../lib/http';
import type { Logger } from '../../lib/logger';
import { createSubgraphServer, type SubgraphServer } from '../../lib/subgraphServer';

const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';

/** Owns `Query.hello` and the `Thing` entity; `echo("")` is a user error, `boom` a bug. */
export const THINGS_SDL = `${FEDERATION_LINK}
type Query { hello: String thing(id: ID!): Thing echo(text: String!): String boom: String }
type Thing @key(fields: "id") { id: ID! name: String }
`;

/** Adds `color` to `Thing`; `size` is served but only composed in by `EXTRAS_SDL_V2`. */
export const EXTRAS_SDL_V1 = `${FEDERATION_LINK}
type Thing @key(fields: "id") { id: ID! color: String }
`;
export const EXTRAS_SDL_V2 = `${FEDERATION_LINK}
type Thing @key(fields: "id") { id: ID! color: String size: Int }
`;

export const silentLogger: Logger = pino({ level: 'silent' });
export { TEST_SCOPE_SECRET };

export interface TestSubgraph {
  server: SubgraphServer;
  url: string;
  /** The `x-request-id` of every request the subgraph received. */
  requestIds: string[];
}

async function startSubgraph(
  name: string,
  sdl: string,
  resolvers: Parameters<typeof createSubgraphServer>[0]['resolvers'],
  logger: Logger,
): Promise<TestSubgraph> {
  const requestIds: string[] = [];
  const server = createSubgraphServer({
    name,
    typeDefs: parse(sdl),
    resolvers,
    logger,
    introspection: false,
    maskInternalErrors: false,
    createContext: (request) => {
      requestIds.push(request.requestId);
      return request;
    },
    checkReady: () => Promise.resolve(),
    scopeSecret: TEST_SCOPE_SECRET,
  });
  const { url } = await server.start(0, '127.0.0.1');
  return { server, url, requestIds };
}

export function startThings(logger: Logger = silentLogger): Promise<TestSubgraph> {
  return startSubgraph(
    'things',
    THINGS_SDL,
    {
      Query: {
        hello: () => 'world',
        echo: (_source: unknown, { text }: { text: string }) => {
          if (text === '') throw badUserInput('text', 'must not be empty');
          return text;
        },
        boom: () => {
          throw new Error('database password is hunter2');
        },
        thing: (_source: unknown, { id }: { id: string }) => ({ id, name: `thing ${id}` }),
      },
      Thing: {
        __resolveReference: ({ id }: { id: string }) => ({ id, name: `thing ${id}` }),
      },
    },
    logger,
  );
}

export function startExtras(logger: Logger = silentLogger): Promise<TestSubgraph> {
  return startSubgraph(
    'extras',
    EXTRAS_SDL_V2,
    {
      Thing: {
        __resolveReference: ({ id }: { id: string }) => ({
          id,
          color: `color ${id}`,
          size: id.length,
        }),
      },
    },
    logger,
  );
}

export interface ServiceSpec {
  name: string;
  sdl: string;
  url: string;
}

export function compose(services: ServiceSpec[]): string {
  const result = composeServices(
    services.map(({ name, sdl, url }) => ({ name, url, typeDefs: parse(sdl) })),
  );
  if (result.errors) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.supergraphSdl;
}

/** Whatever a test started; stopped in reverse order after it. */
export type Resources = { stop(): Promise<void> }[];

/**
 * Registers the hooks a gateway test file needs: a temporary folder for its supergraph files
 * (removed after the file) and the resources each test started (stopped after the test).
 */
export function useTestResources(): { toStop: Resources; dir: () => string } {
  const toStop: Resources = [];
  let dir: string | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gateway-test-'));
  });
  afterEach(async () => {
    for (const resource of toStop.splice(0).reverse()) await resource.stop();
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  return {
    toStop,
    dir: () => {
      if (!dir) throw new Error('the temporary folder exists only while the tests run');
      return dir;
    },
  };
}

/** Writes the way editors and deploy scripts do: a temporary file renamed over the target. */
export async function replaceFile(path: string, content: string): Promise<void> {
  const temporary = `${path}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, path);
}

export interface GraphQLResponse<T> {
  status: number;
  headers: Headers;
  body: { data?: T | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

export async function graphql<T>(
  url: string,
  query: string,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
    signal: AbortSignal.timeout(10_000),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as GraphQLResponse<T>['body'],
  };
}

/** Retries `check` until it stops throwing; fails with its last error after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** A logger that keeps the messages it logs, for asserting that something was reported. */
export function createCapturingLogger(): { logger: Logger; messages(): string[] } {
  const lines: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
  return {
    logger,
    messages: () => lines.map((line) => (JSON.parse(line) as { msg: string }).msg),
  };
}

/** An HTTP server that accepts requests and never answers them. */
export async function startHungServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(() => undefined);
  const port = await listen(server, 0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
