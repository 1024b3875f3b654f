import { seedIdentities } from '../../../seeds/identities';
import { SERIES_ORGANISATIONS } from '../../../test/identities';
import { startTestStack, type Caller, type TestStack } from '../../../test/stack';

/** Job administration through the gateway, as an administrator and as everyone else. */
let stack: TestStack;
const callers: Record<string, Caller> = {};

interface Schedule {
  name: string;
  intervalMs: number;
  cron: string | null;
  timeZone: string;
  paused: boolean;
  nextRunAt: string | null;
  lastRun: { status: string; rows: number | null; durationMs: number | null } | null;
  runRequested: boolean;
  changedBy: string | null;
}

const SCHEDULE = `name intervalMs cron timeZone paused nextRunAt runRequested changedBy
  lastRun { status rows durationMs error }`;

beforeAll(async () => {
  stack = await startTestStack();
  await seedIdentities(stack.database.db, SERIES_ORGANISATIONS);
  for (const email of ['admin@t.nl', 'ams-admin@t.nl', 'ams@t.nl', 'bikes@t.nl']) {
    callers[email] = { token: await stack.tokenFor(email) };
  }
  const { db } = stack.database;
  await db('job_schedules').insert([
    { name: 'daily_report', task: 'daily_report', interval_ms: 86_400_000, cron: '30 4 * * *' },
    { name: 'import_feeds', task: 'import_feeds', interval_ms: 30_000 },
  ]);
  const started = Date.parse('2026-12-01T00:00:00Z');
  await db('job_runs').insert(
    Array.from({ length: 5 }, (_v, i) => ({
      task: 'import_feeds',
      schedule_name: 'import_feeds',
      tick_at: new Date(started + i * 30_000),
      attempt: 1,
      worker_id: 'host:1',
      status: i === 4 ? 'failed' : 'succeeded',
      started_at: new Date(started + i * 30_000),
      finished_at: new Date(started + i * 30_000 + 1500),
      rows: i === 4 ? null : 10 * i,
      error: i === 4 ? 'feed down' : null,
    })),
  );
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe('job administration', () => {
  it('is FORBIDDEN to everyone but ADMIN, for reads and changes alike', async () => {
    const operations = [
      `{ jobSchedules { name } }`,
      `{ jobRuns { totalCount } }`,
      `{ jobSchedule(name: "import_feeds") { name } }`,
      `mutation { pauseJobSchedule(name: "import_feeds") { paused } }`,
      `mutation { resumeJobSchedule(name: "import_feeds") { paused } }`,
      `mutation { runJobNow(name: "import_feeds") { runRequested } }`,
      `mutation { updateJobSchedule(name: "import_feeds", input: { intervalMs: 60000 }) { intervalMs } }`,
    ];
    for (const caller of [
      {},
      callers['ams-admin@t.nl'],
      callers['ams@t.nl'],
      callers['bikes@t.nl'],
    ]) {
      for (const query of operations) {
        const result = await stack.request(query, {}, caller);
        expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      }
    }
    const row = await stack.database
      .db('job_schedules')
      .where({ name: 'import_feeds' })
      .first<Record<string, unknown>>();
    expect(row).toMatchObject({ enabled: true, interval_ms: 30_000, run_requested_at: null });
  });

  it('lists schedules with their next and last run', async () => {
    const result = await stack.request<{ jobSchedules: Schedule[] }>(
      `{ jobSchedules { ${SCHEDULE} } }`,
      {},
      callers['admin@t.nl'],
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.jobSchedules).toEqual([
      expect.objectContaining({
        name: 'daily_report',
        cron: '30 4 * * *',
        timeZone: 'Europe/Amsterdam',
        paused: false,
        lastRun: null,
      }),
      expect.objectContaining({
        name: 'import_feeds',
        intervalMs: 30_000,
        cron: null,
        nextRunAt: expect.any(String) as string,
        lastRun: { status: 'FAILED', rows: null, durationMs: 1500, error: 'feed down' },
      }),
    ]);
  });

  it('changes cadence, pauses, resumes and runs now; every change is audited', async () => {
    const admin = callers['admin@t.nl'];
    const cron = await stack.request<{ updateJobSchedule: Schedule }>(
      `mutation { updateJobSchedule(name: "daily_report", input: { cron: "15 5 * * *", timeZone: "UTC" }) { ${SCHEDULE} } }`,
      {},
      admin,
    );
    expect(cron.errors).toBeUndefined();
    const next = new Date(cron.data?.updateJobSchedule.nextRunAt ?? '');
    expect([next.getUTCHours(), next.getUTCMinutes()]).toEqual([5, 15]);
    expect(cron.data?.updateJobSchedule).toMatchObject({
      timeZone: 'UTC',
      changedBy: 'admin@t.nl',
    });

    const interval = await stack.request<{ updateJobSchedule: Schedule }>(
      `mutation { updateJobSchedule(name: "daily_report", input: { intervalMs: 3600000 }) { ${SCHEDULE} } }`,
      {},
      admin,
    );
    expect(interval.data?.updateJobSchedule).toMatchObject({ intervalMs: 3_600_000, cron: null });

    const paused = await stack.request<{ pauseJobSchedule: Schedule }>(
      `mutation { pauseJobSchedule(name: "daily_report") { ${SCHEDULE} } }`,
      {},
      admin,
    );
    expect(paused.data?.pauseJobSchedule).toMatchObject({ paused: true, nextRunAt: null });
    const now = await stack.request<{ runJobNow: Schedule }>(
      `mutation { runJobNow(name: "daily_report") { ${SCHEDULE} } }`,
      {},
      admin,
    );
    expect(now.data?.runJobNow).toMatchObject({ paused: true, runRequested: true });
    const resumed = await stack.request<{ resumeJobSchedule: Schedule }>(
      `mutation { resumeJobSchedule(name: "daily_report") { ${SCHEDULE} } }`,
      {},
      admin,
    );
    expect(resumed.data?.resumeJobSchedule).toMatchObject({ paused: false });
    expect(resumed.data?.resumeJobSchedule.nextRunAt).not.toBeNull();

    const audit = await stack.database
      .db('audit_log')
      .where({ target_type: 'JobSchedule', target_id: 'daily_report' })
      .orderBy('id')
      .pluck('action');
    expect(audit).toEqual([
      'jobSchedule.update',
      'jobSchedule.update',
      'jobSchedule.pause',
      'jobSchedule.runNow',
      'jobSchedule.resume',
    ]);
  });

  it('refuses bad changes with BAD_USER_INPUT naming the argument, and an unknown schedule with NOT_FOUND', async () => {
    const admin = callers['admin@t.nl'];
    const cases: [string, string, string][] = [
      [`input: { cron: "every night" }`, 'BAD_USER_INPUT', 'input.cron'],
      [
        `input: { cron: "0 4 * * *", timeZone: "Mars/Olympus" }`,
        'BAD_USER_INPUT',
        'input.timeZone',
      ],
      [`input: { intervalMs: 5 }`, 'BAD_USER_INPUT', 'input.intervalMs'],
      [`input: { intervalMs: 60000, cron: "0 4 * * *" }`, 'BAD_USER_INPUT', 'input'],
      [`input: {}`, 'BAD_USER_INPUT', 'input'],
    ];
    for (const [args, code, argumentName] of cases) {
      const result = await stack.request(
        `mutation { updateJobSchedule(name: "import_feeds", ${args}) { name } }`,
        {},
        admin,
      );
      expect(result.errors?.[0]?.extensions).toMatchObject({ code, argumentName });
    }
    const unknown = await stack.request(
      `mutation { pauseJobSchedule(name: "no_such_job") { name } }`,
      {},
      admin,
    );
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const row = await stack.database
      .db('job_schedules')
      .where({ name: 'import_feeds' })
      .first<Record<string, unknown>>();
    expect(row).toMatchObject({ interval_ms: 30_000, cron: null });
  });

  it('pages the run history, newest first', async () => {
    const admin = callers['admin@t.nl'];
    const query = `query ($after: String) {
      jobRuns(schedule: "import_feeds", first: 2, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { status rows tickAt startedAt finishedAt durationMs workerId } }
      }
    }`;
    interface Page {
      jobRuns: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        edges: { node: { status: string; rows: number | null; durationMs: number } }[];
      };
    }
    const seen: (number | null)[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page += 1) {
      const result: { data?: Page | null; errors?: unknown[] } = await stack.request<Page>(
        query,
        { after },
        admin,
      );
      expect(result.errors).toBeUndefined();
      const runs = result.data!.jobRuns;
      expect(runs.totalCount).toBe(5);
      seen.push(...runs.edges.map((e) => e.node.rows));
      expect(runs.edges.every((e) => e.node.durationMs === 1500)).toBe(true);
      if (!runs.pageInfo.hasNextPage) break;
      after = runs.pageInfo.endCursor;
    }
    expect(seen).toEqual([null, 30, 20, 10, 0]);
    const failed = await stack.request<{ jobRuns: { totalCount: number } }>(
      `{ jobRuns(status: FAILED) { totalCount } }`,
      {},
      admin,
    );
    expect(failed.data?.jobRuns.totalCount).toBe(1);
    const bad = await stack.request(`{ jobRuns(after: "nonsense") { totalCount } }`, {}, admin);
    expect(bad.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentName: 'after',
    });
  });
});
