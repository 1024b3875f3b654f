import type { Knex } from 'knex';
import { loadConfig } from '../lib/config';
import { repackWindow } from '../jobs/zoneStats/compute';
import { TICK_MS } from '../lib/time/buckets';

/**
 * Packed series of the all-operators level (jobs/zoneStats/packed.ts): one row per zone and local
 * month of daily slots, and per zone and UTC day of quarter-hour slots, so many-zone reads of a
 * year of days or a week of quarter hours read a few thousand rows. Filled here by the job's own
 * code from the rollups already stored, then kept by the zone_stats job.
 */
const DAY = 24 * 3600 * 1000;

const SLOT_COLUMNS = `
  municipality_code text,
  available_sum bigint[] not null,
  available_min integer[] not null,
  available_max integer[] not null,
  unavailable_sum bigint[] not null,
  unavailable_min integer[] not null,
  unavailable_max integer[] not null,
  total_min integer[] not null,
  total_max integer[] not null,
  started integer[] not null,
  ended integer[] not null`;

async function span(knex: Knex, table: string): Promise<{ first: number; last: number } | null> {
  const { rows } = await knex.raw<{ rows: { first: Date | null; last: Date | null }[] }>(
    `select min(bucket_start) as first, max(bucket_start) as last from ${table}
      where operator_id = '*' and form_factor = '*'`,
  );
  const first = rows[0]?.first;
  const last = rows[0]?.last;
  return first && last ? { first: first.getTime(), last: last.getTime() } : null;
}

export async function up(knex: Knex): Promise<void> {
  for (const [table, period] of [
    ['zone_stats_day_packed', 'local month (ZONE_STATS_TIME_ZONE); slot i: day i + 1'],
    ['zone_stats_15m_packed', 'UTC day; slot i: the quarter hour from i x 15 min'],
  ] as const) {
    await knex.raw(`
      create table ${table} (
        zone_id uuid not null,
        -- The start of the ${period}.
        bucket_start timestamptz not null,
        -- The all-operators level only; the columns let the series scope rule apply as it is.
        operator_id text not null check (operator_id = '*'),
        form_factor text not null check (form_factor = '*'),
        ${SLOT_COLUMNS},
        primary key (zone_id, bucket_start)
      )`);
  }
  const timeZone = loadConfig().ZONE_STATS_TIME_ZONE;
  // The UTC days of the stored 5-minute rows and the months of the stored days, a week at a time.
  const spans = [await span(knex, 'zone_stats_day'), await span(knex, 'zone_stats_5m')];
  const first = Math.min(...spans.map((s) => s?.first ?? Infinity));
  const last = Math.max(...spans.map((s) => s?.last ?? -Infinity));
  for (let d = first; d <= last; d += 7 * DAY) {
    await repackWindow(knex, d, Math.min(last, d + 7 * DAY - TICK_MS), timeZone);
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('zone_stats_15m_packed');
  await knex.schema.dropTable('zone_stats_day_packed');
}
