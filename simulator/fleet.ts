import { assertNever } from '../lib/errors';
import { distanceMeters as haversineMeters } from '../lib/geo/distance';
import { HOUR } from '../lib/units';
import {
  activityAt,
  DISABLED_MAX_MS,
  DISABLED_MIN_MS,
  HIDDEN_DRIFT_MAX_METERS,
  IDLE_OUTCOME_WEIGHTS,
  IDLE_OUTCOMES,
  MDS_EVENT_TYPES,
  mdsModeFor,
  MEAN_IDLE_MS,
  RELOCATION_MAX_METERS,
  RELOCATION_MIN_METERS,
  RENTAL_MAX_METERS,
  RENTAL_MIN_METERS,
  RESERVATION_MAX_MS,
  RESERVATION_MIN_MS,
  RESERVATION_RENTAL_SHARE,
  SPEED_METERS_PER_SECOND,
  vehicleTypeFor,
  type MdsHappening,
} from './behaviour';
import { EventQueue } from './eventQueue';
import { roundCoordinate } from './geoMath';
import type { CompletedTrip, FleetChange, OperatorOptions, SimOperator, SimVehicle } from './model';
import { IdSequence, Random } from './random';
import type { Point, ServiceArea } from './serviceArea';
import { TripStore } from './tripStore';

export interface FleetOptions {
  operators: OperatorOptions[];
  seed: number;
  area: ServiceArea;
  startMs: number;
  tripRetentionMs: number;
  /** Told of every change to a vehicle, in time order (the demo's history is recorded from it). */
  observer?: (change: FleetChange) => void;
}

/**
 * The simulated operators and their vehicles on a simulated clock. Every vehicle has exactly one
 * pending event (when its current state ends) in one time-ordered queue, so advancing the clock
 * costs O(events that happen), not O(vehicles). All randomness comes from one seeded stream in
 * event order: the same seed and the same `advance` calls give the same feeds.
 */
export class Fleet {
  readonly operators: SimOperator[];
  readonly trips: TripStore;
  nowMs: number;
  /** Events handled so far (rentals, reservations, relocations, ...). */
  eventCount = 0;
  private readonly random: Random;
  private readonly ids: IdSequence;
  private readonly area: ServiceArea;
  private readonly queue = new EventQueue<SimVehicle>();
  private prunedHour: number;
  private readonly observer: ((change: FleetChange) => void) | undefined;

  constructor(options: FleetOptions) {
    this.observer = options.observer;
    this.random = new Random(options.seed);
    this.ids = new IdSequence(this.random);
    this.area = options.area;
    this.nowMs = options.startMs;
    this.prunedHour = Math.floor(options.startMs / HOUR);
    this.trips = new TripStore(options.tripRetentionMs);
    const ids = new Set<string>();
    this.operators = options.operators.map((o) => {
      if (!/^[A-Za-z0-9_-]+$/.test(o.id) || ids.has(o.id)) {
        throw new Error(
          `operator id "${o.id}" must be unique and use only letters, digits, _ and -`,
        );
      }
      ids.add(o.id);
      return this.createOperator(o);
    });
  }

  private createOperator(options: OperatorOptions): SimOperator {
    const operator: SimOperator = {
      id: options.id,
      name: options.name,
      formFactor: options.formFactor,
      mode: mdsModeFor(options.formFactor),
      rotatingIds: options.rotatingIds ?? false,
      providerId: this.random.uuid(),
      vehicleType: vehicleTypeFor(options.id, options.name, options.formFactor),
      vehicles: [],
      version: 0,
      faults: { missingShare: 0, frozen: false, badRecords: 0 },
    };
    for (let i = 0; i < options.vehicles; i += 1) {
      this.addVehicle(operator, this.area.samplePoint(this.random));
    }
    return operator;
  }

  /** A new vehicle of the operator, parked and available at `at`. */
  private addVehicle(operator: SimOperator, at: Point): void {
    const codePrefix = operator.id.slice(0, 3).toUpperCase();
    const vehicle: SimVehicle = {
      operator,
      deviceId: this.random.uuid(),
      code: `${codePrefix}-${String(operator.vehicles.length + 1).padStart(6, '0')}`,
      publicId: this.random.uuid(),
      lat: 0,
      lng: 0,
      state: 'AVAILABLE',
      eventId: '',
      eventTypes: [],
      eventMs: this.nowMs,
      eventTripId: null,
      telemetryId: '',
      trip: null,
      parkedSinceMs: this.nowMs,
      parkedLat: 0,
      parkedLng: 0,
      serialized: {},
      dueMs: 0,
      dropAt: null,
    };
    this.moveTo(vehicle, at);
    this.parkHere(vehicle);
    this.record(vehicle, 'DEPLOYED', null);
    operator.vehicles.push(vehicle);
    this.scheduleIdle(vehicle);
  }

  private operator(operatorId: string): SimOperator {
    const operator = this.operators.find((o) => o.id === operatorId);
    if (!operator) throw new Error(`no simulated operator "${operatorId}"`);
    return operator;
  }

  /** Changes what the operator's feeds get wrong (see FeedFaults). */
  setFaults(operatorId: string, faults: Partial<SimOperator['faults']>): void {
    const operator = this.operator(operatorId);
    operator.faults = { ...operator.faults, ...faults };
    operator.version += 1;
  }

  /**
   * The operator gives every vehicle a new GBFS id at once (a re-keyed fleet); with
   * `renameTypes`, its vehicle type gets a new id too (a feed version upgrade).
   */
  rekey(operatorId: string, renameTypes = false): void {
    const operator = this.operator(operatorId);
    for (const v of operator.vehicles) {
      v.publicId = this.random.uuid();
      v.serialized = {};
    }
    if (renameTypes)
      operator.vehicleType = { ...operator.vehicleType, id: `${operator.vehicleType.id}-v2` };
    operator.version += 1;
  }

  /** The operator puts `count` new vehicles on the street together, around one place. */
  deploy(operatorId: string, count: number): void {
    const operator = this.operator(operatorId);
    const depot = this.area.samplePoint(this.random);
    for (let i = 0; i < count; i++) {
      this.addVehicle(operator, this.area.pointAround(this.random, depot, 1, 80) ?? depot);
    }
  }

  /**
   * A van collects the `count` available vehicles nearest to a random place and, `awayMs` later,
   * puts them down together around another one (with new GBFS ids if the operator rotates them).
   */
  rebalance(operatorId: string, count: number, awayMs: number): void {
    const operator = this.operator(operatorId);
    const from = this.area.samplePoint(this.random);
    const to = this.area.samplePoint(this.random);
    const candidates = operator.vehicles
      .filter((v) => v.state === 'AVAILABLE')
      .map((v) => ({ v, meters: haversineMeters(v.lat, v.lng, from.lat, from.lng) }))
      .sort((a, b) => a.meters - b.meters)
      .slice(0, count);
    for (const { v } of candidates) {
      v.state = 'COLLECTED';
      v.dropAt = this.area.pointAround(this.random, to, 1, 80) ?? to;
      this.record(v, 'REBALANCE_PICK_UP', null);
      this.schedule(v, awayMs);
    }
  }

  /** Runs the simulation forward by `ms`, handling every event due on the way, in time order. */
  advance(ms: number): void {
    const target = this.nowMs + Math.max(0, ms);
    while (this.queue.peekTime() <= target) {
      const next = this.queue.pop();
      if (!next) break;
      // Rescheduled since (collected by a van): this event no longer applies.
      if (next.atMs !== next.value.dueMs) continue;
      this.nowMs = Math.max(this.nowMs, next.atMs);
      this.eventCount += 1;
      this.handle(next.value);
    }
    this.nowMs = target;
    const hour = Math.floor(target / HOUR);
    if (hour !== this.prunedHour) {
      this.prunedHour = hour;
      this.trips.prune(target);
    }
  }

  private handle(vehicle: SimVehicle): void {
    switch (vehicle.state) {
      case 'AVAILABLE':
        return this.idleEnds(vehicle);
      case 'RESERVED':
        if (this.random.chance(RESERVATION_RENTAL_SHARE)) return this.startRental(vehicle);
        return this.becomeAvailable(vehicle, 'RESERVATION_CANCEL', vehicle.eventTripId);
      case 'HIDDEN': {
        const drifted = this.area.pointAround(this.random, vehicle, 1, HIDDEN_DRIFT_MAX_METERS);
        if (drifted) this.moveTo(vehicle, drifted);
        return this.becomeAvailable(vehicle, 'RESERVATION_CANCEL', vehicle.eventTripId);
      }
      case 'ON_TRIP':
        return this.endRental(vehicle);
      case 'DISABLED':
        return this.becomeAvailable(vehicle, 'REPAIRED', null);
      case 'COLLECTED':
        if (vehicle.dropAt) this.moveTo(vehicle, vehicle.dropAt);
        vehicle.dropAt = null;
        this.parkHere(vehicle);
        if (vehicle.operator.rotatingIds) vehicle.publicId = this.random.uuid();
        return this.becomeAvailable(vehicle, 'REBALANCE_DROP_OFF', null);
      default:
        return assertNever(vehicle.state);
    }
  }

  private idleEnds(vehicle: SimVehicle): void {
    const outcome = IDLE_OUTCOMES[this.random.weighted(IDLE_OUTCOME_WEIGHTS)] ?? 'RENTAL';
    switch (outcome) {
      case 'RENTAL':
        return this.startRental(vehicle);
      case 'RESERVATION':
      case 'HIDDEN_RESERVATION': {
        vehicle.state = outcome === 'RESERVATION' ? 'RESERVED' : 'HIDDEN';
        this.record(vehicle, 'RESERVATION_START', this.ids.id());
        this.schedule(vehicle, this.random.between(RESERVATION_MIN_MS, RESERVATION_MAX_MS));
        return;
      }
      case 'RELOCATION': {
        const to = this.area.pointAround(
          this.random,
          vehicle,
          RELOCATION_MIN_METERS,
          RELOCATION_MAX_METERS,
        );
        if (to) this.moveTo(vehicle, to);
        this.parkHere(vehicle);
        return this.becomeAvailable(vehicle, 'RELOCATED', null);
      }
      case 'DISABLE':
        vehicle.state = 'DISABLED';
        this.record(vehicle, 'DISABLED', null);
        this.schedule(vehicle, this.random.between(DISABLED_MIN_MS, DISABLED_MAX_MS));
        return;
      default:
        return assertNever(outcome);
    }
  }

  /** Short rides are commoner than long ones: 0.5–5 km, skewed towards the short end. */
  private startRental(vehicle: SimVehicle): void {
    const wanted =
      RENTAL_MIN_METERS + (RENTAL_MAX_METERS - RENTAL_MIN_METERS) * this.random.float() ** 1.7;
    const to =
      this.area.pointAround(
        this.random,
        vehicle,
        Math.max(RENTAL_MIN_METERS, wanted * 0.9),
        Math.min(RENTAL_MAX_METERS, wanted * 1.1),
      ) ??
      this.area.pointAround(this.random, vehicle, RENTAL_MIN_METERS, RENTAL_MAX_METERS) ??
      vehicle;
    const straightMeters = haversineMeters(vehicle.lat, vehicle.lng, to.lat, to.lng);
    const distanceMeters = Math.round(straightMeters * 1.3);
    const tripId =
      vehicle.state === 'RESERVED' && vehicle.eventTripId ? vehicle.eventTripId : this.ids.id();
    vehicle.trip = {
      tripId,
      startMs: this.nowMs,
      startLat: vehicle.lat,
      startLng: vehicle.lng,
      endLat: roundCoordinate(to.lat),
      endLng: roundCoordinate(to.lng),
      distanceMeters,
    };
    vehicle.state = 'ON_TRIP';
    this.record(vehicle, 'TRIP_START', tripId);
    const rideMs = (distanceMeters / SPEED_METERS_PER_SECOND[vehicle.operator.formFactor]) * 1000;
    this.schedule(vehicle, rideMs + this.random.between(60_000, 240_000));
  }

  private endRental(vehicle: SimVehicle): void {
    const trip = vehicle.trip;
    if (!trip) throw new Error(`vehicle ${vehicle.deviceId} is on a trip without one`);
    vehicle.lat = trip.endLat;
    vehicle.lng = trip.endLng;
    vehicle.trip = null;
    const completed: CompletedTrip = {
      tripId: trip.tripId,
      deviceId: vehicle.deviceId,
      publicId: vehicle.publicId,
      startMs: trip.startMs,
      endMs: this.nowMs,
      startLat: trip.startLat,
      startLng: trip.startLng,
      endLat: trip.endLat,
      endLng: trip.endLng,
      distanceMeters: trip.distanceMeters,
    };
    this.trips.add(vehicle.operator.id, completed);
    if (vehicle.operator.rotatingIds) vehicle.publicId = this.random.uuid();
    this.parkHere(vehicle);
    this.becomeAvailable(vehicle, 'TRIP_END', trip.tripId, completed);
  }

  private becomeAvailable(
    vehicle: SimVehicle,
    happening: MdsHappening,
    tripId: string | null,
    completed: CompletedTrip | null = null,
  ): void {
    vehicle.state = 'AVAILABLE';
    this.record(vehicle, happening, tripId, completed);
    this.scheduleIdle(vehicle);
  }

  /** The vehicle starts standing where it is now (a reservation's small drift is not a move). */
  private parkHere(vehicle: SimVehicle): void {
    vehicle.parkedSinceMs = this.nowMs;
    vehicle.parkedLat = vehicle.lat;
    vehicle.parkedLng = vehicle.lng;
  }

  private moveTo(vehicle: SimVehicle, point: Point): void {
    vehicle.lat = roundCoordinate(point.lat);
    vehicle.lng = roundCoordinate(point.lng);
  }

  /**
   * Sets the vehicle's last MDS event and telemetry and marks its serialized entries and its
   * operator's feeds changed. Every change to a vehicle ends here.
   */
  private record(
    vehicle: SimVehicle,
    happening: MdsHappening,
    tripId: string | null,
    completed: CompletedTrip | null = null,
  ): void {
    const operator = vehicle.operator;
    vehicle.serialized = {};
    vehicle.eventId = this.ids.id();
    vehicle.telemetryId = this.ids.id();
    vehicle.eventTypes = [MDS_EVENT_TYPES[operator.mode][happening]];
    vehicle.eventMs = this.nowMs;
    vehicle.eventTripId = tripId;
    operator.version += 1;
    this.observer?.({
      atMs: this.nowMs,
      happening,
      operatorId: operator.id,
      formFactor: operator.formFactor,
      vehicleTypeId: operator.vehicleType.id,
      deviceId: vehicle.deviceId,
      publicId: vehicle.publicId,
      state: vehicle.state,
      lat: vehicle.lat,
      lng: vehicle.lng,
      completedTrip: completed,
    });
  }

  private scheduleIdle(vehicle: SimVehicle): void {
    const meanMs = MEAN_IDLE_MS[vehicle.operator.formFactor] / activityAt(this.nowMs);
    this.schedule(vehicle, this.random.exponential(meanMs));
  }

  private schedule(vehicle: SimVehicle, afterMs: number): void {
    vehicle.dueMs = this.nowMs + Math.max(1, Math.round(afterMs));
    this.queue.push(vehicle.dueMs, vehicle);
  }
}
