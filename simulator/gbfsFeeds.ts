import { toGbfsFormFactor } from '../lib/feeds/formFactor';
import type { DocumentParts } from './documents';
import { isMissing } from './faults';
import type { SimOperator, SimVehicle } from './model';

export type GbfsVersion = '2.3' | '3.0';

/** The files each version serves; the status file is the big one, cached per change. */
export const GBFS_FILES: Record<GbfsVersion, readonly string[]> = {
  '2.3': ['gbfs', 'system_information', 'vehicle_types', 'free_bike_status'],
  '3.0': ['gbfs', 'system_information', 'vehicle_types', 'vehicle_status'],
};

const LANGUAGE = 'nl';
const TIMEZONE = 'Europe/Amsterdam';
/** Seconds a client may keep the vehicle list; the static files change far less often. */
const STATUS_TTL_SECONDS = 30;
const STATIC_TTL_SECONDS = 3600;

/** 2.3 times are POSIX seconds, 3.0 times RFC 3339. */
function time(version: GbfsVersion, ms: number): number | string {
  return version === '2.3' ? Math.floor(ms / 1000) : new Date(ms).toISOString();
}

function envelope(version: GbfsVersion, updatedMs: number, ttl: number, data: unknown): string {
  return JSON.stringify({ last_updated: time(version, updatedMs), ttl, version, data });
}

/** `<baseUrl>/<operator>/gbfs/<version>/<file>.json` */
export function gbfsFileUrl(
  baseUrl: string,
  operatorId: string,
  version: GbfsVersion,
  file: string,
): string {
  return `${baseUrl}/${operatorId}/gbfs/${version}/${file}.json`;
}

export function gbfsDiscovery(
  operator: SimOperator,
  version: GbfsVersion,
  baseUrl: string,
  startMs: number,
): string {
  const feeds = GBFS_FILES[version].map((name) => ({
    name,
    url: gbfsFileUrl(baseUrl, operator.id, version, name),
  }));
  const data = version === '2.3' ? { [LANGUAGE]: { feeds } } : { feeds };
  return envelope(version, startMs, STATIC_TTL_SECONDS, data);
}

export function gbfsSystemInformation(
  operator: SimOperator,
  version: GbfsVersion,
  startMs: number,
): string {
  const data =
    version === '2.3'
      ? { system_id: operator.id, language: LANGUAGE, name: operator.name, timezone: TIMEZONE }
      : {
          system_id: operator.id,
          languages: [LANGUAGE],
          name: [{ text: operator.name, language: LANGUAGE }],
          opening_hours: '24/7',
          feed_contact_email: `gbfs@${operator.id}.example`,
          timezone: TIMEZONE,
        };
  return envelope(version, startMs, STATIC_TTL_SECONDS, data);
}

export function gbfsVehicleTypes(
  operator: SimOperator,
  version: GbfsVersion,
  startMs: number,
): string {
  const type = operator.vehicleType;
  const vehicleType = {
    vehicle_type_id: type.id,
    form_factor: toGbfsFormFactor(type.formFactor),
    propulsion_type: type.propulsionType,
    max_range_meters: type.maxRangeMeters,
    name: version === '2.3' ? type.name : [{ text: type.name, language: LANGUAGE }],
  };
  return envelope(version, startMs, STATIC_TTL_SECONDS, { vehicle_types: [vehicleType] });
}

/** Parked vehicles only: GBFS leaves out vehicles on a trip and (here) hidden reservations. */
function listed(vehicle: SimVehicle): boolean {
  return vehicle.state !== 'ON_TRIP' && vehicle.state !== 'HIDDEN' && vehicle.state !== 'COLLECTED';
}

function vehicleEntry(v: SimVehicle, version: GbfsVersion, typeId: string, bad = false): Buffer {
  return Buffer.from(
    JSON.stringify({
      [version === '2.3' ? 'bike_id' : 'vehicle_id']: v.publicId,
      lat: bad ? 0 : v.lat,
      lon: bad ? 0 : v.lng,
      is_reserved: v.state === 'RESERVED',
      is_disabled: v.state === 'DISABLED',
      vehicle_type_id: typeId,
      last_reported: time(version, v.eventMs),
    }),
  );
}

/**
 * The vehicle entries of free_bike_status (2.3) or vehicle_status (3.0): each vehicle's cached
 * JSON bytes, serialized again only when the vehicle changed.
 */
export function gbfsVehicleList(operator: SimOperator, version: GbfsVersion): Buffer[] {
  const cacheKey = version === '2.3' ? 'gbfs23' : 'gbfs30';
  const typeId = operator.vehicleType.id;
  const entries: Buffer[] = [];
  let bad = operator.faults.badRecords;
  for (const v of operator.vehicles) {
    if (!listed(v) || isMissing(v, operator.faults.missingShare)) continue;
    if (bad > 0) {
      bad -= 1;
      entries.push(vehicleEntry(v, version, typeId, true));
      continue;
    }
    entries.push((v.serialized[cacheKey] ??= vehicleEntry(v, version, typeId)));
  }
  return entries;
}

/** The whole status document around a list of `gbfsVehicleList`, as of `nowMs` (fresh data). */
export function gbfsVehicleStatus(
  version: GbfsVersion,
  entries: Buffer[],
  nowMs: number,
): DocumentParts {
  const listKey = version === '2.3' ? 'bikes' : 'vehicles';
  const updated = JSON.stringify(time(version, nowMs));
  return {
    head: `{"last_updated":${updated},"ttl":${STATUS_TTL_SECONDS},"version":"${version}","data":{"${listKey}":[`,
    entries,
    tail: ']}}',
  };
}
