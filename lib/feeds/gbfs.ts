import type { ReadContext } from './fetchDocument';
import {
  declaredVersion,
  fetchGbfs,
  fetchGbfsStatus,
  gbfsTime,
  parseDiscovery,
  parseStatus,
  parseSystemName,
  parseVehicleTypes,
  type GbfsDocument,
  type GbfsStatus,
  type GbfsStatusVehicle,
} from './gbfsDocuments';
import type { GbfsVersion } from './gbfsSchemas';
import { parseStations, type StationsContent } from './gbfsStations';
import { childPath } from './jsonPath';
import type { FeedConfig, FeedSnapshot, VehicleObservation, VehicleTypeInfo } from './types';

export type FeedContent = Omit<FeedSnapshot, 'feedId' | 'fetchedAt'>;

/**
 * Observations with their form factor. A vehicle's type comes from vehicle_types; without that
 * file, from the feed's defaults (such a type is added to the snapshot so every id resolves).
 * A vehicle naming a type missing from a published vehicle_types file is quarantined. Vehicles
 * without a position are docked at a station and are not observations of public space.
 */
function observe(
  feed: FeedConfig,
  status: GbfsStatus,
  published: VehicleTypeInfo[] | null,
): Pick<FeedContent, 'vehicles' | 'vehicleTypes' | 'quarantined' | 'unknownTypeVehicles'> {
  const types = new Map((published ?? []).map((t) => [t.id, t]));
  const added: VehicleTypeInfo[] = [];
  const vehicles: VehicleObservation[] = [];
  const quarantined = [...status.quarantined];
  let unknownTypeVehicles = 0;
  const listed = status.vehicles;
  for (let index = 0; index < listed.length; index++) {
    const v = listed[index] as GbfsStatusVehicle;
    if (v.lat === undefined || v.lon === undefined) continue;
    const typeId = v.vehicle_type_id ?? feed.defaultVehicleTypeId;
    let type = typeId === null ? undefined : types.get(typeId);
    if (typeId !== null && type === undefined) {
      if (published !== null && v.vehicle_type_id !== undefined) {
        const position = status.positions[index] as number;
        const path = childPath(childPath(status.listPath, position), 'vehicle_type_id');
        quarantined.push({
          position,
          vehicleId: status.ids[index] ?? null,
          path,
          reason: `${path}: "${typeId}" is not listed in vehicle_types`,
          record: v,
        });
        continue;
      }
      type = {
        id: typeId,
        formFactor: feed.defaultFormFactor ?? 'OTHER',
        propulsionType: 'unknown',
        name: null,
      };
      types.set(typeId, type);
      added.push(type);
    }
    const formFactor = type?.formFactor ?? feed.defaultFormFactor ?? 'OTHER';
    if (published === null && feed.defaultFormFactor === null) unknownTypeVehicles += 1;
    vehicles.push({
      vehicleId: status.ids[index] as string,
      lat: v.lat,
      lng: v.lon,
      vehicleTypeId: typeId,
      formFactor,
      isReserved: v.is_reserved,
      isDisabled: v.is_disabled,
      lastReportedAt: v.last_reported === undefined ? null : gbfsTime(v.last_reported),
      stationId: v.station_id ?? null,
    });
  }
  quarantined.sort((a, b) => a.position - b.position);
  return {
    vehicles,
    vehicleTypes: [...(published ?? []), ...added],
    quarantined,
    unknownTypeVehicles,
  };
}

function content(
  feed: FeedConfig,
  status: GbfsStatus,
  types: VehicleTypeInfo[] | null,
  systemName: string | null,
): FeedContent {
  return {
    lastUpdatedAt: status.lastUpdatedAt,
    ...observe(feed, status, types),
    systemName,
    feedVersion: status.version,
    ttlSeconds: status.ttlSeconds,
  };
}

/** A vehicle file registered directly: its vehicle types from the feed's `vehicleTypesUrl`. */
async function directTypes(
  feed: FeedConfig,
  context: ReadContext,
  version: GbfsVersion,
): Promise<VehicleTypeInfo[] | null> {
  if (!feed.vehicleTypesUrl) return null;
  return parseVehicleTypes(await fetchGbfs(context, feed.vehicleTypesUrl), version);
}

async function readDiscovered(
  feed: FeedConfig,
  context: ReadContext,
  discovery: GbfsDocument,
  version: GbfsVersion,
): Promise<FeedContent> {
  const urls = parseDiscovery(discovery, version);
  const optional = (url: string | null | undefined) =>
    url ? fetchGbfs(context, url) : Promise.resolve(null);
  const [statusDocument, typesDocument, informationDocument, stationInfo, stationStatus] =
    await Promise.all([
      urls.status ? fetchGbfsStatus(context, urls.status, version) : null,
      optional(urls.vehicleTypes),
      optional(urls.systemInformation),
      optional(urls.stations?.information),
      optional(urls.stations?.status),
    ]);
  const types = typesDocument ? parseVehicleTypes(typesDocument, version) : null;
  const systemName = informationDocument ? parseSystemName(informationDocument, version) : null;
  const stations =
    stationInfo && stationStatus
      ? parseStations(feed, stationInfo, stationStatus, version, types)
      : null;
  if (statusDocument === null) {
    // parseDiscovery made sure there are stations when there is no vehicle file.
    const docked = stations as StationsContent;
    return {
      lastUpdatedAt: docked.lastUpdatedAt,
      vehicles: [],
      vehicleTypes: types ?? [],
      quarantined: [],
      unknownTypeVehicles: docked.unknownTypeVehicles,
      systemName,
      feedVersion: docked.version,
      ttlSeconds: docked.ttlSeconds,
      stations: docked.stations,
      stationsLeftOut: docked.leftOut,
    };
  }
  const read = content(feed, parseStatus(statusDocument, version), types, systemName);
  if (stations === null) return read;
  return {
    ...read,
    unknownTypeVehicles: (read.unknownTypeVehicles ?? 0) + stations.unknownTypeVehicles,
    stations: stations.stations,
    stationsLeftOut: stations.leftOut,
  };
}

function isDiscovery(document: GbfsDocument): boolean {
  const data = (document.body as { data?: { feeds?: unknown } } | null)?.data;
  return typeof data === 'object' && data !== null && Array.isArray(data.feeds);
}

/** GBFS_FREE_BIKE_STATUS: a 2.x free_bike_status.json, without vehicle types or a name. */
export async function readFreeBikeStatus(
  feed: FeedConfig,
  context: ReadContext,
): Promise<FeedContent> {
  const [document, types] = await Promise.all([
    fetchGbfsStatus(context, feed.url, '2.3'),
    directTypes(feed, context, '2.3'),
  ]);
  return content(feed, parseStatus(document, '2.3'), types, null);
}

/**
 * GBFS_DISCOVERY: a gbfs.json, 1.x or 2.x (read with the 2.3 schemas) or (by its version) 3.0;
 * its free-floating vehicles, its stations, or both.
 */
export async function readDiscovery(feed: FeedConfig, context: ReadContext): Promise<FeedContent> {
  const discovery = await fetchGbfs(context, feed.url);
  const version = declaredVersion(discovery.body)?.startsWith('3.') ? '3.0' : '2.3';
  return readDiscovered(feed, context, discovery, version);
}

/** GBFS3_VEHICLE_STATUS: a 3.0 gbfs.json, or its vehicle_status.json itself. */
export async function readVehicleStatus(
  feed: FeedConfig,
  context: ReadContext,
): Promise<FeedContent> {
  const document = await fetchGbfsStatus(context, feed.url, '3.0');
  if (isDiscovery(document)) return readDiscovered(feed, context, document, '3.0');
  const status = parseStatus(document, '3.0');
  return content(feed, status, await directTypes(feed, context, '3.0'), null);
}
