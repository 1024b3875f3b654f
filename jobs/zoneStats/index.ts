import type { Config } from '../../lib/config';
import { HOUR, MINUTE } from '../../lib/units';
import type { JobDefinition } from '../types';
import { runZoneStats, type ZoneStatsSettings } from './compute';
import { runRequestedRecounts } from './recounts';
import { enforceRetention, type SeriesRetention } from './retention';

export interface ZoneStatsJobSettings extends ZoneStatsSettings {
  retention: SeriesRetention;
}

export function zoneStatsSettings(config: Config): ZoneStatsJobSettings {
  return {
    recountMs: config.ZONE_STATS_RECOUNT_MS,
    maxCatchupMs: config.ZONE_STATS_MAX_CATCHUP_MS,
    timeZone: config.ZONE_STATS_TIME_ZONE,
    retention: {
      fiveMinuteDays: config.ZONE_STATS_RETENTION_5M_DAYS,
      hourDays: config.ZONE_STATS_RETENTION_HOUR_DAYS,
      dayDays: config.ZONE_STATS_RETENTION_DAY_DAYS,
    },
  };
}

export interface ZoneStatsJobOptions {
  /** Default: the ZONE_STATS_* settings of the process's configuration. */
  settings?: ZoneStatsJobSettings;
  now?: () => Date;
}

/**
 * `zone_stats`: every 5 minutes, counts every zone's parked vehicles and trips per operator and
 * form factor (jobs/zoneStats/compute.ts): the ticks since the last computed one (a gap filled),
 * the past windows whose events changed (zone_stats_dirty, back to ZONE_STATS_RECOUNT_MS), then
 * the periods asked for in zone_stats_recounts.
 */
export function createZoneStatsJob(options: ZoneStatsJobOptions = {}): JobDefinition {
  let settings = options.settings;
  return {
    task: 'zone_stats',
    description: 'Count parked vehicles and trips per zone, operator and form factor every 5 min',
    defaultIntervalMs: 5 * MINUTE,
    maxAttempts: 3,
    async run({ db, logger, tickAt, config }) {
      settings ??= zoneStatsSettings(config);
      const now = options.now?.() ?? tickAt ?? new Date();
      const result = await runZoneStats(db, settings, now.getTime());
      logger.debug(
        { from: new Date(result.fromTick), to: new Date(result.toTick), rows: result.rows },
        'zone stats computed',
      );
      // Periods whose events changed after the fact (a purged feed): recounted in turn.
      const recounted = await runRequestedRecounts(
        db,
        settings.timeZone,
        settings.maxCatchupMs,
        now.getTime(),
      );
      return { rows: result.rows + recounted };
    },
  };
}

/** `zone_stats_retention`: daily, removes series rows older than each resolution's retention. */
export function createZoneStatsRetentionJob(options: ZoneStatsJobOptions = {}): JobDefinition {
  let settings = options.settings;
  return {
    task: 'zone_stats_retention',
    description: 'Drop zone series older than ZONE_STATS_RETENTION_* (5-minute, hourly, daily)',
    defaultIntervalMs: 24 * HOUR,
    maxAttempts: 3,
    async run({ db, tickAt, config }) {
      settings ??= zoneStatsSettings(config);
      const now = options.now?.() ?? tickAt ?? new Date();
      return { rows: await enforceRetention(db, settings.retention, now.getTime()) };
    },
  };
}

export const zoneStats = createZoneStatsJob();
export const zoneStatsRetention = createZoneStatsRetentionJob();
