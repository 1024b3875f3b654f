import { importFeeds } from './tasks/importFeeds';
import { importMdsTrips } from './tasks/importMdsTrips';
import { maintainPartitions } from './tasks/maintainPartitions';
import { microhubsController } from './tasks/microhubsController';
import { refreshZoneGeometry } from './tasks/refreshZoneGeometry';
import type { JobDefinition } from './types';

/** Every job the runner can execute. A schedule row is created for each on first start. */
export const jobs: readonly JobDefinition[] = [
  refreshZoneGeometry,
  importFeeds,
  importMdsTrips,
  maintainPartitions,
  microhubsController,
];
