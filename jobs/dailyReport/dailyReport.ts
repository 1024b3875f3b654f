import type { Config } from '../../lib/config';
import type { Db } from '../../lib/db';
import { HOUR } from '../../lib/units';
import type { JobDefinition } from '../types';
import { addDays, daysBetween, isDay, localDay, type Day } from '../../lib/domain/calendar';
import { computeDailyReport } from './compute';

export interface DailyReportSettings {
  /** The report's calendar days and measurement moments are in this time zone. */
  timeZone: string;
  /** Each run recomputes this many days before the run's own day (late trips land). */
  recomputeDays: number;
  /** After an outage, at most this many missed days are caught up by one run. */
  maxCatchUpDays: number;
}

export function dailyReportSettings(config: Config): DailyReportSettings {
  return {
    timeZone: config.DAILY_REPORT_TIME_ZONE,
    recomputeDays: config.DAILY_REPORT_RECOMPUTE_DAYS,
    maxCatchUpDays: config.DAILY_REPORT_MAX_CATCH_UP_DAYS,
  };
}

/**
 * The days a run at `tickAt` computes: the last `recomputeDays` days before the local day of
 * `tickAt`, every day since the last computed one (at most `maxCatchUpDays`), so a runner that
 * was down for a week fills the week in, and the days marked for a recompute (at most
 * `maxCatchUpDays` of them per run, oldest first).
 */
export async function dueDays(db: Db, tickAt: Date, settings: DailyReportSettings): Promise<Day[]> {
  const yesterday = addDays(localDay(tickAt, settings.timeZone), -1);
  let from = addDays(yesterday, 1 - settings.recomputeDays);
  const last = await db('daily_report_days')
    .max<{ day: string | null }>({ day: db.raw(`day::text`) })
    .first();
  const earliest = addDays(yesterday, 1 - settings.maxCatchUpDays);
  if (last?.day && last.day < from)
    from = addDays(last.day, 1) < earliest ? earliest : addDays(last.day, 1);
  const due = daysBetween(from, yesterday);
  // Days whose events changed after they were computed (a purged feed), however old.
  const requested = await db('daily_report_days')
    .whereNotNull('recompute_requested_at')
    .orderBy('day')
    .limit(settings.maxCatchUpDays)
    .select<{ day: string }[]>(db.raw(`day::text as day`));
  return [...new Set([...requested.map((r) => r.day).filter(isDay), ...due])].sort();
}

/**
 * `daily_report`: nightly, after 04:00 local time, the indicators of the days just ended. Its
 * settings are the process's DAILY_REPORT_* configuration (from the job context).
 */
export const dailyReport: JobDefinition = {
  task: 'daily_report',
  description:
    'Per zone x operator x form factor x day: trips, rental durations, vehicles in public space at six moments, long parked and non-operational vehicles',
  defaultIntervalMs: 24 * HOUR,
  defaultCron: '30 4 * * *',
  maxAttempts: 3,
  async run({ db, logger, tickAt, config }) {
    const settings = dailyReportSettings(config);
    let rows = 0;
    for (const day of await dueDays(db, tickAt ?? new Date(), settings)) {
      const written = await computeDailyReport(db, day, settings.timeZone);
      logger.debug({ day, rows: written }, 'daily report computed');
      rows += written;
    }
    return { rows };
  },
};
