import type { Knex } from 'knex';
import * as zones from './20261122000001_zones';
import * as jobs from './20261122000002_jobs';

/**
 * The ordered list of migrations. Listing them explicitly (instead of letting knex scan the folder)
 * makes them load the same way under tsx, jest and compiled JavaScript.
 */
const migrations: Record<string, Knex.Migration> = {
  '20261122000001_zones': zones,
  '20261122000002_jobs': jobs,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: () => Promise.resolve(Object.keys(migrations)),
  getMigrationName: (name) => name,
  getMigration: (name) => {
    const migration = migrations[name];
    if (!migration) throw new Error(`unknown migration ${name}`);
    return Promise.resolve(migration);
  },
};
