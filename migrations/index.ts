import type { Knex } from 'knex';
import * as zones from './20261122000001_zones';
import * as jobs from './20261122000002_jobs';
import * as identity from './20261122000003_identity';
import * as importer from './20261122200001_importer';
import * as hubZones from './20261122300001_hub_zones';
import * as microhubs from './20261122300002_microhubs';
import * as zoneStats from './20261207200001_zone_stats';
import * as dailyReport from './20261207300001_daily_report';
import * as od from './20261207400001_od';
import * as demoFeeds from './20261207500001_demo_feeds';
import * as feedRealities from './20261207700001_feed_realities';
import * as demoHistory from './20261207800001_demo_history';
import * as zoneStatsReadIndexes from './20261207910001_zone_stats_read_indexes';
import * as odFlowsMonthAll from './20261207910002_od_flows_month_all';
import * as feedDeletion from './20261207830001_feed_deletion';
import * as parkEventStation from './20261207830002_park_event_station';
import * as zoneStatsDirty from './20261208000100_zone_stats_dirty';
import * as odSetBased from './20261208000201_od_set_based';
import * as importFanOut from './20261208000401_import_fan_out';
import * as stations from './20261208000501_stations';
import * as dailyReportRecompute from './20261208000600_daily_report_recompute';
import * as zoneStatsPacked from './20261209010100_zone_stats_packed';
import * as hubVehicleChanges from './20261209020101_hub_vehicle_changes';

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
  '20261207200001_zone_stats': zoneStats,
  '20261207300001_daily_report': dailyReport,
  '20261207400001_od': od,
  '20261207500001_demo_feeds': demoFeeds,
  '20261207700001_feed_realities': feedRealities,
  '20261207800001_demo_history': demoHistory,
  '20261207910001_zone_stats_read_indexes': zoneStatsReadIndexes,
  '20261207910002_od_flows_month_all': odFlowsMonthAll,
  '20261207830001_feed_deletion': feedDeletion,
  '20261207830002_park_event_station': parkEventStation,
  '20261208000100_zone_stats_dirty': zoneStatsDirty,
  '20261208000201_od_set_based': odSetBased,
  '20261208000401_import_fan_out': importFanOut,
  '20261208000501_stations': stations,
  '20261208000600_daily_report_recompute': dailyReportRecompute,
  '20261209010100_zone_stats_packed': zoneStatsPacked,
  '20261209020101_hub_vehicle_changes': hubVehicleChanges,
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
