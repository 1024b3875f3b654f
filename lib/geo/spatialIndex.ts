import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import RBush from 'rbush';
import { geometryAreaKm2, geometryBbox, type AreaGeometry } from './geometry';

export interface IndexedArea<K extends string> {
  id: string;
  kind: K;
  geometry: AreaGeometry;
}

interface Entry<K extends string> {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  area: IndexedArea<K>;
  areaKm2: number;
}

/**
 * An immutable R-tree over area geometries. Candidates come from the tree's bounding boxes; the
 * exact test is point-in-polygon, which honours holes and every part of a MultiPolygon.
 * Build a new index when the areas change and swap it in; readers never see a half-built tree.
 */
export class SpatialIndex<K extends string> {
  private readonly tree = new RBush<Entry<K>>();
  readonly size: number;

  constructor(areas: Iterable<IndexedArea<K>>) {
    const entries: Entry<K>[] = [];
    for (const area of areas) {
      const [minX, minY, maxX, maxY] = geometryBbox(area.geometry);
      entries.push({ minX, minY, maxX, maxY, area, areaKm2: geometryAreaKm2(area.geometry) });
    }
    this.tree.load(entries);
    this.size = entries.length;
  }

  /** Every area containing the point, smallest first (the most specific zone leads). */
  containing(lng: number, lat: number, kind?: K): IndexedArea<K>[] {
    return this.tree
      .search({ minX: lng, minY: lat, maxX: lng, maxY: lat })
      .filter(
        (e) =>
          (kind === undefined || e.area.kind === kind) &&
          booleanPointInPolygon([lng, lat], e.area.geometry),
      )
      .sort((a, b) => a.areaKm2 - b.areaKm2)
      .map((e) => e.area);
  }
}
