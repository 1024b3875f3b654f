import { checkGbfsVehiclePosition, checkUnique, gbfsVehiclePositionIsFine } from './checks';
import {
  detectDocument,
  isGbfs1,
  isGbfs2,
  isGbfs3,
  wrongDocument,
  type DocumentKind,
} from './detect';
import { fetchJson, GBFS_ACCEPT, type ListRead, type ReadContext } from './fetchDocument';
import { gbfsFormFactor } from './formFactor';
import { gbfsValidator, STATUS_LISTS, type GbfsFile, type GbfsVersion } from './gbfsSchemas';
import { childPath } from './jsonPath';
import type { ListedBody } from './listMemo';
import { feedProblem } from './problem';
import { screenList } from './quarantine';
import type { QuarantinedRecord, VehicleTypeInfo } from './types';
import { validateDocument } from './validate';

/** Languages preferred when a feed offers several (a Dutch dashboard first). */
export const PREFERRED_LANGUAGES = ['nl', 'en'];

type Localized = { text: string; language: string }[];

interface GbfsEnvelope<T> {
  last_updated: number | string;
  version: string;
  data: T;
}

export interface GbfsStatusVehicle {
  lat?: number;
  lon?: number;
  is_reserved: boolean;
  is_disabled: boolean;
  vehicle_type_id?: string;
  last_reported?: number | string;
  station_id?: string;
}

/** A status document after validation, with what differs between 2.x and 3.0 made uniform. */
export interface GbfsStatus {
  url: string;
  version: string;
  lastUpdatedAt: Date;
  /** `data.bikes` (2.x) or `data.vehicles` (3.0) */
  listPath: string;
  /** The good listed vehicles; `ids[i]` is the id of `vehicles[i]`, `positions[i]` its index. */
  vehicles: GbfsStatusVehicle[];
  ids: string[];
  positions: number[];
  /** Listed vehicles left out for a bad record. */
  quarantined: QuarantinedRecord[];
  ttlSeconds: number | null;
}

export interface GbfsDocument {
  url: string;
  body: unknown;
  /** Set when the body was read record by record (a status file, see ListMemo). */
  listed?: ListedBody;
}

/** GBFS 2.x times are POSIX seconds, 3.0 times RFC 3339 strings. */
export function gbfsTime(value: number | string): Date {
  return typeof value === 'number' ? new Date(value * 1000) : new Date(value);
}

export function pickLanguage(available: string[]): string | undefined {
  return PREFERRED_LANGUAGES.find((l) => available.includes(l)) ?? [...available].sort()[0];
}

export function localizedText(value: string | Localized | undefined): string | null {
  if (value === undefined) return null;
  if (typeof value === 'string') return value;
  const language = pickLanguage(value.map((t) => t.language));
  return value.find((t) => t.language === language)?.text ?? null;
}

export function declaredVersion(body: unknown): string | undefined {
  const version = (body as { version?: unknown } | null)?.version;
  return typeof version === 'string' ? version : undefined;
}

/** GBFS 1.x writes a list's flags as 0 / 1; 2.0 made them booleans. */
const FLAGS_1X: Record<string, readonly string[]> = {
  bikes: ['is_reserved', 'is_disabled'],
  stations: ['is_installed', 'is_renting', 'is_returning'],
};

function withBooleanFlags(list: unknown[], flags: readonly string[]): unknown[] {
  const flag = (value: unknown) => (value === 0 || value === 1 ? value === 1 : value);
  return list.map((item: unknown) => {
    if (typeof item !== 'object' || item === null) return item;
    const copy = { ...(item as Record<string, unknown>) };
    for (const key of flags) if (key in copy) copy[key] = flag(copy[key]);
    return copy;
  });
}

/**
 * What the 2.3 schema checks of an older document: 2.0–2.2 add optional fields only, so their
 * version is presented as 2.3; a 1.x document (1.0 declares no version) also has its 0/1 flags
 * (vehicles' reserved / disabled, stations' installed / renting / returning) read as booleans,
 * the one difference in what is read. The feed keeps its own version.
 */
export function asSchemaVersion(body: unknown, version: GbfsVersion): unknown {
  if (version !== '2.3') return body;
  const declared = declaredVersion(body) ?? null;
  if (declared !== null && !/^2\.[0-2]$/.test(declared) && !isGbfs1(declared)) return body;
  if (declared === null && detectDocument(body).version !== '1.0') return body;
  const copy: Record<string, unknown> = { ...(body as Record<string, unknown>), version: '2.3' };
  const data = copy.data as Record<string, unknown> | undefined;
  if (isGbfs1(declared ?? '1.0') && data) {
    const converted = { ...data };
    for (const [key, flags] of Object.entries(FLAGS_1X)) {
      const list = data[key];
      if (Array.isArray(list)) converted[key] = withBooleanFlags(list, flags);
    }
    copy.data = converted;
  }
  return copy;
}

/** Validates a GBFS document against the schema of `version` (older 2.x and 1.x as 2.3). */
export function validateGbfs(document: GbfsDocument, version: GbfsVersion, file: GbfsFile): void {
  expectGbfs(document, version, file);
  const body = asSchemaVersion(document.body, version);
  validateDocument(gbfsValidator(version, file), body, document.url, `GBFS ${version} ${file}`);
}

const FILE_KINDS: Record<GbfsFile, DocumentKind> = {
  gbfs: 'GBFS_DISCOVERY',
  system_information: 'GBFS_SYSTEM_INFORMATION',
  vehicle_types: 'GBFS_VEHICLE_TYPES',
  free_bike_status: 'GBFS_FREE_BIKE_STATUS',
  vehicle_status: 'GBFS_VEHICLE_STATUS',
  station_information: 'GBFS_STATION_INFORMATION',
  station_status: 'GBFS_STATION_STATUS',
};

/**
 * A document of another kind or version than the one about to be read (a gbfs.json where a
 * vehicle_status was expected, a GBFS 1.x file) fails as WRONG_DOCUMENT saying what it is, rather
 * than with the first error of the wrong schema.
 */
export function expectGbfs(document: GbfsDocument, version: GbfsVersion, file: GbfsFile): void {
  const message = wrongDocument(
    document.body,
    FILE_KINDS[file],
    version === '2.3' ? '2.x' : '3.0',
    version === '2.3' ? (v) => isGbfs2(v) || isGbfs1(v) : isGbfs3,
  );
  if (message !== null) throw feedProblem('WRONG_DOCUMENT', document.url, message);
}

export async function fetchGbfs(
  context: ReadContext,
  url: string,
  list?: ListRead,
): Promise<GbfsDocument> {
  const { url: answeredUrl, body, listed } = await fetchJson(context, url, GBFS_ACCEPT, { list });
  return listed ? { url: answeredUrl, body, listed } : { url: answeredUrl, body };
}

/** The status file of `version`, its vehicles read record by record. */
export function fetchGbfsStatus(
  context: ReadContext,
  url: string,
  version: GbfsVersion,
): Promise<GbfsDocument> {
  const file = version === '2.3' ? 'free_bike_status' : 'vehicle_status';
  return fetchGbfs(context, url, {
    name: `gbfs ${version} ${file}`,
    keys: STATUS_LISTS[file] ?? [],
  });
}

/**
 * free_bike_status (2.x) or vehicle_status (3.0). A vehicle with a bad record (a bad position, a
 * repeated id, a field the schema refuses) is quarantined and the rest read; a bad envelope fails
 * the document. An empty list is read as such (the importer decides what an empty feed means).
 */
export function parseStatus(document: GbfsDocument, version: GbfsVersion): GbfsStatus {
  const listKey = version === '2.3' ? 'bikes' : 'vehicles';
  const idKey = version === '2.3' ? 'bike_id' : 'vehicle_id';
  type Listed = GbfsStatusVehicle & { bike_id?: string; vehicle_id?: string };
  const file = version === '2.3' ? 'free_bike_status' : 'vehicle_status';
  expectGbfs(document, version, file);
  const screened = screenList<Listed>({
    url: document.url,
    body: asSchemaVersion(document.body, version),
    listKeys: ['data', listKey],
    idKey,
    isFine: gbfsVehiclePositionIsFine,
    check: (item, path) => checkGbfsVehiclePosition(document.url, item, path),
    validate: gbfsValidator(version, file),
    schemaName: `GBFS ${version} ${file}`,
    listed: document.listed,
  });
  const body = document.body as GbfsEnvelope<unknown> & { ttl?: number };
  return {
    url: document.url,
    // GBFS 1.0 declares no version.
    version: typeof body.version === 'string' ? body.version : '1.0',
    lastUpdatedAt: gbfsTime(body.last_updated),
    listPath: `data.${listKey}`,
    vehicles: screened.kept.map((k) => k.item),
    ids: screened.kept.map((k) => k.item[idKey] ?? ''),
    positions: screened.kept.map((k) => k.position),
    quarantined: screened.quarantined,
    ttlSeconds: typeof body.ttl === 'number' ? body.ttl : null,
  };
}

interface GbfsVehicleType {
  vehicle_type_id: string;
  form_factor: string;
  propulsion_type: string;
  name?: string | Localized;
}

export function parseVehicleTypes(document: GbfsDocument, version: GbfsVersion): VehicleTypeInfo[] {
  validateGbfs(document, version, 'vehicle_types');
  const types = (document.body as GbfsEnvelope<{ vehicle_types: GbfsVehicleType[] }>).data
    .vehicle_types;
  checkUnique(
    document.url,
    types.map((t) => t.vehicle_type_id),
    (i) => `data.vehicle_types[${i}].vehicle_type_id`,
    'vehicle_type_id',
  );
  return types.map((t) => ({
    id: t.vehicle_type_id,
    formFactor: gbfsFormFactor(t.form_factor),
    propulsionType: t.propulsion_type,
    name: localizedText(t.name),
  }));
}

export function parseSystemName(document: GbfsDocument, version: GbfsVersion): string | null {
  validateGbfs(document, version, 'system_information');
  return localizedText((document.body as GbfsEnvelope<{ name?: string | Localized }>).data.name);
}

/** The http(s) URL of one listed feed, resolved against the discovery file's own URL. */
function feedUrl(document: GbfsDocument, entry: { url: string }, path: string): string {
  let url: URL;
  try {
    url = new URL(entry.url, document.url);
  } catch {
    throw feedProblem('INVALID_DATA', document.url, `${path}: "${entry.url}" is not a URL`, path);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw feedProblem(
      'INVALID_DATA',
      document.url,
      `${path}: only http(s) feeds can be read, got "${entry.url}"`,
      path,
    );
  }
  return url.toString();
}

export interface DiscoveredFeeds {
  /** free_bike_status / vehicle_status; null for a station-based system. */
  status: string | null;
  vehicleTypes: string | null;
  systemInformation: string | null;
  /** station_information and station_status, when the feed lists both. */
  stations: { information: string; status: string } | null;
}

/**
 * gbfs.json: the URLs of the files the importer reads (2.x: of one language). It must list a
 * vehicle file (free-floating vehicles), or station_information and station_status (a docked
 * system), or both.
 */
export function parseDiscovery(document: GbfsDocument, version: GbfsVersion): DiscoveredFeeds {
  validateGbfs(document, version, 'gbfs');
  type Entry = { name: string; url: string };
  let feeds: Entry[];
  let listPath: string;
  if (version === '2.3') {
    const data = (document.body as GbfsEnvelope<Record<string, { feeds: Entry[] }>>).data;
    const language = pickLanguage(Object.keys(data)) ?? '';
    feeds = data[language]?.feeds ?? [];
    listPath = childPath(childPath('data', language), 'feeds');
  } else {
    feeds = (document.body as GbfsEnvelope<{ feeds: Entry[] }>).data.feeds;
    listPath = 'data.feeds';
  }
  const find = (name: string): string | null => {
    const index = feeds.findIndex((f) => f.name === name);
    const entry = feeds[index];
    return entry ? feedUrl(document, entry, `${childPath(listPath, index)}.url`) : null;
  };
  const statusName = version === '2.3' ? 'free_bike_status' : 'vehicle_status';
  const status = find(statusName);
  const information = find('station_information');
  const stationStatus = find('station_status');
  const stations =
    information !== null && stationStatus !== null ? { information, status: stationStatus } : null;
  if (status === null && stations === null) {
    const listed = feeds.map((f) => f.name).join(', ') || 'nothing';
    throw feedProblem(
      'INVALID_DATA',
      document.url,
      `${listPath}: lists neither ${statusName} (free-floating vehicles) nor station_information and station_status (a docked system), only ${listed}`,
      listPath,
    );
  }
  return {
    status,
    vehicleTypes: find('vehicle_types'),
    systemInformation: find('system_information'),
    stations,
  };
}
