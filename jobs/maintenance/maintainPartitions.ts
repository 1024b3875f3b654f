import {
  ensureMonthlyPartitions,
  PARTITIONED_TABLES,
  STATION_TABLES,
} from '../../lib/sql/partitions';
import { HOUR } from '../../lib/units';
import type { JobDefinition } from '../types';
import { ensureSeriesPartitions } from '../zoneStats/compute';

/** Months of partitions kept ready ahead, counting the current one. */
const MONTHS_AHEAD = 3;

/** `maintain_partitions`: creates the monthly partitions of the time-series tables ahead of time. */
export const maintainPartitions: JobDefinition = {
  task: 'maintain_partitions',
  description:
    'Create the monthly partitions of park_events, trips, rentals, non_operational_periods, station_status_events and the zone series',
  defaultIntervalMs: 24 * HOUR,
  maxAttempts: 3,
  async run({ db, tickAt }) {
    let rows = 0;
    const from = tickAt ?? new Date();
    for (const table of [...PARTITIONED_TABLES, ...STATION_TABLES]) {
      rows += await ensureMonthlyPartitions(db, table, from, MONTHS_AHEAD);
    }
    const last = Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + MONTHS_AHEAD - 1, 1);
    rows += await ensureSeriesPartitions(db, from.getTime(), last);
    return { rows };
  },
};
