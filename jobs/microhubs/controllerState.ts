import type { Db } from '../../lib/db';

/**
 * The controller's own row (`hub_controller_state`): when it last counted, and which import tick
 * it last followed.
 */
export function createControllerState(db: Db) {
  return {
    /** The controller's last count, for the feeds' `last_updated`. */
    async recordTick(report: {
      at: Date;
      hubs: number;
      vehicles: number;
      durationMs: number;
    }): Promise<void> {
      await db('hub_controller_state')
        .where({ id: true })
        .update({
          last_tick_at: db.raw('greatest(last_tick_at, ?::timestamptz)', [report.at]),
          hubs: report.hubs,
          vehicles: report.vehicles,
          duration_ms: report.durationMs,
        });
    },

    /**
     * Called by every jobs process that hears an import tick end: exactly one of them claims that
     * import and makes the controller's schedule due now, so the new positions are counted at once
     * rather than at the next 30-second slot. Returns whether this call claimed it.
     */
    async triggerAfterImport(importAt: Date, task: string): Promise<boolean> {
      const result = await db.raw<{ rows: { claimed: boolean }[] }>(
        `with claim as (
           update hub_controller_state set last_import_at = ?
            where id and (last_import_at is null or last_import_at < ?)
           returning true as claimed
         ), due as (
           update job_schedules set next_run_at = now()
            where task = ? and enabled and next_run_at > now() and exists (select 1 from claim)
           returning 1
         )
         select exists (select 1 from claim) as claimed, (select count(*) from due) as due`,
        [importAt, importAt, task],
      );
      return result.rows[0]?.claimed ?? false;
    },
  };
}
