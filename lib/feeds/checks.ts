import { childPath } from './jsonPath';
import { invalidData } from './problem';

type JsonObject = Record<string, unknown>;

function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkCoordinate(
  url: string,
  path: string,
  value: unknown,
  limit: number,
  what: string,
): void {
  if (value === null) throw invalidData(url, path, `the ${what} is null`);
  if (typeof value === 'number' && !(value >= -limit && value <= limit)) {
    throw invalidData(
      url,
      path,
      `${value} is out of range (${what} must be -${limit} to ${limit})`,
    );
  }
}

function coordinateIsFine(value: unknown, limit: number): boolean {
  return value !== null && (typeof value !== 'number' || (value >= -limit && value <= limit));
}

/** True when `checkPosition` would pass `position`: the common case, tested without building paths. */
export function positionIsFine(position: unknown, lngKey: 'lon' | 'lng'): boolean {
  if (position === null) return false;
  if (!isRecord(position)) return true;
  const lat = position.lat;
  const lng = position[lngKey];
  return coordinateIsFine(lat, 90) && coordinateIsFine(lng, 180) && !(lat === 0 && lng === 0);
}

/**
 * Checks one position object (`{ lat, lon }` in GBFS, `{ lat, lng }` in MDS): a null position, a
 * null or out-of-range coordinate, and 0,0 (a missing GPS fix, not a place) are INVALID_DATA.
 * Positions are checked before the schema so these, the commonest faults, get the plainest message.
 * Values of the wrong type are left to the schema.
 */
export function checkPosition(
  url: string,
  path: string,
  position: unknown,
  lngKey: 'lon' | 'lng',
): void {
  if (position === null) throw invalidData(url, path, 'the position is null');
  if (!isRecord(position)) return;
  const lat = position.lat;
  const lng = position[lngKey];
  if (lat === null && lng === null) {
    throw invalidData(url, path, `the position is null (lat: null, ${lngKey}: null)`);
  }
  checkCoordinate(url, childPath(path, 'lat'), lat, 90, 'latitude');
  checkCoordinate(url, childPath(path, lngKey), lng, 180, 'longitude');
  if (lat === 0 && lng === 0) {
    throw invalidData(url, path, 'the position is 0,0 (a missing GPS fix, not a place)');
  }
}

/**
 * Runs `check` on each element of `document[...listPath]` that exists; anything else is the schema's.
 * `isFine(item)` is a cheap test that `check` would pass: the element's path is only built (and
 * `check` only run) for elements that fail it, so `check` reports exactly what it always did.
 */
export function forEachListed(
  document: unknown,
  listKeys: string[],
  isFine: (item: unknown, index: number) => boolean,
  check: (item: unknown, path: string) => void,
): void {
  let node: unknown = document;
  for (const key of listKeys) {
    if (!isRecord(node)) return;
    node = node[key];
  }
  if (!Array.isArray(node)) return;
  const list: unknown[] = node;
  for (let index = 0; index < list.length; index++) {
    const item = list[index];
    if (isFine(item, index)) continue;
    let path = '';
    for (const key of listKeys) path = childPath(path, key);
    check(item, childPath(path, index));
  }
}

/** A GBFS vehicle without lat and lon is docked at a station; with either present both must be valid. */
export function checkGbfsVehiclePosition(url: string, item: unknown, path: string): void {
  if (!isRecord(item)) return;
  if ('lat' in item || 'lon' in item) checkPosition(url, path, item, 'lon');
}

/** True when `checkGbfsVehiclePosition` would pass `item`. */
export function gbfsVehiclePositionIsFine(item: unknown): boolean {
  if (!isRecord(item)) return true;
  return !('lat' in item || 'lon' in item) || positionIsFine(item, 'lon');
}

const MDS_STATUS_PARTS = ['last_telemetry', 'last_event'];
const MDS_TRIP_PARTS = ['start_location', 'end_location'];

/** True when `checkMdsStatusPosition` would pass `item`. */
export function mdsStatusPositionIsFine(item: unknown): boolean {
  if (!isRecord(item)) return true;
  for (const part of MDS_STATUS_PARTS) {
    const record = item[part];
    if (isRecord(record) && 'location' in record && !positionIsFine(record.location, 'lng')) {
      return false;
    }
  }
  return true;
}

/** True when `checkMdsTripPositions` would pass `item`. */
export function mdsTripPositionsIsFine(item: unknown): boolean {
  if (!isRecord(item)) return true;
  for (const part of MDS_TRIP_PARTS) {
    if (part in item && !positionIsFine(item[part], 'lng')) return false;
  }
  return true;
}

/** MDS: a status's telemetry and event positions. */
export function checkMdsStatusPosition(url: string, item: unknown, path: string): void {
  if (!isRecord(item)) return;
  for (const part of ['last_telemetry', 'last_event']) {
    const record = item[part];
    if (isRecord(record) && 'location' in record) {
      checkPosition(url, childPath(childPath(path, part), 'location'), record.location, 'lng');
    }
  }
}

/** MDS: a trip's start and end positions. */
export function checkMdsTripPositions(url: string, item: unknown, path: string): void {
  if (!isRecord(item)) return;
  for (const part of ['start_location', 'end_location']) {
    if (part in item) checkPosition(url, childPath(path, part), item[part], 'lng');
  }
}

/**
 * The first repeated id is INVALID_DATA at its path, naming where it first appeared. Paths are
 * built (by `pathOf(index)`) only for the duplicate.
 */
export function checkUnique(
  url: string,
  ids: readonly string[],
  pathOf: (index: number) => string,
  what: string,
): void {
  const seen = new Map<string, number>();
  for (let index = 0; index < ids.length; index++) {
    const id = ids[index] as string;
    const first = seen.get(id);
    if (first !== undefined) {
      throw invalidData(url, pathOf(index), `duplicate ${what} "${id}" (also at ${pathOf(first)})`);
    }
    seen.set(id, index);
  }
}
