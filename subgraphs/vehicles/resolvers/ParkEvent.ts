import { SECOND } from '../../../lib/units';
import type { ParkEventResolvers } from '../__generated__/resolvers-types';
import { loadOperator, visibleZones } from '../loaders';

/** An entity key's DateTime arrives as the string the gateway got; anything else matches nothing. */
function parseKeyTime(value: unknown): Date | null {
  const date = typeof value === 'string' ? new Date(value) : null;
  return date && !Number.isNaN(date.getTime()) ? date : null;
}

export const ParkEvent: ParkEventResolvers = {
  startObserved: (event) => event.start_observed,
  __resolveReference({ id, startTime }, { loaders }) {
    const start = parseKeyTime(startTime);
    return start && typeof id === 'string'
      ? loaders.parkEventByKey.load({ id, startTime: start })
      : null;
  },
  startTime: (event) => event.start_time,
  endTime: (event) => event.end_time,
  endReason: (event) => event.end_reason,
  vehicleId: (event) => event.vehicle_id,
  operator: (event, _args, { loaders }) => loadOperator(loaders, event.operator_id),
  formFactor: (event) => event.form_factor,
  vehicleType: (event, _args, { loaders }) =>
    event.vehicle_type_id === null
      ? null
      : loaders.vehicleTypeByKey.load({ operatorId: event.operator_id, id: event.vehicle_type_id }),
  municipalityCode: (event) => event.municipality_code,
  zones: (event, _args, { loaders }) => visibleZones(loaders, event.zone_ids),
  durationSeconds: (event) =>
    Math.floor(((event.end_time ?? new Date()).getTime() - event.start_time.getTime()) / SECOND),
};
