import type { Config } from '../../lib/config';
import type { Db } from '../../lib/db';
import { HOUR } from '../../lib/units';
import type { JobDefinition } from '../types';

export interface RetentionSettings {
  /** Run history (`job_runs`) older than this is deleted. */
  jobRunsDays: number;
  /** Hub status changes (`hub_status_history`) older than this are deleted. */
  hubStatusHistoryDays: number;
  /** Audit entries (`audit_log`) older than this are deleted. */
  auditLogDays: number;
  /** Feed outages (`feed_outages`) that ended longer ago than this are deleted. */
  feedOutagesDays: number;
}

export function retentionSettings(config: Config): RetentionSettings {
  return {
    jobRunsDays: config.JOB_RUNS_RETENTION_DAYS,
    hubStatusHistoryDays: config.HUB_STATUS_HISTORY_RETENTION_DAYS,
    auditLogDays: config.AUDIT_LOG_RETENTION_DAYS,
    feedOutagesDays: config.FEED_OUTAGES_RETENTION_DAYS,
  };
}

/** Deletes in batches so a large backlog never holds long locks. */
const BATCH = 10_000;

async function pruneBefore(
  db: Db,
  table: string,
  column: string,
  cutoff: Date,
  keep: string,
): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await db.raw<{ rowCount: number }>(
      `delete from ?? where id in (select id from ?? where ?? < ? ${keep} limit ${BATCH})`,
      [table, table, column, cutoff],
    );
    total += result.rowCount;
    if (result.rowCount < BATCH) return total;
  }
}

/**
 * `prune_history`: daily, enforces the retention of every history table that grows without end:
 * the run history, hub status history, the audit log and feed outages. Runs still in progress are
 * kept whatever their age; so is each hub's latest status change and every outage still open.
 * Retention follows the process's *_RETENTION_DAYS configuration (from the job context).
 */
export const pruneHistory: JobDefinition = {
  task: 'prune_history',
  description:
    'Delete job_runs, hub_status_history, audit_log and feed_outages rows older than their retention',
  defaultIntervalMs: 24 * HOUR,
  maxAttempts: 3,
  async run({ db, tickAt, config }) {
    const settings = retentionSettings(config);
    const now = (tickAt ?? new Date()).getTime();
    const day = 24 * HOUR;
    const runs = await pruneBefore(
      db,
      'job_runs',
      'started_at',
      new Date(now - settings.jobRunsDays * day),
      `and status <> 'running'`,
    );
    const hubs = await pruneBefore(
      db,
      'hub_status_history',
      'at',
      new Date(now - settings.hubStatusHistoryDays * day),
      `and id not in (select max(id) from hub_status_history group by hub_id, form_factor)`,
    );
    const audit = await pruneBefore(
      db,
      'audit_log',
      'at',
      new Date(now - settings.auditLogDays * day),
      '',
    );
    const outages = await pruneBefore(
      db,
      'feed_outages',
      'ended_at',
      new Date(now - settings.feedOutagesDays * day),
      '',
    );
    return { rows: runs + hubs + audit + outages };
  },
};
