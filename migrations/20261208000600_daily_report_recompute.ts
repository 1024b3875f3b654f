import type { Knex } from 'knex';

/**
 * Days of the daily report whose events changed after they were computed (a feed purged): the
 * daily_report job recomputes every day marked here on its next run, whatever its age, and the
 * recompute clears the mark.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table daily_report_days add column recompute_requested_at timestamptz;
    create index daily_report_days_recompute on daily_report_days (day)
      where recompute_requested_at is not null;`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop index daily_report_days_recompute;
    alter table daily_report_days drop column recompute_requested_at;`);
}
