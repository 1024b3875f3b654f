import type { VehicleResolvers } from '../__generated__/resolvers-types';
import { loadOperator, visibleZones } from '../loaders';
import { decodeVehicleId, encodeVehicleId } from '../vehicleId';

export const Vehicle: VehicleResolvers = {
  __resolveReference({ id }, { loaders }) {
    const key = decodeVehicleId(id);
    return key ? loaders.vehicleByKey.load(key) : null;
  },
  id: (vehicle) => encodeVehicleId(vehicle.feed_id, vehicle.vehicle_id),
  vehicleId: (vehicle) => vehicle.vehicle_id,
  operator: (vehicle, _args, { loaders }) => loadOperator(loaders, vehicle.operator_id),
  formFactor: (vehicle) => vehicle.form_factor,
  vehicleType: (vehicle, _args, { loaders }) =>
    vehicle.vehicle_type_id === null
      ? null
      : loaders.vehicleTypeByKey.load({
          operatorId: vehicle.operator_id,
          id: vehicle.vehicle_type_id,
        }),
  municipalityCode: (vehicle) => vehicle.municipality_code,
  zones: (vehicle, _args, { loaders }) => visibleZones(loaders, vehicle.zone_ids),
  isReserved: (vehicle) => vehicle.is_reserved,
  isDisabled: (vehicle) => vehicle.is_disabled,
  lastReportedAt: (vehicle) => vehicle.last_reported_at,
  seenAt: (vehicle) => vehicle.seen_at,
  stationId: (vehicle) => vehicle.station_id,
  parkedSince: (vehicle) => vehicle.parked_since,
  parkEvent: (vehicle, _args, { loaders }) =>
    vehicle.park_event_id === null || vehicle.parked_since === null
      ? null
      : loaders.parkEventByKey.load({ id: vehicle.park_event_id, startTime: vehicle.parked_since }),
};
