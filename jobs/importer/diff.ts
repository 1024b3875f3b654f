import type { ParkEndReason } from '../../lib/domain/fleet';
import type { FormFactor } from '../../lib/domain/formFactors';
import { distanceMeters, metersToLatDegrees } from '../../lib/geo/distance';
import type { VehicleObservation } from '../../lib/feeds/types';

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

/**
 * Why a listed vehicle is held (kept present, its park event open, no events) although the last
 * accepted snapshot did not list it:
 * - PARTIAL_OUTAGE: it vanished together with a large share of the fleet (an API returning part of
 *   its vehicles), which is an outage of those vehicles, not a wave of rentals.
 * - QUARANTINED: the snapshot listed it with a bad record (no position, a duplicate id, a wrong
 *   field), so where it is now is unknown.
 */
export type HoldReason = 'PARTIAL_OUTAGE' | 'QUARANTINED';

export interface HoldInfo {
  since: Date;
  reason: HoldReason;
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
  /** Present but not in the last accepted snapshot: its position is stale (see HoldReason). */
  held: HoldInfo | null;
  /** The station it stands at (GBFS `station_id`), apart from vehicles in public space. */
  stationId: string | null;
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
  /**
   * At least this many vehicles vanishing (or, on a rotating-id feed, appearing) in one snapshot
   * within `batchRadiusMeters` of each other are an operator's van collecting (or deploying)
   * vehicles, not rentals.
   */
  batchMinVehicles: number;
  batchRadiusMeters: number;
  /**
   * A snapshot in which at least this share of the listed vehicles (and `partialOutageMinVehicles`)
   * vanished, scattered, is a partial outage: those vehicles are held, not rented. The same share
   * appearing at once on a rotating-id feed is a deployment, not rental ends.
   */
  partialOutageRatio: number;
  partialOutageMinVehicles: number;
  /** A vehicle held this long without being listed again is gone (its park event ends: OUTAGE). */
  holdMaxMs: number;
  /**
   * When at least this share of the vehicles that vanished in one snapshot have a new id within
   * `rotatingMatchMeters` (and `partialOutageMinVehicles` of them), the feed re-keyed its fleet:
   * they are renamed, whatever the feed's id mode, and nothing else happened.
   */
  rekeyShare: number;
  /**
   * A vehicle seen for the first time starts its park event at its own `last_reported` when that
   * is in the past and no older than this (it stood there before we looked); otherwise now.
   */
  parkStartHorizonMs: number;
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
  /** Vehicle ids the snapshot listed with a bad record: held as they were, not vanished. */
  quarantined?: ReadonlySet<string>;
  /**
   * How many vehicles vanish (one by one) in a typical snapshot of this feed. Vanishing or
   * appearing in far larger numbers at once is not riders (see `bulkThreshold`).
   */
  typicalChurn?: number | null;
  settings: DiffSettings;
  locate: Locate;
  newId: () => string;
}

export interface ParkStart {
  id: string;
  /**
   * False when the start is the vehicle's own `last_reported` (seen for the first time, it had
   * been standing there since), true when the importer saw it arrive (or first read it then).
   */
  startObserved?: boolean;
  vehicleId: string;
  formFactor: FormFactor;
  vehicleTypeId: string | null;
  lat: number;
  lng: number;
  startTime: Date;
  zones: ZoneAssignment;
  /** The station it stands at (park events only): counted apart from public space. */
  stationId?: string | null;
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
  /** Vehicles that vanished one by one (rentals started): the feed's churn. */
  vanished: number;
  /** Repeated vehicle ids in the snapshot (the first one counts). */
  duplicates: number;
  /** Rotating ids: vehicles recognised under a new id at the same place. */
  renamed: number;
  /** Vehicles renamed in place at once (the fleet re-keyed): no events, see `rekeyShare`. */
  rekeyed: number;
  /** Vehicles that vanished in a partial outage in this snapshot (held, no trips). */
  partialOutageStarted: number;
  /** Vehicles back at their place in one batch after vanishing together: their trips dropped. */
  partialOutageReturned: number;
  /** Vehicles held after this snapshot (partial outage or quarantine). */
  held: number;
  /** Vehicles that vanished in a cluster (an operator's collection): no trips. */
  collected: number;
  /** Rotating ids: vehicles that appeared in bulk or in a cluster (a deployment): no rental ends. */
  deployed: number;
  /** Vehicles listed under an id never seen before, one by one (not in bulk, not renamed). */
  newIds: number;
  /** Vehicles listed again under the id they vanished with. */
  returnedIds: number;
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

/**
 * Vehicles vanishing (or appearing) at once in this many are an outage, a van or a deployment,
 * not riders: far more than the feed's typical churn (riders come and go like a Poisson process,
 * so mean + 5 standard deviations is almost never reached by chance), and at most the partial
 * outage share of the fleet; never fewer than `partialOutageMinVehicles`.
 */
export function bulkThreshold(
  settings: Pick<DiffSettings, 'partialOutageMinVehicles' | 'partialOutageRatio'>,
  present: number,
  typicalChurn: number | null,
): number {
  const share = settings.partialOutageRatio * present;
  const byChurn = typicalChurn === null ? share : typicalChurn + 5 * Math.sqrt(typicalChurn) + 3;
  return Math.max(settings.partialOutageMinVehicles, Math.min(share, byChurn));
}

export function presentCount(states: Iterable<VehicleState>): number {
  let count = 0;
  for (const state of states) if (!state.gone) count += 1;
  return count;
}

/** Diffs one snapshot against the previous state; see DESIGN.md "Jobs and their rules". */
export function diffSnapshot(input: DiffInput): DiffResult {
  const { previous, now, settings, locate, newId, reconcileFrom } = input;
  const quarantined = input.quarantined ?? new Set<string>();
  const events = emptyEvents();
  const upserts: VehicleState[] = [];
  const deletes: string[] = [];
  const seen = new Set<string>();
  const appeared: VehicleObservation[] = [];
  let duplicates = 0;

  const startPark = (obs: VehicleObservation, zones: ZoneAssignment, startTime = now): ParkRef => {
    const park = { id: newId(), startTime, lat: obs.lat, lng: obs.lng };
    events.parkStarts.push({
      ...park,
      startObserved: startTime === now,
      vehicleId: obs.vehicleId,
      formFactor: obs.formFactor,
      vehicleTypeId: obs.vehicleTypeId,
      zones,
      stationId: obs.stationId ?? null,
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
    held: null,
    stationId: obs.stationId ?? null,
  });

  /**
   * A vehicle nobody knew (or whose earlier life is over): a check-in. `firstSeen`: an id never
   * seen, whose own `last_reported` (when plausible) says since when it has been standing there.
   */
  const checkIn = (obs: VehicleObservation, firstSeen = false): VehicleState => {
    const zones = locate(obs.lat, obs.lng);
    const reported = obs.lastReportedAt?.getTime();
    const plausible =
      firstSeen &&
      reported !== undefined &&
      reported < now.getTime() &&
      reported >= now.getTime() - settings.parkStartHorizonMs;
    const park = startPark(obs, zones, plausible ? new Date(reported) : now);
    const nonOp = obs.isDisabled ? startNonOp(obs, zones) : null;
    return observed(obs, zones, park, nonOp);
  };

  /**
   * Listed again after being held: at its place, it never left (its park event goes on);
   * elsewhere, it moved at an unknown moment while unseen (park event ends OUTAGE, no trip).
   */
  const fromHold = (prev: VehicleState, held: HoldInfo, obs: VehicleObservation): VehicleState => {
    const unheld = { ...prev, held: null };
    if (distanceMeters(prev.lat, prev.lng, obs.lat, obs.lng) <= settings.reappearDistanceMeters) {
      return stillHere(unheld, obs);
    }
    if (prev.park) {
      events.parkEnds.push({ ...openRef(prev.park), endTime: held.since, reason: 'OUTAGE' });
    }
    if (prev.nonOp) events.nonOpEnds.push({ ...prev.nonOp, endTime: held.since });
    return checkIn(obs);
  };

  /** A held vehicle that was in fact rented when it vanished: the trip, started then, ends now. */
  const heldRental = (
    prev: VehicleState,
    held: HoldInfo,
    obs: VehicleObservation,
  ): VehicleState => {
    const zones = locate(obs.lat, obs.lng);
    if (prev.park) {
      events.parkEnds.push({ ...openRef(prev.park), endTime: held.since, reason: 'RENTAL' });
    }
    if (prev.nonOp) events.nonOpEnds.push({ ...prev.nonOp, endTime: held.since });
    const id = newId();
    events.tripStarts.push({
      id,
      vehicleId: prev.vehicleId,
      formFactor: prev.formFactor,
      vehicleTypeId: prev.vehicleTypeId,
      lat: prev.lat,
      lng: prev.lng,
      zones: prev.zones,
      startTime: held.since,
    });
    events.tripEnds.push({
      id,
      startTime: held.since,
      endTime: now,
      lat: obs.lat,
      lng: obs.lng,
      zones,
      distanceMeters: Math.round(distanceMeters(prev.lat, prev.lng, obs.lat, obs.lng)),
    });
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
    if (prev.held) return fromHold(prev, prev.held, obs);
    const moved = prev.lat !== obs.lat || prev.lng !== obs.lng;
    // The common case, most vehicles on most ticks: nothing about it changed.
    if (
      !moved &&
      prev.isDisabled === obs.isDisabled &&
      prev.isReserved === obs.isReserved &&
      prev.vehicleId === obs.vehicleId &&
      prev.formFactor === obs.formFactor &&
      prev.vehicleTypeId === obs.vehicleTypeId &&
      prev.stationId === (obs.stationId ?? null)
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

  /**
   * Listed again after having vanished: a glitch (nothing happened) or the end of a rental.
   * `batch`: it came back to its place together with others that vanished at the same instant,
   * which is a partial outage of those vehicles ending, however long it lasted.
   */
  const back = (
    prev: VehicleState,
    gone: GoneInfo,
    obs: VehicleObservation,
    batch: boolean,
    endUnknown: boolean,
  ): VehicleState => {
    const glitch =
      prev.park !== null &&
      (batch ||
        (now.getTime() - gone.at.getTime() <= settings.reappearWindowMs &&
          distanceMeters(prev.lat, prev.lng, obs.lat, obs.lng) <= settings.reappearDistanceMeters));
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
      // Back after an outage: the trip ended at some unknown moment while the feed was unread, so
      // it can't be completed with a time (a phantom duration); it expires.
      if (
        reconcileFrom !== null ||
        endUnknown ||
        now.getTime() - rental.startTime.getTime() > settings.maxTripDurationMs
      ) {
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
    } else if (
      rental?.kind === 'RENTAL' &&
      !obs.isDisabled &&
      reconcileFrom === null &&
      !endUnknown
    ) {
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

  /** Listed before, not now. `removed`: taken off the street by the operator (no rental). */
  const vanished = (prev: VehicleState, removed = false): VehicleState => {
    const at = reconcileFrom ?? now;
    const reason: ParkEndReason = reconcileFrom
      ? 'OUTAGE'
      : removed || prev.isDisabled
        ? 'REMOVED'
        : 'RENTAL';
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
    return { ...prev, held: null, gone: { at, reason, rental } };
  };

  /** Held too long: it is gone, since it was last seen, for an unknown reason. */
  const release = (prev: VehicleState, held: HoldInfo): VehicleState => {
    if (prev.park) {
      events.parkEnds.push({ ...openRef(prev.park), endTime: held.since, reason: 'OUTAGE' });
    }
    if (prev.nonOp) events.nonOpEnds.push({ ...prev.nonOp, endTime: held.since });
    return { ...prev, held: null, gone: { at: held.since, reason: 'OUTAGE', rental: null } };
  };

  /** Not listed before nor now: expire long trips, forget what can no longer come back. */
  const stillGone = (prev: VehicleState, gone: GoneInfo): void => {
    const rental = gone.rental;
    const sinceGone = now.getTime() - gone.at.getTime();
    if (rental?.kind === 'TRIP') {
      if (input.rotatingIds) {
        // The feed turned out to rotate its ids: this vehicle will never come back under this id,
        // so its inferred trip can't be completed and is no trip.
        events.tripCancels.push({ ...openRef(rental), endTime: now });
        deletes.push(prev.vehicleId);
      } else if (now.getTime() - rental.startTime.getTime() > settings.maxTripDurationMs) {
        events.tripExpiries.push({ id: rental.id, startTime: rental.startTime });
        deletes.push(prev.vehicleId);
      }
      return;
    }
    // No inferred trip waiting for its end: only a glitch could still bring it back, within the
    // reappearance window. Rotating ids never come back at all.
    if (sinceGone > settings.reappearWindowMs) deletes.push(prev.vehicleId);
  };

  let previousPresent = 0;
  for (const prev of previous.values()) if (!prev.gone) previousPresent += 1;
  const bulk = bulkThreshold(settings, previousPresent, input.typicalChurn ?? null);

  const backs: { prev: VehicleState; gone: GoneInfo; obs: VehicleObservation }[] = [];
  const heldBacks: { prev: VehicleState; held: HoldInfo; obs: VehicleObservation }[] = [];
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
      backs.push({ prev, gone: prev.gone, obs });
    } else if (prev.held?.reason === 'PARTIAL_OUTAGE' && !reconcileFrom) {
      heldBacks.push({ prev, held: prev.held, obs });
    } else {
      const next = stillHere(prev, obs);
      if (next !== prev) upserts.push(next);
    }
  }

  // Held vehicles listed again. Many at once: the partial outage (or the van's round) is over;
  // each one stood still or moved at an unknown moment. One alone, far from where it vanished:
  // it was rented in the very snapshot a batch vanished, and this is that trip's end.
  const outageOver = heldBacks.length >= settings.partialOutageMinVehicles;
  let outageBegan = Infinity;
  for (const { prev, held, obs } of heldBacks) {
    outageBegan = Math.min(outageBegan, held.since.getTime());
    const far =
      distanceMeters(prev.lat, prev.lng, obs.lat, obs.lng) > settings.reappearDistanceMeters;
    const rented =
      far &&
      !outageOver &&
      !input.rotatingIds &&
      prev.park !== null &&
      now.getTime() - held.since.getTime() <= settings.maxTripDurationMs;
    upserts.push(rented ? heldRental(prev, held, obs) : stillHere(prev, obs));
  }

  // Vehicles back at their place together, having vanished at the same instant: a partial outage
  // that was too small to be noticed when it began. Their "trips" would all be 0 m long.
  const batchBack = new Set<VehicleState>();
  if (!reconcileFrom && backs.length >= settings.partialOutageMinVehicles) {
    const byGoneAt = new Map<number, VehicleState[]>();
    for (const { prev, gone, obs } of backs) {
      if (!gone.rental || !prev.park) continue;
      const meters = distanceMeters(prev.lat, prev.lng, obs.lat, obs.lng);
      if (meters > settings.reappearDistanceMeters) continue;
      const group = byGoneAt.get(gone.at.getTime());
      if (group) group.push(prev);
      else byGoneAt.set(gone.at.getTime(), [prev]);
    }
    for (const group of byGoneAt.values()) {
      if (group.length >= settings.partialOutageMinVehicles) {
        for (const prev of group) batchBack.add(prev);
      }
    }
  }
  for (const { prev, gone, obs } of backs) {
    // Rented before a partial outage and back just as it ends: it may have been among the
    // vehicles left out, so when the trip ended is unknown (`back` expires it).
    const acrossOutage =
      outageOver && gone.rental !== null && gone.rental.startTime.getTime() <= outageBegan;
    upserts.push(back(prev, gone, obs, batchBack.has(prev), acrossOutage));
  }

  const disappeared: VehicleState[] = [];
  let held = 0;
  for (const prev of previous.values()) {
    if (seen.has(prev.vehicleId)) continue;
    if (prev.gone) {
      stillGone(prev, prev.gone);
    } else if (quarantined.has(prev.vehicleId)) {
      held += 1;
      if (prev.held?.reason !== 'QUARANTINED') {
        upserts.push({ ...prev, held: { since: prev.held?.since ?? now, reason: 'QUARANTINED' } });
      }
    } else if (prev.held && !reconcileFrom) {
      if (now.getTime() - prev.held.since.getTime() > settings.holdMaxMs) {
        upserts.push(release(prev, prev.held));
      } else {
        held += 1;
      }
    } else {
      disappeared.push(prev);
    }
  }

  let renamed = 0;
  let rekeyed = 0;
  const rename = (pairs: Map<VehicleObservation, VehicleState>): void => {
    for (const [obs, prev] of pairs) {
      deletes.push(prev.vehicleId);
      upserts.push(stillHere(prev, obs));
    }
    const matched = new Set([...pairs.values()]);
    removeWhere(appeared, (obs) => pairs.has(obs));
    removeWhere(disappeared, (prev) => matched.has(prev));
  };
  const minRekey = settings.partialOutageMinVehicles;
  if (appeared.length >= minRekey && disappeared.length >= minRekey) {
    // Types are not compared: a re-keyed fleet (a version upgrade) may rename its types too.
    const pairs = matchRenamed(appeared, disappeared, settings.rotatingMatchMeters, false);
    if (pairs.size >= minRekey && pairs.size >= settings.rekeyShare * disappeared.length) {
      rekeyed = pairs.size;
      rename(pairs);
    }
  }
  if (rekeyed === 0 && input.rotatingIds && appeared.length > 0 && disappeared.length > 0) {
    const pairs = matchRenamed(appeared, disappeared, settings.rotatingMatchMeters, true);
    renamed = pairs.size;
    rename(pairs);
  }

  let partialOutageStarted = 0;
  let collected = 0;
  if (!reconcileFrom && disappeared.length > 0) {
    // Rotating ids: a van collecting many at once; those in its compact group are collected, the
    // few others that vanished in the same snapshot elsewhere are rentals as usual (held with the
    // burst they would never come back: their ids rotate). Stable ids keep the whole burst held:
    // a rental among it is found when the vehicle comes back alone elsewhere.
    const van =
      input.rotatingIds && disappeared.length >= bulk
        ? vanGroup(disappeared, fleetSpreadMeters(previous.values()), settings.batchRadiusMeters)
        : null;
    if (van) {
      for (const prev of van) upserts.push(vanished(prev, true));
      collected = van.size;
      removeWhere(disappeared, (prev) => van.has(prev));
    }
    if (disappeared.length >= bulk) {
      // Scattered over the city, at once: the feed lost part of its fleet, nobody rented them.
      for (const prev of disappeared) {
        upserts.push({ ...prev, held: { since: now, reason: 'PARTIAL_OUTAGE' } });
      }
      partialOutageStarted = disappeared.length;
      held += disappeared.length;
      disappeared.length = 0;
    } else {
      const batch = clustered(disappeared, settings.batchMinVehicles, settings.batchRadiusMeters);
      for (const prev of batch) upserts.push(vanished(prev, true));
      collected += batch.size;
      removeWhere(disappeared, (prev) => batch.has(prev));
    }
  }
  for (const prev of disappeared) upserts.push(vanished(prev));

  let deployed = 0;
  let newIds = 0;
  // Put down together by a van; and if what remains still came at once in bulk, spread over
  // the city, the whole lot is a deployment (or a partial outage ending under new ids).
  const deployment = clustered(appeared, settings.batchMinVehicles, settings.batchRadiusMeters);
  if (appeared.length - deployment.size >= bulk) for (const obs of appeared) deployment.add(obs);
  for (const obs of appeared) {
    // On a rotating-id feed a new id is usually a rental's end, seen as it happened.
    const state = checkIn(obs, !input.rotatingIds || reconcileFrom !== null);
    if (deployment.has(obs)) {
      deployed += 1;
    } else {
      newIds += 1;
      // A rental end: a vehicle put down by a rider, which is never a disabled one.
      if (input.rotatingIds && !reconcileFrom && !obs.isDisabled) rentalEnd(obs, state.zones);
    }
    upserts.push(state);
  }

  return {
    events,
    upserts,
    deletes,
    vanished: events.tripStarts.length + events.rentals.filter((r) => r.kind === 'START').length,
    present: seen.size,
    duplicates,
    renamed,
    rekeyed,
    partialOutageStarted,
    partialOutageReturned: batchBack.size,
    held,
    collected,
    deployed,
    newIds,
    returnedIds: backs.length,
  };
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
 * Pairs each new id with the nearest vanished vehicle within `maxMeters` (a grid of `maxMeters`
 * cells keeps this linear). Greedy, first come. Form factors must agree when both are known;
 * with `compareTypes`, vehicle types too, but only when both sides name one (GBFS 1.x publishes
 * none, and a version upgrade may rename them).
 */
function matchRenamed(
  appeared: readonly VehicleObservation[],
  disappeared: readonly VehicleState[],
  maxMeters: number,
  compareTypes: boolean,
): Map<VehicleObservation, VehicleState> {
  const pairs = new Map<VehicleObservation, VehicleState>();
  if (maxMeters <= 0) return pairs;
  const grid = new PointGrid(disappeared, maxMeters);
  const taken = new Set<VehicleState>();
  for (const obs of appeared) {
    let best: VehicleState | undefined;
    let bestMeters = maxMeters;
    grid.around(obs, (v) => {
      if (taken.has(v)) return;
      if (v.formFactor !== obs.formFactor && v.formFactor !== 'OTHER' && obs.formFactor !== 'OTHER')
        return;
      if (
        compareTypes &&
        v.vehicleTypeId !== null &&
        obs.vehicleTypeId !== null &&
        v.vehicleTypeId !== obs.vehicleTypeId
      ) {
        return;
      }
      const meters = distanceMeters(v.lat, v.lng, obs.lat, obs.lng);
      if (meters <= bestMeters) {
        best = v;
        bestMeters = meters;
      }
    });
    if (best) {
      taken.add(best);
      pairs.set(obs, best);
    }
  }
  return pairs;
}

interface Point {
  lat: number;
  lng: number;
}

/** Points bucketed in cells of `cellMeters`: the points near one are found in its 3 x 3 cells. */
class PointGrid<T extends Point> {
  private readonly cells = new Map<string, T[]>();
  private readonly latCell: number;
  private readonly lngCell: number;

  constructor(points: readonly T[], cellMeters: number) {
    let maxAbsLat = 0;
    for (const p of points) maxAbsLat = Math.max(maxAbsLat, Math.abs(p.lat));
    this.latCell = metersToLatDegrees(cellMeters);
    // Cells as wide as the narrowest (highest) latitude needs, so 3 x 3 always covers the radius.
    this.lngCell =
      this.latCell / Math.max(0.01, Math.cos((Math.min(maxAbsLat + 1, 89) * Math.PI) / 180));
    for (const p of points) {
      const k = this.key(Math.floor(p.lat / this.latCell), Math.floor(p.lng / this.lngCell));
      const cell = this.cells.get(k);
      if (cell) cell.push(p);
      else this.cells.set(k, [p]);
    }
  }

  private key(row: number, col: number): string {
    return `${row}:${col}`;
  }

  around(point: Point, visit: (p: T) => void): void {
    const row = Math.floor(point.lat / this.latCell);
    const col = Math.floor(point.lng / this.lngCell);
    for (let dr = -1; dr <= 1; dr += 1) {
      for (let dc = -1; dc <= 1; dc += 1) {
        for (const p of this.cells.get(this.key(row + dr, col + dc)) ?? []) visit(p);
      }
    }
  }
}

/**
 * The points that have at least `minPoints - 1` others within `radiusMeters`, and those others:
 * vehicles a van took away (or put down) together, not riders one by one.
 */
/** Root mean square distance of the listed vehicles from their centroid: how spread the fleet is. */
export function fleetSpreadMeters(states: Iterable<VehicleState>): number {
  let n = 0;
  let lat = 0;
  let lng = 0;
  const listed: Point[] = [];
  for (const state of states) {
    if (state.gone) continue;
    listed.push(state);
    n += 1;
    lat += state.lat;
    lng += state.lng;
  }
  if (n === 0) return 0;
  const center = { lat: lat / n, lng: lng / n };
  let sum = 0;
  for (const p of listed) sum += distanceMeters(center.lat, center.lng, p.lat, p.lng) ** 2;
  return Math.sqrt(sum / n);
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

/** A van's group covers a small part of the fleet's area: its core radius is under this share. */
const VAN_CORE_SHARE = 0.4;
/** The share of the vanished vehicles the core radius holds. */
const VAN_CORE_QUANTILE = 0.8;

/**
 * The vehicles of a burst that a van collected: most of the burst stands in one compact area
 * (the radius around its median point holding 80 % of it is under 0.4 times the fleet's spread),
 * so it is a van taking the vehicles of a neighbourhood, not a feed losing vehicles all over the
 * city. The group grows from those within that radius by links no longer than the radius (or
 * `minLinkMeters`); vehicles that vanished farther away, on their own, are rentals. Null when
 * the burst is scattered (a partial outage).
 */
export function vanGroup<T extends Point>(
  burst: readonly T[],
  fleetSpread: number,
  minLinkMeters: number,
): Set<T> | null {
  if (burst.length === 0 || fleetSpread <= 0) return null;
  const center = { lat: median(burst.map((p) => p.lat)), lng: median(burst.map((p) => p.lng)) };
  const distances = burst.map((p) => distanceMeters(center.lat, center.lng, p.lat, p.lng));
  const sorted = [...distances].sort((a, b) => a - b);
  const core = sorted[Math.floor(VAN_CORE_QUANTILE * (sorted.length - 1))] ?? 0;
  if (core > VAN_CORE_SHARE * fleetSpread) return null;
  const link = Math.max(core, minLinkMeters);
  const group = new Set(burst.filter((_p, i) => (distances[i] ?? Infinity) <= core));
  const frontier = [...group];
  for (let p = frontier.pop(); p !== undefined; p = frontier.pop()) {
    for (const q of burst) {
      if (!group.has(q) && distanceMeters(p.lat, p.lng, q.lat, q.lng) <= link) {
        group.add(q);
        frontier.push(q);
      }
    }
  }
  return group;
}

export function clustered<T extends Point>(
  points: readonly T[],
  minPoints: number,
  radiusMeters: number,
): Set<T> {
  const found = new Set<T>();
  if (minPoints < 2 || points.length < minPoints) return found;
  const grid = new PointGrid(points, radiusMeters);
  for (const p of points) {
    const near: T[] = [];
    grid.around(p, (q) => {
      if (distanceMeters(p.lat, p.lng, q.lat, q.lng) <= radiusMeters) near.push(q);
    });
    if (near.length >= minPoints) for (const q of near) found.add(q);
  }
  return found;
}
