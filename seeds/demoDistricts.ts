import turfArea from '@turf/area';
import { featureCollection, feature, polygon } from '@turf/helpers';
import turfIntersect from '@turf/intersect';
import type { Db } from '../lib/db';
import { importZoneFile, type ZoneImportResult } from '../lib/domain/zoneImport';
import { geometryBbox, parseAreaGeometry } from '../lib/geo/geometry';
import type { PubSub } from '../lib/pubsub';

/** The municipality whose demo districts are seeded: Amsterdam. */
export const DEMO_DISTRICT_MUNICIPALITY = 'GM0363';
/** Cell size of the grid, in degrees of latitude (about 2.2 km) and longitude (about 2.3 km). */
const CELL_LAT = 0.02;
const CELL_LNG = 0.034;
/** Cells that keep less than this share of their area inside the outline are left out. */
const MIN_SHARE = 0.05;

/**
 * Demo districts: NOT the real CBS "wijken" but a grid over the municipality's outline, each cell
 * clipped to the outline, coded WK0363 + a two-digit number like CBS district codes, so the demo
 * has districts to report on. A real city imports its CBS file with `npm run zones:import`.
 */
export function districtGrid(municipalityCode: string, outline: unknown): string {
  const geometry = parseAreaGeometry(outline, `${municipalityCode}.geometry`);
  const [minLng, minLat, maxLng, maxLat] = geometryBbox(geometry);
  const features = [];
  for (let lat = minLat; lat < maxLat; lat += CELL_LAT) {
    for (let lng = minLng; lng < maxLng; lng += CELL_LNG) {
      const cell = polygon([
        [
          [lng, lat],
          [lng + CELL_LNG, lat],
          [lng + CELL_LNG, lat + CELL_LAT],
          [lng, lat + CELL_LAT],
          [lng, lat],
        ],
      ]);
      const clipped = turfIntersect(
        featureCollection<GeoJSON.Polygon | GeoJSON.MultiPolygon>([
          cell,
          feature(geometry as GeoJSON.Polygon | GeoJSON.MultiPolygon),
        ]),
      );
      if (!clipped || turfArea(clipped) < MIN_SHARE * turfArea(cell)) continue;
      features.push(clipped.geometry);
    }
  }
  const number = (i: number) => String(i).padStart(2, '0');
  if (features.length > 100) throw new Error(`${features.length} grid cells: codes run out`);
  return JSON.stringify({
    type: 'FeatureCollection',
    features: features.map((f, i) => ({
      type: 'Feature',
      properties: {
        statcode: `WK${municipalityCode.slice(2)}${number(i)}`,
        statnaam: `Demo grid district ${number(i)}`,
      },
      geometry: f,
    })),
  });
}

/** Seeds the demo grid districts of Amsterdam; a second run changes nothing. */
export async function seedDemoDistricts(db: Db, pubsub: PubSub): Promise<ZoneImportResult> {
  const row = await db('zones')
    .where({ kind: 'MUNICIPALITY', code: DEMO_DISTRICT_MUNICIPALITY })
    .first<{ geometry: unknown } | undefined>('geometry');
  if (!row) throw new Error(`municipality ${DEMO_DISTRICT_MUNICIPALITY} is not seeded`);
  return importZoneFile(db, pubsub, districtGrid(DEMO_DISTRICT_MUNICIPALITY, row.geometry), {
    kind: 'DISTRICT',
  });
}
