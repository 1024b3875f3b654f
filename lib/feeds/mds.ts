import { checkMdsStatusPosition, mdsStatusPositionIsFine } from './checks';
import type { ReadContext } from './fetchDocument';
import type { FeedContent } from './gbfs';
import {
  endpointUrl,
  fetchPages,
  listedPath,
  mdsMode,
  mdsVehicleType,
  mdsVehicleTypeId,
  screenedList,
  uniqueBy,
  validatedList,
  type MdsVehicle,
  type MdsVehicleStatus,
} from './mdsDocuments';
import type { FeedConfig, VehicleObservation, VehicleTypeInfo } from './types';

/**
 * Vehicle states that put a vehicle parked in public space. `on_trip` is a rental in progress;
 * `removed`, `missing`, `elsewhere`, `non_contactable` (and car-share `stopped`) are not observations.
 */
const PARKED_STATES = new Set(['available', 'reserved', 'non_operational']);

/** MDS_VEHICLES: `/vehicles` (the devices) and `/vehicles/status` (where each one is now). */
export async function readMdsVehicles(
  feed: FeedConfig,
  context: ReadContext,
): Promise<FeedContent> {
  const [vehiclePages, statusPages] = await Promise.all([
    fetchPages(context, endpointUrl(feed, '/vehicles'), {
      name: 'mds vehicles',
      keys: ['vehicles'],
    }),
    fetchPages(context, endpointUrl(feed, '/vehicles/status'), {
      name: 'mds vehicles_status',
      keys: ['vehicles_status'],
    }),
  ]);
  const mode = mdsMode(feed, vehiclePages);
  const devices = uniqueBy(
    validatedList<MdsVehicle>(vehiclePages, mode, 'vehicles', 'vehicles'),
    (v) => v.device_id,
    'device_id',
  );
  // A bad status record is left out (quarantined); the rest of the fleet is read.
  const { listed: statuses, quarantined } = screenedList<MdsVehicleStatus>(
    statusPages,
    mode,
    'vehicles_status',
    'vehicles_status',
    'device_id',
    { isFine: mdsStatusPositionIsFine, item: checkMdsStatusPosition },
  );
  const firstStatusPage = statusPages[0];

  const types = new Map<string, VehicleTypeInfo>();
  const typeOf = new Map<string, VehicleTypeInfo>();
  for (const [deviceId, { item }] of devices) {
    const id = mdsVehicleTypeId(item);
    let type = types.get(id);
    if (!type) {
      type = mdsVehicleType(item);
      types.set(type.id, type);
    }
    typeOf.set(deviceId, type);
  }
  const vehicles: VehicleObservation[] = [];
  for (const entry of statuses) {
    const { item } = entry;
    const type = typeOf.get(item.device_id);
    if (!type) {
      const path = `${listedPath(entry)}.device_id`;
      quarantined.push({
        position: entry.index,
        vehicleId: item.device_id,
        path,
        reason: `${path}: device "${item.device_id}" is not listed in /vehicles`,
        record: item,
      });
      continue;
    }
    const state = item.last_event.vehicle_state;
    if (!PARKED_STATES.has(state)) continue;
    const { last_event: event, last_telemetry: telemetry } = item;
    const location =
      event.location && event.timestamp > telemetry.timestamp ? event.location : telemetry.location;
    vehicles.push({
      vehicleId: item.device_id,
      lat: location.lat,
      lng: location.lng,
      vehicleTypeId: type.id,
      formFactor: type.formFactor,
      isReserved: state === 'reserved',
      isDisabled: state === 'non_operational',
      lastReportedAt: new Date(Math.max(telemetry.timestamp, event.timestamp)),
    });
  }
  const statusBody = firstStatusPage?.body as
    { last_updated?: number; ttl?: number; version?: string } | undefined;
  return {
    lastUpdatedAt:
      statusBody?.last_updated === undefined ? null : new Date(statusBody.last_updated),
    vehicles,
    vehicleTypes: [...types.values()],
    systemName: null,
    quarantined,
    ttlSeconds: statusBody?.ttl === undefined ? null : Math.round(statusBody.ttl / 1000),
    ...(statusBody?.version === undefined ? {} : { feedVersion: statusBody.version }),
  };
}
