import type { Db } from '../lib/db';
import {
  defaultScheduleRow,
  dueSlot,
  SCHEDULE_COLUMNS,
  type JobScheduleRow,
} from '../lib/domain/jobSchedules';
import type { JobDefinition } from './types';

export interface ScheduledTick {
  name: string;
  task: string;
  tickAt: Date;
  manual: boolean;
}

/**
 * Creates a schedule row for every job that has none. Existing rows keep everything an
 * administrator may have changed (cadence, cron, pause); only the description follows the code.
 */
export async function ensureSchedules(
  db: Db,
  jobs: readonly JobDefinition[],
  timeZone: string,
): Promise<void> {
  const scheduled = jobs.filter((job) => job.scheduled !== false);
  if (scheduled.length === 0) return;
  const now = new Date();
  await db('job_schedules')
    .insert(scheduled.map((job) => defaultScheduleRow(job, timeZone, now)))
    .onConflict('name')
    .merge(['description']);
}

/**
 * Claims every due schedule and enqueues one job per claimed tick, in one transaction. The row lock
 * (`for update skip locked`) and the advance of `next_run_at` make each tick claimed by exactly one
 * runner, however many replicas call this at once; enqueueing in the same transaction means a
 * claimed tick is never lost. A paused schedule is not due. A "run now" request enqueues one extra
 * run (paused or not) and is cleared in the same transaction.
 */
export async function enqueueDueTicks(db: Db, workerSchema: string): Promise<ScheduledTick[]> {
  return db.transaction(async (trx) => {
    const { rows } = await trx.raw<{
      rows: (JobScheduleRow & { payload: Record<string, unknown>; now: Date })[];
    }>(
      `select ${SCHEDULE_COLUMNS.join(', ')}, payload, now() as now
         from job_schedules
        where (enabled and next_run_at <= now()) or run_requested_at is not null
        for update skip locked`,
    );
    const ticks: ScheduledTick[] = [];
    for (const schedule of rows) {
      const enqueue = async (tickAt: Date, manual: boolean) => {
        const key = `${schedule.name}@${manual ? 'manual@' : ''}${tickAt.toISOString()}`;
        await trx.raw(
          `select ??.add_job(identifier => ?, payload => ?::json, max_attempts => ?, job_key => ?)`,
          [
            workerSchema,
            schedule.task,
            JSON.stringify({
              ...schedule.payload,
              schedule: schedule.name,
              tickAt: tickAt.toISOString(),
              ...(manual ? { manual: true } : {}),
            }),
            schedule.max_attempts,
            key,
          ],
        );
        ticks.push({ name: schedule.name, task: schedule.task, tickAt, manual });
      };
      const update: Record<string, unknown> = {};
      if (schedule.enabled && schedule.next_run_at <= schedule.now) {
        const { tickAt, nextRunAt } = dueSlot(schedule, schedule.now);
        await enqueue(tickAt, false);
        update.next_run_at = nextRunAt;
        update.last_tick_at = tickAt;
      }
      if (schedule.run_requested_at) {
        await enqueue(schedule.run_requested_at, true);
        update.run_requested_at = null;
      }
      await trx('job_schedules').where({ name: schedule.name }).update(update);
    }
    return ticks;
  });
}
