import type { Config } from '../lib/config';
import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import type { PubSub } from '../lib/pubsub';

/** What the scheduler enqueues with every tick (a job added by hand may leave both out). */
export interface TickPayload {
  schedule?: string;
  /** ISO 8601: the schedule slot. */
  tickAt?: string;
}

/** The job runner a job runs on, for jobs that hand work to other runners (the import tick). */
export interface WorkerInfo {
  /** `host:pid`: what `job_workers`, job flags and feed leases name this runner by. */
  id: string;
  /** The runners whose heartbeat is recent (this one included), sorted. */
  live(): readonly string[];
  /** graphile-worker's schema, for `add_job`. */
  schema: string;
}

export interface JobContext {
  db: Db;
  pubsub: PubSub;
  logger: Logger;
  /** The process's configuration, read once at start: every job takes its settings from it. */
  config: Config;
  /** The schedule slot this run belongs to (undefined for a job added by hand). */
  tickAt: Date | undefined;
  payload: TickPayload;
  /** Absent when a job is run outside a runner (tests, benches, the demo's catch-up). */
  worker?: WorkerInfo;
}

export interface JobResult {
  /** Rows written or changed, for the run history. */
  rows: number;
}

/**
 * A job: idempotent (rerunning the same tick gives the same rows), named in snake_case, with the
 * cadence it gets when its schedule row is first created. The row can be changed at runtime.
 */
export interface JobDefinition {
  task: string;
  description: string;
  defaultIntervalMs: number;
  /** A 5-field cron expression (in the runner's time zone) that replaces the interval by default. */
  defaultCron?: string;
  maxAttempts: number;
  /** False for a job only ever queued by another job (no schedule row is created for it). */
  scheduled?: boolean;
  run(context: JobContext): Promise<JobResult>;
}
