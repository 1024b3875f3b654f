/** A small, valid MDS 2.0 micromobility Provider API, built by hand from the mds-openapi models. */

export const PROVIDER_ID = '5f7114d1-4091-46ee-b492-e55875f7de00';
export const NOW_MS = Date.UTC(2024, 4, 1, 8, 0, 0);

/** Deterministic UUIDs: `0000000n-…` */
export function uuid(n: number, prefix = 'a'): string {
  return `${prefix}${String(n).padStart(7, '0')}-0000-4000-8000-000000000000`;
}

export type Json = Record<string, unknown>;

export interface MdsFixture {
  vehicles: Json;
  status: Json;
}

const STATES = [
  { vehicle_state: 'available', event_types: ['trip_end'], trip: true },
  { vehicle_state: 'reserved', event_types: ['reservation_start'], trip: false },
  { vehicle_state: 'non_operational', event_types: ['battery_low'], trip: false },
  { vehicle_state: 'on_trip', event_types: ['trip_start'], trip: true },
] as const;

export function mdsFixture(): MdsFixture {
  const vehicles = STATES.map((_, i) => ({
    device_id: uuid(i + 1),
    provider_id: PROVIDER_ID,
    vehicle_id: `AMS-${i + 1}`,
    vehicle_type: i === 2 ? 'bicycle' : 'scooter_standing',
    propulsion_types: i === 2 ? ['electric_assist', 'human'] : ['electric'],
  }));
  const statuses = STATES.map((state, i) => {
    const location = { lat: 52.37 + i / 100, lng: 4.89 + i / 100 };
    const tripIds = state.trip ? [uuid(i + 1, 'c')] : null;
    return {
      device_id: uuid(i + 1),
      provider_id: PROVIDER_ID,
      last_event: {
        device_id: uuid(i + 1),
        provider_id: PROVIDER_ID,
        event_id: uuid(i + 1, 'b'),
        vehicle_state: state.vehicle_state,
        event_types: [...state.event_types],
        timestamp: NOW_MS - 60_000,
        location,
        ...(tripIds ? { trip_ids: tripIds } : {}),
      },
      last_telemetry: {
        device_id: uuid(i + 1),
        provider_id: PROVIDER_ID,
        telemetry_id: uuid(i + 1, 'd'),
        timestamp: NOW_MS - 30_000,
        trip_ids: state.vehicle_state === 'on_trip' ? tripIds : null,
        journey_id: null,
        location,
      },
    };
  });
  const envelope = { version: '2.0.0', last_updated: NOW_MS, ttl: 30_000 };
  return {
    vehicles: { ...envelope, vehicles },
    status: { ...envelope, vehicles_status: statuses },
  };
}

export function mdsTrips(hourStartMs: number): Json {
  const trip = (n: number, startOffsetMs: number, endOffsetMs: number, type?: string) => ({
    provider_id: PROVIDER_ID,
    device_id: uuid(n),
    trip_id: uuid(n, 'e'),
    start_time: hourStartMs + startOffsetMs,
    end_time: hourStartMs + endOffsetMs,
    start_location: { lat: 52.36, lng: 4.88 },
    end_location: { lat: 52.38, lng: 4.9 },
    duration: Math.round((endOffsetMs - startOffsetMs) / 1000),
    distance: 2400,
    ...(type ? { trip_type: [type] } : {}),
  });
  return {
    version: '2.0.0',
    trips: [
      trip(1, -10 * 60_000, 5 * 60_000, 'rider'),
      trip(3, 20 * 60_000, 40 * 60_000),
      trip(4, 30 * 60_000, 59 * 60_000, 'rebalance'),
      trip(9, 40 * 60_000, 50 * 60_000),
    ],
  };
}
