/**
 * `npm run soak [-- --minutes 30] [--subscribers 1000] [--qps 10] [--vehicles 3000] [--sample-s 10]
 *   [--hubs 50] [--toggle-s 10] [--history-days 2]`
 *
 * A bounded soak on loopback: `npm start` (bin/start.ts: gateway, every subgraph, the job runner
 * importing the simulated feeds every 30 s) on its own embedded PostgreSQL and its own Redis, under
 * steady queries from this process and `--subscribers` graphql-ws clients holding a hub-status
 * subscription each. Every `--sample-s` seconds the RSS of every process (the all-in-one Node
 * process, PostgreSQL's postmaster and backends together, redis-server) is read from /proc, and the
 * slope of each is fitted by least squares over the run after its first fifth (warm-up).
 *
 * Hub status changes for the subscribers: signed in as Amsterdam's admin (a development token), the
 * soak creates `--hubs` one-place hubs where vehicles are parked (they open and close as the
 * simulated city rents), and one more hub whose control it switches between MANUAL_CLOSED and
 * MANUAL_OPEN every `--toggle-s` seconds, so events flow even at night. Every subscriber sees the
 * same stream, so each must end with the same number of events, and at least one per switch.
 *
 * Errors: a query or mutation answered other than 200 without `errors`, a subscription that ended
 * or errored, a subscriber that missed events, a process that exited. Prints progress to stderr
 * and, as its last line, one JSON object.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { PROJECT_ROOT } from '../lib/config';
import { DEV_JWT_AUDIENCE, DEV_JWT_ISSUER, devJwtSecret, mintToken } from '../lib/devJwt';
import { freePort } from '../test/ports';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

const MINUTES = option('--minutes', 30);
const SUBSCRIBERS = option('--subscribers', 1000);
const QPS = option('--qps', 10);
const VEHICLES = option('--vehicles', 3000);
const SAMPLE_MS = option('--sample-s', 10) * 1000;
const HUBS = option('--hubs', 50);
const TOGGLE_MS = option('--toggle-s', 10) * 1000;
/** Days of demo history the first start fills: the soak is about the steady state after it. */
const HISTORY_DAYS = option('--history-days', 2);

const log = (message: string): void => {
  process.stderr.write(`[soak ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resident memory of a process in MB (VmRSS), or undefined once it is gone. */
function rssMb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

/** A process and every descendant (PostgreSQL's backends are children of the postmaster). */
function treeRssMb(root: number): number | undefined {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // gone meanwhile
    }
  }
  const own = rssMb(root);
  if (own === undefined) return undefined;
  let total = own;
  const stack = [...(children.get(root) ?? [])];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    total += rssMb(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** Least-squares slope of (minutes, MB), in MB per 10 minutes. */
function slopePer10Min(points: { min: number; mb: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p.min, 0) / n;
  const my = points.reduce((s, p) => s + p.mb, 0) / n;
  const sxy = points.reduce((s, p) => s + (p.min - mx) * (p.mb - my), 0);
  const sxx = points.reduce((s, p) => s + (p.min - mx) ** 2, 0);
  return sxx === 0 ? 0 : (sxy / sxx) * 10;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

const QUERIES = [
  '{ availableVehicles(bbox: { minLng: 4.7, minLat: 52.27, maxLng: 5.07, maxLat: 52.43 }, first: 20) { totalCount edges { node { id lat lng } } } }',
  '{ zoneAt(lat: 52.3731, lng: 4.8932) { code name } }',
  '{ zones(first: 20) { totalCount edges { node { code name } } } }',
];

type GraphqlBody = { data?: Record<string, unknown>; errors?: { message: string }[] };

/** One GraphQL request; throws with the status and first error unless it answered cleanly. */
async function graphql(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(15_000),
  });
  const body = (await response.json()) as GraphqlBody;
  if (!response.ok || body.errors || !body.data)
    throw new Error(`${response.status} ${body.errors?.[0]?.message ?? 'no data'}`);
  return body.data;
}

const CREATE_HUB = `mutation ($input: CreateHubInput!) { createHub(input: $input) { id } }`;
const SET_CONTROL = `mutation ($id: ID!, $control: HubControl!) { setHubControl(id: $id, control: $control) { id } }`;

/**
 * `count` one-place hubs where Amsterdam's vehicles stand now, and one hub held closed by hand
 * whose control the soak switches; returns that hub's id.
 */
async function createHubs(url: string, token: string, count: number): Promise<string> {
  const data = (await graphql(
    url,
    `
      query ($first: Int!) {
        availableVehicles(
          bbox: { minLng: 4.73, minLat: 52.28, maxLng: 5.02, maxLat: 52.42 }
          first: $first
        ) {
          edges {
            node {
              lat
              lng
            }
          }
        }
      }
    `,
    { first: count },
    token,
  )) as { availableVehicles: { edges: { node: { lat: number; lng: number } }[] } };
  const spots = data.availableVehicles.edges.map((e) => e.node);
  for (const [i, spot] of spots.entries()) {
    await graphql(
      url,
      CREATE_HUB,
      {
        input: {
          name: `Soak ${i + 1}`,
          point: { lat: spot.lat, lng: spot.lng, radiusMeters: 10 },
          capacity: { combined: 1 },
          bufferMeters: 0,
        },
      },
      token,
    );
  }
  const toggled = (await graphql(
    url,
    CREATE_HUB,
    {
      input: {
        name: 'Soak switched',
        point: { lat: 52.3731, lng: 4.8932, radiusMeters: 15 },
        capacity: { combined: 20 },
        control: 'MANUAL_CLOSED',
      },
    },
    token,
  )) as { createHub: { id: string } };
  log(`created ${spots.length} one-place hubs and one switched hub`);
  return toggled.createHub.id;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mobility-soak-'));
  const children: ChildProcess[] = [];
  const redisPort = await freePort();
  const redis = spawn(
    'redis-server',
    ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  children.push(redis);
  const port = await freePort();
  const app = spawn(
    process.execPath,
    ['--max-semi-space-size=64', '--import', 'tsx', join('bin', 'start.ts')],
    {
      cwd: PROJECT_ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATA_DIR: dataDir,
        EMBEDDED_PG_PORT: String(await freePort()),
        REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        DEMO_VEHICLES: String(VEHICLES),
        DEMO_HISTORY_DAYS: String(HISTORY_DAYS),
        RATE_LIMIT_POINTS: '1000000',
        WS_CONNECTS_PER_MINUTE_PER_IP: String(SUBSCRIBERS * 10),
        WS_MAX_ANONYMOUS_CONNECTIONS_PER_IP: String(SUBSCRIBERS * 2),
        WS_MAX_ANONYMOUS_SUBSCRIPTIONS_PER_IP: String(SUBSCRIBERS * 2),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  children.push(app);
  let appErrors = '';
  app.stderr?.on(
    'data',
    (chunk: Buffer) => (appErrors = (appErrors + chunk.toString()).slice(-4000)),
  );
  let errors = 0;
  const errorKinds: Record<string, number> = {};
  const fail = (kind: string) => {
    errors += 1;
    errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
  };
  const exits: string[] = [];
  for (const [name, child] of [
    ['redis', redis],
    ['all-in-one', app],
  ] as const) {
    child.once('exit', (code, signal) => {
      if (!stopping) {
        exits.push(`${name} exited (${code ?? signal})`);
        fail('process exited');
      }
    });
  }
  let stopping = false;
  const url = `http://127.0.0.1:${port}`;
  const clients: Client[] = [];
  try {
    log(`starting npm start (${VEHICLES} simulated vehicles), redis on ${redisPort}`);
    const deadline = Date.now() + 600_000;
    for (;;) {
      if (app.exitCode !== null) throw new Error(`npm start exited: ${appErrors}`);
      const ready = await fetch(`${url}/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) break;
      if (Date.now() > deadline) throw new Error('npm start did not get ready in 10 minutes');
      await sleep(500);
    }
    const pgPidFile = join(dataDir, 'postgres', 'postmaster.pid');
    const pgPid = existsSync(pgPidFile)
      ? Number(readFileSync(pgPidFile, 'utf8').split('\n')[0])
      : undefined;

    const token = await mintToken({
      secret: devJwtSecret(dataDir),
      email: 'amsterdam@example.org',
      issuer: DEV_JWT_ISSUER,
      audience: DEV_JWT_AUDIENCE,
      emailClaim: 'email',
      ttlSeconds: 12 * 3600,
    });
    const switchedHub = await createHubs(url, token, HUBS);

    log(`opening ${SUBSCRIBERS} subscribers`);
    let events = 0;
    let subscribed = 0;
    const perSubscriber: number[] = [];
    for (let i = 0; i < SUBSCRIBERS; i += 1) {
      perSubscriber.push(0);
      const client = createClient({
        url: `ws://127.0.0.1:${port}/graphql`,
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        lazy: false,
        onNonLazyError: () => fail('subscriber connection'),
      });
      clients.push(client);
      client.subscribe(
        { query: 'subscription { hubStatusChanged { hubId open placesAvailable } }' },
        {
          next: (result) => {
            if (result.errors) fail('subscription event error');
            else {
              events += 1;
              perSubscriber[i]! += 1;
            }
          },
          error: () => {
            if (!stopping) fail('subscription error');
          },
          complete: () => {
            if (!stopping) fail('subscription ended');
          },
        },
      );
      subscribed += 1;
      if (i % 100 === 99) await sleep(200);
    }

    const latencies: number[] = [];
    let queries = 0;
    const queryLoop = (async () => {
      const interval = 1000 / QPS;
      let next = Date.now();
      while (!stopping) {
        const query = QUERIES[queries % QUERIES.length]!;
        queries += 1;
        const started = performance.now();
        void fetch(`${url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query }),
          signal: AbortSignal.timeout(15_000),
        })
          .then(async (response) => {
            const body = (await response.json()) as { errors?: unknown[] };
            latencies.push(performance.now() - started);
            if (!response.ok || body.errors) fail(`query ${response.status}`);
          })
          .catch((err: unknown) =>
            fail(`query failed: ${err instanceof Error ? err.message.slice(0, 80) : 'unknown'}`),
          );
        next += interval;
        await sleep(Math.max(0, next - Date.now()));
      }
    })();

    let switches = 0;
    const switchLoop = (async () => {
      while (!stopping) {
        await sleep(TOGGLE_MS);
        if (stopping) break;
        const control = switches % 2 === 0 ? 'MANUAL_OPEN' : 'MANUAL_CLOSED';
        await graphql(url, SET_CONTROL, { id: switchedHub, control }, token).then(
          () => (switches += 1),
          (err: unknown) =>
            fail(`switch failed: ${err instanceof Error ? err.message.slice(0, 80) : 'unknown'}`),
        );
      }
    })();

    const samples: Record<string, { min: number; mb: number }[]> = {
      all_in_one: [],
      postgres: [],
      redis: [],
    };
    const pids: Record<string, number | undefined> = {
      all_in_one: app.pid,
      postgres: pgPid,
      redis: redis.pid,
    };
    const start = Date.now();
    const end = start + MINUTES * 60_000;
    log(`running for ${MINUTES} min: ${QPS} queries/s, ${subscribed} subscribers`);
    while (Date.now() < end && exits.length === 0) {
      const min = (Date.now() - start) / 60_000;
      for (const [name, pid] of Object.entries(pids)) {
        const mb = pid === undefined ? undefined : treeRssMb(pid);
        if (mb !== undefined) samples[name]!.push({ min, mb });
      }
      log(
        `${min.toFixed(1)} min: rss ${Object.entries(samples)
          .map(([n, s]) => `${n} ${s.at(-1)?.mb.toFixed(0) ?? '?'} MB`)
          .join(
            ', ',
          )}; queries ${queries}, switches ${switches}, events ${events}, errors ${errors}`,
      );
      await sleep(Math.min(SAMPLE_MS, Math.max(0, end - Date.now())));
    }
    stopping = true;
    await Promise.all([queryLoop, switchLoop]);
    await sleep(5_000);
    const most = Math.max(0, ...perSubscriber);
    const fewest = Math.min(...perSubscriber);
    const behind = perSubscriber.filter((n) => n < most).length;
    if (behind > 0) fail(`subscribers missed events (${behind})`);
    if (fewest < switches) fail('fewer events than switches');

    const steady = (points: { min: number; mb: number }[]) =>
      points.filter((p) => p.min >= MINUTES / 5);
    const round = (v: number) => Math.round(v * 10) / 10;
    const sorted = [...latencies].sort((a, b) => a - b);
    const result = {
      duration_min: round((Date.now() - start) / 60_000),
      errors,
      error_kinds: errorKinds,
      exits,
      queries,
      query_p50_ms: round(percentile(sorted, 0.5)),
      query_p95_ms: round(percentile(sorted, 0.95)),
      subscribers: subscribed,
      events_received: events,
      hub_switches: switches,
      events_per_subscriber_min: fewest,
      events_per_subscriber_max: most,
      vehicles: VEHICLES,
      rss_slope_mb_per_10min: Object.fromEntries(
        Object.entries(samples).map(([n, s]) => [n, round(slopePer10Min(steady(s)))]),
      ),
      rss_start_mb: Object.fromEntries(
        Object.entries(samples).map(([n, s]) => [n, round(steady(s)[0]?.mb ?? 0)]),
      ),
      rss_end_mb: Object.fromEntries(
        Object.entries(samples).map(([n, s]) => [n, round(s.at(-1)?.mb ?? 0)]),
      ),
      heap_note: 'RSS only: the processes expose no heap figures from outside (see /metrics)',
      cpus: cpus().length,
      load_avg_1m: round(loadavg()[0] ?? 0),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    stopping = true;
    await Promise.allSettled(clients.map(async (c) => c.dispose()));
    for (const child of children.reverse()) {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`soak failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
