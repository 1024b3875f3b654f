import type { Knex } from 'knex';

import { ZONE_KINDS } from '../lib/domain/zones';
import { quotedList } from '../lib/sql/values';

const KINDS_WITHOUT_HUB = `(${quotedList(ZONE_KINDS.filter((kind) => kind !== 'HUB'))})`;
const KINDS_WITH_HUB = `(${quotedList(ZONE_KINDS)})`;

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
