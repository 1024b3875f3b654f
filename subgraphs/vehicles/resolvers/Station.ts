import type { FormFactor } from '../../../lib/domain/formFactors';
import type { StationResolvers } from '../__generated__/resolvers-types';
import { loadOperator, visibleZones } from '../loaders';
import { encodeVehicleId } from '../vehicleId';

export const Station: StationResolvers = {
  // `<feed uuid>:<station id>`, the same shape as a vehicle's id.
  id: (station) => encodeVehicleId(station.feed_id, station.station_id),
  stationId: (station) => station.station_id,
  operator: (station, _args, { loaders }) => loadOperator(loaders, station.operator_id),
  municipalityCode: (station) => station.municipality_code,
  zones: (station, _args, { loaders }) => visibleZones(loaders, station.zone_ids),
  isInstalled: (station) => station.is_installed,
  isRenting: (station) => station.is_renting,
  isReturning: (station) => station.is_returning,
  vehiclesAvailable: (station) => station.vehicles_available,
  vehiclesAvailableByFormFactor: (station) =>
    Object.entries(station.form_factors)
      .filter(([, count]) => (count ?? 0) > 0)
      .map(([formFactor, count]) => ({ formFactor: formFactor as FormFactor, count: count ?? 0 }))
      .sort((a, b) => a.formFactor.localeCompare(b.formFactor)),
  docksAvailable: (station) => station.docks_available,
  lastReportedAt: (station) => station.last_reported_at,
  statusSince: (station) => station.status_since,
  seenAt: (station) => station.seen_at,
};
