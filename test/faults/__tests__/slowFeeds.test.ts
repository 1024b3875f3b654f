import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ensureSchedules } from '../../../jobs/scheduler';
import { createJobs } from '../../../jobs/registry';
import { loadConfig } from '../../../lib/config';
import { InProcessPubSub } from '../../../lib/pubsub';
import { seed } from '../../../seeds';
import { registerDemoFeeds } from '../../../seeds/demoFeeds';
import { createFeedSimulator, demoOperators } from '../../../simulator';
import { createTestDatabase, silentLogger, type TestDatabase } from '../../db';
import { startProcess, waitUntil, type ProductProcess } from '../processes';

/**
 * Two misbehaving feed servers beside three good feeds, imported by the real job runner process
 * (bin/jobs.ts): one accepts the connection and never answers, one sends its headers and then a
 * byte every half second. The good feeds are committed as fast as without them (each feed is its
 * own read and transaction, read in parallel); the bad ones end in TIMEOUT after
 * IMPORTER_FEED_TIMEOUT_MS, and the tick is at most one timeout long.
 */
const TIMEOUT_MS = 8000;
const OPERATORS = demoOperators(3, 120);

let database: TestDatabase;
let badServer: Server;
let jobs: ProductProcess | undefined;
const simulator = createFeedSimulator({ operators: OPERATORS, seed: 11 });

beforeAll(async () => {
  database = await createTestDatabase();
  const pubsub = new InProcessPubSub();
  await seed(database.db, pubsub, silentLogger, { demo: false });
  await pubsub.close();
  const config = loadConfig({});
  await ensureSchedules(database.db, createJobs(), config.JOBS_TIME_ZONE);
  await database.db('job_schedules').update({ enabled: false });
  await simulator.start(0, '127.0.0.1');
  await registerDemoFeeds(database.db, OPERATORS, (id) => simulator.feedUrls(id));

  // /hang never answers; /trickle answers 200 and then one byte every 500 ms, for ever.
  const timers = new Set<NodeJS.Timeout>();
  badServer = createServer((req, res) => {
    if (req.url === '/trickle') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"last_updated":');
      const timer = setInterval(() => res.write(' '), 500);
      timers.add(timer);
      res.on('close', () => {
        clearInterval(timer);
        timers.delete(timer);
      });
    }
  });
  badServer.on('close', () => timers.forEach(clearInterval));
  await new Promise<void>((resolve) => badServer.listen(0, '127.0.0.1', resolve));
  const { port } = badServer.address() as AddressInfo;
  await database.db('operators').insert([
    { id: 'hanging', name: 'Hanging' },
    { id: 'trickling', name: 'Trickling' },
  ]);
  await database.db('feeds').insert([
    {
      operator_id: 'hanging',
      type: 'GBFS_FREE_BIKE_STATUS',
      url: `http://127.0.0.1:${port}/hang`,
      default_form_factor: 'BICYCLE',
    },
    {
      operator_id: 'trickling',
      type: 'GBFS_FREE_BIKE_STATUS',
      url: `http://127.0.0.1:${port}/trickle`,
      default_form_factor: 'BICYCLE',
    },
  ]);
}, 60_000);

afterAll(async () => {
  await jobs?.stop();
  badServer.closeAllConnections();
  await new Promise<void>((resolve) => badServer.close(() => resolve()));
  await simulator.stop();
  await database.drop();
});

interface FeedRow {
  operator_id: string;
  status: string | null;
  last_error_kind: string | null;
  updated_at: Date | null;
}

describe('feed servers that hang or trickle bytes', () => {
  it('hold up no other feed: the good ones commit at once, the bad ones time out', async () => {
    jobs = startProcess('jobs', 'jobs.ts', [], {
      DATABASE_URL: database.url,
      JOBS_SCHEDULER_INTERVAL_MS: '100',
      IMPORTER_FEED_TIMEOUT_MS: String(TIMEOUT_MS),
    });
    const process = jobs;
    await waitUntil(
      'the job runner to start',
      async () => {
        if (process.child.exitCode !== null) throw new Error(process.output());
        const { rows } = await database.db.raw<{ rows: unknown[] }>(
          `select 1 from pg_stat_activity where application_name = 'mobility:jobs'`,
        );
        return rows.length > 0;
      },
      60_000,
    );

    for (let tick = 0; tick < 2; tick += 1) {
      if (tick > 0) simulator.advance(30_000);
      const requestedAt = new Date();
      await database.db('job_schedules').where({ name: 'import_feeds' }).update({
        run_requested_at: database.db.fn.now(),
      });
      const run = await waitUntil(
        `import tick ${tick + 1} to finish`,
        async () =>
          (await database
            .db('job_runs')
            .where({ task: 'import_feeds' })
            .whereNotNull('finished_at')
            .where('started_at', '>=', requestedAt)
            .first<{ started_at: Date; finished_at: Date; status: string } | undefined>()) ??
          undefined,
        60_000,
        200,
      );
      const feeds = await database.db.raw<{ rows: FeedRow[] }>(
        `select f.operator_id, h.status, h.last_error_kind, h.updated_at
           from feeds f left join feed_health h on h.feed_id = f.id order by f.operator_id`,
      );
      const byOperator = new Map(feeds.rows.map((r) => [r.operator_id, r]));
      for (const operator of OPERATORS) {
        const health = byOperator.get(operator.id);
        expect({
          operator: operator.id,
          status: health?.status,
          kind: health?.last_error_kind,
        }).toEqual({ operator: operator.id, status: 'OK', kind: null });
        // Committed well before the slow feeds gave up: nobody waited for them.
        const committedAfterMs = health!.updated_at!.getTime() - run.started_at.getTime();
        expect(committedAfterMs).toBeLessThan(TIMEOUT_MS);
      }
      for (const bad of ['hanging', 'trickling']) {
        expect(byOperator.get(bad)).toMatchObject({ status: 'DOWN', last_error_kind: 'TIMEOUT' });
      }
      // The tick (which records the bad feeds' failures) lasts about one timeout, not more.
      const tickMs = run.finished_at.getTime() - run.started_at.getTime();
      expect(tickMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
      expect(tickMs).toBeLessThan(TIMEOUT_MS + 5000);
      expect(run.status).toBe('succeeded');
    }
    const { rows } = await database.db.raw<{ rows: { n: string }[] }>(
      `select count(*) as n from vehicles_now`,
    );
    expect(Number(rows[0]?.n)).toBeGreaterThan(100);
  }, 180_000);
});
