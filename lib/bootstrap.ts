import type { Config } from './config';
import { assertDatabaseReachable, createDb, type Db } from './db';
import { runningEmbeddedPostgresUrl, startEmbeddedPostgres } from './embeddedPostgres';
import type { Lifecycle } from './lifecycle';
import type { Logger } from './logger';
import { watchKnexPool } from './observability/pools';
import { createPubSub, type PubSub } from './pubsub';

export interface Database {
  db: Db;
  url: string;
}

/**
 * The database of this process: DATABASE_URL when set, else the embedded PostgreSQL under DATA_DIR.
 * With `joinRunning` (tools like seed and migrate), an embedded server that a running `npm start`
 * holds in DATA_DIR is used as it is. Registers its disposers, and fails with one clear message
 * when the server can't be reached.
 */
export async function openDatabase(
  config: Config,
  logger: Logger,
  lifecycle: Lifecycle,
  applicationName: string,
  options: { joinRunning?: boolean } = {},
): Promise<Database> {
  let url =
    config.DATABASE_URL ??
    (options.joinRunning ? runningEmbeddedPostgresUrl(config.DATA_DIR) : undefined);
  if (!url) {
    const embedded = await startEmbeddedPostgres({
      dataDir: config.DATA_DIR,
      port: config.EMBEDDED_PG_PORT,
      logger,
    });
    lifecycle.add('embedded PostgreSQL', () => embedded.stop());
    url = embedded.url;
  }
  const db = createDb(url, { poolMax: config.DB_POOL_MAX, applicationName, logger });
  lifecycle.add('database pool', () => db.destroy());
  const unwatch = watchKnexPool(db, 'app', config.DB_POOL_MAX);
  lifecycle.add('database pool metrics', unwatch);
  await assertDatabaseReachable(db, url);
  return { db, url };
}

export function openPubSub(config: Config, logger: Logger, lifecycle: Lifecycle): PubSub {
  const pubsub = createPubSub(config.REDIS_URL, logger);
  lifecycle.add('pub/sub', () => pubsub.close());
  logger.info({ transport: config.REDIS_URL ? 'redis' : 'in-process' }, 'pub/sub ready');
  return pubsub;
}

/** Turns "relation does not exist" into the command that fixes it. */
export async function assertMigrated(db: Db): Promise<void> {
  const { rows } = await db.raw<{ rows: { ok: boolean }[] }>(
    `select to_regclass('public.zones') is not null as ok`,
  );
  if (!rows[0]?.ok) throw new Error('the database has no tables yet: run `npm run migrate` first');
}
