/**
 * `npm run bench:subscriptions [-- --clients N] [--workers N] [--rounds N] [--concurrency N]
 *   [--gateways N [--gateway-workers N]] [--gateway-node-options '--max-semi-space-size=64']`
 *
 * graphql-ws clients (10 000 by default), one connection and one subscription each, then
 * `--rounds` changes published one at a time; each must reach every client. Reports delivery
 * latency (change published -> client received, p50/p95/p99 over all clients and changes), the
 * connection set-up time, errors, and the memory and CPU of every process involved.
 *
 * Without `--gateways`: one gateway in a child process of its own (its RSS is the gateway's
 * alone) over two test subgraphs in this process, on a hub-status-like subscription whose fields
 * span both (`thingChanged { id name color }`: `color` is an entity fetch to the second subgraph
 * for every event).
 *
 * With `--gateways N`: the product as a deployment runs it (test/faults/split.ts): the six
 * subgraphs and N gateway replicas as their own processes (`bin/gateway.ts`, GATEWAY_WORKERS
 * `--gateway-workers` each, default 1: on 2 cores, two replicas of one process each), a Redis of
 * the bench's own and a seeded database; the clients reach the replicas through one address, a
 * round-robin TCP balancer (test/balancer.ts; node:cluster processes, enough for their sockets to
 * fit the open-file limit). Each round publishes a hub status change on Redis (`hubs.status`), as
 * the microhub controller does; the microhubs subgraph hears it and sends it up every gateway's
 * `hubStatusChanged` subscription. RSS and CPU per gateway count all its processes (workers and
 * any helper they run).
 *
 * The clients run in `--workers` child processes (default 2, each holding its share of the
 * sockets under the per-process file limit); their CPU is reported, as on a small machine they
 * compete with the gateways. Every process reads the same clock (`performance.timeOrigin +
 * performance.now()`), so latencies are compared across processes.
 *
 * Against subgraphs running elsewhere (one gateway), start them with REDIS_URL and SCOPE_SECRET
 * set and pass `--supergraph <file> --query '<subscription>' [--variables '<json>'] --channel
 * <redis channel> --payload '<event json>'`: each round publishes the payload on that channel.
 *
 * Prints a table and, as its last line, one JSON object with the figures.
 */
import { fork, type ChildProcess } from 'node:child_process';
import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { createClient, type Client } from 'graphql-ws';
import pino from 'pino';
import WebSocket from 'ws';
import { compose } from '../gateway/__tests__/helpers';
import {
  COLORS_SDL,
  LIVE_SDL,
  startColorsSubgraph,
  startLiveSubgraph,
  ThingBus,
} from '../gateway/__tests__/liveSubgraphs';
import { createGateway } from '../gateway/server';
import { loadConfig, requireScopeSecret } from '../lib/config';
import { channels } from '../lib/domain/channels';
import type { HubEvent } from '../lib/domain/hubs/events';
import { RedisPubSub } from '../lib/pubsub';
import { SECOND } from '../lib/units';
import { startBalancer, type Balancer } from '../test/balancer';
import { freePort } from '../test/ports';
import { startOwnRedis } from '../test/faults/processes';
import { startSplitDeployment } from '../test/faults/split';
import { testGatewayOptions } from '../test/gateway';
import { TEST_SCOPE_SECRET } from '../test/scope';
import { treeUsage } from './processTree';

const TARGET_P99_MS = 250;
const DEFAULT_QUERY = 'subscription { thingChanged { id name color } }';
const REPLICAS_QUERY =
  'subscription { hubStatusChanged { hubId municipalityCode open reason vehiclesAvailable placesAvailable since at } }';
/** File descriptors a process keeps besides its sockets. */
const SPARE_FILES = 200;
/** Anonymous WebSocket caps per address, lifted: every bench client comes from 127.0.0.1. */
const UNCAPPED = 1_000_000;
const ROUND_TIMEOUT_MS = 30 * SECOND;
const PAUSE_BETWEEN_ROUNDS_MS = 500;
const POLL_MS = 20;
const QUIET_MS = 1000;

const now = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type ToGateway =
  | { type: 'start'; supergraphPath: string; scopeSecret: string }
  | { type: 'usage' }
  | { type: 'stop' };
type FromGateway =
  | { type: 'started'; url: string }
  | {
      type: 'usage';
      rssBytes: number;
      maxRssBytes: number;
      cpuMs: number;
      /** Garbage-collection pauses since the previous usage report. */
      gcMs: number;
      gcMaxPauseMs: number;
    }
  | { type: 'stopped' };

type ToClients =
  | {
      type: 'connect';
      url: string;
      count: number;
      concurrency: number;
      query: string;
      variables: Record<string, unknown>;
    }
  | { type: 'status' }
  | { type: 'reset'; rounds: number }
  | { type: 'report' }
  | { type: 'stop' };
type FromClients =
  | { type: 'connected'; connected: number; failed: number; firstMs: number; lastMs: number }
  | { type: 'status'; fewestEvents: number; totalEvents: number; errors: number }
  | { type: 'report'; received: number[][] }
  | { type: 'stopped' };

type ToBalancer = { type: 'start'; backends: string[]; processes: number } | { type: 'open' };
type FromBalancer = { type: 'started'; url: string } | { type: 'open'; perBackend: number[] };

/** A child process spoken to by typed messages, one reply per request. */
interface Child<In, Out extends { type: string }> {
  process: ChildProcess;
  request<K extends Out['type']>(message: In, type: K): Promise<Extract<Out, { type: K }>>;
}

function isReply<Out extends { type: string }, K extends Out['type']>(
  reply: Out,
  type: K,
): reply is Extract<Out, { type: K }> {
  return reply.type === type;
}

function spawnChild<In, Out extends { type: string }>(
  role: string,
  nodeOptions: string[] = [],
): Child<In, Out> {
  const child = fork(__filename, [role], {
    execArgv: ['--import', 'tsx', ...nodeOptions],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    process: child,
    request: (message, type) =>
      new Promise((resolve, reject) => {
        const onMessage = (reply: Out): void => {
          if (!isReply(reply, type)) return;
          child.off('message', onMessage);
          child.off('exit', onExit);
          resolve(reply);
        };
        const onExit = (code: number | null): void =>
          reject(new Error(`${role} exited with code ${code} while waiting for "${String(type)}"`));
        child.on('message', onMessage);
        child.once('exit', onExit);
        child.send(message as object);
      }),
  };
}

/** The gateway child: one gateway over the bench's supergraph, everyone anonymous. */
function runGatewayChild(): void {
  let gateway: ReturnType<typeof createGateway> | undefined;
  let gcMs = 0;
  let gcMaxPauseMs = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcMs += entry.duration;
      gcMaxPauseMs = Math.max(gcMaxPauseMs, entry.duration);
    }
  }).observe({ entryTypes: ['gc'] });
  const reply = (message: FromGateway) => process.send?.(message);
  process.on('message', (message: ToGateway) => {
    void (async () => {
      switch (message.type) {
        case 'start': {
          gateway = createGateway(
            testGatewayOptions({
              supergraphPath: message.supergraphPath,
              scopeSecret: message.scopeSecret,
              logger: pino({ level: 'warn' }, pino.destination(2)),
              // Every bench client connects from 127.0.0.1, anonymously.
              subscriptions: {
                maxAnonymousConnectionsPerIp: UNCAPPED,
                maxAnonymousSubscriptionsPerIp: UNCAPPED,
                connectsPerMinutePerIp: UNCAPPED,
              },
            }),
          );
          const { url } = await gateway.start(0, '127.0.0.1');
          reply({ type: 'started', url });
          return;
        }
        case 'usage': {
          const cpu = process.cpuUsage();
          reply({
            type: 'usage',
            rssBytes: process.memoryUsage().rss,
            maxRssBytes: process.resourceUsage().maxRSS * 1024,
            cpuMs: (cpu.user + cpu.system) / 1000,
            gcMs,
            gcMaxPauseMs,
          });
          gcMs = 0;
          gcMaxPauseMs = 0;
          return;
        }
        case 'stop':
          await gateway?.stop();
          reply({ type: 'stopped' });
          process.exit(0);
      }
    })();
  });
}

/** A clients child: `count` graphql-ws clients, one connection and one subscription each. */
function runClientsChild(): void {
  const clients: Client[] = [];
  let events = new Uint32Array(0);
  /** received[round][client]: when that client got that round's event. */
  let received: Float64Array[] = [];
  let errors = 0;
  let stopping = false;
  const reply = (message: FromClients) => process.send?.(message);

  const connect = async (message: Extract<ToClients, { type: 'connect' }>): Promise<void> => {
    events = new Uint32Array(message.count);
    let connected = 0;
    let failed = 0;
    let firstMs = Number.POSITIVE_INFINITY;
    let lastMs = 0;
    let next = 0;
    const open = async (): Promise<void> => {
      while (next < message.count) {
        const index = next;
        next += 1;
        await new Promise<void>((settle) => {
          let opened = false;
          const client = createClient({
            url: message.url,
            webSocketImpl: WebSocket,
            retryAttempts: 0,
            on: {
              connected: () => {
                opened = true;
                connected += 1;
                const at = now();
                firstMs = Math.min(firstMs, at);
                lastMs = Math.max(lastMs, at);
                settle();
              },
              // A socket that never opened failed; one that closed before the bench's end dropped.
              closed: () => {
                if (stopping) return;
                errors += 1;
                if (!opened) failed += 1;
                settle();
              },
            },
          });
          clients.push(client);
          client.subscribe(
            { query: message.query, variables: message.variables },
            {
              next: (result) => {
                if (result.errors) errors += 1;
                const round = events[index] ?? 0;
                events[index] = round + 1;
                const stamps = received[round];
                if (stamps) stamps[index] = now();
              },
              error: () => {
                errors += 1;
                failed += 1;
                settle();
              },
              complete: () => undefined,
            },
          );
        });
      }
    };
    await Promise.all(Array.from({ length: message.concurrency }, open));
    reply({ type: 'connected', connected, failed, firstMs, lastMs });
  };

  process.on('message', (message: ToClients) => {
    void (async () => {
      switch (message.type) {
        case 'connect':
          await connect(message);
          return;
        case 'status': {
          let fewest = Number.POSITIVE_INFINITY;
          let total = 0;
          for (const count of events) {
            fewest = Math.min(fewest, count);
            total += count;
          }
          reply({ type: 'status', fewestEvents: fewest, totalEvents: total, errors });
          return;
        }
        case 'reset':
          events.fill(0);
          received = Array.from({ length: message.rounds }, () => new Float64Array(events.length));
          reply({ type: 'status', fewestEvents: 0, totalEvents: 0, errors });
          return;
        case 'report':
          reply({ type: 'report', received: received.map((round) => Array.from(round)) });
          return;
        case 'stop':
          stopping = true;
          await Promise.all(
            clients.map(async (client) => {
              await client.dispose();
            }),
          );
          reply({ type: 'stopped' });
          process.exit(0);
      }
    })();
  });
}

/**
 * The balancer child: `processes` node:cluster workers on one port, each a round-robin TCP
 * balancer over the gateways (a connection costs it two sockets, so one process cannot hold tens
 * of thousands under the open-file limit). node:cluster hands connections to the workers in turn.
 */
function runBalancerChild(): void {
  if (cluster.isWorker) {
    const port = Number(process.env.BALANCER_PORT);
    const backends = (process.env.BALANCER_BACKENDS ?? '').split(',').map((url) => ({ url }));
    let balancer: Balancer | undefined;
    process.on('message', (message: ToBalancer) => {
      if (message.type === 'open' && balancer) {
        process.send?.({ type: 'open', perBackend: balancer.open() } satisfies FromBalancer);
      }
    });
    void startBalancer(backends, port).then((started) => {
      balancer = started;
    });
    return;
  }
  const reply = (message: FromBalancer) => process.send?.(message);
  process.on('message', (message: ToBalancer) => {
    void (async () => {
      if (message.type === 'start') {
        const port = await freePort();
        const env = { BALANCER_PORT: String(port), BALANCER_BACKENDS: message.backends.join(',') };
        await Promise.all(
          Array.from(
            { length: message.processes },
            () =>
              new Promise<void>((resolve) => {
                cluster.fork(env).once('listening', () => resolve());
              }),
          ),
        );
        reply({ type: 'started', url: `ws://127.0.0.1:${port}/graphql` });
        return;
      }
      const workers = Object.values(cluster.workers ?? {});
      const counts = await Promise.all(
        workers.map(
          (worker) =>
            new Promise<number[]>((resolve) => {
              const onMessage = (reply: FromBalancer) => {
                if (reply.type !== 'open') return;
                worker?.off('message', onMessage);
                resolve(reply.perBackend);
              };
              worker?.on('message', onMessage);
              worker?.send(message);
            }),
        ),
      );
      const perBackend = counts.reduce((sum, each) => sum.map((n, i) => n + (each[i] ?? 0)));
      reply({ type: 'open', perBackend });
    })();
  });
}

interface Target {
  supergraphPath: string;
  scopeSecret: string;
  query: string;
  variables: Record<string, unknown>;
  /** Causes one change the subscription reports. */
  trigger(round: number): Promise<void>;
  /** Upstream subscriptions the subgraph is serving, when the bench can see them. */
  upstreams(): number | null;
  stop(): Promise<void>;
}

/** Two test subgraphs in this process: `live` owns thingChanged, `colors` adds Thing.color. */
async function testTarget(dir: string, query: string): Promise<Target> {
  const bus = new ThingBus();
  const live = await startLiveSubgraph(bus);
  const colors = await startColorsSubgraph();
  const supergraphPath = join(dir, 'supergraph.graphql');
  writeFileSync(
    supergraphPath,
    compose([
      { name: 'live', sdl: LIVE_SDL, url: live.url },
      { name: 'colors', sdl: COLORS_SDL, url: colors.url },
    ]),
  );
  return {
    supergraphPath,
    scopeSecret: TEST_SCOPE_SECRET,
    query,
    variables: {},
    trigger: (round) => {
      bus.publish({
        id: `hub-${round}`,
        name: `hub ${round}`,
        operator: 'op-a',
        public: true,
        version: round,
        publishedAt: now(),
      });
      return Promise.resolve();
    },
    upstreams: () => live.active(),
    stop: async () => {
      await live.server.stop();
      await colors.server.stop();
    },
  };
}

/** Subgraphs running elsewhere, fed by Redis: each round publishes `payload` on `channel`. */
function redisTarget(
  supergraphPath: string,
  query: string,
  channel: string,
  payload: string,
): Target {
  const config = loadConfig();
  if (!config.REDIS_URL) throw new Error('--channel needs REDIS_URL: the subgraphs listen there');
  const pubsub = new RedisPubSub(config.REDIS_URL, pino({ level: 'warn' }, pino.destination(2)));
  const body = JSON.parse(payload) as unknown;
  return {
    supergraphPath,
    scopeSecret: requireScopeSecret(config),
    query,
    variables: JSON.parse(option('--variables') ?? '{}') as Record<string, unknown>,
    trigger: () => pubsub.publish(channel, body),
    upstreams: () => null,
    stop: () => pubsub.close(),
  };
}

/** A process's own figures, or what /proc says of a process and its descendants. */
interface Usage {
  rssBytes: number;
  peakRssBytes: number;
  cpuMs: number;
  /** Garbage collection since the previous report, where the process measures it itself. */
  gcMs: number | null;
  gcMaxPauseMs: number | null;
}

/** The gateways under test, reached at one address, and what makes a change they deliver. */
interface Setup {
  wsUrl: string;
  gateways: number;
  /** Processes per gateway (GATEWAY_WORKERS). */
  gatewayWorkers: number;
  query: string;
  variables: Record<string, unknown>;
  trigger(round: number): Promise<void>;
  /** One entry per gateway. */
  usage(): Promise<Usage[]>;
  /** The balancer's process (and its workers), when there is one. */
  balancerPid: number | null;
  /** Client connections per gateway, as the balancer counts them. */
  spread(): Promise<number[] | null>;
  upstreams(): number | null;
  /** What the gateway processes wrote last, for a failed run (the gateway child writes to ours). */
  output(): string;
  stop(): Promise<void>;
}

/** One gateway in a child process, over `target`'s subgraphs. */
async function singleGateway(target: Target, nodeOptions: string[]): Promise<Setup> {
  const gateway = spawnChild<ToGateway, FromGateway>('--gateway-child', nodeOptions);
  const { url } = await gateway.request(
    { type: 'start', supergraphPath: target.supergraphPath, scopeSecret: target.scopeSecret },
    'started',
  );
  return {
    wsUrl: url.replace(/^http/, 'ws'),
    gateways: 1,
    gatewayWorkers: 1,
    query: target.query,
    variables: target.variables,
    trigger: (round) => target.trigger(round),
    usage: async () => {
      const usage = await gateway.request({ type: 'usage' }, 'usage');
      return [{ ...usage, peakRssBytes: usage.maxRssBytes }];
    },
    balancerPid: null,
    spread: () => Promise.resolve(null),
    upstreams: () => target.upstreams(),
    output: () => '',
    stop: async () => {
      await gateway.request({ type: 'stop' }, 'stopped').catch(() => undefined);
      await target.stop();
    },
  };
}

/** A hub status change as the microhub controller publishes it: public, so anyone sees it. */
function hubStatusEvent(hubId: string, round: number): HubEvent {
  const at = new Date().toISOString();
  return {
    hubId,
    municipalityCode: 'GM0363',
    formFactor: null,
    open: round % 2 === 0,
    reason: round % 2 === 0 ? 'PLACES_AVAILABLE' : 'FULL',
    vehicles: round % 20,
    vehiclesAvailable: round % 20,
    capacity: 20,
    available: 20 - (round % 20),
    since: at,
    at,
    public: true,
    ownerOrganisationId: null,
  };
}

/**
 * `count` gateway replicas of the split deployment behind a balancer, on a Redis of the bench's
 * own (nobody else's hub events reach the clients, and the bench's reach nobody).
 */
async function replicas(
  count: number,
  gatewayWorkers: number,
  clients: number,
  query: string,
): Promise<Setup> {
  const redis = await startOwnRedis();
  const split = await startSplitDeployment({
    redisUrl: redis.url,
    gateways: count,
    gatewayEnv: {
      GATEWAY_WORKERS: String(gatewayWorkers),
      WS_CONNECTS_PER_MINUTE_PER_IP: String(UNCAPPED),
      WS_MAX_ANONYMOUS_CONNECTIONS_PER_IP: String(UNCAPPED),
      WS_MAX_ANONYMOUS_SUBSCRIPTIONS_PER_IP: String(UNCAPPED),
    },
  }).catch(async (err: unknown) => {
    await redis.stop();
    throw err;
  });
  const balancer = spawnChild<ToBalancer, FromBalancer>('--balancer-child');
  const pubsub = new RedisPubSub(redis.url, pino({ level: 'warn' }, pino.destination(2)));
  const stop = async (): Promise<void> => {
    balancer.process.kill();
    await pubsub.close();
    await split.stop();
    await redis.stop();
  };
  try {
    const { url } = await balancer.request(
      {
        type: 'start',
        backends: split.gateways.map((gateway) => gateway.url),
        processes: balancerProcesses(clients),
      },
      'started',
    );
    const hubId = randomUUID();
    return {
      wsUrl: url,
      gateways: count,
      gatewayWorkers,
      query,
      variables: {},
      trigger: (round) => pubsub.publish(channels.hubStatusChanged, hubStatusEvent(hubId, round)),
      usage: () =>
        Promise.resolve(
          split.gateways.map(({ process }) => ({
            ...treeUsage(process.child.pid ?? -1),
            gcMs: null,
            gcMaxPauseMs: null,
          })),
        ),
      balancerPid: balancer.process.pid ?? null,
      spread: async () => (await balancer.request({ type: 'open' }, 'open')).perBackend,
      upstreams: () => null,
      output: () =>
        split.gateways
          .map(({ process }) => `--- ${process.name}:\n${process.output().slice(-3000)}`)
          .join('\n'),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/** A setting the bench can't run with: reported in one line, without a stack. */
class BenchUsageError extends Error {}

/** The soft limit on open files (`ulimit -n`), where Linux says; every socket takes one. */
function openFileLimit(): number | undefined {
  try {
    const limits = readFileSync('/proc/self/limits', 'utf8');
    const soft = /^Max open files\s+(\d+)/m.exec(limits)?.[1];
    return soft ? Number(soft) : undefined;
  } catch {
    return undefined;
  }
}

/** Sockets per process must fit under the open-file limit: say so before opening any. */
function checkOpenFileLimit(clients: number, workers: number, gatewayProcesses: number): void {
  const limit = openFileLimit();
  if (limit === undefined) return;
  const perGateway = Math.ceil(clients / gatewayProcesses);
  if (perGateway + SPARE_FILES > limit) {
    throw new BenchUsageError(
      `each gateway process needs about ${perGateway + SPARE_FILES} open files for its ${perGateway} clients but ulimit -n is ${limit}: raise it (ulimit -n ${perGateway + SPARE_FILES}), use more --gateways or fewer --clients`,
    );
  }
  const perWorker = Math.ceil(clients / workers);
  if (perWorker + SPARE_FILES > limit) {
    throw new BenchUsageError(
      `each client process needs about ${perWorker + SPARE_FILES} open files but ulimit -n is ${limit}: use more --workers`,
    );
  }
}

/** Balancer processes enough for two sockets per client each under the open-file limit. */
function balancerProcesses(clients: number): number {
  const limit = openFileLimit() ?? 1024;
  return Math.max(1, Math.ceil((2 * clients) / Math.max(1, limit - SPARE_FILES)));
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

const round1 = (value: number) => Math.round(value * 10) / 10;
const megabytes = (bytes: number) => Math.round(bytes / 1024 / 1024);

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const cpuOf = (pids: number[]) => sum(pids.map((pid) => treeUsage(pid).cpuMs));

async function main(): Promise<void> {
  const clientCount = Number(option('--clients') ?? 10_000);
  const workerCount = Number(option('--workers') ?? 2);
  const rounds = Number(option('--rounds') ?? 5);
  const concurrency = Number(option('--concurrency') ?? 64);
  const gatewayCount = option('--gateways') === undefined ? null : Number(option('--gateways'));
  const gatewayWorkers = Number(option('--gateway-workers') ?? 1);
  const channel = option('--channel');
  if (gatewayCount !== null && (channel || !(gatewayCount >= 1))) {
    throw new BenchUsageError('--gateways takes a count of 1 or more, and no --channel');
  }
  const query = option('--query') ?? (gatewayCount === null ? DEFAULT_QUERY : REPLICAS_QUERY);
  checkOpenFileLimit(clientCount, workerCount, (gatewayCount ?? 1) * gatewayWorkers);
  const loadBefore = loadavg()[0] ?? 0;
  const dir = mkdtempSync(join(tmpdir(), 'subscriptions-bench-'));
  process.stderr.write('starting the gateways ');
  const gatewayNodeOptions = (option('--gateway-node-options') ?? '').split(' ').filter(Boolean);
  const setup =
    gatewayCount === null
      ? await singleGateway(
          channel
            ? redisTarget(option('--supergraph') ?? '', query, channel, option('--payload') ?? '{}')
            : await testTarget(dir, query),
          gatewayNodeOptions,
        )
      : await replicas(gatewayCount, gatewayWorkers, clientCount, query);

  const workers = Array.from({ length: workerCount }, () =>
    spawnChild<ToClients, FromClients>('--clients-child'),
  );
  const clientPids = workers.map((worker) => worker.process.pid ?? -1);
  const ask = <K extends FromClients['type']>(message: ToClients, type: K) =>
    Promise.all(workers.map((worker) => worker.request(message, type)));
  try {
    const baseline = await setup.usage();
    process.stderr.write(`at ${setup.wsUrl}; connecting ${clientCount} clients `);

    const shares = workers.map(
      (_worker, i) =>
        Math.floor(clientCount / workerCount) + (i < clientCount % workerCount ? 1 : 0),
    );
    const connectStarted = now();
    const connected = await Promise.all(
      workers.map((worker, i) =>
        worker.request(
          {
            type: 'connect',
            url: setup.wsUrl,
            count: shares[i] ?? 0,
            concurrency,
            query: setup.query,
            variables: setup.variables,
          },
          'connected',
        ),
      ),
    );
    const connectMs = Math.max(...connected.map((c) => c.lastMs)) - connectStarted;
    const connectedCount = sum(connected.map((c) => c.connected));
    const failedCount = sum(connected.map((c) => c.failed));
    process.stderr.write(`(${connectedCount} in ${Math.round(connectMs)} ms); subscribing `);

    // Subscriptions reach the subgraph asynchronously: publish until every client has an event.
    const subscribeStarted = now();
    let warmups = 0;
    for (;;) {
      warmups += 1;
      await setup.trigger(0);
      await sleep(200);
      const statuses = await ask({ type: 'status' }, 'status');
      if (statuses.every((s) => s.fewestEvents > 0)) break;
      if (now() - subscribeStarted > ROUND_TIMEOUT_MS) {
        const received = statuses.filter((s) => s.fewestEvents > 0).length;
        const errors = sum(statuses.map((s) => s.errors));
        throw new Error(
          `not every client received a warm-up event within 30 s (${received} of ${workers.length} client processes did; ${errors} errors)`,
        );
      }
    }
    // Warm-up events still on their way would be counted as round 1: wait until none arrive.
    let lastTotal = -1;
    for (;;) {
      await sleep(QUIET_MS);
      const statuses = await ask({ type: 'status' }, 'status');
      const total = sum(statuses.map((s) => s.totalEvents));
      if (total === lastTotal) break;
      lastTotal = total;
    }
    const subscribedMemory = await setup.usage();
    const spread = await setup.spread();
    await ask({ type: 'reset', rounds }, 'status');
    process.stderr.write(`(${warmups} warm-up events); ${rounds} rounds `);

    const triggeredAt: number[] = [];
    const missing: number[] = [];
    const deliveryCpuMs = subscribedMemory.map(() => 0);
    let clientCpuMs = 0;
    let balancerCpuMs = 0;
    let deliveryGcMs = 0;
    let deliveryGcMaxPauseMs = 0;
    for (let round = 1; round <= rounds; round += 1) {
      const before = await setup.usage();
      const clientsBefore = cpuOf(clientPids);
      const balancerBefore = setup.balancerPid === null ? 0 : cpuOf([setup.balancerPid]);
      triggeredAt.push(now());
      await setup.trigger(round);
      const deadline = now() + ROUND_TIMEOUT_MS;
      for (;;) {
        await sleep(POLL_MS);
        const statuses = await ask({ type: 'status' }, 'status');
        const fewest = Math.min(...statuses.map((s) => s.fewestEvents));
        if (fewest >= round || now() > deadline) break;
      }
      const after = await setup.usage();
      after.forEach((usage, i) => {
        deliveryCpuMs[i] = (deliveryCpuMs[i] ?? 0) + usage.cpuMs - (before[i]?.cpuMs ?? 0);
        deliveryGcMs += usage.gcMs ?? 0;
        deliveryGcMaxPauseMs = Math.max(deliveryGcMaxPauseMs, usage.gcMaxPauseMs ?? 0);
      });
      clientCpuMs += cpuOf(clientPids) - clientsBefore;
      if (setup.balancerPid !== null) balancerCpuMs += cpuOf([setup.balancerPid]) - balancerBefore;
      process.stderr.write('.');
      await sleep(PAUSE_BETWEEN_ROUNDS_MS);
    }
    const peakMemory = await setup.usage();
    const statuses = await ask({ type: 'status' }, 'status');
    const reports = await ask({ type: 'report' }, 'report');

    const latencies: number[] = [];
    const perRound: { round: number; delivered: number; p50Ms: number; p99Ms: number }[] = [];
    for (let round = 0; round < rounds; round += 1) {
      const start = triggeredAt[round] ?? 0;
      const roundLatencies: number[] = [];
      for (const report of reports) {
        for (const stamp of report.received[round] ?? []) {
          if (stamp > 0) roundLatencies.push(stamp - start);
        }
      }
      missing.push(clientCount - roundLatencies.length);
      const sorted = Float64Array.from(roundLatencies).sort();
      perRound.push({
        round: round + 1,
        delivered: roundLatencies.length,
        p50Ms: round1(percentile(sorted, 50)),
        p99Ms: round1(percentile(sorted, 99)),
      });
      latencies.push(...roundLatencies);
    }
    const sorted = Float64Array.from(latencies).sort();
    const gatewayProcesses = setup.gateways * setup.gatewayWorkers;
    const figures = {
      bench: 'subscriptions',
      cpus: cpus().length,
      node: process.version,
      load_average_before: round1(loadBefore),
      load_average_after: round1(loadavg()[0] ?? 0),
      clients: clientCount,
      gateways: setup.gateways,
      gateway_workers: setup.gatewayWorkers,
      client_processes: workerCount,
      connected: connectedCount,
      connect_failures: failedCount,
      errors: sum(statuses.map((s) => s.errors)),
      query: setup.query,
      upstream_subscriptions: setup.upstreams(),
      connections_per_gateway: spread,
      connect_ms: Math.round(connectMs),
      connections_per_second: Math.round((connectedCount / connectMs) * 1000),
      rounds,
      deliveries: latencies.length,
      missed_deliveries: sum(missing),
      delivery_p50_ms: round1(percentile(sorted, 50)),
      delivery_p95_ms: round1(percentile(sorted, 95)),
      delivery_p99_ms: round1(percentile(sorted, 99)),
      delivery_max_ms: round1(sorted[sorted.length - 1] ?? Number.NaN),
      target_p99_ms: TARGET_P99_MS,
      rss_baseline_per_gateway_mb: baseline.map((usage) => megabytes(usage.rssBytes)),
      rss_per_gateway_mb: subscribedMemory.map((usage) => megabytes(usage.rssBytes)),
      peak_rss_per_gateway_mb: peakMemory.map((usage) => megabytes(usage.peakRssBytes)),
      rss_per_client_kb: round1(
        (sum(subscribedMemory.map((u) => u.rssBytes)) - sum(baseline.map((u) => u.rssBytes))) /
          1024 /
          clientCount,
      ),
      gateway_cpu_ms_per_change: deliveryCpuMs.map((ms) => Math.round(ms / rounds)),
      gateway_gc_ms_per_change: gatewayCount === null ? round1(deliveryGcMs / rounds) : null,
      gateway_gc_max_pause_ms: gatewayCount === null ? round1(deliveryGcMaxPauseMs) : null,
      balancer_cpu_ms_per_change:
        setup.balancerPid === null ? null : Math.round(balancerCpuMs / rounds),
      client_cpu_ms_per_change: Math.round(clientCpuMs / rounds),
      per_round: perRound,
    };
    const ok =
      figures.missed_deliveries === 0 &&
      figures.errors === 0 &&
      figures.delivery_p99_ms <= TARGET_P99_MS;

    const list = (values: readonly (number | string)[] | null, unit: string) =>
      values === null ? 'n/a' : `${values.join(' / ')} ${unit}`;
    const rows: [string, string][] = [
      ['clients (graphql-ws, one connection each)', `${connectedCount} / ${clientCount}`],
      ['gateways (processes each)', `${setup.gateways} (${setup.gatewayWorkers})`],
      ['client connections per gateway', list(spread, '')],
      ['client processes', String(workerCount)],
      ['upstream subscriptions at the subgraph', String(figures.upstream_subscriptions ?? 'n/a')],
      ['connection set-up', `${figures.connect_ms} ms`],
      ['connection rate', `${figures.connections_per_second} connections/s`],
      ['errors (failed, dropped, error results)', String(figures.errors)],
      ['rounds (one change each)', String(rounds)],
      ['deliveries', `${figures.deliveries} (missed ${figures.missed_deliveries})`],
      ['delivery latency p50', `${figures.delivery_p50_ms} ms`],
      ['delivery latency p95', `${figures.delivery_p95_ms} ms`],
      ['delivery latency p99', `${figures.delivery_p99_ms} ms (target <= ${TARGET_P99_MS} ms)`],
      ['delivery latency max', `${figures.delivery_max_ms} ms`],
      ['gateway RSS before clients', list(figures.rss_baseline_per_gateway_mb, 'MB')],
      ['gateway RSS with all subscribed', list(figures.rss_per_gateway_mb, 'MB')],
      ['gateway peak RSS', list(figures.peak_rss_per_gateway_mb, 'MB')],
      ['gateway RSS per client', `${figures.rss_per_client_kb} KB`],
      ['gateway CPU per change', list(figures.gateway_cpu_ms_per_change, 'ms')],
      [
        'gateway GC per change (longest pause)',
        gatewayCount === null
          ? `${figures.gateway_gc_ms_per_change} ms (${figures.gateway_gc_max_pause_ms} ms)`
          : 'n/a',
      ],
      ['balancer CPU per change', `${figures.balancer_cpu_ms_per_change ?? 'n/a'} ms`],
      ['bench clients CPU per change', `${figures.client_cpu_ms_per_change} ms`],
    ];
    const width = Math.max(...rows.map(([label]) => label.length));
    process.stdout.write(
      `\n\nsubscriptions bench: ${setup.query}\n${cpus().length} CPUs, node ${process.version}, load average ${figures.load_average_before} before / ${figures.load_average_after} after; latency = change published -> client received; ${gatewayProcesses} gateway process(es)\n\n`,
    );
    process.stdout.write(
      `${rows.map(([label, value]) => `${label.padEnd(width)} | ${value}`).join('\n')}\n`,
    );
    process.stdout.write(
      `per round (p50/p99 ms): ${perRound.map((r) => `${r.p50Ms}/${r.p99Ms}`).join('  ')}\n`,
    );
    process.stdout.write(
      `${ok ? 'OK' : 'FAILED'}: p99 target ${TARGET_P99_MS} ms, every change delivered to every client, no error\n`,
    );
    process.stdout.write(`${JSON.stringify({ ...figures, ok })}\n`);
    if (!ok) process.exitCode = 1;
  } catch (err) {
    process.stderr.write(`\n${setup.output()}\n`);
    throw err;
  } finally {
    await Promise.all(
      workers.map((worker) => worker.request({ type: 'stop' }, 'stopped').catch(() => undefined)),
    );
    await setup.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const role = ['--gateway-child', '--clients-child', '--balancer-child'].find((name) =>
  process.argv.includes(name),
);
if (role) {
  // A child outlives no bench: when the bench goes, so does it.
  process.on('disconnect', () => process.exit(1));
  if (role === '--gateway-child') runGatewayChild();
  else if (role === '--clients-child') runClientsChild();
  else runBalancerChild();
} else {
  main().catch((err: unknown) => {
    const detail =
      err instanceof BenchUsageError
        ? err.message
        : err instanceof Error
          ? (err.stack ?? err.message)
          : String(err);
    process.stderr.write(`error: ${detail}\n`);
    process.exit(1);
  });
}
