import { startConfiguredJobRunner } from '../jobs/fromConfig';
import { assertMigrated, openDatabase, openPubSub } from '../lib/bootstrap';
import { PROCESS_NEEDS } from '../lib/config';
import { runMain } from '../lib/main';
import { metricsAccess } from '../lib/observability/metricsRoute';
import { createOpsServer } from '../lib/observability/opsServer';

runMain(
  'jobs',
  async ({ config, logger, lifecycle }) => {
    const { db, url } = await openDatabase(config, logger, lifecycle, 'mobility:jobs');
    await assertMigrated(db);
    const pubsub = openPubSub(config, logger, lifecycle);
    await startConfiguredJobRunner({ config, logger, lifecycle, db, databaseUrl: url, pubsub });
    // /health, /ready and /metrics for the orchestrator and Prometheus (JOBS_PORT).
    const ops = createOpsServer({
      name: 'jobs',
      checkReady: async () => {
        await db.raw('select 1');
      },
      metrics: metricsAccess(config),
      logger: logger.child({ component: 'ops' }),
    });
    lifecycle.add('ops endpoint', () => ops.stop());
    await ops.start(config.JOBS_PORT, config.HOST);
  },
  PROCESS_NEEDS.jobs,
);
