import type { Config } from '../lib/config';
import { createDailyReportJob } from './dailyReport/dailyReport';
import { createImportFeedsJobs } from './importer/importFeeds';
import { importMdsTrips } from './importer/importMdsTrips';
import { maintainPartitions } from './maintenance/maintainPartitions';
import { microhubsController } from './microhubs/microhubsController';
import { refreshZoneGeometry } from './maintenance/refreshZoneGeometry';
import { createOdMatrixJob } from './od';
import { odSettings } from './od/settings';
import { createPruneHistoryJob } from './maintenance/pruneHistory';
import type { JobDefinition } from './types';
import { zoneStats, zoneStatsRetention } from './zoneStats';

/** Every job the runner can execute. A schedule row is created for each on first start. */
export function createJobs(config: Config): JobDefinition[] {
  return [
    refreshZoneGeometry,
    ...createImportFeedsJobs(),
    importMdsTrips,
    maintainPartitions,
    microhubsController,
    zoneStats,
    zoneStatsRetention,
    createOdMatrixJob({ settings: odSettings(config) }),
    createDailyReportJob({
      timeZone: config.DAILY_REPORT_TIME_ZONE,
      recomputeDays: config.DAILY_REPORT_RECOMPUTE_DAYS,
      maxCatchUpDays: config.DAILY_REPORT_MAX_CATCH_UP_DAYS,
    }),
    createPruneHistoryJob({
      jobRunsDays: config.JOB_RUNS_RETENTION_DAYS,
      hubStatusHistoryDays: config.HUB_STATUS_HISTORY_RETENTION_DAYS,
      auditLogDays: config.AUDIT_LOG_RETENTION_DAYS,
      feedOutagesDays: config.FEED_OUTAGES_RETENTION_DAYS,
    }),
  ];
}
