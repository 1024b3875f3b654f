import turfArea from '@turf/area';
import { featureCollection, feature as turfFeature } from '@turf/helpers';
import turfIntersect from '@turf/intersect';
import { geometryBbox, GeometryError, type AreaGeometry, type BBox, type Ring } from './geometry';
import { insideRing, ringSelfIntersection, ringsCross } from './selfIntersection';

/**
 * What makes a parsed Polygon or MultiPolygon usable as an area (a zone, a hub), checked after
 * `parseAreaGeometry`: optional limits on its size, then simple rings (none crosses or touches
 * itself), holes that cross no other ring and lie inside their outer ring, and no polygon
 * without area. Shared by the zone importer and the hub mutations.
 */

/** Smaller than this is no area at all (square metres). */
export const MIN_AREA_M2 = 1;

export interface AreaShapeLimits {
  /** Positions in all rings together. */
  maxVertices: number;
  /** Inner rings of one polygon. */
  maxHoles: number;
  /** Polygons of a MultiPolygon. */
  maxParts: number;
  /** The setting that holds each limit, named in refusals (`MICROHUB_MAX_VERTICES`). */
  names?: { maxVertices: string; maxHoles: string; maxParts: string };
}

function polygonsOf(geometry: AreaGeometry): Ring[][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/** The path of polygon `p` of the geometry at `path` (a Polygon is its own polygon 0). */
function polygonPath(geometry: AreaGeometry, path: string, p: number): string {
  return geometry.type === 'Polygon' ? `${path}.coordinates` : `${path}.coordinates[${p}]`;
}

function named(limit: string | undefined): string {
  return limit ? ` (${limit})` : '';
}

function checkLimits(geometry: AreaGeometry, path: string, limits: AreaShapeLimits): void {
  const polygons = polygonsOf(geometry);
  if (polygons.length > limits.maxParts) {
    throw new GeometryError(
      `at most ${limits.maxParts} polygons${named(limits.names?.maxParts)}, got ${polygons.length}`,
      `${path}.coordinates`,
    );
  }
  let vertices = 0;
  for (const [p, polygon] of polygons.entries()) {
    if (polygon.length - 1 > limits.maxHoles) {
      throw new GeometryError(
        `at most ${limits.maxHoles} holes per polygon${named(limits.names?.maxHoles)}, got ${polygon.length - 1}`,
        polygonPath(geometry, path, p),
      );
    }
    for (const [r, ring] of polygon.entries()) {
      vertices += ring.length;
      if (vertices > limits.maxVertices) {
        const total = polygons.flat().reduce((sum, each) => sum + each.length, 0);
        throw new GeometryError(
          `at most ${limits.maxVertices} positions in all rings together${named(limits.names?.maxVertices)}, got ${total}; this ring goes over the limit`,
          `${polygonPath(geometry, path, p)}[${r}]`,
        );
      }
    }
  }
}

/** Throws GeometryError naming the ring (and edges) of the first problem; see the file comment. */
export function checkAreaShape(
  geometry: AreaGeometry,
  path: string,
  limits?: AreaShapeLimits,
): void {
  if (limits) checkLimits(geometry, path, limits);
  for (const [p, polygon] of polygonsOf(geometry).entries()) {
    const at = polygonPath(geometry, path, p);
    for (const [r, ring] of polygon.entries()) {
      const crossing = ringSelfIntersection(ring);
      if (crossing) {
        throw new GeometryError(
          `self-intersecting ring: edges ${crossing[0]} and ${crossing[1]} cross or touch`,
          `${at}[${r}]`,
        );
      }
      // An outer ring without area is no polygon; a hole without area changes nothing.
      if (r === 0 && turfArea({ type: 'Polygon', coordinates: [ring] }) < MIN_AREA_M2) {
        throw new GeometryError(`empty polygon: no area (under ${MIN_AREA_M2} m²)`, `${at}[0]`);
      }
    }
    const crossed = ringsCross(polygon);
    if (crossed) {
      throw new GeometryError(
        `the ring crosses ring ${crossed[0]}: its edge ${crossed[3]} crosses edge ${crossed[1]} there`,
        `${at}[${crossed[2]}]`,
      );
    }
    const [outer, ...holes] = polygon;
    for (const [h, hole] of holes.entries()) {
      const probe = hole.find((pos) => !outer!.some((o) => o[0] === pos[0] && o[1] === pos[1]));
      if (probe && !insideRing(probe, outer!)) {
        throw new GeometryError(
          'a hole must lie inside the outer ring (ring 0)',
          `${at}[${h + 1}]`,
        );
      }
    }
  }
}

function bboxesMeet(a: BBox, b: BBox): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

/** The share of `area` that lies inside `outline`, 0 to 1 (geodesic areas). */
export function shareInside(area: AreaGeometry, outline: AreaGeometry): number {
  if (!bboxesMeet(geometryBbox(area), geometryBbox(outline))) return 0;
  const overlap = turfIntersect(
    featureCollection<GeoJSON.Polygon | GeoJSON.MultiPolygon>([
      turfFeature(area as GeoJSON.Polygon | GeoJSON.MultiPolygon),
      turfFeature(outline as GeoJSON.Polygon | GeoJSON.MultiPolygon),
    ]),
  );
  if (!overlap) return 0;
  return Math.min(1, turfArea(overlap) / turfArea(area));
}
