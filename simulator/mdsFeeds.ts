import { toGbfsFormFactor } from '../lib/feeds/formFactor';
import type { DocumentParts } from './documents';
import { isMissing } from './faults';
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
  COLLECTED: 'removed',
} as const;

/** One `/vehicles/status` record, as JSON bytes. */
function statusRecord(v: SimVehicle, providerId: string, bad: boolean): Buffer {
  const ids = { device_id: v.deviceId, provider_id: providerId };
  const location = bad ? { lat: 0, lng: 0 } : { lat: v.lat, lng: v.lng };
  const onTripId = v.state === 'ON_TRIP' ? (v.trip?.tripId ?? null) : null;
  const record = {
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
  };
  return Buffer.from(JSON.stringify(record));
}

/**
 * `/vehicles/status`: every vehicle with its last event and telemetry, including those on a trip,
 * from each vehicle's cached record.
 */
export function mdsStatusList(operator: SimOperator): Buffer[] {
  const records: Buffer[] = [];
  let bad = operator.faults.badRecords;
  for (const v of operator.vehicles) {
    if (isMissing(v, operator.faults.missingShare)) continue;
    if (bad > 0 && v.state !== 'ON_TRIP') {
      bad -= 1;
      records.push(statusRecord(v, operator.providerId, true));
      continue;
    }
    records.push((v.serialized.mdsStatus ??= statusRecord(v, operator.providerId, false)));
  }
  return records;
}

/** The `/vehicles/status` document around an `mdsStatusList`, as of `nowMs` (fresh data). */
export function mdsVehicleStatus(records: Buffer[], nowMs: number): DocumentParts {
  return {
    head: `{"version":"${MDS_VERSION}","last_updated":${nowMs},"ttl":${TTL_MS},"vehicles_status":[`,
    entries: records,
    tail: ']}',
  };
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
