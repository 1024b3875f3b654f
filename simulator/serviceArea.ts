import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { PROJECT_ROOT } from '../lib/config';
import { destination } from '../lib/geo/distance';
import {
  geometryAreaKm2,
  geometryBbox,
  parseAreaGeometry,
  type AreaGeometry,
  type BBox,
} from '../lib/geo/geometry';
import type { Random } from './random';

/** Amsterdam, Rotterdam, The Hague, Utrecht, Eindhoven, Groningen and Almere. */
export const DEFAULT_MUNICIPALITIES = [
  'GM0363',
  'GM0599',
  'GM0518',
  'GM0344',
  'GM0772',
  'GM0014',
  'GM0034',
];

export const MUNICIPALITIES_FILE = join(PROJECT_ROOT, 'data', 'nl-municipalities-2024.geojson');

export interface Municipality {
  code: string;
  name: string;
  geometry: AreaGeometry;
  bbox: BBox;
  areaKm2: number;
}

export interface Point {
  lat: number;
  lng: number;
}

interface MunicipalityFeature {
  properties: { statcode: string; statnaam: string };
  geometry: unknown;
}

let allMunicipalities: Map<string, MunicipalityFeature> | undefined;

function municipalityFeatures(): Map<string, MunicipalityFeature> {
  allMunicipalities ??= new Map(
    (
      JSON.parse(readFileSync(MUNICIPALITIES_FILE, 'utf8')) as { features: MunicipalityFeature[] }
    ).features.map((f) => [f.properties.statcode, f]),
  );
  return allMunicipalities;
}

/** The real polygons of the given CBS codes (`GM0363`); an unknown code stops with its name. */
export function loadMunicipalities(codes: readonly string[]): Municipality[] {
  const features = municipalityFeatures();
  return codes.map((code) => {
    const feature = features.get(code);
    if (!feature) {
      throw new Error(`unknown municipality code "${code}" (expected a CBS code such as GM0363)`);
    }
    const geometry = parseAreaGeometry(feature.geometry, code);
    return {
      code,
      name: feature.properties.statnaam,
      geometry,
      bbox: geometryBbox(geometry),
      areaKm2: geometryAreaKm2(geometry),
    };
  });
}

function inside(m: Municipality, point: Point): boolean {
  const [minLng, minLat, maxLng, maxLat] = m.bbox;
  return (
    point.lng >= minLng &&
    point.lng <= maxLng &&
    point.lat >= minLat &&
    point.lat <= maxLat &&
    booleanPointInPolygon([point.lng, point.lat], m.geometry)
  );
}

const MAX_SAMPLE_TRIES = 1000;
/** Share of vehicles placed around a municipality's centre rather than anywhere in it. */
const CENTRE_SHARE = 0.6;

/**
 * Where the simulated vehicles may be: the union of some municipalities. Points are drawn by
 * rejection sampling in the bounding box against the real polygon (holes and islands included).
 */
export class ServiceArea {
  private readonly areaWeights: number[];

  constructor(readonly municipalities: Municipality[]) {
    if (municipalities.length === 0) throw new Error('a service area needs a municipality');
    this.areaWeights = municipalities.map((m) => m.areaKm2);
  }

  contains(point: Point): boolean {
    return this.municipalities.some((m) => inside(m, point));
  }

  /**
   * A parking spot: in a municipality chosen by area; mostly near its centre (where rentals
   * cluster), otherwise anywhere inside it.
   */
  samplePoint(random: Random): Point {
    const m = this.municipalities[random.weighted(this.areaWeights)] ?? this.municipalities[0]!;
    const [minLng, minLat, maxLng, maxLat] = m.bbox;
    const nearCentre = random.chance(CENTRE_SHARE);
    const spreadMeters = (Math.sqrt(m.areaKm2) * 1000) / 5;
    for (let i = 0; i < MAX_SAMPLE_TRIES; i += 1) {
      const point = nearCentre
        ? destination(
            (minLat + maxLat) / 2,
            (minLng + maxLng) / 2,
            random.between(0, 360),
            Math.abs(random.normal()) * spreadMeters,
          )
        : { lat: random.between(minLat, maxLat), lng: random.between(minLng, maxLng) };
      if (inside(m, point)) return point;
    }
    throw new Error(`could not place a point in ${m.name} (${m.code})`);
  }

  /**
   * A point between `minMeters` and `maxMeters` from `from`, inside the service area. Random
   * bearings first; if the area is too narrow there, a sweep of bearings and distances.
   * Null when no such point exists (an area smaller than `minMeters`).
   */
  pointAround(random: Random, from: Point, minMeters: number, maxMeters: number): Point | null {
    for (let i = 0; i < 50; i += 1) {
      const point = destination(
        from.lat,
        from.lng,
        random.between(0, 360),
        random.between(minMeters, maxMeters),
      );
      if (this.contains(point)) return point;
    }
    const start = random.between(0, 360);
    for (let step = 0; step <= 10; step += 1) {
      const distance = minMeters + ((maxMeters - minMeters) * step) / 10;
      for (let bearing = 0; bearing < 360; bearing += 10) {
        const point = destination(from.lat, from.lng, start + bearing, distance);
        if (this.contains(point)) return point;
      }
    }
    return null;
  }
}
