import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import RBush from 'rbush';
import { geometryAreaKm2, geometryBbox, type AreaGeometry } from './geometry';

export interface IndexedArea {
  id: string;
  geometry: AreaGeometry;
}

interface Entry<T extends IndexedArea> {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  area: T;
  areaKm2: number;
}

/**
 * An immutable R-tree over area geometries. Candidates come from the tree's bounding boxes; the
 * exact test is point-in-polygon, which honours holes and every part of a MultiPolygon.
 * Build a new index when the areas change and swap it in; readers never see a half-built tree.
 */
export class SpatialIndex<T extends IndexedArea> {
  private readonly tree = new RBush<Entry<T>>();
  readonly size: number;

  constructor(areas: Iterable<T>) {
    const entries: Entry<T>[] = [];
    for (const area of areas) {
      const [minX, minY, maxX, maxY] = geometryBbox(area.geometry);
      entries.push({ minX, minY, maxX, maxY, area, areaKm2: geometryAreaKm2(area.geometry) });
    }
    this.tree.load(entries);
    this.size = entries.length;
  }

  /** Every area containing the point that passes `filter`, smallest first (most specific leads). */
  containing(lng: number, lat: number, filter: (area: T) => boolean = () => true): T[] {
    return this.tree
      .search({ minX: lng, minY: lat, maxX: lng, maxY: lat })
      .filter((e) => filter(e.area) && booleanPointInPolygon([lng, lat], e.area.geometry))
      .sort((a, b) => a.areaKm2 - b.areaKm2)
      .map((e) => e.area);
  }
}
