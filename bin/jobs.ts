import { startConfiguredJobRunner } from '../jobs/fromConfig';
import { assertMigrated, openDatabase, openPubSub } from '../lib/bootstrap';
import { PROCESS_NEEDS } from '../lib/config';
import { runMain } from '../lib/main';

runMain(
  'jobs',
  async ({ config, logger, lifecycle }) => {
    const { db, url } = await openDatabase(config, logger, lifecycle, 'mobility:jobs');
    await assertMigrated(db);
    const pubsub = openPubSub(config, logger, lifecycle);
    await startConfiguredJobRunner({ config, logger, lifecycle, db, databaseUrl: url, pubsub });
  },
  PROCESS_NEEDS.jobs,
);
