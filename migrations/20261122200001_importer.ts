import type { Knex } from 'knex';
import {
  FEED_TYPES as FEED_TYPE_LIST,
  PARK_END_REASONS as PARK_END_REASON_LIST,
} from '../lib/domain/fleet';
import { FORM_FACTORS as FORM_FACTOR_LIST } from '../lib/domain/formFactors';
import { PARTITIONED_TABLES } from '../lib/sql/partitions';
import { quotedList } from '../lib/sql/values';

const FORM_FACTORS = `(${quotedList(FORM_FACTOR_LIST)})`;
const FEED_TYPES = `(${quotedList(FEED_TYPE_LIST)})`;
const PARK_END_REASONS = `(${quotedList(PARK_END_REASON_LIST)})`;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('operators', (t) => {
    t.text('id').primary();
    t.text('name').notNullable();
    // What the operator's feed calls its system (GBFS system_information.name), kept up to date.
    t.text('system_name');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    `alter table operators add constraint operators_id_check check (id ~ '^[a-z0-9_-]+$')`,
  );

  // Registered from the feeds (GBFS vehicle_types, MDS vehicles) as the importer reads them.
  await knex.schema.createTable('vehicle_types', (t) => {
    t.text('operator_id').notNullable().references('operators.id').onDelete('CASCADE');
    t.text('id').notNullable();
    t.text('form_factor').notNullable();
    t.text('propulsion_type').notNullable();
    t.text('name');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['operator_id', 'id']);
  });
  await knex.raw(
    `alter table vehicle_types add constraint vehicle_types_form_factor_check
       check (form_factor in ${FORM_FACTORS})`,
  );

  await knex.schema.createTable('feeds', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('operator_id').notNullable().references('operators.id');
    t.text('url').notNullable();
    t.text('type').notNullable();
    // As given by the administrator, secrets included (header value, OAuth client secret): the
    // importer needs them in clear. The API returns `auth.type` only, never this column.
    t.jsonb('auth').notNullable().defaultTo(knex.raw(`'{"type":"NONE"}'::jsonb`));
    t.text('default_form_factor');
    t.text('default_vehicle_type_id');
    t.boolean('active').notNullable().defaultTo(true);
    t.boolean('rotating_ids').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['operator_id', 'type', 'url']);
    t.index(['active']);
  });
  await knex.raw(`alter table feeds add constraint feeds_type_check check (type in ${FEED_TYPES})`);
  await knex.raw(
    `alter table feeds add constraint feeds_auth_check
       check (auth->>'type' in ('NONE', 'HEADER', 'OAUTH2_CLIENT_CREDENTIALS'))`,
  );
  await knex.raw(
    `alter table feeds add constraint feeds_default_form_factor_check
       check (default_form_factor in ${FORM_FACTORS})`,
  );

  // The latest outcome of reading each feed: what the feed-health API shows.
  await knex.schema.createTable('feed_health', (t) => {
    t.uuid('feed_id').primary().references('feeds.id').onDelete('CASCADE');
    t.text('status').notNullable();
    t.timestamp('last_success_at', { useTz: true });
    t.timestamp('last_error_at', { useTz: true });
    t.text('last_error_kind');
    t.text('last_error_message');
    // JSON path of the offending value (data.bikes[3].lat), when the error has one.
    t.text('last_error_path');
    t.text('last_error_url');
    t.integer('consecutive_failures').notNullable().defaultTo(0);
    t.integer('vehicles_in_last_snapshot');
    t.integer('last_duration_ms');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    `alter table feed_health add constraint feed_health_status_check check (status in ('OK', 'DOWN'))`,
  );

  // Downtime periods: opened by the first failed read (or vehicle drop), closed by the next success.
  await knex.schema.createTable('feed_outages', (t) => {
    t.bigIncrements('id');
    t.uuid('feed_id').notNullable().references('feeds.id').onDelete('CASCADE');
    t.timestamp('started_at', { useTz: true }).notNullable();
    t.timestamp('ended_at', { useTz: true });
    t.text('reason').notNullable();
    t.text('message');
    t.text('path');
    t.index(['feed_id', 'started_at']);
  });
  await knex.raw(
    `create unique index feed_outages_one_open on feed_outages (feed_id) where ended_at is null`,
  );

  // The importer's bookkeeping per feed. `version` is bumped by every commit: a process whose
  // in-memory state was built from another version reloads it instead of writing events twice.
  await knex.schema.createTable('feed_import_state', (t) => {
    t.uuid('feed_id').primary().references('feeds.id').onDelete('CASCADE');
    t.bigInteger('version').notNullable().defaultTo(0);
    t.timestamp('last_snapshot_at', { useTz: true });
    t.timestamp('last_feed_updated_at', { useTz: true });
    t.text('zone_version');
    t.timestamp('low_count_since', { useTz: true });
    // MDS /trips: every hour before this one has been imported.
    t.timestamp('mds_trips_until', { useTz: true });
  });

  // The current snapshot of every feed (rows with gone_at set are vehicles on a trip or just gone,
  // kept for the reappearance and trip rules). Other processes read `vehicles_now`.
  await knex.raw(`
    create table vehicle_state (
      feed_id uuid not null references feeds (id) on delete cascade,
      vehicle_id text not null,
      operator_id text not null,
      lat double precision not null,
      lng double precision not null,
      h3_cell text not null,
      zone_ids uuid[] not null,
      municipality_code text,
      form_factor text not null,
      vehicle_type_id text,
      is_reserved boolean not null,
      is_disabled boolean not null,
      last_reported_at timestamptz,
      park_event_id uuid,
      park_start timestamptz,
      park_lat double precision,
      park_lng double precision,
      non_op_id uuid,
      non_op_start timestamptz,
      gone_at timestamptz,
      gone_reason text,
      rental_id uuid,
      rental_start timestamptz,
      rental_kind text,
      updated_at timestamptz not null default now(),
      primary key (feed_id, vehicle_id)
    )`);
  await knex.raw(`
    create index vehicle_state_now_municipality on vehicle_state (municipality_code, form_factor)
      where gone_at is null;
    create index vehicle_state_now_operator on vehicle_state (operator_id, form_factor)
      where gone_at is null;
    create index vehicle_state_now_zones on vehicle_state using gin (zone_ids) where gone_at is null;
    create index vehicle_state_now_position on vehicle_state (lat, lng) where gone_at is null;
    create index vehicle_state_now_h3 on vehicle_state (h3_cell) where gone_at is null;
    create view vehicles_now as
      select v.feed_id, v.vehicle_id, v.operator_id, v.lat, v.lng, v.h3_cell, v.zone_ids,
             v.municipality_code, v.form_factor, v.vehicle_type_id, v.is_reserved, v.is_disabled,
             v.last_reported_at, v.park_event_id, v.park_start as parked_since,
             s.last_snapshot_at as seen_at
        from vehicle_state v
        join feeds f on f.id = v.feed_id and f.active
        left join feed_import_state s on s.feed_id = v.feed_id
       where v.gone_at is null`);

  await knex.raw(`
    create table park_events (
      id uuid not null,
      feed_id uuid not null,
      operator_id text not null,
      vehicle_id text not null,
      form_factor text not null,
      vehicle_type_id text,
      lat double precision not null,
      lng double precision not null,
      h3_cell text not null,
      zone_ids uuid[] not null,
      municipality_code text,
      start_time timestamptz not null,
      end_time timestamptz,
      end_reason text check (end_reason in ${PARK_END_REASONS}),
      primary key (id, start_time)
    ) partition by range (start_time);
    create index park_events_municipality on park_events (municipality_code, start_time);
    create index park_events_operator on park_events (operator_id, start_time);
    create index park_events_zones on park_events using gin (zone_ids);
    create index park_events_end on park_events (end_time);`);

  await knex.raw(`
    create table trips (
      id uuid not null,
      feed_id uuid not null,
      operator_id text not null,
      vehicle_id text,
      form_factor text not null,
      vehicle_type_id text,
      source text not null check (source in ('INFERRED', 'MDS_EXACT')),
      external_id text,
      status text not null
        check (status in ('OPEN', 'COMPLETED', 'CANCELLED', 'EXPIRED', 'SUPERSEDED')),
      start_time timestamptz not null,
      end_time timestamptz,
      start_lat double precision not null,
      start_lng double precision not null,
      end_lat double precision,
      end_lng double precision,
      start_h3_cell text not null,
      end_h3_cell text,
      start_zone_ids uuid[] not null,
      end_zone_ids uuid[],
      municipality_code text,
      end_municipality_code text,
      distance_meters integer,
      primary key (id, start_time)
    ) partition by range (start_time);
    create index trips_municipality on trips (municipality_code, start_time);
    create index trips_end_municipality on trips (end_municipality_code, end_time);
    create index trips_operator on trips (operator_id, start_time);
    create index trips_start_zones on trips using gin (start_zone_ids);
    create index trips_end_zones on trips using gin (end_zone_ids);
    create index trips_vehicle on trips (feed_id, vehicle_id, start_time);`);

  await knex.raw(`
    create table rentals (
      id uuid not null,
      feed_id uuid not null,
      operator_id text not null,
      vehicle_id text not null,
      form_factor text not null,
      vehicle_type_id text,
      kind text not null check (kind in ('START', 'END')),
      at timestamptz not null,
      lat double precision not null,
      lng double precision not null,
      h3_cell text not null,
      zone_ids uuid[] not null,
      municipality_code text,
      primary key (id, at)
    ) partition by range (at);
    create index rentals_municipality on rentals (municipality_code, at);
    create index rentals_operator on rentals (operator_id, at);
    create index rentals_zones on rentals using gin (zone_ids);`);

  await knex.raw(`
    create table non_operational_periods (
      id uuid not null,
      feed_id uuid not null,
      operator_id text not null,
      vehicle_id text not null,
      form_factor text not null,
      vehicle_type_id text,
      lat double precision not null,
      lng double precision not null,
      zone_ids uuid[] not null,
      municipality_code text,
      start_time timestamptz not null,
      end_time timestamptz,
      primary key (id, start_time)
    ) partition by range (start_time);
    create index non_operational_periods_municipality
      on non_operational_periods (municipality_code, start_time);
    create index non_operational_periods_operator on non_operational_periods (operator_id, start_time);
    create index non_operational_periods_end on non_operational_periods (end_time);`);

  // Creates the monthly partitions (UTC months) of `parent` from `first_month` on; safe to call
  // from several processes at once. Called by the migration, the importer before it writes into a
  // month, and the daily maintain_partitions job for the months ahead.
  await knex.raw(`
    create function ensure_monthly_partitions(parent text, first_month timestamptz, months integer)
    returns integer language plpgsql as $$
    declare
      month_utc timestamp := date_trunc('month', first_month at time zone 'UTC');
      partition_name text;
      created integer := 0;
    begin
      perform pg_advisory_xact_lock(hashtext('ensure_monthly_partitions:' || parent));
      for i in 0 .. months - 1 loop
        partition_name := parent || '_p' || to_char(month_utc + make_interval(months => i), 'YYYYMM');
        if to_regclass(partition_name) is null then
          execute format('create table %I partition of %I for values from (%L) to (%L)',
            partition_name, parent,
            (month_utc + make_interval(months => i)) at time zone 'UTC',
            (month_utc + make_interval(months => i + 1)) at time zone 'UTC');
          created := created + 1;
        end if;
      end loop;
      return created;
    end
    $$`);
  for (const table of PARTITIONED_TABLES) {
    await knex.raw(`select ensure_monthly_partitions(?, now() - interval '1 month', 4)`, [table]);
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop view vehicles_now');
  for (const table of [
    ...PARTITIONED_TABLES,
    'vehicle_state',
    'feed_import_state',
    'feed_outages',
    'feed_health',
    'feeds',
    'vehicle_types',
    'operators',
  ]) {
    await knex.schema.dropTable(table);
  }
  await knex.raw('drop function ensure_monthly_partitions(text, timestamptz, integer)');
}
