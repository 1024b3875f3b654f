import { badUserInput } from '../../lib/errors';
import { bucketBounds, isTimeZone, type SeriesResolution } from '../../lib/time/buckets';
import { HOUR } from '../../lib/units';
import {
  chooseSource,
  SERIES_VALUES,
  type SeriesAggregate,
  type SeriesGroupBy,
  type SeriesQuery,
  type SeriesValue,
} from './series';

const DAY_MS = 24 * HOUR;

/** The longest from..to per resolution: a few thousand buckets at most. */
export const MAX_RANGE_DAYS: Record<SeriesResolution, number> = {
  FIVE_MINUTES: 7,
  FIFTEEN_MINUTES: 31,
  HOUR: 92,
  DAY: 1100,
  WEEK: 3660,
  MONTH: 3660,
};
/** Answered from 5-minute rows (a time zone not whole hours from UTC): at most this long. */
const MAX_FIVE_MINUTE_SOURCE_DAYS = 31;

export interface SeriesArgs {
  from: Date;
  to: Date;
  resolution: SeriesResolution;
  aggregate?: SeriesAggregate | null;
  groupBy?: SeriesGroupBy[] | null;
  timeZone: string;
}

/** Checks a series field's arguments and turns them into a query with its buckets and source. */
export function parseSeriesArgs(
  measure: SeriesQuery['measure'],
  args: SeriesArgs,
  seriesTimeZone: string,
  values: readonly SeriesValue[] = SERIES_VALUES[measure],
): SeriesQuery {
  if (!isTimeZone(args.timeZone)) {
    throw badUserInput(
      'timeZone',
      `"${args.timeZone}" is not an IANA time zone such as Europe/Amsterdam`,
    );
  }
  const from = args.from.getTime();
  const to = args.to.getTime();
  if (to <= from) throw badUserInput('to', 'must be after from');
  const maxDays = MAX_RANGE_DAYS[args.resolution];
  if (to - from > maxDays * DAY_MS) {
    throw badUserInput(
      'to',
      `at resolution ${args.resolution} the range from..to is at most ${maxDays} days; use a coarser resolution`,
    );
  }
  const bounds = bucketBounds(args.resolution, args.timeZone, from, to);
  const source = chooseSource(args.resolution, args.timeZone, seriesTimeZone, bounds);
  if (source === '5m' && to - from > MAX_FIVE_MINUTE_SOURCE_DAYS * DAY_MS) {
    throw badUserInput(
      'timeZone',
      `${args.timeZone} is not a whole number of hours from UTC, so this is answered from 5-minute counts: the range is at most ${MAX_FIVE_MINUTE_SOURCE_DAYS} days`,
    );
  }
  const groupBy = [...new Set(args.groupBy ?? [])].sort();
  const aggregate = args.aggregate ?? 'AVG';
  return {
    id: [
      measure,
      values,
      args.resolution,
      aggregate,
      groupBy.join('+'),
      args.timeZone,
      from,
      to,
    ].join('|'),
    measure,
    values: [...values],
    resolution: args.resolution,
    aggregate,
    groupBy,
    timeZone: args.timeZone,
    bounds,
    source,
  };
}
