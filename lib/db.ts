import knex, { type Knex } from 'knex';
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
}

export function createDb(url: string, options: DbOptions = {}): Db {
  return knex({
    client: 'pg',
    connection: { connectionString: url, application_name: options.applicationName ?? 'mobility' },
    pool: { min: 0, max: options.poolMax ?? 10 },
    acquireConnectionTimeout: 10_000,
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
