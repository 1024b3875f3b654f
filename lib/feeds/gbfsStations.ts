import type { FormFactor } from '../domain/formFactors';
import { checkPosition, positionIsFine } from './checks';
import {
  asSchemaVersion,
  expectGbfs,
  gbfsTime,
  localizedText,
  type GbfsDocument,
} from './gbfsDocuments';
import { gbfsValidator, type GbfsFile, type GbfsVersion } from './gbfsSchemas';
import { childPath } from './jsonPath';
import { screenList } from './quarantine';
import type { FeedConfig, QuarantinedRecord, StationObservation, VehicleTypeInfo } from './types';

type Localized = { text: string; language: string }[];

interface StationInformation {
  station_id: string;
  name: string | Localized;
  lat: number;
  lon: number;
  capacity?: number;
}

interface StationStatus {
  station_id: string;
  /** 1.x, 2.x */
  num_bikes_available?: number;
  /** 3.0 */
  num_vehicles_available?: number;
  num_docks_available?: number;
  is_installed: boolean;
  is_renting: boolean;
  is_returning: boolean;
  last_reported: number | string;
  vehicle_types_available?: { vehicle_type_id: string; count: number }[];
}

/** The stations of a docked system, with the envelope of its station_status. */
export interface StationsContent {
  stations: StationObservation[];
  leftOut: QuarantinedRecord[];
  /** Available vehicles whose form factor the feed does not say (counted as OTHER). */
  unknownTypeVehicles: number;
  lastUpdatedAt: Date;
  version: string;
  ttlSeconds: number | null;
}

/** One station file's good records; bad ones (and repeated ids) are left out with their reason. */
function screenStations<T>(
  document: GbfsDocument,
  version: GbfsVersion,
  file: GbfsFile,
  positioned: boolean,
): { kept: { item: T; position: number }[]; quarantined: QuarantinedRecord[] } {
  expectGbfs(document, version, file);
  return screenList<T>({
    url: document.url,
    body: asSchemaVersion(document.body, version),
    listKeys: ['data', 'stations'],
    idKey: 'station_id',
    itemName: 'station',
    isFine: (item) => !positioned || positionIsFine(item, 'lon'),
    check: (item, path) => {
      if (positioned && typeof item === 'object' && item !== null) {
        checkPosition(document.url, path, item, 'lon');
      }
    },
    validate: gbfsValidator(version, file),
    schemaName: `GBFS ${version} ${file}`,
  });
}

/**
 * The form factor of a station's vehicles that `vehicle_types_available` does not type: the
 * feed's default, else the one type the feed publishes, else OTHER (and counted as unknown).
 */
function fallbackFormFactor(
  feed: FeedConfig,
  types: readonly VehicleTypeInfo[],
): FormFactor | null {
  if (feed.defaultFormFactor !== null) return feed.defaultFormFactor;
  const only = types.length === 1 ? types[0] : undefined;
  return only ? only.formFactor : null;
}

function formFactorsOf(
  status: StationStatus,
  total: number,
  types: ReadonlyMap<string, VehicleTypeInfo>,
  fallback: FormFactor | null,
): { counts: Partial<Record<FormFactor, number>>; unknown: number } {
  const counts: Partial<Record<FormFactor, number>> = {};
  let typed = 0;
  for (const available of status.vehicle_types_available ?? []) {
    const type = types.get(available.vehicle_type_id);
    const count = Math.min(available.count, total - typed);
    if (!type || count <= 0) continue;
    counts[type.formFactor] = (counts[type.formFactor] ?? 0) + count;
    typed += count;
  }
  const rest = total - typed;
  if (rest > 0) counts[fallback ?? 'OTHER'] = (counts[fallback ?? 'OTHER'] ?? 0) + rest;
  return { counts, unknown: fallback === null ? rest : 0 };
}

/**
 * station_information joined with station_status (GBFS 1.x, 2.x read with the 2.3 schema, 3.0):
 * one observation per station listed in both. A station in only one of them, or with a bad record
 * (a 0,0 position, a field the schema refuses, a repeated id), is left out with the reason.
 */
export function parseStations(
  feed: FeedConfig,
  information: GbfsDocument,
  statusDocument: GbfsDocument,
  version: GbfsVersion,
  published: readonly VehicleTypeInfo[] | null,
): StationsContent {
  const info = screenStations<StationInformation>(
    information,
    version,
    'station_information',
    true,
  );
  const status = screenStations<StationStatus>(statusDocument, version, 'station_status', false);
  const types = new Map((published ?? []).map((t) => [t.id, t]));
  const fallback = fallbackFormFactor(feed, published ?? []);
  const statusById = new Map(status.kept.map((k) => [k.item.station_id, k]));
  const leftOut = [...info.quarantined, ...status.quarantined];
  const notIn = (position: number, id: string, file: string, record: unknown) => {
    const path = childPath('data.stations', position);
    leftOut.push({
      position,
      vehicleId: id,
      path,
      reason: `${path}: station "${id}" is not listed in ${file}`,
      record,
    });
  };
  const stations: StationObservation[] = [];
  let unknownTypeVehicles = 0;
  const informed = new Set<string>();
  for (const { item, position } of info.kept) {
    informed.add(item.station_id);
    const current = statusById.get(item.station_id);
    if (!current) {
      notIn(position, item.station_id, 'station_status', item);
      continue;
    }
    const s = current.item;
    const total = s.num_vehicles_available ?? s.num_bikes_available ?? 0;
    const { counts, unknown } = formFactorsOf(s, total, types, fallback);
    unknownTypeVehicles += unknown;
    stations.push({
      stationId: item.station_id,
      name: localizedText(item.name),
      lat: item.lat,
      lng: item.lon,
      capacity: item.capacity ?? null,
      isInstalled: s.is_installed,
      isRenting: s.is_renting,
      isReturning: s.is_returning,
      vehiclesAvailable: total,
      docksAvailable: s.num_docks_available ?? null,
      formFactors: counts,
      lastReportedAt: gbfsTime(s.last_reported),
    });
  }
  for (const { item, position } of status.kept) {
    if (!informed.has(item.station_id)) {
      notIn(position, item.station_id, 'station_information', item);
    }
  }
  const body = statusDocument.body as { last_updated: number | string; ttl?: unknown };
  return {
    stations,
    leftOut,
    unknownTypeVehicles,
    lastUpdatedAt: gbfsTime(body.last_updated),
    version: (statusDocument.body as { version?: string }).version ?? '1.0',
    ttlSeconds: typeof body.ttl === 'number' ? body.ttl : null,
  };
}
