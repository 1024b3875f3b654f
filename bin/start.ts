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
import {
  createHistoryRecorder,
  demoHistoryState,
  fillDemoHistory,
  historyStart,
  finishDemoHistory,
  type HistoryProgress,
} from '../seeds/demoHistory';
import { assertNoDemoIdentities } from '../seeds/identities';
import { createFeedSimulator, demoOperators } from '../simulator';
import type { Db } from '../lib/db';
import type { Lifecycle } from '../lib/lifecycle';
import type { Logger } from '../lib/logger';
import type { PubSub } from '../lib/pubsub';
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

const PHASES: Record<HistoryProgress['phase'], string> = {
  simulate: 'simulated',
  zone_stats: 'zone_stats',
  daily_report: 'daily_report',
  od_matrix: 'od_matrix',
};

/** One line per phase; on a terminal it counts up in place. */
function printProgress({ phase, done, total, unit }: HistoryProgress): void {
  const line = `Demo history: ${PHASES[phase]} ${done}/${total} ${unit}`;
  if (process.stdout.isTTY) process.stdout.write(`\r${line}${done >= total ? '\n' : ''}`);
  else if (done >= total) process.stdout.write(`${line}\n`);
}

/**
 * A simulated operator back end with live vehicles. On the first start (and DEMO_HISTORY_DAYS > 0)
 * the same simulated fleet first lives through the last days in accelerated time, recorded as
 * history (seeds/demoHistory.ts), and then goes on in real time: charts have data at once.
 */
async function startDemoFeeds(
  config: Config,
  db: Db,
  pubsub: PubSub,
  logger: Logger,
  lifecycle: Lifecycle,
): Promise<void> {
  const operators = demoOperators(config.DEMO_OPERATORS, config.DEMO_VEHICLES);
  const history = config.DEMO_HISTORY_DAYS > 0 ? await demoHistoryState(db) : 'DONE';
  const fromMs = historyStart(Date.now(), config.DEMO_HISTORY_DAYS, config.ZONE_STATS_TIME_ZONE);
  const recorder = history === 'NONE' ? await createHistoryRecorder(db, fromMs) : undefined;
  const simulator = createFeedSimulator({
    operators,
    seed: config.DEMO_SEED,
    ...(recorder ? { startTime: new Date(fromMs), observer: recorder.observe } : {}),
  });
  lifecycle.add('feed simulator', () => simulator.stop());
  await simulator.start(0, '127.0.0.1');
  const feeds = await registerDemoFeeds(db, operators, (id) => simulator.feedUrls(id));
  if (recorder) {
    process.stdout.write(
      `Demo history: simulating ${config.DEMO_HISTORY_DAYS} days from ${new Date(fromMs).toISOString()} (once; DEMO_HISTORY_DAYS=0 skips it)\n`,
    );
    const report = await fillDemoHistory({
      db,
      pubsub,
      logger,
      config,
      simulator,
      recorder,
      feeds,
      fromMs,
      seed: config.DEMO_SEED,
      vehicles: config.DEMO_VEHICLES,
      onProgress: printProgress,
      // The live feed goes on while the jobs catch up (the importer polls once the runner starts).
      onJoined: () => simulator.startRealtime(SECOND),
    });
    logger.info(report, 'demo history filled');
    process.stdout.write(
      `Demo history: ${report.trips} trips, ${report.rentals} rentals, ${report.parkEvents} park events in ${report.seconds} s\n`,
    );
  } else if (history === 'FILLED' || history === 'JOINED') {
    // A start that stopped after writing the history: join it to the live feeds, run the jobs.
    await finishDemoHistory(
      {
        db,
        pubsub,
        logger,
        config,
        feeds,
        onProgress: printProgress,
        onJoined: () => simulator.startRealtime(SECOND),
      },
      history,
    );
  } else {
    simulator.startRealtime(SECOND);
  }
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
    if (config.DEMO_FEEDS) await startDemoFeeds(config, db, pubsub, logger, lifecycle);

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
