import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../lib/config';
import { createTestDatabase, type TestDatabase } from '../../test/db';
import { familiesOf, scrape, valueOf, type Sample } from '../../test/metrics';
import { freePort } from '../../test/ports';

/** A process of the product, as its container runs it: `node --import tsx bin/<entry>`. */
interface Running {
  output: () => string;
  stop(): Promise<void>;
}

const running: Running[] = [];

function run(entry: string[], env: Record<string, string>): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', ...entry], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const process_ = {
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
  running.push(process_);
  return process_;
}

/** Scrapes until `ready` holds for the samples (a tick or a job has run); fails with the output. */
async function scrapeUntil(
  url: string,
  ready: (samples: Sample[]) => boolean,
  process_: Running,
  timeoutMs = 180_000,
): Promise<Sample[]> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const samples = await scrape(url);
      if (ready(samples)) return samples;
      last = 'not there yet';
    } catch (err) {
      last = err;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${url}: ${String(last)}\n${process_.output()}`);
}

const PROMQL_WORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
]);

/** The metric names a PromQL expression reads (label matchers, groupings and functions removed). */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without)\s*\([^)]*\)/g, ' ');
  const names = [...bare.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()/g)]
    .map((m) => m[1] ?? '')
    .filter((name) => !PROMQL_WORDS.has(name) && !/^\d/.test(name));
  return [...new Set(names)];
}

interface Dashboard {
  panels: { targets?: { expr: string }[] }[];
}

function dashboardMetrics(): string[] {
  const dashboard = JSON.parse(
    readFileSync(join(PROJECT_ROOT, 'deploy', 'grafana', 'mobility.json'), 'utf8'),
  ) as Dashboard;
  const exprs = dashboard.panels.flatMap((panel) => panel.targets ?? []).map((t) => t.expr);
  return [...new Set(exprs.flatMap(metricNames))].sort();
}

const databases: TestDatabase[] = [];
let dataDir: string;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'mobility-observability-'));
});

afterAll(async () => {
  await Promise.all(running.map((p) => p.stop()));
  await Promise.all(databases.map((d) => d.drop()));
  rmSync(dataDir, { recursive: true, force: true });
});

it('reads metric names out of PromQL', () => {
  expect(
    metricNames(
      'histogram_quantile(0.95, sum by (le, subgraph) (rate(a_seconds_bucket{job=~"$job"}[5m]))) / b_total{x="y"} == 1',
    ),
  ).toEqual(['a_seconds_bucket', 'b_total']);
});

it('every metric the Grafana dashboard queries is on /metrics of the running processes', async () => {
  const database = await createTestDatabase();
  databases.push(database);
  const port = await freePort();
  const all = run(['bin/start.ts'], {
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    DEMO: 'true',
    DEMO_FEEDS: 'true',
    DEMO_OPERATORS: '2',
    DEMO_VEHICLES: '20',
  });
  const graphql = `http://127.0.0.1:${port}/graphql`;
  const metrics = `http://127.0.0.1:${port}/metrics`;
  await scrapeUntil(metrics, () => true, all);

  // Real traffic: a named query, an anonymous one and one that does not validate.
  const post = (body: Record<string, unknown>) =>
    fetch(graphql, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then((r) => r.json() as Promise<{ errors?: unknown[] }>);
  const zoneAt = 'query ZoneAt { zoneAt(lat: 52.3731, lng: 4.8932, kind: MUNICIPALITY) { code } }';
  expect((await post({ query: zoneAt, operationName: 'ZoneAt' })).errors).toBeUndefined();
  expect((await post({ query: '{ zones(first: 1) { totalCount } }' })).errors).toBeUndefined();
  expect((await post({ query: '{ nope }' })).errors).toHaveLength(1);

  // An import tick and some job runs happen on their own within seconds of the start.
  const samples = await scrapeUntil(
    metrics,
    (s) =>
      s.some((x) => x.name === 'importer_feed_outcome') &&
      s.some((x) => x.name === 'job_runs_total' && x.labels.task === 'import_feeds'),
    all,
  );
  const exported = familiesOf(samples);
  const missing = dashboardMetrics().filter((name) => !exported.has(name));
  expect(missing).toEqual([]);

  expect(valueOf(samples, 'gateway_requests_total', { operation: 'ZoneAt', outcome: 'ok' })).toBe(
    1,
  );
  expect(
    valueOf(samples, 'gateway_requests_total', {
      operation: 'unknown',
      outcome: 'GRAPHQL_VALIDATION_FAILED',
    }),
  ).toBe(1);
  expect(
    valueOf(samples, 'job_runs_total', { task: 'import_feeds', outcome: 'succeeded' }),
  ).toBeGreaterThanOrEqual(1);
  expect(valueOf(samples, 'db_pool_max_connections', { pool: 'app' })).toBe(10);
  expect(valueOf(samples, 'db_pool_max_connections', { pool: 'job_queue' })).toBeGreaterThan(0);
  // Per feed, exactly one outcome is 1; the demo's two operators have a feed each.
  const outcomes = samples.filter((s) => s.name === 'importer_feed_outcome');
  expect(outcomes.every((s) => s.value === 1)).toBe(true);
  expect(new Set(outcomes.map((s) => s.labels.feed)).size).toBe(outcomes.length);
}, 240_000);

it('the job runner and a subgraph each answer /health and /metrics on their own port', async () => {
  const database = await createTestDatabase();
  databases.push(database);
  const jobsPort = await freePort();
  const jobs = run(['bin/jobs.ts'], {
    DATABASE_URL: database.url,
    JOBS_PORT: String(jobsPort),
    HOST: '127.0.0.1',
  });
  const subgraphPort = await freePort();
  const zones = run(['bin/subgraph.ts', 'zones'], {
    DATABASE_URL: database.url,
    SUBGRAPH_PORT: String(subgraphPort),
    HOST: '127.0.0.1',
    SCOPE_SECRET: 'observability-test-scope-secret-0123456789',
  });

  const jobSamples = await scrapeUntil(
    `http://127.0.0.1:${jobsPort}/metrics`,
    (s) => s.some((x) => x.name === 'job_runs_total'),
    jobs,
  );
  const jobsHealth = await fetch(`http://127.0.0.1:${jobsPort}/ready`);
  expect(await jobsHealth.json()).toEqual({ status: 'ready', process: 'jobs' });
  expect(valueOf(jobSamples, 'db_pool_max_connections', { pool: 'job_queue' })).toBeGreaterThan(0);
  expect(jobSamples.some((s) => s.name === 'process_resident_memory_bytes')).toBe(true);
  // A job process has no gateway: none of its series.
  expect(jobSamples.some((s) => s.name.startsWith('gateway_'))).toBe(false);

  const subgraphSamples = await scrapeUntil(
    `http://127.0.0.1:${subgraphPort}/metrics`,
    (s) => s.some((x) => x.name === 'db_pool_connections'),
    zones,
  );
  expect(valueOf(subgraphSamples, 'db_pool_max_connections', { pool: 'app' })).toBe(10);
  expect(subgraphSamples.some((s) => s.name.startsWith('job_'))).toBe(false);
}, 240_000);
