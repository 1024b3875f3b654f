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

/** Runs `check` on each element of `document[...listPath]` that exists; anything else is the schema's. */
export function forEachListed(
  document: unknown,
  listKeys: string[],
  check: (item: unknown, path: string) => void,
): void {
  let node: unknown = document;
  let path = '';
  for (const key of listKeys) {
    if (!isRecord(node)) return;
    node = node[key];
    path = childPath(path, key);
  }
  if (!Array.isArray(node)) return;
  node.forEach((item, index) => check(item, childPath(path, index)));
}

/** A GBFS vehicle without lat and lon is docked at a station; with either present both must be valid. */
export function checkGbfsVehiclePosition(url: string, item: unknown, path: string): void {
  if (!isRecord(item)) return;
  if ('lat' in item || 'lon' in item) checkPosition(url, path, item, 'lon');
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

/** The first repeated id is INVALID_DATA at its path, naming where it first appeared. */
export function checkUnique(
  url: string,
  entries: Iterable<{ id: string; path: string }>,
  what: string,
): void {
  const seen = new Map<string, string>();
  for (const { id, path } of entries) {
    const first = seen.get(id);
    if (first !== undefined) {
      throw invalidData(url, path, `duplicate ${what} "${id}" (also at ${first})`);
    }
    seen.set(id, path);
  }
}

/** A feed with no vehicles at all is an outage, not an empty city. */
export function checkNotEmpty(url: string, path: string, list: unknown[]): void {
  if (list.length === 0) throw invalidData(url, path, 'the feed lists no vehicles');
}
