import type { Knex } from 'knex';

/**
 * Zone series reads (subgraphs/zones/series.ts) mostly ask for all operators and form factors
 * together: the '*' / '*' rows, one per zone and bucket. Those rows are scattered between the
 * per-operator rows of the same tick, so a year of days for 300 zones touched ~110 000 heap pages.
 * These partial covering indexes hold just that level with every value a read needs, so the read
 * is an index-only scan over a small, dense index (about 2% of the rows).
 */
const VALUES: Record<string, string[]> = {
  zone_stats_5m: ['municipality_code', 'available', 'unavailable', 'started', 'ended'],
  zone_stats_hour: [
    'municipality_code',
    'available_sum',
    'available_min',
    'available_max',
    'unavailable_sum',
    'unavailable_min',
    'unavailable_max',
    'total_min',
    'total_max',
    'started',
    'ended',
  ],
};
VALUES.zone_stats_day = VALUES.zone_stats_hour ?? [];

export async function up(knex: Knex): Promise<void> {
  for (const [table, values] of Object.entries(VALUES)) {
    await knex.raw(
      `create index ${table}_all_levels on ${table} (zone_id, bucket_start)
         include (${values.join(', ')})
         where operator_id = '*' and form_factor = '*'`,
    );
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of Object.keys(VALUES)) await knex.raw(`drop index ${table}_all_levels`);
}
