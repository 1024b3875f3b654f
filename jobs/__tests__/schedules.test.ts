import { changeSchedule, dueSlot, nextCronRun } from '../../lib/domain/jobSchedules';
import { loadConfig } from '../../lib/config';
import { InProcessPubSub } from '../../lib/pubsub';

const config = loadConfig({ NODE_ENV: 'test' });
import { HOUR } from '../../lib/units';
import { createTestDatabase, silentLogger, type TestDatabase } from '../../test/db';
import { dailyReportSettings, dueDays } from '../dailyReport/dailyReport';
import { pruneHistory } from '../maintenance/pruneHistory';
import { createJobRunner, type JobRunner } from '../runner';
import type { JobDefinition } from '../types';

/** Schedules as administrators change them: pause, run now, cron, and what a restart keeps. */
let database: TestDatabase;
const pubsub = new InProcessPubSub();
const ran: { task: string; tickAt: string | undefined; manual: boolean }[] = [];

const job = (task: string, defaultIntervalMs: number): JobDefinition => ({
  task,
  description: `test job ${task}`,
  defaultIntervalMs,
  maxAttempts: 1,
  run({ tickAt, payload }) {
    ran.push({
      task,
      tickAt: tickAt?.toISOString(),
      manual: (payload as Record<string, unknown>).manual === true,
    });
    return Promise.resolve({ rows: 1 });
  },
});

function runner(jobs: JobDefinition[]): JobRunner {
  return createJobRunner({
    databaseUrl: database.url,
    db: database.db,
    pubsub,
    logger: silentLogger,
    jobs,
    concurrency: 2,
    schedulerIntervalMs: 50,
    workerSchema: 'graphile_worker',
    config,
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await sleep(50);
}

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await pubsub.close();
  await database?.drop();
});

describe('job schedules', () => {
  it('does not run a paused schedule, runs it once on request, and runs it again when resumed', async () => {
    // Paused before any runner started: the runner must keep it paused, not reset it.
    await database.db('job_schedules').insert({
      name: 'paused_job',
      task: 'paused_job',
      interval_ms: 1000,
      enabled: false,
    });
    const jobs = runner([job('paused_job', 1000)]);
    await jobs.start();
    try {
      await sleep(3000);
      expect(ran.filter((r) => r.task === 'paused_job')).toEqual([]);
      const row = await database
        .db('job_schedules')
        .where({ name: 'paused_job' })
        .first<Record<string, unknown>>();
      expect(row).toMatchObject({ enabled: false, interval_ms: 1000 });

      await changeSchedule(database.db, 'paused_job', { runNow: true }, 'test');
      await until(() => ran.some((r) => r.task === 'paused_job'));
      await sleep(2000);
      expect(ran.filter((r) => r.task === 'paused_job')).toEqual([
        { task: 'paused_job', tickAt: expect.any(String) as string, manual: true },
      ]);

      await changeSchedule(database.db, 'paused_job', { enabled: true }, 'test');
      await until(() => ran.filter((r) => r.task === 'paused_job').length >= 3);
      expect(ran.filter((r) => r.task === 'paused_job' && !r.manual).length).toBeGreaterThanOrEqual(
        2,
      );
      const runs = await database.db('job_runs').where({ schedule_name: 'paused_job' });
      expect(runs.every((r: { status: string }) => r.status === 'succeeded')).toBe(true);
    } finally {
      await jobs.stop();
    }
  }, 60_000);

  it('keeps schedules changed at runtime through a runner restart', async () => {
    const first = runner([job('nightly_job', HOUR)]);
    await first.start();
    await changeSchedule(
      database.db,
      'nightly_job',
      { cron: '15 3 * * *', timeZone: 'Europe/Amsterdam' },
      'admin@example.org',
    );
    await changeSchedule(database.db, 'nightly_job', { enabled: false }, 'admin@example.org');
    const changed = await database
      .db('job_schedules')
      .where({ name: 'nightly_job' })
      .first<Record<string, unknown>>();
    await first.stop();

    const second = runner([job('nightly_job', HOUR)]);
    await second.start();
    try {
      const after = await database
        .db('job_schedules')
        .where({ name: 'nightly_job' })
        .first<Record<string, unknown>>();
      expect(after).toEqual(changed);
      expect(after).toMatchObject({
        cron: '15 3 * * *',
        time_zone: 'Europe/Amsterdam',
        enabled: false,
        changed_by: 'admin@example.org',
      });
    } finally {
      await second.stop();
    }
  }, 60_000);

  it('follows a cron expression in its time zone across daylight saving time', () => {
    // 04:30 in Amsterdam: 02:30 UTC in summer time, 03:30 UTC after the clocks go back.
    expect(nextCronRun('30 4 * * *', 'Europe/Amsterdam', new Date('2026-10-24T12:00:00Z'))).toEqual(
      new Date('2026-10-25T03:30:00Z'),
    );
    expect(nextCronRun('30 4 * * *', 'Europe/Amsterdam', new Date('2026-10-23T12:00:00Z'))).toEqual(
      new Date('2026-10-24T02:30:00Z'),
    );
    // Missed slots are not replayed: the run is for the latest one, the next is the one after now.
    expect(
      dueSlot(
        {
          interval_ms: 0,
          cron: '30 4 * * *',
          time_zone: 'Europe/Amsterdam',
          next_run_at: new Date('2026-10-20T02:30:00Z'),
        },
        new Date('2026-10-25T12:00:00Z'),
      ),
    ).toEqual({
      tickAt: new Date('2026-10-25T03:30:00Z'),
      nextRunAt: new Date('2026-10-26T03:30:00Z'),
    });
  });

  it('rejects a bad cron expression, time zone or interval and changes nothing', async () => {
    const before = await database
      .db('job_schedules')
      .where({ name: 'nightly_job' })
      .first<Record<string, unknown>>();
    await expect(
      changeSchedule(database.db, 'nightly_job', { cron: '61 * * * *' }, 'x'),
    ).rejects.toMatchObject({ field: 'cron' });
    await expect(
      changeSchedule(database.db, 'nightly_job', { cron: '* * *' }, 'x'),
    ).rejects.toMatchObject({ field: 'cron' });
    await expect(
      changeSchedule(database.db, 'nightly_job', { cron: '0 4 * * *', timeZone: 'Mars/Base' }, 'x'),
    ).rejects.toMatchObject({ field: 'timeZone' });
    await expect(
      changeSchedule(database.db, 'nightly_job', { intervalMs: 10 }, 'x'),
    ).rejects.toMatchObject({ field: 'intervalMs' });
    expect(
      await database
        .db('job_schedules')
        .where({ name: 'nightly_job' })
        .first<Record<string, unknown>>(),
    ).toEqual(before);
  });
});

describe('daily_report catch-up', () => {
  it('computes the last days before its run, and every day missed since the last computed one', async () => {
    const settings = dailyReportSettings(config);
    // 04:30 in Amsterdam on 26 October: the 24th and the 25th (the 25-hour day).
    await expect(dueDays(database.db, new Date('2026-10-26T03:30:00Z'), settings)).resolves.toEqual(
      ['2026-10-24', '2026-10-25'],
    );
    await database.db('daily_report_days').insert({
      day: '2026-10-20',
      time_zone: 'Europe/Amsterdam',
      rows: 0,
    });
    await expect(dueDays(database.db, new Date('2026-10-26T03:30:00Z'), settings)).resolves.toEqual(
      ['2026-10-21', '2026-10-22', '2026-10-23', '2026-10-24', '2026-10-25'],
    );
  });
});

describe('prune_history', () => {
  it('deletes run and hub history past their retention, keeping running runs and each hub latest status', async () => {
    const now = new Date('2026-12-01T00:00:00Z');
    const day = 24 * HOUR;
    await database.db('job_runs').insert([
      {
        task: 'x',
        attempt: 1,
        worker_id: 'w',
        status: 'succeeded',
        started_at: new Date(now.getTime() - 40 * day),
      },
      {
        task: 'x',
        attempt: 1,
        worker_id: 'w',
        status: 'running',
        started_at: new Date(now.getTime() - 40 * day),
      },
      {
        task: 'x',
        attempt: 1,
        worker_id: 'w',
        status: 'failed',
        started_at: new Date(now.getTime() - 10 * day),
      },
    ]);
    const [zone] = await database
      .db('zones')
      .insert({
        code: 'HUB-1',
        name: 'Hub',
        kind: 'HUB',
        geometry: JSON.stringify({
          type: 'Polygon',
          coordinates: [
            [
              [4.9, 52.37],
              [4.901, 52.37],
              [4.901, 52.371],
              [4.9, 52.37],
            ],
          ],
        }),
        municipality_code: 'GM0363',
      })
      .returning<{ id: string }[]>('id');
    await database.db('hubs').insert({
      id: zone!.id,
      municipality_code: 'GM0363',
      center_lat: 52.37,
      center_lng: 4.9,
      capacity: JSON.stringify({ COMBINED: 10 }),
    });
    const status = (daysAgo: number) => ({
      hub_id: zone!.id,
      form_factor: 'COMBINED',
      open: true,
      reason: 'PLACES_AVAILABLE',
      vehicles: 1,
      capacity: 10,
      places_available: 9,
      at: new Date(now.getTime() - daysAgo * day),
    });
    await database.db('hub_status_history').insert([status(500), status(400), status(10)]);

    const context = {
      db: database.db,
      pubsub,
      logger: silentLogger,
      tickAt: now,
      payload: {},
      config: { ...config, JOB_RUNS_RETENTION_DAYS: 30, HUB_STATUS_HISTORY_RETENTION_DAYS: 365 },
    };
    const result = await pruneHistory.run(context);
    expect(result.rows).toBeGreaterThanOrEqual(3);
    const runs = await database.db('job_runs').where({ task: 'x' }).orderBy('id').pluck('status');
    expect(runs).toEqual(['running', 'failed']);
    expect(
      await database.db('hub_status_history').count({ n: '*' }).first<Record<string, unknown>>(),
    ).toEqual({ n: '1' });
    await expect(pruneHistory.run(context)).resolves.toEqual({ rows: 0 });
  });
});
