import { Cron } from 'croner';
import type { Knex } from 'knex';

/**
 * The `job_schedules` and `job_runs` tables, shared by the writer side (the runner's scheduler in
 * `jobs/`) and the reader side (job administration in the users subgraph), which may not import
 * each other. Cron expressions are evaluated here, so both sides agree on the next run.
 */

export interface JobScheduleRow {
  name: string;
  task: string;
  description: string | null;
  interval_ms: number;
  cron: string | null;
  time_zone: string;
  enabled: boolean;
  max_attempts: number;
  next_run_at: Date;
  last_tick_at: Date | null;
  run_requested_at: Date | null;
  updated_at: Date;
  changed_by: string | null;
}

export type JobRunStatus = 'running' | 'succeeded' | 'failed';

export interface JobRunRow {
  id: string;
  task: string;
  schedule_name: string | null;
  tick_at: Date | null;
  attempt: number;
  worker_id: string;
  status: JobRunStatus;
  started_at: Date;
  finished_at: Date | null;
  rows: number | null;
  error: string | null;
}

export const SCHEDULE_COLUMNS = [
  'name',
  'task',
  'description',
  'interval_ms',
  'cron',
  'time_zone',
  'enabled',
  'max_attempts',
  'next_run_at',
  'last_tick_at',
  'run_requested_at',
  'updated_at',
  'changed_by',
] as const;

export const RUN_COLUMNS = [
  'id',
  'task',
  'schedule_name',
  'tick_at',
  'attempt',
  'worker_id',
  'status',
  'started_at',
  'finished_at',
  'rows',
  'error',
] as const;

/** A schedule may not tick more often than this (the scheduler polls every 250 ms by default). */
export const MIN_INTERVAL_MS = 1000;
/** Nor less often than once a year. */
export const MAX_INTERVAL_MS = 366 * 24 * 3600 * 1000;

/** A cron expression that can't be used, and why. */
export class ScheduleError extends Error {
  constructor(
    readonly field: 'intervalMs' | 'cron' | 'timeZone',
    message: string,
  ) {
    super(message);
    this.name = 'ScheduleError';
  }
}

function cronOf(expression: string, timeZone: string): Cron {
  return new Cron(expression, { timezone: timeZone, paused: true, mode: '5-part' });
}

/** Checks a 5-field cron expression (minute hour day-of-month month day-of-week) in a time zone. */
export function checkCron(expression: string, timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new ScheduleError('timeZone', `"${timeZone}" is not an IANA time zone`);
  }
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    throw new ScheduleError(
      'cron',
      `"${expression}" must have 5 fields: minute hour day-of-month month day-of-week`,
    );
  }
  let next: Date | null;
  try {
    next = cronOf(expression, timeZone).nextRun(new Date());
  } catch (err) {
    throw new ScheduleError(
      'cron',
      `"${expression}" is not a cron expression: ${(err as Error).message}`,
    );
  }
  if (!next) throw new ScheduleError('cron', `"${expression}" never runs`);
}

export function checkInterval(intervalMs: number): void {
  if (!Number.isInteger(intervalMs) || intervalMs < MIN_INTERVAL_MS || intervalMs > MAX_INTERVAL_MS)
    throw new ScheduleError(
      'intervalMs',
      `must be a whole number of milliseconds from ${MIN_INTERVAL_MS} to ${MAX_INTERVAL_MS}`,
    );
}

/** The first time strictly after `after` that the cron expression names. */
export function nextCronRun(expression: string, timeZone: string, after: Date): Date {
  const next = cronOf(expression, timeZone).nextRun(after);
  if (!next)
    throw new ScheduleError('cron', `"${expression}" never runs after ${after.toISOString()}`);
  return next;
}

/**
 * The slot a due schedule runs for and the one after it. Slots missed while no runner was up are
 * not replayed one by one: the run is for the latest slot not after `now` (jobs that aggregate
 * keep their own watermarks and cover the gap).
 */
export function dueSlot(
  schedule: Pick<JobScheduleRow, 'interval_ms' | 'cron' | 'time_zone' | 'next_run_at'>,
  now: Date,
): { tickAt: Date; nextRunAt: Date } {
  if (schedule.cron) {
    let tickAt = schedule.next_run_at;
    const cron = cronOf(schedule.cron, schedule.time_zone);
    for (let i = 0; i < 100_000; i += 1) {
      const next = cron.nextRun(tickAt);
      if (!next || next > now) break;
      tickAt = next;
    }
    return { tickAt, nextRunAt: nextCronRun(schedule.cron, schedule.time_zone, now) };
  }
  const interval = schedule.interval_ms;
  const missed = Math.max(
    0,
    Math.floor((now.getTime() - schedule.next_run_at.getTime()) / interval),
  );
  const tickAt = new Date(schedule.next_run_at.getTime() + missed * interval);
  return { tickAt, nextRunAt: new Date(tickAt.getTime() + interval) };
}

/** The schedule row a job gets when it has none yet. */
export function defaultScheduleRow(
  job: {
    task: string;
    description: string;
    defaultIntervalMs: number;
    defaultCron?: string | undefined;
    maxAttempts: number;
  },
  timeZone: string,
  now: Date,
) {
  return {
    name: job.task,
    task: job.task,
    description: job.description,
    interval_ms: job.defaultIntervalMs,
    cron: job.defaultCron ?? null,
    time_zone: timeZone,
    max_attempts: job.maxAttempts,
    next_run_at: job.defaultCron ? nextCronRun(job.defaultCron, timeZone, now) : now,
  };
}

/** What an administrator may change; undefined leaves a field as it is. */
export interface ScheduleChange {
  /** Sets a fixed interval and drops any cron expression. */
  intervalMs?: number | undefined;
  /** Sets a cron expression (with timeZone, default the schedule's own). */
  cron?: string | undefined;
  timeZone?: string | undefined;
  enabled?: boolean | undefined;
  runNow?: boolean | undefined;
}

/**
 * Applies a change to one schedule and returns the new row (undefined when there is no such
 * schedule). The next run follows from the new cadence at once. Runs inside the caller's
 * transaction, so an audit entry can commit with it.
 */
export async function changeSchedule(
  db: Knex | Knex.Transaction,
  name: string,
  change: ScheduleChange,
  changedBy: string,
): Promise<JobScheduleRow | undefined> {
  const current = await db('job_schedules')
    .where({ name })
    .forUpdate()
    .first<JobScheduleRow | undefined>(SCHEDULE_COLUMNS);
  if (!current) return undefined;
  const now = new Date();
  const update: Record<string, unknown> = { updated_at: now, changed_by: changedBy };
  if (change.intervalMs !== undefined) {
    checkInterval(change.intervalMs);
    update.interval_ms = change.intervalMs;
    update.cron = null;
    update.next_run_at = new Date(now.getTime() + change.intervalMs);
  }
  const timeZone = change.timeZone ?? current.time_zone;
  if (change.cron !== undefined) {
    checkCron(change.cron, timeZone);
    update.cron = change.cron.trim().replace(/\s+/g, ' ');
    update.time_zone = timeZone;
    update.next_run_at = nextCronRun(change.cron, timeZone, now);
  } else if (change.timeZone !== undefined) {
    if (!current.cron || change.intervalMs !== undefined) {
      throw new ScheduleError('timeZone', 'applies to a cron expression only');
    }
    checkCron(current.cron, timeZone);
    update.time_zone = timeZone;
    update.next_run_at = nextCronRun(current.cron, timeZone, now);
  }
  if (change.enabled !== undefined) {
    update.enabled = change.enabled;
    // Resuming starts from the next slot, not from a backlog of missed ones.
    if (change.enabled && !current.enabled && update.next_run_at === undefined) {
      update.next_run_at = current.cron
        ? nextCronRun(current.cron, current.time_zone, now)
        : new Date(now.getTime() + current.interval_ms);
    }
  }
  if (change.runNow) update.run_requested_at = now;
  const [row] = await db('job_schedules')
    .where({ name })
    .update(update)
    .returning<JobScheduleRow[]>(SCHEDULE_COLUMNS);
  return row;
}

/** Reads for administration; `from` is the caller's (scope-filtered) table source. */
export type TableSource = (table: string) => Knex.QueryBuilder;

export function listSchedules(from: TableSource): Promise<JobScheduleRow[]> {
  return from('job_schedules').select<JobScheduleRow[]>(SCHEDULE_COLUMNS).orderBy('name');
}

export async function schedulesByName(
  from: TableSource,
  names: readonly string[],
): Promise<JobScheduleRow[]> {
  return from('job_schedules').select<JobScheduleRow[]>(SCHEDULE_COLUMNS).whereIn('name', names);
}

/** The latest attempt of each of these schedules. */
export async function lastRuns(from: TableSource, names: readonly string[]): Promise<JobRunRow[]> {
  return from('job_runs')
    .distinctOn('schedule_name')
    .select<JobRunRow[]>(RUN_COLUMNS)
    .whereIn('schedule_name', names)
    .orderBy([
      { column: 'schedule_name' },
      { column: 'started_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ]);
}

export interface RunQuery {
  scheduleName?: string | undefined;
  status?: JobRunStatus | undefined;
}

/** Newest first, `limit` rows after the run id `beforeId`, with the total count. */
export async function runsPage(
  from: TableSource,
  query: RunQuery,
  limit: number,
  beforeId: string | undefined,
): Promise<{ rows: JobRunRow[]; totalCount: number }> {
  const filtered = () => {
    const q = from('job_runs');
    if (query.scheduleName) q.where('schedule_name', query.scheduleName);
    if (query.status) q.where('status', query.status);
    return q;
  };
  const rows = filtered().select<JobRunRow[]>(RUN_COLUMNS).orderBy('id', 'desc').limit(limit);
  if (beforeId) rows.where('id', '<', beforeId);
  const [page, [count]] = await Promise.all([
    rows,
    filtered().count<{ count: string }[]>({ count: '*' }),
  ]);
  return { rows: page, totalCount: Number(count?.count ?? 0) };
}
