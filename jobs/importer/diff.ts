import type { ParkEndReason } from '../../lib/domain/fleet';
import type { FormFactor } from '../../lib/domain/formFactors';
import { distanceMeters, metersToLatDegrees } from '../../lib/geo/distance';
import type { VehicleObservation } from './feeds/types';

/**
 * The diff engine: one feed's previous state and its new snapshot in, the events and the state
 * changes out. Pure: no I/O, no clock, no randomness (ids come from `newId`, zones from `locate`),
 * so every rule can be tested on its own. The importer writes the events and, after the commit,
 * applies `upserts` and `deletes` to its state.
 */

export interface ZoneAssignment {
  /** Every zone containing the point (municipality, district, neighbourhood, custom). */
  zoneIds: readonly string[];
  municipalityCode: string | null;
}

export type Locate = (lat: number, lng: number) => ZoneAssignment;

export interface OpenRef {
  id: string;
  startTime: Date;
}

export interface ParkRef extends OpenRef {
  lat: number;
  lng: number;
}

/** A rental the vehicle's disappearance started: an inferred trip, or (rotating ids) a rental start. */
export interface PendingRental extends OpenRef {
  kind: 'TRIP' | 'RENTAL';
}

export interface GoneInfo {
  at: Date;
  reason: ParkEndReason;
  rental: PendingRental | null;
}

/** What the importer remembers about one vehicle of one feed (a `vehicle_state` row). */
export interface VehicleState {
  vehicleId: string;
  /** Last known position, and the zones containing it. */
  lat: number;
  lng: number;
  zones: ZoneAssignment;
  formFactor: FormFactor;
  vehicleTypeId: string | null;
  isReserved: boolean;
  isDisabled: boolean;
  lastReportedAt: Date | null;
  /** Present: the open park event. Gone: the one its disappearance ended (reopened on a glitch). */
  park: ParkRef | null;
  /** Present: the open non-operational period. Gone: the one its disappearance closed. */
  nonOp: OpenRef | null;
  /** Null while the vehicle is listed (present); set from the moment it vanished. */
  gone: GoneInfo | null;
}

export interface DiffSettings {
  /** A vehicle back within this time ... */
  reappearWindowMs: number;
  /** ... and this distance of where it left made no trip (a reservation or a feed glitch). */
  reappearDistanceMeters: number;
  /** Moved further than this while listed: relocated by the operator (new park event, no trip). */
  relocationDistanceMeters: number;
  /** An inferred trip still open after this long expires: the vehicle left service, not a rental. */
  maxTripDurationMs: number;
  /** Rotating ids: a new id this close to a vanished one (same type) is the same vehicle renamed. */
  rotatingMatchMeters: number;
}

export interface DiffInput {
  previous: ReadonlyMap<string, VehicleState>;
  vehicles: readonly VehicleObservation[];
  now: Date;
  rotatingIds: boolean;
  /**
   * Set after an outage or a long gap (and for a feed's first snapshot, with its own time): what
   * changed since then happened at an unknown moment. Vanished vehicles end their park events here
   * with OUTAGE, and no trip, rental start or rental end is invented.
   */
  reconcileFrom: Date | null;
  settings: DiffSettings;
  locate: Locate;
  newId: () => string;
}

export interface ParkStart {
  id: string;
  vehicleId: string;
  formFactor: FormFactor;
  vehicleTypeId: string | null;
  lat: number;
  lng: number;
  startTime: Date;
  zones: ZoneAssignment;
}

export interface PeriodEnd extends OpenRef {
  endTime: Date;
}

export interface ParkEnd extends PeriodEnd {
  reason: ParkEndReason;
}

export type TripStart = ParkStart;

export interface TripEnd extends PeriodEnd {
  lat: number;
  lng: number;
  zones: ZoneAssignment;
  distanceMeters: number;
}

/** Rotating ids: a rental start (a vehicle vanished) or end (an unknown vehicle appeared). */
export interface RentalEvent {
  id: string;
  kind: 'START' | 'END';
  vehicleId: string;
  formFactor: FormFactor;
  vehicleTypeId: string | null;
  at: Date;
  lat: number;
  lng: number;
  zones: ZoneAssignment;
}

export type NonOpStart = ParkStart;

export interface DiffEvents {
  parkStarts: ParkStart[];
  parkEnds: ParkEnd[];
  /** Park events ended by a disappearance that turned out not to be a rental. */
  parkReopens: OpenRef[];
  tripStarts: TripStart[];
  tripEnds: TripEnd[];
  /** Inferred trips dropped because the vehicle came back (`endTime`: when that was seen). */
  tripCancels: PeriodEnd[];
  tripExpiries: OpenRef[];
  rentals: RentalEvent[];
  /** Rental starts (rotating ids) dropped because the vehicle came back under the same id. */
  rentalCancels: OpenRef[];
  nonOpStarts: NonOpStart[];
  nonOpEnds: PeriodEnd[];
  nonOpReopens: OpenRef[];
}

export interface DiffResult {
  events: DiffEvents;
  /** New or changed vehicle states (objects of `previous` are never modified). */
  upserts: VehicleState[];
  /** Vehicle ids whose state is no longer needed. */
  deletes: string[];
  /** Vehicles listed in the snapshot, after dropping repeated ids. */
  present: number;
  /** Repeated vehicle ids in the snapshot (the first one counts). */
  duplicates: number;
  /** Rotating ids: vehicles recognised under a new id at the same place. */
  renamed: number;
}

export function emptyEvents(): DiffEvents {
  return {
    parkStarts: [],
    parkEnds: [],
    parkReopens: [],
    tripStarts: [],
    tripEnds: [],
    tripCancels: [],
    tripExpiries: [],
    rentals: [],
    rentalCancels: [],
    nonOpStarts: [],
    nonOpEnds: [],
    nonOpReopens: [],
  };
}

export function countEvents(events: DiffEvents): number {
  let total = 0;
  for (const list of Object.values(events) as unknown[][]) total += list.length;
  return total;
}

/**
 * "Suddenly loses most of its vehicles": fewer than `ratio` of the previous count, when that count
 * was at least `minVehicles`. Such a snapshot is treated as an outage, not as a wave of rentals.
 */
export function isVehicleDrop(
  previousCount: number,
  count: number,
  settings: { dropRatio: number; dropMinVehicles: number },
): boolean {
  return previousCount >= settings.dropMinVehicles && count < previousCount * settings.dropRatio;
}

export function presentCount(states: Iterable<VehicleState>): number {
  let count = 0;
  for (const state of states) if (!state.gone) count += 1;
  return count;
}

/** Diffs one snapshot against the previous state; see DESIGN.md "Jobs and their rules". */
export function diffSnapshot(input: DiffInput): DiffResult {
  const { previous, now, settings, locate, newId, reconcileFrom } = input;
  const events = emptyEvents();
  const upserts: VehicleState[] = [];
  const deletes: string[] = [];
  const seen = new Set<string>();
  const appeared: VehicleObservation[] = [];
  let duplicates = 0;

  const startPark = (obs: VehicleObservation, zones: ZoneAssignment): ParkRef => {
    const park = { id: newId(), startTime: now, lat: obs.lat, lng: obs.lng };
    events.parkStarts.push({
      ...park,
      vehicleId: obs.vehicleId,
      formFactor: obs.formFactor,
      vehicleTypeId: obs.vehicleTypeId,
      zones,
    });
    return park;
  };

  const startNonOp = (obs: VehicleObservation, zones: ZoneAssignment): OpenRef => {
    const period = { id: newId(), startTime: now };
    events.nonOpStarts.push({
      ...period,
      vehicleId: obs.vehicleId,
      formFactor: obs.formFactor,
      vehicleTypeId: obs.vehicleTypeId,
      lat: obs.lat,
      lng: obs.lng,
      zones,
    });
    return period;
  };

  const observed = (
    obs: VehicleObservation,
    zones: ZoneAssignment,
    park: ParkRef | null,
    nonOp: OpenRef | null,
  ): VehicleState => ({
    vehicleId: obs.vehicleId,
    lat: obs.lat,
    lng: obs.lng,
    zones,
    formFactor: obs.formFactor,
    vehicleTypeId: obs.vehicleTypeId,
    isReserved: obs.isReserved,
    isDisabled: obs.isDisabled,
    lastReportedAt: obs.lastReportedAt,
    park,
    nonOp,
    gone: null,
  });

  /** A vehicle nobody knew (or whose earlier life is over): a check-in. */
  const checkIn = (obs: VehicleObservation): VehicleState => {
    const zones = locate(obs.lat, obs.lng);
    const park = startPark(obs, zones);
    const nonOp = obs.isDisabled ? startNonOp(obs, zones) : null;
    return observed(obs, zones, park, nonOp);
  };

  /**
   * Listed before and now (possibly under a new id): relocation, disabled flips, new position.
   * Returns `prev` itself when nothing about the vehicle changed.
   */
  const stillHere = (prev: VehicleState, obs: VehicleObservation): VehicleState => {
    if (!prev.park) return checkIn(obs);
    const moved = prev.lat !== obs.lat || prev.lng !== obs.lng;
    // The common case, most vehicles on most ticks: nothing about it changed.
    if (
      !moved &&
      prev.isDisabled === obs.isDisabled &&
      prev.isReserved === obs.isReserved &&
      prev.vehicleId === obs.vehicleId &&
      prev.formFactor === obs.formFactor &&
      prev.vehicleTypeId === obs.vehicleTypeId
    ) {
      return prev;
    }
    const zones = moved ? locate(obs.lat, obs.lng) : prev.zones;
    let park: ParkRef = prev.park;
    if (
      moved &&
      distanceMeters(park.lat, park.lng, obs.lat, obs.lng) > settings.relocationDistanceMeters
    ) {
      events.parkEnds.push({
        id: park.id,
        startTime: park.startTime,
        endTime: reconcileFrom ?? now,
        reason: reconcileFrom ? 'OUTAGE' : 'RELOCATION',
      });
      park = startPark(obs, zones);
    }
    let nonOp = prev.nonOp;
    if (obs.isDisabled && !prev.isDisabled) nonOp = startNonOp(obs, zones);
    if (!obs.isDisabled && prev.isDisabled) {
      if (nonOp) events.nonOpEnds.push({ ...nonOp, endTime: now });
      nonOp = null;
    }
    return observed(obs, zones, park, nonOp);
  };

  /** Listed again after having vanished: a glitch (nothing happened) or the end of a rental. */
  const back = (prev: VehicleState, gone: GoneInfo, obs: VehicleObservation): VehicleState => {
    const glitch =
      prev.park !== null &&
      now.getTime() - gone.at.getTime() <= settings.reappearWindowMs &&
      distanceMeters(prev.lat, prev.lng, obs.lat, obs.lng) <= settings.reappearDistanceMeters;
    const zones = locate(obs.lat, obs.lng);
    if (glitch && prev.park) {
      events.parkReopens.push({ id: prev.park.id, startTime: prev.park.startTime });
      if (gone.rental?.kind === 'TRIP') {
        events.tripCancels.push({ ...openRef(gone.rental), endTime: now });
      }
      if (gone.rental?.kind === 'RENTAL') events.rentalCancels.push(openRef(gone.rental));
      let nonOp: OpenRef | null = null;
      if (obs.isDisabled && prev.nonOp) {
        events.nonOpReopens.push(prev.nonOp);
        nonOp = prev.nonOp;
      } else if (obs.isDisabled) {
        nonOp = startNonOp(obs, zones);
      }
      return observed(obs, zones, prev.park, nonOp);
    }
    const rental = gone.rental;
    if (rental?.kind === 'TRIP') {
      if (now.getTime() - rental.startTime.getTime() > settings.maxTripDurationMs) {
        events.tripExpiries.push({ id: rental.id, startTime: rental.startTime });
      } else {
        events.tripEnds.push({
          id: rental.id,
          startTime: rental.startTime,
          endTime: now,
          lat: obs.lat,
          lng: obs.lng,
          zones,
          distanceMeters: Math.round(distanceMeters(prev.lat, prev.lng, obs.lat, obs.lng)),
        });
      }
    } else if (rental?.kind === 'RENTAL') {
      rentalEnd(obs, zones);
    }
    const park = startPark(obs, zones);
    const nonOp = obs.isDisabled ? startNonOp(obs, zones) : null;
    return observed(obs, zones, park, nonOp);
  };

  const rentalEnd = (obs: VehicleObservation, zones: ZoneAssignment): void => {
    events.rentals.push({
      id: newId(),
      kind: 'END',
      vehicleId: obs.vehicleId,
      formFactor: obs.formFactor,
      vehicleTypeId: obs.vehicleTypeId,
      at: now,
      lat: obs.lat,
      lng: obs.lng,
      zones,
    });
  };

  /** Listed before, not now. */
  const vanished = (prev: VehicleState): VehicleState => {
    const at = reconcileFrom ?? now;
    const reason: ParkEndReason = reconcileFrom ? 'OUTAGE' : prev.isDisabled ? 'REMOVED' : 'RENTAL';
    if (prev.park) events.parkEnds.push({ ...openRef(prev.park), endTime: at, reason });
    if (prev.nonOp) events.nonOpEnds.push({ ...prev.nonOp, endTime: at });
    let rental: PendingRental | null = null;
    if (reason === 'RENTAL') {
      const started = {
        id: newId(),
        vehicleId: prev.vehicleId,
        formFactor: prev.formFactor,
        vehicleTypeId: prev.vehicleTypeId,
        lat: prev.lat,
        lng: prev.lng,
        zones: prev.zones,
      };
      if (input.rotatingIds) {
        events.rentals.push({ ...started, kind: 'START', at: now });
        rental = { id: started.id, startTime: now, kind: 'RENTAL' };
      } else {
        events.tripStarts.push({ ...started, startTime: now });
        rental = { id: started.id, startTime: now, kind: 'TRIP' };
      }
    }
    return { ...prev, gone: { at, reason, rental } };
  };

  /** Not listed before nor now: expire long trips, forget what can no longer come back. */
  const stillGone = (prev: VehicleState, gone: GoneInfo): void => {
    const rental = gone.rental;
    const sinceGone = now.getTime() - gone.at.getTime();
    if (rental?.kind === 'TRIP') {
      if (now.getTime() - rental.startTime.getTime() > settings.maxTripDurationMs) {
        events.tripExpiries.push({ id: rental.id, startTime: rental.startTime });
        deletes.push(prev.vehicleId);
      }
      return;
    }
    // No inferred trip waiting for its end: only a glitch could still bring it back, within the
    // reappearance window. Rotating ids never come back at all.
    if (sinceGone > settings.reappearWindowMs) deletes.push(prev.vehicleId);
  };

  for (const obs of input.vehicles) {
    if (seen.has(obs.vehicleId)) {
      duplicates += 1;
      continue;
    }
    seen.add(obs.vehicleId);
    const prev = previous.get(obs.vehicleId);
    if (!prev) {
      appeared.push(obs);
    } else if (prev.gone) {
      upserts.push(back(prev, prev.gone, obs));
    } else {
      const next = stillHere(prev, obs);
      if (next !== prev) upserts.push(next);
    }
  }

  const disappeared: VehicleState[] = [];
  for (const prev of previous.values()) {
    if (seen.has(prev.vehicleId)) continue;
    if (prev.gone) stillGone(prev, prev.gone);
    else disappeared.push(prev);
  }

  let renamed = 0;
  if (input.rotatingIds && appeared.length > 0 && disappeared.length > 0) {
    const pairs = matchRenamed(appeared, disappeared, settings.rotatingMatchMeters);
    for (const [obs, prev] of pairs) {
      renamed += 1;
      deletes.push(prev.vehicleId);
      upserts.push(stillHere(prev, obs));
    }
    if (pairs.size > 0) {
      const matched = new Set([...pairs.values()]);
      removeWhere(appeared, (obs) => pairs.has(obs));
      removeWhere(disappeared, (prev) => matched.has(prev));
    }
  }

  for (const obs of appeared) {
    const state = checkIn(obs);
    if (input.rotatingIds && !reconcileFrom) rentalEnd(obs, state.zones);
    upserts.push(state);
  }
  for (const prev of disappeared) upserts.push(vanished(prev));

  return { events, upserts, deletes, present: seen.size, duplicates, renamed };
}

function openRef(ref: OpenRef): OpenRef {
  return { id: ref.id, startTime: ref.startTime };
}

function removeWhere<T>(list: T[], drop: (item: T) => boolean): void {
  let kept = 0;
  for (const item of list) if (!drop(item)) list[kept++] = item;
  list.length = kept;
}

/**
 * Rotating ids: pairs each new id with the nearest vanished vehicle of the same form factor and
 * type within `maxMeters` (a grid of `maxMeters` cells keeps this linear). Greedy, first come.
 */
function matchRenamed(
  appeared: readonly VehicleObservation[],
  disappeared: readonly VehicleState[],
  maxMeters: number,
): Map<VehicleObservation, VehicleState> {
  const pairs = new Map<VehicleObservation, VehicleState>();
  if (maxMeters <= 0) return pairs;
  let maxAbsLat = 0;
  for (const v of disappeared) maxAbsLat = Math.max(maxAbsLat, Math.abs(v.lat));
  for (const v of appeared) maxAbsLat = Math.max(maxAbsLat, Math.abs(v.lat));
  const latCell = metersToLatDegrees(maxMeters);
  const lngCell = latCell / Math.max(0.01, Math.cos((Math.min(maxAbsLat, 89) * Math.PI) / 180));
  const key = (row: number, col: number) => `${row}:${col}`;
  const grid = new Map<string, VehicleState[]>();
  for (const v of disappeared) {
    const k = key(Math.floor(v.lat / latCell), Math.floor(v.lng / lngCell));
    const bucket = grid.get(k);
    if (bucket) bucket.push(v);
    else grid.set(k, [v]);
  }
  const taken = new Set<VehicleState>();
  for (const obs of appeared) {
    const row = Math.floor(obs.lat / latCell);
    const col = Math.floor(obs.lng / lngCell);
    let best: VehicleState | undefined;
    let bestMeters = maxMeters;
    for (let dr = -1; dr <= 1; dr += 1) {
      for (let dc = -1; dc <= 1; dc += 1) {
        for (const v of grid.get(key(row + dr, col + dc)) ?? []) {
          if (taken.has(v) || v.formFactor !== obs.formFactor) continue;
          if (v.vehicleTypeId !== obs.vehicleTypeId) continue;
          const meters = distanceMeters(v.lat, v.lng, obs.lat, obs.lng);
          if (meters <= bestMeters) {
            best = v;
            bestMeters = meters;
          }
        }
      }
    }
    if (best) {
      taken.add(best);
      pairs.set(obs, best);
    }
  }
  return pairs;
}
