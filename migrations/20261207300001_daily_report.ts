import type { Knex } from 'knex';

const FORM_FACTORS = `('BICYCLE', 'CARGO_BICYCLE', 'MOPED', 'SCOOTER_STANDING', 'SCOOTER_SEATED', 'CAR', 'OTHER')`;

/**
 * Zones a city reports on can be retired (a re-import no longer lists them) without losing their
 * history; schedules can follow a cron expression in a time zone and be asked to run now; the
 * nightly report's rows per zone x operator x form factor x day, and the days it has computed.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('zones', (t) => {
    t.timestamp('retired_at', { useTz: true });
  });

  await knex.schema.alterTable('job_schedules', (t) => {
    t.text('description');
    // When set, the schedule follows this 5-field cron expression in time_zone; interval_ms is kept
    // for when the cron expression is removed again.
    t.text('cron');
    t.text('time_zone').notNullable().defaultTo('Europe/Amsterdam');
    // "Run now": the next scheduling pass enqueues one extra run and clears this.
    t.timestamp('run_requested_at', { useTz: true });
    t.text('changed_by');
  });

  await knex.raw(`
    create table daily_zone_indicators (
      day date not null,
      zone_id uuid not null,
      operator_id text not null,
      form_factor text not null check (form_factor in ${FORM_FACTORS}),
      -- The zone's municipality: with operator_id, what the scope filter uses.
      municipality_code text,
      trips_started integer not null,
      trips_ended integer not null,
      rentals_completed integer not null,
      rental_seconds_total bigint not null,
      vehicles_0330 integer not null,
      vehicles_0800 integer not null,
      vehicles_1030 integer not null,
      vehicles_1400 integer not null,
      vehicles_1700 integer not null,
      vehicles_2100 integer not null,
      parked_1d integer not null,
      parked_3d integer not null,
      parked_7d integer not null,
      parked_14d integer not null,
      non_operational_24h integer not null,
      non_operational_7d integer not null,
      primary key (zone_id, day, operator_id, form_factor)
    );
    create index daily_zone_indicators_day on daily_zone_indicators (day);
    -- What is parked (or broken) at a moment: open rows by start time, closed ones by end_time.
    create index park_events_open on park_events (start_time) where end_time is null;
    create index non_operational_periods_open on non_operational_periods (start_time)
      where end_time is null;
    create table daily_report_days (
      day date primary key,
      time_zone text not null,
      rows integer not null,
      computed_at timestamptz not null default now()
    );`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index park_events_open');
  await knex.raw('drop index non_operational_periods_open');
  await knex.schema.dropTable('daily_report_days');
  await knex.schema.dropTable('daily_zone_indicators');
  await knex.schema.alterTable('job_schedules', (t) => {
    t.dropColumn('description');
    t.dropColumn('cron');
    t.dropColumn('time_zone');
    t.dropColumn('run_requested_at');
    t.dropColumn('changed_by');
  });
  await knex.schema.alterTable('zones', (t) => {
    t.dropColumn('retired_at');
  });
}
