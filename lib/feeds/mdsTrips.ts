import { HOUR } from '../units';
import { checkMdsTripPositions, mdsTripPositionsIsFine } from './checks';
import { fetchJson, MDS_ACCEPT, type ReadContext } from './fetchDocument';
import {
  endpointUrl,
  fetchPages,
  listedPath,
  mdsMode,
  mdsVehicleType,
  uniqueBy,
  validatedList,
  type MdsTrip,
  type MdsVehicle,
} from './mdsDocuments';
import { feedProblem, invalidData } from './problem';
import type { ExactTrip, FeedConfig } from './types';

/**
 * Trip types that are rentals. Micromobility `rebalance`/`maintenance` and car-share `empty` trips
 * move a vehicle without a customer; a trip without a type is a rental.
 */
const RENTAL_TRIP_TYPES = new Set(['rider', 'private', 'reservation']);

/** `2024-05-01T07`: the UTC hour an MDS `end_time` query names. */
export function mdsHour(time: Date): string {
  return time.toISOString().slice(0, 13);
}

function hourStart(time: Date): number {
  return Math.floor(time.getTime() / HOUR) * HOUR;
}

/**
 * MDS `/trips?end_time=YYYY-MM-DDTHH`: the rentals that ended in that UTC hour, each with its
 * form factor from `/vehicles` (or the feed's default for a device no longer listed).
 */
export async function readTrips(
  feed: FeedConfig,
  endHour: Date,
  context: ReadContext,
): Promise<ExactTrip[]> {
  const hour = mdsHour(endHour);
  const [page, vehiclePages] = await Promise.all([
    fetchJson(context, endpointUrl(feed, '/trips', { end_time: hour }), MDS_ACCEPT, {
      acceptPending: true,
    }),
    fetchPages(context, endpointUrl(feed, '/vehicles')),
  ]);
  if (page.status === 202) {
    throw feedProblem(
      'HTTP_STATUS',
      page.url,
      `trips ending in hour ${hour} are not available yet (HTTP 202); ask again later`,
      null,
      202,
    );
  }
  const mode = mdsMode(feed, vehiclePages);
  const devices = uniqueBy(
    validatedList<MdsVehicle>(vehiclePages, mode, 'vehicles', 'vehicles'),
    (v) => v.device_id,
    'device_id',
  );
  const trips = validatedList<MdsTrip>([page], mode, 'trips', 'trips', {
    isFine: mdsTripPositionsIsFine,
    item: checkMdsTripPositions,
  });
  uniqueBy(trips, (t) => t.trip_id, 'trip_id');

  const fromMs = hourStart(endHour);
  const toMs = fromMs + HOUR;
  const result: ExactTrip[] = [];
  for (const entry of trips) {
    const { item, url } = entry;
    const path = listedPath(entry);
    if (item.end_time < fromMs || item.end_time >= toMs) {
      throw invalidData(
        url,
        `${path}.end_time`,
        `${new Date(item.end_time).toISOString()} is outside the requested hour ${hour}`,
      );
    }
    if (item.start_time > item.end_time) {
      throw invalidData(url, `${path}.start_time`, 'the trip starts after it ends');
    }
    if (item.trip_type && !item.trip_type.every((t) => RENTAL_TRIP_TYPES.has(t))) continue;
    const vehicle = devices.get(item.device_id)?.item;
    result.push({
      tripId: item.trip_id,
      vehicleId: item.device_id,
      startTime: new Date(item.start_time),
      endTime: new Date(item.end_time),
      startLat: item.start_location.lat,
      startLng: item.start_location.lng,
      endLat: item.end_location.lat,
      endLng: item.end_location.lng,
      distanceMeters: item.distance,
      formFactor: vehicle
        ? mdsVehicleType(vehicle).formFactor
        : (feed.defaultFormFactor ?? 'OTHER'),
    });
  }
  return result;
}
