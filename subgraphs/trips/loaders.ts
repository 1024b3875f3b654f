import DataLoader from 'dataloader';
import { isUuid } from '../../lib/ids';
import { daysBetween } from '../../lib/domain/calendar';
import type {
  DailyIndicatorGroupBy,
  DailyIndicatorSums,
  DailyIndicatorsRow,
  TripRow,
  TripsReader,
  ZoneKindRow,
} from './repository';

export interface TripKey {
  id: string;
  startTime: Date;
}

/** One zone's `dailyIndicators(from, to, groupBy)`; groupBy sorted and without repeats. */
export interface DailyIndicatorsKey {
  zoneId: string;
  from: string;
  to: string;
  groupBy: DailyIndicatorGroupBy[];
}

/** Days the report hasn't computed are shown in the time zone it computes in by default. */
const DEFAULT_REPORT_TIME_ZONE = 'Europe/Amsterdam';

export interface TripsLoaders {
  /** Every zone asked with the same range and grouping in a request: one query for all of them. */
  dailyIndicators: DataLoader<DailyIndicatorsKey, DailyIndicatorsRow[], string>;
  tripByKey: DataLoader<TripKey, TripRow | null, string>;
  /** The kind of a zone the caller may see; null for zones it may not see or that don't exist. */
  zoneKind: DataLoader<string, ZoneKindRow | null>;
}

/** A trip's key: its id and its start time to the millisecond, as DateTime carries it. */
const keyOf = (id: string, startTime: Date) => `${id}@${startTime.getTime()}`;

const argumentsKey = (key: DailyIndicatorsKey) => `${key.from}|${key.to}|${key.groupBy.join()}`;
const groupKey = (row: { operator_id: string | null; form_factor: string | null }) =>
  `${row.operator_id ?? ''}|${row.form_factor ?? ''}`;

/**
 * Fills the range: every day x every group the zone has in the range (one group when not
 * grouped). A reported day without a row for a group is zeros; an unreported day is null figures.
 */
function densify(
  key: DailyIndicatorsKey,
  sums: DailyIndicatorSums[],
  reported: Map<string, string>,
): DailyIndicatorsRow[] {
  const groups = new Map<
    string,
    { operator_id: string | null; form_factor: DailyIndicatorSums['form_factor'] }
  >();
  if (key.groupBy.length === 0) groups.set('|', { operator_id: null, form_factor: null });
  const byDayGroup = new Map<string, DailyIndicatorSums>();
  for (const row of sums) {
    groups.set(groupKey(row), { operator_id: row.operator_id, form_factor: row.form_factor });
    byDayGroup.set(`${row.day}#${groupKey(row)}`, row);
  }
  const ordered = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const out: DailyIndicatorsRow[] = [];
  for (const day of daysBetween(key.from, key.to)) {
    const timeZone = reported.get(day);
    for (const [id, group] of ordered) {
      out.push({
        day,
        timeZone: timeZone ?? DEFAULT_REPORT_TIME_ZONE,
        reported: timeZone !== undefined,
        ...group,
        sums: timeZone === undefined ? null : (byDayGroup.get(`${day}#${id}`) ?? null),
      });
    }
  }
  return out;
}

export function createLoaders(reader: TripsReader): TripsLoaders {
  return {
    dailyIndicators: new DataLoader<DailyIndicatorsKey, DailyIndicatorsRow[], string>(
      async (keys) => {
        const bySignature = new Map<string, DailyIndicatorsKey[]>();
        for (const key of keys) {
          const list = bySignature.get(argumentsKey(key)) ?? [];
          list.push(key);
          bySignature.set(argumentsKey(key), list);
        }
        const answers = new Map<string, DailyIndicatorsRow[]>();
        for (const group of bySignature.values()) {
          const { from, to, groupBy } = group[0]!;
          const zoneIds = [...new Set(group.map((k) => k.zoneId))];
          const [sums, days] = await Promise.all([
            reader.dailyIndicatorSums(zoneIds, from, to, groupBy),
            reader.reportedDays(from, to),
          ]);
          const reported = new Map(days.map((d) => [d.day, d.time_zone]));
          for (const key of group) {
            answers.set(
              `${key.zoneId}@${argumentsKey(key)}`,
              densify(
                key,
                sums.filter((s) => s.zone_id === key.zoneId),
                reported,
              ),
            );
          }
        }
        return keys.map((key) => answers.get(`${key.zoneId}@${argumentsKey(key)}`) ?? []);
      },
      { cacheKeyFn: (key) => `${key.zoneId}@${argumentsKey(key)}` },
    ),
    tripByKey: new DataLoader<TripKey, TripRow | null, string>(
      async (keys) => {
        const rows = await reader.tripsByKeys(keys);
        const found = new Map(rows.map((row) => [keyOf(row.id, row.start_time), row]));
        return keys.map((key) => found.get(keyOf(key.id, key.startTime)) ?? null);
      },
      { cacheKeyFn: (key) => keyOf(key.id, key.startTime) },
    ),
    zoneKind: new DataLoader(async (ids) => {
      const valid = ids.filter(isUuid);
      const rows = valid.length > 0 ? await reader.zoneKinds(valid) : [];
      const found = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => found.get(id) ?? null);
    }),
  };
}
