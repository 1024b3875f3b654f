import type { Knex } from 'knex';
import { ZONE_KINDS } from '../lib/domain/zones';
import { quotedList } from '../lib/sql/values';

/** The kinds before hubs became zones (20261122300001_hub_zones adds HUB). */
const KINDS_WITHOUT_HUB = ZONE_KINDS.filter((kind) => kind !== 'HUB');

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('zones', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('code').notNullable();
    t.text('name').notNullable();
    t.text('kind').notNullable();
    t.jsonb('geometry').notNullable();
    // Derived from geometry by the zone refresh job (and at insert by the seed); null until then.
    t.double('min_lng');
    t.double('min_lat');
    t.double('max_lng');
    t.double('max_lat');
    t.double('area_km2');
    t.timestamp('derived_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['kind', 'code']);
    t.index(['kind', 'name', 'id']);
    t.index(['name', 'id']);
  });
  await knex.raw(
    `alter table zones add constraint zones_kind_check
       check (kind in (${quotedList(KINDS_WITHOUT_HUB)}))`,
  );
  await knex.raw(
    `alter table zones add constraint zones_geometry_type_check
       check (geometry->>'type' in ('Polygon', 'MultiPolygon'))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('zones');
}
