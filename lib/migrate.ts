import { migrationSource } from '../migrations';
import type { Db } from './db';
import type { Logger } from './logger';

/** Brings the schema up to date; knex's migration lock makes concurrent starts safe. */
export async function migrateLatest(db: Db, logger: Logger): Promise<void> {
  const [batch, applied] = (await db.migrate.latest({ migrationSource })) as [number, string[]];
  if (applied.length > 0) logger.info({ batch, applied }, 'database migrated');
}
