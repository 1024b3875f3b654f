import { toGbfsFormFactor } from '../jobs/importer/feeds/formFactor';
import type { CompletedTrip, SimOperator, SimVehicle } from './model';

export const MDS_VERSION = '2.0.0';
export const MDS_CONTENT_TYPE = 'application/vnd.mds+json;version=2.0';
const TTL_MS = 30_000;

/** `/vehicles`: the devices; they never change, so `last_updated` is the start. */
export function mdsVehicles(operator: SimOperator, startMs: number): string {
  const vehicles = operator.vehicles.map((v) => ({
    device_id: v.deviceId,
    provider_id: operator.providerId,
    vehicle_id: v.code,
    vehicle_type: toGbfsFormFactor(operator.formFactor),
    propulsion_types: [operator.vehicleType.propulsionType],
  }));
  return JSON.stringify({ version: MDS_VERSION, last_updated: startMs, ttl: TTL_MS, vehicles });
}

const MDS_STATES = {
  AVAILABLE: 'available',
  RESERVED: 'reserved',
  HIDDEN: 'reserved',
  ON_TRIP: 'on_trip',
  DISABLED: 'non_operational',
} as const;

/** One `/vehicles/status` record (a flat string: see gbfsVehicleStatus). */
function statusRecord(v: SimVehicle, providerId: string): string {
  const ids = { device_id: v.deviceId, provider_id: providerId };
  const location = { lat: v.lat, lng: v.lng };
  const onTripId = v.state === 'ON_TRIP' ? (v.trip?.tripId ?? null) : null;
  return JSON.stringify({
    ...ids,
    last_event: {
      ...ids,
      event_id: v.eventId,
      vehicle_state: MDS_STATES[v.state],
      event_types: v.eventTypes,
      timestamp: v.eventMs,
      location,
      ...(v.eventTripId === null ? {} : { trip_ids: [v.eventTripId] }),
    },
    last_telemetry: {
      ...ids,
      telemetry_id: v.telemetryId,
      timestamp: v.eventMs,
      trip_ids: onTripId === null ? null : [onTripId],
      journey_id: null,
      location,
    },
  });
}

/**
 * `/vehicles/status`: every vehicle with its last event and telemetry, including those on a trip,
 * from each vehicle's cached record.
 */
export function mdsVehicleStatus(operator: SimOperator): string {
  const records = operator.vehicles.map(
    (v) => (v.serialized.mdsStatus ??= statusRecord(v, operator.providerId)),
  );
  return `{"version":"${MDS_VERSION}","last_updated":${operator.lastChangedMs},"ttl":${TTL_MS},"vehicles_status":[${records.join(',')}]}`;
}

/** `/trips?end_time=`: the trips that ended in the hour. */
export function mdsTrips(operator: SimOperator, trips: CompletedTrip[]): string {
  const tripType = operator.mode === 'car-share' ? 'private' : 'rider';
  return JSON.stringify({
    version: MDS_VERSION,
    trips: trips.map((t) => ({
      provider_id: operator.providerId,
      device_id: t.deviceId,
      trip_id: t.tripId,
      trip_type: [tripType],
      start_time: t.startMs,
      end_time: t.endMs,
      start_location: { lat: t.startLat, lng: t.startLng },
      end_location: { lat: t.endLat, lng: t.endLng },
      duration: Math.round((t.endMs - t.startMs) / 1000),
      distance: t.distanceMeters,
    })),
  });
}

/** The MDS error body (`bad_param` with what was wrong). */
export function mdsError(error: string, description: string, details: string[]): string {
  return JSON.stringify({ error, error_description: description, error_details: details });
}
