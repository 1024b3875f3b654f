import { importFeeds } from './importer/importFeeds';
import { importMdsTrips } from './importer/importMdsTrips';
import { maintainPartitions } from './maintenance/maintainPartitions';
import { microhubsController } from './microhubs/microhubsController';
import { refreshZoneGeometry } from './maintenance/refreshZoneGeometry';
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
