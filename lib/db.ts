import knex, { type Knex } from 'knex';
import type { Logger } from './logger';
import { redactUrl } from './redact';

export type Db = Knex;

export class DatabaseUnavailableError extends Error {
  constructor(url: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`cannot connect to PostgreSQL at ${redactUrl(url)}: ${reason || 'connection refused'}`);
    this.name = 'DatabaseUnavailableError';
  }
}

export interface DbOptions {
  poolMax?: number;
  applicationName?: string;
  /**
   * knex's own messages go here instead of the console. Its warnings are mostly connection retries
   * whose failure surfaces anyway as the error of the query, so they are logged at debug.
   */
  logger?: Logger;
}

export function createDb(url: string, options: DbOptions = {}): Db {
  return knex({
    client: 'pg',
    connection: { connectionString: url, application_name: options.applicationName ?? 'mobility' },
    pool: { min: 0, max: options.poolMax ?? 10 },
    acquireConnectionTimeout: 10_000,
    // knex would otherwise write the statement with its values (credentials included) into the
    // error message; with this, messages show the placeholders only.
    compileSqlOnError: false,
    log: {
      warn: (message: string) => options.logger?.debug({ component: 'knex' }, message),
      error: (message: string) => options.logger?.error({ component: 'knex' }, message),
      deprecate: (message: string) => options.logger?.warn({ component: 'knex' }, message),
      debug: (message: string) => options.logger?.debug({ component: 'knex' }, message),
    },
  });
}

/** Opens one connection so a bad URL or a dead server fails at start with one clear line. */
export async function assertDatabaseReachable(db: Db, url: string): Promise<void> {
  try {
    await db.raw('select 1');
  } catch (err) {
    throw new DatabaseUnavailableError(url, err);
  }
}
