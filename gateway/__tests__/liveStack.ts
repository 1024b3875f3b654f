import { writeFile } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { GraphQLError } from 'graphql';
import { PUBLIC_SCOPE, type Scope } from '../../lib/auth/scope';
import { testGatewayOptions } from '../../test/gateway';
import { createGateway, type Gateway } from '../server';
import type { SubscriptionSettings } from '../subscriptions';
import { compose, type Resources } from './helpers';
import {
  COLORS_SDL,
  LIVE_SDL,
  startColorsSubgraph,
  startLiveSubgraph,
  ThingBus,
  type ColorsSubgraph,
  type LiveSubgraph,
} from './liveSubgraphs';

export function operatorScope(operator: string, userId: string): Scope {
  return {
    ...PUBLIC_SCOPE,
    principal: { type: 'USER', userId, email: `${userId}@example.test` },
    organisationId: `org-${operator}`,
    organisationType: 'OPERATOR',
    operators: [operator],
  };
}

const TOKENS: Record<string, Scope> = {
  'op-a': operatorScope('op-a', 'user-a'),
  'op-b': operatorScope('op-b', 'user-b'),
};

/** Test credentials: no header is anonymous, `Bearer op-a` an operator, `Bearer boom` a bug. */
export function authenticate(headers: IncomingHttpHeaders): Promise<Scope> {
  const header = headers.authorization;
  if (!header) return Promise.resolve(PUBLIC_SCOPE);
  const token = header.replace(/^Bearer /, '');
  if (token === 'boom') return Promise.reject(new Error('scope store unreachable'));
  const scope = TOKENS[token];
  if (!scope) {
    return Promise.reject(
      new GraphQLError('invalid token', { extensions: { code: 'UNAUTHENTICATED' } }),
    );
  }
  return Promise.resolve(scope);
}

export interface LiveStack {
  bus: ThingBus;
  /** The live subgraph now running (a restart replaces it). */
  live: LiveSubgraph;
  colors: ColorsSubgraph;
  supergraphPath: string;
  gateway: Gateway;
  /** The gateway's HTTP endpoint and the same one as ws://. */
  url: string;
  wsUrl: string;
  restartLive(): Promise<LiveSubgraph>;
}

export async function startTestGateway(
  resources: Resources,
  supergraphPath: string,
  settings: Partial<SubscriptionSettings> = {},
): Promise<{ gateway: Gateway; url: string; wsUrl: string }> {
  // Every test client connects from 127.0.0.1: the per-address limits for anonymous callers are
  // raised here and tested on their own (wsAbuse.test.ts).
  const subscriptions = { ...ONE_ADDRESS_MANY_CLIENTS, ...settings };
  const gateway = createGateway(
    testGatewayOptions({ supergraphPath, authenticate, subscriptions }),
  );
  resources.push(gateway);
  const { url } = await gateway.start(0, '127.0.0.1');
  return { gateway, url, wsUrl: url.replace(/^http/, 'ws') };
}

export const ONE_ADDRESS_MANY_CLIENTS: Partial<SubscriptionSettings> = {
  maxAnonymousConnectionsPerIp: 100_000,
  maxAnonymousSubscriptionsPerIp: 100_000,
  connectsPerMinutePerIp: 100_000,
};

let fileCount = 0;

/** `live` owns thingChanged, `colors` adds Thing.color; their supergraph in `dir`; a gateway. */
export async function startLiveStack(
  resources: Resources,
  dir: string,
  settings: Partial<SubscriptionSettings> = {},
): Promise<LiveStack> {
  const bus = new ThingBus();
  let live = await startLiveSubgraph(bus);
  resources.push({ stop: () => live.server.stop() });
  const colors = await startColorsSubgraph();
  resources.push(colors.server);
  fileCount += 1;
  const supergraphPath = join(dir, `supergraph-${fileCount}.graphql`);
  await writeFile(
    supergraphPath,
    compose([
      { name: 'live', sdl: LIVE_SDL, url: live.url },
      { name: 'colors', sdl: COLORS_SDL, url: colors.url },
    ]),
  );
  const started = await startTestGateway(resources, supergraphPath, settings);
  const stack: LiveStack = {
    bus,
    live,
    colors,
    supergraphPath,
    ...started,
    async restartLive() {
      await live.server.stop();
      live = await startLiveSubgraph(bus, live.port);
      stack.live = live;
      return live;
    },
  };
  return stack;
}
