import type { FeedType } from '../../../lib/domain/fleet';
import { createDb, type Db } from '../../../lib/db';
import { defaultScheduleRow } from '../../../lib/domain/jobSchedules';
import { InProcessPubSub } from '../../../lib/pubsub';
import { MINUTE, SECOND } from '../../../lib/units';
import { seed } from '../../../seeds';
import { createFeedSimulator, type FeedSimulator } from '../../../simulator';
import { createTestDatabase, silentLogger, TEST_CONFIG, type TestDatabase } from '../../../test/db';
import { createJobRunner, type JobRunner } from '../../runner';
import type { JobContext } from '../../types';
import { planGroups } from '../fanOut';
import {
  createImportFeedsJob,
  createImportFeedsJobs,
  type ImportObservation,
} from '../importFeeds';
import { importerSettings } from '../settings';

/**
 * The fanned-out tick with two job runners (separate pools and memories, as two processes) sharing
 * one database: every feed is imported by exactly one job of each tick, both runners take part,
 * and what they write together is what one importer writes alone from the same documents (a
 * second database, fed by the plain in-process tick at the same simulated moments).
 */

const FEEDS: { operator: string; type: FeedType; url: 'gbfs23' | 'gbfs30' | 'mds' }[] = [
  { operator: 'fan-a', type: 'GBFS_DISCOVERY', url: 'gbfs23' },
  { operator: 'fan-b', type: 'GBFS3_VEHICLE_STATUS', url: 'gbfs30' },
  { operator: 'fan-c', type: 'MDS_VEHICLES', url: 'mds' },
  { operator: 'fan-d', type: 'GBFS_DISCOVERY', url: 'gbfs23' },
  { operator: 'fan-e', type: 'GBFS3_VEHICLE_STATUS', url: 'gbfs30' },
  { operator: 'fan-f', type: 'MDS_VEHICLES', url: 'mds' },
];
/** Every feed is a job of its own. */
const SETTINGS = { ...importerSettings(TEST_CONFIG), feedTimeoutMs: 10 * SECOND, groupVehicles: 1 };

let shared: TestDatabase;
let reference: TestDatabase;
let simulator: FeedSimulator;
const pubsub = new InProcessPubSub();
const pools: Db[] = [];
const runners: JobRunner[] = [];
const seen: { runner: string; observation: ImportObservation }[] = [];

async function registerFeeds(db: Db): Promise<void> {
  await seed(db, pubsub, silentLogger, { demo: false });
  await db('operators').insert(FEEDS.map((f) => ({ id: f.operator, name: f.operator })));
  await db('feeds').insert(
    FEEDS.map((f) => ({
      operator_id: f.operator,
      url: simulator.feedUrls(f.operator)[f.url],
      type: f.type,
      rotating_ids: false,
    })),
  );
}

beforeAll(async () => {
  [shared, reference] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  simulator = createFeedSimulator({
    operators: FEEDS.map((f, i) => ({
      id: f.operator,
      name: f.operator,
      vehicles: 60,
      formFactor: i % 2 === 0 ? 'BICYCLE' : 'SCOOTER_STANDING',
    })),
    seed: 11,
    startTime: new Date('2026-11-23T16:00:00Z'),
  });
  await simulator.start(0, '127.0.0.1');
  await registerFeeds(shared.db);
  await registerFeeds(reference.db);
  // The test queues the ticks: the schedule exists, paused, before the runners start.
  await shared.db('job_schedules').insert({
    ...defaultScheduleRow(createImportFeedsJob(), 'UTC', new Date()),
    enabled: false,
  });
  for (const name of ['runner-1', 'runner-2']) {
    const db = createDb(shared.url, { poolMax: 6, applicationName: `mobility:test:${name}` });
    pools.push(db);
    const runner = createJobRunner({
      databaseUrl: shared.url,
      db,
      pubsub,
      logger: silentLogger,
      config: TEST_CONFIG,
      jobs: createImportFeedsJobs({
        settings: SETTINGS,
        now: () => simulator.now(),
        observe: (observation) => seen.push({ runner: name, observation }),
      }),
      concurrency: 2,
      schedulerIntervalMs: MINUTE,
    });
    runners.push(runner);
    await runner.start();
  }
}, 60_000);

afterAll(async () => {
  for (const runner of runners) await runner.stop();
  for (const db of pools) await db.destroy();
  await simulator.stop();
  await pubsub.close();
  await Promise.all([shared.drop(), reference.drop()]);
});

/** Queues one tick on the shared database and waits until every job of it has reported. */
async function sharedTick(): Promise<{ runner: string; observation: ImportObservation }[]> {
  const from = seen.length;
  await shared.db.raw(`select graphile_worker.add_job('import_feeds', '{}'::json)`);
  const deadline = Date.now() + 60 * SECOND;
  for (;;) {
    const mine = seen.slice(from);
    const single = mine.find(
      (s) => s.observation.kind === 'imported' && s.observation.tick === null,
    );
    if (single) return [single];
    const fanned = mine.find((s) => s.observation.kind === 'fanned-out');
    if (fanned?.observation.kind === 'fanned-out') {
      const { tick, jobs } = fanned.observation;
      const done = mine.filter(
        (s) => s.observation.kind === 'imported' && s.observation.tick === tick,
      );
      if (done.length >= jobs) return done;
    }
    if (Date.now() > deadline) throw new Error('the tick did not finish within a minute');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const referenceJob = createImportFeedsJob({ settings: SETTINGS, now: () => simulator.now() });
const referenceContext = (): JobContext => ({
  db: reference.db,
  pubsub,
  logger: silentLogger,
  config: TEST_CONFIG,
  tickAt: undefined,
  payload: {},
});

async function events(db: Db): Promise<Record<string, unknown[]>> {
  const rows = (sql: string) => db.raw<{ rows: unknown[] }>(sql).then((r) => r.rows);
  return {
    parkEvents: await rows(
      `select operator_id, vehicle_id, start_time, end_time, end_reason from park_events
        order by operator_id, vehicle_id, start_time`,
    ),
    trips: await rows(
      `select operator_id, vehicle_id, start_time, end_time, status from trips
        order by operator_id, vehicle_id, start_time`,
    ),
    nonOperational: await rows(
      `select operator_id, vehicle_id, start_time, end_time from non_operational_periods
        order by operator_id, vehicle_id, start_time`,
    ),
    vehicles: await rows(
      `select operator_id, vehicle_id, lat, lng, gone_at from vehicle_state
        order by operator_id, vehicle_id`,
    ),
  };
}

describe('a fanned-out import tick on two job runners', () => {
  it('plans groups of at least the budget and gives them back to the runner that had them', () => {
    const feeds = [
      { feedId: 'a', vehicles: 30, owner: 'w1' },
      { feedId: 'b', vehicles: 30, owner: 'w1' },
      { feedId: 'c', vehicles: 120, owner: 'w2' },
      { feedId: 'd', vehicles: 50, owner: null },
      { feedId: 'e', vehicles: 60, owner: 'gone' },
    ];
    expect(planGroups(feeds, ['w1', 'w2'], 50)).toEqual([
      { feedIds: ['c'], vehicles: 120, worker: 'w2' },
      { feedIds: ['a', 'b'], vehicles: 60, worker: 'w1' },
      { feedIds: ['e'], vehicles: 60, worker: 'w1' },
      { feedIds: ['d'], vehicles: 50, worker: 'w1' },
    ]);
  });

  it('imports every feed exactly once per tick, on both runners, writing what one importer writes', async () => {
    // The first tick checks the fleets in (sizes unknown: one job); the runners see each other.
    await sharedTick();
    await referenceJob.run(referenceContext());
    await new Promise((resolve) => setTimeout(resolve, 6 * SECOND));
    const feedIds = (await shared.db('feeds').pluck<string[]>('id')).sort();
    const runnersSeen = new Set<string>();
    for (let tick = 1; tick <= 6; tick += 1) {
      simulator.advance(2 * MINUTE);
      const jobs = await sharedTick();
      expect(jobs).toHaveLength(FEEDS.length);
      await referenceJob.run(referenceContext());
      const reports = jobs.flatMap((j) =>
        j.observation.kind === 'imported' ? j.observation.report.feeds : [],
      );
      expect(reports.map((r) => r.feedId).sort()).toEqual(feedIds);
      expect(reports.map((r) => r.outcome)).toEqual(reports.map(() => 'ACCEPTED'));
      for (const j of jobs) runnersSeen.add(j.runner);
    }
    expect([...runnersSeen].sort()).toEqual(['runner-1', 'runner-2']);
    const [together, alone] = await Promise.all([events(shared.db), events(reference.db)]);
    expect((together.trips ?? []).length).toBeGreaterThan(0);
    expect(together).toEqual(alone);
    // Leases are released; each feed keeps the runner that imported it last.
    const leases = await shared
      .db('feed_import_state')
      .select<{ lease_owner: string | null; lease_until: Date | null }[]>(
        'lease_owner',
        'lease_until',
      );
    expect(leases.map((l) => l.lease_until)).toEqual(leases.map(() => null));
    expect(new Set(leases.map((l) => l.lease_owner)).size).toBe(2);
  }, 120_000);

  it('leaves a feed leased by a live runner to it, and takes it over once that runner is dead', async () => {
    const db = reference.db;
    const [held, ...others] = (await db('feeds').orderBy('id').pluck<string[]>('id')) as [
      string,
      ...string[],
    ];
    await db('job_workers').insert({ worker_id: 'elsewhere:1' });
    await db('feed_import_state')
      .where({ feed_id: held })
      .update({ lease_owner: 'elsewhere:1', lease_until: db.raw(`now() + interval '1 hour'`) });
    const outcomes = async () => {
      simulator.advance(MINUTE);
      const job = createImportFeedsJob({
        settings: SETTINGS,
        now: () => simulator.now(),
        observe: (o) => {
          if (o.kind === 'imported') reports.push(...o.report.feeds);
        },
      });
      const reports: { feedId: string; outcome: string }[] = [];
      await job.run(referenceContext());
      return Object.fromEntries(reports.map((r) => [r.feedId, r.outcome]));
    };
    expect(await outcomes()).toEqual({
      [held]: 'BUSY',
      ...Object.fromEntries(others.map((id) => [id, 'ACCEPTED'])),
    });
    // Its heartbeat stops: the lease no longer keeps anyone out.
    await db('job_workers')
      .where({ worker_id: 'elsewhere:1' })
      .update({ heartbeat_at: db.raw(`now() - interval '1 minute'`) });
    expect((await outcomes())[held]).toBe('ACCEPTED');
  }, 60_000);
});
