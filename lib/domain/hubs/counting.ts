import { FORM_FACTORS, type FormFactor } from '../formFactors';
import { acceptedFormFactors, COMBINED, type CountedHub, type StatusKey } from './model';
import { circleShape, polygonShape, type HubShape } from './shapes';

/** What counting needs of a hub (a point hub needs no geometry). */
export type CountableHub = Pick<
  CountedHub,
  | 'id'
  | 'geometry'
  | 'center_lat'
  | 'center_lng'
  | 'radius_meters'
  | 'buffer_meters'
  | 'capacity'
  | 'combined_form_factors'
>;

/**
 * A parked vehicle as counting reads it: `[lat, lng, code]`, where `code` is the index of its form
 * factor in FORM_FACTORS times two, plus one when it can be rented now (neither reserved nor
 * disabled). Tuples, not objects: 100 000 of them are read every tick.
 */
export type ParkedVehicle = readonly [lat: number, lng: number, code: number];

export function vehicleCode(formFactor: string, rentable: boolean): number {
  const index = (FORM_FACTORS as readonly string[]).indexOf(formFactor);
  return index < 0 ? -1 : index * 2 + (rentable ? 1 : 0);
}

/** Vehicles counted for one status key of one hub, with their split per form factor. */
export interface KeyCount {
  vehicles: number;
  rentable: number;
  breakdown: Partial<Record<FormFactor, [number, number]>>;
}

/**
 * Grid cells of about 110 m x 100 m (in the Netherlands): a hub with its buffer covers a few,
 * each vehicle looks up one. Cells are numbered from the south-west corner of all hubs, so a
 * cell's key is a small integer (no allocation per lookup); over a very wide area the cells grow
 * until the numbers stay below 2^30.
 */
const CELL_LAT_DEGREES = 0.001;
const CELL_LNG_DEGREES = 0.0015;
const MAX_CELLS = 2 ** 30;

interface Grid {
  originLng: number;
  originLat: number;
  cellLng: number;
  cellLat: number;
  columns: number;
  rows: number;
}

function gridOver(hubs: readonly PreparedHub[]): Grid {
  let minLng = Infinity;
  let minLat = Infinity;
  let maxLng = -Infinity;
  let maxLat = -Infinity;
  for (const { shape } of hubs) {
    minLng = Math.min(minLng, shape.minLng);
    minLat = Math.min(minLat, shape.minLat);
    maxLng = Math.max(maxLng, shape.maxLng);
    maxLat = Math.max(maxLat, shape.maxLat);
  }
  if (hubs.length === 0) [minLng, minLat, maxLng, maxLat] = [0, 0, 0, 0];
  let cellLng = CELL_LNG_DEGREES;
  let cellLat = CELL_LAT_DEGREES;
  const size = () => ({
    columns: Math.floor((maxLng - minLng) / cellLng) + 1,
    rows: Math.floor((maxLat - minLat) / cellLat) + 1,
  });
  let { columns, rows } = size();
  while (columns * rows > MAX_CELLS) {
    cellLng *= 2;
    cellLat *= 2;
    ({ columns, rows } = size());
  }
  return { originLng: minLng, originLat: minLat, cellLng, cellLat, columns, rows };
}

interface PreparedHub {
  id: string;
  shape: HubShape;
  bufferMeters: number;
  /** Per form factor (index in FORM_FACTORS): the index of its status key, or -1 if not taken. */
  keyOf: Int8Array;
  keys: StatusKey[];
}

/** Tally cells per hub: one per form factor and rentability (the `code` of a ParkedVehicle). */
const CODES = FORM_FACTORS.length * 2;

/**
 * Counts parked vehicles per hub and status key. Every hub's bounding box, grown by its buffer,
 * is entered into the cells of a uniform grid it overlaps; each vehicle is tested exactly against
 * the hubs of its own cell only. (A grid beats an R-tree here: hubs are small and alike, and one
 * hash lookup per vehicle is about ten times faster than a tree search, which matters at a million
 * vehicles.) A vehicle counts for one hub at most: the one it stands in or, failing that, the
 * nearest one within that hub's buffer (hubs closer together than their buffers would otherwise
 * share vehicles); between hubs at the same distance (a vehicle inside two overlapping hubs) the
 * one with the lowest id, so where a vehicle counts depends on the hubs alone, never on the order
 * they were read in. Reserved and disabled vehicles count: they take a place all the same.
 */
export class HubCounter {
  private readonly cells = new Map<number, number[]>();
  private readonly hubs: PreparedHub[];
  private readonly grid: Grid;

  constructor(hubs: readonly CountableHub[]) {
    // Slots in id order: the first of equally near candidates is the one with the lowest id.
    this.hubs = [...hubs]
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((hub) => prepare(hub));
    this.grid = gridOver(this.hubs);
    this.hubs.forEach((hub, slot) => {
      const { minLng, minLat, maxLng, maxLat } = hub.shape;
      const [x0, x1] = [this.column(minLng), this.column(maxLng)];
      const [y0, y1] = [this.row(minLat), this.row(maxLat)];
      for (let x = x0; x <= x1; x += 1) {
        for (let y = y0; y <= y1; y += 1) {
          const key = x * this.grid.rows + y;
          const list = this.cells.get(key);
          if (list) list.push(slot);
          else this.cells.set(key, [slot]);
        }
      }
    });
  }

  /** The cell column of a longitude, or -1 outside the grid. */
  private column(lng: number): number {
    const x = Math.floor((lng - this.grid.originLng) / this.grid.cellLng);
    return x >= 0 && x < this.grid.columns ? x : -1;
  }

  private row(lat: number): number {
    const y = Math.floor((lat - this.grid.originLat) / this.grid.cellLat);
    return y >= 0 && y < this.grid.rows ? y : -1;
  }

  get size(): number {
    return this.hubs.length;
  }

  /** An empty tally: one cell per hub and vehicle code (see `place`). */
  newTally(): Int32Array {
    return new Int32Array(this.hubs.length * CODES);
  }

  /**
   * Where a vehicle counts: its cell in the tally (`slot * CODES + code`), or -1 when it counts
   * for no hub (in none, beyond every buffer, of a form factor its hubs don't take, or unknown).
   */
  place(lat: number, lng: number, code: number): number {
    if (!(code >= 0 && code < CODES)) return -1;
    const formFactor = code >> 1;
    const x = this.column(lng);
    const y = this.row(lat);
    if (x < 0 || y < 0) return -1;
    const candidates = this.cells.get(x * this.grid.rows + y);
    if (candidates === undefined) return -1;
    let best = -1;
    let bestDistance = Infinity;
    for (const slot of candidates) {
      const hub = this.hubs[slot]!;
      const { shape } = hub;
      if (lng < shape.minLng || lng > shape.maxLng || lat < shape.minLat || lat > shape.maxLat) {
        continue;
      }
      if (hub.keyOf[formFactor]! < 0) continue;
      const distance = shape.distanceMeters(lat, lng);
      if (distance <= hub.bufferMeters && distance < bestDistance) {
        best = slot;
        bestDistance = distance;
      }
    }
    return best < 0 ? -1 : best * CODES + code;
  }

  /** Counts per hub id and status key; every key of every hub is present (zero when empty). */
  count(vehicles: Iterable<ParkedVehicle>): Map<string, Map<StatusKey, KeyCount>> {
    const tally = this.newTally();
    for (const [lat, lng, code] of vehicles) {
      const cell = this.place(lat, lng, code);
      if (cell >= 0) tally[cell] = tally[cell]! + 1;
    }
    return this.counts(tally);
  }

  /** A tally (cells filled by `place`) as counts per hub id and status key. */
  counts(tally: Int32Array): Map<string, Map<StatusKey, KeyCount>> {
    const result = new Map<string, Map<StatusKey, KeyCount>>();
    this.hubs.forEach((hub, slot) => {
      const perKey = new Map<StatusKey, KeyCount>();
      hub.keys.forEach((key) => perKey.set(key, { vehicles: 0, rentable: 0, breakdown: {} }));
      FORM_FACTORS.forEach((formFactor, f) => {
        const k = hub.keyOf[f]!;
        if (k < 0) return;
        const rentable = tally[slot * CODES + f * 2 + 1]!;
        const counted = tally[slot * CODES + f * 2]! + rentable;
        if (counted === 0) return;
        const count = perKey.get(hub.keys[k]!)!;
        count.vehicles += counted;
        count.rentable += rentable;
        count.breakdown[formFactor] = [counted, rentable];
      });
      result.set(hub.id, perKey);
    });
    return result;
  }
}

/**
 * The counts of one set of hubs kept up to date vehicle by vehicle (jobs/microhubs): `set` tells
 * it where a vehicle is now, or that it is parked no more, and it moves that vehicle's one count
 * from the hub it counted for to the hub it counts for now. Fed every change, it holds exactly
 * what a full count of the current vehicles gives (HubCounter.count). Only vehicles that count
 * for some hub are remembered.
 */
export class LiveHubCounts {
  private readonly tally: Int32Array;
  /** Per feed, per vehicle: its cell in the tally. */
  private readonly cells = new Map<string, Map<string, number>>();
  private counted = 0;

  constructor(private readonly counter: HubCounter) {
    this.tally = counter.newTally();
  }

  /** A vehicle's current position and code, or null when it is not parked (gone, deleted). */
  set(feedId: string, vehicleId: string, vehicle: ParkedVehicle | null): void {
    const cell = vehicle ? this.counter.place(vehicle[0], vehicle[1], vehicle[2]) : -1;
    let feed = this.cells.get(feedId);
    const before = feed?.get(vehicleId) ?? -1;
    if (before === cell) return;
    if (before >= 0) {
      this.tally[before] = this.tally[before]! - 1;
      this.counted -= 1;
      feed!.delete(vehicleId);
    }
    if (cell >= 0) {
      this.tally[cell] = this.tally[cell]! + 1;
      this.counted += 1;
      if (!feed) {
        feed = new Map<string, number>();
        this.cells.set(feedId, feed);
      }
      feed.set(vehicleId, cell);
    }
  }

  /** Vehicles that count for a hub. */
  get vehicles(): number {
    return this.counted;
  }

  counts(): Map<string, Map<StatusKey, KeyCount>> {
    return this.counter.counts(this.tally);
  }
}

function prepare(hub: CountableHub): PreparedHub {
  let shape: HubShape;
  if (hub.radius_meters !== null) {
    shape = circleShape(hub.center_lat, hub.center_lng, hub.radius_meters, hub.buffer_meters);
  } else if (hub.geometry) {
    shape = polygonShape(hub.geometry, hub.buffer_meters);
  } else {
    throw new Error(`hub ${hub.id} has neither a radius nor a geometry`);
  }
  const keyOf = new Int8Array(FORM_FACTORS.length).fill(-1);
  const accepted = new Set(acceptedFormFactors(hub));
  const combined = hub.capacity.COMBINED !== undefined;
  const keys: StatusKey[] = combined ? [COMBINED] : [];
  FORM_FACTORS.forEach((formFactor, f) => {
    if (!accepted.has(formFactor)) return;
    if (combined) keyOf[f] = 0;
    else {
      keyOf[f] = keys.length;
      keys.push(formFactor);
    }
  });
  return { id: hub.id, shape, bufferMeters: hub.buffer_meters, keyOf, keys };
}
