import type { Knex } from 'knex';

/**
 * Zone time series (jobs/zoneStats). `zone_stats_5m` holds one row per zone x 5-minute tick x
 * grouping level (operator and form factor each a value or '*' for all) with anything to count
 * (absent rows are zeros, for ticks that were computed). `zone_stats_hour` and `zone_stats_day`
 * (days in ZONE_STATS_TIME_ZONE) roll those up keeping sum, min and max, so MIN / MAX / AVG stay
 * exact at every resolution. `zone_stats_coverage` says which
 * buckets were computed and from how many ticks: it tells a zero from a bucket never measured.
 */
const SERIES_TABLES = ['zone_stats_5m', 'zone_stats_hour', 'zone_stats_day'];

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table zone_stats_5m (
      bucket_start timestamptz not null,
      zone_id uuid not null,
      operator_id text not null,
      form_factor text not null,
      -- The zone's municipality: who sees the row (with operator_id), as for park events.
      municipality_code text,
      available integer not null,
      unavailable integer not null,
      started integer not null,
      ended integer not null,
      primary key (zone_id, operator_id, form_factor, bucket_start)
    ) partition by range (bucket_start)`);

  for (const table of ['zone_stats_hour', 'zone_stats_day']) {
    await knex.raw(`
      create table ${table} (
        bucket_start timestamptz not null,
        zone_id uuid not null,
        -- '*': all operators (form factors) together.
        operator_id text not null,
        form_factor text not null,
        municipality_code text,
        available_sum bigint not null,
        available_min integer not null,
        available_max integer not null,
        unavailable_sum bigint not null,
        unavailable_min integer not null,
        unavailable_max integer not null,
        total_min integer not null,
        total_max integer not null,
        started integer not null,
        ended integer not null,
        primary key (zone_id, operator_id, form_factor, bucket_start)
      ) partition by range (bucket_start)`);
  }

  // The job recomputes and the retention job deletes by time range, across zones.
  for (const table of SERIES_TABLES) {
    await knex.raw(`create index ${table}_bucket_start on ${table} (bucket_start)`);
  }

  await knex.raw(`
    create table zone_stats_coverage (
      resolution text not null check (resolution in ('5m', 'hour', 'day')),
      bucket_start timestamptz not null,
      -- 5-minute ticks computed in the bucket (1 for a '5m' row).
      ticks integer not null check (ticks > 0),
      computed_at timestamptz not null default now(),
      primary key (resolution, bucket_start)
    )`);

  // Trips are found by the end of their window too (trips ended), across start partitions.
  await knex.raw('create index trips_end_time on trips (end_time)');
  await knex.raw('create index rentals_at on rentals (at)');

  for (const table of SERIES_TABLES) {
    await knex.raw(`select ensure_monthly_partitions(?, now() - interval '1 month', 4)`, [table]);
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index rentals_at');
  await knex.raw('drop index trips_end_time');
  await knex.schema.dropTable('zone_stats_coverage');
  for (const table of SERIES_TABLES) await knex.schema.dropTable(table);
}
