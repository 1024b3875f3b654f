import type { Knex } from 'knex';
import * as zones from './20261122000001_zones';
import * as jobs from './20261122000002_jobs';
import * as identity from './20261122000003_identity';
import * as importer from './20261122200001_importer';
import * as hubZones from './20261122300001_hub_zones';
import * as microhubs from './20261122300002_microhubs';
import * as dailyReport from './20261207300001_daily_report';

/**
 * The ordered list of migrations. Listing them explicitly (instead of letting knex scan the folder)
 * makes them load the same way under tsx, jest and compiled JavaScript.
 */
const migrations: Record<string, Knex.Migration> = {
  '20261122000001_zones': zones,
  '20261122000002_jobs': jobs,
  '20261122000003_identity': identity,
  '20261122200001_importer': importer,
  '20261122300001_hub_zones': hubZones,
  '20261122300002_microhubs': microhubs,
  '20261207300001_daily_report': dailyReport,
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
