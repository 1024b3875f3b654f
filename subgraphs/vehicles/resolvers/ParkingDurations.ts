import type { ParkingDurationsResolvers } from '../__generated__/resolvers-types';
import { DURATION_BOUNDS_HOURS } from '../repository';

const HOURS_PER_DAY = 24;
const BOUNDS_DAYS = DURATION_BOUNDS_HOURS.map((hours) => hours / HOURS_PER_DAY);

export const ParkingDurations: ParkingDurationsResolvers = {
  zone: (durations) => (durations.zone_id === null ? null : { id: durations.zone_id }),
  municipalityCode: (durations) => durations.municipality_code,
  buckets: (durations) =>
    durations.counts.map((count, i) => ({
      minDays: i === 0 ? 0 : (BOUNDS_DAYS[i - 1] ?? 0),
      maxDays: BOUNDS_DAYS[i] ?? null,
      count,
    })),
  total: (durations) => durations.counts.reduce((sum, count) => sum + count, 0),
};
