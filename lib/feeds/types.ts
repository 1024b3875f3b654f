import type { FeedType } from '../domain/fleet';
import type { FormFactor } from '../domain/formFactors';

/** What the importer knows about an operator's feed and what one read of it yields. */

export type FeedAuth =
  | { type: 'NONE' }
  | { type: 'HEADER'; header: string; value: string }
  | {
      type: 'OAUTH2_CLIENT_CREDENTIALS';
      tokenUrl: string;
      clientId: string;
      clientSecret: string;
      scope?: string;
    };

export interface FeedConfig {
  id: string;
  operatorId: string;
  url: string;
  type: FeedType;
  auth: FeedAuth;
  /** Used when the feed publishes no vehicle types (a bare `free_bike_status`). */
  defaultFormFactor: FormFactor | null;
  /** Used for vehicles that name no `vehicle_type_id`. */
  defaultVehicleTypeId: string | null;
  /**
   * GBFS 2.0+ ids change after every rental: trips cannot be paired by vehicle id. The effective
   * mode: the administrator's word (`rotatingIdsDeclared`), else the type's default.
   */
  rotatingIds: boolean;
  rotatingIdsDeclared?: boolean;
  /** A vehicle file registered directly: the URL of its vehicle_types (form factors). */
  vehicleTypesUrl?: string | null;
  /** The administrator said the feed is empty on purpose: an empty snapshot is accepted at once. */
  expectEmpty?: boolean;
}

export interface VehicleTypeInfo {
  id: string;
  formFactor: FormFactor;
  /** GBFS `propulsion_type` or MDS `propulsion_types` joined with '+'; 'unknown' when not published. */
  propulsionType: string;
  name: string | null;
}

/** A vehicle parked in public space: GBFS lists only those; MDS vehicles on a trip are left out. */
export interface VehicleObservation {
  /** GBFS `bike_id` / `vehicle_id`; MDS `device_id`. */
  vehicleId: string;
  lat: number;
  lng: number;
  /** Every non-null id here is listed in the snapshot's `vehicleTypes`. */
  vehicleTypeId: string | null;
  formFactor: FormFactor;
  isReserved: boolean;
  isDisabled: boolean;
  lastReportedAt: Date | null;
  /** GBFS `station_id`: the vehicle stands at a station (a car-share bay, a dock), not in public space. */
  stationId?: string | null;
}

/**
 * A station of a docked system (GBFS `station_information` joined with `station_status`): where it
 * is and what it offers at the snapshot.
 */
export interface StationObservation {
  stationId: string;
  name: string | null;
  lat: number;
  lng: number;
  /** Docks (or places) in total, when published. */
  capacity: number | null;
  isInstalled: boolean;
  isRenting: boolean;
  isReturning: boolean;
  /** `num_bikes_available` (1.x, 2.x) / `num_vehicles_available` (3.0). */
  vehiclesAvailable: number;
  /** `num_docks_available`, when published (virtual stations have no docks). */
  docksAvailable: number | null;
  /**
   * The vehicles available per form factor (from `vehicle_types_available` and the feed's
   * vehicle_types; vehicles of no known type count under the feed's default or OTHER). The values
   * add up to `vehiclesAvailable`; form factors with none are left out.
   */
  formFactors: Partial<Record<FormFactor, number>>;
  lastReportedAt: Date | null;
}

/** A listed vehicle left out of a snapshot because its record is bad. */
export interface QuarantinedRecord {
  /** Its index in the feed's list. */
  position: number;
  /** Its id, when it has a usable one. */
  vehicleId: string | null;
  /** JSON path of the offending value. */
  path: string;
  reason: string;
  record: unknown;
}

export interface FeedSnapshot {
  feedId: string;
  fetchedAt: Date;
  lastUpdatedAt: Date | null;
  vehicles: VehicleObservation[];
  vehicleTypes: VehicleTypeInfo[];
  systemName: string | null;
  /** The specification version the feed declared: '2.3', '3.0', '2.0.0', ... */
  feedVersion?: string;
  /** GBFS `ttl`, seconds. */
  ttlSeconds?: number | null;
  /** Records left out (a bad position, a repeated id, a wrong field); the rest is imported. */
  quarantined?: QuarantinedRecord[];
  /** Listed vehicles whose type (and so form factor) the feed does not say. */
  unknownTypeVehicles?: number;
  /** A station-based system (or one with stations besides free-floating vehicles): its stations. */
  stations?: StationObservation[];
  /** Stations left out: a bad record, or a status without station_information (or the reverse). */
  stationsLeftOut?: QuarantinedRecord[];
}

export type FeedErrorKind =
  | 'TIMEOUT'
  | 'NETWORK'
  | 'HTTP_STATUS'
  | 'TOO_LARGE'
  | 'REDIRECT_LOOP'
  | 'AUTH'
  | 'INVALID_JSON'
  | 'SCHEMA'
  | 'INVALID_DATA'
  /** The URL answers with another kind of document than the feed's type reads (a gbfs.json
   * registered as a vehicle_status, a GBFS 1.x file, a station_status). */
  | 'WRONG_DOCUMENT';

export interface FeedError {
  kind: FeedErrorKind;
  message: string;
  url: string;
  /** JSON path of the offending value, e.g. data.bikes[3].lat */
  path: string | null;
  /** The HTTP status, for HTTP_STATUS and AUTH errors that came from a response. */
  httpStatus?: number;
}

export type FeedReadResult = { ok: true; snapshot: FeedSnapshot } | { ok: false; error: FeedError };

export interface ExactTrip {
  tripId: string;
  vehicleId: string;
  startTime: Date;
  endTime: Date;
  startLat: number;
  startLng: number;
  endLat: number;
  endLng: number;
  distanceMeters: number | null;
  formFactor: FormFactor;
}

export type TripsReadResult = { ok: true; trips: ExactTrip[] } | { ok: false; error: FeedError };
