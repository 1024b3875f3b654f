import { dailyReport } from './dailyReport/dailyReport';
import { createImportFeedsJobs } from './importer/importFeeds';
import { importMdsTrips } from './importer/importMdsTrips';
import { maintainPartitions } from './maintenance/maintainPartitions';
import { microhubsController } from './microhubs/microhubsController';
import { refreshZoneGeometry } from './maintenance/refreshZoneGeometry';
import { odMatrix } from './od';
import { pruneHistory } from './maintenance/pruneHistory';
import type { JobDefinition } from './types';
import { zoneStats, zoneStatsRetention } from './zoneStats';

/**
 * Every job the runner can execute. A schedule row is created for each on first start; each takes
 * its settings from the process's configuration in its job context when it runs.
 */
export function createJobs(): JobDefinition[] {
  return [
    refreshZoneGeometry,
    ...createImportFeedsJobs(),
    importMdsTrips,
    maintainPartitions,
    microhubsController,
    zoneStats,
    zoneStatsRetention,
    odMatrix,
    dailyReport,
    pruneHistory,
  ];
}
