/**
 * `npm run bench:gateway [-- --duration 10] [--warmup 3] [--connections 50] [--quick]
 *   [--only ours,apollo,hive,hive-best] [--workloads community,dashboard] [--ours-env KEY=VALUE ...]
 *   [--profile <dir>]`
 *
 * `--ours-env GATEWAY_WORKERS=1` and the like measure one lever at a time; `--profile <dir>` writes
 * a V8 CPU profile of each of our gateway's processes there (`node --cpu-prof`).
 *
 * Gateways compared, one after another in one run, on the same machine, subgraphs and supergraph:
 * - `ours`: this gateway as shipped (`bin/gateway.ts`: JWT/API-key authentication, query limits,
 *   rate limits in Redis when REDIS_URL is set, the signed scope header on every subgraph fetch,
 *   `GATEWAY_WORKERS` workers). The rate limit is raised so that 50 connections from one address
 *   are measured, not refused, and the cost limit so that the distinct case's large `first` is.
 * - `apollo`: a plain `@apollo/gateway` on `@apollo/server`, nothing added.
 * - `hive`: `@graphql-hive/gateway` as it comes; `hive-best`: with `--fork <CPUs> --jit` and
 *   inbound in-flight request deduplication (bench/gateway/hive.config.ts).
 *
 * Workloads: the community federation benchmark's four subgraphs and nested query
 * (bench/gateway/community.ts), every gateway; then this product's dashboard mix on its own stack
 * (bench/gateway/dashboard.ts), our gateway only (plain gateways cannot sign the scope header its
 * subgraphs require). Each at `--connections` concurrent keep-alive connections, as
 * `identical` (every request the same) and `distinct` (each request's variables unique, so no
 * request can share another's execution or cached response). Each subgraph runs in a child
 * process of its own, each gateway in its own, the load generator (autocannon) in this one.
 *
 * Each case: a warm-up (discarded), then `--duration` seconds measured. Counted as an error: a
 * connection error or timeout, a non-2xx status, a body without `data` or with `errors`.
 * Reports requests per second, latency p50/p95/p99, errors and the gateway's peak RSS (its whole
 * process tree, workers included), the ratios to `apollo` and `hive`, the load average, and as its
 * last line one JSON object.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import autocannon from 'autocannon';
import { compose } from '../gateway/__tests__/helpers';
import { freePort } from '../test/ports';
import { SECOND } from '../lib/units';
import { COMMUNITY_QUERY, COMMUNITY_SUBGRAPHS, startCommunitySubgraph } from './gateway/community';
import { dashboardBody, startDashboardStack } from './gateway/dashboard';

const GATEWAYS = ['ours', 'apollo', 'hive', 'hive-best'] as const;
type GatewayName = (typeof GATEWAYS)[number];
const CASES = ['identical', 'distinct'] as const;
type CaseName = (typeof CASES)[number];

const READY_TIMEOUT_MS = 180 * SECOND;
const RSS_SAMPLE_MS = 250;
const PAGE_BYTES = 4096;
const MB = 1024 * 1024;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function options(name: string): string[] {
  return process.argv.flatMap((arg, i) => (arg === name ? [process.argv[i + 1] ?? ''] : []));
}

/** A subgraph child: starts one community subgraph, reports its URL, waits to be stopped. */
async function runSubgraphChild(name: string): Promise<void> {
  const subgraph = await startCommunitySubgraph(name);
  process.send?.({ type: 'ready', url: subgraph.url });
  process.on('message', () => {
    void subgraph.stop().then(() => process.exit(0));
  });
}

/** Each subgraph in its own process, so that none shares an event loop with another. */
async function startSubgraphChildren(): Promise<{ children: ChildProcess[]; supergraph: string }> {
  const started = await Promise.all(
    COMMUNITY_SUBGRAPHS.map(
      ({ name, sdl }) =>
        new Promise<{ child: ChildProcess; name: string; sdl: string; url: string }>(
          (resolve, reject) => {
            const child = fork(__filename, ['subgraph', name], {
              execArgv: ['--import', 'tsx'],
              stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
            });
            child.once('message', (message: { url: string }) =>
              resolve({ child, name, sdl, url: message.url }),
            );
            child.once('exit', () => reject(new Error(`the ${name} subgraph process exited`)));
          },
        ),
    ),
  );
  return { children: started.map((s) => s.child), supergraph: compose(started) };
}

/** The plain Apollo child: `@apollo/gateway` on `@apollo/server` with their defaults. */
async function runApolloChild(supergraphPath: string, port: number): Promise<void> {
  const gateway = new ApolloGateway({ supergraphSdl: readFileSync(supergraphPath, 'utf8') });
  const server = new ApolloServer({ gateway });
  await startStandaloneServer(server, { listen: { port, host: '127.0.0.1' } });
  process.send?.({ type: 'ready' });
}

interface Started {
  child: ChildProcess;
  url: string;
}

function startGateway(
  name: GatewayName,
  supergraphPath: string,
  port: number,
  oursEnv: Record<string, string>,
  profileDir: string | undefined,
): Started {
  const url = `http://127.0.0.1:${port}/graphql`;
  const quiet = {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'] as ('ignore' | 'inherit' | 'ipc')[],
  };
  switch (name) {
    case 'ours':
      return {
        url,
        child: spawn(
          process.execPath,
          [
            ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
            '--import',
            'tsx',
            join(__dirname, '..', 'bin', 'gateway.ts'),
          ],
          {
            ...quiet,
            env: {
              ...process.env,
              NODE_ENV: 'development',
              HOST: '127.0.0.1',
              PORT: String(port),
              SUPERGRAPH_PATH: supergraphPath,
              SCOPE_SECRET: 'bench-scope-secret-0123456789abcdef0123',
              JWT_SECRET: 'bench-jwt-secret-0123456789abcdef012345',
              RATE_LIMIT_POINTS: '1000000000',
              // The distinct case's `first` (1000 + n, a key of its own) multiplies the query's
              // cost past the default limit: refused, every request would be an error.
              LIMIT_MAX_COST: '1000000000',
              LOG_LEVEL: 'warn',
              ...oursEnv,
            },
          },
        ),
      };
    case 'apollo':
      return {
        url,
        child: fork(__filename, ['apollo', supergraphPath, String(port)], {
          execArgv: ['--import', 'tsx'],
          ...quiet,
        }),
      };
    case 'hive':
    case 'hive-best': {
      const best =
        name === 'hive-best'
          ? [
              '--fork',
              String(cpus().length),
              '--jit',
              '--config-path',
              join(__dirname, 'gateway', 'hive.config.ts'),
            ]
          : [];
      const bin = join(
        __dirname,
        '..',
        'node_modules',
        '@graphql-hive',
        'gateway',
        'dist',
        'bin.js',
      );
      return {
        url,
        child: spawn(
          process.execPath,
          [
            bin,
            'supergraph',
            supergraphPath,
            '--host',
            '127.0.0.1',
            '--port',
            String(port),
            ...best,
          ],
          { ...quiet, env: { ...process.env, NODE_ENV: 'production' } },
        ),
      };
    }
  }
}

const communityBody = (first: number) =>
  JSON.stringify({ query: COMMUNITY_QUERY, variables: { first } });

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exited = false;
  child.once('exit', () => (exited = true));
  while (Date.now() < deadline && !exited) {
    const ok = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: communityBody(5),
    })
      .then(async (res) => res.ok && ((await res.json()) as { data?: unknown }).data !== undefined)
      .catch(() => false);
    if (ok) return;
    await sleep(300);
  }
  throw new Error(`gateway at ${url} did not become ready${exited ? ' (it exited)' : ''}`);
}

/** RSS of a process and all its descendants (fork/cluster workers), from /proc. */
function treeRssBytes(rootPid: number): number {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  const inTree = new Set([rootPid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (!inTree.has(pid) && inTree.has(ppid)) {
        inTree.add(pid);
        grew = true;
      }
    }
  }
  let total = 0;
  for (const pid of inTree) {
    try {
      const pages = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
      total += pages * PAGE_BYTES;
    } catch {
      // Gone.
    }
  }
  return total;
}

interface CaseResult {
  rps: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  /** Of the errors: requests unanswered within autocannon's 10 s timeout. */
  timeouts: number;
  peakRssMb: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** One autocannon run; the body comes from `body(sequence)`. */
async function load(
  url: string,
  headers: Record<string, string>,
  body: (sequence: number) => string,
  connections: number,
  seconds: number,
  rssOf: number | undefined,
): Promise<CaseResult> {
  let sequence = 0;
  let bad = 0;
  const latencies: number[] = [];
  let peakRss = 0;
  const sampler =
    rssOf === undefined
      ? undefined
      : setInterval(() => (peakRss = Math.max(peakRss, treeRssBytes(rssOf))), RSS_SAMPLE_MS);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: seconds,
        timeout: 10,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers },
            setupRequest: (request) => ({ ...request, body: body(sequence++) }),
            onResponse: (status, responseBody) => {
              if (
                status !== 200 ||
                !responseBody.startsWith('{"data"') ||
                responseBody.includes('"errors"')
              ) {
                // The first bad answer of a run is shown: an error count alone says nothing.
                if (bad === 0)
                  process.stderr.write(
                    `first bad answer: ${status} ${responseBody.slice(0, 300)}\n`,
                  );
                bad += 1;
              }
            },
          },
        ],
      },
      (err, finished) => (err ? reject(err as Error) : resolve(finished)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) =>
      latencies.push(responseTime),
    );
  });
  if (sampler) clearInterval(sampler);
  latencies.sort((a, b) => a - b);
  const elapsedS = (result.finish.getTime() - result.start.getTime()) / 1000;
  const answered = latencies.length;
  const errors = result.errors + result.timeouts + bad;
  return {
    rps: (answered - bad) / elapsedS,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
    requests: answered,
    errors,
    timeouts: result.timeouts,
    peakRssMb: peakRss / MB,
  };
}

const CASE_BODIES: Record<CaseName, (sequence: number) => string> = {
  identical: () => communityBody(5),
  // `first` beyond the five products returns them all: the same work, a key no one else has.
  distinct: (sequence) => communityBody(1000 + sequence),
};

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30 * SECOND);
  await exited;
  clearTimeout(timer);
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

interface Run {
  connections: number;
  duration: number;
  warmup: number;
}

/** Both cases against one running gateway: a warm-up each, then the measured run. */
async function measureCases(
  label: string,
  target: { url: string; headers: Record<string, string>; pid: number | undefined },
  bodies: Record<CaseName, (sequence: number) => string>,
  run: Run,
): Promise<Record<CaseName, CaseResult>> {
  const perCase = {} as Record<CaseName, CaseResult>;
  for (const caseName of CASES) {
    const { url, headers, pid } = target;
    await load(url, headers, bodies[caseName], run.connections, run.warmup, undefined);
    const r = await load(url, headers, bodies[caseName], run.connections, run.duration, pid);
    perCase[caseName] = r;
    process.stderr.write(
      `${label.padEnd(10)} ${caseName.padEnd(10)} ${fmt(r.rps).padStart(6)} rps  p50 ${fmt(r.p50Ms)} p95 ${fmt(r.p95Ms)} p99 ${fmt(r.p99Ms)} ms  errors ${r.errors}/${r.requests} (${r.timeouts} timed out)  rss ${fmt(r.peakRssMb)} MB\n`,
    );
  }
  return perCase;
}

/** Our gateway on the product's own stack and dashboard mix (bench/gateway/dashboard.ts). */
async function measureDashboard(
  run: Run,
  oursEnv: Record<string, string>,
): Promise<Record<CaseName, CaseResult>> {
  const stack = await startDashboardStack(oursEnv);
  try {
    return await measureCases('dashboard', stack, DASHBOARD_BODIES, run);
  } finally {
    await stack.stop();
  }
}

const DASHBOARD_BODIES: Record<CaseName, (sequence: number) => string> = {
  identical: (sequence) => dashboardBody(sequence, false),
  distinct: (sequence) => dashboardBody(sequence, true),
};

const WORKLOADS = ['community', 'dashboard'] as const;
type WorkloadName = (typeof WORKLOADS)[number];

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const duration = Number(option('--duration') ?? (quick ? 3 : 10));
  const warmup = Number(option('--warmup') ?? (quick ? 1 : 3));
  const connections = Number(option('--connections') ?? 50);
  const only = (option('--only')?.split(',') ?? [...GATEWAYS]) as GatewayName[];
  for (const name of only) if (!GATEWAYS.includes(name)) throw new Error(`unknown gateway ${name}`);
  const workloads = (option('--workloads')?.split(',') ?? [...WORKLOADS]) as WorkloadName[];
  for (const name of workloads)
    if (!WORKLOADS.includes(name)) throw new Error(`unknown workload ${name}`);
  const run: Run = { connections, duration, warmup };
  const oursEnv = Object.fromEntries(
    options('--ours-env').map((pair) => [
      pair.slice(0, pair.indexOf('=')),
      pair.slice(pair.indexOf('=') + 1),
    ]),
  );

  const loadBefore = loadavg();
  const results: Partial<Record<GatewayName, Record<CaseName, CaseResult>>> = {};
  const failed: string[] = [];
  if (workloads.includes('community')) {
    const failures = await measureCommunity(only, run, oursEnv, results);
    failed.push(...failures);
  }
  let dashboard: Record<CaseName, CaseResult> | undefined;
  if (workloads.includes('dashboard')) {
    dashboard = await measureDashboard(run, oursEnv).catch((err: unknown) => {
      failed.push(`dashboard: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    });
  }
  const loadAfter = loadavg();
  report({ run, only, results, dashboard, failed, loadBefore, loadAfter });
}

/** Each gateway in turn on the community subgraphs; returns what could not be measured. */
async function measureCommunity(
  only: GatewayName[],
  run: Run,
  oursEnv: Record<string, string>,
  results: Partial<Record<GatewayName, Record<CaseName, CaseResult>>>,
): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-gateway-'));
  const supergraphPath = join(dir, 'supergraph.graphql');
  const subgraphs = await startSubgraphChildren();
  writeFileSync(supergraphPath, subgraphs.supergraph);
  const failed: string[] = [];
  try {
    for (const name of only) {
      const port = await freePort();
      const { child, url } = startGateway(name, supergraphPath, port, oursEnv, option('--profile'));
      try {
        await waitReady(url, child);
        results[name] = await measureCases(
          name,
          { url, headers: {}, pid: child.pid },
          CASE_BODIES,
          run,
        );
      } catch (err) {
        // One gateway that cannot start or be measured is reported; the others still are.
        failed.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
        process.stderr.write(`${name} not measured: ${failed.at(-1)}\n`);
      } finally {
        await stopChild(child);
      }
    }
  } finally {
    await Promise.all(
      subgraphs.children.map((child) => {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.send({ type: 'stop' });
        return exited;
      }),
    );
    rmSync(dir, { recursive: true, force: true });
  }
  return failed;
}

function report(outcome: {
  run: Run;
  only: GatewayName[];
  results: Partial<Record<GatewayName, Record<CaseName, CaseResult>>>;
  dashboard: Record<CaseName, CaseResult> | undefined;
  failed: string[];
  loadBefore: number[];
  loadAfter: number[];
}): void {
  const { run, only, results, dashboard, failed, loadBefore, loadAfter } = outcome;
  const { connections, duration, warmup } = run;
  const rps = (g: GatewayName, c: CaseName) => results[g]?.[c].rps ?? NaN;
  const lines = [
    '',
    `community query, ${connections} connections, ${duration} s per case after ${warmup} s warm-up, ${cpus().length} CPUs`,
    'gateway     case        rps     p50     p95     p99  errors   rss MB   x apollo   x hive',
  ];
  for (const name of only) {
    for (const caseName of CASES) {
      const r = results[name]?.[caseName];
      if (!r) continue;
      lines.push(
        `${name.padEnd(11)} ${caseName.padEnd(10)} ${fmt(r.rps).padStart(5)} ${fmt(r.p50Ms).padStart(7)} ${fmt(r.p95Ms).padStart(7)} ${fmt(r.p99Ms).padStart(7)} ${String(r.errors).padStart(7)} ${fmt(r.peakRssMb).padStart(8)} ${fmt(r.rps / rps('apollo', caseName), 2).padStart(10)} ${fmt(r.rps / rps('hive', caseName), 2).padStart(8)}`,
      );
    }
  }
  if (dashboard) {
    lines.push(
      '',
      `dashboard mix (zones with availability, vehicles in a bbox, trips, hubs with their zone, me; signed in), ${connections} connections`,
    );
    for (const caseName of CASES) {
      const r = dashboard[caseName];
      lines.push(
        `${'ours'.padEnd(11)} ${caseName.padEnd(10)} ${fmt(r.rps).padStart(5)} ${fmt(r.p50Ms).padStart(7)} ${fmt(r.p95Ms).padStart(7)} ${fmt(r.p99Ms).padStart(7)} ${String(r.errors).padStart(7)} ${fmt(r.peakRssMb).padStart(8)}`,
      );
    }
    lines.push(
      'apollo / hive not run on the dashboard mix: the product subgraphs refuse requests without the gateway-signed scope header',
    );
  }
  for (const failure of failed) lines.push(`not measured: ${failure}`);
  lines.push(
    `load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadAfter.map((l) => l.toFixed(2)).join(' ')}`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);

  const round = (n: number, digits = 1) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : null);
  process.stdout.write(
    `${JSON.stringify({
      connections,
      duration_s: duration,
      ours_distinct_rps: round(rps('ours', 'distinct')),
      apollo_distinct_rps: round(rps('apollo', 'distinct')),
      hive_distinct_rps: round(rps('hive', 'distinct')),
      hive_best_distinct_rps: round(rps('hive-best', 'distinct')),
      ours_identical_rps: round(rps('ours', 'identical')),
      apollo_identical_rps: round(rps('apollo', 'identical')),
      hive_identical_rps: round(rps('hive', 'identical')),
      hive_best_identical_rps: round(rps('hive-best', 'identical')),
      ours_distinct_p99_ms: round(results.ours?.distinct.p99Ms ?? NaN),
      ours_identical_p99_ms: round(results.ours?.identical.p99Ms ?? NaN),
      ours_errors: (results.ours?.distinct.errors ?? 0) + (results.ours?.identical.errors ?? 0),
      ours_peak_rss_mb: round(
        Math.max(results.ours?.distinct.peakRssMb ?? NaN, results.ours?.identical.peakRssMb ?? NaN),
      ),
      ours_vs_apollo_distinct_ratio: round(rps('ours', 'distinct') / rps('apollo', 'distinct'), 2),
      ours_vs_hive_best_distinct_ratio: round(
        rps('ours', 'distinct') / rps('hive-best', 'distinct'),
        2,
      ),
      ours_dashboard_identical_rps: round(dashboard?.identical.rps ?? NaN),
      ours_dashboard_distinct_rps: round(dashboard?.distinct.rps ?? NaN),
      ours_dashboard_distinct_p99_ms: round(dashboard?.distinct.p99Ms ?? NaN),
      ours_dashboard_errors: dashboard
        ? dashboard.identical.errors + dashboard.distinct.errors
        : null,
      load_average_1m: round(loadAfter[0] ?? NaN, 2),
    })}\n`,
  );
}

const [role, first, second] = process.argv.slice(2);
if (role === 'subgraph' && first) void runSubgraphChild(first);
else if (role === 'apollo' && first && second) void runApolloChild(first, Number(second));
else
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
