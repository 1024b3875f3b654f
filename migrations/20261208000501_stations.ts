import type { Knex } from 'knex';

/**
 * Station-based systems (docked bike share: GBFS station_information + station_status).
 * `stations` holds each station as last read (where, capacity, zones, current status);
 * `station_status_events` one row each time a station's status changed (and when it left or came
 * back to the feed), so its state at any instant is its last row at or before it: the station
 * series are built from these rows. Both carry operator_id and municipality_code for the scope
 * rule, like vehicles.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table stations (
      feed_id uuid not null references feeds (id) on delete cascade,
      station_id text not null,
      operator_id text not null references operators (id),
      name text,
      lat double precision not null,
      lng double precision not null,
      capacity integer,
      zone_ids uuid[] not null default '{}',
      municipality_code text,
      is_installed boolean not null,
      is_renting boolean not null,
      is_returning boolean not null,
      vehicles_available integer not null,
      docks_available integer,
      form_factors jsonb not null default '{}',
      last_reported_at timestamptz,
      status_since timestamptz not null,
      first_seen_at timestamptz not null,
      seen_at timestamptz not null,
      gone_at timestamptz,
      primary key (feed_id, station_id)
    )`);
  await knex.raw('create index stations_zones on stations using gin (zone_ids)');
  await knex.raw('create index stations_municipality on stations (municipality_code)');
  await knex.raw('create index stations_operator on stations (operator_id)');
  await knex.raw(`
    create table station_status_events (
      feed_id uuid not null,
      station_id text not null,
      operator_id text not null,
      at timestamptz not null,
      zone_ids uuid[] not null default '{}',
      municipality_code text,
      listed boolean not null,
      is_installed boolean not null,
      is_renting boolean not null,
      is_returning boolean not null,
      vehicles_available integer not null,
      docks_available integer,
      form_factors jsonb not null default '{}',
      primary key (feed_id, station_id, at)
    ) partition by range (at)`);
  await knex.raw(
    `select ensure_monthly_partitions('station_status_events', now() - interval '1 month', 4)`,
  );
  await knex.raw('alter table feed_health add column stations_in_last_snapshot integer');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table feed_health drop column stations_in_last_snapshot');
  await knex.raw('drop table station_status_events');
  await knex.raw('drop table stations');
}
