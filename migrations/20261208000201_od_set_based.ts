import type { Knex } from 'knex';

/**
 * `od_h3_parent(cell, resolution)`: the parent of an H3 cell (as h3-js `cellToParent`), so that
 * the od_matrix job can count a batch of blocks in one SQL statement instead of reading every
 * trip into Node. An H3 index is 64 bits: the resolution in bits 52-55, then one 3-bit digit per
 * resolution 1..15 (resolution r at bit (15 - r) * 3); a parent has the coarser resolution and the
 * digits below it all 7 (unused). No extension: the same SQL runs on any PostgreSQL 14+.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create function od_h3_parent(cell text, resolution integer) returns text
      language sql immutable strict parallel safe
      return to_hex(
        (('x' || lpad(cell, 16, '0'))::bit(64)::bigint & ~(15::bigint << 52))
        | (resolution::bigint << 52)
        | ((1::bigint << ((15 - resolution) * 3)) - 1));`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop function od_h3_parent(text, integer)');
}
