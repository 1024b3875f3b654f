import type { FormFactor } from './formFactors';

/** An operator's id: its GBFS system name style, lowercase letters, digits, - and _. */
export const OPERATOR_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/**
 * - `GBFS_FREE_BIKE_STATUS`: the URL of a GBFS 2.x `free_bike_status.json`.
 * - `GBFS_DISCOVERY`: the URL of a GBFS 2.x `gbfs.json` (a 3.0 one is recognised by its version).
 * - `GBFS3_VEHICLE_STATUS`: the URL of a GBFS 3.0 `gbfs.json` or directly of its `vehicle_status.json`.
 * - `MDS_VEHICLES`: the base URL of an MDS 2.0 Provider API (`<url>/vehicles`, `<url>/vehicles/status`).
 */
export const FEED_TYPES = [
  'GBFS_FREE_BIKE_STATUS',
  'GBFS_DISCOVERY',
  'GBFS3_VEHICLE_STATUS',
  'MDS_VEHICLES',
] as const;
export type FeedType = (typeof FEED_TYPES)[number];

/**
 * Whether a feed's vehicle ids rotate when its administrator has not said: GBFS 2.0+ requires
 * ids to change after every rental (privacy), MDS device ids are stable.
 */
export function defaultRotatingIds(type: FeedType): boolean {
  return type !== 'MDS_VEHICLES';
}

/** The id mode the importer uses: the administrator's word, else the type's default. */
export function effectiveRotatingIds(type: FeedType, declared: boolean | null): boolean {
  return declared ?? defaultRotatingIds(type);
}

/** Why a listed vehicle is kept although its feed's last snapshot did not list it (importer). */
export type HoldReason = 'PARTIAL_OUTAGE' | 'QUARANTINED';

/**
 * Why a park event ended. Only RENTAL is followed by a trip (or a rental start).
 * - RENTAL: the vehicle left the feed: someone rented it.
 * - RELOCATION: it moved more than the relocation distance while listed: the operator moved it.
 * - REMOVED: it left the feed while disabled: a disabled vehicle can't be rented, the operator took it.
 * - OUTAGE: it left (or moved) while the feed was down or unread: when and why are unknown.
 */
export const PARK_END_REASONS = ['RENTAL', 'RELOCATION', 'REMOVED', 'OUTAGE'] as const;
export type ParkEndReason = (typeof PARK_END_REASONS)[number];

/** A row of `vehicle_state` (the importer's per-vehicle state) as the importer reads it back. */
export interface VehicleStateRow {
  vehicle_id: string;
  lat: number;
  lng: number;
  zone_ids: string[];
  municipality_code: string | null;
  form_factor: FormFactor;
  vehicle_type_id: string | null;
  is_reserved: boolean;
  is_disabled: boolean;
  last_reported_at: Date | null;
  park_event_id: string | null;
  park_start: Date | null;
  park_lat: number | null;
  park_lng: number | null;
  non_op_id: string | null;
  non_op_start: Date | null;
  gone_at: Date | null;
  gone_reason: ParkEndReason | null;
  rental_id: string | null;
  rental_start: Date | null;
  rental_kind: 'TRIP' | 'RENTAL' | null;
  held_since: Date | null;
  held_reason: HoldReason | null;
  station_id: string | null;
}

/** A row of the `vehicles_now` view: the vehicles listed in their feed now. */
export type VehicleNowRow = Pick<
  VehicleStateRow,
  | 'vehicle_id'
  | 'lat'
  | 'lng'
  | 'zone_ids'
  | 'municipality_code'
  | 'form_factor'
  | 'vehicle_type_id'
  | 'is_reserved'
  | 'is_disabled'
  | 'last_reported_at'
  | 'park_event_id'
  | 'station_id'
> & {
  feed_id: string;
  operator_id: string;
  parked_since: Date | null;
  /** The position was not confirmed by the feed's last read (see `vehicles_now`). */
  stale: boolean;
  seen_at: Date | null;
};
