import type { Knex } from 'knex';

/**
 * Deleting a feed (deleteFeed). A deleted feed stays as a tombstone (`deleted_at`, how): the
 * history it recorded may stay attributed to it, the audit log's target still resolves, and demo
 * seeding knows not to register it again. Its URL can be registered again, so the one-feed-per-URL
 * rule holds for live feeds only. A purge asks the zone series of the period it covered to be
 * recounted (`zone_stats_recounts`, consumed by the zone_stats job).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('feeds', (t) => {
    t.timestamp('deleted_at', { useTz: true });
    t.text('deletion_mode');
  });
  await knex.raw(`alter table feeds add constraint feeds_deletion_mode_check
                    check (deletion_mode in ('KEEP_HISTORY', 'PURGE')
                           and deleted_at is not null or deletion_mode is null)`);
  await knex.raw('alter table feeds drop constraint feeds_operator_id_type_url_unique');
  await knex.raw(`create unique index feeds_operator_id_type_url_unique
                    on feeds (operator_id, type, url) where deleted_at is null`);

  await knex.schema.createTable('zone_stats_recounts', (t) => {
    t.bigIncrements('id');
    t.timestamp('from_at', { useTz: true }).notNullable();
    t.timestamp('to_at', { useTz: true }).notNullable();
    t.text('reason').notNullable();
    t.timestamp('requested_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('zone_stats_recounts');
  await knex.raw('delete from feeds where deleted_at is not null');
  await knex.raw('drop index feeds_operator_id_type_url_unique');
  await knex.raw(`alter table feeds add constraint feeds_operator_id_type_url_unique
                    unique (operator_id, type, url)`);
  await knex.raw('alter table feeds drop constraint feeds_deletion_mode_check');
  await knex.schema.alterTable('feeds', (t) => {
    t.dropColumns('deleted_at', 'deletion_mode');
  });
}
