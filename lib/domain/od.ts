import { HOUR } from '../units';
import { offsetMs } from '../time/buckets';

/**
 * The vocabulary of origin-destination flows, shared by the `od_matrix` job (jobs/od/) that
 * writes them and the od subgraph that reads them.
 */

/** Where a flow starts and ends: an H3 cell (resolution 7 or 8) or an administrative zone. */
export const OD_LEVELS = ['H3_7', 'H3_8', 'DISTRICT', 'MUNICIPALITY'] as const;
export type OdLevel = (typeof OD_LEVELS)[number];

/** The id of "outside any zone of this level", as an origin or a destination. */
export const OUTSIDE = 'OUTSIDE';

/** The four-hour blocks of a local day, by the local hour they start at; the last spans midnight. */
export const OD_BLOCKS = ['H02_06', 'H06_10', 'H10_14', 'H14_18', 'H18_22', 'H22_02'] as const;
export const BLOCK_START_HOURS: readonly number[] = [2, 6, 10, 14, 18, 22];

/** ISO weekdays, 1 = Monday ... 7 = Sunday, as PostgreSQL's `isodow`. */
export const WEEKDAYS = [
  'MONDAY',
  'TUESDAY',
  'WEDNESDAY',
  'THURSDAY',
  'FRIDAY',
  'SATURDAY',
  'SUNDAY',
] as const;

/** The fine level each coarser one is the sum of (see the suppression rule in jobs/od/). */
export const FINER_LEVEL: Partial<Record<OdLevel, OdLevel>> = {
  H3_7: 'H3_8',
  MUNICIPALITY: 'DISTRICT',
};

/** The smallest k of the k-anonymity rule; configuration may raise it, never lower it. */
export const OD_MIN_COUNT_FLOOR = 4;

/**
 * The instant a local wall-clock time happens in `timeZone`. A time that happens twice (the night
 * clocks go back) is its first occurrence; a time that never happens (clocks go forward) is the
 * first instant after the gap. So consecutive blocks always touch: none overlaps, none leaves a gap.
 */
export function localToUtc(timeZone: string, localMs: number): number {
  const before = offsetMs(timeZone, localMs - 14 * HOUR);
  const after = offsetMs(timeZone, localMs + 14 * HOUR);
  const valid = [...new Set([before, after])]
    .map((offset) => localMs - offset)
    .filter((utc) => localMs - offsetMs(timeZone, utc) === utc)
    .sort((a, b) => a - b);
  return valid[0] ?? localMs - before;
}

/** A local calendar day, `YYYY-MM-DD`, as a UTC-midnight millisecond count. */
export function dayMs(localDate: string): number {
  return Date.parse(`${localDate}T00:00:00Z`);
}

export function dateOf(dayMsValue: number): string {
  return new Date(dayMsValue).toISOString().slice(0, 10);
}

export interface BlockWindow {
  timeZone: string;
  localDate: string;
  /** 0 = 02-06 ... 5 = 22-02. */
  block: number;
  /** ISO weekday of localDate, 1 = Monday. */
  weekday: number;
  start: Date;
  end: Date;
}

/** Block `block` of local day `localDate` in `timeZone`: [start, end) as instants. */
export function blockWindow(timeZone: string, localDate: string, block: number): BlockWindow {
  const day = dayMs(localDate);
  const startHour = BLOCK_START_HOURS[block];
  if (startHour === undefined) throw new Error(`no block ${block}`);
  const start = localToUtc(timeZone, day + startHour * HOUR);
  const end = localToUtc(timeZone, day + (startHour + 4) * HOUR);
  const weekday = ((new Date(day).getUTCDay() + 6) % 7) + 1;
  return { timeZone, localDate, block, weekday, start: new Date(start), end: new Date(end) };
}

/** The block an instant falls in, in `timeZone`. */
export function blockAt(timeZone: string, at: Date): BlockWindow {
  const local = at.getTime() + offsetMs(timeZone, at.getTime());
  const day = Math.floor(local / (24 * HOUR)) * 24 * HOUR;
  // Local hours 00-02 belong to the previous day's 22-02 block.
  const candidates = [day - 24 * HOUR, day];
  for (const d of candidates.reverse()) {
    for (let block = 5; block >= 0; block -= 1) {
      const w = blockWindow(timeZone, dateOf(d), block);
      if (w.start.getTime() <= at.getTime() && at.getTime() < w.end.getTime()) return w;
    }
  }
  throw new Error(`no block holds ${at.toISOString()} in ${timeZone}`);
}
