import type { Db } from '../lib/db';
import type { JobDefinition } from './types';

export interface ScheduledTick {
  name: string;
  task: string;
  tickAt: Date;
}

/** Creates a schedule row for every job that has none; existing rows (changed at runtime) win. */
export async function ensureSchedules(db: Db, jobs: readonly JobDefinition[]): Promise<void> {
  if (jobs.length === 0) return;
  await db('job_schedules')
    .insert(
      jobs.map((job) => ({
        name: job.task,
        task: job.task,
        interval_ms: job.defaultIntervalMs,
        max_attempts: job.maxAttempts,
      })),
    )
    .onConflict('name')
    .ignore();
}

/**
 * Claims every due schedule and enqueues one job per claimed tick, in one transaction. The row lock
 * (`for update skip locked`) and the advance of `next_run_at` make each tick claimed by exactly one
 * runner, however many replicas call this at once; enqueueing in the same transaction means a
 * claimed tick is never lost. Ticks missed while no runner was up are not replayed: the schedule
 * resumes at the most recent slot (jobs cover gaps themselves from their own watermarks).
 */
export async function enqueueDueTicks(db: Db, workerSchema: string): Promise<ScheduledTick[]> {
  const result = await db.raw<{ rows: { name: string; task: string; tick_at: Date }[] }>(
    `with due as (
       select name, task, payload, max_attempts, interval_ms,
              next_run_at + make_interval(secs => (interval_ms / 1000.0) *
                floor(extract(epoch from (now() - next_run_at)) * 1000 / interval_ms)) as tick_at
         from job_schedules
        where enabled and next_run_at <= now()
        for update skip locked
     ), claimed as (
       update job_schedules s
          set next_run_at = due.tick_at + make_interval(secs => due.interval_ms / 1000.0),
              last_tick_at = due.tick_at
         from due
        where s.name = due.name
        returning due.name, due.task, due.payload, due.max_attempts, due.tick_at
     )
     select name, task, tick_at,
            ??.add_job(
              identifier => task,
              payload => (payload || jsonb_build_object('schedule', name, 'tickAt', tick_at))::json,
              max_attempts => max_attempts,
              job_key => name || '@' || tick_at::text
            ) is not null as enqueued
       from claimed`,
    [workerSchema],
  );
  return result.rows.map((r) => ({ name: r.name, task: r.task, tickAt: r.tick_at }));
}
