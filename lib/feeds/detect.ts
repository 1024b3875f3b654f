import type { FeedType } from '../domain/fleet';
import { assertNever } from '../errors';

/**
 * What a JSON document of a mobility feed is, told by its shape (the envelope and the list it
 * carries), so a wrong registration is answered with what the URL really is instead of the first
 * schema error of the wrong schema ("last_updated: must be string").
 */
export type DocumentKind =
  | 'GBFS_DISCOVERY'
  | 'GBFS_FREE_BIKE_STATUS'
  | 'GBFS_VEHICLE_STATUS'
  | 'GBFS_STATION_STATUS'
  | 'GBFS_STATION_INFORMATION'
  | 'GBFS_VEHICLE_TYPES'
  | 'GBFS_SYSTEM_INFORMATION'
  | 'GBFS_GEOFENCING_ZONES'
  | 'GBFS_VERSIONS'
  | 'GBFS_OTHER'
  | 'MDS_VEHICLES'
  | 'MDS_VEHICLES_STATUS'
  | 'MDS_TRIPS'
  | 'MDS_OTHER'
  | 'UNKNOWN';

export interface DetectedDocument {
  kind: DocumentKind;
  /** The version the document declares; GBFS 1.0 declares none and is '1.0'. */
  version: string | null;
  /** For a discovery file: the names of the files it lists. */
  lists?: string[];
}

const FILE_NAMES: Record<DocumentKind, string> = {
  GBFS_DISCOVERY: 'gbfs.json (discovery)',
  GBFS_FREE_BIKE_STATUS: 'free_bike_status',
  GBFS_VEHICLE_STATUS: 'vehicle_status',
  GBFS_STATION_STATUS: 'station_status',
  GBFS_STATION_INFORMATION: 'station_information',
  GBFS_VEHICLE_TYPES: 'vehicle_types',
  GBFS_SYSTEM_INFORMATION: 'system_information',
  GBFS_GEOFENCING_ZONES: 'geofencing_zones',
  GBFS_VERSIONS: 'gbfs_versions',
  GBFS_OTHER: 'file',
  MDS_VEHICLES: '/vehicles response',
  MDS_VEHICLES_STATUS: '/vehicles/status response',
  MDS_TRIPS: '/trips response',
  MDS_OTHER: 'response',
  UNKNOWN: '',
};

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function firstItem(list: unknown): Json | null {
  return Array.isArray(list) && isObject(list[0]) ? list[0] : null;
}

function gbfsKind(data: Json): Pick<DetectedDocument, 'kind' | 'lists'> {
  if (Array.isArray(data.feeds)) {
    return { kind: 'GBFS_DISCOVERY', lists: listedNames(data.feeds) };
  }
  // 1.x and 2.x discovery: one list of feeds per language.
  const languages = Object.values(data).filter(
    (value): value is { feeds: unknown[] } => isObject(value) && Array.isArray(value.feeds),
  );
  if (languages.length > 0 && languages.length === Object.keys(data).length) {
    return { kind: 'GBFS_DISCOVERY', lists: listedNames(languages.flatMap((l) => l.feeds)) };
  }
  if (Array.isArray(data.bikes)) return { kind: 'GBFS_FREE_BIKE_STATUS' };
  if (Array.isArray(data.vehicles)) return { kind: 'GBFS_VEHICLE_STATUS' };
  if (Array.isArray(data.stations)) {
    const station = firstItem(data.stations);
    const isStatus =
      station !== null &&
      ('num_bikes_available' in station ||
        'num_vehicles_available' in station ||
        'num_docks_available' in station ||
        'last_reported' in station);
    return { kind: isStatus ? 'GBFS_STATION_STATUS' : 'GBFS_STATION_INFORMATION' };
  }
  if (Array.isArray(data.vehicle_types)) return { kind: 'GBFS_VEHICLE_TYPES' };
  if (isObject(data.geofencing_zones)) return { kind: 'GBFS_GEOFENCING_ZONES' };
  if (typeof data.system_id === 'string') return { kind: 'GBFS_SYSTEM_INFORMATION' };
  if (Array.isArray(data.versions)) return { kind: 'GBFS_VERSIONS' };
  return { kind: 'GBFS_OTHER' };
}

/** The feeds a discovery file lists (every language of a 2.x one), with absolute http(s) URLs. */
export function listedFeeds(body: unknown, baseUrl: string): { name: string; url: string }[] {
  const data = isObject(body) && isObject(body.data) ? body.data : {};
  const lists = Array.isArray(data.feeds)
    ? [data.feeds]
    : Object.values(data).flatMap((v) => (isObject(v) && Array.isArray(v.feeds) ? [v.feeds] : []));
  const found: { name: string; url: string }[] = [];
  for (const entry of lists.flat()) {
    if (!isObject(entry) || typeof entry.name !== 'string' || typeof entry.url !== 'string')
      continue;
    try {
      const url = new URL(entry.url, baseUrl);
      if (url.protocol === 'http:' || url.protocol === 'https:') {
        found.push({ name: entry.name, url: url.toString() });
      }
    } catch {
      // Not a URL: the entry is left out.
    }
  }
  return found;
}

function listedNames(feeds: unknown[]): string[] {
  const names = feeds
    .map((f) => (isObject(f) && typeof f.name === 'string' ? f.name : null))
    .filter((n): n is string => n !== null);
  return [...new Set(names)];
}

/** The kind and version of a parsed JSON body; UNKNOWN when it is no GBFS or MDS document. */
export function detectDocument(body: unknown): DetectedDocument {
  if (!isObject(body)) return { kind: 'UNKNOWN', version: null };
  const version = typeof body.version === 'string' ? body.version : null;
  if (isObject(body.data) && 'last_updated' in body) {
    return { ...gbfsKind(body.data), version: version ?? '1.0' };
  }
  if (version !== null) {
    if (Array.isArray(body.vehicles_status)) return { kind: 'MDS_VEHICLES_STATUS', version };
    if (Array.isArray(body.vehicles)) return { kind: 'MDS_VEHICLES', version };
    if (Array.isArray(body.trips)) return { kind: 'MDS_TRIPS', version };
    if (['events', 'telemetry', 'stops', 'reports'].some((k) => Array.isArray(body[k]))) {
      return { kind: 'MDS_OTHER', version };
    }
  }
  return { kind: 'UNKNOWN', version };
}

/** "a GBFS 2.3 gbfs.json (discovery)", "an MDS 2.0 /vehicles/status response". */
export function describeDocument(detected: DetectedDocument): string {
  if (detected.kind === 'UNKNOWN') return 'a JSON document that is neither GBFS nor MDS';
  const family = detected.kind.startsWith('MDS') ? 'MDS' : 'GBFS';
  const version = detected.version === null ? '' : ` ${detected.version}`;
  const article = family === 'MDS' ? 'an' : 'a';
  return `${article} ${family}${version} ${FILE_NAMES[detected.kind]}`;
}

export const isGbfs1 = (version: string | null): boolean =>
  version !== null && /^1\./.test(version);
export const isGbfs2 = (version: string | null): boolean =>
  version !== null && /^2\./.test(version);
export const isGbfs3 = (version: string | null): boolean =>
  version !== null && /^3\./.test(version);

/** The vehicle file a discovery file of this version lists (null: none the importer reads). */
export function vehicleFileName(version: string | null): string | null {
  if (isGbfs1(version) || isGbfs2(version)) return 'free_bike_status';
  if (isGbfs3(version)) return 'vehicle_status';
  return null;
}

/**
 * The feed type that reads this document, or why none does (as the end of a sentence: "GBFS 4.0
 * is not read"). Discovery files must list a vehicle file, or both station files.
 */
export function readableAs(
  detected: DetectedDocument,
): { type: FeedType; also?: FeedType } | { reason: string } {
  const { kind, version } = detected;
  switch (kind) {
    case 'GBFS_DISCOVERY': {
      const file = vehicleFileName(version);
      if (file === null)
        return { reason: `GBFS ${version ?? ''} is not read (1.x, 2.x and 3.0 are)` };
      const stations =
        detected.lists?.includes('station_information') &&
        detected.lists.includes('station_status');
      if (!detected.lists?.includes(file) && !stations) {
        return {
          reason: `it lists neither ${file} (free-floating vehicles) nor station_information and station_status (a docked system), only ${detected.lists?.join(', ') || 'nothing'}: it publishes no vehicles`,
        };
      }
      return isGbfs3(version)
        ? { type: 'GBFS_DISCOVERY', also: 'GBFS3_VEHICLE_STATUS' }
        : { type: 'GBFS_DISCOVERY' };
    }
    case 'GBFS_FREE_BIKE_STATUS':
      return isGbfs1(version) || isGbfs2(version)
        ? { type: 'GBFS_FREE_BIKE_STATUS' }
        : { reason: `GBFS ${version ?? ''} free_bike_status is not read` };
    case 'GBFS_VEHICLE_STATUS':
      return isGbfs3(version)
        ? { type: 'GBFS3_VEHICLE_STATUS' }
        : { reason: `GBFS ${version ?? ''} vehicle_status is not read` };
    case 'GBFS_STATION_STATUS':
    case 'GBFS_STATION_INFORMATION':
      return {
        reason:
          'a file of a station-based system: its stations are read from station_information and station_status together, so register the gbfs.json that lists them (GBFS_DISCOVERY)',
      };
    case 'GBFS_VEHICLE_TYPES':
    case 'GBFS_SYSTEM_INFORMATION':
    case 'GBFS_GEOFENCING_ZONES':
    case 'GBFS_VERSIONS':
    case 'GBFS_OTHER':
      return {
        reason:
          'it lists no vehicles: register the gbfs.json (GBFS_DISCOVERY) or the vehicle file itself',
      };
    case 'MDS_VEHICLES':
    case 'MDS_VEHICLES_STATUS':
    case 'MDS_TRIPS':
    case 'MDS_OTHER':
      return {
        reason: 'an MDS feed is registered by the base URL of its Provider API (MDS_VEHICLES)',
      };
    case 'UNKNOWN':
      return { reason: 'it is not a GBFS or MDS document' };
    default:
      return assertNever(kind);
  }
}

/** The MDS Provider API base of an endpoint URL (`.../mds/vehicles/status` -> `.../mds`). */
export function mdsBaseUrl(url: string): string | null {
  const parsed = new URL(url);
  const base = parsed.pathname
    .replace(/\/+$/, '')
    .replace(/\/(vehicles(\/status)?|trips|events|telemetry)$/, '');
  if (base === parsed.pathname.replace(/\/+$/, '')) return null;
  parsed.pathname = base;
  parsed.search = '';
  return parsed.toString();
}

/**
 * Why `body` is not the `expected` kind of document (of a version `versionFits`), as a feed-health
 * message naming what it is and what reads it; null when it is, or when its shape says nothing
 * (then the schema's own error is the better message).
 */
export function wrongDocument(
  body: unknown,
  expected: DocumentKind,
  expectedVersion: string,
  versionFits: (version: string | null) => boolean,
): string | null {
  const detected = detectDocument(body);
  if (detected.kind === 'UNKNOWN' || detected.kind === 'GBFS_OTHER') return null;
  if (detected.kind === expected && versionFits(detected.version)) return null;
  const wanted = describeDocument({ kind: expected, version: expectedVersion });
  const readable = readableAs(detected);
  const hint = 'type' in readable ? `register it as ${readable.type}` : readable.reason;
  return `the document is ${describeDocument(detected)}, not ${wanted}: ${hint}`;
}
