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

/**
 * Counts parked vehicles per hub and status key. Every hub's bounding box, grown by its buffer,
 * is entered into the cells of a uniform grid it overlaps; each vehicle is tested exactly against
 * the hubs of its own cell only. (A grid beats an R-tree here: hubs are small and alike, and one
 * hash lookup per vehicle is about ten times faster than a tree search, which matters at 100 000
 * vehicles every 30 s.) A vehicle counts for one hub at most: the one it stands in or, failing
 * that, the nearest one within that hub's buffer (hubs closer together than their buffers would
 * otherwise share vehicles). Reserved and disabled vehicles count: they take a place all the same.
 */
export class HubCounter {
  private readonly cells = new Map<number, number[]>();
  private readonly hubs: PreparedHub[];
  private readonly grid: Grid;

  constructor(hubs: readonly CountableHub[]) {
    this.hubs = hubs.map((hub) => prepare(hub));
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

  /** Counts per hub id and status key; every key of every hub is present (zero when empty). */
  count(vehicles: Iterable<ParkedVehicle>): Map<string, Map<StatusKey, KeyCount>> {
    const totals = this.hubs.map((hub) => hub.keys.map(() => ({ vehicles: 0, rentable: 0 })));
    const split = this.hubs.map(() => new Int32Array(FORM_FACTORS.length * 2));
    for (const [lat, lng, code] of vehicles) {
      if (!(code >= 0 && code < FORM_FACTORS.length * 2)) continue;
      const formFactor = code >> 1;
      const x = this.column(lng);
      const y = this.row(lat);
      if (x < 0 || y < 0) continue;
      const candidates = this.cells.get(x * this.grid.rows + y);
      if (candidates === undefined) continue;
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
      if (best < 0) continue;
      const key = totals[best]![this.hubs[best]!.keyOf[formFactor]!]!;
      const counts = split[best]!;
      key.vehicles += 1;
      counts[formFactor * 2] = counts[formFactor * 2]! + 1;
      if ((code & 1) === 1) {
        key.rentable += 1;
        counts[formFactor * 2 + 1] = counts[formFactor * 2 + 1]! + 1;
      }
    }

    const result = new Map<string, Map<StatusKey, KeyCount>>();
    this.hubs.forEach((hub, slot) => {
      const perKey = new Map<StatusKey, KeyCount>();
      hub.keys.forEach((key, k) => {
        const breakdown: KeyCount['breakdown'] = {};
        FORM_FACTORS.forEach((formFactor, f) => {
          if (hub.keyOf[f] !== k) return;
          const counted = split[slot]![f * 2]!;
          if (counted > 0) breakdown[formFactor] = [counted, split[slot]![f * 2 + 1]!];
        });
        const total = totals[slot]![k]!;
        perKey.set(key, { vehicles: total.vehicles, rentable: total.rentable, breakdown });
      });
      result.set(hub.id, perKey);
    });
    return result;
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
