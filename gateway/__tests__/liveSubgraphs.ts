import { EventEmitter, on } from 'node:events';
import { parse } from 'graphql';
import pino from 'pino';
import { scopeAllows, type Scope } from '../../lib/auth/scope';
import type { Logger } from '../../lib/logger';
import {
  createSubgraphServer,
  type RequestInfo,
  type SubgraphServer,
} from '../../lib/subgraphServer';
import { TEST_SCOPE_SECRET } from '../../test/scope';

const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';

/**
 * Owns `Subscription.thingChanged` and the `Thing` entity. Events come from a `ThingBus` (an
 * in-process stand-in for Redis pub/sub) and are filtered by `ids` and by the caller's scope:
 * an operator sees its own things, everyone sees public ones.
 */
export const LIVE_SDL = `${FEDERATION_LINK}
type Query { thing(id: ID!): Thing }
type Subscription { thingChanged(ids: [ID!]): Thing! }
type Thing @key(fields: "id") {
  id: ID!
  name: String!
  operator: String!
  version: Int!
  "When the change was published (ms since the epoch), for latency measurements."
  publishedAt: Float!
}
`;

/** Extends `Thing` with `color` (and `size` in V2): resolved per event by an entity fetch. */
export const COLORS_SDL = `${FEDERATION_LINK}
type Thing @key(fields: "id") { id: ID! color: String! }
`;
export const COLORS_SDL_V2 = `${FEDERATION_LINK}
type Thing @key(fields: "id") { id: ID! color: String! size: Int! }
`;

export interface ThingChange {
  id: string;
  name: string;
  operator: string;
  public?: boolean;
  version: number;
  publishedAt?: number;
}

/** Survives subgraph restarts, as Redis does: a restarted subgraph serves the same events. */
export class ThingBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  publish(change: ThingChange): void {
    this.emitter.emit('change', { publishedAt: Date.now(), ...change });
  }

  /** Events from now on; `return()` stops listening at once, even while waiting. */
  listen(): AsyncIterator<[ThingChange]> {
    return on(this.emitter, 'change') as AsyncIterator<[ThingChange]>;
  }
}

export interface LiveSubgraph {
  server: SubgraphServer;
  url: string;
  port: number;
  /** Subscriptions to `thingChanged` running now. */
  active(): number;
  /** Subscriptions to `thingChanged` ever started. */
  started(): number;
  /** The scope of every subscription and request, as verified from the signed header. */
  scopes: Scope[];
}

export const quietLogger: Logger = pino({ level: 'silent' });

function startServer(
  name: string,
  sdl: string,
  resolvers: Parameters<typeof createSubgraphServer>[0]['resolvers'],
  scopes: Scope[],
  port: number,
): Promise<{ server: SubgraphServer; url: string; port: number }> {
  const server = createSubgraphServer({
    name,
    typeDefs: parse(sdl),
    resolvers,
    logger: quietLogger,
    introspection: false,
    maskInternalErrors: false,
    createContext: (request: RequestInfo) => {
      scopes.push(request.scope);
      return request;
    },
    checkReady: () => Promise.resolve(),
    scopeSecret: TEST_SCOPE_SECRET,
  });
  return server.start(port, '127.0.0.1').then(({ url, port: bound }) => ({
    server,
    url,
    port: bound,
  }));
}

/** The subgraph owning `thingChanged`; pass `port` to restart one where it was. */
export async function startLiveSubgraph(bus: ThingBus, port = 0): Promise<LiveSubgraph> {
  let active = 0;
  let started = 0;
  const scopes: Scope[] = [];

  const changes = (
    ids: string[] | null | undefined,
    scope: Scope,
  ): AsyncIterableIterator<ThingChange> => {
    const source = bus.listen();
    active += 1;
    started += 1;
    let open = true;
    const finish = (): void => {
      if (!open) return;
      open = false;
      active -= 1;
    };
    const wanted = (change: ThingChange): boolean =>
      (!ids || ids.includes(change.id)) &&
      scopeAllows(scope, { operator: change.operator, public: change.public ?? false });
    return {
      async next() {
        for (;;) {
          const result = await source.next();
          if (result.done) {
            finish();
            return { done: true, value: undefined };
          }
          const [change] = result.value;
          if (wanted(change)) return { done: false, value: change };
        }
      },
      async return() {
        finish();
        await source.return?.();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  };

  const running = await startServer(
    'live',
    LIVE_SDL,
    {
      Query: {
        thing: (_source: unknown, { id }: { id: string }) => ({
          id,
          name: `thing ${id}`,
          operator: 'public',
          version: 0,
          publishedAt: 0,
        }),
      },
      Subscription: {
        thingChanged: {
          // The context is what createContext returned: the request's verified RequestInfo.
          subscribe: (_source: unknown, { ids }: { ids?: string[] | null }, context: unknown) =>
            changes(ids, (context as RequestInfo).scope),
          resolve: (change: ThingChange) => change,
        },
      },
      Thing: {
        __resolveReference: ({ id }: { id: string }) => ({
          id,
          name: `thing ${id}`,
          operator: 'public',
          version: 0,
          publishedAt: 0,
        }),
      },
    },
    scopes,
    port,
  );
  return { ...running, active: () => active, started: () => started, scopes };
}

export interface ColorsSubgraph {
  server: SubgraphServer;
  url: string;
  /** The scope of every entity fetch the gateway made. */
  scopes: Scope[];
}

/** The subgraph extending `Thing` with `color` (and `size`). */
export async function startColorsSubgraph(): Promise<ColorsSubgraph> {
  const scopes: Scope[] = [];
  const running = await startServer(
    'colors',
    COLORS_SDL_V2,
    {
      Thing: {
        __resolveReference: ({ id }: { id: string }) => ({
          id,
          color: `color of ${id}`,
          size: id.length,
        }),
      },
    },
    scopes,
    0,
  );
  return { server: running.server, url: running.url, scopes };
}
