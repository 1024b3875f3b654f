import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import {
  Logger as WorkerLogger,
  run,
  type Runner,
  type Task,
  type TaskList,
} from 'graphile-worker';
import type { Config } from '../lib/config';
import type { Db } from '../lib/db';
import { channels } from '../lib/domain/channels';
import type { Logger } from '../lib/logger';
import { watchPgPool } from '../lib/observability/pools';
import type { PubSub } from '../lib/pubsub';
import { recordJobRun } from './metrics';
import { PatientPool } from './patientPool';
import { enqueueDueTicks, ensureSchedules } from './scheduler';
import type { JobDefinition, TickPayload, WorkerInfo } from './types';

/** How often a runner writes its heartbeat to `job_workers` ... */
const HEARTBEAT_MS = 5_000;
/** ... and how old the last one may be for the runner to count as alive. */
export const WORKER_ALIVE_MS = 30_000;

/** The job flag of work meant for one runner: the other live runners refuse such jobs. */
export function workerFlag(workerId: string): string {
  return `worker:${workerId}`;
}

export interface JobRunnerOptions {
  databaseUrl: string;
  db: Db;
  pubsub: PubSub;
  logger: Logger;
  /** Handed to every job: its settings come from here, not from the environment. */
  config: Config;
  jobs: readonly JobDefinition[];
  concurrency: number;
  schedulerIntervalMs: number;
  /** PostgreSQL schema graphile-worker keeps its queue in. */
  workerSchema?: string;
  /** The time zone new cron schedules are created in (default Europe/Amsterdam). */
  timeZone?: string;
}

export interface JobRunner {
  start(): Promise<void>;
  /** Stops claiming ticks, lets running jobs finish, then closes the worker's connections. */
  stop(): Promise<void>;
}

const WORKER_LOG_LEVELS: Record<string, 'error' | 'warn' | 'debug' | 'trace'> = {
  error: 'error',
  warning: 'warn',
  info: 'debug', // graphile-worker's own chatter; our job logs carry the useful lines
  debug: 'trace',
};

function workerLogger(logger: Logger): WorkerLogger {
  return new WorkerLogger(() => (level, message, meta) => {
    logger[WORKER_LOG_LEVELS[level as string] ?? 'info'](meta ?? {}, message);
  });
}

/**
 * Runs jobs on graphile-worker: ticks come from the `job_schedules` table (see scheduler.ts), the
 * queue and retries from graphile-worker, and every attempt is written to `job_runs`.
 */
export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { db, pubsub, logger } = options;
  const workerSchema = options.workerSchema ?? 'graphile_worker';
  // Unique per runner, even for two runners in one process (tests, the all-in-one process).
  const workerId = `${hostname()}:${process.pid}:${randomBytes(2).toString('hex')}`;
  // The worker's connections: our pool, so we decide when it ends and every client error is handled,
  // and one that waits for a restarting database instead of failing (see PatientPool).
  const poolMax = options.concurrency + 2;
  const pool = new PatientPool({ connectionString: options.databaseUrl, max: poolMax, logger });
  const unwatchPool = watchPgPool(pool, 'job_queue', poolMax);
  const onPoolError = (err: Error): void =>
    logger.warn({ err: err.message }, 'job queue connection error');
  pool.on('error', onPoolError);
  pool.on('connect', (client) => client.on('error', onPoolError));
  let runner: Runner | undefined;
  let stopping: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let schedulingPass: Promise<void> | undefined;
  let stopped = false;
  let live: readonly string[] = [workerId];
  let heartbeatTimer: NodeJS.Timeout | undefined;
  let heartbeatPass: Promise<void> | undefined;
  const worker: WorkerInfo = { id: workerId, live: () => live, schema: workerSchema };

  /** Records that this runner is alive and learns who else is (see WorkerInfo.live). */
  const heartbeat = async (): Promise<void> => {
    const { rows } = await db.raw<{ rows: { worker_id: string }[] }>(
      `with beat as (
         insert into job_workers (worker_id) values (?)
         on conflict (worker_id) do update set heartbeat_at = now()
       ), forgotten as (
         delete from job_workers where heartbeat_at < now() - interval '1 day'
       )
       select worker_id from job_workers
        where heartbeat_at > now() - make_interval(secs => ?) and worker_id <> ?
       union all select ?::text
       order by 1`,
      [workerId, WORKER_ALIVE_MS / 1000, workerId, workerId],
    );
    live = rows.map((r) => r.worker_id);
  };
  const beat = (): void => {
    if (stopped) return;
    heartbeatPass = heartbeat()
      .catch((err: unknown) => logger.warn({ err }, 'heartbeat failed; retrying'))
      .finally(() => {
        if (!stopped) heartbeatTimer = setTimeout(beat, HEARTBEAT_MS);
      });
  };

  const wrap = (job: JobDefinition): Task => {
    return async (rawPayload, helpers) => {
      const payload = (rawPayload ?? {}) as TickPayload;
      const tickAt = payload.tickAt ? new Date(payload.tickAt) : undefined;
      const [run] = await db('job_runs')
        .insert({
          task: job.task,
          schedule_name: payload.schedule ?? null,
          tick_at: tickAt ?? null,
          attempt: helpers.job.attempts,
          worker_id: workerId,
          status: 'running',
        })
        .returning<{ id: string }[]>('id');
      const runLogger = logger.child({ job: job.task, runId: run?.id, tickAt });
      const started = performance.now();
      try {
        const result = await job.run({
          db,
          pubsub,
          logger: runLogger,
          config: options.config,
          tickAt,
          payload,
          worker,
        });
        await db('job_runs')
          .where({ id: run?.id })
          .update({ status: 'succeeded', finished_at: db.fn.now(), rows: result.rows });
        recordJobRun(job.task, 'succeeded', (performance.now() - started) / 1000);
        if (result.rows > 0) {
          // Readers' caches (the gateway's public response cache) drop what this run changed.
          await pubsub
            .publish(channels.dataRefreshed, {
              task: job.task,
              at: new Date().toISOString(),
              rows: result.rows,
            })
            .catch((err: unknown) => runLogger.warn({ err }, 'could not announce the refresh'));
        }
        runLogger.debug(
          { rows: result.rows, ms: Math.round(performance.now() - started) },
          'job done',
        );
      } catch (err) {
        recordJobRun(job.task, 'failed', (performance.now() - started) / 1000);
        const message = err instanceof Error ? err.message : String(err);
        await db('job_runs')
          .where({ id: run?.id })
          .update({ status: 'failed', finished_at: db.fn.now(), error: message });
        runLogger.error({ err, attempt: helpers.job.attempts }, 'job failed');
        throw err;
      }
    };
  };

  const schedule = (): void => {
    if (stopped) return;
    schedulingPass = enqueueDueTicks(db, workerSchema)
      .then((ticks) => {
        for (const tick of ticks) logger.debug(tick, 'tick enqueued');
      })
      .catch((err: unknown) => logger.warn({ err }, 'scheduling pass failed; retrying'))
      .finally(() => {
        if (!stopped) timer = setTimeout(schedule, options.schedulerIntervalMs);
      });
  };

  return {
    async start() {
      await ensureSchedules(db, options.jobs, options.timeZone ?? 'Europe/Amsterdam');
      await heartbeat();
      const taskList: TaskList = Object.fromEntries(
        options.jobs.map((job) => [job.task, wrap(job)]),
      );
      runner = await run({
        pgPool: pool,
        schema: workerSchema,
        concurrency: options.concurrency,
        pollInterval: 1000,
        noHandleSignals: true,
        logger: workerLogger(logger),
        taskList,
        // Work meant for another live runner (jobs/importer/fanOut.ts) is left to it.
        forbiddenFlags: () => live.filter((id) => id !== workerId).map(workerFlag),
      });
      runner.promise.catch((err: unknown) => logger.error({ err }, 'job runner crashed'));
      schedule();
      heartbeatTimer = setTimeout(beat, HEARTBEAT_MS);
      logger.info({ jobs: options.jobs.map((j) => j.task), workerId }, 'job runner started');
    },
    stop() {
      stopping ??= (async () => {
        stopped = true;
        clearTimeout(timer);
        clearTimeout(heartbeatTimer);
        await schedulingPass;
        await heartbeatPass;
        const current = runner;
        runner = undefined;
        await current?.stop();
        await current?.promise.catch(() => undefined);
        // Its work goes to the others at once instead of after WORKER_ALIVE_MS.
        await db('job_workers')
          .where({ worker_id: workerId })
          .delete()
          .catch((err: unknown) => logger.warn({ err }, 'could not sign off'));
        // Ours to end, after the worker has let go of every client, so a closing database can't
        // reach a connection nobody listens to any more.
        unwatchPool();
        await pool.end();
      })();
      return stopping;
    },
  };
}
