import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ZoneInput } from '../lib/domain/zones';
import { parseAreaGeometry } from '../lib/geo/geometry';

export const MUNICIPALITIES_FILE = join(__dirname, '..', 'data', 'nl-municipalities-2024.geojson');

interface Feature {
  properties?: { statcode?: unknown; statnaam?: unknown };
  geometry?: unknown;
}

/** Reads the CBS municipality file into zone inputs, naming the feature of any bad record. */
export function readMunicipalities(file = MUNICIPALITIES_FILE): ZoneInput[] {
  const collection = JSON.parse(readFileSync(file, 'utf8')) as { features?: Feature[] };
  if (!Array.isArray(collection.features))
    throw new Error(`${file}: not a GeoJSON FeatureCollection`);
  return collection.features.map((feature, i) => {
    const where = `${file}: features[${i}]`;
    const code = feature.properties?.statcode;
    const name = feature.properties?.statnaam;
    if (typeof code !== 'string' || !/^GM\d{4}$/.test(code)) {
      throw new Error(`${where}.properties.statcode: expected a code like GM0363`);
    }
    if (typeof name !== 'string' || name.trim() === '') {
      throw new Error(`${where}.properties.statnaam: expected a name`);
    }
    return {
      code,
      name: name.trim(),
      kind: 'MUNICIPALITY' as const,
      geometry: parseAreaGeometry(feature.geometry, `${where}.geometry`),
    };
  });
}
