import { randomBytes } from 'node:crypto';
import { createConfiguredGateway, jwtOptionsFromConfig } from '../gateway/fromConfig';
import { startConfiguredJobRunner } from '../jobs/fromConfig';
import { openDatabase, openPubSub } from '../lib/bootstrap';
import type { JwtOptions } from '../gateway/auth/jwt';
import { PROCESS_NEEDS, type Config } from '../lib/config';
import { DEV_JWT_AUDIENCE, DEV_JWT_ISSUER, devJwtSecret } from '../lib/devJwt';
import { publicUrl } from '../lib/http';
import { runMain } from '../lib/main';
import { migrateLatest } from '../lib/migrate';
import { SUBGRAPHS } from '../schema/subgraphs';
import { seed, seedDemo } from '../seeds';
import { registerDemoFeeds } from '../seeds/demoFeeds';
import { assertNoDemoIdentities } from '../seeds/identities';
import { createFeedSimulator, demoOperators } from '../simulator';
import type { Db } from '../lib/db';
import type { Lifecycle } from '../lib/lifecycle';
import { SECOND } from '../lib/units';
import { subgraphFactories } from '../subgraphs';

/**
 * Configured JWT settings win; with none, tokens from `npm run token` are accepted. Never in
 * production: there an identity provider is required (assertProductionReady) and the development
 * secret is not even read.
 */
function jwtOptions(config: Config): JwtOptions {
  const configured = jwtOptionsFromConfig(config);
  if (config.NODE_ENV === 'production') return configured;
  if (configured.jwksUrl || configured.publicKeyPem || configured.secret) return configured;
  return {
    secret: devJwtSecret(config.DATA_DIR),
    issuer: DEV_JWT_ISSUER,
    audience: DEV_JWT_AUDIENCE,
    maxLifetimeSeconds: configured.maxLifetimeSeconds,
  };
}

/** A simulated operator back end with live vehicles, so the demo shows data from the first tick. */
async function startDemoFeeds(config: Config, db: Db, lifecycle: Lifecycle): Promise<void> {
  const operators = demoOperators(config.DEMO_OPERATORS, config.DEMO_VEHICLES);
  const simulator = createFeedSimulator({ operators, seed: config.DEMO_SEED });
  lifecycle.add('feed simulator', () => simulator.stop());
  await simulator.start(0, '127.0.0.1');
  simulator.startRealtime(SECOND);
  await registerDemoFeeds(db, operators, (id) => simulator.feedUrls(id));
}

/**
 * The whole system in one process, for a laptop or a demo: database (embedded unless DATABASE_URL),
 * migrations, seed data, every subgraph on a loopback port, the job runner and the gateway.
 */
runMain(
  'all-in-one',
  async ({ config, logger, lifecycle }) => {
    const { db, url } = await openDatabase(config, logger, lifecycle, 'mobility:all-in-one');
    await migrateLatest(db, logger);
    if (config.NODE_ENV === 'production') await assertNoDemoIdentities(db);
    const pubsub = openPubSub(config, logger, lifecycle);
    // Reference data (municipalities) on every start; the demo's identities and feeds only outside
    // production (loadConfig refuses DEMO=true and DEMO_FEEDS=true there).
    if (config.SEED) await seed(db, pubsub, logger, { demo: false });
    if (config.DEMO) await seedDemo(db, pubsub, logger);
    if (config.DEMO_FEEDS) await startDemoFeeds(config, db, lifecycle);

    // One process: gateway and subgraphs share a secret that never leaves it, unless one is given.
    const scopeSecret = config.SCOPE_SECRET ?? randomBytes(32).toString('base64url');
    const subgraphUrls: Record<string, string> = {};
    for (const { name } of SUBGRAPHS) {
      const server = subgraphFactories[name]({ config, logger, db, pubsub, scopeSecret });
      lifecycle.add(`subgraph ${name}`, () => server.stop());
      subgraphUrls[name] = (await server.start(0, '127.0.0.1')).url;
    }

    await startConfiguredJobRunner({ config, logger, lifecycle, db, databaseUrl: url, pubsub });

    const gateway = await createConfiguredGateway({
      config,
      logger,
      lifecycle,
      pubsub,
      scopeSecret,
      subgraphUrls: { ...subgraphUrls, ...config.SUBGRAPH_URLS },
      jwt: jwtOptions(config),
    });
    const { port } = await gateway.start(config.PORT, config.HOST);
    const base = publicUrl(config.HOST, port, '');
    // Production output is JSON lines only, for the log shipper; a person at a terminal gets a banner.
    if (config.NODE_ENV === 'production') {
      logger.info({ url: `${base}/graphql` }, 'gateway ready');
      return;
    }
    process.stdout.write(
      `\nGateway ready at ${base}/graphql  (health: ${base}/health, ready: ${base}/ready)\n` +
        `Database: ${config.DATABASE_URL ? 'DATABASE_URL' : `embedded PostgreSQL in ${config.DATA_DIR}, psql ${url}`}; ` +
        `pub/sub: ${config.REDIS_URL ? 'Redis' : 'in-process'}. Stop with Ctrl-C.\n\n`,
    );
  },
  PROCESS_NEEDS.start,
);
