import { createJobRunner } from '../jobs/runner';
import { jobs } from '../jobs/registry';
import { assertMigrated, openDatabase, openPubSub } from '../lib/bootstrap';
import { runMain } from '../lib/main';

runMain('jobs', async ({ config, logger, lifecycle }) => {
  const { db, url } = await openDatabase(config, logger, lifecycle, 'mobility:jobs');
  await assertMigrated(db);
  const pubsub = openPubSub(config, logger, lifecycle);
  const runner = createJobRunner({
    databaseUrl: url,
    db,
    pubsub,
    logger,
    jobs,
    concurrency: config.JOBS_CONCURRENCY,
    schedulerIntervalMs: config.JOBS_SCHEDULER_INTERVAL_MS,
  });
  lifecycle.add('job runner', () => runner.stop());
  await runner.start();
});
