import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../lib/config';
import { createDb, type Db } from '../../../lib/db';
import { migrateLatest } from '../../../lib/migrate';
import { InProcessPubSub } from '../../../lib/pubsub';
import { SECOND } from '../../../lib/units';
import { ensureSchedules } from '../../../jobs/scheduler';
import { createJobs } from '../../../jobs/registry';
import { seed } from '../../../seeds';
import { registerDemoFeeds } from '../../../seeds/demoFeeds';
import { createFeedSimulator, demoOperators, type FeedSimulator } from '../../../simulator';
import { silentLogger } from '../../db';
import { graphqlRequest } from '../../graphql';
import { freePort } from '../../ports';
import { startFeedProxy, type FeedProxy } from '../feedProxy';
import {
  sleep,
  startOwnPostgres,
  startProcess,
  waitForHttp,
  waitUntil,
  type OwnPostgres,
  type ProductProcess,
} from '../processes';

/**
 * PostgreSQL restarted in the middle of an import tick. The same simulated feed snapshots are
 * imported twice by the real all-in-one process (`bin/start.ts`: job runner, subgraphs and
 * gateway): once without a fault, once with the database stopped while one feed's response is
 * still on its way and the others are being committed. The park events and trips must be the
 * same, none lost, none twice, and the process must answer queries again without a restart.
 */
const OPERATORS = demoOperators(3, 450);
const STEPS = 6;
const STEP_MS = 90 * SECOND;
const FAULT_AT_STEP = 3;
const START_TIME = new Date(Date.now() - 10 * 60 * SECOND);
const HELD_OPERATOR = OPERATORS[1]!.id;

let pg: OwnPostgres;
const dataDirs: string[] = [];

beforeAll(async () => {
  pg = await startOwnPostgres();
});

afterAll(async () => {
  await pg.close();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

interface Run {
  db: Db;
  simulator: FeedSimulator;
  proxy: FeedProxy;
  process: ProductProcess;
  gatewayUrl: string;
}

async function prepare(database: string): Promise<Run> {
  const url = await pg.createDatabase(database);
  const db = createDb(url, { poolMax: 3, applicationName: 'fault-test' });
  await migrateLatest(db, silentLogger);
  const pubsub = new InProcessPubSub();
  await seed(db, pubsub, silentLogger, { demo: false });
  await pubsub.close();
  // Every schedule exists and is paused: the test asks for each import tick itself ("run now").
  const config = loadConfig({});
  await ensureSchedules(db, createJobs(), config.JOBS_TIME_ZONE);
  await db('job_schedules').update({ enabled: false });

  const simulator = createFeedSimulator({ operators: OPERATORS, seed: 7, startTime: START_TIME });
  const { url: simulatorUrl } = await simulator.start(0, '127.0.0.1');
  const proxy = await startFeedProxy(simulatorUrl);
  await registerDemoFeeds(db, OPERATORS, (id) => {
    const direct = simulator.feedUrls(id);
    const via = (u: string) => u.replace(simulatorUrl, proxy.url);
    return { gbfs23: via(direct.gbfs23), gbfs30: via(direct.gbfs30), mds: via(direct.mds) };
  });

  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'mobility-fault-data-'));
  dataDirs.push(dataDir);
  const process = startProcess('all-in-one', 'start.ts', [], {
    DATABASE_URL: url,
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    SEED: 'false',
    DEMO: 'false',
    DEMO_FEEDS: 'false',
    JOBS_SCHEDULER_INTERVAL_MS: '100',
  });
  const gatewayUrl = `http://127.0.0.1:${port}`;
  await waitForHttp(`${gatewayUrl}/health`, process, 90_000);
  return { db, simulator, proxy, process, gatewayUrl };
}

async function count(db: Db, sql: string): Promise<number> {
  const { rows } = await db.raw<{ rows: { n: string }[] }>(sql);
  return Number(rows[0]?.n ?? 0);
}

/** Asks for one import tick and waits until every job it started has finished. */
async function importTick(db: Db, started: Promise<void> = Promise.resolve()): Promise<void> {
  const before = await count(
    db,
    `select count(*) as n from job_runs where task = 'import_feeds' and status = 'succeeded'`,
  );
  await db('job_schedules')
    .where({ name: 'import_feeds' })
    .update({ run_requested_at: db.fn.now() });
  await started;
  await waitUntil(
    'the import tick to succeed',
    async () => {
      const failed = await count(
        db,
        `select count(*) as n from graphile_worker.jobs where attempts >= max_attempts`,
      );
      if (failed > 0) throw new Error('an import job failed for good');
      const pending = await count(db, `select count(*) as n from graphile_worker.jobs`);
      const requested = await count(
        db,
        `select count(*) as n from job_schedules where run_requested_at is not null`,
      );
      const done = await count(
        db,
        `select count(*) as n from job_runs where task = 'import_feeds' and status = 'succeeded'`,
      );
      return pending === 0 && requested === 0 && done > before;
    },
    60_000,
    200,
  );
}

/** What the importer wrote, without ids or our clock's timestamps (the feeds' data only). */
async function events(db: Db): Promise<{ parkEvents: string[]; trips: string[] }> {
  const parkEvents = await db.raw<{ rows: { k: string }[] }>(
    `select concat_ws('|', operator_id, vehicle_id, round(lat::numeric, 6), round(lng::numeric, 6),
                      case when end_time is null then 'open' else 'ended' end, coalesce(end_reason, '')) as k
       from park_events order by k`,
  );
  const trips = await db.raw<{ rows: { k: string }[] }>(
    `select concat_ws('|', operator_id, coalesce(vehicle_id, ''), source, status,
                      round(start_lat::numeric, 6), round(start_lng::numeric, 6),
                      round(end_lat::numeric, 6), round(end_lng::numeric, 6)) as k
       from trips order by k`,
  );
  return { parkEvents: parkEvents.rows.map((r) => r.k), trips: trips.rows.map((r) => r.k) };
}

const ANSWERS_QUERY = `{ availableVehicles(bbox: { minLng: 4.7, minLat: 52.27, maxLng: 5.07, maxLat: 52.43 }, first: 1) { totalCount } }`;

async function finish(run: Run): Promise<void> {
  await run.process.stop();
  await run.proxy.close();
  await run.simulator.stop();
  await run.db.destroy();
}

describe('PostgreSQL restarted during an import tick', () => {
  it('loses and duplicates no park event or trip, and every part answers again without a restart', async () => {
    // The uninterrupted run.
    const reference = await prepare('reference');
    try {
      for (let step = 0; step < STEPS; step += 1) {
        if (step > 0) reference.simulator.advance(STEP_MS);
        await importTick(reference.db);
      }
    } finally {
      await finish(reference);
    }

    const faulted = await prepare('faulted');
    try {
      for (let step = 0; step < STEPS; step += 1) {
        if (step > 0) faulted.simulator.advance(STEP_MS);
        if (step !== FAULT_AT_STEP) {
          await importTick(faulted.db);
          continue;
        }
        // The tick is under way (one feed's response held back, the others committing) when the
        // database goes away; the held response arrives while it is down.
        const gate = faulted.proxy.hold(HELD_OPERATOR);
        const tick = importTick(
          faulted.db,
          gate.arrived.then(async () => {
            await sleep(200);
            await pg.stop();
            gate.release();
            await sleep(3 * SECOND);
            // While the database is down, queries fail cleanly (no crash, no internal detail).
            const during = await graphqlRequest(`${faulted.gatewayUrl}/graphql`, ANSWERS_QUERY);
            expect(JSON.stringify(during)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|postgres/i);
            await pg.start();
          }),
        );
        await tick;
      }
      // The same process answers again: the gateway, the subgraphs and the job runner reconnected.
      const answer = await waitUntil('a query to answer after the restart', async () => {
        const response = await graphqlRequest<{ availableVehicles: { totalCount: number } }>(
          `${faulted.gatewayUrl}/graphql`,
          ANSWERS_QUERY,
        );
        return response.errors ? undefined : response.data;
      });
      expect(answer?.availableVehicles.totalCount).toBeGreaterThan(0);
      expect(faulted.process.child.exitCode).toBeNull();
    } finally {
      await finish(faulted);
    }

    const referenceDb = createDb(pg.url('reference'), { poolMax: 1 });
    const faultedDb = createDb(pg.url('faulted'), { poolMax: 1 });
    try {
      const want = await events(referenceDb);
      const got = await events(faultedDb);
      // The snapshots moved vehicles: there is something to lose.
      expect(want.trips.length).toBeGreaterThan(3);
      expect(want.parkEvents.filter((k) => k.includes('|ended|')).length).toBeGreaterThan(3);
      expect(got.parkEvents).toEqual(want.parkEvents);
      expect(got.trips).toEqual(want.trips);
    } finally {
      await referenceDb.destroy();
      await faultedDb.destroy();
    }
  }, 600_000);
});
