import type { Knex } from 'knex';

/**
 * What real feeds need (issues 11 and 19): the feed's own time and the importer's notices in feed
 * health, STALE as a health status, vehicles held (partial outage, bad record) with stale
 * positions, quarantined records, vehicles at a station, park starts taken from the feed's
 * `last_reported`, the id mode following the feed's type unless the administrator sets it, and the
 * vehicle_types URL of a feed registered by its vehicle file.
 */
export async function up(knex: Knex): Promise<void> {
  // Null: the id mode follows the feed's type (GBFS rotating, MDS stable).
  await knex.raw(`alter table feeds alter column rotating_ids drop not null,
                                    alter column rotating_ids drop default`);
  await knex.schema.alterTable('feeds', (t) => {
    // A vehicle file registered directly: where its vehicle types are (form factors).
    t.text('vehicle_types_url');
    // The administrator's word that the feed is empty on purpose (a seasonal shutdown).
    t.boolean('expect_empty').notNullable().defaultTo(false);
  });

  await knex.raw(`alter table feed_health drop constraint feed_health_status_check`);
  await knex.raw(`alter table feed_health add constraint feed_health_status_check
                    check (status in ('OK', 'DOWN', 'STALE'))`);
  await knex.schema.alterTable('feed_health', (t) => {
    // The feed's own time, ttl and version, from its last document that could be read.
    t.timestamp('feed_last_updated', { useTz: true });
    t.integer('feed_ttl_seconds');
    t.text('feed_version');
    // What the importer noticed in the last accepted snapshots: [{ kind, message, vehicles, at }].
    t.jsonb('notices').notNullable().defaultTo(knex.raw(`'[]'::jsonb`));
    t.integer('quarantined_vehicles');
    t.integer('unknown_type_vehicles');
    t.integer('station_vehicles');
  });

  await knex.schema.alterTable('feed_import_state', (t) => {
    // Since the last evaluation: ids seen for the first time one by one, and ids back after
    // vanishing. A stable-id feed whose new ids never come back rotates them.
    t.integer('new_ids').notNullable().defaultTo(0);
    t.integer('returned_ids').notNullable().defaultTo(0);
    t.timestamp('rotating_detected_at', { useTz: true });
    // Since when the feed has been listing no vehicle at all.
    t.timestamp('empty_since', { useTz: true });
    // Vehicles vanishing one by one per snapshot (averaged): what a burst is measured against.
    t.double('churn');
  });

  await knex.schema.alterTable('vehicle_state', (t) => {
    t.timestamp('held_since', { useTz: true });
    t.text('held_reason');
    t.text('station_id');
  });
  await knex.raw(`alter table park_events add column start_observed boolean not null default true`);

  // The records of the last accepted snapshot that were left out, with why.
  await knex.schema.createTable('feed_quarantine', (t) => {
    t.uuid('feed_id').notNullable().references('feeds.id').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.text('vehicle_id');
    t.text('path').notNullable();
    t.text('reason').notNullable();
    t.jsonb('record');
    t.timestamp('at', { useTz: true }).notNullable();
    t.primary(['feed_id', 'position']);
  });

  await knex.raw('drop view vehicles_now');
  await knex.raw(`
    create view vehicles_now as
      select v.feed_id, v.vehicle_id, v.operator_id, v.lat, v.lng, v.h3_cell, v.zone_ids,
             v.municipality_code, v.form_factor, v.vehicle_type_id, v.is_reserved, v.is_disabled,
             v.last_reported_at, v.park_event_id, v.park_start as parked_since,
             case when v.held_since is null and coalesce(h.status, 'OK') = 'OK'
                  then s.last_snapshot_at else coalesce(v.held_since, s.last_snapshot_at)
             end as seen_at,
             (v.held_since is not null or coalesce(h.status, 'OK') <> 'OK') as stale,
             v.station_id
        from vehicle_state v
        join feeds f on f.id = v.feed_id and f.active
        left join feed_import_state s on s.feed_id = v.feed_id
        left join feed_health h on h.feed_id = v.feed_id
       where v.gone_at is null`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop view vehicles_now');
  await knex.raw(`
    create view vehicles_now as
      select v.feed_id, v.vehicle_id, v.operator_id, v.lat, v.lng, v.h3_cell, v.zone_ids,
             v.municipality_code, v.form_factor, v.vehicle_type_id, v.is_reserved, v.is_disabled,
             v.last_reported_at, v.park_event_id, v.park_start as parked_since,
             s.last_snapshot_at as seen_at
        from vehicle_state v
        join feeds f on f.id = v.feed_id and f.active
        left join feed_import_state s on s.feed_id = v.feed_id
       where v.gone_at is null`);
  await knex.schema.dropTable('feed_quarantine');
  await knex.raw('alter table park_events drop column start_observed');
  await knex.schema.alterTable('vehicle_state', (t) => {
    t.dropColumns('held_since', 'held_reason', 'station_id');
  });
  await knex.schema.alterTable('feed_import_state', (t) => {
    t.dropColumns('new_ids', 'returned_ids', 'rotating_detected_at', 'empty_since', 'churn');
  });
  await knex.schema.alterTable('feed_health', (t) => {
    t.dropColumns(
      'feed_last_updated',
      'feed_ttl_seconds',
      'feed_version',
      'notices',
      'quarantined_vehicles',
      'unknown_type_vehicles',
      'station_vehicles',
    );
  });
  await knex.raw(`update feed_health set status = 'DOWN' where status = 'STALE'`);
  await knex.raw(`alter table feed_health drop constraint feed_health_status_check`);
  await knex.raw(`alter table feed_health add constraint feed_health_status_check
                    check (status in ('OK', 'DOWN'))`);
  await knex.schema.alterTable('feeds', (t) => {
    t.dropColumns('vehicle_types_url', 'expect_empty');
  });
  await knex.raw(
    `update feeds set rotating_ids = (type <> 'MDS_VEHICLES') where rotating_ids is null`,
  );
  await knex.raw(`alter table feeds alter column rotating_ids set default false,
                                    alter column rotating_ids set not null`);
}
