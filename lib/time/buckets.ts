import { HOUR, MINUTE } from '../units';

/**
 * Calendar arithmetic in an IANA time zone with nothing but `Intl`: local days, weeks (Monday to
 * Monday) and months as UTC instants, so a day is 23 or 25 hours long on daylight-saving days.
 */

export const SERIES_RESOLUTIONS = [
  'FIVE_MINUTES',
  'FIFTEEN_MINUTES',
  'HOUR',
  'DAY',
  'WEEK',
  'MONTH',
] as const;
export type SeriesResolution = (typeof SERIES_RESOLUTIONS)[number];

export const TICK_MS = 5 * MINUTE;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether Node knows this IANA time zone name (PostgreSQL ships the same database). */
export function isTimeZone(timeZone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/.test(timeZone)) return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether the zone's offset from UTC is a whole number of hours all year (winter and summer), so
 * its local days are made of whole UTC hours: a condition for the daily rollup's time zone.
 */
export function hasWholeHourOffsets(timeZone: string): boolean {
  const year = new Date().getUTCFullYear();
  return [0, 3, 6, 9].every((month) => offsetMs(timeZone, Date.UTC(year, month, 15)) % HOUR === 0);
}

interface LocalTime {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function localTime(timeZone: string, ms: number): LocalTime {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** Local time minus UTC at this instant, asked of Intl (slow: a few microseconds). */
function intlOffsetMs(timeZone: string, ms: number): number {
  const t = localTime(timeZone, ms);
  const asUtc = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

interface OffsetSegment {
  start: number;
  offset: number;
}
const segmentCache = new Map<string, OffsetSegment[]>();
const WEEK_MS = 7 * 24 * HOUR;

/**
 * The offsets of one UTC year (and a day either side) as segments between transitions, found by
 * sampling weekly and bisecting to the minute where the offset changed: a few dozen Intl calls
 * per zone and year instead of several per bucket. (No zone changes its offset twice in a week.)
 */
function segmentsOf(timeZone: string, year: number): OffsetSegment[] {
  const key = `${timeZone}|${year}`;
  const cached = segmentCache.get(key);
  if (cached) return cached;
  const from = Date.UTC(year, 0, 1) - 24 * HOUR;
  const to = Date.UTC(year + 1, 0, 1) + 24 * HOUR;
  let offset = intlOffsetMs(timeZone, from);
  const segments: OffsetSegment[] = [{ start: from, offset }];
  for (let t = from; t < to; t += WEEK_MS) {
    const next = Math.min(t + WEEK_MS, to);
    const nextOffset = intlOffsetMs(timeZone, next);
    if (nextOffset === offset) continue;
    let lo = t;
    let hi = next;
    while (hi - lo > MINUTE) {
      const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
      if (intlOffsetMs(timeZone, mid) === offset) lo = mid;
      else hi = mid;
    }
    offset = nextOffset;
    segments.push({ start: hi, offset });
  }
  segmentCache.set(key, segments);
  return segments;
}

/** Local time minus UTC at this instant, in ms (Europe/Amsterdam: 1 h in winter, 2 h in summer). */
export function offsetMs(timeZone: string, ms: number): number {
  const segments = segmentsOf(timeZone, new Date(ms).getUTCFullYear());
  let offset = segments[0]?.offset ?? 0;
  for (const segment of segments) {
    if (segment.start > ms) break;
    offset = segment.offset;
  }
  return offset;
}

/** The instant of local midnight starting this local date (month 1-12; day may overflow). */
export function localMidnight(timeZone: string, year: number, month: number, day: number): number {
  const wall = Date.UTC(year, month - 1, day);
  // Two passes settle the offset that applies at that wall time (transitions are not at midnight
  // in the zones we serve; where one is, this lands on the first instant of the local day).
  const first = wall - offsetMs(timeZone, wall);
  return wall - offsetMs(timeZone, first);
}

function localDate(timeZone: string, ms: number): { year: number; month: number; day: number } {
  const wall = new Date(ms + offsetMs(timeZone, ms));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

/** Start of the bucket of `resolution` that contains `ms`. */
export function bucketStart(resolution: SeriesResolution, timeZone: string, ms: number): number {
  switch (resolution) {
    case 'FIVE_MINUTES':
      return ms - mod(ms, TICK_MS);
    case 'FIFTEEN_MINUTES':
      // Every UTC offset in use is a multiple of 15 minutes: UTC quarters are local quarters.
      return ms - mod(ms, 3 * TICK_MS);
    case 'HOUR':
      return ms - mod(ms + offsetMs(timeZone, ms), HOUR);
    case 'DAY': {
      const d = localDate(timeZone, ms);
      return localMidnight(timeZone, d.year, d.month, d.day);
    }
    case 'WEEK': {
      const d = localDate(timeZone, ms);
      const weekday = (new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay() + 6) % 7;
      return localMidnight(timeZone, d.year, d.month, d.day - weekday);
    }
    case 'MONTH': {
      const d = localDate(timeZone, ms);
      return localMidnight(timeZone, d.year, d.month, 1);
    }
  }
}

/** Start of the bucket after the one starting at `start`. */
export function nextBucket(resolution: SeriesResolution, timeZone: string, start: number): number {
  switch (resolution) {
    case 'FIVE_MINUTES':
      return start + TICK_MS;
    case 'FIFTEEN_MINUTES':
      return start + 3 * TICK_MS;
    case 'HOUR':
      return start + HOUR;
    case 'DAY':
    case 'WEEK': {
      const days = resolution === 'DAY' ? 1 : 7;
      // Noon of the bucket's first local day is safely inside it, whatever DST does.
      const d = localDate(timeZone, start + 12 * HOUR);
      return localMidnight(timeZone, d.year, d.month, d.day + days);
    }
    case 'MONTH': {
      const d = localDate(timeZone, start + 12 * HOUR);
      return localMidnight(timeZone, d.year, d.month + 1, 1);
    }
  }
}

/**
 * The bucket boundaries covering [from, to): b0 <= from < ... < bn, bn >= to. Bucket i is
 * [b_i, b_i+1). `from` is rounded down and `to` up to whole buckets.
 */
export function bucketBounds(
  resolution: SeriesResolution,
  timeZone: string,
  fromMs: number,
  toMs: number,
): number[] {
  const bounds = [bucketStart(resolution, timeZone, fromMs)];
  let last = bounds[0] ?? fromMs;
  while (last < toMs) {
    last = nextBucket(resolution, timeZone, last);
    bounds.push(last);
  }
  return bounds;
}

function mod(a: number, b: number): number {
  return ((a % b) + b) % b;
}
