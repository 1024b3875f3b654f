import type { Config } from '../lib/config';
import type { Db } from '../lib/db';
import type { Lifecycle } from '../lib/lifecycle';
import type { Logger } from '../lib/logger';
import type { PubSub } from '../lib/pubsub';
import { createJobs } from './registry';
import { createJobRunner } from './runner';

/** Starts the job runner with every registered job, as a process runs it, and owns its stop. */
export async function startConfiguredJobRunner(deps: {
  config: Config;
  logger: Logger;
  lifecycle: Lifecycle;
  db: Db;
  databaseUrl: string;
  pubsub: PubSub;
}): Promise<void> {
  const runner = createJobRunner({
    databaseUrl: deps.databaseUrl,
    db: deps.db,
    pubsub: deps.pubsub,
    logger: deps.logger,
    config: deps.config,
    jobs: createJobs(),
    concurrency: deps.config.JOBS_CONCURRENCY,
    schedulerIntervalMs: deps.config.JOBS_SCHEDULER_INTERVAL_MS,
    timeZone: deps.config.JOBS_TIME_ZONE,
  });
  deps.lifecycle.add('job runner', () => runner.stop());
  await runner.start();
}
