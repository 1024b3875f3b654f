import { METERS_PER_DEGREE } from '../../geo/distance';
import {
  geometryBbox,
  type AreaGeometry,
  type PolygonGeometry,
  type Position,
  type Ring,
} from '../../geo/geometry';

/** Vertices of the polygon that stands for a point hub's circle in the zones table. */
const CIRCLE_SEGMENTS = 64;

function metersPerDegreeLng(lat: number): number {
  return METERS_PER_DEGREE * Math.cos((lat * Math.PI) / 180);
}

/**
 * The circle of `radiusMeters` around a point as a GeoJSON Polygon (counter-clockwise, closed), so
 * a point hub is a zone like any other (zoneAt, Hub.zone). Counting uses the exact circle.
 */
export function circlePolygon(lat: number, lng: number, radiusMeters: number): PolygonGeometry {
  const dLat = radiusMeters / METERS_PER_DEGREE;
  const dLng = radiusMeters / metersPerDegreeLng(lat);
  const ring: Ring = [];
  for (let i = 0; i < CIRCLE_SEGMENTS; i += 1) {
    const angle = (2 * Math.PI * i) / CIRCLE_SEGMENTS;
    ring.push([round(lng + dLng * Math.cos(angle)), round(lat + dLat * Math.sin(angle))]);
  }
  ring.push([ring[0]![0], ring[0]![1]]);
  return { type: 'Polygon', coordinates: [ring] };
}

/** Seven decimals of a degree: about 1 cm. */
function round(value: number): number {
  return Math.round(value * 1e7) / 1e7;
}

function rings(geometry: AreaGeometry): Ring[][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/** The larger side of the geometry's bounding box, in metres. */
export function extentMeters(geometry: AreaGeometry): number {
  const [minLng, minLat, maxLng, maxLat] = geometryBbox(geometry);
  const widest = Math.max(Math.abs(minLat), Math.abs(maxLat));
  return Math.max(
    (maxLat - minLat) * METERS_PER_DEGREE,
    (maxLng - minLng) * metersPerDegreeLng(widest),
  );
}

/** A GeoJSON Polygon as the one-part MultiPolygon GBFS `station_area` wants. */
export function asMultiPolygon(geometry: AreaGeometry): {
  type: 'MultiPolygon';
  coordinates: Position[][][];
} {
  return geometry.type === 'MultiPolygon'
    ? geometry
    : { type: 'MultiPolygon', coordinates: [geometry.coordinates] };
}

/**
 * A hub's area prepared for counting: how far a point is from it, in metres (0 inside), and the
 * bounding box that holds every point within `bufferMeters`. Positions are projected once onto a
 * plane tangent at the hub (equirectangular); over a hub's few hundred metres the error is below
 * a centimetre per metre.
 */
export interface HubShape {
  minLng: number;
  minLat: number;
  maxLng: number;
  maxLat: number;
  distanceMeters(lat: number, lng: number): number;
}

/** The bounding box of a shape grown by `bufferMeters` on every side. */
export function expand(
  bounds: [number, number, number, number],
  bufferMeters: number,
): Pick<HubShape, 'minLng' | 'minLat' | 'maxLng' | 'maxLat'> {
  const [minLng, minLat, maxLng, maxLat] = bounds;
  const dLat = bufferMeters / METERS_PER_DEGREE;
  const widest = Math.min(89, Math.max(Math.abs(minLat), Math.abs(maxLat)) + dLat);
  const dLng = bufferMeters / metersPerDegreeLng(widest);
  return {
    minLng: minLng - dLng,
    minLat: minLat - dLat,
    maxLng: maxLng + dLng,
    maxLat: maxLat + dLat,
  };
}

/**
 * The exact circle of a point hub. (Shapes are classes, not closures: one method shared by all
 * hubs keeps the hot call site fast; thousands of closures each start cold.)
 */
class CircleShape implements HubShape {
  readonly minLng: number;
  readonly minLat: number;
  readonly maxLng: number;
  readonly maxLat: number;
  private readonly kx: number;

  constructor(
    private readonly lat: number,
    private readonly lng: number,
    private readonly radiusMeters: number,
    bufferMeters: number,
  ) {
    this.kx = metersPerDegreeLng(lat);
    const dLat = radiusMeters / METERS_PER_DEGREE;
    const dLng = radiusMeters / this.kx;
    const box = expand([lng - dLng, lat - dLat, lng + dLng, lat + dLat], bufferMeters);
    this.minLng = box.minLng;
    this.minLat = box.minLat;
    this.maxLng = box.maxLng;
    this.maxLat = box.maxLat;
  }

  distanceMeters(lat: number, lng: number): number {
    const x = (lng - this.lng) * this.kx;
    const y = (lat - this.lat) * METERS_PER_DEGREE;
    return Math.max(0, Math.sqrt(x * x + y * y) - this.radiusMeters);
  }
}

export function circleShape(
  lat: number,
  lng: number,
  radiusMeters: number,
  bufferMeters: number,
): HubShape {
  return new CircleShape(lat, lng, radiusMeters, bufferMeters);
}

/** A Polygon or MultiPolygon (holes included: a point in a hole is outside). */
class PolygonShape implements HubShape {
  readonly minLng: number;
  readonly minLat: number;
  readonly maxLng: number;
  readonly maxLat: number;
  private readonly lat0: number;
  private readonly lng0: number;
  private readonly kx: number;
  /** Each polygon as its rings, each ring as flat [x0, y0, x1, y1, ...] in metres. */
  private readonly polygons: Float64Array[][];

  constructor(geometry: AreaGeometry, bufferMeters: number) {
    const bounds = geometryBbox(geometry);
    const box = expand(bounds, bufferMeters);
    this.minLng = box.minLng;
    this.minLat = box.minLat;
    this.maxLng = box.maxLng;
    this.maxLat = box.maxLat;
    this.lat0 = (bounds[1] + bounds[3]) / 2;
    this.lng0 = (bounds[0] + bounds[2]) / 2;
    this.kx = metersPerDegreeLng(this.lat0);
    this.polygons = rings(geometry).map((polygon) =>
      polygon.map((ring) => {
        const flat = new Float64Array(ring.length * 2);
        ring.forEach(([lng, lat], i) => {
          flat[2 * i] = (lng - this.lng0) * this.kx;
          flat[2 * i + 1] = (lat - this.lat0) * METERS_PER_DEGREE;
        });
        return flat;
      }),
    );
  }

  distanceMeters(lat: number, lng: number): number {
    const x = (lng - this.lng0) * this.kx;
    const y = (lat - this.lat0) * METERS_PER_DEGREE;
    let nearestSquared = Infinity;
    let inside = false;
    for (const polygon of this.polygons) {
      let insidePolygon = false;
      for (const ring of polygon) {
        for (let i = 0, j = ring.length - 2; i < ring.length; j = i, i += 2) {
          const xi = ring[i]!;
          const yi = ring[i + 1]!;
          const xj = ring[j]!;
          const yj = ring[j + 1]!;
          // Even-odd crossing test over all rings: holes flip the answer back.
          if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) {
            insidePolygon = !insidePolygon;
          }
          const d = segmentDistanceSquared(x, y, xi, yi, xj, yj);
          if (d < nearestSquared) nearestSquared = d;
        }
      }
      if (insidePolygon) inside = true;
    }
    return inside ? 0 : Math.sqrt(nearestSquared);
  }
}

export function polygonShape(geometry: AreaGeometry, bufferMeters: number): HubShape {
  return new PolygonShape(geometry, bufferMeters);
}

function segmentDistanceSquared(
  px: number,
  py: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
): number {
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSquared = dx * dx + dy * dy;
  let t = lengthSquared === 0 ? 0 : ((px - ax) * dx + (py - ay) * dy) / lengthSquared;
  if (t < 0) t = 0;
  else if (t > 1) t = 1;
  const cx = ax + t * dx - px;
  const cy = ay + t * dy - py;
  return cx * cx + cy * cy;
}
