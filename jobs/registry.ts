import type { Config } from '../lib/config';
import { importFeeds } from './importer/importFeeds';
import { importMdsTrips } from './importer/importMdsTrips';
import { maintainPartitions } from './maintenance/maintainPartitions';
import { microhubsController } from './microhubs/microhubsController';
import { refreshZoneGeometry } from './maintenance/refreshZoneGeometry';
import { createOdMatrixJob } from './od';
import { odSettings } from './od/settings';
import type { JobDefinition } from './types';
import { zoneStats, zoneStatsRetention } from './zoneStats';

/** Every job the runner can execute. A schedule row is created for each on first start. */
export const jobs: readonly JobDefinition[] = [
  refreshZoneGeometry,
  importFeeds,
  importMdsTrips,
  maintainPartitions,
  microhubsController,
  zoneStats,
  zoneStatsRetention,
];

/** Every job, with the jobs that take settings from the process's configuration. */
export function configuredJobs(config: Config): JobDefinition[] {
  return [...jobs, createOdMatrixJob({ settings: odSettings(config) })];
}
