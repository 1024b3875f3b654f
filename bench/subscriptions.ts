/**
 * `npm run bench:subscriptions [-- --clients N] [--workers N] [--rounds N] [--concurrency N]
 *   [--gateway-node-options '--max-semi-space-size=64']`
 *
 * 10 000 graphql-ws clients subscribe through one gateway to a hub-status-like subscription whose
 * fields span two subgraphs (`thingChanged { id name color }`: `color` is an entity fetch to a
 * second subgraph for every event). Then `--rounds` changes are published, one at a time; each
 * must reach every client. Reports delivery latency (publish -> client received, p50/p95/p99),
 * the connection set-up rate and the gateway's memory.
 *
 * The gateway runs in a child process of its own (its RSS is the gateway's alone), the clients in
 * `--workers` child processes (default 2, each holding its share of the sockets under the
 * per-process file limit), the subgraphs in this process. Every process reads the same clock
 * (`performance.timeOrigin + performance.now()`), so latencies are compared across processes.
 *
 * Against real subgraphs (e.g. microhubs' `hubStatusChanged`, fed by the `hubs.status` channel),
 * start them with REDIS_URL and SCOPE_SECRET set and pass `--supergraph <file> --query
 * '<subscription>' [--variables '<json>'] --channel <redis channel> --payload '<event json>'`:
 * each round publishes the payload on that channel, as the job that changes a hub would.
 *
 * Prints a table and, as its last line, one JSON object with the figures.
 */
import { fork, type ChildProcess } from 'node:child_process';
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
import { RedisPubSub } from '../lib/pubsub';
import { SECOND } from '../lib/units';
import { testGatewayOptions } from '../test/gateway';
import { TEST_SCOPE_SECRET } from '../test/scope';

const TARGET_P99_MS = 250;
const DEFAULT_QUERY = 'subscription { thingChanged { id name color } }';
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
                maxAnonymousConnectionsPerIp: 1_000_000,
                maxAnonymousSubscriptionsPerIp: 1_000_000,
                connectsPerMinutePerIp: 1_000_000,
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
          const client = createClient({
            url: message.url,
            webSocketImpl: WebSocket,
            retryAttempts: 0,
            on: {
              connected: () => {
                connected += 1;
                const at = now();
                firstMs = Math.min(firstMs, at);
                lastMs = Math.max(lastMs, at);
                settle();
              },
              closed: () => settle(),
            },
          });
          clients.push(client);
          client.subscribe(
            { query: message.query, variables: message.variables },
            {
              next: () => {
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
function checkOpenFileLimit(clients: number, workers: number): void {
  const limit = openFileLimit();
  if (limit === undefined) return;
  const spare = 200;
  if (clients + spare > limit) {
    throw new BenchUsageError(
      `the gateway process needs about ${clients + spare} open files for ${clients} clients but ulimit -n is ${limit}: raise it (ulimit -n ${clients + spare}) or use fewer --clients`,
    );
  }
  const perWorker = Math.ceil(clients / workers);
  if (perWorker + spare > limit) {
    throw new BenchUsageError(
      `each client process needs about ${perWorker + spare} open files but ulimit -n is ${limit}: use more --workers`,
    );
  }
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

const round1 = (value: number) => Math.round(value * 10) / 10;
const megabytes = (bytes: number) => Math.round(bytes / 1024 / 1024);

async function main(): Promise<void> {
  const clientCount = Number(option('--clients') ?? 10_000);
  const workerCount = Number(option('--workers') ?? 2);
  const rounds = Number(option('--rounds') ?? 5);
  const concurrency = Number(option('--concurrency') ?? 64);
  const query = option('--query') ?? DEFAULT_QUERY;
  const channel = option('--channel');
  checkOpenFileLimit(clientCount, workerCount);
  const loadBefore = loadavg()[0] ?? 0;
  const dir = mkdtempSync(join(tmpdir(), 'subscriptions-bench-'));
  const target = channel
    ? redisTarget(option('--supergraph') ?? '', query, channel, option('--payload') ?? '{}')
    : await testTarget(dir, query);

  const gatewayNodeOptions = (option('--gateway-node-options') ?? '').split(' ').filter(Boolean);
  const gateway = spawnChild<ToGateway, FromGateway>('--gateway-child', gatewayNodeOptions);
  const workers = Array.from({ length: workerCount }, () =>
    spawnChild<ToClients, FromClients>('--clients-child'),
  );
  const ask = <K extends FromClients['type']>(message: ToClients, type: K) =>
    Promise.all(workers.map((worker) => worker.request(message, type)));
  try {
    const { url } = await gateway.request(
      {
        type: 'start',
        supergraphPath: target.supergraphPath,
        scopeSecret: target.scopeSecret,
      },
      'started',
    );
    const baseline = await gateway.request({ type: 'usage' }, 'usage');
    const wsUrl = url.replace(/^http/, 'ws');
    process.stderr.write(`gateway ${url}; connecting ${clientCount} clients `);

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
            url: wsUrl,
            count: shares[i] ?? 0,
            concurrency,
            query: target.query,
            variables: target.variables,
          },
          'connected',
        ),
      ),
    );
    const connectMs = Math.max(...connected.map((c) => c.lastMs)) - connectStarted;
    const connectedCount = connected.reduce((sum, c) => sum + c.connected, 0);
    const failedCount = connected.reduce((sum, c) => sum + c.failed, 0);
    process.stderr.write(`(${connectedCount} in ${Math.round(connectMs)} ms); subscribing `);

    // Subscriptions reach the subgraph asynchronously: publish until every client has an event.
    const subscribeStarted = now();
    let warmups = 0;
    for (;;) {
      warmups += 1;
      await target.trigger(0);
      await sleep(200);
      const statuses = await ask({ type: 'status' }, 'status');
      if (statuses.every((s) => s.fewestEvents > 0)) break;
      if (now() - subscribeStarted > ROUND_TIMEOUT_MS) {
        throw new Error('not every client received a warm-up event within 30 s');
      }
    }
    // Warm-up events still on their way would be counted as round 1: wait until none arrive.
    let lastTotal = -1;
    for (;;) {
      await sleep(QUIET_MS);
      const statuses = await ask({ type: 'status' }, 'status');
      const total = statuses.reduce((sum, s) => sum + s.totalEvents, 0);
      if (total === lastTotal) break;
      lastTotal = total;
    }
    const subscribedMemory = await gateway.request({ type: 'usage' }, 'usage');
    await ask({ type: 'reset', rounds }, 'status');
    process.stderr.write(`(${warmups} warm-up events); ${rounds} rounds `);

    const triggeredAt: number[] = [];
    const missing: number[] = [];
    let deliveryCpuMs = 0;
    let deliveryGcMs = 0;
    let deliveryGcMaxPauseMs = 0;
    for (let round = 1; round <= rounds; round += 1) {
      const before = await gateway.request({ type: 'usage' }, 'usage');
      triggeredAt.push(now());
      await target.trigger(round);
      const deadline = now() + ROUND_TIMEOUT_MS;
      for (;;) {
        await sleep(POLL_MS);
        const statuses = await ask({ type: 'status' }, 'status');
        const fewest = Math.min(...statuses.map((s) => s.fewestEvents));
        if (fewest >= round || now() > deadline) break;
      }
      const after = await gateway.request({ type: 'usage' }, 'usage');
      deliveryCpuMs += after.cpuMs - before.cpuMs;
      deliveryGcMs += after.gcMs;
      deliveryGcMaxPauseMs = Math.max(deliveryGcMaxPauseMs, after.gcMaxPauseMs);
      process.stderr.write('.');
      await sleep(PAUSE_BETWEEN_ROUNDS_MS);
    }
    const peakMemory = await gateway.request({ type: 'usage' }, 'usage');
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
    const figures = {
      bench: 'subscriptions',
      cpus: cpus().length,
      node: process.version,
      loadAverageBefore: round1(loadBefore),
      loadAverageAfter: round1(loadavg()[0] ?? 0),
      clients: clientCount,
      connected: connectedCount,
      connectFailures: failedCount,
      workers: workerCount,
      query: target.query,
      upstreamSubscriptions: target.upstreams(),
      connectMs: Math.round(connectMs),
      connectionsPerSecond: Math.round((connectedCount / connectMs) * 1000),
      rounds,
      deliveries: latencies.length,
      missedDeliveries: missing.reduce((sum, m) => sum + m, 0),
      p50Ms: round1(percentile(sorted, 50)),
      p95Ms: round1(percentile(sorted, 95)),
      p99Ms: round1(percentile(sorted, 99)),
      maxMs: round1(sorted[sorted.length - 1] ?? Number.NaN),
      targetP99Ms: TARGET_P99_MS,
      gatewayRssBaselineMb: megabytes(baseline.rssBytes),
      gatewayRssSubscribedMb: megabytes(subscribedMemory.rssBytes),
      gatewayRssPeakMb: megabytes(peakMemory.maxRssBytes),
      gatewayCpuMsPerChange: Math.round(deliveryCpuMs / rounds),
      gatewayGcMsPerChange: round1(deliveryGcMs / rounds),
      gatewayGcMaxPauseMs: round1(deliveryGcMaxPauseMs),
      gatewayRssPerClientKb: round1(
        (subscribedMemory.rssBytes - baseline.rssBytes) / 1024 / clientCount,
      ),
      perRound,
    };
    const ok = figures.missedDeliveries === 0 && figures.p99Ms <= TARGET_P99_MS;

    const rows: [string, string][] = [
      ['clients (graphql-ws, one connection each)', `${connectedCount} / ${clientCount}`],
      ['client processes', String(workerCount)],
      ['upstream subscriptions at the subgraph', String(figures.upstreamSubscriptions ?? 'n/a')],
      ['connection set-up', `${figures.connectMs} ms`],
      ['connection rate', `${figures.connectionsPerSecond} connections/s`],
      ['rounds (one change each)', String(rounds)],
      ['deliveries', `${figures.deliveries} (missed ${figures.missedDeliveries})`],
      ['delivery latency p50', `${figures.p50Ms} ms`],
      ['delivery latency p95', `${figures.p95Ms} ms`],
      ['delivery latency p99', `${figures.p99Ms} ms (target <= ${TARGET_P99_MS} ms)`],
      ['delivery latency max', `${figures.maxMs} ms`],
      ['gateway RSS before clients', `${figures.gatewayRssBaselineMb} MB`],
      ['gateway RSS with all subscribed', `${figures.gatewayRssSubscribedMb} MB`],
      ['gateway peak RSS', `${figures.gatewayRssPeakMb} MB`],
      ['gateway CPU per change (all clients)', `${figures.gatewayCpuMsPerChange} ms`],
      [
        'gateway GC per change (longest pause)',
        `${figures.gatewayGcMsPerChange} ms (${figures.gatewayGcMaxPauseMs} ms)`,
      ],
      ['gateway RSS per client', `${figures.gatewayRssPerClientKb} KB`],
    ];
    const width = Math.max(...rows.map(([label]) => label.length));
    process.stdout.write(
      `\n\nsubscriptions bench: ${query}\n${cpus().length} CPUs, node ${process.version}, load average ${figures.loadAverageBefore} before / ${figures.loadAverageAfter} after; latency = change published -> client received\n\n`,
    );
    process.stdout.write(
      `${rows.map(([label, value]) => `${label.padEnd(width)} | ${value}`).join('\n')}\n`,
    );
    process.stdout.write(
      `per round (p50/p99 ms): ${perRound.map((r) => `${r.p50Ms}/${r.p99Ms}`).join('  ')}\n`,
    );
    process.stdout.write(
      `${ok ? 'OK' : 'FAILED'}: p99 target ${TARGET_P99_MS} ms, every change delivered to every client\n`,
    );
    process.stdout.write(`${JSON.stringify({ ...figures, ok })}\n`);
    if (!ok) process.exitCode = 1;
  } finally {
    await Promise.all(
      workers.map((worker) => worker.request({ type: 'stop' }, 'stopped').catch(() => undefined)),
    );
    await gateway.request({ type: 'stop' }, 'stopped').catch(() => undefined);
    await target.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--gateway-child') || process.argv.includes('--clients-child')) {
  // A child outlives no bench: when the bench goes, so does it.
  process.on('disconnect', () => process.exit(1));
  if (process.argv.includes('--gateway-child')) runGatewayChild();
  else runClientsChild();
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
