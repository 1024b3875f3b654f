import type { Db } from '../db';

/** The importer's time-series tables, each partitioned by UTC month on its time column. */
export const PARTITIONED_TABLES = [
  'park_events',
  'trips',
  'rentals',
  'non_operational_periods',
] as const;
/** Station history, partitioned the same way (created by a later migration than the above). */
export const STATION_TABLES = ['station_status_events'] as const;
export type PartitionedTable =
  (typeof PARTITIONED_TABLES)[number] | (typeof STATION_TABLES)[number];

function monthStartUtc(time: Date): number {
  return Date.UTC(time.getUTCFullYear(), time.getUTCMonth(), 1);
}

/** Creates `months` monthly partitions of `table` from the month of `from` on; returns how many. */
export async function ensureMonthlyPartitions(
  db: Db,
  table: PartitionedTable,
  from: Date,
  months: number,
): Promise<number> {
  const { rows } = await db.raw<{ rows: { created: number }[] }>(
    'select ensure_monthly_partitions(?, ?, ?) as created',
    [table, from, months],
  );
  return rows[0]?.created ?? 0;
}

/**
 * Makes sure a partition exists before a row is written into its month. Remembers the months it
 * has seen, so this costs a query once per table and month per process; the daily
 * `maintain_partitions` job creates the coming months ahead of time anyway.
 */
export class PartitionKeeper {
  private readonly ensured = new Set<string>();

  constructor(private readonly db: Db) {}

  async ensure(tables: readonly PartitionedTable[], times: Iterable<Date>): Promise<void> {
    const months = new Set<number>();
    for (const time of times) months.add(monthStartUtc(time));
    for (const table of tables) {
      for (const month of months) {
        const key = `${table}@${month}`;
        if (this.ensured.has(key)) continue;
        await ensureMonthlyPartitions(this.db, table, new Date(month), 1);
        this.ensured.add(key);
      }
    }
  }
}
