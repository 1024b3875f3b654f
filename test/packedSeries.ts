import type { Db } from '../lib/db';
import { nextBucket, TICK_MS } from '../lib/time/buckets';
import { SLOT_VALUES } from '../jobs/zoneStats/packed';

/**
 * The packed series (jobs/zoneStats/packed.ts) against a recount in JavaScript: every quarter-hour
 * slot from the stored 5-minute rows of the all-operators level and the 5-minute coverage (sum,
 * min, max; a computed tick without a row counts as zero in the minimum), every day slot equal to
 * the daily row of its local day. Returns the differences (none when both agree).
 */

const QUARTER = 3 * TICK_MS;
const DAY = 24 * 3600 * 1000;

type Slots = Map<string, number[]>;

interface PackedRow {
  zone_id: string;
  bucket_start: Date;
  [column: string]: unknown;
}

/** The non-null slots of a packed table, by zone and slot start, and the slot counts per row. */
async function packedSlots(
  db: Db,
  table: string,
  starts: (period: number) => number[],
): Promise<{ slots: Slots; lengths: string[] }> {
  const rows = await db(table).select<PackedRow[]>('*');
  const slots: Slots = new Map();
  const lengths: string[] = [];
  for (const row of rows) {
    const period = row.bucket_start.getTime();
    const times = starts(period);
    const arrays = SLOT_VALUES.map((v) => row[v] as (string | number | null)[]);
    for (const array of arrays) {
      if (array.length !== times.length) {
        lengths.push(`${table} ${row.zone_id} ${row.bucket_start.toISOString()}: ${array.length}`);
      }
    }
    times.forEach((t, i) => {
      if (arrays[0]?.[i] === null) return;
      slots.set(
        `${row.zone_id}|${t}`,
        arrays.map((a) => Number(a[i])),
      );
    });
  }
  return { slots, lengths };
}

function differences(actual: Slots, expected: Slots, what: string): string[] {
  const out: string[] = [];
  for (const key of new Set([...actual.keys(), ...expected.keys()])) {
    const a = JSON.stringify(actual.get(key) ?? null);
    const e = JSON.stringify(expected.get(key) ?? null);
    if (a !== e) out.push(`${what} ${key}: packed ${a}, expected ${e}`);
  }
  return out;
}

export async function packedSeriesDifferences(db: Db, timeZone: string): Promise<string[]> {
  // Quarter hours from the 5-minute rows.
  const ticks = await db('zone_stats_5m').where({ operator_id: '*', form_factor: '*' }).select<
    {
      zone_id: string;
      bucket_start: Date;
      available: number;
      unavailable: number;
      started: number;
      ended: number;
    }[]
  >('zone_id', 'bucket_start', 'available', 'unavailable', 'started', 'ended');
  const computed = (
    await db('zone_stats_coverage').where({ resolution: '5m' }).pluck('bucket_start')
  ).map((d: Date) => d.getTime());
  const ticksPerQuarter = new Map<number, number>();
  for (const t of computed) {
    const q = t - (t % QUARTER);
    ticksPerQuarter.set(q, (ticksPerQuarter.get(q) ?? 0) + 1);
  }
  const byQuarter = new Map<string, (typeof ticks)[number][]>();
  for (const row of ticks) {
    const t = row.bucket_start.getTime();
    const key = `${row.zone_id}|${t - (t % QUARTER)}`;
    byQuarter.set(key, [...(byQuarter.get(key) ?? []), row]);
  }
  const quarters: Slots = new Map();
  for (const [key, rows] of byQuarter) {
    const q = Number(key.split('|')[1]);
    const whole = rows.length === ticksPerQuarter.get(q);
    const sum = (xs: number[]) => xs.reduce((x, y) => x + y, 0);
    const min = (xs: number[]) => (whole ? Math.min(...xs) : 0);
    const a = rows.map((r) => r.available);
    const u = rows.map((r) => r.unavailable);
    const total = rows.map((r) => r.available + r.unavailable);
    quarters.set(key, [
      sum(a),
      min(a),
      Math.max(...a),
      sum(u),
      min(u),
      Math.max(...u),
      min(total),
      Math.max(...total),
      sum(rows.map((r) => r.started)),
      sum(rows.map((r) => r.ended)),
    ]);
  }
  const packedQuarters = await packedSlots(db, 'zone_stats_15m_packed', (period) =>
    Array.from({ length: DAY / QUARTER }, (_v, i) => period + i * QUARTER),
  );

  // Days from the daily rows.
  const dayRows = await db('zone_stats_day')
    .where({ operator_id: '*', form_factor: '*' })
    .select<PackedRow[]>('*');
  const days: Slots = new Map(
    dayRows.map((r) => [
      `${r.zone_id}|${r.bucket_start.getTime()}`,
      SLOT_VALUES.map((v) => Number(r[v])),
    ]),
  );
  const packedDays = await packedSlots(db, 'zone_stats_day_packed', (period) => {
    const starts: number[] = [];
    const end = nextBucket('MONTH', timeZone, period);
    for (let d = period; d < end; d = nextBucket('DAY', timeZone, d)) starts.push(d);
    return starts;
  });

  return [
    ...packedQuarters.lengths,
    ...packedDays.lengths,
    ...differences(packedQuarters.slots, quarters, 'quarter'),
    ...differences(packedDays.slots, days, 'day'),
  ];
}
