import turfArea from '@turf/area';
import turfBbox from '@turf/bbox';

export type Position = [number, number];
export type Ring = Position[];
export interface PolygonGeometry {
  type: 'Polygon';
  coordinates: Ring[];
}
export interface MultiPolygonGeometry {
  type: 'MultiPolygon';
  coordinates: Ring[][];
}
export type AreaGeometry = PolygonGeometry | MultiPolygonGeometry;

/** [minLng, minLat, maxLng, maxLat] */
export type BBox = [number, number, number, number];

export class GeometryError extends Error {
  constructor(
    /** What is wrong, without the path. */
    readonly reason: string,
    /** Where: `geometry.coordinates[0][3]`. */
    readonly path: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'GeometryError';
  }
}

function checkRing(ring: unknown, path: string): void {
  if (!Array.isArray(ring) || ring.length < 4) {
    throw new GeometryError('a linear ring needs at least 4 positions', path);
  }
  ring.forEach((pos: unknown, i) => {
    if (
      !Array.isArray(pos) ||
      pos.length < 2 ||
      typeof pos[0] !== 'number' ||
      typeof pos[1] !== 'number' ||
      !Number.isFinite(pos[0]) ||
      !Number.isFinite(pos[1])
    ) {
      throw new GeometryError('a position is [longitude, latitude]', `${path}[${i}]`);
    }
    if (pos[0] < -180 || pos[0] > 180 || pos[1] < -90 || pos[1] > 90) {
      throw new GeometryError(`position [${pos[0]}, ${pos[1]}] is out of range`, `${path}[${i}]`);
    }
  });
  const first = ring[0] as number[];
  const last = ring[ring.length - 1] as number[];
  if (first[0] !== last[0] || first[1] !== last[1]) {
    throw new GeometryError('a linear ring must be closed (first position = last)', path);
  }
}

function checkPolygon(rings: unknown, path: string): void {
  if (!Array.isArray(rings) || rings.length === 0) {
    throw new GeometryError('a polygon needs an outer ring', path);
  }
  rings.forEach((ring, i) => checkRing(ring, `${path}[${i}]`));
}

/** Validates a GeoJSON Polygon or MultiPolygon in WGS84, naming the first bad position. */
export function parseAreaGeometry(value: unknown, path = 'geometry'): AreaGeometry {
  if (typeof value !== 'object' || value === null) {
    throw new GeometryError('expected a GeoJSON Polygon or MultiPolygon object', path);
  }
  const { type, coordinates } = value as { type?: unknown; coordinates?: unknown };
  if (type === 'Polygon') {
    checkPolygon(coordinates, `${path}.coordinates`);
    return { type, coordinates: coordinates as Ring[] };
  }
  if (type === 'MultiPolygon') {
    if (!Array.isArray(coordinates) || coordinates.length === 0) {
      throw new GeometryError('a MultiPolygon needs at least one polygon', `${path}.coordinates`);
    }
    coordinates.forEach((polygon, i) => checkPolygon(polygon, `${path}.coordinates[${i}]`));
    return { type, coordinates: coordinates as Ring[][] };
  }
  throw new GeometryError(
    `type must be Polygon or MultiPolygon, got ${JSON.stringify(type)}`,
    `${path}.type`,
  );
}

export function geometryBbox(geometry: AreaGeometry): BBox {
  const [minLng, minLat, maxLng, maxLat] = turfBbox(geometry);
  return [minLng, minLat, maxLng, maxLat];
}

/** Geodesic area on the WGS84 sphere approximation used by turf, in square kilometres. */
export function geometryAreaKm2(geometry: AreaGeometry): number {
  return turfArea(geometry) / 1_000_000;
}
