import type { MdsHappening } from './behaviour';
import type { FormFactor } from '../lib/domain/formFactors';

export interface OperatorOptions {
  id: string;
  name: string;
  vehicles: number;
  formFactor: FormFactor;
  /** GBFS ids change after every rental (GBFS 2.0+ privacy rule); MDS device ids never do. */
  rotatingIds?: boolean;
}

/**
 * - AVAILABLE: parked, rentable.
 * - RESERVED: parked and reserved; GBFS shows it with `is_reserved`.
 * - HIDDEN: reserved and left out of GBFS (as many operators do); back within 15 min and 100 m.
 * - ON_TRIP: rented; absent from GBFS, `on_trip` in MDS.
 * - DISABLED: parked but out of order (`is_disabled`, MDS `non_operational`).
 */
export type VehicleState =
  | 'AVAILABLE'
  | 'RESERVED'
  | 'HIDDEN'
  | 'ON_TRIP'
  | 'DISABLED'
  /** Taken off the street by the operator's van (rebalancing), put down elsewhere later. */
  | 'COLLECTED';

/**
 * What an operator's API gets wrong, for testing what the importer makes of it (see
 * `FeedSimulator.setFaults`). They change what is served, never what the vehicles do.
 */
export interface FeedFaults {
  /** This share of the fleet (chosen by device id) is left out of every feed: a partial API. */
  missingShare: number;
  /** The vehicle lists are served as they were when this was set, `last_updated` included. */
  frozen: boolean;
  /** This many listed vehicles are served at 0,0 (a missing GPS fix). */
  badRecords: number;
}

/** The MDS mode a provider serves: car-share for cars, micromobility for everything else. */
export type MdsMode = 'micromobility' | 'car-share';

export interface SimVehicleType {
  id: string;
  formFactor: FormFactor;
  propulsionType: string;
  maxRangeMeters: number;
  name: string;
}

export interface SimOperator {
  id: string;
  name: string;
  formFactor: FormFactor;
  mode: MdsMode;
  rotatingIds: boolean;
  /** MDS provider_id */
  providerId: string;
  vehicleType: SimVehicleType;
  vehicles: SimVehicle[];
  /** Bumped on every change to one of its vehicles: serialized feeds are cached per version. */
  version: number;
  faults: FeedFaults;
}

export interface TripInProgress {
  tripId: string;
  startMs: number;
  startLat: number;
  startLng: number;
  endLat: number;
  endLng: number;
  distanceMeters: number;
}

export interface SimVehicle {
  operator: SimOperator;
  /** MDS device_id: stable for the vehicle's life. */
  deviceId: string;
  /** MDS vehicle_id: the code printed on the vehicle. */
  code: string;
  /** GBFS bike_id / vehicle_id: rotates after each rental when the operator rotates ids. */
  publicId: string;
  lat: number;
  lng: number;
  state: VehicleState;
  /** The last MDS event: its id, types, time and the trip it belongs to. */
  eventId: string;
  eventTypes: string[];
  eventMs: number;
  eventTripId: string | null;
  telemetryId: string;
  trip: TripInProgress | null;
  /** When its one valid pending event is due (an event due at another time is stale). */
  dueMs: number;
  /** COLLECTED: where the van will put it down. */
  dropAt: { lat: number; lng: number } | null;
  /** Since when, and where, the vehicle stands where it is: deployed, back from a trip, relocated. */
  parkedSinceMs: number;
  parkedLat: number;
  parkedLng: number;
  /**
   * This vehicle's entry in each served list (JSON bytes), kept until the vehicle changes (every
   * change ends with a new MDS event, which empties this): a list is assembled from cached bytes.
   */
  serialized: { gbfs23?: Buffer; gbfs30?: Buffer; mdsStatus?: Buffer };
}

export interface CompletedTrip {
  tripId: string;
  deviceId: string;
  /** The GBFS id the vehicle had when the trip started. */
  publicId: string;
  startMs: number;
  endMs: number;
  startLat: number;
  startLng: number;
  endLat: number;
  endLng: number;
  distanceMeters: number;
}

/** What a vehicle really is doing: the ground truth tests compare stored figures with. */
export interface VehicleTruth {
  operatorId: string;
  formFactor: FormFactor;
  deviceId: string;
  state: VehicleState;
  lat: number;
  lng: number;
  parkedSinceMs: number;
  parkedLat: number;
  parkedLng: number;
  /** When the current state began (for DISABLED: when it broke down). */
  stateSinceMs: number;
  trip: TripInProgress | null;
}

/**
 * One change to a vehicle, as it happened (not as a feed shows it): the vehicle's state, ids and
 * position after the change; for TRIP_END the trip it completed (with the ids it was rented under).
 */
export interface FleetChange {
  atMs: number;
  happening: MdsHappening;
  operatorId: string;
  formFactor: FormFactor;
  vehicleTypeId: string;
  deviceId: string;
  publicId: string;
  state: VehicleState;
  lat: number;
  lng: number;
  completedTrip: CompletedTrip | null;
}
