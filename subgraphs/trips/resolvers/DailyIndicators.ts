import { zonedInstant } from '../../../lib/domain/calendar';
import type { DailyIndicatorsResolvers } from '../__generated__/resolvers-types';
import type { DailyIndicatorSums, DailyIndicatorsRow } from '../repository';

/** The report's measurement moments, local time, in the order of `DailyIndicatorSums.vehicles`. */
const MOMENTS = ['03:30', '08:00', '10:30', '14:00', '17:00', '21:00'];

/** A figure of a reported day (0 when the day has no row for the group); null when not reported. */
const figure =
  (pick: (sums: DailyIndicatorSums) => number) =>
  (row: DailyIndicatorsRow): number | null =>
    row.reported ? (row.sums ? pick(row.sums) : 0) : null;

function vehiclesMax(row: DailyIndicatorsRow): number | null {
  if (!row.reported) return null;
  return row.sums ? Math.max(...row.sums.vehicles) : 0;
}

export const DailyIndicators: DailyIndicatorsResolvers = {
  day: (row) => row.day,
  operator: (row) => (row.operator_id === null ? null : { id: row.operator_id }),
  formFactor: (row) => row.form_factor,
  reported: (row) => row.reported,
  tripsStarted: figure((s) => s.trips_started),
  tripsEnded: figure((s) => s.trips_ended),
  rentalsCompleted: figure((s) => s.rentals_completed),
  rentalDurationTotalSeconds: figure((s) => s.rental_seconds_total),
  rentalDurationMeanSeconds: (row) =>
    row.sums && row.sums.rentals_completed > 0
      ? row.sums.rental_seconds_total / row.sums.rentals_completed
      : null,
  vehiclesAt: (row) =>
    MOMENTS.map((moment, i) => ({
      moment,
      at: zonedInstant(row.day, moment, row.timeZone),
      vehicles: row.reported ? (row.sums?.vehicles[i] ?? 0) : null,
    })),
  vehiclesInPublicSpace: vehiclesMax,
  parkedLongerThan1Day: figure((s) => s.parked_1d),
  parkedLongerThan3Days: figure((s) => s.parked_3d),
  parkedLongerThan7Days: figure((s) => s.parked_7d),
  parkedLongerThan14Days: figure((s) => s.parked_14d),
  nonOperationalLongerThan24Hours: figure((s) => s.non_operational_24h),
  nonOperationalLongerThan7Days: figure((s) => s.non_operational_7d),
  rentalsPerVehicle: (row) => {
    const vehicles = vehiclesMax(row);
    if (!vehicles || !row.sums) return null;
    return row.sums.trips_started / vehicles;
  },
};
