import type { Db } from '../../lib/db';
import { HOUR } from '../../lib/units';
import type { SeriesTable } from './compute';
import type { PackedTable } from './packed';

const DAY_MS = 24 * HOUR;

export interface SeriesRetention {
  fiveMinuteDays: number;
  hourDays: number;
  /** Undefined: daily rows are kept. */
  dayDays: number | undefined;
}

const RESOLUTIONS: {
  table: SeriesTable;
  resolution: '5m' | 'hour' | 'day';
  days: keyof SeriesRetention;
}[] = [
  { table: 'zone_stats_5m', resolution: '5m', days: 'fiveMinuteDays' },
  { table: 'zone_stats_hour', resolution: 'hour', days: 'hourDays' },
  { table: 'zone_stats_day', resolution: 'day', days: 'dayDays' },
];

/** The packed rows made of each resolution's rows go with them (jobs/zoneStats/packed.ts). */
const PACKED: Partial<Record<'5m' | 'hour' | 'day', { table: PackedTable; period: string }>> = {
  '5m': { table: 'zone_stats_15m_packed', period: '1 day' },
  day: { table: 'zone_stats_day_packed', period: '32 days' },
};

/**
 * Drops the monthly partitions that lie wholly before each resolution's cutoff and deletes the
 * older rows of the partition the cutoff falls in, with their coverage rows and the packed
 * periods made of them. Returns the rows and
 * partitions removed. Running it twice removes nothing more.
 */
export async function enforceRetention(
  db: Db,
  retention: SeriesRetention,
  nowMs: number,
): Promise<number> {
  let removed = 0;
  for (const { table, resolution, days } of RESOLUTIONS) {
    const keepDays = retention[days];
    if (keepDays === undefined) continue;
    const cutoff = new Date(nowMs - keepDays * DAY_MS);
    const { rows: partitions } = await db.raw<{ rows: { name: string; upper: Date }[] }>(
      `select c.relname as name,
              (to_date(substring(c.relname from '_p([0-9]{6})$'), 'YYYYMM') + interval '1 month')
                ::timestamp at time zone 'UTC' as upper
         from pg_inherits i
         join pg_class c on c.oid = i.inhrelid
         join pg_class p on p.oid = i.inhparent
        where p.relname = ? and c.relname ~ '_p[0-9]{6}$'`,
      [table],
    );
    for (const partition of partitions) {
      if (partition.upper.getTime() <= cutoff.getTime()) {
        await db.raw('drop table if exists ??', [partition.name]);
        removed += 1;
      }
    }
    removed += await db(table).where('bucket_start', '<', cutoff).delete();
    removed += await db('zone_stats_coverage')
      .where({ resolution })
      .andWhere('bucket_start', '<', cutoff)
      .delete();
    const packed = PACKED[resolution];
    if (packed) {
      // Periods wholly before the cutoff (a day's slots start within a day of the period, a
      // month's within 31 days); a slot before it in a period kept has no coverage: null.
      removed += await db(packed.table)
        .whereRaw(`bucket_start + ?::interval <= ?`, [packed.period, cutoff])
        .delete();
    }
  }
  return removed;
}
