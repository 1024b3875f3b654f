import type { ZoneKind } from '../../../lib/domain/zones';
import { SECOND } from '../../../lib/units';
import type { TripResolvers } from '../__generated__/resolvers-types';
import type { TripsLoaders } from '../loaders';

/** Most specific first; custom zones overlap freely and are no answer to "where". */
const ADMINISTRATIVE_KINDS: ZoneKind[] = ['NEIGHBOURHOOD', 'DISTRICT', 'MUNICIPALITY'];

async function visibleZones(loaders: TripsLoaders, zoneIds: readonly string[] | null) {
  const kinds = await loaders.zoneKind.loadMany(zoneIds ?? []);
  return kinds.flatMap((zone) => (zone && !(zone instanceof Error) ? [zone] : []));
}

async function mostSpecificZone(loaders: TripsLoaders, zoneIds: readonly string[] | null) {
  const zones = await visibleZones(loaders, zoneIds);
  for (const kind of ADMINISTRATIVE_KINDS) {
    const zone = zones.find((z) => z.kind === kind);
    if (zone) return { id: zone.id };
  }
  return null;
}

/** An entity key's DateTime arrives as the string the gateway got; anything else matches nothing. */
function parseKeyTime(value: unknown): Date | null {
  const date = typeof value === 'string' ? new Date(value) : null;
  return date && !Number.isNaN(date.getTime()) ? date : null;
}

export const Trip: TripResolvers = {
  __resolveReference({ id, startTime }, { loaders }) {
    const start = parseKeyTime(startTime);
    return start && typeof id === 'string'
      ? loaders.tripByKey.load({ id, startTime: start })
      : null;
  },
  startTime: (trip) => trip.start_time,
  endTime: (trip) => trip.end_time,
  operator: (trip) => ({ id: trip.operator_id }),
  formFactor: (trip) => trip.form_factor,
  vehicleTypeId: (trip) => trip.vehicle_type_id,
  vehicleId: (trip) => trip.vehicle_id,
  startLat: (trip) => trip.start_lat,
  startLng: (trip) => trip.start_lng,
  endLat: (trip) => trip.end_lat,
  endLng: (trip) => trip.end_lng,
  municipalityCode: (trip) => trip.municipality_code,
  endMunicipalityCode: (trip) => trip.end_municipality_code,
  startZone: (trip, _args, { loaders }) => mostSpecificZone(loaders, trip.start_zone_ids),
  endZone: (trip, _args, { loaders }) => mostSpecificZone(loaders, trip.end_zone_ids),
  startZones: async (trip, _args, { loaders }) =>
    (await visibleZones(loaders, trip.start_zone_ids)).map((z) => ({ id: z.id })),
  endZones: async (trip, _args, { loaders }) =>
    (await visibleZones(loaders, trip.end_zone_ids)).map((z) => ({ id: z.id })),
  distanceMeters: (trip) => trip.distance_meters,
  durationSeconds: (trip) =>
    trip.end_time === null
      ? null
      : Math.round((trip.end_time.getTime() - trip.start_time.getTime()) / SECOND),
};
