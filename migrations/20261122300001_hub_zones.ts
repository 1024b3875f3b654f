import type { Knex } from 'knex';

const KINDS_WITHOUT_HUB = `('MUNICIPALITY', 'DISTRICT', 'NEIGHBOURHOOD', 'CUSTOM')`;
const KINDS_WITH_HUB = `('MUNICIPALITY', 'DISTRICT', 'NEIGHBOURHOOD', 'CUSTOM', 'HUB')`;

/** A microhub's area is a zone of kind HUB (its polygon, or the circle around a point hub). */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table zones drop constraint zones_kind_check');
  await knex.raw(
    `alter table zones add constraint zones_kind_check check (kind in ${KINDS_WITH_HUB})`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex('zones').where({ kind: 'HUB' }).delete();
  await knex.raw('alter table zones drop constraint zones_kind_check');
  await knex.raw(
    `alter table zones add constraint zones_kind_check check (kind in ${KINDS_WITHOUT_HUB})`,
  );
}
