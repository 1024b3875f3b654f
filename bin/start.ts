import { createGateway } from '../gateway/server';
import { createJobRunner } from '../jobs/runner';
import { jobs } from '../jobs/registry';
import { openDatabase, openPubSub } from '../lib/bootstrap';
import { randomBytes } from 'node:crypto';
import { PUBLIC_SCOPE } from '../lib/auth/scope';
import { publicUrl } from '../lib/http';
import { runMain } from '../lib/main';
import { migrateLatest } from '../lib/migrate';
import { SUBGRAPHS } from '../schema/subgraphs';
import { seed } from '../seeds';
import { subgraphFactories } from '../subgraphs';

/**
 * The whole system in one process, for a laptop or a demo: database (embedded unless DATABASE_URL),
 * migrations, seed data, every subgraph on a loopback port, the job runner and the gateway.
 */
runMain('all-in-one', async ({ config, logger, lifecycle }) => {
  const { db, url } = await openDatabase(config, logger, lifecycle, 'mobility:all-in-one');
  await migrateLatest(db, logger);
  const pubsub = openPubSub(config, logger, lifecycle);
  if (config.SEED) await seed(db, pubsub, logger);

  // One process: gateway and subgraphs share a secret that never leaves it, unless one is given.
  const scopeSecret = config.SCOPE_SECRET ?? randomBytes(32).toString('base64url');
  const subgraphUrls: Record<string, string> = {};
  for (const { name } of SUBGRAPHS) {
    const server = subgraphFactories[name]({ config, logger, db, pubsub, scopeSecret });
    lifecycle.add(`subgraph ${name}`, () => server.stop());
    subgraphUrls[name] = (await server.start(0, '127.0.0.1')).url;
  }

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

  const gateway = createGateway({
    supergraphPath: config.SUPERGRAPH_PATH,
    subgraphUrls: { ...subgraphUrls, ...config.SUBGRAPH_URLS },
    logger,
    introspection: config.INTROSPECTION,
    maskInternalErrors: config.NODE_ENV === 'production',
    subgraphTimeoutMs: config.SUBGRAPH_TIMEOUT_MS,
    scopeSecret,
    scopeTtlMs: config.SCOPE_HEADER_TTL_MS,
    authenticate: () => Promise.resolve(PUBLIC_SCOPE),
  });
  lifecycle.add('gateway', () => gateway.stop());
  const { port } = await gateway.start(config.PORT, config.HOST);
  const base = publicUrl(config.HOST, port, '');
  process.stdout.write(
    `\nGateway ready at ${base}/graphql  (health: ${base}/health, ready: ${base}/ready)\n` +
      `Database: ${config.DATABASE_URL ? 'DATABASE_URL' : `embedded PostgreSQL in ${config.DATA_DIR}`}; ` +
      `pub/sub: ${config.REDIS_URL ? 'Redis' : 'in-process'}. Stop with Ctrl-C.\n\n`,
  );
});
