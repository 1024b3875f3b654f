import type { FormFactor } from '../../lib/domain/formFactors';
import { COMBINED, type HubCapacity, MAX_BUFFER_METERS } from '../../lib/domain/hubs/model';
import { circlePolygon, extentMeters } from '../../lib/domain/hubs/shapes';
import { isMunicipalityCode, MUNICIPALITY_CODE_EXAMPLE } from '../../lib/domain/municipalities';
import { badUserInput } from '../../lib/errors';
import { checkAreaShape, type AreaShapeLimits } from '../../lib/geo/areaShape';
import {
  GeometryError,
  geometryBbox,
  parseAreaGeometry,
  type AreaGeometry,
} from '../../lib/geo/geometry';
import type { HubCapacityInput, HubFilter, HubPointInput } from './__generated__/resolvers-types';
import type { HubQuery } from './repository';

const HUB_CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const MAX_NAME = 200;
const MAX_PLACES = 10_000;
const MAX_RADIUS_METERS = 500;
/** A hub is a parking place, not a district: its area is at most this wide. */
const MAX_EXTENT_METERS = 1000;
const MAX_LIST = 1000;

export function parseName(name: string, argumentName: string): string {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > MAX_NAME) {
    throw badUserInput(argumentName, `must be 1 to ${MAX_NAME} characters`);
  }
  return trimmed;
}

export function parseCode(code: string, argumentName: string): string {
  if (!HUB_CODE.test(code)) {
    throw badUserInput(
      argumentName,
      `"${code}" is not a hub code (1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit)`,
    );
  }
  return code;
}

export function parseMunicipalityCodes(codes: readonly string[], argumentName: string): string[] {
  if (codes.length > MAX_LIST) {
    throw badUserInput(argumentName, `at most ${MAX_LIST} codes, got ${codes.length}`);
  }
  const bad = codes.find((code) => !isMunicipalityCode(code));
  if (bad !== undefined) {
    throw badUserInput(argumentName, `"${bad}" is not ${MUNICIPALITY_CODE_EXAMPLE}`);
  }
  return [...new Set(codes)];
}

export function parseBuffer(meters: number, argumentName: string): number {
  if (!Number.isFinite(meters) || meters < 0 || meters > MAX_BUFFER_METERS) {
    throw badUserInput(
      argumentName,
      `must be between 0 and ${MAX_BUFFER_METERS} metres, got ${meters}`,
    );
  }
  return meters;
}

export interface HubArea {
  geometry: AreaGeometry;
  centerLat: number;
  centerLng: number;
  radiusMeters: number | null;
}

function parsePoint(point: HubPointInput, argumentName: string): HubArea {
  if (!Number.isFinite(point.lat) || point.lat < -85 || point.lat > 85) {
    throw badUserInput(`${argumentName}.lat`, `must be between -85 and 85, got ${point.lat}`);
  }
  if (!Number.isFinite(point.lng) || point.lng < -180 || point.lng > 180) {
    throw badUserInput(`${argumentName}.lng`, `must be between -180 and 180, got ${point.lng}`);
  }
  if (
    !Number.isFinite(point.radiusMeters) ||
    point.radiusMeters < 1 ||
    point.radiusMeters > MAX_RADIUS_METERS
  ) {
    throw badUserInput(
      `${argumentName}.radiusMeters`,
      `must be between 1 and ${MAX_RADIUS_METERS} metres, got ${point.radiusMeters}`,
    );
  }
  return {
    geometry: circlePolygon(point.lat, point.lng, point.radiusMeters),
    centerLat: point.lat,
    centerLng: point.lng,
    radiusMeters: point.radiusMeters,
  };
}

function parseGeometry(value: unknown, argumentName: string, limits: AreaShapeLimits): HubArea {
  let geometry: AreaGeometry;
  try {
    geometry = parseAreaGeometry(value, argumentName);
    checkAreaShape(geometry, argumentName, limits);
  } catch (err) {
    if (err instanceof GeometryError) throw badUserInput(err.path, err.reason);
    throw err;
  }
  const extent = extentMeters(geometry);
  if (extent > MAX_EXTENT_METERS) {
    throw badUserInput(
      argumentName,
      `a hub is at most ${MAX_EXTENT_METERS} m across, this one ${Math.round(extent)} m`,
    );
  }
  const [minLng, minLat, maxLng, maxLat] = geometryBbox(geometry);
  return {
    geometry,
    centerLat: (minLat + maxLat) / 2,
    centerLng: (minLng + maxLng) / 2,
    radiusMeters: null,
  };
}

/**
 * The hub's area from exactly one of a GeoJSON polygon (valid, within `limits`) and a point with
 * a radius.
 */
export function parseArea(
  geometry: unknown,
  point: HubPointInput | null | undefined,
  argumentName: string,
  required: boolean,
  limits: AreaShapeLimits,
): HubArea | undefined {
  const hasGeometry = geometry !== null && geometry !== undefined;
  const hasPoint = point !== null && point !== undefined;
  if (hasGeometry && hasPoint) {
    throw badUserInput(argumentName, 'give either geometry or point, not both');
  }
  if (hasGeometry) return parseGeometry(geometry, `${argumentName}.geometry`, limits);
  if (hasPoint) return parsePoint(point, `${argumentName}.point`);
  if (required) throw badUserInput(argumentName, 'give the hub a geometry or a point');
  return undefined;
}

function checkPlaces(places: number, argumentName: string): number {
  if (!Number.isInteger(places) || places < 0 || places > MAX_PLACES) {
    throw badUserInput(argumentName, `must be between 0 and ${MAX_PLACES} places, got ${places}`);
  }
  return places;
}

export interface ParsedCapacity {
  capacity: HubCapacity;
  combinedFormFactors: FormFactor[] | null;
}

/** Exactly one of a combined capacity and places per form factor (each form factor once). */
export function parseCapacity(input: HubCapacityInput, argumentName: string): ParsedCapacity {
  const combined = input.combined ?? undefined;
  const perFormFactor = input.perFormFactor ?? undefined;
  if ((combined === undefined) === (perFormFactor === undefined)) {
    throw badUserInput(argumentName, 'give exactly one of combined and perFormFactor');
  }
  if (combined !== undefined) {
    const formFactors = input.combinedFormFactors ?? undefined;
    if (formFactors !== undefined && formFactors.length === 0) {
      throw badUserInput(
        `${argumentName}.combinedFormFactors`,
        'name at least one form factor, or leave it out for all',
      );
    }
    return {
      capacity: { [COMBINED]: checkPlaces(combined, `${argumentName}.combined`) },
      combinedFormFactors: formFactors ? [...new Set(formFactors)] : null,
    };
  }
  if (input.combinedFormFactors) {
    throw badUserInput(`${argumentName}.combinedFormFactors`, 'only goes with a combined capacity');
  }
  if (!perFormFactor || perFormFactor.length === 0) {
    throw badUserInput(`${argumentName}.perFormFactor`, 'name at least one form factor');
  }
  const capacity: HubCapacity = {};
  perFormFactor.forEach((entry, i) => {
    if (capacity[entry.formFactor] !== undefined) {
      throw badUserInput(
        `${argumentName}.perFormFactor[${i}].formFactor`,
        `${entry.formFactor} appears twice`,
      );
    }
    capacity[entry.formFactor] = checkPlaces(
      entry.places,
      `${argumentName}.perFormFactor[${i}].places`,
    );
  });
  return { capacity, combinedFormFactors: null };
}

/** retire_at must come after effective_from. */
export function checkDates(effectiveFrom: Date, retireAt: Date | null, argumentName: string): void {
  if (retireAt !== null && retireAt <= effectiveFrom) {
    throw badUserInput(
      argumentName,
      `retireAt (${retireAt.toISOString()}) must be after effectiveFrom (${effectiveFrom.toISOString()})`,
    );
  }
}

export function parseHubFilter(filter: HubFilter | null | undefined): HubQuery {
  if (!filter) return {};
  if (filter.state === 'PARTLY_OPEN' && filter.formFactor) {
    throw badUserInput(
      'filter.state',
      'PARTLY_OPEN describes a whole hub: with formFactor use OPEN or CLOSED',
    );
  }
  return {
    municipalityCodes: filter.municipalityCodes
      ? parseMunicipalityCodes(filter.municipalityCodes, 'filter.municipalityCodes')
      : undefined,
    formFactor: filter.formFactor ?? undefined,
    state: filter.state ?? undefined,
    includeRetired: filter.includeRetired ?? false,
  };
}
