import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { MICROHUBS_CONTROLLER_TASK } from '../../../jobs/microhubs/microhubsController';
import { PROJECT_ROOT } from '../../../lib/config';
import { channels } from '../../../lib/domain/channels';
import { type PubSub } from '../../../lib/pubsub';
import { seed } from '../../../seeds';
import { createTestDatabase, silentLogger, type TestDatabase } from '../../../test/db';
import {
  cluster,
  DAM,
  insertHub,
  listen,
  moved,
  REDIS_URL,
  Street,
  testPubSub,
  type EventLog,
} from '../../../test/microhubs';

/**
 * Two job runner processes (`bin/jobs.ts`, as deployed) on one database and one Redis: each hub
 * change is recorded and published once, and an import tick's `vehicles.updated` event makes the
 * controller count at once, once, although both runners hear it.
 */

let database: TestDatabase;
let pubsub: PubSub;

function startRunner(databaseUrl: string, redisUrl: string) {
  const child: ChildProcess = spawn(
    join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'),
    ['bin/jobs.ts'],
    {
      cwd: PROJECT_ROOT,
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: databaseUrl,
        REDIS_URL: redisUrl,
        // Two runners on one host: each takes a free port for its /health and /metrics.
        JOBS_PORT: '0',
        LOG_LEVEL: 'warn',
        JOBS_SCHEDULER_INTERVAL_MS: '100',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, exited, stderr: () => stderr };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('two job runner processes', () => {
  let log: EventLog;
  let hubId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    pubsub = testPubSub();
    await seed(database.db, pubsub, silentLogger, { demo: false });
    hubId = await insertHub(database.db, { at: moved(DAM, 0, 2000), capacity: { COMBINED: 3 } });
    log = await listen(pubsub, channels.hubStatusChanged, () => [hubId]);
  });

  afterAll(async () => {
    await log?.stop();
    await pubsub?.close();
    await database?.drop();
  });

  it('record and publish each hub change once, counting right after each import', async () => {
    const { db } = database;
    await db('job_schedules').insert({
      name: MICROHUBS_CONTROLLER_TASK,
      task: MICROHUBS_CONTROLLER_TASK,
      interval_ms: 300,
    });
    // The test announces imports itself; the real import job stays off (its feed is made up).
    await db('job_schedules').insert(
      ['import_feeds', 'import_mds_trips'].map((task) => ({
        name: task,
        task,
        interval_ms: 30_000,
        enabled: false,
      })),
    );
    const runners = [startRunner(database.url, REDIS_URL!), startRunner(database.url, REDIS_URL!)];
    const runs = async () =>
      Number(
        (
          await db('job_runs')
            .where({ task: MICROHUBS_CONTROLLER_TASK, status: 'succeeded' })
            .count<{ n: string }[]>({ n: '*' })
        )[0]?.n,
      );
    const open = async () =>
      (await db('hub_status').where({ hub_id: hubId }).first<{ open: boolean } | undefined>('open'))
        ?.open;
    try {
      // A runner listens for imports once it has run the controller: wait until both have.
      await until('both runners to count', async () => {
        const workers = await db('job_runs')
          .where({ task: MICROHUBS_CONTROLLER_TASK, status: 'succeeded' })
          .countDistinct<{ n: string }[]>({ n: 'worker_id' });
        return Number(workers[0]?.n) >= 2 ? true : undefined;
      });
      expect(await open()).toBe(true);
      // From now on, ticks come only from import events.
      await db('job_schedules')
        .where({ name: MICROHUBS_CONTROLLER_TASK })
        .update({ interval_ms: 3_600_000, next_run_at: db.raw("now() + interval '1 hour'") });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const before = await runs();

      const street = await new Street(db).open();
      const vehicles = cluster('proc', 3, moved(DAM, 0, 2000), 3);
      await street.park(vehicles);
      await pubsub.publish(channels.vehiclesUpdated, {
        at: new Date().toISOString(),
        feeds: 0,
        vehicles: 0,
        events: 0,
      });
      await until('the hub to close', async () => ((await open()) === false ? true : undefined));

      await street.leave(vehicles.map((v) => v.id));
      await pubsub.publish(channels.vehiclesUpdated, {
        at: new Date().toISOString(),
        feeds: 0,
        vehicles: 0,
        events: 0,
      });
      await until('the hub to reopen', async () => ((await open()) === true ? true : undefined));

      // Let a wrongly doubled run show up.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(await runs()).toBe(before + 2);
      await log.settle();
      expect(log.events.map((e) => [e.open, e.reason])).toEqual([
        [true, 'PLACES_AVAILABLE'],
        [false, 'FULL'],
        [true, 'PLACES_AVAILABLE'],
      ]);
      const history = await db('hub_status_history').where({ hub_id: hubId }).pluck('reason');
      expect(history).toEqual(['PLACES_AVAILABLE', 'FULL', 'PLACES_AVAILABLE']);
    } finally {
      for (const runner of runners) runner.child.kill('SIGTERM');
      const codes = await Promise.all(runners.map((r) => r.exited));
      expect({ codes, stderr: runners.map((r) => r.stderr()) }).toEqual({
        codes: [0, 0],
        stderr: ['', ''],
      });
    }
  }, 90_000);
});
