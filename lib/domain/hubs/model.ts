import type { Config } from '../../config';
import type { AreaShapeLimits } from '../../geo/areaShape';
import type { AreaGeometry } from '../../geo/geometry';
import { FORM_FACTORS, type FormFactor } from '../formFactors';

/** The status key of a hub with one capacity shared by every form factor it takes. */
export const COMBINED = 'COMBINED';
export type StatusKey = FormFactor | typeof COMBINED;

export const HUB_CONTROLS = ['AUTOMATIC', 'MANUAL_OPEN', 'MANUAL_CLOSED'] as const;
export type HubControl = (typeof HUB_CONTROLS)[number];

/**
 * Why a status is what it is. PLACES_AVAILABLE / FULL / BELOW_REOPEN_THRESHOLD come from counting,
 * MANUAL_* from an override, NOT_YET_EFFECTIVE from the hub's dates. RETIRED (the hub reached its
 * retire date) and REMOVED (its capacity no longer names this form factor) end a status: they
 * appear in the history and in events only.
 */
export const HUB_STATUS_REASONS = [
  'PLACES_AVAILABLE',
  'FULL',
  'BELOW_REOPEN_THRESHOLD',
  'MANUAL_OPEN',
  'MANUAL_CLOSED',
  'NOT_YET_EFFECTIVE',
  'RETIRED',
  'REMOVED',
] as const;
export type HubStatusReason = (typeof HUB_STATUS_REASONS)[number];

/** `{ COMBINED: 20 }` or places per form factor, `{ BICYCLE: 12, MOPED: 4 }`. */
export type HubCapacity = Partial<Record<StatusKey, number>>;

/** A hub as the controller and the API read it: the `hubs` row joined with its zone. */
export interface HubRow {
  id: string;
  code: string;
  name: string;
  geometry: AreaGeometry;
  municipality_code: string;
  owner_organisation_id: string | null;
  center_lat: number;
  center_lng: number;
  radius_meters: number | null;
  buffer_meters: number;
  capacity: HubCapacity;
  combined_form_factors: FormFactor[] | null;
  control: HubControl;
  effective_from: Date;
  retire_at: Date | null;
  revision: string;
  created_at: Date;
  updated_at: Date;
}

/** A hub as the controller counts it; point hubs may come without geometry (the circle counts). */
export type CountedHub = Omit<
  HubRow,
  'geometry' | 'code' | 'name' | 'created_at' | 'updated_at'
> & {
  geometry: AreaGeometry | null;
};

/** The current status of one hub for one form factor (or COMBINED). */
export interface HubStatusRow {
  hub_id: string;
  form_factor: StatusKey;
  vehicles: number;
  vehicles_available: number;
  capacity: number;
  places_available: number;
  open: boolean;
  reason: HubStatusReason;
  since: Date;
  /** When these figures were recorded: rows are written only when they change. */
  updated_at: Date;
  /** Vehicles per form factor: `{ BICYCLE: [counted, rentable] }`. */
  breakdown: Partial<Record<FormFactor, [number, number]>>;
  version: string;
}

export interface HubHistoryRow {
  id: string;
  hub_id: string;
  form_factor: StatusKey;
  open: boolean;
  reason: HubStatusReason;
  vehicles: number;
  capacity: number;
  places_available: number;
  at: Date;
}

/** The form factors a hub takes: those of its capacity, or those of its combined capacity. */
export function acceptedFormFactors(hub: {
  capacity: HubCapacity;
  combined_form_factors: FormFactor[] | null;
}): FormFactor[] {
  if (hub.capacity.COMBINED !== undefined) {
    return hub.combined_form_factors ?? [...FORM_FACTORS];
  }
  return FORM_FACTORS.filter((f) => hub.capacity[f] !== undefined);
}

/** Visible to everyone: effective and not retired at `at`. */
export function isPublicAt(
  hub: { effective_from: Date; retire_at: Date | null },
  at: Date,
): boolean {
  return hub.effective_from <= at && (hub.retire_at === null || hub.retire_at > at);
}

/** The largest buffer a hub may have: how far a mutation looks for hubs sharing its vehicles. */
export const MAX_BUFFER_METERS = 200;

export interface MicrohubSettings {
  /** A closed hub reopens once free places reach this share of its capacity (0.05 = 5 %). */
  reopenFreeRatio: number;
  defaultBufferMeters: number;
  feedTtlMs: number;
  feedLanguage: string;
  /** What a hub's geometry may hold (published in every operator feed). */
  shapeLimits: AreaShapeLimits;
  /** At least this share of a hub's area (0.95 = 95 %) lies in its one municipality. */
  minShareInMunicipality: number;
}

export function microhubSettings(config: Config): MicrohubSettings {
  return {
    reopenFreeRatio: config.MICROHUB_REOPEN_FREE_PERCENT / 100,
    defaultBufferMeters: config.MICROHUB_DEFAULT_BUFFER_METERS,
    feedTtlMs: config.MICROHUB_FEED_TTL_MS,
    feedLanguage: config.MICROHUB_FEED_LANGUAGE,
    shapeLimits: {
      maxVertices: config.MICROHUB_MAX_VERTICES,
      maxHoles: config.MICROHUB_MAX_HOLES,
      maxParts: config.MICROHUB_MAX_PARTS,
      names: {
        maxVertices: 'MICROHUB_MAX_VERTICES',
        maxHoles: 'MICROHUB_MAX_HOLES',
        maxParts: 'MICROHUB_MAX_PARTS',
      },
    },
    minShareInMunicipality: config.MICROHUB_MIN_SHARE_IN_MUNICIPALITY_PERCENT / 100,
  };
}
