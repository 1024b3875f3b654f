import type { Knex } from 'knex';
import { OD_LEVELS } from '../lib/domain/od';

const LEVELS = `(${OD_LEVELS.map((l) => `'${l}'`).join(', ')})`;

/**
 * Origin-destination flows, pre-aggregated by the `od_matrix` job (jobs/od/). A row is a published
 * base unit: one block x level x origin x destination x operator x form factor x origin and
 * destination municipality, with at least OD_MIN_COUNT trips. `destination` null: trips without a
 * known end (open trips, rentals of feeds with rotating ids), counted as origins only.
 */
export async function up(knex: Knex): Promise<void> {
  // The job reads one four-hour block at a time: without this, each block scans a whole month.
  // (`rentals (at)` comes with the zone series migration, which runs before this one.)
  await knex.raw('create index trips_start_time on trips (start_time)');
  await knex.raw(`
    create table od_blocks (
      time_zone text not null,
      block_start timestamptz not null,
      block_end timestamptz not null,
      local_date date not null,
      block smallint not null check (block between 0 and 5),
      weekday smallint not null check (weekday between 1 and 7),
      computed_at timestamptz not null,
      computations integer not null default 1,
      -- the next recompute (1, 3, 7 and 30 days after the block ended); null when none is left
      next_due_at timestamptz,
      min_count integer not null,
      -- what the block held when computed: a change (history filled in, late trips) makes it due
      trips integer not null,
      ended integer not null,
      rows integer not null,
      primary key (time_zone, block_start)
    );
    create index od_blocks_due on od_blocks (next_due_at) where next_due_at is not null;

    create table od_flows (
      time_zone text not null,
      block_start timestamptz not null,
      local_date date not null,
      block smallint not null,
      weekday smallint not null,
      level text not null check (level in ${LEVELS}),
      origin text not null,
      destination text,
      operator_id text not null,
      form_factor text not null,
      origin_municipality text,
      destination_municipality text,
      trips integer not null check (trips > 0),
      duration_seconds_sum bigint not null,
      distance_meters_sum bigint not null,
      distance_trips integer not null
    );
    create index od_flows_block on od_flows (time_zone, block_start);
    create index od_flows_origin on od_flows (level, origin, local_date);
    create index od_flows_destination on od_flows (level, destination, local_date);
    create index od_flows_date on od_flows (level, local_date);

    -- The same rows summed per local month, weekday and block: a year is 12 months of these.
    create table od_flows_month (
      time_zone text not null,
      month date not null,
      block smallint not null,
      weekday smallint not null,
      level text not null check (level in ${LEVELS}),
      origin text not null,
      destination text,
      operator_id text not null,
      form_factor text not null,
      origin_municipality text,
      destination_municipality text,
      trips integer not null,
      duration_seconds_sum bigint not null,
      distance_meters_sum bigint not null,
      distance_trips integer not null
    );
    create index od_flows_month_month on od_flows_month (time_zone, month);
    create index od_flows_month_origin on od_flows_month (level, origin, month);
    create index od_flows_month_destination on od_flows_month (level, destination, month);
    create index od_flows_month_level on od_flows_month (level, month);`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(
    'drop table od_flows_month; drop table od_flows; drop table od_blocks; drop index trips_start_time;',
  );
}
